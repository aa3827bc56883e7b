// Fund workflows over the wire (issue 16): two payment channels (the seed's pre-launch
// check 2), deposits asked for by the client and by staff, the provider's signed
// callbacks (succeeded, failed, repeated, badly signed), a payer that does not match put
// in review and confirmed, balances and the ledger.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "funds/rules.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

constexpr std::string_view kFxBrand = "fx";
constexpr std::string_view kCardSecret = "card-secret-0123456789";
constexpr std::string_view kBankSecret = "bank-secret-0123456789";

// Customer `id` of kFxBrand named Ann Lee, KYC level 1 approved.
void ApprovedCustomer(const ServerProcess& server, TcpClient& staff, int64_t id) {
  CallOk(staff, "MngAddCustomer",
         fmt::format(R"({{"customer_id":{},"brand":"{}","first_name":"Ann","last_name":"Lee"}})", id,
                     kFxBrand));
  auto req = CallOk(staff, "MngRequireKycStep",
                    fmt::format(R"({{"customer_id":{},"brand":"{}","code":"id"}})", id, kFxBrand));
  const int64_t step = IntField(req["step"], "id");
  auto client = ConnectTcp(server);
  CallOk(*client, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(staff, id, kFxBrand)));
  CallOk(*client, "KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step));
  CallOk(staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
}

HttpResponse Callback(HttpClient& http, std::string_view channel, std::string_view secret,
                      const std::string& body) {
  return http.Request("POST", fmt::format("/psp/{}/callback", channel), body,
                      {{"X-Signature", CallbackSignature(secret, body)}});
}

std::string Balance(TcpClient& staff, int64_t id, std::string_view currency) {
  auto b = CallOk(staff, "MngGetBalances", fmt::format(R"({{"customer_id":{},"brand":"{}"}})", id, kFxBrand));
  for (const auto& item : b["items"].GetArray()) {
    if (StrField(item, "currency") == currency) return StrField(item, "balance");
  }
  return "0";
}

}  // namespace

TEST_CASE_FIXTURE(RunningServer, "funds over REST: deposits on two channels with signed callbacks") {
  auto admin = AdminClient(server);
  CallOk(*admin, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"id","name":"Identity","level":1}})", kFxBrand));
  CallOk(*admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"{}","code":"card-fx","name":"Cards","kind":"card",)"
                     R"("currencies":["EUR"],"min_amount":"10","max_amount":"5000",)"
                     R"("callback_secret":"{}"}})",
                     kFxBrand, kCardSecret));
  CallOk(*admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"{}","code":"bank-fx","name":"Bank transfer",)"
                     R"("kind":"bank_transfer","currencies":["THB"],"min_amount":"100",)"
                     R"("max_amount":"1000000","callback_secret":"{}"}})",
                     kFxBrand, kBankSecret));
  ApprovedCustomer(server, *admin, 1);
  auto http = HttpWithToken(server, AdminHttpToken(server));
  auto client = HttpWithToken(server, ClientToken(*admin, 1, kFxBrand));
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
  auto txs = CallOk(*admin, "MngGetTransactions", fmt::format(R"({{"customer_id":1,"brand":"{}"}})", kFxBrand));
  CHECK(IntField(txs, "total") == 1);
  auto ledger = CallOk(*admin, "MngGetLedger", fmt::format(R"({{"customer_id":1,"brand":"{}"}})", kFxBrand));
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
                               R"("currency":"EUR"}})", kFxBrand));
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
                               R"("currency":"EUR"}})", kFxBrand));
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
                               R"("currency":"EUR"}})", kFxBrand));
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
                               R"("currency":"THB","eur_amount":"90.00"}})", kFxBrand));
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
                               R"("currency":"EUR"}})", kFxBrand));
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
  auto listed = CallOk(*admin, "MngGetDeposits", fmt::format(R"({{"brand":"{}","status":"failed"}})", kFxBrand));
  CHECK(IntField(listed, "total") == 2);
  // The fund workflows' transaction ids are theirs alone.
  CallFails(*admin, "MngAddTransaction",
            fmt::format(R"({{"customer_id":1,"brand":"{}","type":"deposit","amount":"1.00",)"
                        R"("currency":"EUR","eur_amount":"1.00","external_id":"deposit:999"}})", kFxBrand),
            Code::kBadRequest);

  // Refusals, with the reason.
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"10",)"
                        R"("currency":"USD"}})", kFxBrand), Code::kBadRequest);
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx","amount":"9000",)"
                        R"("currency":"EUR"}})", kFxBrand), Code::kBadRequest);
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"nope","amount":"10",)"
                        R"("currency":"EUR"}})", kFxBrand), Code::kNotFound);
  CallFails(*admin, "MngAddDeposit",
            fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"bank-fx","amount":"500",)"
                        R"("currency":"THB"}})", kFxBrand), Code::kBadRequest);  // eur_amount
  CallOk(*admin, "MngSetAccountStatus",
         fmt::format(R"({{"customer_id":1,"brand":"{}","status":"restricted","reason":"review"}})", kFxBrand));
  std::string why = CallFails(*admin, "MngAddDeposit",
                              fmt::format(R"({{"customer_id":1,"brand":"{}","channel":"card-fx",)"
                                          R"("amount":"10","currency":"EUR"}})", kFxBrand),
                              Code::kConflict);
  CHECK(why.find("account restricted (review): deposit not allowed") != std::string::npos);
  CHECK(client->Request("POST", "/client/deposits",
                        R"({"channel":"card-fx","amount":"10.00","currency":"EUR"})").status == 403);
  // Over TCP the callback is refused: it is HTTP only (its body is signed).
  CallFails(*admin, "PspCallback", R"({"channel":"card-fx"})", Code::kBadRequest);
}

}  // namespace kyc::itest

