// The AML flags on their boundaries (aml/evaluate.h): equal to X, one cent above, a
// missing answer, an unparsable one, a range; the answers' merge; the schedule's dates.
#include <doctest/doctest.h>

#include "aml/answers.h"
#include "aml/evaluate.h"
#include "customers/transactions.h"

namespace kyc {
namespace {

int64_t Day(std::string_view text) { return *ParseDay(text); }

AmlSubscription Sub(std::string_view flag, std::string_view x = "", std::string_view percent = "",
                    std::optional<int64_t> months = std::nullopt) {
  AmlSubscription s;
  s.flag = std::string(flag);
  s.enabled = true;
  if (!x.empty()) s.x = Decimal::Parse(x);
  if (!percent.empty()) s.percent = Decimal::Parse(percent);
  s.months = months;
  return s;
}

AmlCustomer MakeCustomer() {
  AmlCustomer c;
  c.customer_id = 7;
  c.brand = "b";
  return c;
}

// An answer written on 2026-11-01, the day before the runs of groups 1 and 2 below.
void Answer(AmlCustomer& c, AmlQuestion q, std::string_view value,
            std::string_view written = "2026-11-01") {
  c.answers[size_t(q)] =
      AmlAnswer{std::string(Info(q).default_answer), std::string(value), Day(written) * 86400 + 3600};
}

void AddDeposit(AmlCustomer& c, std::string_view day, std::string_view eur,
             TxType type = TxType::kDeposit) {
  c.txs.push_back({int64_t(c.txs.size() + 1), Day(day), type, *Decimal::Parse(eur)});
}

struct Outcome {
  std::vector<AmlHit> hits;
  std::vector<AmlSkip> skips;
  bool hit() const { return !hits.empty(); }
};

// Runs `flag` as on `date` (its own period).
Outcome Run(std::string_view flag, const AmlSubscription& s, const AmlCustomer& c,
            std::string_view date, AmlSeen seen = nullptr) {
  Outcome o;
  const AmlFlagInfo& f = *FindAmlFlag(flag);
  EvaluateAmlFlag(f, s, c, AmlPeriodOf(f, s, Day(date)), seen, o.hits, o.skips);
  return o;
}

}  // namespace

TEST_CASE("aml: the thirteen flags, their groups and parameters") {
  CHECK(kAmlFlags.size() == 13);
  CHECK(FindAmlFlag("1.3")->params == kParamPercent);
  CHECK(FindAmlFlag("3.4")->params == (kParamX | kParamMonths));
  CHECK(FindAmlFlag("3.6")->group == 3);
  CHECK(FindAmlFlag("4.2")->group == 4);
  CHECK(FindAmlFlag("5.1") == nullptr);
  AmlSubscription s = Sub("3.2");
  CHECK(CheckAmlSubscription(*FindAmlFlag("3.2"), s).code() == Code::kBadRequest);  // no x
  s.enabled = false;
  CHECK(CheckAmlSubscription(*FindAmlFlag("3.2"), s).ok());  // disabled: no x needed
  CHECK(CheckAmlSubscription(*FindAmlFlag("3.4"), Sub("3.4", "2")).code() == Code::kBadRequest);
  CHECK(CheckAmlSubscription(*FindAmlFlag("3.4"), Sub("3.4", "2", "", 3)).ok());
  CHECK(CheckAmlSubscription(*FindAmlFlag("3.3"), Sub("3.3", "2.5")).code() == Code::kBadRequest);
  CHECK(CheckAmlSubscription(*FindAmlFlag("1.1"), Sub("1.1", "5")).code() == Code::kBadRequest);
  AmlSubscription rt = Sub("3.2", "5");
  rt.realtime = true;
  CHECK(CheckAmlSubscription(*FindAmlFlag("3.2"), rt).code() == Code::kBadRequest);
  rt.flag = "3.5";
  CHECK(CheckAmlSubscription(*FindAmlFlag("3.5"), rt).ok());
}

TEST_CASE("aml: answer values parse exactly, never as zero") {
  CHECK(ParseAmountAnswer("3000") == Decimal::FromInt(3000));
  CHECK(ParseAmountAnswer(" 2500.50 ") == Decimal::Parse("2500.50"));
  CHECK_FALSE(ParseAmountAnswer("3,000"));
  CHECK_FALSE(ParseAmountAnswer("about 3000"));
  CHECK_FALSE(ParseAmountAnswer("-5"));
  CHECK_FALSE(ParseAmountAnswer(""));
  CHECK_FALSE(ParseAmountAnswer("1e5"));
  CHECK(ParseRangeUpper("10000-50000") == Decimal::FromInt(50000));
  CHECK(ParseRangeUpper("10000 - 50000") == Decimal::FromInt(50000));
  CHECK(ParseRangeUpper("50000") == Decimal::FromInt(50000));
  CHECK(ParseRangeUpper("100000+") == Decimal::FromInt(100000));
  CHECK_FALSE(ParseRangeUpper("50000-10000"));
  CHECK_FALSE(ParseRangeUpper("10000-"));
  CHECK(ParseCountAnswer("6") == 6);
  CHECK_FALSE(ParseCountAnswer("6.5"));
  CHECK_FALSE(ParseCountAnswer("six"));
}

TEST_CASE("aml: answers merge, the newest write of a name wins") {
  AmlQuestionMap map;
  map.names[size_t(AmlQuestion::kMonthlySavings)] = "Savings";
  std::vector<AnswerSource> sources{
      {R"({"Savings":"100","KYC_GrossMonthlyIncome":"900"})", 50, {}},  // step, older
      {R"({"Savings":200})", 80, {}},                                     // step, newer; a number
      {R"({"Savings":"150","KYC_GrossMonthlyIncome":"1000"})", 60,
       R"({"Savings":"60","KYC_GrossMonthlyIncome":"90"})"},  // record, per-name times
  };
  AmlAnswers a = GatherAmlAnswers(map, sources);
  REQUIRE(a[size_t(AmlQuestion::kMonthlySavings)]);
  CHECK(a[size_t(AmlQuestion::kMonthlySavings)]->value == "200");
  CHECK(a[size_t(AmlQuestion::kMonthlySavings)]->name == "Savings");
  CHECK(a[size_t(AmlQuestion::kGrossMonthlyIncome)]->value == "1000");
  CHECK_FALSE(a[size_t(AmlQuestion::kTotalAssets)]);
  // A record's answer keeps its time until its value changes.
  std::string times = StampAnswerTimes(R"({"A":"1","B":"2"})", R"({"A":"10"})", 20,
                                       R"({"A":"1","B":"3","C":"4"})", 99);
  CHECK(times == R"({"A":"10","B":"99","C":"99"})");
}

TEST_CASE("aml 1.1: monthly savings above gross monthly income") {
  AmlCustomer c = MakeCustomer();
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "3000");
  Answer(c, AmlQuestion::kMonthlySavings, "3000");
  CHECK_FALSE(Run("1.1", Sub("1.1"), c, "2026-11-02").hit());  // equal
  Answer(c, AmlQuestion::kMonthlySavings, "3000.01");
  Outcome o = Run("1.1", Sub("1.1"), c, "2026-11-02");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation ==
        "monthly savings 3,000.01 > gross monthly income 3,000.00 (answers of 2026-11-01)");
  CHECK(o.hits[0].keys == std::vector<std::string>{"answers:2026-11-01"});
  CHECK(o.hits[0].period.from == Day("2026-11-01"));
  c.answers[size_t(AmlQuestion::kGrossMonthlyIncome)].reset();  // missing: not checked
  o = Run("1.1", Sub("1.1"), c, "2026-11-02");
  CHECK_FALSE(o.hit());
  CHECK(o.skips.empty());
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "lots");  // unparsable: skipped, named
  o = Run("1.1", Sub("1.1"), c, "2026-11-02");
  CHECK_FALSE(o.hit());
  REQUIRE(o.skips.size() == 1);
  CHECK(o.skips[0].answer == "KYC_GrossMonthlyIncome");
  CHECK(o.skips[0].value == "lots");
  CHECK(o.skips[0].flag == "1.1");
}

