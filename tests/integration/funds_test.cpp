// Fund workflows over the wire (issue 16): two payment channels (the seed's pre-launch
// check 2), deposits asked for by the client and by staff, the provider's signed
// callbacks (succeeded, failed, repeated, badly signed), a payer that does not match put
// in review and confirmed, balances and the ledger.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "funds/rules.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

constexpr std::string_view kBrand = "fx";
constexpr std::string_view kCardSecret = "card-secret-0123456789";
constexpr std::string_view kBankSecret = "bank-secret-0123456789";

// Customer `id` of kBrand named Ann Lee, KYC level 1 approved.
void ApprovedCustomer(const ServerProcess& server, TcpClient& staff, int64_t id) {
  CallOk(staff, "MngAddCustomer",
         fmt::format(R"({{"customer_id":{},"brand":"{}","first_name":"Ann","last_name":"Lee"}})", id,
                     kBrand));
  auto req = CallOk(staff, "MngRequireKycStep",
                    fmt::format(R"({{"customer_id":{},"brand":"{}","code":"id"}})", id, kBrand));
  const int64_t step = IntField(req["step"], "id");
  auto client = ConnectTcp(server);
  CallOk(*client, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(staff, id, kBrand)));
  CallOk(*client, "KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step));
  CallOk(staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
}

HttpResponse Callback(HttpClient& http, std::string_view channel, std::string_view secret,
                      const std::string& body) {
  return http.Request("POST", fmt::format("/psp/{}/callback", channel), body,
                      {{"X-Signature", CallbackSignature(secret, body)}});
}

std::string Balance(TcpClient& staff, int64_t id, std::string_view currency) {
  auto b = CallOk(staff, "MngGetBalances", fmt::format(R"({{"customer_id":{},"brand":"{}"}})", id, kBrand));
  for (const auto& item : b["items"].GetArray()) {
    if (StrField(item, "currency") == currency) return StrField(item, "balance");
  }
  return "0";
}

}  // namespace

