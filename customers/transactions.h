// Transactions of a client record and the totals kept beside them (seed 000:
// client_lifetime_totals, tx_daily_totals). A transaction is immutable; its totals change
// in the same SQLite transaction as its row.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "money/decimal.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

enum class TxType : uint8_t { kDeposit = 0, kWithdrawal = 1, kExchange = 2 };
inline constexpr std::array<std::string_view, 3> kTxTypeNames{"deposit", "withdrawal", "exchange"};
inline std::string_view Name(TxType t) { return kTxTypeNames[size_t(t)]; }
std::optional<TxType> ParseTxType(std::string_view name);

struct Transaction {
  int64_t id = 0;
  int64_t client_id = 0;  // the client record's id
  int64_t customer_id = 0;
  std::string brand;
  TxType type = TxType::kDeposit;
  Decimal amount;      // in `currency`, at most 8 fraction digits
  std::string currency;
  Decimal eur_amount;  // at most 2 fraction digits
  std::string external_id;
  int64_t at = 0;      // when it happened (unix seconds)
  int64_t created_at = 0;
  std::optional<int64_t> created_by;  // manager id
};

void WriteTransaction(JsonOut& o, const Transaction& t);

struct Volume {
  Decimal eur;
  int64_t count = 0;
};

// EUR volume and count in all, and per transaction type.
struct Totals {
  Volume all, deposits, withdrawals, exchanges;
  void Add(TxType type, Decimal eur);
};
void WriteTotalsFields(JsonOut& o, const Totals& t);  // without braces

// The lifetime totals of one client record; `id` is the record's id.
struct LifetimeTotals {
  int64_t id = 0;
  Totals totals;
  int64_t updated_at = 0;
};

// The totals of one client record on one UTC day.
struct DailyTotals {
  int64_t id = 0;
  int64_t client_id = 0;
  int64_t day = 0;  // days since 1970-01-01 (UTC)
  Totals totals;
};

// UTC days since 1970-01-01 ⇄ "YYYY-MM-DD" (proleptic Gregorian).
int64_t DayOf(int64_t unix_seconds);
struct CivilDate {
  int64_t year, month, day;  // month 1–12, day 1–31
};
CivilDate CivilOf(int64_t day);
int64_t DayFromCivil(int64_t year, int64_t month, int64_t day);
std::string DayText(int64_t day);
std::optional<int64_t> ParseDay(std::string_view text);

struct TransactionFilter {
  int64_t client_id = 0;
  std::optional<int64_t> from, to;  // at within [from, to]
  std::optional<TxType> type;
  int64_t offset = 0;
  int64_t limit = 100;
};

class TransactionSet : public StagedTable<Transaction> {
 public:
  // Any thread: newest first (by `at`, then id).
  RowPage<Transaction> List(const TransactionFilter& f) const;
  // Any thread: fn(transaction) for each of a record's transactions, under the shared lock.
  template <typename Fn>
  void ForClient(int64_t client_id, Fn&& fn) const {
    std::shared_lock lock(mutex());
    auto it = by_client_.find(client_id);
    if (it == by_client_.end()) return;
    for (int64_t id : it->second) {
      if (auto t = LockedGet(id)) fn(*t);
    }
  }
  // Writer strand: the transaction a brand already recorded under `external_id`.
  Ptr StagedFindExternal(std::string_view brand, std::string_view external_id) const;

 protected:
  void Index(const Transaction* before, const Transaction* after) override;

 private:
  static std::string ExternalKey(std::string_view brand, std::string_view external_id);
  std::unordered_map<int64_t, std::vector<int64_t>> by_client_;
  std::unordered_map<std::string, int64_t> by_external_;
};

using LifetimeTotalsSet = StagedTable<LifetimeTotals>;

class DailyTotalsSet : public StagedTable<DailyTotals> {
 public:
  // Any thread: the days of a record within [from_day, to_day], ascending (a look-up per
  // day: callers bound the range).
  std::vector<Ptr> Range(int64_t client_id, int64_t from_day, int64_t to_day) const;
  Ptr Find(int64_t client_id, int64_t day) const;
  // Writer strand.
  Ptr StagedFind(int64_t client_id, int64_t day) const;

 protected:
  void Index(const DailyTotals* before, const DailyTotals* after) override;

 private:
  struct KeyHash {
    size_t operator()(const std::pair<int64_t, int64_t>& k) const {
      return std::hash<int64_t>()(k.first * 1'000'003 + k.second);
    }
  };
  std::unordered_map<std::pair<int64_t, int64_t>, int64_t, KeyHash> by_day_;  // (client, day)
};

}  // namespace kyc
