// Profiles: get, list, require a step, set the required level, set the risk level,
// the customer aggregate, and the business-rule check for dealers' terminals.
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "core/kyc_txn.h"
#include "handlers/paging.h"
#include "kyc/policy.h"
#include "core/operation_check.h"

#include <algorithm>
#include <set>

namespace kyc::handlers {
namespace {

// {id} or {customer_id, brand}.
struct ProfileRef {
  std::optional<int64_t> id;
  std::optional<CustomerKey> key;
};

Result<ProfileRef> ReadProfileRef(ParamReader& p) {
  ProfileRef ref;
  ref.id = p.OptInt("id");
  if (!ref.id || p.Has("customer_id") || p.Has("brand")) ref.key = ReadCustomer(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (ref.id && ref.key) {
    return Status(Code::kBadRequest, "give either 'id' or 'customer_id' and 'brand', not both");
  }
  return ref;
}

Result<std::shared_ptr<const Profile>> FindProfile(Call& c, const ProfileRef& ref) {
  auto& profiles = c.core.kyc().profiles();
  auto prof = ref.id ? profiles.Get(*ref.id) : profiles.Find(ref.key->customer_id, ref.key->brand);
  if (!prof) {
    if (ref.id) return Error(Code::kNotFound, "profile {} not found", *ref.id);
    return Error(Code::kNotFound, "no KYC profile for customer {} of brand '{}'",
                 ref.key->customer_id, ref.key->brand);
  }
  return prof;
}

}  // namespace

Result<std::string> MngGetKycProfile(Call& c) {
  ParamReader p(c.params);
  auto ref = ReadProfileRef(p);
  if (!ref.ok()) return ref.status();
  // The hot path of dealers' terminals: a cached profile needs no look-up at all, and its
  // text is sent from the cache without a copy.
  if (ref->id) {
    if (auto cached = c.core.kyc().profile_json().Get(*ref->id)) return c.Share(std::move(cached));
  }
  auto prof = FindProfile(c, *ref);
  if (!prof.ok()) return prof.status();
  return c.Share(ProfileJsonShared(c.core.kyc(), **prof));
}

Result<std::string> MngGetKycProfiles(Call& c) {
  ParamReader p(c.params);
  ProfileFilter f;
  f.brand = p.OptString("brand", 64);
  f.status = ReadEnum<ProfileStatus>(p, "status", kProfileStatusNames);
  f.risk_level = ReadEnum<RiskLevel>(p, "risk_level", kRiskLevelNames);
  f.customer_id = p.OptInt("customer_id");
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  auto result = c.core.kyc().profiles().List(f);
  return ItemsJson(result.items, result.total, [](JsonOut& o, const Profile& prof) {
    o.BeginObject();
    WriteProfileFields(o, prof);
    o.EndObject();
  });
}

Result<std::string> MngRequireKycStep(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  auto template_id = p.OptInt("template_id");
  auto code = p.OptString("code", 64);
  std::string comment = p.OptString("comment", 2000).value_or("");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (template_id.has_value() == code.has_value()) {
    return Status(Code::kBadRequest, "give exactly one of 'template_id' or 'code'");
  }
  auto& templates = c.core.kyc().staged_templates();
  std::shared_ptr<const Template> t;
  if (template_id) {
    t = templates.StagedGet(*template_id);
    if (!t || t->deleted) return Error(Code::kNotFound, "template {} not found", *template_id);
    if (t->brand != key.brand) {
      return Error(Code::kBadRequest, "template {} belongs to brand '{}', not '{}'", t->id,
                   t->brand, key.brand);
    }
  } else {
    t = templates.StagedFindCode(key.brand, *code);
    if (!t) return Error(Code::kNotFound, "brand '{}' has no template with code '{}'", key.brand,
                         *code);
  }
  if (!t->active) return Error(Code::kConflict, "template {} ('{}') is inactive", t->id, t->code);

  KycTxn txn = KycTxnOf(c);
  auto prof = txn.GetOrCreateProfile(key.customer_id, key.brand);
  if (!prof.ok()) return prof.status();
  std::shared_ptr<const Step> step;
  bool created = false;
  for (const auto& s : txn.StepsOf((*prof)->id)) {
    if (s->code == t->code && IsActive(s->status)) step = s;
  }
  if (!step) {
    auto attached = txn.AttachStep(*prof, *t, comment);
    if (!attached.ok()) return attached.status();
    step = *attached;
    created = true;
    if (auto r = txn.Recalculate((*prof)->id); !r.ok()) return r.status();
  }
  JsonOut o;
  o.BeginObject().Key("profile_id").Int((*prof)->id).Key("step");
  WriteStep(o, *step);
  o.Key("created").Bool(created).EndObject();
  return o.Take();
}

Result<std::string> MngSetKycRequiredLevel(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  int64_t level = p.Int("level");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (level < 1 || level > 100) {
    return Status(Code::kBadRequest, "field 'level' must be between 1 and 100");
  }
  KycTxn txn = KycTxnOf(c);
  auto prof = txn.GetOrCreateProfile(key.customer_id, key.brand);
  if (!prof.ok()) return prof.status();
  std::shared_ptr<const Profile> current = *prof;
  std::vector<int64_t> attached;
  // Only ever raises: a lower or equal level changes nothing (workflow hooks may repeat).
  if (level > current->required_level) {
    auto raised = std::make_shared<Profile>(*current);
    raised->required_level = level;
    raised->updated_at = c.now;
    if (Status s = txn.SaveProfile(current, raised, "profile.required_level"); !s.ok()) return s;
    std::set<std::string> active_codes;
    for (const auto& s : txn.StepsOf(current->id)) {
      if (IsActive(s->status)) active_codes.insert(s->code);
    }
    std::vector<std::shared_ptr<const Template>> due;
    c.core.kyc().staged_templates().StagedScan([&](const TemplateSet::Ptr& t) {
      if (t->brand == key.brand && t->active && t->required && !t->deleted && t->level <= level &&
          !active_codes.count(t->code)) {
        due.push_back(t);
      }
    });
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
    for (const auto& t : due) {
      auto step = txn.AttachStep(raised, *t, "");
      if (!step.ok()) return step.status();
      attached.push_back((*step)->id);
    }
    auto r = txn.Recalculate(current->id);
    if (!r.ok()) return r.status();
    current = *r;
  }
  JsonOut o;
  o.BeginObject().Key("profile").Raw(txn.ProfileJsonWithChildren(current));
  o.Key("attached").BeginArray();
  for (int64_t id : attached) o.Int(id);
  o.EndArray().EndObject();
  return o.Take();
}

namespace {

struct RiskChange {
  int64_t id = 0;
  RiskLevel risk = RiskLevel::kUnknown;
  std::string reason;
};

Result<RiskChange> ReadRiskChange(const Call& c) {
  ParamReader p(c.params);
  RiskChange r;
  r.id = p.Int("id");
  auto risk = ReadEnum<RiskLevel>(p, "risk_level", kRiskLevelNames);
  if (p.ok() && !risk) p.Fail(Status(Code::kBadRequest, "field 'risk_level' is required"));
  r.reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  r.risk = *risk;
  return r;
}

}  // namespace

Result<std::string> MngSetKycRiskLevel(Call& c) {
  auto change = ReadRiskChange(c);
  if (!change.ok()) return change.status();
  const int64_t id = change->id;
  const std::optional<RiskLevel> risk = change->risk;
  const std::string& reason = change->reason;
  KycTxn txn = KycTxnOf(c);
  auto before = txn.Profile(id);
  if (!before) return Error(Code::kNotFound, "profile {} not found", id);
  auto after = before;
  if (before->risk_level != *risk) {
    auto changed = std::make_shared<Profile>(*before);
    changed->risk_level = *risk;
    changed->updated_at = c.now;
    if (Status s = txn.SaveProfile(before, changed, "profile.risk_level", reason); !s.ok()) {
      return s;
    }
    after = changed;
    auto r = txn.Recalculate(id);
    if (!r.ok()) return r.status();
    after = *r;
    txn.SyncCustomer(after);  // the risk level is one of the customer's aggregate fields
  }
  return txn.ProfileJsonWithChildren(after);
}

Result<std::optional<ApprovalNeed>> FourEyesMngSetKycRiskLevel(const Call& c) {
  auto change = ReadRiskChange(c);
  if (!change.ok()) return change.status();
  auto& profiles = c.core.kyc().staged_profiles();
  auto profile = c.batch ? profiles.StagedGet(change->id) : profiles.Get(change->id);
  // Only lowering a risk level needs a second person.
  if (!profile || change->risk >= profile->risk_level) return std::optional<ApprovalNeed>();
  return std::optional<ApprovalNeed>(ApprovalNeed{
      .summary = fmt::format("lower the risk level of customer {} of {} from {} to {}",
                             profile->customer_id, profile->brand, Name(profile->risk_level),
                             Name(change->risk)),
      .target = fmt::format("risk {} (profile updated {})", Name(profile->risk_level),
                            profile->updated_at),
      .brand = profile->brand,
      .customer_id = profile->customer_id,
      .reason = change->reason});
}

Result<std::string> MngGetKycCustomer(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  // The aggregate is derived from the profile: answer from the profile in memory, so a
  // caller reads its own KYC change even before the customers base has stored it.
  auto cust = c.core.customers().customers().Find(key.customer_id, key.brand);
  auto prof = c.core.kyc().profiles().Find(key.customer_id, key.brand);
  if (!cust && !prof) {
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", key.customer_id,
                 key.brand);
  }
  Customer view = cust ? *cust : Customer{};
  if (prof) {
    view.customer_id = prof->customer_id;
    view.brand = prof->brand;
    view.kyc_status = prof->status;
    view.kyc_level = prof->level;
    view.kyc_risk_level = prof->risk_level;
    view.updated_at = std::max(view.updated_at, prof->updated_at);
  }
  JsonOut o;
  WriteCustomer(o, view);
  return o.Take();
}

Result<std::string> MngCheckKycOperation(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  std::string operation = p.String("operation", 64);
  std::optional<Decimal> amount = OptDecimal(p, "amount", 2, false);  // EUR
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!IsOperation(operation)) {
    return Error(Code::kBadRequest, "field 'operation' must be one of {}", kOperationList);
  }
  OperationCheck r = CheckOperationNow(c.core.kyc(), c.core.options().policy,
                                       c.core.options().accounts, key.customer_id, key.brand,
                                       operation, amount, c.now);
  JsonOut o;
  o.BeginObject();
  o.Key("allowed").Bool(r.verdict.allowed).Key("reason").Str(r.verdict.reason);
  o.Key("operation").Str(operation).Key("required_level").Int(r.verdict.required_level);
  o.Key("level").Int(r.level).Key("status").Int(int64_t(r.status));
  o.Key("status_name").Str(Name(r.status));
  o.Key("account_status").Str(Name(r.account.status));
  o.Key("account_status_reason").Str(r.account.reason);
  o.Key("missing_fields").BeginArray();
  for (const auto& f : r.verdict.missing_fields) o.Str(f);
  o.EndArray();
  o.Key("amount");
  if (amount) o.Str(amount->ToString(2));
  else o.Null();
  o.EndObject();
  return o.Take();
}

}  // namespace kyc::handlers
