// money/decimal.h: parse, add, compare and format exact decimals (no float anywhere).
#include <doctest/doctest.h>

#include "money/decimal.h"

namespace kyc {

TEST_CASE("decimal: parses plain decimal strings and writes them back exactly") {
  struct Case {
    const char* in;
    int min_fraction;
    const char* out;
  };
  for (const Case& c : {Case{"0", 2, "0.00"}, Case{"12", 2, "12.00"}, Case{"12.5", 2, "12.50"},
                        Case{"-0.5", 2, "-0.50"}, Case{"1500.25", 0, "1500.25"},
                        Case{"0.12345678", 2, "0.12345678"}, Case{"100.10000000", 2, "100.10"},
                        Case{"99999999999999999999.99999999", 2, "99999999999999999999.99999999"},
                        Case{"007", 0, "7"}}) {
    CAPTURE(c.in);
    auto d = Decimal::Parse(c.in);
    REQUIRE(d);
    CHECK(d->ToString(c.min_fraction) == c.out);
  }
}

TEST_CASE("decimal: refuses what is not a plain decimal, or has too many fraction digits") {
  for (const char* bad : {"", "-", ".5", "5.", "1e3", "+1", " 1", "1 ", "1,000.00", "1.2.3",
                          "0x10", "NaN", "inf", "123456789012345678901", "1.123456789"}) {
    CAPTURE(bad);
    CHECK_FALSE(Decimal::Parse(bad));
  }
  CHECK(Decimal::Parse("12.50", 2));
  CHECK_FALSE(Decimal::Parse("12.505", 2));
  CHECK(Decimal::Parse("12.12345678", 8));
  CHECK_FALSE(Decimal::Parse("0.1", 0));
}

TEST_CASE("decimal: sums are exact where binary floats are not") {
  // 0.1 + 0.2 is 0.30000000000000004 in binary floating point.
  Decimal sum = *Decimal::Parse("0.1") + *Decimal::Parse("0.2");
  CHECK(sum == *Decimal::Parse("0.3"));
  CHECK(sum.ToString() == "0.30");
  Decimal total;
  for (int i = 0; i < 1000; ++i) total += *Decimal::Parse("0.01");
  CHECK(total.ToString() == "10.00");
  CHECK((*Decimal::Parse("14800.00") + *Decimal::Parse("500.00")).ToString() == "15300.00");
  CHECK((*Decimal::Parse("1") - *Decimal::Parse("1.5")).ToString() == "-0.50");
  CHECK((*Decimal::Parse("2500.50") * 12).ToString() == "30006.00");
}

TEST_CASE("decimal: compares by value, whatever the written scale") {
  CHECK(*Decimal::Parse("15000") == *Decimal::Parse("15000.00"));
  CHECK(*Decimal::Parse("15000.01") > *Decimal::Parse("15000"));
  CHECK(*Decimal::Parse("-1") < Decimal{});
  CHECK(Decimal::Parse("0.00")->is_zero());
  CHECK(Decimal::Parse("-0.01")->is_negative());
  CHECK(Decimal::Parse("1.25")->FractionDigits() == 2);
  CHECK(Decimal::Parse("1.00")->FractionDigits() == 0);
}

TEST_CASE("decimal: grouped for reading aloud") {
  CHECK(Decimal::Parse("14800")->ToGrouped() == "14,800.00");
  CHECK(Decimal::Parse("1234567.5")->ToGrouped() == "1,234,567.50");
  CHECK(Decimal::Parse("999.99")->ToGrouped() == "999.99");
  CHECK(Decimal::Parse("-1000")->ToGrouped() == "-1,000.00");
  CHECK(Decimal::Parse("100000")->ToGrouped() == "100,000.00");
  CHECK(Decimal::Parse("0.125")->ToGrouped() == "0.125");
}

}  // namespace kyc