TEST_CASE_FIXTURE(RunningServer, "funds over REST: deposits on two channels with signed callbacks") {
  auto admin = AdminClient(server);
  CallOk(*admin, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"id","name":"Identity","level":1}})", kBrand));
  CallOk(*admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"{}","code":"card-fx","name":"Cards","kind":"card",)"
                     R"("currencies":["EUR"],"min_amount":"10","max_amount":"5000",)"
                     R"("callback_secret":"{}"}})",
                     kBrand, kCardSecret));
  CallOk(*admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"{}","code":"bank-fx","name":"Bank transfer",)"
                     R"("kind":"bank_transfer","currencies":["THB"],"min_amount":"100",)"
                     R"("max_amount":"1000000","callback_secret":"{}"}})",
                     kBrand, kBankSecret));
  ApprovedCustomer(server, *admin, 1);
  auto http = HttpWithToken(server, AdminHttpToken(server));
  auto client = HttpWithToken(server, ClientToken(*admin, 1, kBrand));
  HttpClient psp("127.0.0.1", server.http_port());

  // 1. The client asks; the provider reports success: the balance and the transaction follow.
  HttpResponse asked = client->Request("POST", "/client/deposits",
                                       R"({"channel":"card-fx","amount":"100.00","currency":"EUR"})");
  REQUIRE_MESSAGE(asked.status == 200, asked.body);
  const int64_t d1 = IntField(Json(asked.body), "id");
  CHECK(StrField(Json(asked.body), "status") == "created");
  const std::string ok1 = fmt::format(
      R"({{"deposit_id":{},"psp_order_id":"ord-1","status":"succeeded","amount":"100.00",)"
      R"("currency":"EUR","payer_name":"ANN LEE"}})", d1);
  HttpResponse cb = Callback(psp, "card-fx", kCardSecret, ok1);
  REQUIRE_MESSAGE(cb.status == 200, cb.body);
  CHECK(StrField(Json(cb.body)["deposit"], "status") == "succeeded");
  CHECK_FALSE(Json(cb.body)["repeat"].GetBool());
  CHECK(Balance(*admin, 1, "EUR") == "100.00");
  auto txs = CallOk(*admin, "MngGetTransactions", fmt::format(R"({{"customer_id":1,"brand":"{}"}})", kBrand));
  CHECK(IntField(txs, "total") == 1);
  auto ledger = CallOk(*admin, "MngGetLedger", fmt::format(R"({{"customer_id":1,"brand":"{}"}})", kBrand));
  REQUIRE(IntField(ledger, "total") == 1);
  CHECK(StrField(ledger["items"][0], "ref") == fmt::format("deposit:{}", d1));

  // 2. The same callback again: 200, nothing changes.
  cb = Callback(psp, "card-fx", kCardSecret, ok1);
  CHECK(cb.status == 200);
  CHECK(Json(cb.body)["repeat"].GetBool());
  CHECK(Balance(*admin, 1, "EUR") == "100.00");

  // 3. A bad or missing signature: 401, nothing changes.
  auto d2 = CallOk(*admin, "MngAddDeposit",
                   fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"50",)"
                               R"("currency":"EUR"}})", kBrand));
  const int64_t id2 = IntField(d2, "id");
  const std::string ok2 = fmt::format(
      R"({{"deposit_id":{},"psp_order_id":"ord-2","status":"succeeded","amount":"50",)"
      R"("currency":"EUR","payer_name":"Ann Lee"}})", id2);
  CHECK(Callback(psp, "card-fx", kBankSecret, ok2).status == 401);
  CHECK(psp.Request("POST", "/psp/card-fx/callback", ok2).status == 401);
  CHECK(Callback(psp, "card-fx", kCardSecret, ok2 + " ").status == 200);  // signed as sent
  CHECK(Balance(*admin, 1, "EUR") == "150.00");

  // 4. Failed: the failure code is kept and the client sees it.
  auto d3 = CallOk(*admin, "MngAddDeposit",
                   fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"20",)"
                               R"("currency":"EUR"}})", kBrand));
  cb = Callback(psp, "card-fx", kCardSecret,
                fmt::format(R"({{"deposit_id":{},"psp_order_id":"ord-3","status":"failed",)"
                            R"("amount":"20","currency":"EUR","failure_code":"card_declined"}})",
                            IntField(d3, "id")));
  CHECK(StrField(Json(cb.body)["deposit"], "status") == "failed");
  auto mine = Json(client->Request("GET", "/client/deposits").body);
  REQUIRE(IntField(mine, "total") == 3);
  CHECK(StrField(mine["items"][0], "failure_code") == "card_declined");
  CHECK_FALSE(mine["items"][0].HasMember("note"));  // finance's notes stay inside

  // Nothing unsigned may add to a signed body; an order belongs to one deposit.
  CHECK(psp.Request("POST", "/psp/card-fx/callback?status=succeeded", ok2,
                    {{"X-Signature", CallbackSignature(kCardSecret, ok2)}})
            .status == 400);
  auto d6 = CallOk(*admin, "MngAddDeposit",
                   fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"50",)"
                               R"("currency":"EUR"}})", kBrand));
  HttpResponse stolen = Callback(psp, "card-fx", kCardSecret,
                                 fmt::format(R"({{"deposit_id":{},"psp_order_id":"ord-1","status":"pending",)"
                                             R"("amount":"50","currency":"EUR"}})", IntField(d6, "id")));
  CHECK(stolen.status == 409);
  // The client neither weighs its deposit in EUR nor deposits in another currency.
  CHECK(client->Request("POST", "/client/deposits",
                        R"({"channel":"card-fx","amount":"10.00","currency":"EUR","eur_amount":"0.01"})")
            .status == 400);

  // 5. The second channel: a payer who is not the holder goes to review; finance confirms.
  auto d4 = CallOk(*admin, "MngAddDeposit",
                   fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"bank-fx","amount":"3500",)"
                               R"("currency":"THB","eur_amount":"90.00"}})", kBrand));
  cb = Callback(psp, "bank-fx", kBankSecret,
                fmt::format(R"({{"deposit_id":{},"psp_order_id":"tx-9","status":"succeeded",)"
                            R"("amount":"3500","currency":"THB","payer_name":"Bob Smith"}})",
                            IntField(d4, "id")));
  auto review = Json(cb.body);
  CHECK(StrField(review["deposit"], "status") == "review");
  CHECK(StrField(review["deposit"], "note").find("not the account holder") != std::string::npos);
  CHECK(Balance(*admin, 1, "THB") == "0");
  auto confirmed = CallOk(*admin, "MngConfirmDeposit",
                          fmt::format(R"({{"id":{},"comment":"payer is her husband, documented"}})",
                                      IntField(d4, "id")));
  CHECK(StrField(confirmed, "status") == "succeeded");
  CHECK(Balance(*admin, 1, "THB") == "3500.00");
  // An amount that differs goes to review too; finance fails it.
  auto d5 = CallOk(*admin, "MngAddDeposit",
                   fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"30",)"
                               R"("currency":"EUR"}})", kBrand));
  cb = Callback(psp, "card-fx", kCardSecret,
                fmt::format(R"({{"deposit_id":{},"psp_order_id":"ord-5","status":"succeeded",)"
                            R"("amount":"300","currency":"EUR","payer_name":"Ann Lee"}})",
                            IntField(d5, "id")));
  CHECK(StrField(Json(cb.body)["deposit"], "status") == "review");
  // The provider then says it failed: finance may no longer credit it.
  cb = Callback(psp, "card-fx", kCardSecret,
                fmt::format(R"({{"deposit_id":{},"psp_order_id":"ord-5","status":"failed",)"
                            R"("amount":"300","currency":"EUR","failure_code":"chargeback"}})",
                            IntField(d5, "id")));
  CHECK(StrField(Json(cb.body)["deposit"], "psp_status") == "failed");
  CHECK(StrField(Json(cb.body)["deposit"], "status") == "review");
  CallFails(*admin, "MngConfirmDeposit",
            fmt::format(R"({{"id":{},"comment":"ok"}})", IntField(d5, "id")), Code::kConflict);
  auto failed = CallOk(*admin, "MngFailDeposit",
                       fmt::format(R"({{"id":{},"failure_code":"amount_mismatch","reason":"refund"}})",
                                   IntField(d5, "id")));
  CHECK(StrField(failed, "status") == "failed");
  CHECK(Balance(*admin, 1, "EUR") == "150.00");
  auto listed = CallOk(*admin, "MngGetDeposits", fmt::format(R"({{"brand":"{}","status":"failed"}})", kBrand));
  CHECK(IntField(listed, "total") == 2);
  // The fund workflows' transaction ids are theirs alone.
  CallFails(*admin, "MngAddTransaction",
            fmt::format(R"({{"customer_id":1,"brand":"{}","type":"deposit","amount":"1.00",)"
                        R"("currency":"EUR","eur_amount":"1.00","external_id":"deposit:999"}})", kBrand),
            Code::kBadRequest);

  // Refusals, with the reason.
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"10",)"
                        R"("currency":"USD"}})", kBrand), Code::kBadRequest);
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"9000",)"
                        R"("currency":"EUR"}})", kBrand), Code::kBadRequest);
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"nope","amount":"10",)"
                        R"("currency":"EUR"}})", kBrand), Code::kNotFound);
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"bank-fx","amount":"500",)"
                        R"("currency":"THB"}})", kBrand), Code::kBadRequest);  // eur_amount
  CallOk(*admin, "MngSetAccountStatus",
         fmt::format(R"({{"customer_id":1,"brand":"{}","status":"restricted","reason":"review"}})", kBrand));
  std::string why = CallFails(*admin, "MngAddDeposit",
                              fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx",)"
                                          R"("amount":"10","currency":"EUR"}})", kBrand),
                              Code::kConflict);
  CHECK(why.find("account restricted (review): deposit not allowed") != std::string::npos);
  CHECK(client->Request("POST", "/client/deposits",
                        R"({"channel":"card-fx","amount":"10.00","currency":"EUR"})").status == 403);
  // Over TCP the callback is refused: it is HTTP only (its body is signed).
  CallFails(*admin, "PspCallback", R"({"channel":"card-fx"})", Code::kBadRequest);
}

}  // namespace kyc::itest
