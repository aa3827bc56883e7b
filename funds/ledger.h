// The ledger (issue 16): every change to a customer's money is an entry, written in the
// same transaction as the change it records. A balance is the sum of a currency's
// entries; holds (amounts a pending withdrawal reserves) are kept beside the ledger, not
// in it, and `available` is the balance less what is held.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "money/decimal.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

inline constexpr std::array<std::string_view, 3> kLedgerKinds{"deposit", "withdrawal",
                                                              "adjustment"};

struct LedgerEntry {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string brand;
  std::string currency;
  Decimal amount;   // signed: credits > 0, debits < 0
  std::string kind;  // kLedgerKinds
  std::string ref;   // what it records: "deposit:12", "withdrawal:7", "adjustment:3"
  int64_t at = 0;
};
void WriteLedgerEntry(JsonOut& o, const LedgerEntry& e);

enum class HoldStatus : uint8_t { kHeld = 0, kReleased = 1, kSettled = 2 };
inline constexpr std::array<std::string_view, 3> kHoldStatusNames{"held", "released", "settled"};

struct Hold {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string brand;
  std::string currency;
  Decimal amount;   // > 0
  std::string ref;  // "withdrawal:7"
  HoldStatus status = HoldStatus::kHeld;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Balance {
  std::string currency;
  Decimal balance, held, available;
};
void WriteBalance(JsonOut& o, const Balance& b);

// Per currency (sorted): the sum of the entries, what the live holds reserve, the rest.
std::vector<Balance> ComputeBalances(const std::vector<const LedgerEntry*>& entries,
                                     const std::vector<const Hold*>& holds);

struct LedgerFilter {
  std::optional<std::string> currency;
  std::optional<int64_t> from, to;  // at, inclusive
  int64_t offset = 0;
  int64_t limit = 100;
};

// Rows of one (customer, brand), in id order, for both sets below.
class CustomerIndex {
 public:
  void Add(int64_t customer_id, const std::string& brand, int64_t id);
  const std::vector<int64_t>* Of(int64_t customer_id, std::string_view brand) const;

 private:
  std::map<std::pair<int64_t, std::string>, std::vector<int64_t>, std::less<>> ids_;
};

class LedgerSet : public StagedTable<LedgerEntry> {
 public:
  std::vector<Ptr> Of(int64_t customer_id, std::string_view brand) const;  // any thread
  RowPage<LedgerEntry> List(int64_t customer_id, std::string_view brand,
                            const LedgerFilter& f) const;  // any thread, newest first
  // Writer strand: committed and staged entries of the customer.
  std::vector<Ptr> StagedOf(int64_t customer_id, std::string_view brand) const;

 protected:
  void Index(const LedgerEntry* before, const LedgerEntry* after) override;

 private:
  CustomerIndex by_customer_;
};

class HoldSet : public StagedTable<Hold> {
 public:
  std::vector<Ptr> Of(int64_t customer_id, std::string_view brand) const;        // any thread
  std::vector<Ptr> StagedOf(int64_t customer_id, std::string_view brand) const;  // writer strand

 protected:
  void Index(const Hold* before, const Hold* after) override;

 private:
  CustomerIndex by_customer_;
};

}  // namespace kyc
