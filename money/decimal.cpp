#include "money/decimal.h"

#include <algorithm>

namespace kyc {
namespace {

constexpr int kMaxWholeDigits = 20;

std::string WholeDigits(unsigned __int128 v) {
  std::string s;
  do {
    s.push_back(char('0' + int(v % 10)));
    v /= 10;
  } while (v != 0);
  std::reverse(s.begin(), s.end());
  return s;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text, int max_fraction_digits) {
  max_fraction_digits = std::clamp(max_fraction_digits, 0, kScale);
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  __int128 whole = 0;
  int whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (++whole_digits > kMaxWholeDigits) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
    ++i;
  }
  if (whole_digits == 0) return std::nullopt;
  __int128 fraction = 0;
  int fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++fraction_digits > max_fraction_digits) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
      ++i;
    }
    if (fraction_digits == 0) return std::nullopt;  // "12." is not a number
  }
  if (i != text.size()) return std::nullopt;
  for (int d = fraction_digits; d < kScale; ++d) fraction *= 10;
  __int128 units = whole * kOne + fraction;
  return Decimal(negative ? -units : units);
}

int Decimal::FractionDigits() const {
  unsigned __int128 f = (units_ < 0 ? -units_ : units_) % kOne;
  if (f == 0) return 0;
  int digits = kScale;
  while (f % 10 == 0) {
    f /= 10;
    --digits;
  }
  return digits;
}

std::string Decimal::ToString(int min_fraction) const {
  unsigned __int128 abs = units_ < 0 ? -units_ : units_;
  std::string out = units_ < 0 ? "-" : "";
  out += WholeDigits(abs / kOne);
  const int digits = std::max(std::clamp(min_fraction, 0, kScale), FractionDigits());
  if (digits > 0) {
    std::string frac = WholeDigits(abs % kOne);
    frac.insert(0, size_t(kScale) - frac.size(), '0');
    out += '.';
    out += frac.substr(0, size_t(digits));
  }
  return out;
}

std::string Decimal::ToGrouped() const {
  std::string plain = ToString(2);
  const size_t start = plain[0] == '-' ? 1 : 0;
  size_t dot = plain.find('.');
  if (dot == std::string::npos) dot = plain.size();
  for (size_t pos = dot; pos > start + 3; pos -= 3) plain.insert(pos - 3, ",");
  return plain;
}

}  // namespace kyc
