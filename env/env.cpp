#include "env/env.h"

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

}  // namespace kyc
