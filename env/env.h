// The operating system as the core sees it: a clock and a random source, both
// injected so tests control time and tokens.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>

namespace kyc {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix seconds, UTC.
  virtual int64_t Now() const = 0;
};

class SystemClock : public Clock {
 public:
  int64_t Now() const override;
};

// A clock tests set and move by hand. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now = 1'800'000'000) : now_(now) {}
  int64_t Now() const override { return now_.load(); }
  void Set(int64_t now) { now_ = now; }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  std::atomic<int64_t> now_;
};

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with random bytes. Thread-safe.
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// A random RFC 4122 version 4 UUID, lowercase, 8-4-4-4-12.
std::string NewUuidV4(Random& random);

// libsodium's CSPRNG.
class SystemRandom : public Random {
 public:
  void Fill(std::span<uint8_t> out) override;
};

// A deterministic sequence for tests. Thread-safe.
class FakeRandom : public Random {
 public:
  void Fill(std::span<uint8_t> out) override;

 private:
  std::atomic<uint64_t> counter_{0};
};

}  // namespace kyc