TEST_CASE("aml groups 1 and 2: only a flag whose inputs changed the day before") {
  AmlCustomer c = MakeCustomer();
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "3000", "2026-10-20");
  Answer(c, AmlQuestion::kMonthlySavings, "4000", "2026-10-20");
  CHECK_FALSE(Run("1.1", Sub("1.1"), c, "2026-11-02").hit());  // written long before
  CHECK(Run("1.1", Sub("1.1"), c, "2026-10-21").hit());        // the day after
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "3500");         // one input changed on 11-01
  CHECK(Run("1.1", Sub("1.1"), c, "2026-11-02").hit());
  // A repeat of the same day is dropped by its key.
  AmlSeen seen = [](std::string_view key) { return key == "answers:2026-11-01"; };
  CHECK_FALSE(Run("1.1", Sub("1.1"), c, "2026-11-02", seen).hit());
}

TEST_CASE("aml 1.2: upper capital to invest below 12 times monthly savings") {
  AmlCustomer c = MakeCustomer();
  Answer(c, AmlQuestion::kMonthlySavings, "1000");
  Answer(c, AmlQuestion::kCapitalToInvest, "5000-12000");
  CHECK_FALSE(Run("1.2", Sub("1.2"), c, "2026-11-02").hit());  // 12,000 = 12 × 1,000
  Answer(c, AmlQuestion::kCapitalToInvest, "5000-11999.99");
  Outcome o = Run("1.2", Sub("1.2"), c, "2026-11-02");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation.find("12 × monthly savings 1,000.00 = 12,000.00 > upper capital to "
                                   "invest 11,999.99") == 0);
  Answer(c, AmlQuestion::kCapitalToInvest, "12000-5000");
  o = Run("1.2", Sub("1.2"), c, "2026-11-02");
  CHECK_FALSE(o.hit());
  CHECK(o.skips.size() == 1);
}

