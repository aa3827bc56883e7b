// A customer's KYC answers as the AML checks read them (issue 14): the canonical AML
// questions, a brand's map from them to its own answer names, the merge of step answers
// and the record's kyc_answers, and the exact parsing of an answer's value.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "money/decimal.h"
#include "protocol/json.h"

namespace kyc {

enum class AmlQuestion : uint8_t {
  kGrossMonthlyIncome,
  kMonthlySavings,
  kCapitalToInvest,
  kInvestmentPerTime,
  kStartingAmount,
  kTotalAssets,
  kAnnualDeposit,
  kAnnualDepositCount,
};
inline constexpr size_t kAmlQuestionCount = 8;

struct AmlQuestionInfo {
  std::string_view name;            // canonical: "gross_monthly_income"
  std::string_view default_answer;  // "KYC_GrossMonthlyIncome"
  std::string_view words;           // in an explanation: "gross monthly income"
};
inline constexpr std::array<AmlQuestionInfo, kAmlQuestionCount> kAmlQuestions{{
  {"gross_monthly_income", "KYC_GrossMonthlyIncome", "gross monthly income"},
  {"monthly_savings", "KYC_MonthlySavings", "monthly savings"},
  {"capital_to_invest", "KYC_CapitalToInvest", "capital to invest"},
  {"investment_per_time", "KYC_InvestmentPerTime", "investment per time"},
  {"starting_amount", "KYC_StartingAmount", "starting amount"},
  {"total_assets", "KYC_TotalAssets", "total assets"},
  {"annual_deposit", "KYC_AnnualDeposit", "yearly deposits"},
  {"annual_deposit_count", "KYC_NumberOfAnnualDeposits", "number of yearly deposits"},
}};
inline const AmlQuestionInfo& Info(AmlQuestion q) { return kAmlQuestions[size_t(q)]; }
std::optional<AmlQuestion> ParseAmlQuestion(std::string_view name);

// A brand's answer name for each canonical question.
struct AmlQuestionMap {
  int64_t id = 0;
  std::string brand;
  std::array<std::string, kAmlQuestionCount> names;  // empty: the default
  int64_t updated_at = 0;

  std::string_view AnswerName(AmlQuestion q) const {
    const std::string& n = names[size_t(q)];
    return n.empty() ? Info(q).default_answer : std::string_view(n);
  }
};
// {"gross_monthly_income": "KYC_GrossMonthlyIncome", …}: all eight, defaults filled in.
void WriteAmlQuestionMap(JsonOut& o, const AmlQuestionMap& m);
std::string AmlQuestionMapJson(const AmlQuestionMap& m);
// Only the names a brand set (what the base stores), and back.
std::string AmlQuestionOverridesJson(const AmlQuestionMap& m);
void ReadAmlQuestionOverrides(std::string_view json, AmlQuestionMap& m);

// Where answers come from: a submitted step's answers (all written at its submitted_at)
// or the record's kyc_answers (each name written at its own time, `times`).
struct AnswerSource {
  std::string_view json;   // a JSON object
  int64_t at = 0;          // when these answers were written
  std::string_view times;  // {"name": unix seconds}: per-name times that override `at`
};

// One answer as given: its name, its value as text (a string's text or a number's
// digits) and when it was written.
struct AmlAnswer {
  std::string name;
  std::string value;
  int64_t at = 0;
};
using AmlAnswers = std::array<std::optional<AmlAnswer>, kAmlQuestionCount>;

// The answers of the mapped questions: for a name given by several sources, the one
// written last wins (a tie goes to the later source: the record's own answers are passed
// last). A value that is neither a string nor a number is kept as its JSON text, so that
// it is reported as unparsable rather than taken as absent.
AmlAnswers GatherAmlAnswers(const AmlQuestionMap& map, const std::vector<AnswerSource>& sources);

// An amount answer: a plain decimal ≥ 0 ("3000", "2500.50", a JSON number), surrounding
// spaces allowed. nullopt when it does not parse (never zero).
std::optional<Decimal> ParseAmountAnswer(std::string_view text);
// A range answer ("10000-50000") reads its upper value; a single amount reads itself;
// "100000+" (open-ended) reads its only bound.
std::optional<Decimal> ParseRangeUpper(std::string_view text);
// A count answer: a whole number ≥ 0.
std::optional<int64_t> ParseCountAnswer(std::string_view text);

// The per-name write times of a record's kyc_answers after a change from `before` to
// `after` (JSON objects): a name whose value changed (or is new) gets `now`, the others
// keep their time (`before_at` when they had none).
std::string StampAnswerTimes(std::string_view before, std::string_view before_times,
                             int64_t before_at, std::string_view after, int64_t now);

}  // namespace kyc
