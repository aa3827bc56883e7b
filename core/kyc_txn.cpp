#include "core/kyc_txn.h"

#include "core/account_txn.h"
#include "core/aml_txn.h"

#include <shared_mutex>

#include "kyc/rules.h"

namespace kyc {

KycTxn::KycTxn(KycBase& kyc, WriteBatch& batch, Actor actor, int64_t now,
               CustomerMirror& mirror, const AccountOptions& accounts)
    : kyc_(kyc),
      batch_(batch),
      actor_(std::move(actor)),
      now_(now),
      mirror_(mirror),
      accounts_(accounts) {}

ProfilePtr KycTxn::Profile(int64_t id) const { return kyc_.staged_profiles().StagedGet(id); }

ProfilePtr KycTxn::ProfileOf(int64_t customer_id, const std::string& brand) const {
  return kyc_.staged_profiles().StagedFind(customer_id, brand);
}

StepPtr KycTxn::Step(int64_t id) const { return kyc_.staged_steps().StagedGet(id); }

DocPtr KycTxn::Document(int64_t id) const { return kyc_.staged_documents().StagedGet(id); }

std::vector<StepPtr> KycTxn::StepsOf(int64_t profile_id) const {
  return kyc_.staged_steps().StagedOfProfile(profile_id);
}

std::vector<DocPtr> KycTxn::DocumentsOf(int64_t profile_id) const {
  return kyc_.staged_documents().StagedOfProfile(profile_id);
}

Result<ProfilePtr> KycTxn::GetOrCreateProfile(int64_t customer_id, const std::string& brand) {
  if (auto p = ProfileOf(customer_id, brand)) return p;
  auto p = std::make_shared<kyc::Profile>();
  p->id = kyc_.staged_profiles().StagedNextId();
  p->customer_id = customer_id;
  p->brand = brand;
  p->created_at = p->updated_at = now();
  if (Status s = SaveProfile(nullptr, p, "profile.create"); !s.ok()) return s;
  SyncCustomer(p);
  return ProfilePtr(p);
}

Result<StepPtr> KycTxn::AttachStep(const ProfilePtr& profile, const Template& t,
                                   const std::string& comment) {
  auto s = std::make_shared<kyc::Step>();
  s->id = kyc_.staged_steps().StagedNextId();
  s->profile_id = profile->id;
  s->template_id = t.id;
  s->code = t.code;
  s->name = t.name;
  s->level = t.level;
  s->status = StepStatus::kRequired;
  s->comment = comment;
  s->created_at = s->updated_at = now();
  if (Status st = SaveStep(nullptr, s, "step.require"); !st.ok()) return st;
  return StepPtr(s);
}

AuditRow KycTxn::Row(std::string_view action, std::string_view entity, int64_t entity_id,
                     const kyc::Profile& owner, std::string before, std::string after,
                     std::string_view reason) const {
  return AuditOf(action, entity, entity_id, owner.customer_id, owner.brand, std::move(before),
                 std::move(after), reason);
}

AuditRow KycTxn::AuditOf(std::string_view action, std::string_view entity, int64_t entity_id,
                         int64_t customer_id, std::string_view brand, std::string before,
                         std::string after, std::string_view reason) const {
  AuditRow row;
  row.at = now();
  row.actor = actor_;
  row.action = std::string(action);
  row.entity = std::string(entity);
  row.entity_id = entity_id;
  row.customer_id = customer_id;
  row.brand = std::string(brand);
  row.before = std::move(before);
  row.after = std::move(after);
  row.reason = std::string(reason);
  return row;
}

Status KycTxn::SaveProfile(const ProfilePtr& before, ProfilePtr after, std::string_view action,
                           std::string_view reason) {
  AuditRow row = Row(action, "profile", after->id, *after, before ? ProfileJson(*before) : "",
                     ProfileJson(*after), reason);
  if (Status s = kyc_.PutProfile(batch_, std::move(after)); !s.ok()) return s;
  return kyc_.AppendAudit(batch_, std::move(row));
}

Status KycTxn::SaveStep(const StepPtr& before, StepPtr after, std::string_view action,
                        std::string_view reason) {
  auto owner = Profile(after->profile_id);
  if (!owner) return Error(Code::kInternal, "step {} has no profile", after->id);
  AuditRow row = Row(action, "step", after->id, *owner, before ? StepJson(*before) : "",
                     StepJson(*after), reason);
  // A submission writes answers: the AML checks of groups 1 and 2 read them tomorrow.
  const bool submitted = after->submitted_at && (!before || before->submitted_at != after->submitted_at);
  if (Status s = kyc_.PutStep(batch_, std::move(after)); !s.ok()) return s;
  if (submitted) {
    if (Status s = AmlTxn(*this).LogAnswerChange(owner->customer_id, owner->brand); !s.ok()) {
      return s;
    }
  }
  return kyc_.AppendAudit(batch_, std::move(row));
}

Status KycTxn::SaveDocument(const DocPtr& before, DocPtr after, std::string_view action,
                            std::string_view reason) {
  auto owner = Profile(after->profile_id);
  if (!owner) return Error(Code::kInternal, "document {} has no profile", after->id);
  AuditRow row = Row(action, "document", after->id, *owner, before ? DocumentJson(*before) : "",
                     DocumentJson(*after), reason);
  if (Status s = kyc_.PutDocument(batch_, std::move(after)); !s.ok()) return s;
  return kyc_.AppendAudit(batch_, std::move(row));
}

Result<ProfilePtr> KycTxn::Recalculate(int64_t profile_id) {
  auto before = Profile(profile_id);
  if (!before) return Error(Code::kInternal, "profile {} vanished", profile_id);
  auto steps = StepsOf(profile_id);
  auto docs = DocumentsOf(profile_id);
  std::vector<const kyc::Step*> sp;
  std::vector<const kyc::Document*> dp;
  for (const auto& s : steps) sp.push_back(s.get());
  for (const auto& d : docs) dp.push_back(d.get());
  ProfileStatus status = ComputeProfileStatus(sp, dp);
  // An open duplicate-identity alert holds the profile for review until it is resolved;
  // a rejected or expired profile stays so (the hold must never unlock one).
  const bool duplicate_hold =
      kyc_.staged_clients().staged_alerts().StagedHasOpen(before->customer_id, before->brand);
  if (status != ProfileStatus::kRejected && status != ProfileStatus::kExpired && duplicate_hold) {
    status = ProfileStatus::kReviewRequired;
  }
  int64_t level = ComputeLevel(sp);
  // The account status reads the same rows; it may move while the profile does not (a
  // document rejected in a pending step).
  kyc::Profile next = *before;
  next.status = status;
  next.level = level;
  const AccountState account = DeriveAccountStatus(&next, sp, dp, duplicate_hold,
                                                   accounts_.ApprovalLevel(before->brand));
  if (Status s = AccountTxn(*this).Follow(next, account); !s.ok()) return s;
  if (status == before->status && level == before->level) return before;
  auto after = std::make_shared<kyc::Profile>(*before);
  after->status = status;
  after->level = level;
  after->updated_at = now();
  if (Status s = SaveProfile(before, after, "profile.recalculate"); !s.ok()) return s;
  SyncCustomer(after);
  return ProfilePtr(after);
}

void KycTxn::SyncCustomer(const ProfilePtr& p) {
  batch_.AfterCommit([&mirror = mirror_, p, at = now_] { mirror.Update(*p, at); });
}

std::string KycTxn::ProfileJsonWithChildren(const ProfilePtr& p) const {
  JsonOut o;
  o.BeginObject();
  WriteProfileFields(o, *p);
  o.Key("steps").BeginArray();
  for (const auto& s : StepsOf(p->id)) WriteStep(o, *s);
  o.EndArray().Key("documents").BeginArray();
  for (const auto& d : DocumentsOf(p->id)) WriteDocument(o, *d);
  o.EndArray().EndObject();
  return o.Take();
}

JsonCache::Json ProfileJsonShared(KycBase& kyc, const Profile& p) {
  // A cached entry is current: a publish drops the entries of what it changes before
  // readers can see the change.
  if (auto cached = kyc.profile_json().Get(p.id)) return cached;
  // Rendered under the snapshot lock, so no publish can interleave between reading the
  // rows and caching their JSON.
  std::shared_lock snapshot(kyc.snapshot_mutex());
  auto current = kyc.profiles().Get(p.id);
  const kyc::Profile& prof = current ? *current : p;
  JsonOut o;
  o.BeginObject();
  WriteProfileFields(o, prof);
  o.Key("steps").BeginArray();
  for (const auto& s : kyc.steps().OfProfile(prof.id)) WriteStep(o, *s);
  o.EndArray().Key("documents").BeginArray();
  for (const auto& d : kyc.documents().OfProfile(prof.id)) WriteDocument(o, *d);
  o.EndArray().EndObject();
  auto json = std::make_shared<const std::string>(o.Take());
  if (current) kyc.profile_json().Put(prof.id, json);
  return json;
}

}  // namespace kyc
