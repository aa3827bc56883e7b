// The AML Manager's writes on the kyc writer strand (issue 14): alerts raised from hits
// (one open alert per customer and flag, a hit key never raised twice), assignment and
// resolution (escalated or reported raise the profile's risk level), subscriptions,
// question maps, the answer-change log and the record of a run. Every alert change is
// audited (entity "aml_alert").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aml/evaluate.h"
#include "core/kyc_txn.h"

namespace kyc {

using AmlAlertPtr = std::shared_ptr<const AmlAlert>;

struct AmlApplied {
  int64_t created = 0;
  int64_t updated = 0;
};

class AmlTxn {
 public:
  explicit AmlTxn(KycTxn& kyc) : kyc_(kyc), store_(kyc.kyc().staged_aml()) {}

  // Notes that (customer_id, brand) wrote new or updated answers today (once a day):
  // groups 1 and 2 check it tomorrow.
  Status LogAnswerChange(int64_t customer_id, const std::string& brand);

  // Raises a hit: its keys not seen before are recorded; the customer's open alert for the
  // flag takes its period and evidence, or a new alert is opened. A hit whose keys were
  // all seen changes nothing.
  Status ApplyHit(const AmlHit& hit, AmlApplied& applied);

  // A deposit just recorded (MngAddTransaction): the realtime subscriptions of 3.5 and 3.6.
  Status OnDeposit(const Transaction& tx, ClientType type, bool is_pep);

  Result<AmlAlertPtr> Assign(int64_t id, int64_t manager_id);
  // Closes an open alert; escalated and reported raise the profile's risk level to at
  // least high (audited with actor system, the alert named in the reason).
  Result<AmlAlertPtr> Resolve(int64_t id, const std::string& resolution, const std::string& reason);

  Status SaveSubscription(const std::shared_ptr<const AmlSubscription>& before,
                          std::shared_ptr<const AmlSubscription> after);
  Status SaveQuestionMap(const std::shared_ptr<const AmlQuestionMap>& before,
                         std::shared_ptr<const AmlQuestionMap> after);
  Status RecordRun(std::shared_ptr<AmlRun> run);

  AmlStore& store() { return store_; }

 private:
  Status SaveAlert(const AmlAlertPtr& before, AmlAlertPtr after, std::string_view action,
                   std::string_view reason = {});
  Status RaiseRisk(const AmlAlert& alert);

  KycTxn& kyc_;
  AmlStore& store_;
};

}  // namespace kyc
