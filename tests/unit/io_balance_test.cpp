// When gathered TCP connections spread because the first I/O thread cannot keep up.
#include <doctest/doctest.h>

#include "server/io_balance.h"

namespace kyc {
namespace {

constexpr IoLoad kSaturatedWithSpareCore{.first_busy = 0.97, .all_busy = 1.0, .idle_cores = 0.9};
constexpr IoLoad kSaturatedClientsOnTheOtherCore{.first_busy = 0.97, .all_busy = 1.0, .idle_cores = 0.05};
constexpr IoLoad kSpreadBusy{.first_busy = 0.6, .all_busy = 1.2, .idle_cores = 0.7};
constexpr IoLoad kLight{.first_busy = 0.2, .all_busy = 0.3, .idle_cores = 1.6};

TEST_CASE("io balance: a saturated first thread with a core to spare spreads, after two samples") {
  OverflowPolicy p;
  CHECK_FALSE(p.OnSample(kSaturatedWithSpareCore));
  CHECK(p.OnSample(kSaturatedWithSpareCore));
}

TEST_CASE("io balance: no spare core (the clients share the machine) keeps them gathered") {
  OverflowPolicy p;
  for (int i = 0; i < 20; ++i) CHECK_FALSE(p.OnSample(kSaturatedClientsOnTheOtherCore));
}

TEST_CASE("io balance: one busy sample between others does not spread") {
  OverflowPolicy p;
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(p.OnSample(kSaturatedWithSpareCore));
    CHECK_FALSE(p.OnSample(kLight));
  }
}

TEST_CASE("io balance: spread connections stay spread while busy, gather when one thread suffices") {
  OverflowPolicy p;
  p.OnSample(kSaturatedWithSpareCore);
  REQUIRE(p.OnSample(kSaturatedWithSpareCore));
  // Spread, the first thread is no longer saturated: that alone must not gather them.
  for (int i = 0; i < 20; ++i) CHECK(p.OnSample(kSpreadBusy));
  for (int i = 1; i < OverflowPolicy::kSamplesToGather; ++i) CHECK(p.OnSample(kLight));
  CHECK_FALSE(p.OnSample(kLight));
  CHECK_FALSE(p.overflowing());
}

TEST_CASE("io balance: idle ticks from /proc/stat") {
  CHECK(IdleTicks("cpu  4705 356 584 3699 23 23 0 0 0 0\ncpu0 1 2 3 4 5\n") == 3699u + 23u);
  CHECK(IdleTicks("cpu 1 2 3 4 5") == 9u);
  CHECK_FALSE(IdleTicks("").has_value());
  CHECK_FALSE(IdleTicks("cpu0 1 2 3 4 5\n").has_value());
  CHECK_FALSE(IdleTicks("cpu  1 2 3\n").has_value());
  CHECK_FALSE(IdleTicks("intr 1 2 3 4 5\n").has_value());
}

}  // namespace
}  // namespace kyc
