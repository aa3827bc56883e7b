// The AML Manager's tables in kyc.db (issue 14): subscriptions, question maps, alerts,
// hit keys, the answer-change log and the runs. In the KYC base so that an alert raised
// by a deposit commits with the deposit, and an escalation with the profile's risk level.
#pragma once

#include <string_view>

#include "aml/alerts.h"
#include "aml/settings.h"
#include "bases/sqlite.h"
#include "bases/writer_queue.h"

namespace kyc {

// Schema version 5 of kyc.db.
extern const std::string_view kAmlSchema;

class AmlStore {
 public:
  [[nodiscard]] Status Prepare(Db& db);
  [[nodiscard]] Status Load(Db& db);

  const AmlSubscriptionSet& subscriptions() const { return subscriptions_; }
  const AmlQuestionMapSet& question_maps() const { return question_maps_; }
  const AmlAlertSet& alerts() const { return alerts_; }
  const AmlHitKeySet& hit_keys() const { return hit_keys_; }
  const AnswerChangeSet& answer_changes() const { return answer_changes_; }
  const AmlRunSet& runs() const { return runs_; }

  // Writer strand only.
  AmlSubscriptionSet& staged_subscriptions() { return subscriptions_; }
  AmlQuestionMapSet& staged_question_maps() { return question_maps_; }
  AmlAlertSet& staged_alerts() { return alerts_; }
  AmlHitKeySet& staged_hit_keys() { return hit_keys_; }
  AnswerChangeSet& staged_answer_changes() { return answer_changes_; }
  AmlRunSet& staged_runs() { return runs_; }
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const AmlSubscription> s);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const AmlQuestionMap> m);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const AmlAlert> a);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const AmlHitKey> h);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const AnswerChange> c);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const AmlRun> r);

 private:
  AmlSubscriptionSet subscriptions_;
  AmlQuestionMapSet question_maps_;
  AmlAlertSet alerts_;
  AmlHitKeySet hit_keys_;
  AnswerChangeSet answer_changes_;
  AmlRunSet runs_;
  Stmt put_subscription_, put_question_map_, put_alert_, put_hit_key_, put_answer_change_,
      put_run_;
};

}  // namespace kyc
