// The account lifecycle on the kyc writer strand (issue 15): the status a record shows
// follows its KYC in the same commit as the change that moved it, staff restrict, close
// and lift, and every change of status is an audit row (entity "account") that
// MngGetAccountStatusHistory reads back.
#pragma once

#include <memory>
#include <string>

#include "core/kyc_txn.h"
#include "customers/record.h"

namespace kyc {

class AccountTxn {
 public:
  explicit AccountTxn(KycTxn& kyc) : kyc_(kyc) {}

  // The status KYC gives (customer_id, brand) as this batch sees it.
  AccountState Derived(int64_t customer_id, const std::string& brand) const;

  // After a recalculation of `profile`: its record's status follows the derived one,
  // unless staff hold it (restricted, closed). No-op without a record or a change.
  Status Follow(const Profile& profile, const AccountState& derived);

  // A new record starts in the derived status (a profile may exist before its record).
  void Initialize(ClientRecord& record) const;

  // MngSetAccountStatus: restricted or closed (a hold with its reason), or active (the
  // hold lifted: back to the derived status). conflict when closed (final) or when there
  // is nothing to do.
  Result<std::shared_ptr<const ClientRecord>> SetStatus(const std::shared_ptr<const ClientRecord>& before,
                                                        std::string_view status,
                                                        const std::string& reason);

 private:
  // Writes `after` and an "account.status" audit row when its status or reason moved.
  Status Save(const std::shared_ptr<const ClientRecord>& before,
              std::shared_ptr<ClientRecord> after, std::string_view source,
              std::string_view reason);

  KycTxn& kyc_;
};

// Any thread: the account status of (customer_id, brand) from committed memory: its
// record's, or, without a record, the one its KYC gives.
AccountState AccountStateNow(KycBase& kyc, const AccountOptions& options, int64_t customer_id,
                             const std::string& brand);

// The JSON the audit trail keeps of an account status: {status, reason, hold}.
std::string AccountStatusJson(const ClientRecord& r);

}  // namespace kyc
