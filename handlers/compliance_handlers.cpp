// Tiers, compliance rules and duplicate-identity alerts (issue 13): the brand's settings
// that MngCheckKycOperation and MngAddTransaction weigh, and the alerts staff resolve.
#include <algorithm>

#include "core/client_txn.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {


// An optional EUR amount (≥ 0, at most 2 fraction digits); null or absent → none.
std::optional<Decimal> ReadEur(ParamReader& p, std::string_view field) {
  return OptDecimal(p, field, 2, false);
}

template <size_t N>
std::string ReadChoice(ParamReader& p, std::string_view field,
                       const std::array<std::string_view, N>& choices, bool required) {
  auto v = required ? std::optional<std::string>(p.String(field, 32)) : p.OptString(field, 32);
  if (!p.ok() || !v) return {};
  if (std::find(choices.begin(), choices.end(), *v) == choices.end()) {
    std::string list;
    for (auto c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    p.Fail(Error(Code::kBadRequest, "field '{}' must be one of {}", field, list));
    return {};
  }
  return *v;
}

// The fields of a rule present in `p` (all of them for a new rule), checked together.
void ReadRuleFields(ParamReader& p, ComplianceRule& r, bool create) {
  if (create || p.Has("name")) r.name = ReadText(p, "name", 200);
  if (create || p.Has("operation")) r.operation = ReadChoice(p, "operation", kRuleOperations, true);
  if (create || p.Has("scope")) r.scope = ReadChoice(p, "scope", kRuleScopes, true);
  if (create || p.Has("threshold_eur")) {
    auto t = ReadEur(p, "threshold_eur");
    if (p.ok() && !t) p.Fail(Status(Code::kBadRequest, "field 'threshold_eur' is required"));
    r.threshold_eur = t.value_or(Decimal{});
  }
  if (create || p.Has("effect")) r.effect = ReadChoice(p, "effect", kRuleEffects, true);
  if (const rapidjson::Value* when = p.Raw("when"); when && p.ok()) {
    r.when_is_pep.reset();
    r.when_min_risk_score_ai.reset();
    r.when_types.clear();
    if (!when->IsNull() && !when->IsObject()) {
      return p.Fail(Status(Code::kBadRequest, "field 'when' must be an object"));
    }
    if (when->IsObject()) {
      for (const auto& m : when->GetObject()) {
        std::string_view key = StringView(m.name);
        if (key == "is_pep" && m.value.IsBool()) {
          r.when_is_pep = m.value.GetBool();
        } else if (key == "min_risk_score_ai" && m.value.IsString() &&
                   Decimal::Parse(StringView(m.value), 2)) {
          r.when_min_risk_score_ai = Decimal::Parse(StringView(m.value), 2);
        } else if (key == "types" && m.value.IsArray()) {
          for (const auto& t : m.value.GetArray()) {
            if (!t.IsString() || !ParseClientType(StringView(t))) {
              return p.Fail(Status(Code::kBadRequest,
                                   "field 'when.types' must list regular, vip or corporate"));
            }
            r.when_types.emplace_back(StringView(t));
          }
        } else {
          return p.Fail(Error(Code::kBadRequest,
                              "field 'when.{}' is not known or has the wrong type (is_pep: "
                              "boolean, min_risk_score_ai: decimal string, types: array)",
                              key));
        }
      }
    }
  }
  if (const rapidjson::Value* fields = p.Raw("fields"); fields && p.ok()) {
    r.fields.clear();
    if (!fields->IsNull()) {
      if (!fields->IsArray()) return p.Fail(Status(Code::kBadRequest, "field 'fields' must be an array"));
      for (const auto& f : fields->GetArray()) {
        if (!f.IsString() || !IsRequirableField(StringView(f))) {
          return p.Fail(Status(Code::kBadRequest,
                               "field 'fields' must list client record fields such as tin, "
                               "source_of_funds, address, documents"));
        }
        r.fields.emplace_back(StringView(f));
      }
    }
  }
  if (p.Has("level") || create) {
    r.level = p.OptInt("level");
    if (p.ok() && r.level && (*r.level < 1 || *r.level > 100)) {
      p.Fail(Status(Code::kBadRequest, "field 'level' must be between 1 and 100"));
    }
  }
  if (!p.ok()) return;
  if (r.effect == "require_fields" && r.fields.empty()) {
    p.Fail(Status(Code::kBadRequest, "effect require_fields needs 'fields'"));
  } else if (r.effect == "require_level" && !r.level) {
    p.Fail(Status(Code::kBadRequest, "effect require_level needs 'level'"));
  }
}

Result<std::shared_ptr<const ComplianceRule>> StagedRule(ClientTxn& txn, int64_t id) {
  auto r = txn.store().staged_rules().StagedGet(id);
  if (!r || r->deleted) return Error(Code::kNotFound, "compliance rule {} not found", id);
  return r;
}

}  // namespace

