// Reconciliation statements and bank accounts (issue 16): the CSV parser with its line
// numbers, dates, the comparison's five outcomes, account numbers and the record summary.
#include <doctest/doctest.h>

#include "funds/bank_accounts.h"
#include "funds/reconciliation.h"

namespace kyc {
namespace {

Decimal Dec(std::string_view s) { return *Decimal::Parse(s); }

constexpr std::string_view kHeader = "psp_order_id,amount,currency,status,date\n";

std::string Message(const Result<std::vector<StatementRow>>& r) {
  return r.ok() ? std::string("ok") : r.status().message();
}

}  // namespace

TEST_CASE("statement: rows with their line numbers, columns in any order, quotes and blanks") {
  const std::string csv =
      "date,Status,amount,currency,psp_order_id,note\r\n"
      "2026-11-30,succeeded,100.50,EUR,ord-1,first\r\n"
      "\r\n"
      "2026-11-30T14:05:00Z,PAID,\"1,5\",EUR,\"ord,2\",\"a \"\"quoted\"\" note\"\r\n"
      "2026-12-01 09:00,declined,-20,USD,ord-3,\"two\nlines\"\n"
      "2026-12-01,pending,7,EUR,ord-4,last";
  // "1,5" is not a decimal: the first malformed line is named.
  auto bad = ParseStatement(csv);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kBadRequest);
  CHECK(Message(bad).find("statement line 4: field 'amount'") != std::string::npos);

  std::string fixed = csv;
  fixed.replace(fixed.find("\"1,5\""), 5, "1.5");
  auto rows = ParseStatement(fixed);
  REQUIRE_MESSAGE(rows.ok(), Message(rows));
  REQUIRE(rows->size() == 4);
  CHECK((*rows)[0].line == 2);
  CHECK((*rows)[0].psp_order_id == "ord-1");
  CHECK((*rows)[0].amount == Dec("100.50"));
  CHECK((*rows)[0].status == "succeeded");
  CHECK((*rows)[0].date == 1795996800);
  CHECK((*rows)[1].line == 4);  // the blank line 3 counted, skipped
  CHECK((*rows)[1].psp_order_id == "ord,2");
  CHECK((*rows)[1].status == "succeeded");
  CHECK((*rows)[1].date == 1795996800 + 14 * 3600 + 5 * 60);
  CHECK((*rows)[2].line == 5);
  CHECK((*rows)[2].status == "failed");
  CHECK((*rows)[2].amount == Dec("-20"));
  CHECK((*rows)[3].line == 7);  // the quoted note of line 5 spans two lines
  CHECK((*rows)[3].status == "pending");
}

TEST_CASE("statement: each malformed line is refused with its number and field") {
  auto with = [](std::string_view row) { return std::string(kHeader) + "ok-1,1.00,EUR,paid,2026-11-01\n" + std::string(row); };
  CHECK(Message(ParseStatement(with("x,abc,EUR,paid,2026-11-01"))).starts_with("statement line 3: field 'amount'"));
  CHECK(Message(ParseStatement(with("x,1,EURO,paid,2026-11-01"))).starts_with("statement line 3: field 'currency'"));
  CHECK(Message(ParseStatement(with("x,1,EUR,lost,2026-11-01"))).starts_with("statement line 3: field 'status'"));
  CHECK(Message(ParseStatement(with("x,1,EUR,paid,2026-02-30"))).starts_with("statement line 3: field 'date'"));
  CHECK(Message(ParseStatement(with("x,1,EUR,paid,01/11/2026"))).starts_with("statement line 3: field 'date'"));
  CHECK(Message(ParseStatement(with(",1,EUR,paid,2026-11-01"))).starts_with("statement line 3: field 'psp_order_id'"));
  CHECK(Message(ParseStatement(with("x,1,EUR,paid"))).starts_with("statement line 3: 4 fields"));
  CHECK(Message(ParseStatement(with("ok-1,2,EUR,paid,2026-11-02"))) ==
        "statement line 3: psp_order_id 'ok-1' repeats line 2");
  CHECK(Message(ParseStatement(with("x,\"1,EUR,paid,2026-11-01"))).starts_with("statement line 3:"));
  CHECK(Message(ParseStatement("psp_order_id,amount,currency,date\n")).starts_with(
      "statement line 1: column 'status' is missing"));
  CHECK(Message(ParseStatement("")).starts_with("field 'statement' is empty"));
  CHECK(Message(ParseStatement(std::string(kHeader))) == "ok");  // a header alone: no rows
  // Binary garbage is a clear error, never a crash.
  std::string garbage(kHeader);
  for (int i = 0; i < 256; ++i) garbage += static_cast<char>(i);
  CHECK_FALSE(ParseStatement(garbage).ok());
}

TEST_CASE("statement: a byte-order mark, and a row named by the line its first field starts on") {
  auto rows = ParseStatement("\xEF\xBB\xBF" + std::string(kHeader) +
                             "\"ord\n-1\",1.00,EUR,paid,2026-11-01\n"
                             "ord-2,2.00,EUR,paid,2026-11-01\n");
  REQUIRE_MESSAGE(rows.ok(), Message(rows));
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].line == 2);
  CHECK((*rows)[0].psp_order_id == "ord\n-1");
  CHECK((*rows)[1].line == 4);
  auto bad = ParseStatement(std::string(kHeader) + "\"ord\n-1\",x,EUR,paid,2026-11-01\n");
  CHECK(Message(bad).starts_with("statement line 2: field 'amount'"));
}

