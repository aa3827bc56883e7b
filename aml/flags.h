// The AML Manager's flags (seed 004): thirteen checks in four groups, each with its
// parameters, and a brand's subscription to one of them. Pure data and rules, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "customers/record.h"
#include "money/decimal.h"
#include "protocol/json.h"
#include "protocol/status.h"

namespace kyc {

// The parameters a flag reads; a flag needs each of its bits set before it is enabled.
enum AmlParam : uint8_t {
  kParamNone = 0,
  kParamX = 1,        // an EUR amount (3.1, 3.2, 3.5, 2.1, 2.2) or a count (3.3, 3.4)
  kParamPercent = 2,  // 1.3: X % of total assets
  kParamMonths = 4,   // 3.4: the number of months
};

struct AmlFlagInfo {
  std::string_view id;  // "1.1" … "4.2"
  int group;            // 1–4
  uint8_t params;       // AmlParam bits
  bool x_is_count;      // X counts withdrawals (3.3, 3.4) rather than EUR
  bool realtime;        // may also be raised when a deposit is recorded (3.5, 3.6)
  std::string_view description;
};

inline constexpr std::array<AmlFlagInfo, 13> kAmlFlags{{
  {"1.1", 1, kParamNone, false, false,
   "A customer has entered a KYC answer that they will save more each month than their gross "
   "income per month."},
  {"1.2", 1, kParamNone, false, false,
   "A customer's monthly savings do not agree with what they will invest: the upper value of "
   "capital to invest is less than 12 × monthly savings."},
  {"1.3", 1, kParamPercent, false, false,
   "A customer has entered a starting amount larger than X % of the total assets they entered."},
  {"2.1", 2, kParamX, false, false,
   "A customer has entered monthly savings larger than X."},
  {"2.2", 2, kParamX, false, false, "A customer has entered a starting amount larger than X."},
  {"3.1", 3, kParamX, false, false,
   "A customer's deposits during the month total more than X or 6 × gross monthly income, "
   "whichever is higher."},
  {"3.2", 3, kParamX, false, false, "A customer's deposits during the month total more than X."},
  {"3.3", 3, kParamX, true, false, "A customer has made X or more withdrawals during the month."},
  {"3.4", 3, kParamX | kParamMonths, true, false,
   "A customer has made X or more withdrawals in each of the last `months` calendar months."},
  {"3.5", 3, kParamX, false, true, "A customer has made a deposit above X."},
  {"3.6", 3, kParamNone, false, true,
   "A customer who is politically exposed has made a deposit."},
  {"4.1", 4, kParamNone, false, false,
   "A customer's KYC answer for yearly deposits is less than the sum of their deposits over "
   "the last twelve months."},
  {"4.2", 4, kParamNone, false, false,
   "A customer's KYC answer for the number of yearly deposits is less than the number of "
   "their deposits over the last twelve months."},
}};

// nullptr when `id` is not one of the thirteen.
const AmlFlagInfo* FindAmlFlag(std::string_view id);
// When a group's checks run, as docs/AML.md words it.
std::string_view AmlSchedule(int group);

// A brand's subscription to one flag. Without a row a flag is disabled.
struct AmlSubscription {
  int64_t id = 0;
  std::string brand;
  std::string flag;
  bool enabled = false;
  std::optional<Decimal> x;        // EUR (2 fraction digits) or a whole count
  std::optional<Decimal> percent;  // 1.3, at most 2 fraction digits
  std::optional<int64_t> months;   // 3.4
  std::vector<ClientType> customer_types;  // empty: every customer
  bool realtime = false;                    // 3.5, 3.6: also when a deposit is recorded
  int64_t updated_at = 0;
  std::optional<int64_t> updated_by;

  bool Covers(ClientType t) const;
};

// Whether a subscription can be stored: the parameters of an enabled flag are there and
// in range, `realtime` only where the flag allows it. bad_request naming the field.
Status CheckAmlSubscription(const AmlFlagInfo& flag, const AmlSubscription& s);

// {x, percent, months} as given (absent ones omitted), and back.
void WriteAmlParams(JsonOut& o, const AmlSubscription& s);
std::string AmlParamsJson(const AmlSubscription& s);
void ReadAmlParamsJson(std::string_view json, AmlSubscription& s);
// The subscription as the audit trail stores it.
std::string AmlSubscriptionJson(const AmlSubscription& s);
std::string ClientTypesText(const std::vector<ClientType>& types);  // "regular,corporate"
std::vector<ClientType> ClientTypesFromText(std::string_view text);

}  // namespace kyc
