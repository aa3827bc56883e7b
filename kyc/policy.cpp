#include "kyc/policy.h"

#include <fmt/format.h>

#include <set>

namespace kyc {

bool IsOperation(std::string_view op) {
  return op == "open_real_account" || op == "deposit" || op == "withdrawal" || op == "exchange" ||
         op == "trade" || op == "client_area" || op == "upload_documents" ||
         op == "open_position" || op == "close_position";
}

const OperationRule& KycPolicy::Rule(std::string_view brand, std::string_view operation) const {
  if (auto b = brands.find(brand); b != brands.end()) {
    if (auto r = b->second.find(operation); r != b->second.end()) return r->second;
  }
  static const OperationRule kFallback;
  auto d = defaults.find(operation);
  return d == defaults.end() ? kFallback : d->second;
}

CheckResult CheckOperation(const OperationRule& rule, std::string_view operation,
                           int64_t customer_id, std::string_view brand, const Profile* profile,
                           const std::vector<std::shared_ptr<const Step>>& steps) {
  CheckResult r;
  // The client area, uploading documents and closing a position need no KYC when the
  // policy asks for level 0 (a customer with an expired document must still send a new
  // one); any other operation is weighed in full.
  const bool onboarding = operation == "client_area" || operation == "upload_documents" ||
                          operation == "close_position";
  if (onboarding && rule.min_level <= 0) {
    r.allowed = true;
    r.level = profile ? profile->level : 0;
    r.status = profile ? profile->status : ProfileStatus::kNone;
    r.reason = fmt::format("{} needs no KYC level", operation);
    return r;
  }
  if (!profile) {
    r.reason = fmt::format("{} needs KYC level {}: customer {} of brand '{}' has no KYC profile",
                           operation, rule.min_level, customer_id, brand);
    return r;
  }
  r.level = profile->level;
  r.status = profile->status;
  if (profile->risk_level == RiskLevel::kProhibited) {
    r.reason = fmt::format("{} is blocked: risk level prohibited", operation);
    return r;
  }
  if (profile->status == ProfileStatus::kRejected || profile->status == ProfileStatus::kExpired) {
    r.reason = fmt::format("{} is blocked: KYC {}", operation, Name(profile->status));
    return r;
  }
  if (profile->level < rule.min_level) {
    // Name what stands between the customer and the level the operation needs.
    std::set<std::string> active_codes;
    for (const auto& s : steps) {
      if (IsActive(s->status)) active_codes.insert(s->code);
    }
    std::string missing;
    for (const auto& s : steps) {
      if (s->level > rule.min_level || s->status == StepStatus::kApproved ||
          s->status == StepStatus::kSkipped ||
          (!IsActive(s->status) && active_codes.count(s->code))) {
        continue;
      }
      if (!missing.empty()) missing += ", ";
      missing += fmt::format("{} {}", s->code, Name(s->status));
    }
    if (missing.empty()) missing = fmt::format("no level-{} step attached", rule.min_level);
    r.reason = fmt::format("KYC level {} of {}: {}", profile->level, rule.min_level, missing);
    return r;
  }
  r.allowed = true;
  r.reason = fmt::format("KYC level {} of {}: {} allowed", profile->level, rule.min_level,
                         operation);
  return r;
}

}  // namespace kyc
