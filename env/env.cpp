#include "env/env.h"

#include <array>

#include <sodium.h>

#include <chrono>

namespace kyc {

int64_t SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

void SystemRandom::Fill(std::span<uint8_t> out) { randombytes_buf(out.data(), out.size()); }

void FakeRandom::Fill(std::span<uint8_t> out) {
  uint64_t n = counter_.fetch_add(1) + 1;
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>((n >> (8 * (i % 8))) + i);
}

std::string NewUuidV4(Random& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<uint8_t, 16> b;
  random.Fill(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // variant 10xx (RFC 4122)
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0F];
  }
  return out;
}

}  // namespace kyc