TEST_CASE("statement: dates") {
  CHECK(ParseStatementDate("1970-01-01") == 0);
  CHECK(ParseStatementDate("2026-11-30T00:00:01Z") == 1795996801);
  CHECK(ParseStatementDate("2026-11-30 23:59:59") == 1795996800 + 86399);
  CHECK(ParseStatementDate("2026-11-30T10:00+00:00") == 1795996800 + 36000);
  CHECK_FALSE(ParseStatementDate("2026-11-30T10:00+02:00"));
  CHECK_FALSE(ParseStatementDate("2026-13-01"));
  CHECK_FALSE(ParseStatementDate("2026-11-30T24:00"));
  CHECK_FALSE(ParseStatementDate("2026-11-3"));
  CHECK_FALSE(ParseStatementDate(""));
}

TEST_CASE("reconciliation: matched, missing on either side, amount and status mismatches") {
  const int64_t day = 1795996800;  // 2026-11-30
  auto rows = ParseStatement(std::string(kHeader) +
                             "o-match,100.00,EUR,succeeded,2026-11-30\n"
                             "o-amount,99.00,EUR,succeeded,2026-11-30\n"
                             "o-status,50.00,EUR,failed,2026-11-30\n"
                             "o-unknown,10.00,EUR,succeeded,2026-11-30\n"
                             "v-payout,-30.00,EUR,paid,2026-11-30\n");
  REQUIRE(rows.ok());
  std::vector<BackOfficePayment> bo = {
      {"deposit", 1, "o-match", Dec("100"), "EUR", "succeeded", day + 10},
      {"deposit", 2, "o-amount", Dec("100"), "EUR", "succeeded", day + 20},
      {"deposit", 3, "o-status", Dec("50"), "EUR", "succeeded", day + 30},
      {"deposit", 4, "o-missing", Dec("70"), "EUR", "succeeded", day + 40},
      {"deposit", 5, "o-earlier", Dec("70"), "EUR", "succeeded", day - 10},  // outside the period
      {"deposit", 6, "o-pending", Dec("70"), "EUR", "pending", day + 50},   // not expected yet
      {"withdrawal", 7, "v-payout", Dec("30"), "EUR", "succeeded", day + 60},
  };
  Reconciliation r;
  Reconcile(*rows, bo, std::nullopt, std::nullopt, r);
  CHECK(r.rows == 5);
  CHECK(r.period_from == day);
  CHECK(r.period_to == day + 86399);
  CHECK(r.matched == 2);
  CHECK(r.amount_mismatch == 1);
  CHECK(r.status_mismatch == 1);
  CHECK(r.missing_in_back_office == 1);
  CHECK(r.missing_in_statement == 1);
  CHECK(r.lists[0].find("\"o-match\"") != std::string::npos);
  CHECK(r.lists[0].find("\"v-payout\"") != std::string::npos);
  CHECK(r.lists[1].find("\"line\":5") != std::string::npos);
  CHECK(r.lists[2].find("\"o-missing\"") != std::string::npos);
  CHECK(r.lists[2].find("o-earlier") == std::string::npos);
  CHECK(r.lists[3].find("\"o-amount\"") != std::string::npos);
  CHECK(r.lists[4].find("\"o-status\"") != std::string::npos);
  // One reference naming two records: the row takes the one that agrees with it.
  std::vector<BackOfficePayment> twice = {
      {"deposit", 8, "o-match", Dec("5"), "EUR", "succeeded", day + 70},
      {"deposit", 1, "o-match", Dec("100"), "EUR", "succeeded", day + 10}};
  Reconciliation both;
  Reconcile({(*rows)[0]}, twice, std::nullopt, std::nullopt, both);
  CHECK(both.matched == 1);
  CHECK(both.amount_mismatch == 0);
  CHECK(both.missing_in_statement == 1);
  CHECK(both.lists[2].find("\"id\":8") != std::string::npos);
  // A period asked for widens what the statement should hold.
  Reconciliation wide;
  Reconcile(*rows, bo, day - 86400, day + 86399, wide);
  CHECK(wide.missing_in_statement == 2);
}

TEST_CASE("bank accounts: numbers normalized, the record's summary") {
  CHECK(NormalizeAccountNumber("de89 3704-0044 0532 0130 00") == "DE89370400440532013000");
  CHECK(NormalizeAccountNumber("123-4-56789-0") == "1234567890");
  CHECK_FALSE(NormalizeAccountNumber("1234"));
  CHECK_FALSE(NormalizeAccountNumber("12345/678"));
  CHECK_FALSE(NormalizeAccountNumber(std::string(35, '1')));
  auto account = [](BankAccountStatus s) {
    auto a = std::make_shared<BankAccount>();
    a->status = s;
    return std::shared_ptr<const BankAccount>(a);
  };
  CHECK(SummaryOf({}) == BankAccountState::kNone);
  CHECK(SummaryOf({account(BankAccountStatus::kRejected)}) == BankAccountState::kRejected);
  CHECK(SummaryOf({account(BankAccountStatus::kRejected), account(BankAccountStatus::kPending)}) ==
        BankAccountState::kPending);
  CHECK(SummaryOf({account(BankAccountStatus::kPending), account(BankAccountStatus::kVerified),
                   account(BankAccountStatus::kRejected)}) == BankAccountState::kVerified);
}

}  // namespace kyc
