#include "core/client_txn.h"

#include <algorithm>

#include "core/aml_txn.h"
#include "core/operation_check.h"
#include "customers/field_rules.h"

namespace kyc {
namespace {

struct Owner {
  int64_t customer_id;
  std::string brand;
  Identity identity;
  bool operator==(const Owner& o) const {
    return customer_id == o.customer_id && brand == o.brand;
  }
};

AuditRow BaseRow(const KycTxn& txn, std::string_view action, std::string_view entity,
                 int64_t entity_id, int64_t customer_id, std::string_view brand) {
  AuditRow row;
  row.at = txn.now();
  row.actor = txn.actor();
  row.action = std::string(action);
  row.entity = std::string(entity);
  row.entity_id = entity_id;
  row.customer_id = customer_id;
  row.brand = std::string(brand);
  return row;
}

}  // namespace

std::vector<Identity> IdentitiesOf(const ClientRecord& r) {
  std::vector<Identity> out;
  for (const auto& d : r.documents) {
    out.push_back({d.type, d.issuing_country, NormalizeDocNumber(d.number)});
  }
  return out;
}

Status ClientTxn::SaveRecord(const RecordPtr& before, RecordPtr after, std::string_view action,
                             std::string_view reason) {
  if (before && before->account_hold == StaffHold::kClosed) {
    return Error(Code::kConflict,
                 "customer {} of brand '{}': the account is closed; its record is read-only",
                 before->customer_id, before->brand);
  }
  AuditRow row = BaseRow(kyc_, action, "customer", after->id, after->customer_id, after->brand);
  row.before = before ? RecordJson(*before) : "";
  row.after = RecordJson(*after);
  row.reason = std::string(reason);
  // Answers written now: their times (newer write wins over a step's answer, AML) and a
  // note for tomorrow's checks of groups 1 and 2.
  const bool answers_changed = (before ? before->kyc_answers : std::string()) != after->kyc_answers;
  // A record saved before answer times were kept gets them now, from its last update.
  const bool unstamped = !after->kyc_answers.empty() && after->kyc_answers_at.empty();
  if (answers_changed || unstamped) {
    auto stamped = std::make_shared<ClientRecord>(*after);
    stamped->kyc_answers_at =
        StampAnswerTimes(before ? std::string_view(before->kyc_answers) : std::string_view(),
                         before ? std::string_view(before->kyc_answers_at) : std::string_view(),
                         before ? before->updated_at : kyc_.now(), after->kyc_answers, kyc_.now());
    after = std::move(stamped);
  }
  const int64_t customer_id = after->customer_id;
  const std::string brand = after->brand;
  if (Status s = store_.Put(kyc_.batch(), std::move(after)); !s.ok()) return s;
  if (answers_changed) {
    if (Status s = AmlTxn(kyc_).LogAnswerChange(customer_id, brand); !s.ok()) return s;
  }
  return kyc_.kyc().AppendAudit(kyc_.batch(), std::move(row));
}

Status ClientTxn::CheckIdentities(int64_t customer_id, const std::string& brand,
                                  const std::vector<Identity>& identities,
                                  std::string_view source) {
  std::vector<Owner> others;
  for (const Identity& id : identities) {
    if (id.number.empty()) continue;
    std::vector<Owner> holders;
    for (const auto& r : store_.staged_clients().StagedWithDocNumber(id.number)) {
      for (const auto& d : r->documents) {
        Identity theirs{d.type, d.issuing_country, NormalizeDocNumber(d.number)};
        if (SameIdentity(id, theirs)) holders.push_back({r->customer_id, r->brand, id});
      }
    }
    for (const auto& d : kyc_.kyc().staged_documents().StagedWithNumber(id.number)) {
      if (d->status == DocStatus::kDeleted || d->status == DocStatus::kRejected) continue;
      Identity theirs{std::string(d->doc_type.view()), std::string(d->issuing_country.view()),
                      id.number};
      if (!SameIdentity(id, theirs)) continue;
      if (auto p = kyc_.Profile(d->profile_id)) holders.push_back({p->customer_id, p->brand, id});
    }
    for (const Owner& h : holders) {
      if (h.customer_id == customer_id && h.brand == brand) continue;
      if (h.brand == brand) {
        // A client (KycAddDocument) learns nothing about the other customer.
        if (kyc_.actor().type == "client") {
          return Status(Code::kConflict,
                        "this document number is already registered to another account; "
                        "contact support");
        }
        return Error(Code::kConflict,
                     "{} number {} is already held by customer {} of brand '{}': one person, "
                     "one account",
                     id.type, id.number, h.customer_id, h.brand);
      }
      if (std::find(others.begin(), others.end(), h) == others.end()) others.push_back(h);
    }
  }
  for (const Owner& other : others) {
    auto alert = std::make_shared<DuplicateAlert>();
    alert->identity = other.identity;
    alert->source = std::string(source);
    alert->customer_id = customer_id;
    alert->brand = brand;
    alert->other_customer_id = other.customer_id;
    alert->other_brand = other.brand;
    alert->created_at = kyc_.now();
    if (store_.staged_alerts().StagedFindOpen(*alert)) continue;  // already raised
    alert->id = store_.staged_alerts().StagedNextId();
    if (Status s = AuditAlert(nullptr, *alert, "duplicate.alert", ""); !s.ok()) return s;
    if (Status s = store_.Put(kyc_.batch(), alert); !s.ok()) return s;
    if (Status s = HoldProfile(customer_id, brand); !s.ok()) return s;
    if (Status s = HoldProfile(other.customer_id, other.brand); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ClientTxn::HoldProfile(int64_t customer_id, const std::string& brand) {
  auto profile = kyc_.GetOrCreateProfile(customer_id, brand);
  if (!profile.ok()) return profile.status();
  auto r = kyc_.Recalculate((*profile)->id);
  return r.ok() ? Status::Ok() : r.status();
}

Status ClientTxn::AuditSetting(std::string_view action, std::string_view entity,
                               int64_t entity_id, std::string_view brand, std::string before,
                               std::string after) {
  AuditRow row = BaseRow(kyc_, action, entity, entity_id, 0, brand);
  row.customer_id.reset();
  row.before = std::move(before);
  row.after = std::move(after);
  return kyc_.kyc().AppendAudit(kyc_.batch(), std::move(row));
}

Status ClientTxn::AuditAlert(const DuplicateAlert* before, const DuplicateAlert& after,
                             std::string_view action, std::string_view reason) {
  AuditRow row = BaseRow(kyc_, action, "duplicate_alert", after.id, after.customer_id, after.brand);
  row.before = before ? AlertJson(*before) : "";
  row.after = AlertJson(after);
  row.reason = std::string(reason);
  return kyc_.kyc().AppendAudit(kyc_.batch(), std::move(row));
}

Result<std::shared_ptr<const DuplicateAlert>> ClientTxn::ResolveAlert(int64_t id,
                                                                     const std::string& reason) {
  auto before = store_.staged_alerts().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "duplicate alert {} not found", id);
  if (before->status != AlertStatus::kOpen) {
    return Error(Code::kConflict, "duplicate alert {} is already resolved", id);
  }
  auto after = std::make_shared<DuplicateAlert>(*before);
  after->status = AlertStatus::kResolved;
  after->resolved_at = kyc_.now();
  after->resolved_by = kyc_.actor().id;
  after->resolution = reason;
  if (Status s = AuditAlert(before.get(), *after, "duplicate.resolve", reason); !s.ok()) return s;
  if (Status s = store_.Put(kyc_.batch(), after); !s.ok()) return s;
  for (const auto& [customer_id, brand] :
       {std::pair(after->customer_id, after->brand), std::pair(after->other_customer_id, after->other_brand)}) {
    if (auto p = kyc_.ProfileOf(customer_id, brand)) {
      if (auto r = kyc_.Recalculate(p->id); !r.ok()) return r.status();
    }
  }
  return std::shared_ptr<const DuplicateAlert>(after);
}

Result<RecordedTransaction> ClientTxn::AddTransaction(const NewTransaction& t,
                                                      const KycPolicy& policy) {
  RecordedTransaction out;
  const int64_t day = DayOf(t.at);
  if (auto first = store_.staged_transactions().StagedFindExternal(t.brand, t.external_id)) {
    if (first->customer_id != t.customer_id || first->type != t.type ||
        first->amount != t.amount || first->currency != t.currency ||
        first->eur_amount != t.eur_amount) {
      return Error(Code::kConflict,
                   "external_id '{}' of brand '{}' was already used by transaction {} with "
                   "other values",
                   t.external_id, t.brand, first->id);
    }
    out.transaction = first;
    out.duplicate = true;
    if (auto life = store_.staged_lifetime().StagedGet(first->client_id)) out.lifetime = life->totals;
    if (auto d = store_.staged_daily().StagedFind(first->client_id, DayOf(first->at))) out.daily = *d;
    else out.daily.day = DayOf(first->at);
    return out;
  }
  auto record = Record(t.customer_id, t.brand);
  if (!record) {
    return Error(Code::kConflict, "customer {} of brand '{}' has no client record", t.customer_id,
                 t.brand);
  }
  if (record->is_blocked) {
    return Error(Code::kConflict, "customer {} of brand '{}' is blocked: {}", t.customer_id,
                 t.brand, record->block_reason);
  }
  OperationCheck check =
      CheckOperationStaged(kyc_, policy, t.customer_id, t.brand, Name(t.type), t.eur_amount, day);
  if (!check.verdict.allowed) {
    return Error(Code::kConflict, "{} not allowed: {}", Name(t.type), check.verdict.reason);
  }

  auto tx = std::make_shared<Transaction>();
  tx->id = store_.staged_transactions().StagedNextId();
  tx->client_id = record->id;
  tx->customer_id = t.customer_id;
  tx->brand = t.brand;
  tx->type = t.type;
  tx->amount = t.amount;
  tx->currency = t.currency;
  tx->eur_amount = t.eur_amount;
  tx->external_id = t.external_id;
  tx->at = t.at;
  tx->created_at = kyc_.now();
  tx->created_by = kyc_.actor().id;
  if (Status s = store_.Put(kyc_.batch(), tx); !s.ok()) return s;

  auto life = std::make_shared<LifetimeTotals>();
  if (auto before = store_.staged_lifetime().StagedGet(record->id)) *life = *before;
  life->id = record->id;
  life->totals.Add(t.type, t.eur_amount);
  life->updated_at = kyc_.now();
  if (Status s = store_.Put(kyc_.batch(), life); !s.ok()) return s;

  auto daily = std::make_shared<DailyTotals>();
  if (auto before = store_.staged_daily().StagedFind(record->id, day)) {
    *daily = *before;
  } else {
    daily->id = store_.staged_daily().StagedNextId();
    daily->client_id = record->id;
    daily->day = day;
  }
  daily->totals.Add(t.type, t.eur_amount);
  if (Status s = store_.Put(kyc_.batch(), daily); !s.ok()) return s;
  // AML flags 3.5 and 3.6 subscribed in real time raise their alert in this commit.
  if (Status s = AmlTxn(kyc_).OnDeposit(*tx, record->type, record->is_pep); !s.ok()) return s;

  out.transaction = tx;
  out.lifetime = life->totals;
  out.daily = *daily;
  return out;
}

}  // namespace kyc
