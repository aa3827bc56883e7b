// Payment channels (issue 16, seed 001 step three): a PSP account of one brand through
// which customers deposit and withdraw, with its currencies, limits, approval thresholds
// and the secret its callbacks are signed with.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "money/decimal.h"
#include "protocol/status.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

inline constexpr std::array<std::string_view, 4> kChannelKinds{"card", "bank_transfer", "ewallet",
                                                               "crypto"};
bool IsChannelKind(std::string_view kind);
// A channel code: [a-z0-9_.-]{1,64}, unique across brands (the callback route has no brand).
bool IsChannelCode(std::string_view code);

struct PaymentChannel {
  int64_t id = 0;
  std::string brand;
  std::string code;
  std::string name;
  std::string kind;                     // kChannelKinds
  std::vector<std::string> currencies;  // ISO 4217, upper case
  Decimal min_amount, max_amount;       // in the operation's currency
  bool deposits = true;
  bool withdrawals = true;
  bool requires_bank_account = false;   // withdrawals only
  // Withdrawal approval levels: below auto_below_eur → 0 (auto), below
  // one_approver_below_eur → 1, else 2 (a missing threshold never applies).
  std::optional<Decimal> auto_below_eur, one_approver_below_eur;
  std::string callback_secret;          // never sent back
  int64_t created_at = 0;
  int64_t updated_at = 0;

  bool Accepts(std::string_view currency) const;
};

enum class Direction : uint8_t { kDeposit, kWithdrawal };

// Whether `channel` (null: not found) may carry this operation of `brand`: not_found for
// another brand's or an unknown code, conflict when the channel does not take this
// direction, bad_request naming the field for a currency it does not take or an amount
// outside its limits.
Status CheckChannel(const PaymentChannel* channel, std::string_view code, std::string_view brand,
                    Direction direction, std::string_view currency, const Decimal& amount);

// What an operation weighs in EUR (limits, totals, rules, AML): `eur_amount` when given,
// the amount itself in EUR; bad_request naming the field otherwise (no exchange rates).
Result<Decimal> EurWeight(std::string_view currency, const Decimal& amount,
                          const std::optional<Decimal>& eur_amount);

// The channel as the wire shows it: no secret, only whether one is set.
void WriteChannel(JsonOut& o, const PaymentChannel& c);
std::string ChannelJson(const PaymentChannel& c);
// Currencies as stored ("EUR,USD") and back.
std::string JoinCurrencies(const std::vector<std::string>& currencies);
std::vector<std::string> SplitCurrencies(std::string_view text);

class ChannelSet : public StagedTable<PaymentChannel> {
 public:
  Ptr FindCode(std::string_view code) const;        // any thread
  Ptr StagedFindCode(std::string_view code) const;  // writer strand
  std::vector<Ptr> OfBrand(std::string_view brand) const;  // any thread, by code

 protected:
  void Index(const PaymentChannel* before, const PaymentChannel* after) override;

 private:
  std::map<std::string, int64_t, std::less<>> by_code_;
};

}  // namespace kyc
