#include "customers/field_rules.h"

#include <algorithm>
#include <array>

namespace kyc {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Active ISO 4217 codes (2024 list, funds and precious metals left out), then crypto.
constexpr std::string_view kCurrencies[] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    "BTC", "ETH", "USDT", "USDC"};

constexpr std::array<std::string_view, 5> kDocTypes{"passport", "id_card", "residence_permit",
                                                     "driving_licence", "national_id"};

}  // namespace

bool IsEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  const size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' ||
        c == '"') {
      return false;
    }
  }
  std::string_view domain = email.substr(at + 1);
  if (domain.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    if (dot == start) return false;  // an empty label: "a@.b", "a@b..c", "a@b."
    start = dot + 1;
  }
  return true;
}

bool IsE164Phone(std::string_view phone) {
  if (phone.size() < 8 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') return false;
  return std::all_of(phone.begin() + 1, phone.end(), IsDigit);
}

bool IsCurrencyCode(std::string_view code) {
  return std::find(std::begin(kCurrencies), std::end(kCurrencies), code) != std::end(kCurrencies);
}

bool IsIdentityDocType(std::string_view type) {
  return std::find(kDocTypes.begin(), kDocTypes.end(), type) != kDocTypes.end();
}

bool IsThaiNationalId(std::string_view d) {
  if (d.size() != 13 || !std::all_of(d.begin(), d.end(), IsDigit)) return false;
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (d[size_t(i)] - '0') * (13 - i);
  return (11 - sum % 11) % 10 == d[12] - '0';
}

}  // namespace kyc
