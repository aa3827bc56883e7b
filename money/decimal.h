// Exact decimal money: a signed fixed-point number with 8 fraction digits over a 128-bit
// integer. Parsed from and written as decimal strings; no binary float anywhere on the
// path. 8 digits cover every amount this server takes (crypto amounts have at most 8,
// EUR amounts 2), and 128 bits leave room for any sum of them.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kyc {

class Decimal {
 public:
  static constexpr int kScale = 8;  // fraction digits kept

  constexpr Decimal() = default;
  static constexpr Decimal FromUnits(__int128 units) { return Decimal(units); }
  static constexpr Decimal FromInt(int64_t whole) { return Decimal(__int128(whole) * kOne); }

  // "12", "-0.5", "1500.25": an optional '-', digits, an optional '.' and at most
  // `max_fraction_digits` (≤ 8) digits; at most 20 whole digits. No exponent, no '+', no
  // spaces, no thousands separators. nullopt otherwise.
  static std::optional<Decimal> Parse(std::string_view text, int max_fraction_digits = kScale);

  // Plain form with at least `min_fraction` and at most 8 fraction digits, trailing zeros
  // dropped beyond `min_fraction`: "1500.00" (min 2), "0.12345678". Digits beyond
  // `max_fraction` are never dropped silently: a value is only ever written exactly.
  std::string ToString(int min_fraction = 2) const;
  // Grouped for a person to read aloud: "14,800.00" (exactly 2 fraction digits; values
  // with more are written with all of theirs).
  std::string ToGrouped() const;

  constexpr __int128 units() const { return units_; }
  constexpr bool is_negative() const { return units_ < 0; }
  constexpr bool is_zero() const { return units_ == 0; }
  // Number of fraction digits actually used (0–8).
  int FractionDigits() const;

  friend constexpr Decimal operator+(Decimal a, Decimal b) { return Decimal(a.units_ + b.units_); }
  friend constexpr Decimal operator-(Decimal a, Decimal b) { return Decimal(a.units_ - b.units_); }
  constexpr Decimal operator-() const { return Decimal(-units_); }
  Decimal& operator+=(Decimal b) {
    units_ += b.units_;
    return *this;
  }
  Decimal& operator-=(Decimal b) {
    units_ -= b.units_;
    return *this;
  }
  // The largest amount a request may carry (10^15): sums of them stay far inside what
  // Parse reads back (20 whole digits).
  static Decimal MaxAmount() { return FromInt(1'000'000'000'000'000); }

  // Multiplication by a whole number (12 × monthly savings).
  friend constexpr Decimal operator*(Decimal a, int64_t k) { return Decimal(a.units_ * k); }
  friend constexpr auto operator<=>(Decimal a, Decimal b) = default;

 private:
  static constexpr __int128 kOne = 100000000;  // 10^kScale
  constexpr explicit Decimal(__int128 units) : units_(units) {}
  __int128 units_ = 0;
};

}  // namespace kyc