TEST_CASE("aml 1.3: starting amount above X % of total assets") {
  AmlCustomer c = MakeCustomer();
  Answer(c, AmlQuestion::kTotalAssets, "100000");
  Answer(c, AmlQuestion::kStartingAmount, "25000");
  CHECK_FALSE(Run("1.3", Sub("1.3", "", "25"), c, "2026-11-02").hit());
  Answer(c, AmlQuestion::kStartingAmount, "25000.01");
  Outcome o = Run("1.3", Sub("1.3", "", "25"), c, "2026-11-02");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation.find("starting amount 25,000.01 > 25 % of total assets 100,000.00 = "
                                   "25,000.00") == 0);
  CHECK_FALSE(Run("1.3", Sub("1.3", "", "25.5"), c, "2026-11-02").hit());
}

TEST_CASE("aml 2.1 and 2.2: an answer above X") {
  AmlCustomer c = MakeCustomer();
  Answer(c, AmlQuestion::kMonthlySavings, "10000");
  Answer(c, AmlQuestion::kStartingAmount, "50000.01");
  CHECK_FALSE(Run("2.1", Sub("2.1", "10000"), c, "2026-11-02").hit());
  CHECK(Run("2.1", Sub("2.1", "9999.99"), c, "2026-11-02").hit());
  Outcome o = Run("2.2", Sub("2.2", "50000"), c, "2026-11-02");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation == "starting amount 50,000.01 > X 50,000.00 (answers of 2026-11-01)");
}

