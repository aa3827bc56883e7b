// When gathered TCP connections spread because the first I/O thread cannot keep up: a
// trial that must raise the requests taken per second.
#include <algorithm>

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

constexpr int kTrialSamples = P::kSettle + P::kMeasure;

// Gathered at 100k/s and saturated: the trial starts on the sample where `wait` (what is
// left of the last wait) has run out, and no earlier; spread takes `spread_rate`. Returns
// the decision once the trial is over.
bool Trial(P& p, double spread_rate, int wait = 0) {
  const int until_trial = std::max(wait, P::kSamplesToTry);
  for (int i = 1; i < until_trial; ++i) REQUIRE_FALSE(p.OnSample(Saturated(100'000)));
  REQUIRE(p.OnSample(Saturated(100'000)));  // trying
  return Feed(p, kTrialSamples, SpreadBusy(spread_rate));
}

TEST_CASE("io balance: a saturated first thread with room tries spreading, and keeps it if it pays") {
  P p;
  CHECK_FALSE(p.OnSample(Saturated(100'000)));
  CHECK(p.OnSample(Saturated(100'000)));  // the trial starts
  CHECK(Feed(p, kTrialSamples, SpreadBusy(125'000)));
  CHECK(p.state() == P::State::kSpread);
  CHECK(p.trial_before() == 100'000);
  CHECK(p.trial_rate() == 125'000);
  CHECK(Feed(p, 10, SpreadBusy(125'000)));
}

TEST_CASE("io balance: a trial must win by more than a fifth; each loss doubles the wait") {
  P p;
  CHECK_FALSE(Trial(p, 120'000));  // exactly a fifth: not enough
  // Still saturated: the next trial comes kFirstWait samples later, then twice as late.
  for (int i = 0; i < P::kFirstWait - 1; ++i) CHECK_FALSE(p.OnSample(Saturated(100'000)));
  CHECK(p.OnSample(Saturated(100'000)));
  CHECK_FALSE(Feed(p, kTrialSamples, SpreadBusy(100'000)));
  for (int i = 0; i < 2 * P::kFirstWait - 1; ++i) CHECK_FALSE(p.OnSample(Saturated(100'000)));
  CHECK(p.OnSample(Saturated(100'000)));
}

TEST_CASE("io balance: clients that share the cores never start a trial") {
  P p;
  CHECK_FALSE(Feed(p, 100, SaturatedSharing(100'000)));
}

TEST_CASE("io balance: no trial for a first thread saturated by something else than TCP requests") {
  P p;
  CHECK_FALSE(Feed(p, 100, Saturated(P::kMinRate - 1)));
}

TEST_CASE("io balance: one saturated sample between light ones starts no trial") {
  P p;
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(p.OnSample(Saturated(100'000)));
    CHECK_FALSE(p.OnSample(Light(20'000)));
  }
}

TEST_CASE("io balance: spread connections gather when the load falls, and the waits start over") {
  P p;
  CHECK_FALSE(Trial(p, 110'000));  // a lost trial first: the next wait is kFirstWait
  REQUIRE(Trial(p, 150'000, P::kFirstWait));
  CHECK(Feed(p, P::kSamplesToGather - 1, Light(20'000)));
  CHECK_FALSE(p.OnSample(Light(20'000)));
  CHECK(p.state() == P::State::kGathered);
  REQUIRE(Trial(p, 150'000));  // busy again: a trial at once
}

TEST_CASE("io balance: a changed load tries gathering, which wins unless it loses a tenth") {
  P p;
  REQUIRE(Trial(p, 150'000));
  // Settled a while; then the clients change (a load generator starts on the machine,
  // say): the rate moves by more than 30 % for two samples and gathering is tried.
  CHECK(Feed(p, P::kFirstWait, SpreadBusy(150'000)));
  CHECK(p.OnSample(SpreadBusy(80'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(80'000)));
  // Gathered, it takes 73k: less, but within a tenth of 80k. Gathered wins.
  CHECK_FALSE(Feed(p, kTrialSamples, SaturatedSharing(73'000)));
  CHECK(p.state() == P::State::kGathered);
  CHECK_FALSE(Feed(p, 50, SaturatedSharing(73'000)));
}

TEST_CASE("io balance: a changed rate right after spreading waits, and waits longer after a loss") {
  P p;
  REQUIRE(Trial(p, 150'000));
  // Bursty: the rate swings by half every sample. Not before kFirstWait samples...
  bool high = false;
  auto bursty = [&] { high = !high; return SpreadBusy(high ? 220'000 : 80'000); };
  int samples = 0;
  while (p.OnSample(bursty())) ++samples;
  CHECK(samples == P::kFirstWait - 1);
  // ...and gathered takes much less: spread again, and the next changed-rate trial
  // waits twice as long.
  REQUIRE(Feed(p, kTrialSamples, Saturated(60'000)));
  samples = 0;
  while (p.OnSample(bursty())) ++samples;
  CHECK(samples == 2 * P::kFirstWait - 1);
}

TEST_CASE("io balance: a periodic check that finds gathering worse stays spread, and checks less often") {
  P p;
  REQUIRE(Trial(p, 150'000));
  CHECK(Feed(p, P::kFirstRecheck - 1, SpreadBusy(150'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(150'000)));  // the check: gathered for a moment
  CHECK(Feed(p, kTrialSamples, Saturated(100'000)));  // a third worse: spread again
  CHECK(Feed(p, 2 * P::kFirstRecheck - 1, SpreadBusy(150'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(150'000)));  // the next check, twice as late
}

TEST_CASE("io balance: gathering that keeps winning ties pushes the next trial spread further off") {
  // A gain near the line must not swing the connections every few seconds.
  P p;
  REQUIRE(Trial(p, 130'000));
  CHECK(Feed(p, P::kFirstRecheck - 1, SpreadBusy(130'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(130'000)));
  CHECK_FALSE(Feed(p, kTrialSamples, Saturated(120'000)));  // within a tenth: gathered
  // The wait before the next trial spread doubled from the first one's.
  CHECK(Trial(p, 130'000, P::kFirstWait));
  CHECK(Feed(p, P::kFirstRecheck - 1, SpreadBusy(130'000)));
  CHECK_FALSE(p.OnSample(SpreadBusy(130'000)));
  CHECK_FALSE(Feed(p, kTrialSamples, Saturated(120'000)));
  CHECK(Trial(p, 130'000, 2 * P::kFirstWait));
}

TEST_CASE("io balance: load between two samples") {
  LoadSample a{.seconds = 10, .thread_ns = {1'000'000'000, 2'000'000'000}, .process_ns = 5'000'000'000,
               .requests = 1000, .machine_ticks = 10'000, .machine_idle_ticks = 4'000};
  // 0.5 s later at 100 ticks a second: 100 ticks passed (2 cores), 20 of them idle, so
  // the machine ran 1.6 cores. The server ran 0.6 cores (0.3 s of CPU in 0.5 s), others
  // 1.0, which leaves the server room for 1.0. Its first thread ran 0.45 s, the second 0.1.
  LoadSample b{.seconds = 10.5, .thread_ns = {1'450'000'000, 2'100'000'000}, .process_ns = 5'300'000'000,
               .requests = 51'000, .machine_ticks = 10'100, .machine_idle_ticks = 4'020};
  auto load = LoadBetween(a, b, 100);
  REQUIRE(load.has_value());
  CHECK(load->first_busy == doctest::Approx(0.9));
  CHECK(load->all_busy == doctest::Approx(1.1));
  CHECK(load->server_room == doctest::Approx(2.0 - (1.6 - 0.6)));
  CHECK(load->rate == doctest::Approx(100'000));

  SUBCASE("a counter that went backwards, or no time, gives no load") {
    LoadSample c = b;
    c.machine_idle_ticks = a.machine_idle_ticks - 1;  // iowait may go down (proc(5))
    CHECK_FALSE(LoadBetween(a, c, 100).has_value());
    c = b;
    c.machine_ticks = a.machine_ticks;
    CHECK_FALSE(LoadBetween(a, c, 100).has_value());
    c = b;
    c.seconds = a.seconds;
    CHECK_FALSE(LoadBetween(a, c, 100).has_value());
    c = b;
    c.thread_ns.pop_back();
    CHECK_FALSE(LoadBetween(a, c, 100).has_value());
  }
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
