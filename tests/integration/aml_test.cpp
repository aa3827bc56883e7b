// The AML Manager over the wire (issue 14): the seed's example (KYC_AnnualDeposit 10000,
// KYC_NumberOfAnnualDeposits 6 against real deposits) through TCP and through REST, a run
// repeated, alerts assigned and resolved, dealers refused, a dry run, bad input refused.
#include <chrono>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "customers/transactions.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

// The customer of the seed's example on `brand`, level 1, with eight deposits of 1,500.00
// over Dec 2025 – Nov 2026 (the twelve months before 2026-12-01) and one before them.
void SeedExample(const ServerProcess& server, TcpClient& staff, std::string_view brand,
                 int64_t customer) {
  CallOk(staff, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"proof_id","name":"Identity","level":1}})", brand));
  CallOk(staff, "MngAddCustomer",
         fmt::format(R"({{"customer_id":{},"brand":"{}","kyc_answers":{{"KYC_AnnualDeposit":"10000",)"
                     R"("KYC_NumberOfAnnualDeposits":"6"}}}})",
                     customer, brand));
  auto req = CallOk(staff, "MngRequireKycStep",
                    fmt::format(R"({{"customer_id":{},"brand":"{}","code":"proof_id"}})", customer, brand));
  auto client = ConnectTcp(server);
  CallOk(*client, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(staff, customer, brand)));
  CallOk(*client, "KycSubmitStep",
         fmt::format(R"({{"id":{},"answers":{{}}}})", IntField(req["step"], "id")));
  CallOk(staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", IntField(req["step"], "id")));
  int n = 0;
  for (std::string_view day : {"2025-11-30", "2025-12-01", "2026-01-15", "2026-03-15", "2026-05-15",
                               "2026-07-15", "2026-09-15", "2026-11-01", "2026-11-30"}) {
    CallOk(staff, "MngAddTransaction",
           fmt::format(R"({{"customer_id":{},"brand":"{}","type":"deposit","amount":"1500.00",)"
                       R"("currency":"EUR","eur_amount":"1500.00","external_id":"d{}","at":{}}})",
                       customer, brand, ++n, *ParseDay(day) * 86400 + 43200));
  }
}

}  // namespace

TEST_CASE_FIXTURE(RunningServer, "aml over TCP: the seed's example, a repeated run, a case closed") {
  auto staff = AdminClient(server);
  SeedExample(server, *staff, "amlt", 801);
  CallFails(*staff, "MngSetAmlFlag", R"({"brand":"amlt","flag":"3.2","enabled":true})",
            Code::kBadRequest);
  CallOk(*staff, "MngSetAmlFlag", R"({"brand":"amlt","flag":"4.1","enabled":true})");
  CallOk(*staff, "MngSetAmlFlag", R"({"brand":"amlt","flag":"4.2","enabled":true})");
  auto flags = CallOk(*staff, "MngGetAmlFlags", R"({"brand":"amlt"})");
  CHECK(flags["items"].Size() == 13);
  CHECK(flags["items"][11]["enabled"].GetBool());

  auto run = CallOk(*staff, "MngRunAmlChecks", R"({"date":"2026-12-01"})");
  CHECK(IntField(run, "customers_checked") >= 1);
  CHECK(IntField(run, "alerts_created") == 2);
  CHECK(run["skipped"].IsArray());
  CHECK(run["elapsed_ms"].IsInt64());
  auto alerts = CallOk(*staff, "MngGetAmlAlerts", R"({"brand":"amlt","customer_id":801})");
  REQUIRE(IntField(alerts, "total") == 2);
  const auto& a42 = alerts["items"][0];  // newest first: 4.2 was raised after 4.1
  CHECK(StrField(a42, "flag") == "4.2");
  CHECK(StrField(a42, "explanation") ==
        "deposits in 2025-12..2026-11: 8 > number of yearly deposits answered 6");
  const auto& a41 = alerts["items"][1];
  CHECK(StrField(a41, "explanation") ==
        "deposits in 2025-12..2026-11 EUR 12,000.00 > yearly deposits answered 10,000.00");
  CHECK(StrField(a41["evidence"][0], "deposits_eur") == "12000.00");
  CHECK(a41["evidence"][0]["transaction_ids"].Size() == 8);
  CHECK(IntField(a41["evidence"][0], "transactions_total") == 8);
  const int64_t id = IntField(a41, "id");

  run = CallOk(*staff, "MngRunAmlChecks", R"({"date":"2026-12-01"})");
  CHECK(IntField(run, "alerts_created") == 0);
  CHECK(IntField(run, "alerts_updated") == 0);
  CHECK(IntField(CallOk(*staff, "MngGetAmlAlerts", R"({"brand":"amlt"})"), "total") == 2);

  CallOk(*staff, "MngAddManager",
         R"({"login":"amldealer","password":"dealer-pass-1","session_type":"SESSION_DEALER"})");
  auto dealer = ConnectTcp(server);
  MustLogin(*dealer, "amldealer", "dealer-pass-1");
  // A dealer's default role (support) does not see AML alerts (issue 15).
  CallFails(*dealer, "MngGetAmlAlert", fmt::format(R"({{"id":{}}})", id), Code::kForbidden);
  CallFails(*dealer, "MngResolveAmlAlert",
            fmt::format(R"({{"id":{},"resolution":"reported","reason":"r"}})", id), Code::kForbidden);
  auto closed = CallOk(*staff, "MngResolveAmlAlert",
                       fmt::format(R"({{"id":{},"resolution":"reported","reason":"filed SAR 17"}})", id));
  CHECK(StrField(closed, "status") == "closed");
  auto profile = CallOk(*staff, "MngGetKycProfile", R"({"customer_id":801,"brand":"amlt"})");
  CHECK(StrField(profile, "risk_level_name") == "high");
  auto audit = CallOk(*staff, "MngGetKycAudit", R"({"customer_id":801,"entity":"aml_alert"})");
  CHECK(audit["items"].Size() == 3);  // two opened, one resolved
}