namespace kyc::itest {
namespace {

// Customer `id` at KYC level 2 (withdrawals need it by default) with `eur` EUR deposited
// through card-fx's signed callback.
void FundedCustomer(const ServerProcess& server, TcpClient& admin, HttpClient& psp, int64_t id,
                    std::string_view eur) {
  CallOk(admin, "MngAddCustomer",
         fmt::format(R"({{"customer_id":{},"brand":"{}","first_name":"Ann","last_name":"Lee"}})", id,
                     kFxBrand));
  auto client = ConnectTcp(server);
  CallOk(*client, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(admin, id, kFxBrand)));
  for (std::string_view code : {"id", "poa"}) {
    auto req = CallOk(admin, "MngRequireKycStep",
                      fmt::format(R"({{"customer_id":{},"brand":"{}","code":"{}"}})", id, kFxBrand, code));
    const int64_t step = IntField(req["step"], "id");
    CallOk(*client, "KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step));
    CallOk(admin, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
  }
  auto d = CallOk(admin, "MngAddDeposit",
                  fmt::format(R"({{"customer_id":{},"brand":"{}","channel":"card-fx","amount":"{}",)"
                              R"("currency":"EUR"}})", id, kFxBrand, eur));
  HttpResponse cb = Callback(psp, "card-fx", kCardSecret,
                             fmt::format(R"({{"deposit_id":{},"psp_order_id":"fund-{}","status":"succeeded",)"
                                         R"("amount":"{}","currency":"EUR","payer_name":"Ann Lee"}})",
                                         IntField(d, "id"), id, eur));
  REQUIRE_MESSAGE(cb.status == 200, cb.body);
}

std::unique_ptr<TcpClient> Finance(const ServerProcess& server, TcpClient& admin, std::string_view login) {
  CallOk(admin, "MngAddManager",
         fmt::format(R"({{"login":"{}","password":"finance-pass-1","session_type":"SESSION_MANAGER",)"
                     R"("roles":["finance"]}})", login));
  auto c = ConnectTcp(server);
  MustLogin(*c, login, "finance-pass-1");
  return c;
}

void Channels(TcpClient& admin) {
  CallOk(admin, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"id","name":"Identity","level":1}})", kFxBrand));
  CallOk(admin, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"poa","name":"Address","level":2}})", kFxBrand));
  CallOk(admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"{}","code":"card-fx","name":"Cards","kind":"card",)"
                     R"("currencies":["EUR"],"min_amount":"1","max_amount":"100000",)"
                     R"("withdrawals":false,"callback_secret":"{}"}})", kFxBrand, kCardSecret));
  CallOk(admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"{}","code":"wire-fx","name":"Wire","kind":"bank_transfer",)"
                     R"("currencies":["EUR"],"min_amount":"1","max_amount":"100000","deposits":false,)"
                     R"("approval":{{"auto_below_eur":"100","one_approver_below_eur":"1000"}},)"
                     R"("callback_secret":"{}"}})", kFxBrand, kBankSecret));
  CallOk(admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"{}","code":"bank-only","name":"Bank account","kind":"bank_transfer",)"
                     R"("currencies":["EUR"],"min_amount":"1","max_amount":"100000",)"
                     R"("requires_bank_account":true,"callback_secret":"{}"}})", kFxBrand, kBankSecret));
}

