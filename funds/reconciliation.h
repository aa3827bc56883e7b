// Payment reconciliation (issue 16, the seed's pre-launch checks): a provider's statement
// (CSV: psp_order_id, amount, currency, status, date) set against what the back office
// recorded for the channel, deposits by their psp_order_id and paid withdrawals by their
// voucher. Pure: the statement is parsed and compared here; the result is stored by the
// funds workflow.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "funds/deposits.h"
#include "funds/filter.h"
#include "funds/withdrawals.h"
#include "money/decimal.h"
#include "protocol/status.h"
#include "tables/staged_table.h"

namespace kyc {

inline constexpr size_t kMaxStatementRows = 100000;
inline constexpr size_t kMaxStatementBytes = 16u << 20;  // as text in the params

struct StatementRow {
  int64_t line = 0;  // in the statement, the header being line 1
  std::string psp_order_id;
  Decimal amount;         // as given (a payout may be negative); compared by its magnitude
  std::string currency;
  std::string status;     // normalized: succeeded | failed | pending
  int64_t date = 0;       // unix seconds
};

// The rows of a statement: a header naming at least the five columns (any order, other
// columns ignored), then one row per line; blank lines skipped. bad_request naming the
// line and the field for the first malformed line ("statement line 4: field 'amount' …"),
// a repeated psp_order_id, or more than kMaxStatementRows rows.
Result<std::vector<StatementRow>> ParseStatement(std::string_view csv);

// "2026-11-30", "2026-11-30T14:05:00Z", "2026-11-30 14:05[:00]" (UTC) → unix seconds.
std::optional<int64_t> ParseStatementDate(std::string_view text);

// One back-office record a statement row is compared with.
struct BackOfficePayment {
  std::string kind;  // deposit | withdrawal
  int64_t id = 0;
  std::string reference;  // psp_order_id of a deposit, voucher of a withdrawal
  Decimal amount;         // the paid amount (a deposit's as the provider reported it)
  std::string currency;
  std::string status;     // normalized like a statement row's
  int64_t at = 0;         // when it was credited or paid
};
std::vector<BackOfficePayment> BackOfficeOf(const std::vector<const Deposit*>& deposits,
                                            const std::vector<const Withdrawal*>& withdrawals);

struct Reconciliation {
  int64_t id = 0;
  std::string brand, channel;
  std::optional<int64_t> created_by;
  int64_t created_at = 0;
  int64_t period_from = 0, period_to = 0;  // the statement's days, or as asked
  int64_t rows = 0;
  int64_t matched = 0, missing_in_back_office = 0, missing_in_statement = 0,
          amount_mismatch = 0, status_mismatch = 0;
  // JSON arrays of the rows in each outcome, in kReconciliationLists order.
  std::array<std::string, 5> lists;
};
inline constexpr std::array<std::string_view, 5> kReconciliationLists{
    "matched", "missing_in_back_office", "missing_in_statement", "amount_mismatch",
    "status_mismatch"};
// Summary (no lists) or the whole reconciliation with its lists.
void WriteReconciliation(JsonOut& o, const Reconciliation& r, bool with_detail);

// Compares `rows` with `payments` over [from, to] (payments outside it are not expected in
// the statement). Fills the counts, the period and the lists.
void Reconcile(const std::vector<StatementRow>& rows,
               const std::vector<BackOfficePayment>& payments, std::optional<int64_t> from,
               std::optional<int64_t> to, Reconciliation& out);

struct ReconciliationFilter {
  std::optional<std::string> brand, channel;
  int64_t offset = 0;
  int64_t limit = 100;
};

class ReconciliationSet : public StagedTable<Reconciliation> {
 public:
  RowPage<Reconciliation> List(const ReconciliationFilter& f) const;  // newest first
};

}  // namespace kyc
