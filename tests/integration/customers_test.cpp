// The client record over the wire (issue 13): every command over TCP and its REST route,
// bad input refused with the field named and nothing stored, and totals that survive
// kill -9 equal to the sum of the acknowledged transactions.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "money/decimal.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

// Gives (customer, brand) KYC level 1: a level-1 step, submitted by the client over TCP
// with its own token, approved by staff. `code` must be a level-1 template of the brand.
void ApproveLevel1(const ServerProcess& server, TcpClient& staff, int64_t customer,
                   std::string_view brand) {
  auto req = CallOk(staff, "MngRequireKycStep",
                    fmt::format(R"({{"customer_id":{},"brand":"{}","code":"proof_id"}})", customer, brand));
  const int64_t step = IntField(req["step"], "id");
  auto client = ConnectTcp(server);
  CallOk(*client, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(staff, customer, brand)));
  CallOk(*client, "KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step));
  CallOk(staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
}

void ProofIdTemplate(TcpClient& staff, std::string_view brand) {
  CallOk(staff, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"proof_id","name":"Identity","level":1}})", brand));
}

std::string TxJson(int64_t customer, std::string_view brand, std::string_view type,
                   std::string_view eur, std::string_view external_id) {
  return fmt::format(R"({{"customer_id":{},"brand":"{}","type":"{}","amount":"{}","currency":"EUR",)"
                     R"("eur_amount":"{}","external_id":"{}"}})",
                     customer, brand, type, eur, eur, external_id);
}

}  // namespace

TEST_CASE_FIXTURE(RunningServer, "customers over TCP: record, search, tier limit, transactions, block") {
  auto staff = AdminClient(server);
  ProofIdTemplate(*staff, "ff");
  auto c = CallOk(*staff, "MngAddCustomer",
                  R"({"customer_id":501,"brand":"ff","first_name":"Zoë","last_name":"Ångström",)"
                  R"("email":"zoe@example.com","documents":[{"type":"passport","number":"P-501","issuing_country":"SE"}],)"
                  R"("risk_score_ai":"42.10","type":"corporate"})");
  CHECK(StrField(c, "risk_score_ai") == "42.10");
  CHECK(StrField(c, "uuid").size() == 36);
  CallFails(*staff, "MngAddCustomer", R"({"customer_id":501,"brand":"ff"})", Code::kConflict);
  auto found = CallOk(*staff, "MngGetCustomers", R"({"query":"zoe ang","type":"corporate"})");
  REQUIRE(IntField(found, "total") == 1);
  CHECK(IntField(found["items"][0], "customer_id") == 501);
  CHECK(IntField(CallOk(*staff, "MngGetCustomers", R"({"query":"p501"})"), "total") == 1);

  CallOk(*staff, "MngSetKycTier", R"({"brand":"ff","level":1,"name":"Basic","max_lifetime_eur":"15000.00"})");
  ApproveLevel1(server, *staff, 501, "ff");
  auto t1 = CallOk(*staff, "MngAddTransaction", TxJson(501, "ff", "exchange", "14800.00", "ex-1"));
  CHECK(StrField(t1["lifetime"], "eur_volume") == "14800.00");
  auto check = CallOk(*staff, "MngCheckKycOperation",
                      R"({"customer_id":501,"brand":"ff","operation":"exchange","amount":"500.00"})");
  CHECK_FALSE(check["allowed"].GetBool());
  CHECK(StrField(check, "reason") ==
        "lifetime EUR 14,800.00 + 500.00 exceeds the level 1 limit 15,000.00: level 2 required");
  CHECK(IntField(check, "required_level") == 2);
  std::string why = CallFails(*staff, "MngAddTransaction", TxJson(501, "ff", "exchange", "500.00", "ex-2"),
                              Code::kConflict);
  CHECK(why.find("level 2 required") != std::string::npos);
  auto again = CallOk(*staff, "MngAddTransaction", TxJson(501, "ff", "exchange", "14800.00", "ex-1"));
  CHECK(again["duplicate"].GetBool());

  // A dealer may read but not block; a manager blocks; the counter is refused.
  CallOk(*staff, "MngAddManager", R"({"login":"dealer1","password":"dealer-pass-1","session_type":"SESSION_DEALER"})");
  auto dealer = ConnectTcp(server);
  MustLogin(*dealer, "dealer1", "dealer-pass-1");
  CallOk(*dealer, "MngGetCustomer", R"({"customer_id":501,"brand":"ff"})");
  CallFails(*dealer, "MngBlockCustomer", R"({"customer_id":501,"brand":"ff","reason":"x"})", Code::kForbidden);
  CallOk(*staff, "MngBlockCustomer", R"({"customer_id":501,"brand":"ff","reason":"sanctions hit"})");
  auto blocked = CallOk(*dealer, "MngCheckKycOperation", R"({"customer_id":501,"brand":"ff","operation":"exchange"})");
  CHECK(StrField(blocked, "reason") == "customer blocked: sanctions hit");
  CallFails(*staff, "MngAddTransaction", TxJson(501, "ff", "exchange", "1.00", "ex-3"), Code::kConflict);
  auto audit = CallOk(*staff, "MngGetKycAudit", R"({"customer_id":501,"entity":"customer"})");
  REQUIRE(audit["items"].Size() == 2);
  CHECK(StrField(audit["items"][1], "action") == "customer.block");
}