std::string Field(TcpClient& staff, int64_t id, std::string_view currency, const char* what) {
  auto b = CallOk(staff, "MngGetBalances", fmt::format(R"({{"customer_id":{},"brand":"{}"}})", id, kFxBrand));
  for (const auto& item : b["items"].GetArray()) {
    if (StrField(item, "currency") == currency) return StrField(item, what);
  }
  return "0";
}

}  // namespace

TEST_CASE_FIXTURE(RunningServer, "funds over TCP: withdrawals at levels 0, 1 and 2, refusals, four eyes") {
  auto admin = AdminClient(server);
  Channels(*admin);
  HttpClient psp("127.0.0.1", server.http_port());
  FundedCustomer(server, *admin, psp, 7, "5000.00");
  auto fin1 = Finance(server, *admin, "fin1");
  auto fin2 = Finance(server, *admin, "fin2");
  auto ask = [&](TcpClient& who, std::string_view amount) {
    return CallOk(who, "MngAddWithdrawal",
                  fmt::format(R"({{"customer_id":7,"brand":"{}","channel":"wire-fx","amount":"{}",)"
                              R"("currency":"EUR"}})", kFxBrand, amount));
  };
  // Level 0: approved at once, held until paid.
  auto w0 = ask(*admin, "50.00");
  CHECK(IntField(w0, "approval_level") == 0);
  CHECK(StrField(w0["withdrawal"], "status") == "approved");
  CHECK(Field(*admin, 7, "EUR", "held") == "50.00");
  CHECK(Field(*admin, 7, "EUR", "available") == "4950.00");
  auto paid = CallOk(*fin1, "MngMarkWithdrawalPaid",
                     fmt::format(R"({{"id":{},"voucher":"SEPA-1"}})", IntField(w0["withdrawal"], "id")));
  CHECK(StrField(paid, "status") == "paid");
  CHECK(Field(*admin, 7, "EUR", "balance") == "4950.00");
  CHECK(Field(*admin, 7, "EUR", "held") == "0.00");
  // Level 1: one approver, not the requester.
  auto w1 = ask(*fin1, "500.00");
  CHECK(IntField(w1, "approval_level") == 1);
  const int64_t id1 = IntField(w1["withdrawal"], "id");
  CallFails(*fin1, "MngApproveWithdrawal", fmt::format(R"({{"id":{}}})", id1), Code::kForbidden);
  CHECK(StrField(CallOk(*fin2, "MngApproveWithdrawal", fmt::format(R"({{"id":{}}})", id1)), "status") ==
        "approved");
  // Level 2: two different approvers; the same one twice is refused.
  auto w2 = ask(*admin, "1500.00");
  CHECK(IntField(w2, "approval_level") == 2);
  const int64_t id2 = IntField(w2["withdrawal"], "id");
  CHECK(StrField(CallOk(*fin1, "MngApproveWithdrawal", fmt::format(R"({{"id":{}}})", id2)), "status") ==
        "pending_approval");
  CallFails(*fin1, "MngApproveWithdrawal", fmt::format(R"({{"id":{}}})", id2), Code::kForbidden);
  CallFails(*admin, "MngApproveWithdrawal", fmt::format(R"({{"id":{}}})", id2), Code::kForbidden);
  auto both = CallOk(*fin2, "MngApproveWithdrawal", fmt::format(R"({{"id":{}}})", id2));
  CHECK(StrField(both, "status") == "approved");
  CHECK(both["approvers"].Size() == 2);
  // Rejected: the hold goes back.
  CallOk(*fin1, "MngRejectWithdrawal", fmt::format(R"({{"id":{},"reason":"client cancelled"}})", id2));
  CHECK(Field(*admin, 7, "EUR", "held") == "500.00");
  CallOk(*fin1, "MngFailWithdrawal", fmt::format(R"({{"id":{},"failure_code":"iban_closed"}})", id1));
  CHECK(Field(*admin, 7, "EUR", "held") == "0.00");
  CallFails(*fin1, "MngMarkWithdrawalPaid", fmt::format(R"({{"id":{},"voucher":"x"}})", id1),
            Code::kConflict);
  // Refusals for the state of things.
  std::string why = CallFails(*admin, "MngAddWithdrawal",
                              fmt::format(R"({{"customer_id":7,"brand":"{}","channel":"wire-fx",)"
                                          R"("amount":"9000","currency":"EUR"}})", kFxBrand),
                              Code::kConflict);
  CHECK(why.find("insufficient available balance: 4950.00 EUR available") != std::string::npos);
  why = CallFails(*admin, "MngAddWithdrawal",
                  fmt::format(R"({{"customer_id":7,"brand":"{}","channel":"bank-only","amount":"10",)"
                              R"("currency":"EUR"}})", kFxBrand),
                  Code::kConflict);
  CHECK(why.find("verified bank account") != std::string::npos);
  CallFails(*admin, "MngAddWithdrawal",
            fmt::format(R"({{"customer_id":7,"brand":"{}","channel":"card-fx","amount":"10",)"
                        R"("currency":"EUR"}})", kFxBrand), Code::kConflict);  // no withdrawals there
  CallOk(*admin, "MngSetAccountStatus",
         fmt::format(R"({{"customer_id":7,"brand":"{}","status":"restricted","reason":"chargebacks"}})", kFxBrand));
  why = CallFails(*admin, "MngAddWithdrawal",
                  fmt::format(R"({{"customer_id":7,"brand":"{}","channel":"wire-fx","amount":"10",)"
                              R"("currency":"EUR"}})", kFxBrand),
                  Code::kConflict);
  CHECK(why.find("account restricted (chargebacks): withdrawal not allowed") != std::string::npos);
  auto mine = ConnectTcp(server);
  CallOk(*mine, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(*admin, 7, kFxBrand)));
  CallFails(*mine, "KycRequestWithdrawal", R"({"channel":"wire-fx","amount":"10","currency":"EUR"})",
            Code::kForbidden);
  CHECK(IntField(CallOk(*mine, "KycGetWithdrawals", "{}"), "total") == 3);
}