TEST_CASE_FIXTURE(RunningServer, "aml over REST: flags, question map, runs, alerts, dry run") {
  {
    auto staff = AdminClient(server);
    SeedExample(server, *staff, "amlr", 802);
  }
  auto http = HttpWithToken(server, AdminHttpToken(server));
  auto r = http->Request("PUT", "/manager/aml/flags/amlr/3.2", R"({"enabled":true})");
  CHECK(r.status == 400);
  CHECK(ErrorMessage(r.body).find("params.x") != std::string::npos);
  r = http->Request("PUT", "/manager/aml/flags/amlr/3.2",
                    R"({"enabled":true,"params":{"x":"2500.00"}})");
  REQUIRE(r.status == 200);
  CHECK(StrField(Json(r.body)["params"], "x") == "2500.00");
  CHECK(http->Request("PUT", "/manager/aml/flags/amlr/7.7", R"({"enabled":true})").status == 400);
  auto flags = Json(http->Request("GET", "/manager/aml/flags/amlr").body);
  CHECK(flags["items"][6]["enabled"].GetBool());

  r = http->Request("PUT", "/manager/aml/question-map/amlr",
                    R"({"map":{"annual_deposit":"YearlyDeposits"}})");
  REQUIRE(r.status == 200);
  auto map = Json(http->Request("GET", "/manager/aml/question-map/amlr").body);
  CHECK(StrField(map["map"], "annual_deposit") == "YearlyDeposits");
  CHECK(StrField(map["map"], "annual_deposit_count") == "KYC_NumberOfAnnualDeposits");
  CHECK(http->Request("PUT", "/manager/aml/question-map/amlr", R"({"map":{"income":"x"}})").status == 400);

  // A dry run stores nothing and explains its hits; the real run then raises one alert.
  r = http->Request("POST", "/manager/aml/flags/amlr/3.2/test",
                    R"({"params":{"x":"2999.99"},"date":"2026-12-01"})");
  REQUIRE(r.status == 200);
  auto test = Json(r.body);
  REQUIRE(test["hits"].Size() == 1);
  CHECK(StrField(test["hits"][0], "explanation") == "deposits in 2026-11 EUR 3,000.00 > X 2,999.99");
  CHECK(IntField(Json(http->Request("GET", "/manager/aml/alerts?brand=amlr").body), "total") == 0);
  CHECK(http->Request("POST", "/manager/aml/runs", R"({"date":"2026-13-01"})").status == 400);
  r = http->Request("POST", "/manager/aml/runs", R"({"date":"2026-12-01","brand":"amlr"})");
  REQUIRE(r.status == 200);
  CHECK(IntField(Json(r.body), "alerts_created") == 1);  // November: EUR 3,000.00 > 2,500.00
  auto alerts = Json(http->Request("GET", "/manager/aml/alerts?brand=amlr&flag=3.2&status=open").body);
  REQUIRE(IntField(alerts, "total") == 1);
  const int64_t id = IntField(alerts["items"][0], "id");
  CHECK(StrField(alerts["items"][0], "explanation") == "deposits in 2026-11 EUR 3,000.00 > X 2,500.00");
  CHECK(StrField(alerts["items"][0], "period_from") == "2026-11-01");
  CHECK(StrField(alerts["items"][0], "period_to") == "2026-11-30");
  const std::string path = fmt::format("/manager/aml/alerts/{}", id);
  CHECK(IntField(Json(http->Request("GET", path).body), "customer_id") == 802);
  CHECK(http->Request("GET", "/manager/aml/alerts/999999").status == 404);
  r = http->Request("POST", path + "/assign", R"({"manager_id":1})");
  REQUIRE(r.status == 200);
  CHECK(StrField(Json(r.body), "status") == "assigned");
  CHECK(http->Request("POST", path + "/resolve", R"({"resolution":"ignored","reason":"x"})").status == 400);
  r = http->Request("POST", path + "/resolve", R"({"resolution":"false_positive","reason":"salary"})");
  REQUIRE(r.status == 200);
  CHECK(StrField(Json(r.body), "resolution") == "false_positive");
  CHECK(http->Request("POST", path + "/resolve", R"({"resolution":"false_positive","reason":"again"})").status == 409);
  // A repeated run raises nothing, even with the alert closed.
  r = http->Request("POST", "/manager/aml/runs", R"({"date":"2026-12-01","brand":"amlr"})");
  CHECK(IntField(Json(r.body), "alerts_created") == 0);
}

}  // namespace kyc::itest

namespace kyc::itest {

// Both timers of the server (document expiry and the AML schedule) share a strand: with
// both firing every second the server keeps answering and stops cleanly (a timer once
// lived in the wrong scope and crashed the server when both ran).
TEST_CASE("aml scheduler: runs beside the expiry sweep, the server stays up and stops cleanly") {
  ServerOptions options;
  options.extra_toml = "[kyc]\nexpiry_interval = 1\n[aml]\ncheck_interval = 1\nrun_at = \"00:00\"\n";
  ServerProcess server(options);
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  auto staff = AdminClient(server);
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CallOk(*staff, "Ping", "{}");
  }
  CHECK(server.Log().find("AML checks run for") != std::string::npos);
  CHECK(server.Term() == 0);
}

}  // namespace kyc::itest
