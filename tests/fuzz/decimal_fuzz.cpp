// libFuzzer: the decimal parser. What parses writes back to text that parses to the same
// value (money is only ever written exactly).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "money/decimal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int digits : {2, 8}) {
    auto d = kyc::Decimal::Parse(text, digits);
    if (!d) continue;
    auto again = kyc::Decimal::Parse(d->ToString(0));
    if (!again || *again != *d) __builtin_trap();
  }
  return 0;
}