TEST_CASE_FIXTURE(RunningServer, "funds: two hundred concurrent withdrawals never hold more than is available") {
  auto admin = AdminClient(server);
  Channels(*admin);
  HttpClient psp("127.0.0.1", server.http_port());
  FundedCustomer(server, *admin, psp, 8, "1000.00");
  const std::string token = ClientToken(*admin, 8, kFxBrand);
  std::atomic<int> accepted{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t) {
    threads.emplace_back([&] {
      auto c = ConnectTcp(server);
      auto auth = c->Call("Auth", fmt::format(R"({{"token":"{}"}})", token));
      if (!auth.ok() || !auth->ok()) {
        other += 10;
        return;
      }
      for (int i = 0; i < 10; ++i) {
        auto r = c->Call("KycRequestWithdrawal",
                         R"({"channel":"wire-fx","amount":"10.00","currency":"EUR"})");
        if (!r.ok()) ++other;
        else if (r->ok()) ++accepted;
        else if (r->code == Code::kConflict) ++refused;
        else ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(accepted.load() == 100);
  CHECK(refused.load() == 100);
  CHECK(other.load() == 0);
  CHECK(Field(*admin, 8, "EUR", "held") == "1000.00");
  CHECK(Field(*admin, 8, "EUR", "available") == "0.00");
  CHECK(Field(*admin, 8, "EUR", "balance") == "1000.00");
}

TEST_CASE_FIXTURE(RunningServer, "funds: bank accounts verified before a bank-only withdrawal, adjustments with four eyes") {
  auto admin = AdminClient(server);
  Channels(*admin);
  HttpClient psp("127.0.0.1", server.http_port());
  FundedCustomer(server, *admin, psp, 9, "1000.00");
  auto fin1 = Finance(server, *admin, "fin1");
  const std::string key = fmt::format(R"("customer_id":9,"brand":"{}")", kFxBrand);
  auto bank_status = [&] {
    return StrField(CallOk(*admin, "MngGetCustomer", "{" + key + "}"), "bank_account_status");
  };
  CHECK(bank_status() == "none");

  // The client adds one over REST with a photo of the bank book: pending, the name matches.
  auto client = HttpWithToken(server, ClientToken(*admin, 9, kFxBrand));
  const std::string photo = StrField(UploadOk(*client, "bank-book.png", PngBytes("book")), "file_id");
  HttpResponse added = client->Request(
      "POST", "/client/bank-accounts",
      fmt::format(R"({{"bank_name":"Kasikorn","account_name":"LEE Ann","account_number":"123-4-56789-0",)"
                  R"("photo_file_id":"{}"}})", photo));
  REQUIRE_MESSAGE(added.status == 200, added.body);
  auto mine = Json(added.body);
  const int64_t account = IntField(mine, "id");
  CHECK(StrField(mine, "status") == "pending");
  CHECK(mine["name_match"].GetBool());
  CHECK(StrField(mine, "account_number") == "1234567890");
  CHECK(bank_status() == "pending");
  // The same number again is refused; a bad number or a stranger's photo too.
  CHECK(client->Request("POST", "/client/bank-accounts",
                        fmt::format(R"({{"bank_name":"K","account_name":"Ann Lee","account_number":"1234567890",)"
                                    R"("photo_file_id":"{}"}})", photo)).status == 409);
  CHECK(client->Request("POST", "/client/bank-accounts",
                        fmt::format(R"({{"bank_name":"K","account_name":"Ann Lee","account_number":"12",)"
                                    R"("photo_file_id":"{}"}})", photo)).status == 400);

  // Pending is not enough for a channel that pays only to a bank account.
  auto tcp = ConnectTcp(server);
  CallOk(*tcp, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(*admin, 9, kFxBrand)));
  std::string why = CallFails(*tcp, "KycRequestWithdrawal",
                              R"({"channel":"bank-only","amount":"100","currency":"EUR"})", Code::kConflict);
  CHECK(why.find("verified bank account") != std::string::npos);
  CHECK(why.find("bank_account_status pending") != std::string::npos);
  why = CallFails(*tcp, "KycRequestWithdrawal",
                  fmt::format(R"({{"channel":"bank-only","amount":"100","currency":"EUR","bank_account_id":{}}})", account),
                  Code::kConflict);
  CHECK(why.find(fmt::format("bank account {} is pending, not verified", account)) != std::string::npos);

  // Staff add one whose name is not the customer's: verifying it needs a comment, and the
  // person who added it may not verify it.
  auto other = CallOk(*admin, "MngAddBankAccount",
                      fmt::format(R"({{{},"bank_name":"SCB","account_name":"Bob Smith",)"
                                  R"("account_number":"TH 555 000 111","photo_file_id":"{}"}})", key, photo));
  const int64_t bob = IntField(other, "id");
  CHECK_FALSE(other["name_match"].GetBool());
  CallFails(*admin, "MngApproveBankAccount", fmt::format(R"({{"id":{},"comment":"ok"}})", bob), Code::kForbidden);
  auto reviewer = ConnectTcp(server);
  CallOk(*admin, "MngAddManager",
         R"({"login":"reviewer","password":"review-pass-1","session_type":"SESSION_MANAGER","roles":["compliance"]})");
  MustLogin(*reviewer, "reviewer", "review-pass-1");
  why = CallFails(*reviewer, "MngApproveBankAccount", fmt::format(R"({{"id":{}}})", bob), Code::kBadRequest);
  CHECK(why.find("field 'comment' is required") != std::string::npos);
  auto rejected = CallOk(*reviewer, "MngRejectBankAccount",
                         fmt::format(R"({{"id":{},"reason":"not the holder"}})", bob));
  CHECK(StrField(rejected, "status") == "rejected");
  // Finance may not verify (kyc.review); the reviewer does.
  CallFails(*fin1, "MngApproveBankAccount", fmt::format(R"({{"id":{}}})", account), Code::kForbidden);
  CallOk(*reviewer, "MngApproveBankAccount", fmt::format(R"({{"id":{}}})", account));
  CHECK(bank_status() == "verified");
  auto pending = CallOk(*admin, "MngGetBankAccounts", fmt::format(R"({{"brand":"{}","status":"verified"}})", kFxBrand));
  CHECK(IntField(pending, "total") == 1);

  // Now the withdrawal goes to the verified account; the rejected one is refused.
  CallFails(*tcp, "KycRequestWithdrawal",
            fmt::format(R"({{"channel":"bank-only","amount":"100","currency":"EUR","bank_account_id":{}}})", bob),
            Code::kConflict);
  auto w = CallOk(*tcp, "KycRequestWithdrawal", R"({"channel":"bank-only","amount":"100","currency":"EUR"})");
  CHECK(IntField(w["withdrawal"], "bank_account_id") == account);
  CHECK(IntField(CallOk(*tcp, "KycGetBankAccounts", "{}"), "total") == 2);
  // An account rejected after the request: the withdrawal may be neither approved nor paid.
  CallOk(*reviewer, "MngRejectBankAccount", fmt::format(R"({{"id":{},"reason":"closed by the bank"}})", account));
  why = CallFails(*fin1, "MngApproveWithdrawal",
                  fmt::format(R"({{"id":{}}})", IntField(w["withdrawal"], "id")), Code::kConflict);
  CHECK(why.find("which is rejected") != std::string::npos);
  CHECK(bank_status() == "rejected");

  // Another customer: the number is this one's, and this one's account is not theirs.
  FundedCustomer(server, *admin, psp, 10, "100.00");
  auto stranger = ConnectTcp(server);
  CallOk(*stranger, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(*admin, 10, kFxBrand)));
  CallFails(*stranger, "KycRequestWithdrawal",
            fmt::format(R"({{"channel":"wire-fx","amount":"1","currency":"EUR","bank_account_id":{}}})", account),
            Code::kNotFound);
  auto other_client = HttpWithToken(server, ClientToken(*admin, 10, kFxBrand));
  const std::string photo10 = StrField(UploadOk(*other_client, "book.png", PngBytes("ten")), "file_id");
  CallOk(*admin, "MngAddBankAccount",
         fmt::format(R"({{"customer_id":10,"brand":"{}","bank_name":"K","account_name":"Ann Lee",)"
                     R"("account_number":"5550001119","photo_file_id":"{}"}})", kFxBrand, photo10));
  // Bob's number was rejected: free again. Customer 10's pending one is not customer 9's.
  CallOk(*admin, "MngAddBankAccount",
         fmt::format(R"({{"customer_id":10,"brand":"{}","bank_name":"K","account_name":"Ann Lee",)"
                     R"("account_number":"TH555000111","photo_file_id":"{}"}})", kFxBrand, photo10));
  why = CallFails(*admin, "MngAddBankAccount",
                  fmt::format(R"({{{},"bank_name":"K","account_name":"Ann Lee",)"
                              R"("account_number":"555-000-1119","photo_file_id":"{}"}})", key, photo),
                  Code::kConflict);
  CHECK(why.find("of customer 10 of brand") != std::string::npos);
  HttpResponse mule = client->Request(
      "POST", "/client/bank-accounts",
      fmt::format(R"({{"bank_name":"K","account_name":"Ann Lee","account_number":"5550001119",)"
                  R"("photo_file_id":"{}"}})", photo));
  CHECK(mule.status == 409);
  CHECK(mule.body.find("customer 10") == std::string::npos);  // a client learns nothing of it
  // A client may not upload a CSV, nor use another customer's photo.
  CHECK(UploadFile(*other_client, "s.csv", "a,b\n").status == 400);
  CHECK(other_client->Request("POST", "/client/bank-accounts",
                              fmt::format(R"({{"bank_name":"K","account_name":"Ann Lee","account_number":"99999999",)"
                                          R"("photo_file_id":"{}"}})", photo)).status == 403);

  // A correction of the balance always waits for a second person, over REST as over TCP.
  auto rest = HttpWithToken(server, AdminHttpToken(server));
  HttpResponse adj = rest->Request("POST", fmt::format("/manager/customers/{}/9/adjustments", kFxBrand),
                                   R"({"currency":"EUR","amount":"-25.50","reason":"fee charged twice"})");
  REQUIRE_MESSAGE(adj.status == 200, adj.body);
  auto asked = Json(adj.body);
  REQUIRE(asked["pending_approval"].GetBool());
  CallFails(*admin, "MngAdjustBalance",
            fmt::format(R"({{"customer_id":404,"brand":"{}","currency":"EUR","amount":"1","reason":"x"}})", kFxBrand),
            Code::kConflict);  // refused at once, no request made
  CHECK(Field(*admin, 9, "EUR", "balance") == "1000.00");
  CallFails(*admin, "MngApproveRequest", fmt::format(R"({{"id":{}}})", IntField(asked["request"], "id")),
            Code::kForbidden);
  auto done = CallOk(*fin1, "MngApproveRequest", fmt::format(R"({{"id":{}}})", IntField(asked["request"], "id")));
  CHECK(Field(*admin, 9, "EUR", "balance") == "974.50");
  auto ledger = CallOk(*admin, "MngGetLedger", "{" + key + "}");
  CHECK(StrField(ledger["items"][0], "kind") == "adjustment");
  CHECK(StrField(ledger["items"][0], "amount") == "-25.50");
  // One that would take more than is available is refused when it is approved.
  auto too_much = CallOk(*admin, "MngAdjustBalance",
                         fmt::format(R"({{{},"currency":"EUR","amount":"-5000","reason":"typo"}})", key));
  why = CallFails(*fin1, "MngApproveRequest", fmt::format(R"({{"id":{}}})", IntField(too_much["request"], "id")),
                  Code::kConflict);
  CHECK(why.find("would leave") != std::string::npos);
  CallFails(*admin, "MngAdjustBalance", fmt::format(R"({{{},"currency":"EUR","amount":"0","reason":"x"}})", key),
            Code::kBadRequest);
  CallFails(*admin, "MngAdjustBalance", fmt::format(R"({{{},"currency":"EUR","amount":"1e3","reason":"x"}})", key),
            Code::kBadRequest);
  CHECK(Field(*admin, 9, "EUR", "balance") == "974.50");
}

TEST_CASE_FIXTURE(RunningServer, "funds: a provider's statement reconciled as CSV text and as an uploaded file") {
  auto admin = AdminClient(server);
  Channels(*admin);
  HttpClient psp("127.0.0.1", server.http_port());
  FundedCustomer(server, *admin, psp, 11, "200.00");  // psp_order_id fund-11
  auto deposit = [&](std::string_view order, std::string_view amount) {
    auto d = CallOk(*admin, "MngAddDeposit",
                    fmt::format(R"({{"customer_id":11,"brand":"{}","channel":"card-fx","amount":"{}",)"
                                R"("currency":"EUR"}})", kFxBrand, amount));
    HttpResponse cb = Callback(psp, "card-fx", kCardSecret,
                               fmt::format(R"({{"deposit_id":{},"psp_order_id":"{}","status":"succeeded",)"
                                           R"("amount":"{}","currency":"EUR","payer_name":"Ann Lee"}})",
                                           IntField(d, "id"), order, amount));
    REQUIRE_MESSAGE(cb.status == 200, cb.body);
  };
  deposit("ord-x", "50.00");
  deposit("ord-y", "70.00");
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd(today);
  const std::string date = fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()),
                                       unsigned(ymd.day()));
  const std::string statement = fmt::format(
      "psp_order_id,amount,currency,status,date\n"
      "fund-11,200.00,EUR,succeeded,{0}\n"
      "ord-x,55.00,EUR,succeeded,{0}\n"
      "ghost-1,10.00,EUR,succeeded,{0}\n", date);
  auto http = HttpWithToken(server, AdminHttpToken(server));
  std::string text = "\"";  // as a JSON string: the CSV has no quote to escape
  for (char ch : statement) text += ch == '\n' ? std::string("\\n") : std::string(1, ch);
  text += '"';
  // The period given (two days around now), so that a run across midnight UTC agrees.
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
  HttpResponse r = http->Request("POST", "/manager/reconciliations",
                                 fmt::format(R"({{"brand":"{}","channel":"card-fx","statement":{},)"
                                             R"("from":{},"to":{}}})",
                                             kFxBrand, text, now_s - 86400, now_s + 86400));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto rec = Json(r.body);
  CHECK(IntField(rec, "rows") == 3);
  CHECK(IntField(rec["counts"], "matched") == 1);
  CHECK(IntField(rec["counts"], "amount_mismatch") == 1);
  CHECK(IntField(rec["counts"], "missing_in_back_office") == 1);
  CHECK(IntField(rec["counts"], "missing_in_statement") == 1);
  CHECK(StrField(rec["matched"][0], "psp_order_id") == "fund-11");
  CHECK(StrField(rec["amount_mismatch"][0]["back_office"], "amount") == "50.00");
  CHECK(IntField(rec["missing_in_back_office"][0], "line") == 4);
  CHECK(StrField(rec["missing_in_statement"][0], "psp_order_id") == "ord-y");

  // A malformed line: named by its number, nothing stored.
  std::string why = CallFails(
      *admin, "MngReconcilePayments",
      fmt::format(R"({{"brand":"{}","channel":"card-fx","statement":"psp_order_id,amount,currency,status,date\nok,1,EUR,paid,{}\nbad,1.2.3,EUR,paid,{}\n"}})",
                  kFxBrand, date, date),
      Code::kBadRequest);
  CHECK(why.find("statement line 3: field 'amount'") != std::string::npos);
  CallFails(*admin, "MngReconcilePayments",
            fmt::format(R"({{"brand":"{}","channel":"wire-fx-none","statement":"x"}})", kFxBrand), Code::kNotFound);

  // The same statement uploaded as a .csv file, given by its id.
  const std::string file = StrField(UploadOk(*http, "statement.csv", statement), "file_id");
  auto again = CallOk(*admin, "MngReconcilePayments",
                      fmt::format(R"({{"brand":"{}","channel":"card-fx","statement":"{}","from":{},"to":{}}})",
                                  kFxBrand, file, now_s - 86400, now_s + 86400));
  CHECK(IntField(again["counts"], "matched") == 1);
  CHECK(IntField(again["counts"], "missing_in_statement") == 1);
  // A PNG named .csv is refused at upload: a statement must be text.
  CHECK(UploadFile(*http, "fake.csv", PngBytes("x")).status == 400);

  auto listed = CallOk(*admin, "MngGetReconciliations", fmt::format(R"({{"brand":"{}"}})", kFxBrand));
  REQUIRE(IntField(listed, "total") == 2);
  CHECK_FALSE(listed["items"][0].HasMember("matched"));
  auto one = Json(http->Request("GET", fmt::format("/manager/reconciliations/{}",
                                                   IntField(listed["items"][1], "id"))).body);
  CHECK(StrField(one["missing_in_statement"][0], "psp_order_id") == "ord-y");
}

}  // namespace kyc::itest
