// Fund workflows (issue 16): approval levels, the callback signature, balance and hold
// arithmetic, and payment channels, balances and the ledger through the dispatcher.
#include <doctest/doctest.h>

#include "funds/ledger.h"
#include "funds/rules.h"
#include "tests/unit/kyc_fixture.h"

namespace kyc {
namespace {

Decimal D(std::string_view s) { return *Decimal::Parse(s); }

PaymentChannel Channel() {
  PaymentChannel c;
  c.auto_below_eur = D("1000");
  c.one_approver_below_eur = D("10000");
  return c;
}

}  // namespace

TEST_CASE("funds: approval level from amount, risk level and channel") {
  const PaymentChannel c = Channel();
  CHECK(ApprovalLevelOf(D("999.99"), RiskLevel::kLow, c) == 0);
  CHECK(ApprovalLevelOf(D("999.99"), RiskLevel::kUnknown, c) == 0);
  CHECK(ApprovalLevelOf(D("1000.00"), RiskLevel::kLow, c) == 1);   // at the threshold: not below
  CHECK(ApprovalLevelOf(D("999.99"), RiskLevel::kMedium, c) == 1);  // medium risk: never auto
  CHECK(ApprovalLevelOf(D("9999.99"), RiskLevel::kMedium, c) == 1);
  CHECK(ApprovalLevelOf(D("10000.00"), RiskLevel::kLow, c) == 2);
  CHECK(ApprovalLevelOf(D("5.00"), RiskLevel::kHigh, c) == 2);      // high risk: two people
  PaymentChannel none;  // no thresholds: always two
  CHECK(ApprovalLevelOf(D("1.00"), RiskLevel::kLow, none) == 2);
}

TEST_CASE("funds: the callback signature is HMAC-SHA256 in hex, checked in constant time") {
  // RFC 4231, test case 2.
  const std::string sig = CallbackSignature("Jefe", "what do ya want for nothing?");
  CHECK(sig == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(VerifyCallbackSignature("Jefe", "what do ya want for nothing?", sig));
  std::string upper = sig;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  CHECK(VerifyCallbackSignature("Jefe", "what do ya want for nothing?", upper));
  CHECK_FALSE(VerifyCallbackSignature("Jefe", "what do ya want for nothing!", sig));
  CHECK_FALSE(VerifyCallbackSignature("jefe", "what do ya want for nothing?", sig));
  CHECK_FALSE(VerifyCallbackSignature("Jefe", "what do ya want for nothing?", sig.substr(1)));
  CHECK_FALSE(VerifyCallbackSignature("Jefe", "what do ya want for nothing?", ""));
  CHECK_FALSE(VerifyCallbackSignature("", "body", CallbackSignature("", "body")));
  std::string bad = sig;
  bad[0] = 'z';
  CHECK_FALSE(VerifyCallbackSignature("Jefe", "what do ya want for nothing?", bad));
}

TEST_CASE("funds: a balance is the sum of its entries, holds reserve without moving it") {
  LedgerEntry a{.currency = "EUR", .amount = D("100.10")};
  LedgerEntry b{.currency = "EUR", .amount = D("-40.05")};
  LedgerEntry c{.currency = "USD", .amount = D("0.00000001")};
  Hold h1{.currency = "EUR", .amount = D("50.00")};
  Hold released{.currency = "EUR", .amount = D("999"), .status = HoldStatus::kReleased};
  Hold settled{.currency = "EUR", .amount = D("999"), .status = HoldStatus::kSettled};
  auto balances = ComputeBalances({&a, &b, &c}, {&h1, &released, &settled});
  REQUIRE(balances.size() == 2);
  CHECK(balances[0].currency == "EUR");
  CHECK(balances[0].balance == D("60.05"));
  CHECK(balances[0].held == D("50"));
  CHECK(balances[0].available == D("10.05"));
  CHECK(balances[1].currency == "USD");
  CHECK(balances[1].balance.ToString(2) == "0.00000001");
  CHECK(ComputeBalances({}, {}).empty());
}

TEST_CASE_FIXTURE(KycTest, "funds: payment channels, unique codes, the secret never sent back") {
  auto admin = h_.Admin();
  const std::string card =
      R"({"brand":"brand_a","code":"card-eu","name":"Cards","kind":"card","currencies":["EUR","USD"],)"
      R"("min_amount":"10","max_amount":"5000","approval":{"auto_below_eur":"500",)"
      R"("one_approver_below_eur":"2000"},"callback_secret":"0123456789abcdef0123"})";
  auto ch = Ok("MngSetPaymentChannel", card, admin);
  CHECK(Str(ch, "code") == "card-eu");
  CHECK(Str(ch, "min_amount") == "10.00");
  CHECK(Str(ch["approval"], "auto_below_eur") == "500.00");
  CHECK(Bool(ch, "has_callback_secret"));
  CHECK_FALSE(Contains(Call("MngGetPaymentChannels", R"({"brand":"brand_a"})").text(),
                       "0123456789abcdef"));
  auto list = Ok("MngGetPaymentChannels", R"({"brand":"brand_a"})");
  CHECK(Int(list, "total") == 1);
  // The code is unique across brands.
  std::string other = card;
  other.replace(other.find("brand_a"), 7, "brand_b");
  CHECK(Err("MngSetPaymentChannel", other, admin) == Code::kConflict);
  // An update may leave the secret out (it is kept).
  auto updated = Ok("MngSetPaymentChannel",
                    R"({"brand":"brand_a","code":"card-eu","name":"Cards EU","kind":"card",)"
                    R"("currencies":["EUR"],"min_amount":"10","max_amount":"5000"})",
                    admin);
  CHECK(Str(updated, "name") == "Cards EU");
  CHECK(Bool(updated, "has_callback_secret"));
  CHECK(h_.core().kyc().funds().channels().FindCode("card-eu")->callback_secret ==
        "0123456789abcdef0123");
  // Bad input names the field; nothing changes.
  for (std::string bad : {
           R"({"brand":"brand_a","code":"x","name":"X","kind":"cash","currencies":["EUR"],"min_amount":"1","max_amount":"2","callback_secret":"0123456789abcdef"})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":["EURO"],"min_amount":"1","max_amount":"2","callback_secret":"0123456789abcdef"})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":[],"min_amount":"1","max_amount":"2","callback_secret":"0123456789abcdef"})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":["EUR"],"min_amount":"3","max_amount":"2","callback_secret":"0123456789abcdef"})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":["EUR"],"min_amount":1.5,"max_amount":"2","callback_secret":"0123456789abcdef"})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":["EUR"],"min_amount":"1","max_amount":"2"})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":["EUR"],"min_amount":"1","max_amount":"2","callback_secret":"short"})",
           R"({"brand":"brand_a","code":"X Y","name":"X","kind":"card","currencies":["EUR"],"min_amount":"1","max_amount":"2","callback_secret":"0123456789abcdef"})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":["EUR"],"min_amount":"1","max_amount":"2","callback_secret":"0123456789abcdef","approval":{"auto_below_eur":"5","one_approver_below_eur":"1"}})",
           R"({"brand":"brand_a","code":"x","name":"X","kind":"card","currencies":["EUR"],"min_amount":"1","max_amount":"2","callback_secret":"0123456789abcdef","approval":{"auto_below":"5"}})"}) {
    CAPTURE(bad);
    CHECK(Err("MngSetPaymentChannel", bad, admin) == Code::kBadRequest);
  }
  CHECK(Int(Ok("MngGetPaymentChannels", R"({"brand":"brand_a"})"), "total") == 1);
  // A manager (compliance, finance, risk) reads channels but does not configure them.
  CHECK(Err("MngSetPaymentChannel", card) == Code::kForbidden);
  auto audit = Audit(R"({"entity":"payment_channel"})");
  CHECK(audit["items"].Size() == 2);
  CHECK_FALSE(Contains(Str(audit["items"][0], "action"), "secret"));
}

TEST_CASE_FIXTURE(KycTest, "funds: balances and ledger of a customer without money are empty") {
  auto b = Ok("MngGetBalances", R"({"customer_id":1001,"brand":"brand_a"})");
  CHECK(b["items"].Size() == 0);
  auto l = Ok("MngGetLedger", R"({"customer_id":1001,"brand":"brand_a","currency":"EUR"})");
  CHECK(Int(l, "total") == 0);
  CHECK(Err("MngGetLedger", R"({"customer_id":1001})") == Code::kBadRequest);
}

}  // namespace kyc