TEST_CASE("aml 3.1: deposits of the month above X or 6 times gross monthly income") {
  AmlCustomer c = MakeCustomer();
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "3000");
  AddDeposit(c, "2026-10-01", "30000");
  AddDeposit(c, "2026-10-31", "32000");
  AddDeposit(c, "2026-11-01", "99999");   // another month
  AddDeposit(c, "2026-10-15", "5000", TxType::kWithdrawal);
  Outcome o = Run("3.1", Sub("3.1", "50000"), c, "2026-11-01");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation ==
        "deposits in 2026-10 EUR 62,000.00 > max(X 50,000.00, 6 × gross monthly income 3,000.00 "
        "= 18,000.00)");
  CHECK(o.hits[0].keys == std::vector<std::string>{"month:2026-10"});
  CHECK(o.hits[0].evidence.find(R"("deposits_eur":"62000.00")") != std::string::npos);
  CHECK_FALSE(Run("3.1", Sub("3.1", "62000"), c, "2026-11-01").hit());  // equal to X
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "10333.33");  // 6 × = 61,999.98
  CHECK(Run("3.1", Sub("3.1", "1000"), c, "2026-11-01").hit());
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "10333.34");  // 6 × = 62,000.04
  CHECK_FALSE(Run("3.1", Sub("3.1", "1000"), c, "2026-11-01").hit());
  c.answers[size_t(AmlQuestion::kGrossMonthlyIncome)].reset();  // missing: X alone
  o = Run("3.1", Sub("3.1", "61999.99"), c, "2026-11-01");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation.find("no gross monthly income answered") != std::string::npos);
  Answer(c, AmlQuestion::kGrossMonthlyIncome, "n/a");  // unparsable: skipped
  o = Run("3.1", Sub("3.1", "1"), c, "2026-11-01");
  CHECK_FALSE(o.hit());
  CHECK(o.skips.size() == 1);
}

TEST_CASE("aml 3.2, 3.3, 3.5: month sums, withdrawal counts, single deposits") {
  AmlCustomer c = MakeCustomer();
  AddDeposit(c, "2024-02-29", "100.00");
  AddDeposit(c, "2024-02-01", "0.01");
  AddDeposit(c, "2024-02-10", "7", TxType::kWithdrawal);
  AddDeposit(c, "2024-02-11", "7", TxType::kWithdrawal);
  CHECK(Run("3.2", Sub("3.2", "100"), c, "2024-03-01").hit());          // leap February
  CHECK_FALSE(Run("3.2", Sub("3.2", "100.01"), c, "2024-03-01").hit());
  CHECK(Run("3.3", Sub("3.3", "2"), c, "2024-03-01").hit());            // at least X
  CHECK_FALSE(Run("3.3", Sub("3.3", "3"), c, "2024-03-01").hit());
  Outcome o = Run("3.5", Sub("3.5", "99.99"), c, "2024-03-01");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation == "a deposit above X 99.99: EUR 100.00 on 2024-02-29");
  CHECK(o.hits[0].keys == std::vector<std::string>{"tx:1"});
  CHECK_FALSE(Run("3.5", Sub("3.5", "100"), c, "2024-03-01").hit());
  // A deposit already raised (in real time) is not raised again.
  AmlSeen seen = [](std::string_view key) { return key == "tx:1"; };
  CHECK_FALSE(Run("3.5", Sub("3.5", "99.99"), c, "2024-03-01", seen).hit());
}

TEST_CASE("aml 3.4: at least X withdrawals in each of the last months") {
  AmlCustomer c = MakeCustomer();
  for (std::string_view d : {"2026-08-03", "2026-08-04", "2026-09-30", "2026-09-01", "2026-10-31",
                             "2026-10-01"}) {
    AddDeposit(c, d, "10", TxType::kWithdrawal);
  }
  Outcome o = Run("3.4", Sub("3.4", "2", "", 3), c, "2026-11-01");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation == "withdrawals in each of 2026-08, 2026-09, 2026-10: 2, 2, 2 ≥ X 2");
  CHECK_FALSE(Run("3.4", Sub("3.4", "2", "", 4), c, "2026-11-01").hit());  // July had none
  CHECK_FALSE(Run("3.4", Sub("3.4", "3", "", 3), c, "2026-11-01").hit());
}

TEST_CASE("aml 3.6: a deposit by a politically exposed customer") {
  AmlCustomer c = MakeCustomer();
  AddDeposit(c, "2026-10-05", "1");
  CHECK_FALSE(Run("3.6", Sub("3.6"), c, "2026-11-01").hit());
  c.is_pep = true;
  Outcome o = Run("3.6", Sub("3.6"), c, "2026-11-01");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation.find("politically exposed") != std::string::npos);
}

