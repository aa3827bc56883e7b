// When gathered TCP connections spread because the first I/O thread cannot keep up: a
// trial that must raise the requests answered per second.
#include <doctest/doctest.h>

#include "server/io_balance.h"

namespace kyc {
namespace {

using P = OverflowPolicy;

// Two cores, the clients elsewhere: the server has both.
IoLoad Saturated(double rate) { return {.first_busy = 0.97, .all_busy = 1.0, .server_room = 1.95, .rate = rate}; }
// A load generator on the same machine keeps one core busy (R1 in BENCHMARKS.md).
IoLoad SaturatedSharing(double rate) { return {.first_busy = 0.97, .all_busy = 1.0, .server_room = 1.0, .rate = rate}; }
IoLoad SpreadBusy(double rate) { return {.first_busy = 0.8, .all_busy = 1.6, .server_room = 1.9, .rate = rate}; }
IoLoad Light(double rate) { return {.first_busy = 0.2, .all_busy = 0.3, .server_room = 1.95, .rate = rate}; }

// Feeds `n` samples; returns the decision after the last.
bool Feed(P& p, int n, const IoLoad& load) {
  bool spread = p.spread();
  for (int i = 0; i < n; ++i) spread = p.OnSample(load);
  return spread;
}

// Gathered at 100k/s, saturated: the trial starts, and spread answers `spread_rate`.
// Returns the decision once the trial is over.
bool Trial(P& p, double spread_rate) {
  Feed(p, P::kSamplesToTry, Saturated(100'000));
  REQUIRE(p.spread());  // trying
  return Feed(p, P::kSettle + P::kMeasure, SpreadBusy(spread_rate));
}

TEST_CASE("io balance: a saturated first thread with room tries spreading, and keeps it if it pays") {
  P p;
  CHECK_FALSE(p.OnSample(Saturated(100'000)));
  CHECK(p.OnSample(Saturated(100'000)));  // the trial starts
  CHECK(Feed(p, P::kSettle + P::kMeasure, SpreadBusy(150'000)));
  CHECK(Feed(p, 10, SpreadBusy(150'000)));  // confirmed
}

TEST_CASE("io balance: a trial that does not raise the rate by a tenth gathers again, and waits") {
  P p;
  CHECK_FALSE(Trial(p, 105'000));
  // Still saturated: no new trial before kFirstWait samples have passed.
  for (int i = 0; i < P::kFirstWait - 1; ++i) CHECK_FALSE(p.OnSample(Saturated(100'000)));
  CHECK(p.OnSample(Saturated(100'000)));
  // Lost again: the next wait is twice as long.
  CHECK_FALSE(Feed(p, P::kSettle + P::kMeasure, SpreadBusy(100'000)));
  for (int i = 0; i < 2 * P::kFirstWait - 1; ++i) CHECK_FALSE(p.OnSample(Saturated(100'000)));
  CHECK(p.OnSample(Saturated(100'000)));
}

TEST_CASE("io balance: clients that share the cores never start a trial") {
  P p;
  CHECK_FALSE(Feed(p, 100, SaturatedSharing(100'000)));
}

TEST_CASE("io balance: one saturated sample between light ones starts no trial") {
  P p;
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(p.OnSample(Saturated(100'000)));
    CHECK_FALSE(p.OnSample(Light(20'000)));
  }
}

TEST_CASE("io balance: spread connections gather when the load falls") {
  P p;
  REQUIRE(Trial(p, 150'000));
  CHECK(Feed(p, P::kSamplesToGather - 1, Light(20'000)));
  CHECK_FALSE(p.OnSample(Light(20'000)));
}

TEST_CASE("io balance: a changed load tries gathering, which wins a tie") {
  P p;
  REQUIRE(Trial(p, 150'000));
  // The clients change (say, a load generator on the machine starts): the rate moves by
  // more than a third for two samples, and gathering is tried.
  CHECK(p.OnSample(SpreadBusy(80'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(80'000)));
  // Gathered, it answers as many (within a tenth): it stays gathered.
  CHECK_FALSE(Feed(p, P::kSettle + P::kMeasure, SaturatedSharing(75'000)));
  CHECK_FALSE(Feed(p, 50, SaturatedSharing(75'000)));
}

TEST_CASE("io balance: a periodic check that finds gathering worse stays spread, and checks less often") {
  P p;
  REQUIRE(Trial(p, 150'000));
  CHECK(Feed(p, P::kFirstRecheck - 1, SpreadBusy(150'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(150'000)));  // the check: gathered for a moment
  CHECK(Feed(p, P::kSettle + P::kMeasure, Saturated(100'000)));  // worse: spread again
  CHECK(Feed(p, 2 * P::kFirstRecheck - 1, SpreadBusy(150'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(150'000)));  // the next check, twice as late
}

TEST_CASE("io balance: the machine's ticks from /proc/stat") {
  auto t = ParseProcStat("cpu  4705 356 584 3699 23 23 0 7 11 0\ncpu0 1 2 3 4 5\n");
  REQUIRE(t.has_value());
  CHECK(t->total == 4705u + 356 + 584 + 3699 + 23 + 23 + 0 + 7);  // guest is inside user
  CHECK(t->idle == 3699u + 23);
  auto old_kernel = ParseProcStat("cpu 1 2 3 4 5");
  REQUIRE(old_kernel.has_value());
  CHECK(old_kernel->total == 15u);
  CHECK(old_kernel->idle == 9u);
  CHECK_FALSE(ParseProcStat("").has_value());
  CHECK_FALSE(ParseProcStat("cpu0 1 2 3 4 5\n").has_value());
  CHECK_FALSE(ParseProcStat("cpu  1 2 3\n").has_value());
  CHECK_FALSE(ParseProcStat("intr 1 2 3 4 5\n").has_value());
}

}  // namespace
}  // namespace kyc
