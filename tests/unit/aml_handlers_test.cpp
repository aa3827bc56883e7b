// The AML Manager through the dispatcher (aml_handlers.cpp, core/aml_txn.h, core/aml_run.h):
// subscriptions, question maps, runs on a fake clock, alerts and cases, dry runs and the
// daily schedule.
#include "core/aml_run.h"
#include "tests/unit/kyc_fixture.h"

namespace kyc {
namespace {

int64_t At(std::string_view day, int64_t hour = 12) { return *ParseDay(day) * 86400 + hour * 3600; }

inline CoreOptions AmlOptions() {
  CoreOptions o = test::TestCoreOptions();
  o.policy.brands["brand_a"]["withdrawal"] = OperationRule{1};
  return o;
}

class AmlTest : public KycTest {
 protected:
  AmlTest() : KycTest(AmlOptions()) { h_.clock().Set(At("2026-09-01")); }

  void Customer(int64_t customer, std::string_view fields = "") {
    Ok("MngAddCustomer", fmt::format(R"({{"customer_id":{},"brand":"brand_a"{}{}}})", customer,
                                     fields.empty() ? "" : ",", fields));
  }
  void Answers(int64_t customer, std::string_view answers) {
    Ok("MngUpdateCustomer", fmt::format(R"({{"customer_id":{},"brand":"brand_a","kyc_answers":{}}})",
                                        customer, answers));
  }
  // Level 1 for `customer`: a level-1 step submitted (with `answers`) and approved.
  void Level1(int64_t customer, std::string_view answers = "{}") {
    if (!template_) {
      AddTemplate("brand_a", "proof_id",
                  R"("level":1,"form_schema":{"sections":[{"fields":[)"
                  R"({"name":"KYC_MonthlySavings","type":"text"},)"
                  R"({"name":"KYC_GrossMonthlyIncome","type":"text"}]}]})");
      template_ = true;
    }
    int64_t step = Require(customer, "brand_a", "proof_id");
    Submit(step, h_.ClientSession(customer, "brand_a"), answers);
    Approve(step);
  }
  void Tx(int64_t customer, std::string_view type, std::string_view eur, std::string_view day) {
    Ok("MngAddTransaction",
       fmt::format(R"({{"customer_id":{},"brand":"brand_a","type":"{}","amount":"{}","currency":"EUR",)"
                   R"("eur_amount":"{}","external_id":"x{}","at":{}}})",
                   customer, type, eur, eur, ++tx_, At(day)));
  }
  void Flag(std::string_view flag, std::string_view params = "{}", std::string_view extra = "") {
    Ok("MngSetAmlFlag",
       fmt::format(R"({{"brand":"brand_a","flag":"{}","enabled":true,"params":{}{}}})", flag,
                   params, extra));
  }
  rapidjson::Document RunOn(std::string_view date) {
    return Ok("MngRunAmlChecks", fmt::format(R"({{"date":"{}"}})", date));
  }
  rapidjson::Document Alerts(std::string_view filter = "{}") {
    return Ok("MngGetAmlAlerts", std::string(filter));
  }