Result<std::string> MngSetKycTier(Call& c) {
  ParamReader p(c.params);
  auto t = std::make_shared<Tier>();
  t->brand = p.String("brand", 64);
  t->level = p.Int("level");
  t->name = ReadText(p, "name", 100);
  t->max_single_eur = ReadEur(p, "max_single_eur");
  t->max_daily_eur = ReadEur(p, "max_daily_eur");
  t->max_lifetime_eur = ReadEur(p, "max_lifetime_eur");
  t->max_loan = ReadEur(p, "max_loan");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!IsValidBrand(t->brand)) return Status(Code::kBadRequest, "field 'brand' must match [A-Za-z0-9_.-]{1,64}");
  if (t->level < 1 || t->level > 100) return Status(Code::kBadRequest, "field 'level' must be between 1 and 100");
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  std::shared_ptr<const Tier> before;
  for (const auto& existing : txn.store().staged_tiers().StagedOfBrand(t->brand)) {
    if (existing->level == t->level) before = existing;
  }
  t->id = before ? before->id : txn.store().staged_tiers().StagedNextId();
  t->created_at = before ? before->created_at : c.now;
  t->updated_at = c.now;
  std::string json = TierJson(*t);
  if (Status s = txn.AuditSetting(before ? "tier.update" : "tier.create", "tier", t->id, t->brand,
                                  before ? TierJson(*before) : "", json);
      !s.ok()) {
    return s;
  }
  if (Status s = txn.store().Put(kyc.batch(), t); !s.ok()) return s;
  return json;
}

Result<std::string> MngGetKycTiers(Call& c) {
  ParamReader p(c.params);
  std::string brand = p.String("brand", 64);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto tiers = c.core.kyc().clients().tiers().OfBrand(brand);
  return ItemsJson(tiers, int64_t(tiers.size()), WriteTier);
}

Result<std::string> MngAddComplianceRule(Call& c) {
  ParamReader p(c.params);
  auto r = std::make_shared<ComplianceRule>();
  r->brand = ReadBrand(p);
  ReadRuleFields(p, *r, true);
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  r->id = txn.store().staged_rules().StagedNextId();
  r->created_at = r->updated_at = c.now;
  std::string json = RuleJson(*r);
  if (Status s = txn.AuditSetting("rule.create", "compliance_rule", r->id, r->brand, "", json);
      !s.ok()) {
    return s;
  }
  if (Status s = txn.store().Put(kyc.batch(), r); !s.ok()) return s;
  return json;
}

Result<std::string> MngUpdateComplianceRule(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (p.Has("brand")) p.Fail(Status(Code::kBadRequest, "field 'brand' of a rule cannot change"));
  if (!p.ok()) return p.Finish();
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  auto before = StagedRule(txn, id);
  if (!before.ok()) return before.status();
  auto after = std::make_shared<ComplianceRule>(**before);
  ReadRuleFields(p, *after, false);
  if (Status s = p.Finish(); !s.ok()) return s;
  after->updated_at = c.now;
  std::string json = RuleJson(*after);
  if (Status s = txn.AuditSetting("rule.update", "compliance_rule", id, after->brand,
                                  RuleJson(**before), json);
      !s.ok()) {
    return s;
  }
  if (Status s = txn.store().Put(kyc.batch(), after); !s.ok()) return s;
  return json;
}

Result<std::string> MngDeleteComplianceRule(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  auto before = StagedRule(txn, id);
  if (!before.ok()) return before.status();
  auto after = std::make_shared<ComplianceRule>(**before);
  after->deleted = true;
  after->updated_at = c.now;
  if (Status s = txn.AuditSetting("rule.delete", "compliance_rule", id, after->brand,
                                  RuleJson(**before), RuleJson(*after));
      !s.ok()) {
    return s;
  }
  if (Status s = txn.store().Put(kyc.batch(), after); !s.ok()) return s;
  JsonOut o;
  o.BeginObject().Key("id").Int(id).Key("deleted").Bool(true).EndObject();
  return o.Take();
}

Result<std::string> MngGetComplianceRules(Call& c) {
  ParamReader p(c.params);
  std::string brand = p.String("brand", 64);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto rules = c.core.kyc().clients().rules().OfBrand(brand);
  return ItemsJson(rules, int64_t(rules.size()), WriteRule);
}

Result<std::string> MngGetDuplicateAlerts(Call& c) {
  ParamReader p(c.params);
  AlertFilter f;
  if (auto status = p.OptString("status", 16)) {
    if (*status == "open") f.status = AlertStatus::kOpen;
    else if (*status == "resolved") f.status = AlertStatus::kResolved;
    else p.Fail(Status(Code::kBadRequest, "field 'status' must be open or resolved"));
  }
  f.customer_id = p.OptInt("customer_id");
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  auto result = c.core.kyc().clients().alerts().List(f);
  return ItemsJson(result.items, result.total, WriteAlert);
}

Result<std::string> MngResolveDuplicateAlert(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  auto resolved = txn.ResolveAlert(id, reason);
  if (!resolved.ok()) return resolved.status();
  return AlertJson(**resolved);
}

}  // namespace kyc::handlers
