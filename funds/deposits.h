// Deposits (issue 16, the seed's deposit process): asked for by the client or staff,
// reported by the payment provider's signed callbacks, credited to the ledger when they
// succeed, held for finance's review when the payer or the amount does not match.
#pragma once

#include <array>
#include <map>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "customers/record.h"
#include "funds/filter.h"
#include "money/decimal.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

enum class DepositStatus : uint8_t { kCreated = 0, kPending = 1, kReview = 2, kSucceeded = 3, kFailed = 4 };
inline constexpr std::array<std::string_view, 5> kDepositStatusNames{"created", "pending", "review",
                                                                     "succeeded", "failed"};
inline std::string_view Name(DepositStatus s) { return kDepositStatusNames[size_t(s)]; }
std::optional<DepositStatus> ParseDepositStatus(std::string_view name);
// Succeeded and failed are final.
inline bool IsFinal(DepositStatus s) { return s == DepositStatus::kSucceeded || s == DepositStatus::kFailed; }

struct Deposit {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string brand;
  std::string channel;   // its code
  std::string currency;
  Decimal amount;        // asked
  Decimal eur_amount;    // what the totals, limits and rules weigh
  DepositStatus status = DepositStatus::kCreated;
  std::string psp_order_id;
  std::string payer_name;
  std::optional<Decimal> paid_amount;  // as the provider reported it
  std::string paid_currency;
  std::string psp_status;  // the provider's latest word: pending | succeeded | failed
  std::string failure_code;
  std::string note;  // why it is in review, the finance comment, the failure reason
  std::optional<int64_t> transaction_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
// `staff`: with the internal `note` (why it is in review, finance's comment); a client's
// view has the failure code but not the note.
void WriteDeposit(JsonOut& o, const Deposit& d, bool staff = true);
std::string DepositJson(const Deposit& d);

using DepositFilter = MoneyFilter<DepositStatus>;

class DepositSet : public StagedTable<Deposit> {
 public:
  RowPage<Deposit> List(const DepositFilter& f) const;  // any thread, newest first
};

// One callback of a provider, remembered so that a repeat changes nothing.
struct PspEvent {
  int64_t id = 0;
  std::string channel;
  std::string psp_order_id;
  std::string status;
  int64_t deposit_id = 0;
  int64_t at = 0;
};

class PspEventSet : public StagedTable<PspEvent> {
 public:
  bool InSnapshot() const override { return false; }
  // Writer strand: seen before (committed or in this batch)?
  bool StagedHas(std::string_view channel, std::string_view order, std::string_view status) const;
  // Writer strand: the deposit an order of a channel belongs to (its first event's), if any.
  std::optional<int64_t> StagedDepositOf(std::string_view channel, std::string_view order) const;

 protected:
  void Index(const PspEvent* before, const PspEvent* after) override;
  void StagedIndex(const PspEvent& e) override {
    staged_keys_.insert({e.channel, e.psp_order_id, e.status});
    staged_orders_.emplace(std::pair(e.channel, e.psp_order_id), e.deposit_id);
  }
  void StagedIndexCleared() override {
    staged_keys_.clear();
    staged_orders_.clear();
  }

 private:
  using Key = std::tuple<std::string, std::string, std::string>;
  using Order = std::pair<std::string, std::string>;
  std::set<Key, std::less<>> keys_, staged_keys_;
  std::map<Order, int64_t> orders_, staged_orders_;
};

// Whether the name on the payment is the account holder's: letters and digits folded
// (case, accents, spaces, punctuation), compared with "first last" and "last first"; for a
// corporate customer also with either name alone (the company's name).
bool PayerMatches(std::string_view payer_name, const ClientRecord& holder);

}  // namespace kyc