TEST_CASE("aml 4.1 and 4.2: the seed's example, yearly answers against twelve months") {
  AmlCustomer c = MakeCustomer();
  Answer(c, AmlQuestion::kAnnualDeposit, "10000");
  Answer(c, AmlQuestion::kAnnualDepositCount, "6");
  // Twelve months before 2026-11-01: 2025-11-01 .. 2026-10-31.
  AddDeposit(c, "2025-10-31", "50000");  // before the window
  for (std::string_view d : {"2025-11-01", "2026-01-10", "2026-03-10", "2026-05-10", "2026-07-10",
                             "2026-10-31"}) {
    AddDeposit(c, d, "1666.66");
  }
  Outcome o = Run("4.1", Sub("4.1"), c, "2026-11-01");
  CHECK_FALSE(o.hit());  // 9,999.96 < 10,000
  CHECK_FALSE(Run("4.2", Sub("4.2"), c, "2026-11-01").hit());  // 6 deposits, not more than 6
  AddDeposit(c, "2026-08-01", "0.05");
  o = Run("4.1", Sub("4.1"), c, "2026-11-01");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation ==
        "deposits in 2025-11..2026-10 EUR 10,000.01 > yearly deposits answered 10,000.00");
  o = Run("4.2", Sub("4.2"), c, "2026-11-01");
  REQUIRE(o.hit());
  CHECK(o.hits[0].explanation ==
        "deposits in 2025-11..2026-10: 7 > number of yearly deposits answered 6");
  Answer(c, AmlQuestion::kAnnualDepositCount, "6.5");
  o = Run("4.2", Sub("4.2"), c, "2026-11-01");
  CHECK_FALSE(o.hit());
  CHECK(o.skips.size() == 1);
}

TEST_CASE("aml schedule: month ends, leap years, what is due") {
  CHECK(MonthStart(Day("2024-02-29")) == Day("2024-02-01"));
  CHECK(AddMonths(Day("2024-01-01"), 1) - 1 == Day("2024-01-31"));
  CHECK(AddMonths(Day("2024-02-01"), 1) - 1 == Day("2024-02-29"));
  CHECK(AddMonths(Day("2023-02-01"), 1) - 1 == Day("2023-02-28"));
  CHECK(AddMonths(Day("2026-01-01"), -1) == Day("2025-12-01"));
  CHECK(AddMonths(Day("2026-01-01"), -13) == Day("2024-12-01"));
  CHECK(AddMonths(Day("2026-11-01"), 2) == Day("2027-01-01"));
  CHECK(IsFirstOfMonth(Day("2026-11-01")));
  CHECK_FALSE(IsFirstOfMonth(Day("2026-11-02")));
  CHECK(IsAmlDue(1, Day("2026-11-17")));
  CHECK(IsAmlDue(2, Day("2026-11-17")));
  CHECK_FALSE(IsAmlDue(3, Day("2026-11-17")));
  CHECK(IsAmlDue(4, Day("2026-11-01")));
  const AmlFlagInfo& g3 = *FindAmlFlag("3.2");
  AmlPeriod p = AmlPeriodOf(g3, Sub("3.2", "1"), Day("2024-03-01"));
  CHECK(p.from == Day("2024-02-01"));
  CHECK(p.to == Day("2024-02-29"));
  p = AmlPeriodOf(g3, Sub("3.2", "1"), Day("2026-01-01"));
  CHECK(p.from == Day("2025-12-01"));
  CHECK(p.to == Day("2025-12-31"));
  p = AmlPeriodOf(*FindAmlFlag("4.1"), Sub("4.1"), Day("2024-03-01"));
  CHECK(p.from == Day("2023-03-01"));
  CHECK(p.to == Day("2024-02-29"));
  p = AmlPeriodOf(*FindAmlFlag("1.1"), Sub("1.1"), Day("2024-03-01"));
  CHECK(p.from == Day("2024-02-29"));
  CHECK(p.to == Day("2024-02-29"));
}

}  // namespace kyc
