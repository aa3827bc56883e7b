#include "core/aml_txn.h"

#include <fmt/format.h>

#include "core/client_txn.h"

namespace kyc {

Status AmlTxn::LogAnswerChange(int64_t customer_id, const std::string& brand) {
  const int64_t day = DayOf(kyc_.now());
  auto& changes = store_.staged_answer_changes();
  if (changes.StagedHas(day, customer_id, brand)) return Status::Ok();
  auto c = std::make_shared<AnswerChange>();
  c->id = changes.StagedNextId();
  c->day = day;
  c->customer_id = customer_id;
  c->brand = brand;
  return store_.Put(kyc_.batch(), std::move(c));
}

Status AmlTxn::SaveAlert(const AmlAlertPtr& before, AmlAlertPtr after, std::string_view action,
                         std::string_view reason) {
  AuditRow row;
  row.at = kyc_.now();
  row.actor = kyc_.actor();
  row.action = std::string(action);
  row.entity = "aml_alert";
  row.entity_id = after->id;
  row.customer_id = after->customer_id;
  row.brand = after->brand;
  row.before = before ? AmlAlertAuditJson(*before) : "";
  row.after = AmlAlertAuditJson(*after);
  row.reason = std::string(reason);
  if (Status s = store_.Put(kyc_.batch(), std::move(after)); !s.ok()) return s;
  return kyc_.kyc().AppendAudit(kyc_.batch(), std::move(row));
}

Status AmlTxn::ApplyHit(const AmlHit& hit, AmlApplied& applied) {
  const std::string flag(hit.flag->id);
  auto& keys = store_.staged_hit_keys();
  std::vector<const std::string*> fresh;
  for (const std::string& key : hit.keys) {
    if (!keys.StagedSeen(hit.brand, hit.customer_id, flag, key)) fresh.push_back(&key);
  }
  if (fresh.empty()) return Status::Ok();

  auto before = store_.staged_alerts().StagedFindOpen(hit.brand, hit.customer_id, flag);
  std::shared_ptr<AmlAlert> after;
  if (before) {
    after = std::make_shared<AmlAlert>(*before);
    after->period_from = std::min(after->period_from, hit.period.from);
    after->period_to = std::max(after->period_to, hit.period.to);
    after->evidence.push_back(hit.evidence);
    if (after->evidence.size() > kMaxEvidence) after->evidence.erase(after->evidence.begin());
    ++applied.updated;
  } else {
    after = std::make_shared<AmlAlert>();
    after->id = store_.staged_alerts().StagedNextId();
    after->brand = hit.brand;
    after->customer_id = hit.customer_id;
    after->flag = flag;
    after->group = hit.flag->group;
    after->period_from = hit.period.from;
    after->period_to = hit.period.to;
    after->evidence = {hit.evidence};
    after->created_at = kyc_.now();
    ++applied.created;
  }
  after->explanation = hit.explanation;
  ++after->hits;
  after->updated_at = kyc_.now();
  const int64_t alert_id = after->id;
  if (Status s = SaveAlert(before, std::move(after), before ? "aml_alert.hit" : "aml_alert.open");
      !s.ok()) {
    return s;
  }
  for (const std::string* key : fresh) {
    auto h = std::make_shared<AmlHitKey>();
    h->id = keys.StagedNextId();
    h->brand = hit.brand;
    h->customer_id = hit.customer_id;
    h->flag = flag;
    h->key = *key;
    h->alert_id = alert_id;
    h->at = kyc_.now();
    if (Status s = store_.Put(kyc_.batch(), std::move(h)); !s.ok()) return s;
  }
  return Status::Ok();
}

Status AmlTxn::OnDeposit(const Transaction& tx, ClientType type, bool is_pep) {
  if (tx.type != TxType::kDeposit) return Status::Ok();
  for (std::string_view id : {"3.5", "3.6"}) {
    auto sub = store_.staged_subscriptions().StagedFind(tx.brand, id);
    if (!sub || !sub->enabled || !sub->realtime || !sub->Covers(type)) continue;
    AmlCustomer c;
    c.customer_id = tx.customer_id;
    c.brand = tx.brand;
    c.type = type;
    c.is_pep = is_pep;
    const int64_t day = DayOf(tx.at);
    c.txs.push_back({tx.id, day, tx.type, tx.eur_amount});
    std::vector<AmlHit> hits;
    std::vector<AmlSkip> skips;
    auto& keys = store_.staged_hit_keys();
    const std::string flag(id);
    AmlSeen seen = [&](std::string_view key) {
      return keys.StagedSeen(tx.brand, tx.customer_id, flag, key);
    };
    EvaluateAmlFlag(*FindAmlFlag(id), *sub, c, {day, day}, seen, hits, skips);
    AmlApplied applied;
    for (const AmlHit& h : hits) {
      if (Status s = ApplyHit(h, applied); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Result<AmlAlertPtr> AmlTxn::Assign(int64_t id, int64_t manager_id) {
  auto before = store_.staged_alerts().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "AML alert {} not found", id);
  if (!before->is_open()) return Error(Code::kConflict, "AML alert {} is closed", id);
  auto after = std::make_shared<AmlAlert>(*before);
  after->status = AmlAlertStatus::kAssigned;
  after->assigned_to = manager_id;
  after->updated_at = kyc_.now();
  if (Status s = SaveAlert(before, after, "aml_alert.assign"); !s.ok()) return s;
  return AmlAlertPtr(after);
}

Result<AmlAlertPtr> AmlTxn::Resolve(int64_t id, const std::string& resolution,
                                    const std::string& reason) {
  auto before = store_.staged_alerts().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "AML alert {} not found", id);
  if (!before->is_open()) return Error(Code::kConflict, "AML alert {} is already closed", id);
  auto after = std::make_shared<AmlAlert>(*before);
  after->status = AmlAlertStatus::kClosed;
  after->resolution = resolution;
  after->resolution_reason = reason;
  after->resolved_by = kyc_.actor().id;
  after->updated_at = kyc_.now();
  if (Status s = SaveAlert(before, after, "aml_alert.resolve", reason); !s.ok()) return s;
  if (RaisesRisk(resolution)) {
    if (Status s = RaiseRisk(*after); !s.ok()) return s;
  }
  return AmlAlertPtr(after);
}

Status AmlTxn::RaiseRisk(const AmlAlert& alert) {
  KycTxn system(kyc_.kyc(), kyc_.batch(), Actor{"system", std::nullopt, ""}, kyc_.now(),
                kyc_.mirror(), kyc_.accounts());
  auto profile = system.GetOrCreateProfile(alert.customer_id, alert.brand);
  if (!profile.ok()) return profile.status();
  const ProfilePtr& before = profile.value();
  if (before->risk_level >= RiskLevel::kHigh) return Status::Ok();
  auto after = std::make_shared<Profile>(*before);
  after->risk_level = RiskLevel::kHigh;
  after->updated_at = kyc_.now();
  if (Status s = system.SaveProfile(before, after, "profile.risk_level",
                                    fmt::format("AML alert {} (flag {}) {}", alert.id, alert.flag,
                                                alert.resolution));
      !s.ok()) {
    return s;
  }
  auto r = system.Recalculate(after->id);
  if (!r.ok()) return r.status();
  system.SyncCustomer(*r);
  return Status::Ok();
}

Status AmlTxn::SaveSubscription(const std::shared_ptr<const AmlSubscription>& before,
                                std::shared_ptr<const AmlSubscription> after) {
  ClientTxn client(kyc_);
  const int64_t id = after->id;
  const std::string brand = after->brand;
  std::string before_json = before ? AmlSubscriptionJson(*before) : "";
  std::string after_json = AmlSubscriptionJson(*after);
  if (Status s = store_.Put(kyc_.batch(), std::move(after)); !s.ok()) return s;
  return client.AuditSetting("aml_flag.set", "aml_flag", id, brand, std::move(before_json),
                             std::move(after_json));
}

Status AmlTxn::SaveQuestionMap(const std::shared_ptr<const AmlQuestionMap>& before,
                               std::shared_ptr<const AmlQuestionMap> after) {
  ClientTxn client(kyc_);
  const int64_t id = after->id;
  const std::string brand = after->brand;
  std::string before_json = before ? AmlQuestionMapJson(*before) : "";
  std::string after_json = AmlQuestionMapJson(*after);
  if (Status s = store_.Put(kyc_.batch(), std::move(after)); !s.ok()) return s;
  return client.AuditSetting("aml_question_map.set", "aml_question_map", id, brand,
                             std::move(before_json), std::move(after_json));
}

Status AmlTxn::RecordRun(std::shared_ptr<AmlRun> run) {
  run->id = store_.staged_runs().StagedNextId();
  return store_.Put(kyc_.batch(), std::move(run));
}

}  // namespace kyc
