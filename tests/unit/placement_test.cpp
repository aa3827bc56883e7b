// Where a connection's I/O runs, judged from how many requests its reads bring.
#include <initializer_list>

#include <doctest/doctest.h>

#include "server/placement.h"

namespace kyc {
namespace {

constexpr int kWindow = PlacementGauge::kWindow;

void Reads(PlacementGauge& g, int count, int requests_each) {
  for (int i = 0; i < count; ++i) g.OnRead(requests_each);
}

// Single reads until the gauge gathers; returns how many it took (-1: not within `limit`).
int ReadsToGather(PlacementGauge& g, int limit) {
  for (int i = 1; i <= limit; ++i) {
    if (g.OnRead(1) == Placement::kGather) return i;
  }
  return -1;
}

TEST_CASE("placement: one request per read stays gathered") {
  PlacementGauge g;
  Reads(g, 10 * kWindow, 1);
  CHECK(g.placement() == Placement::kGather);
}

TEST_CASE("placement: pipelined reads spread after one window, not before") {
  PlacementGauge g;
  Reads(g, kWindow - 1, 16);
  CHECK(g.placement() == Placement::kGather);
  CHECK(g.OnRead(16) == Placement::kSpread);
}

TEST_CASE("placement: a spread connection gathers again after several windows of single reads") {
  PlacementGauge g;
  Reads(g, kWindow, 8);
  REQUIRE(g.placement() == Placement::kSpread);
  CHECK(ReadsToGather(g, 1000) == PlacementGauge::kGatherWindows * kWindow);
}

TEST_CASE("placement: one pipelined window among single ones restarts the count to gather") {
  PlacementGauge g;
  Reads(g, kWindow, 8);
  Reads(g, (PlacementGauge::kGatherWindows - 1) * kWindow, 1);
  Reads(g, kWindow, 8);
  CHECK(g.placement() == Placement::kSpread);
  CHECK(ReadsToGather(g, 1000) == PlacementGauge::kGatherWindows * kWindow);
}

TEST_CASE("placement: a connection that keeps coming back waits longer each time, up to a bound") {
  // A client whose requests per read depend on the thread it is on (more pile up on a
  // busy one) would otherwise move at every other window.
  PlacementGauge g;
  int expected = PlacementGauge::kGatherWindows;
  for (int cycle = 0; cycle < 8; ++cycle) {
    Reads(g, kWindow, 4);
    REQUIRE(g.placement() == Placement::kSpread);
    CHECK(ReadsToGather(g, 10000) == expected * kWindow);
    expected = expected * 2 > PlacementGauge::kMaxGatherWindows ? PlacementGauge::kMaxGatherWindows
                                                                : expected * 2;
  }
}

TEST_CASE("placement: between the two thresholds a connection keeps its place") {
  // 1.25 requests per read: above the gather line, below the spread line.
  PlacementGauge spread;
  Reads(spread, kWindow, 4);
  REQUIRE(spread.placement() == Placement::kSpread);
  PlacementGauge gathered;
  for (PlacementGauge* g : {&spread, &gathered}) {
    for (int i = 0; i < 10 * kWindow; ++i) g->OnRead(i % 4 == 0 ? 2 : 1);
  }
  CHECK(spread.placement() == Placement::kSpread);
  CHECK(gathered.placement() == Placement::kGather);
}

TEST_CASE("placement: reads that end inside a frame count as reads without requests") {
  // A large request arriving in pieces is not pipelining.
  PlacementGauge g;
  for (int i = 0; i < 4 * kWindow; ++i) g.OnRead(i % 4 == 3 ? 1 : 0);
  CHECK(g.placement() == Placement::kGather);
  CHECK(g.OnRead(-1) == Placement::kGather);  // nonsense counts as none
}

}  // namespace
}  // namespace kyc
