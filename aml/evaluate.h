// The AML checks themselves (issue 14), pure: a customer's answers and transactions in,
// hits (with an explanation a compliance officer can act on and the evidence behind it)
// and skipped answers out. docs/AML.md states each flag's formula, inputs and period.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aml/answers.h"
#include "aml/flags.h"
#include "customers/record.h"
#include "customers/transactions.h"

namespace kyc {

// Days are UTC days since 1970-01-01 (DayOf).
int64_t MonthStart(int64_t day);            // the first day of day's month
int64_t AddMonths(int64_t month_start, int64_t n);
std::string MonthText(int64_t day);         // "2026-10"
bool IsFirstOfMonth(int64_t day);

// The days a check covers, both ends included.
struct AmlPeriod {
  int64_t from = 0, to = 0;
};
// Whether a group's checks are due on `date`: groups 1 and 2 every day (for the answers
// changed the day before), groups 3 and 4 on the first day of a month.
bool IsAmlDue(int group, int64_t date);
// What a flag covers when run on `date`: the day before (groups 1, 2), the previous
// calendar month (group 3; 3.4: the last `months` calendar months), the twelve calendar
// months before date's month (group 4).
AmlPeriod AmlPeriodOf(const AmlFlagInfo& flag, const AmlSubscription& s, int64_t date);
// The widest period a run on `date` reads transactions over (group 4, or 3.4's months).
AmlPeriod AmlTransactionWindow(int64_t date, int64_t max_months);

struct AmlTx {
  int64_t id = 0;
  int64_t day = 0;
  TxType type = TxType::kDeposit;
  Decimal eur;
};

// What one check reads about a customer (the legal entity: its client record).
struct AmlCustomer {
  int64_t customer_id = 0;
  std::string brand;
  ClientType type = ClientType::kRegular;
  bool is_pep = false;
  AmlAnswers answers;
  std::vector<AmlTx> txs;  // deposits and withdrawals, any order
};

struct AmlHit {
  int64_t customer_id = 0;
  std::string brand;
  const AmlFlagInfo* flag = nullptr;
  AmlPeriod period;
  std::string explanation;  // one sentence
  std::string evidence;     // JSON object: every input and computed value
  // What this hit is about (the answers of a day, a month, a transaction): a key already
  // recorded for (customer, flag) is not raised again, so a run repeated changes nothing.
  std::vector<std::string> keys;
};

struct AmlSkip {
  int64_t customer_id = 0;
  std::string brand;
  std::string flag;
  std::string answer;  // the brand's answer name
  std::string value;   // as given
};

// Key already recorded for (customer, flag)? Transactions already raised (3.5, 3.6) are
// left out of a later hit.
using AmlSeen = std::function<bool(std::string_view key)>;

// Evaluates one flag for one customer over `period`. Appends at most one hit; an answer
// that does not parse appends a skip instead (the flag is not evaluated).
void EvaluateAmlFlag(const AmlFlagInfo& flag, const AmlSubscription& s, const AmlCustomer& c,
                     AmlPeriod period, const AmlSeen& seen, std::vector<AmlHit>& hits,
                     std::vector<AmlSkip>& skips);

// Which answers a flag reads (the checker gathers answers only when one is needed).
bool AmlFlagReadsAnswers(const AmlFlagInfo& flag);
// Which flags read transactions.
inline bool AmlFlagReadsTransactions(const AmlFlagInfo& flag) { return flag.group >= 3; }

}  // namespace kyc