  bool template_ = false;
  int tx_ = 0;
};

}  // namespace

TEST_CASE_FIXTURE(AmlTest, "aml flags: all thirteen listed, a subscription needs its parameters") {
  auto flags = Ok("MngGetAmlFlags", R"({"brand":"brand_a"})");
  REQUIRE(flags["items"].Size() == 13);
  CHECK(Str(flags["items"][0], "flag") == "1.1");
  CHECK(Int(flags["items"][5], "group") == 3);
  CHECK_FALSE(Bool(flags["items"][5], "enabled"));
  CHECK(Str(flags["items"][5], "schedule").find("first day") != std::string::npos);
  CHECK(Err("MngSetAmlFlag", R"({"brand":"brand_a","flag":"3.2","enabled":true})") ==
        Code::kBadRequest);
  Response r = Call("MngSetAmlFlag", R"({"brand":"brand_a","flag":"3.4","enabled":true,"params":{"x":2}})");
  CHECK(r.status.code() == Code::kBadRequest);
  CHECK(r.status.message().find("params.months") != std::string::npos);
  CHECK(Err("MngSetAmlFlag", R"({"brand":"brand_a","flag":"9.9","enabled":true})") == Code::kBadRequest);
  CHECK(Err("MngSetAmlFlag", R"({"brand":"brand_a","flag":"3.2","enabled":true,"params":{"x":1.5}})") ==
        Code::kBadRequest);
  CHECK(Err("MngSetAmlFlag", R"({"brand":"brand_a","flag":"3.2","enabled":true,"params":{"y":"1"}})") ==
        Code::kBadRequest);
  auto set = Ok("MngSetAmlFlag",
                R"({"brand":"brand_a","flag":"3.2","enabled":true,"params":{"x":"50000.00"},"customer_types":["corporate"]})");
  CHECK(Bool(set, "enabled"));
  CHECK(Str(set["params"], "x") == "50000.00");
  CHECK(std::string(set["customer_types"][0].GetString()) == "corporate");
  auto disabled = Ok("MngSetAmlFlag", R"({"brand":"brand_a","flag":"3.2","enabled":false})");
  CHECK_FALSE(Bool(disabled, "enabled"));
  CHECK(Str(disabled["params"], "x") == "50000.00");  // kept for the next enabling
  flags = Ok("MngGetAmlFlags", R"({"brand":"brand_a"})");
  CHECK(Str(flags["items"][6]["params"], "x") == "50000.00");
  CHECK(Err("MngSetAmlFlag", R"({"brand":"brand_a","flag":"3.2","enabled":true})",
            h_.Session(SessionType::kDealer)) == Code::kForbidden);
  CHECK(Audit(R"({"entity":"aml_flag"})")["items"].Size() == 2);
}

TEST_CASE_FIXTURE(AmlTest, "aml question map: defaults, a brand's names, null restores the default") {
  auto m = Ok("MngGetAmlQuestionMap", R"({"brand":"brand_a"})");
  CHECK(Str(m["map"], "capital_to_invest") == "KYC_CapitalToInvest");
  CHECK(Str(m["map"], "annual_deposit_count") == "KYC_NumberOfAnnualDeposits");
  m = Ok("MngSetAmlQuestionMap", R"({"brand":"brand_a","map":{"monthly_savings":"Savings"}})");
  CHECK(Str(m["map"], "monthly_savings") == "Savings");
  CHECK(Str(m["map"], "gross_monthly_income") == "KYC_GrossMonthlyIncome");
  CHECK(Err("MngSetAmlQuestionMap", R"({"brand":"brand_a","map":{"salary":"X"}})") == Code::kBadRequest);
  CHECK(Err("MngSetAmlQuestionMap", R"({"brand":"brand_a","map":{"monthly_savings":"bad name"}})") ==
        Code::kBadRequest);

  // The brand's own name is what the checks read.
  Flag("1.1");
  Customer(kCustA, R"("kyc_answers":{"Savings":"5000","KYC_GrossMonthlyIncome":"3000"})");
  auto run = RunOn("2026-09-02");
  CHECK(Int(run, "alerts_created") == 1);
  m = Ok("MngSetAmlQuestionMap", R"({"brand":"brand_a","map":{"monthly_savings":null}})");
  CHECK(Str(m["map"], "monthly_savings") == "KYC_MonthlySavings");
}

TEST_CASE_FIXTURE(AmlTest, "aml groups 1 and 2: the day after an answer changes, once per update") {
  Flag("1.1");
  Flag("2.1", R"({"x":"4000"})");
  Customer(kCustA);
  Customer(kCustB);
  // Step answers on 2026-09-01.
  Level1(kCustA, R"({"KYC_MonthlySavings":"5000","KYC_GrossMonthlyIncome":"3000"})");
  auto run = RunOn("2026-09-01");  // the changes of 08-31: none
  CHECK(Int(run, "customers_checked") == 0);
  run = RunOn("2026-09-02");
  CHECK(Int(run, "customers_checked") == 1);
  CHECK(Int(run, "alerts_created") == 2);
  auto alerts = Alerts(R"({"flag":"1.1"})");
  REQUIRE(Int(alerts, "total") == 1);
  CHECK(Str(alerts["items"][0], "explanation") ==
        "monthly savings 5,000.00 > gross monthly income 3,000.00 (answers of 2026-09-01)");
  CHECK(Str(alerts["items"][0], "status") == "open");
  CHECK(Str(alerts["items"][0], "period_from") == "2026-09-01");
  CHECK(Str(alerts["items"][0]["evidence"][0]["answers"]["monthly_savings"], "value") == "5000");
  // Running the date again raises nothing; the next day has no change to check.
  run = RunOn("2026-09-02");
  CHECK(Int(run, "alerts_created") == 0);
  CHECK(Int(run, "alerts_updated") == 0);
  CHECK(Int(RunOn("2026-09-03"), "customers_checked") == 0);
  CHECK(Int(Alerts(), "total") == 2);

  // The record's answer, written later, wins over the step's: income 9000 now.
  h_.clock().Set(At("2026-09-10"));
  Answers(kCustA, R"({"KYC_GrossMonthlyIncome":"9000","KYC_MonthlySavings":"4500"})");
  run = RunOn("2026-09-11");
  CHECK(Int(run, "customers_checked") == 1);
  CHECK(Int(run, "alerts_created") == 0);
  CHECK(Int(run, "alerts_updated") == 1);  // 2.1 again (4,500 > 4,000): the open alert grows
  auto alerts21 = Alerts(R"({"flag":"2.1"})");
  const auto& a21 = alerts21["items"][0];
  CHECK(std::string(a21["period_from"].GetString()) == "2026-09-01");
  CHECK(std::string(a21["period_to"].GetString()) == "2026-09-10");
  CHECK(a21["evidence"].Size() == 2);

  // An unparsable answer is listed in `skipped`, never read as zero.
  h_.clock().Set(At("2026-09-20"));
  Answers(kCustB, R"({"KYC_GrossMonthlyIncome":"three thousand","KYC_MonthlySavings":"100"})");
  run = RunOn("2026-09-21");
  REQUIRE(run["skipped"].Size() == 1);
  CHECK(Int(run["skipped"][0], "customer_id") == kCustB);
  CHECK(Str(run["skipped"][0], "flag") == "1.1");
  CHECK(Str(run["skipped"][0], "answer") == "KYC_GrossMonthlyIncome");
  CHECK(Str(run["skipped"][0], "value") == "three thousand");
}

TEST_CASE_FIXTURE(AmlTest, "aml groups 3 and 4: the seed's example against real deposits") {
  Flag("4.1");
  Flag("4.2");
  Flag("3.2", R"({"x":"2000"})");
  Flag("3.3", R"({"x":"2"})");
  Customer(kCustA, R"("kyc_answers":{"KYC_AnnualDeposit":"10000","KYC_NumberOfAnnualDeposits":"6"})");
  Level1(kCustA);
  h_.clock().Set(At("2026-11-15"));
  for (std::string_view d : {"2025-12-01", "2026-01-05", "2026-02-05", "2026-03-05", "2026-05-05",
                             "2026-07-05", "2026-10-05"}) {
    Tx(kCustA, "deposit", "1500", d);
  }
  Tx(kCustA, "deposit", "600", "2026-10-06");
  Tx(kCustA, "withdrawal", "10", "2026-10-07");
  Tx(kCustA, "withdrawal", "10", "2026-10-08");
  Tx(kCustA, "deposit", "99999", "2026-11-02");  // after the period
  CHECK(Int(RunOn("2026-11-02"), "alerts_created") == 0);  // not the first of a month
  auto run = RunOn("2026-11-01");
  CHECK(Int(run, "customers_checked") == 1);
  CHECK(Int(run, "alerts_created") == 4);
  auto alerts41 = Alerts(R"({"flag":"4.1"})");
  const auto& a41 = alerts41["items"][0];
  CHECK(std::string(a41["explanation"].GetString()) ==
        "deposits in 2025-11..2026-10 EUR 11,100.00 > yearly deposits answered 10,000.00");
  CHECK(std::string(a41["period_from"].GetString()) == "2025-11-01");
  CHECK(std::string(a41["period_to"].GetString()) == "2026-10-31");
  auto alerts42 = Alerts(R"({"flag":"4.2"})");
  const auto& a42 = alerts42["items"][0];
  CHECK(std::string(a42["explanation"].GetString()) ==
        "deposits in 2025-11..2026-10: 8 > number of yearly deposits answered 6");
  auto alerts32 = Alerts(R"({"flag":"3.2"})");
  const auto& a32 = alerts32["items"][0];
  CHECK(std::string(a32["explanation"].GetString()) == "deposits in 2026-10 EUR 2,100.00 > X 2,000.00");
  CHECK(a32["evidence"][0]["transaction_ids"].Size() == 2);
  auto alerts33 = Alerts(R"({"flag":"3.3"})");
  CHECK(std::string(alerts33["items"][0]["explanation"].GetString()) ==
        "withdrawals in 2026-10: 2 ≥ X 2");
  // Repeated: nothing new.
  run = RunOn("2026-11-01");
  CHECK(Int(run, "alerts_created") == 0);
  CHECK(Int(run, "alerts_updated") == 0);
  CHECK(Int(Alerts(), "total") == 4);
  // A brand filter with no subscription checks nobody.
  CHECK(Int(Ok("MngRunAmlChecks", R"({"date":"2026-11-01","brand":"brand_b"})"), "customers_checked") == 0);
}

TEST_CASE_FIXTURE(AmlTest, "aml 3.5 in real time: raised by the deposit, not again by the month") {
  Flag("3.5", R"({"x":"10000"})", R"(,"realtime":true)");
  Customer(kCustA);
  Level1(kCustA);
  h_.clock().Set(At("2026-10-20"));
  Tx(kCustA, "deposit", "10000", "2026-10-20");
  CHECK(Int(Alerts(), "total") == 0);  // equal to X
  Tx(kCustA, "deposit", "10000.01", "2026-10-20");
  auto alerts = Alerts();
  REQUIRE(Int(alerts, "total") == 1);
  CHECK(Str(alerts["items"][0], "explanation") == "a deposit above X 10,000.00: EUR 10,000.01 on 2026-10-20");
  h_.clock().Set(At("2026-11-01"));
  auto run = RunOn("2026-11-01");
  CHECK(Int(run, "alerts_created") == 0);
  CHECK(Int(run, "alerts_updated") == 0);
}

TEST_CASE_FIXTURE(AmlTest, "aml 3.6 in real time: a politically exposed customer's deposit, each once") {
  Flag("3.6", "{}", R"(,"realtime":true)");
  Customer(kCustA, R"("is_pep":true)");
  Customer(kCustB);
  Level1(kCustA);
  Level1(kCustB);
  h_.clock().Set(At("2026-10-20"));
  Tx(kCustB, "deposit", "50000", "2026-10-20");  // not politically exposed
  CHECK(Int(Alerts(), "total") == 0);
  Tx(kCustA, "withdrawal", "10", "2026-10-20");  // not a deposit
  CHECK(Int(Alerts(), "total") == 0);
  Tx(kCustA, "deposit", "10", "2026-10-20");
  h_.clock().Set(At("2026-10-21"));
  Tx(kCustA, "deposit", "20", "2026-10-21");
  auto alerts = Alerts();
  REQUIRE(Int(alerts, "total") == 1);  // the second deposit joined the open alert
  CHECK(Int(alerts["items"][0], "hits") == 2);
  CHECK(Str(alerts["items"][0], "period_to") == "2026-10-21");
  h_.clock().Set(At("2026-11-01"));
  auto run = RunOn("2026-11-01");
  CHECK(Int(run, "alerts_created") == 0);
  CHECK(Int(run, "alerts_updated") == 0);
}

TEST_CASE_FIXTURE(AmlTest, "aml alerts: assign, resolve, escalation raises the risk level, dealers read only") {
  Flag("2.2", R"({"x":"100"})");
  Customer(kCustA, R"("kyc_answers":{"KYC_StartingAmount":"500"})");
  Customer(kCustB, R"("kyc_answers":{"KYC_StartingAmount":"700"})");
  RunOn("2026-09-02");
  auto alerts = Alerts();
  REQUIRE(Int(alerts, "total") == 2);
  const int64_t id_b = Int(alerts["items"][0], "id");  // newest first
  const int64_t id_a = Int(alerts["items"][1], "id");
  auto dealer = h_.Session(SessionType::kDealer);
  // A dealer's default role (support) does not see AML alerts (issue 15: no tipping off).
  CHECK(Err("MngGetAmlAlerts", "{}", dealer) == Code::kForbidden);
  CHECK(Err("MngGetAmlAlert", fmt::format(R"({{"id":{}}})", id_a), dealer) == Code::kForbidden);
  CHECK(Err("MngResolveAmlAlert",
            fmt::format(R"({{"id":{},"resolution":"false_positive","reason":"r"}})", id_a), dealer) ==
        Code::kForbidden);
  CHECK(Err("MngAssignAmlAlert", fmt::format(R"({{"id":{},"manager_id":9999}})", id_a)) ==
        Code::kBadRequest);
  auto a = Ok("MngAssignAmlAlert", fmt::format(R"({{"id":{},"manager_id":{}}})", id_a, manager_id_));
  CHECK(Str(a, "status") == "assigned");
  CHECK(Int(a, "assigned_to") == manager_id_);
  CHECK(Err("MngResolveAmlAlert", fmt::format(R"({{"id":{},"resolution":"maybe","reason":"r"}})", id_a)) ==
        Code::kBadRequest);
  CHECK(Err("MngResolveAmlAlert", fmt::format(R"({{"id":{},"resolution":"escalated"}})", id_a)) ==
        Code::kBadRequest);
  a = Ok("MngResolveAmlAlert",
         fmt::format(R"({{"id":{},"resolution":"escalated","reason":"source of funds unclear"}})", id_a));
  CHECK(Str(a, "status") == "closed");
  CHECK(Str(a, "resolution") == "escalated");
  CHECK(Int(Profile(kCustA), "risk_level") == int64_t(RiskLevel::kHigh));
  auto risk = Audit(fmt::format(R"({{"customer_id":{},"action":"profile.risk_level"}})", kCustA));
  REQUIRE(risk["items"].Size() == 1);
  CHECK(Str(risk["items"][0], "actor_type") == "system");
  CHECK(Str(risk["items"][0], "reason").find(fmt::format("AML alert {}", id_a)) == 0);
  CHECK(Err("MngResolveAmlAlert",
            fmt::format(R"({{"id":{},"resolution":"reported","reason":"again"}})", id_a)) ==
        Code::kConflict);
  Ok("MngResolveAmlAlert",
     fmt::format(R"({{"id":{},"resolution":"false_positive","reason":"inheritance"}})", id_b));
  CHECK(Err("MngGetKycProfile", fmt::format(R"({{"customer_id":{},"brand":"brand_a"}})", kCustB)) ==
        Code::kNotFound);  // no risk raised, no profile made
  CHECK(Int(Alerts(R"({"status":"closed"})"), "total") == 2);
  CHECK(Audit(R"({"entity":"aml_alert"})")["items"].Size() == 5);  // 2 opened, assigned, 2 resolved
  // A closed alert does not take later hits: a new one opens.
  h_.clock().Set(At("2026-09-05"));
  Answers(kCustA, R"({"KYC_StartingAmount":"800"})");
  CHECK(Int(RunOn("2026-09-06"), "alerts_created") == 1);
}

TEST_CASE_FIXTURE(AmlTest, "aml dry run: hits with explanations, nothing stored") {
  Customer(kCustA, R"("kyc_answers":{"KYC_MonthlySavings":"500"})");
  Customer(kCustB, R"("kyc_answers":{"KYC_MonthlySavings":"1500"})");
  const size_t audit = AuditCount();
  auto r = Ok("MngTestAmlFlag",
              R"({"brand":"brand_a","flag":"2.1","params":{"x":"1000"},"date":"2026-09-02"})");
  CHECK(Int(r, "customers_checked") == 2);
  REQUIRE(r["hits"].Size() == 1);
  CHECK(Int(r["hits"][0], "customer_id") == kCustB);
  CHECK(Str(r["hits"][0], "explanation") == "monthly savings 1,500.00 > X 1,000.00 (answers of 2026-09-01)");
  r = Ok("MngTestAmlFlag",
         R"({"brand":"brand_a","flag":"2.1","params":{"x":"400"},"date":"2026-09-02"})");
  CHECK(r["hits"].Size() == 2);
  CHECK(Err("MngTestAmlFlag", R"({"brand":"brand_a","flag":"2.1","date":"2026-09-02"})") ==
        Code::kBadRequest);
  CHECK(Err("MngTestAmlFlag", R"({"brand":"brand_a","flag":"2.1","params":{"x":"1"},"date":"02.09.2026"})") ==
        Code::kBadRequest);
  CHECK(Int(Alerts(), "total") == 0);
  CHECK(AuditCount() == audit);
}

TEST_CASE_FIXTURE(AmlTest, "aml schedule: the day's run after run_at, missed days caught up, never twice") {
  Flag("2.1", R"({"x":"10"})");
  h_.clock().Set(At("2026-10-31", 9));
  Customer(kCustA, R"("kyc_answers":{"KYC_MonthlySavings":"500"})");
  const int64_t run_at = 2 * 3600;
  h_.clock().Set(At("2026-11-01", 1));  // before 02:00: yesterday is the latest due
  auto dates = RunDueAmlChecks(h_.core(), run_at);
  REQUIRE(dates.ok());
  CHECK(*dates == std::vector<int64_t>{*ParseDay("2026-10-31")});
  CHECK(Int(Alerts(), "total") == 0);  // the changes of 10-30: none
  CHECK(RunDueAmlChecks(h_.core(), run_at)->empty());
  h_.clock().Set(At("2026-11-01", 2));
  dates = RunDueAmlChecks(h_.core(), run_at);
  CHECK(*dates == std::vector<int64_t>{*ParseDay("2026-11-01")});
  CHECK(Int(Alerts(), "total") == 1);  // the answers of 10-31
  h_.clock().Set(At("2026-11-04", 3));
  dates = RunDueAmlChecks(h_.core(), run_at);
  CHECK(dates->size() == 3);  // 11-02, 11-03, 11-04
  CHECK(RunDueAmlChecks(h_.core(), run_at)->empty());
  CHECK(Int(Alerts(), "total") == 1);
}

}  // namespace kyc
