#include "customers/limits.h"

#include <algorithm>

#include <fmt/ranges.h>

namespace kyc {
namespace {

void OptDecimal(JsonOut& o, std::string_view key, const std::optional<Decimal>& d) {
  o.Key(key);
  if (d) o.Str(d->ToString(2));
  else o.Null();
}

const Tier* TierAt(const std::vector<const Tier*>& tiers, int64_t level) {
  for (const Tier* t : tiers) {
    if (t->level == level) return t;
  }
  return nullptr;
}

struct Projection {
  Decimal amount, today, lifetime;
};

// The first limit of `t` the projection exceeds, worded; empty when within all.
std::string ExceededLimit(const Tier& t, const Projection& p) {
  if (t.max_single_eur && p.amount > *t.max_single_eur) {
    return fmt::format("EUR {} exceeds the level {} single-operation limit {}", p.amount.ToGrouped(),
                       t.level, t.max_single_eur->ToGrouped());
  }
  if (t.max_daily_eur && p.today + p.amount > *t.max_daily_eur) {
    return fmt::format("daily EUR {} + {} exceeds the level {} daily limit {}", p.today.ToGrouped(),
                       p.amount.ToGrouped(), t.level, t.max_daily_eur->ToGrouped());
  }
  if (t.max_lifetime_eur && p.lifetime + p.amount > *t.max_lifetime_eur) {
    return fmt::format("lifetime EUR {} + {} exceeds the level {} limit {}", p.lifetime.ToGrouped(),
                       p.amount.ToGrouped(), t.level, t.max_lifetime_eur->ToGrouped());
  }
  return {};
}

bool RuleApplies(const ComplianceRule& r, std::string_view operation, const ClientRecord* rec) {
  if (r.operation != "any" && r.operation != operation) return false;
  if (r.when_is_pep && (!rec || rec->is_pep != *r.when_is_pep)) return false;
  if (r.when_min_risk_score_ai &&
      (!rec || !rec->risk_score_ai || *rec->risk_score_ai < *r.when_min_risk_score_ai)) {
    return false;
  }
  if (!r.when_types.empty() &&
      (!rec || std::find(r.when_types.begin(), r.when_types.end(), Name(rec->type)) ==
                   r.when_types.end())) {
    return false;
  }
  return true;
}

}  // namespace

void WriteTier(JsonOut& o, const Tier& t) {
  o.BeginObject();
  o.Key("id").Int(t.id).Key("brand").Str(t.brand).Key("level").Int(t.level).Key("name").Str(t.name);
  OptDecimal(o, "max_single_eur", t.max_single_eur);
  OptDecimal(o, "max_daily_eur", t.max_daily_eur);
  OptDecimal(o, "max_lifetime_eur", t.max_lifetime_eur);
  OptDecimal(o, "max_loan", t.max_loan);
  o.Key("created_at").Int(t.created_at).Key("updated_at").Int(t.updated_at);
  o.EndObject();
}

std::string TierJson(const Tier& t) {
  JsonOut o;
  WriteTier(o, t);
  return o.Take();
}

std::vector<TierSet::Ptr> TierSet::OfBrand(std::string_view brand) const {
  std::vector<Ptr> out;
  Scan([&](const Ptr& t) {
    if (t->brand == brand) out.push_back(t);
    return true;
  });
  std::sort(out.begin(), out.end(), [](const Ptr& a, const Ptr& b) { return a->level < b->level; });
  return out;
}

std::vector<TierSet::Ptr> TierSet::StagedOfBrand(std::string_view brand) const {
  std::vector<Ptr> out;
  StagedScan([&](const Ptr& t) {
    if (t->brand == brand) out.push_back(t);
  });
  std::sort(out.begin(), out.end(), [](const Ptr& a, const Ptr& b) { return a->level < b->level; });
  return out;
}

void WriteRule(JsonOut& o, const ComplianceRule& r) {
  o.BeginObject();
  o.Key("id").Int(r.id).Key("brand").Str(r.brand).Key("name").Str(r.name);
  o.Key("operation").Str(r.operation).Key("scope").Str(r.scope);
  o.Key("threshold_eur").Str(r.threshold_eur.ToString(2));
  o.Key("when").BeginObject();
  if (r.when_is_pep) o.Key("is_pep").Bool(*r.when_is_pep);
  if (r.when_min_risk_score_ai) {
    o.Key("min_risk_score_ai").Str(r.when_min_risk_score_ai->ToString(2));
  }
  if (!r.when_types.empty()) {
    o.Key("types").BeginArray();
    for (const auto& t : r.when_types) o.Str(t);
    o.EndArray();
  }
  o.EndObject();
  o.Key("effect").Str(r.effect);
  o.Key("fields").BeginArray();
  for (const auto& f : r.fields) o.Str(f);
  o.EndArray();
  o.Key("level").OptInt(r.level);
  o.Key("deleted").Bool(r.deleted);
  o.Key("created_at").Int(r.created_at).Key("updated_at").Int(r.updated_at);
  o.EndObject();
}

std::string RuleJson(const ComplianceRule& r) {
  JsonOut o;
  WriteRule(o, r);
  return o.Take();
}

std::vector<RuleSet::Ptr> RuleSet::OfBrand(std::string_view brand) const {
  std::vector<Ptr> out;
  Scan([&](const Ptr& r) {
    if (r->brand == brand && !r->deleted) out.push_back(r);
    return true;
  });
  return out;
}

bool IsMoneyOperation(std::string_view op) {
  return op == "deposit" || op == "withdrawal" || op == "exchange";
}

OperationVerdict WeighOperation(const OperationInputs& in) {
  OperationVerdict v;
  v.required_level = in.policy_level;
  auto refuse = [&](std::string reason) {
    if (v.allowed) v.reason = std::move(reason);
    v.allowed = false;
  };
  if (in.record && in.record->is_blocked) {
    refuse(fmt::format("customer blocked: {}", in.record->block_reason));
  }
  if (!in.account_refusal.empty()) refuse(in.account_refusal);
  if (!in.kyc_allowed) refuse(in.kyc_reason);
  if (!IsMoneyOperation(in.operation)) {
    if (v.allowed) v.reason = in.kyc_reason;
    return v;
  }
  const Projection p{in.amount.value_or(Decimal{}), in.today.all.eur, in.lifetime.all.eur};

  // Tier limits: only with an amount; a level without a tier has no limits.
  if (in.amount) {
    if (const Tier* tier = TierAt(in.tiers, in.level)) {
      if (std::string exceeded = ExceededLimit(*tier, p); !exceeded.empty()) {
        int64_t needed = in.level + 1;
        for (;; ++needed) {
          const Tier* t = TierAt(in.tiers, needed);
          if (!t || ExceededLimit(*t, p).empty()) break;
        }
        v.required_level = std::max(v.required_level, needed);
        refuse(fmt::format("{}: level {} required", exceeded, needed));
      }
    }
  }

  // Compliance rules, in id order.
  for (const ComplianceRule* r : in.rules) {
    if (!RuleApplies(*r, in.operation, in.record)) continue;
    const Decimal projected = r->scope == "transaction" ? p.amount
                              : r->scope == "daily"     ? p.today + p.amount
                                                        : p.lifetime + p.amount;
    // A zero threshold means "any amount"; otherwise the rule fires above it.
    if (!r->threshold_eur.is_zero() && !(projected > r->threshold_eur)) continue;
    std::string why =
        r->threshold_eur.is_zero()
            ? fmt::format("rule '{}'", r->name)
            : fmt::format("rule '{}' ({} EUR {} over {})", r->name,
                          r->scope == "transaction" ? "operation" : r->scope == "daily" ? "daily" : "lifetime",
                          projected.ToGrouped(), r->threshold_eur.ToGrouped());
    if (r->effect == "deny") {
      refuse(fmt::format("{}: {} not allowed", why, in.operation));
    } else if (r->effect == "require_level" && r->level) {
      v.required_level = std::max(v.required_level, *r->level);
      if (in.level < *r->level) {
        refuse(fmt::format("{}: level {} required (customer has level {})", why, *r->level,
                           in.level));
      }
    } else if (r->effect == "require_fields") {
      std::vector<std::string> missing;
      for (const auto& f : r->fields) {
        if (!in.record || !in.record->HasField(f)) missing.push_back(f);
      }
      if (!missing.empty()) {
        for (const auto& f : missing) {
          if (std::find(v.missing_fields.begin(), v.missing_fields.end(), f) ==
              v.missing_fields.end()) {
            v.missing_fields.push_back(f);
          }
        }
        refuse(fmt::format("{}: {} required", why, fmt::join(missing, ", ")));
      }
    }
  }
  if (v.allowed) v.reason = in.kyc_reason;
  return v;
}

}  // namespace kyc