TEST_CASE_FIXTURE(RunningServer, "customers over REST: every route, with errors as HTTP statuses") {
  auto http = HttpWithToken(server, AdminHttpToken(server));
  auto staff = AdminClient(server);
  ProofIdTemplate(*staff, "ff");
  auto r = http->Request("POST", "/manager/customers",
                         R"({"customer_id":7,"brand":"ff","first_name":"Ana","last_name":"Pérez","phone":"+34600111222"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const std::string uuid = StrField(Json(r.body), "uuid");
  CHECK(http->Request("POST", "/manager/customers", R"({"customer_id":7,"brand":"ff"})").status == 409);

  r = http->Request("PATCH", "/manager/customers/ff/7", R"({"tin":"ES-1","phone":null})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(StrField(Json(r.body), "tin") == "ES-1");
  CHECK(Json(r.body)["phone"].IsNull());
  CHECK(StrField(Json(http->Request("GET", "/manager/customers/ff/7").body), "uuid") == uuid);
  CHECK(IntField(Json(http->Request("GET", "/manager/customers/uuid/" + uuid).body), "customer_id") == 7);
  CHECK(http->Request("GET", "/manager/customers/ff/8").status == 404);
  auto list = Json(http->Request("GET", "/manager/customers?query=PEREZ&blocked=false").body);
  CHECK(IntField(list, "total") == 1);

  // Bad input: 400 naming the field; nothing changed.
  r = http->Request("PATCH", "/manager/customers/ff/7", R"({"email":"nope","tin":"changed"})");
  CHECK(r.status == 400);
  CHECK(ErrorMessage(r.body).find("'email'") != std::string::npos);
  CHECK(StrField(Json(http->Request("GET", "/manager/customers/ff/7").body), "tin") == "ES-1");
  r = http->Request("POST", "/manager/customers", R"({"customer_id":8,"brand":"ff","risk_score_ai":1.5})");
  CHECK(r.status == 400);
  CHECK(ErrorMessage(r.body).find("'risk_score_ai'") != std::string::npos);
  CHECK(http->Request("GET", "/manager/customers/ff/8").status == 404);

  // Tiers, rules, transactions, totals, the check.
  CHECK(http->Request("PUT", "/manager/kyc/tiers/ff/1", R"({"name":"Basic","max_single_eur":"1000.00","max_loan":"300"})").status == 200);
  auto tiers = Json(http->Request("GET", "/manager/kyc/tiers/ff").body);
  CHECK(StrField(tiers["items"][0], "max_loan") == "300.00");
  r = http->Request("POST", "/manager/compliance/rules",
                    R"({"brand":"ff","name":"source of funds over 500","operation":"deposit","scope":"daily",)"
                    R"("threshold_eur":"500.00","effect":"require_fields","fields":["source_of_funds"]})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const int64_t rule = IntField(Json(r.body), "id");
  ApproveLevel1(server, *staff, 7, "ff");
  r = http->Request("POST", "/manager/customers/ff/7/transactions",
                    R"({"type":"deposit","amount":"400.00","currency":"EUR","eur_amount":"400.00","external_id":"d1"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = http->Request("POST", "/manager/customers/ff/7/transactions",
                    R"({"type":"deposit","amount":"200.00","currency":"EUR","eur_amount":"200.00","external_id":"d2"})");
  CHECK(r.status == 409);
  CHECK(ErrorMessage(r.body).find("source_of_funds required") != std::string::npos);
  r = http->Request("POST", "/manager/kyc/check", R"({"customer_id":7,"brand":"ff","operation":"deposit","amount":"200.00"})");
  CHECK(JsonText(Json(r.body)["missing_fields"]) == R"(["source_of_funds"])");
  CHECK(http->Request("PATCH", "/manager/compliance/rules/" + std::to_string(rule), R"({"threshold_eur":"5000.00"})").status == 200);
  r = http->Request("POST", "/manager/customers/ff/7/transactions",
                    R"({"type":"deposit","amount":"200.00","currency":"EUR","eur_amount":"200.00","external_id":"d2"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(StrField(Json(r.body)["lifetime"], "eur_volume") == "600.00");
  r = http->Request("POST", "/manager/customers/ff/7/transactions",
                    R"({"type":"deposit","amount":"1500.00","currency":"EUR","eur_amount":"1500.00","external_id":"d3"})");
  CHECK(r.status == 409);  // the tier's single-operation limit
  auto txs = Json(http->Request("GET", "/manager/customers/ff/7/transactions?type=deposit").body);
  CHECK(IntField(txs, "total") == 2);
  auto totals = Json(http->Request("GET", "/manager/customers/ff/7/totals").body);
  CHECK(StrField(totals["lifetime"], "deposits_eur") == "600.00");
  CHECK(IntField(totals["lifetime"], "deposits_count") == 2);
  CHECK(http->Request("GET", "/manager/compliance/rules?brand=ff").status == 200);
  CHECK(http->Request("DELETE", "/manager/compliance/rules/" + std::to_string(rule)).status == 200);
  CHECK(http->Request("DELETE", "/manager/compliance/rules/" + std::to_string(rule)).status == 404);

  // Block and unblock; duplicates and their resolution.
  CHECK(http->Request("POST", "/manager/customers/ff/7/block", R"({})").status == 400);
  CHECK(http->Request("POST", "/manager/customers/ff/7/block", R"({"reason":"review"})").status == 200);
  CHECK(http->Request("POST", "/manager/customers/ff/7/unblock", R"({"reason":"ok"})").status == 200);
  CHECK(http->Request("POST", "/manager/customers",
                      R"({"customer_id":9,"brand":"ff","documents":[{"type":"passport","number":"D1"}]})").status == 200);
  r = http->Request("POST", "/manager/customers",
                    R"({"customer_id":10,"brand":"ff","documents":[{"type":"passport","number":"d-1"}]})");
  CHECK(r.status == 409);
  CHECK(ErrorMessage(r.body).find("customer 9 of brand 'ff'") != std::string::npos);
  CHECK(http->Request("POST", "/manager/customers",
                      R"({"customer_id":10,"brand":"gg","documents":[{"type":"passport","number":"d-1"}]})").status == 200);
  auto alerts = Json(http->Request("GET", "/manager/duplicates?status=open").body);
  REQUIRE(IntField(alerts, "total") == 1);
  const int64_t alert = IntField(alerts["items"][0], "id");
  CHECK(StrField(CallOk(*staff, "MngGetKycProfile", R"({"customer_id":9,"brand":"ff"})"), "status_name") ==
        "review_required");
  CHECK(http->Request("POST", fmt::format("/manager/duplicates/{}/resolve", alert), R"({"reason":"two people"})").status == 200);
  CHECK(IntField(Json(http->Request("GET", "/manager/duplicates?status=open").body), "total") == 0);
}

TEST_CASE("customers: after kill -9 the totals equal the sum of the acknowledged transactions") {
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  {
    auto staff = AdminClient(server);
    ProofIdTemplate(*staff, "ff");
    for (int64_t c = 1; c <= 4; ++c) {
      CallOk(*staff, "MngAddCustomer", fmt::format(R"({{"customer_id":{},"brand":"ff"}})", c));
      ApproveLevel1(server, *staff, c, "ff");
    }
  }
  // Four writers, one customer each, until the kill; each remembers what was acknowledged.
  std::mutex mu;
  std::map<int64_t, Decimal> acked;  // customer → sum of acknowledged EUR amounts
  std::map<int64_t, int64_t> acked_count;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int64_t c = 1; c <= 4; ++c) {
    writers.emplace_back([&, c] {
      auto client = AdminClient(server);
      for (int i = 0; !stop; ++i) {
        const std::string eur = fmt::format("{}.{:02}", 1 + i % 97, i % 100);
        auto reply = client->Call("MngAddTransaction",
                                  TxJson(c, "ff", i % 3 == 0 ? "exchange" : "deposit", eur,
                                         fmt::format("c{}-{}", c, i)));
        if (!reply.ok() || !reply->ok()) break;  // the kill
        std::lock_guard lock(mu);
        acked[c] += *Decimal::Parse(eur);
        ++acked_count[c];
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  server.Kill9();
  stop = true;
  for (auto& w : writers) w.join();
  REQUIRE(server.Start().ok());
  auto staff = AdminClient(server);
  for (int64_t c = 1; c <= 4; ++c) {
    CAPTURE(c);
    auto totals = CallOk(*staff, "MngGetCustomerTotals", fmt::format(R"({{"customer_id":{},"brand":"ff"}})", c));
    auto txs = CallOk(*staff, "MngGetTransactions", fmt::format(R"({{"customer_id":{},"brand":"ff","limit":1000}})", c));
    // Every acknowledged one is there; at most one more (in flight at the kill).
    CHECK(acked_count[c] > 0);  // the writers were running when the server was killed
    const int64_t count = IntField(totals["lifetime"], "count");
    CHECK(count >= acked_count[c]);
    CHECK(count <= acked_count[c] + 1);
    CHECK(IntField(txs, "total") == count);
    Decimal sum;
    int64_t listed = 0;
    for (int64_t offset = 0; offset < count; offset += 1000) {
      auto page = CallOk(*staff, "MngGetTransactions",
                         fmt::format(R"({{"customer_id":{},"brand":"ff","offset":{},"limit":1000}})", c, offset));
      for (const auto& t : page["items"].GetArray()) {
        sum += *Decimal::Parse(StrField(t, "eur_amount"));
        ++listed;
      }
    }
    CHECK(listed == count);
    CHECK(StrField(totals["lifetime"], "eur_volume") == sum.ToString(2));
    Decimal daily;
    for (const auto& d : totals["daily"].GetArray()) daily += *Decimal::Parse(StrField(d, "eur_volume"));
    CHECK(daily == sum);
    if (count == acked_count[c]) CHECK(sum == acked[c]);
  }
}

}  // namespace kyc::itest
