// KYC tiers (seed 003: each level's limits and max_loan) and per-brand compliance rules
// (seed 000: required_fields, lifetime_client), and the pure weighing of an operation
// against them that MngCheckKycOperation and MngAddTransaction share.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "customers/record.h"
#include "customers/transactions.h"
#include "money/decimal.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

struct Tier {
  int64_t id = 0;
  std::string brand;
  int64_t level = 1;
  std::string name;
  std::optional<Decimal> max_single_eur, max_daily_eur, max_lifetime_eur, max_loan;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
void WriteTier(JsonOut& o, const Tier& t);
std::string TierJson(const Tier& t);

class TierSet : public StagedTable<Tier> {
 public:
  std::vector<Ptr> OfBrand(std::string_view brand) const;        // any thread, by level
  std::vector<Ptr> StagedOfBrand(std::string_view brand) const;  // writer strand, by level
};

inline constexpr std::array<std::string_view, 4> kRuleOperations{"deposit", "withdrawal",
                                                                 "exchange", "any"};
inline constexpr std::array<std::string_view, 3> kRuleScopes{"transaction", "daily",
                                                             "lifetime_client"};
inline constexpr std::array<std::string_view, 3> kRuleEffects{"require_fields", "require_level",
                                                              "deny"};

struct ComplianceRule {
  int64_t id = 0;
  std::string brand;
  std::string name;
  std::string operation;  // kRuleOperations
  std::string scope;      // kRuleScopes
  Decimal threshold_eur;
  // `when`: every condition given must hold.
  std::optional<bool> when_is_pep;
  std::optional<Decimal> when_min_risk_score_ai;
  std::vector<std::string> when_types;  // client types
  std::string effect;                   // kRuleEffects
  std::vector<std::string> fields;      // require_fields
  std::optional<int64_t> level;         // require_level
  bool deleted = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
void WriteRule(JsonOut& o, const ComplianceRule& r);
std::string RuleJson(const ComplianceRule& r);

class RuleSet : public StagedTable<ComplianceRule> {
 public:
  std::vector<Ptr> OfBrand(std::string_view brand) const;  // any thread, live rules by id
};

// The money operations of a transaction; tier limits and rules weigh these.
bool IsMoneyOperation(std::string_view operation);

// Everything an operation is weighed on, read at one moment by the caller.
struct OperationInputs {
  std::string_view operation;
  const ClientRecord* record = nullptr;  // null: no client record
  // The account status's refusal (issue 15), or empty when its status permits the
  // operation: "account restricted (fraud review): withdrawal not allowed".
  std::string account_refusal;
  bool kyc_allowed = false;              // profile status and level, as the policy says
  std::string kyc_reason;
  int64_t level = 0;                     // the profile's level
  int64_t policy_level = 0;              // the level the policy asks for this operation
  std::optional<Decimal> amount;         // EUR
  Totals lifetime, today;
  std::vector<const Tier*> tiers;                  // the brand's, by level
  std::vector<const ComplianceRule*> rules;        // the brand's live rules, by id
};

struct OperationVerdict {
  bool allowed = true;
  std::string reason;  // the first refusal, worded for a counter operator to read aloud
  int64_t required_level = 0;
  std::vector<std::string> missing_fields;
};

// In this order: blocking, account status, KYC status and level, tier limits, compliance
// rules. The
// first refusal gives the reason; the required level and missing fields gather from all.
OperationVerdict WeighOperation(const OperationInputs& in);

}  // namespace kyc
