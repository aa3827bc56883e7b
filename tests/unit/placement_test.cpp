// Where a connection's I/O runs, judged from how many requests its reads bring.
#include <initializer_list>

#include <doctest/doctest.h>

#include "server/placement.h"

namespace kyc {
namespace {

void Reads(PlacementGauge& g, int count, int requests_each) {
  for (int i = 0; i < count; ++i) g.OnRead(requests_each);
}

TEST_CASE("placement: one request per read stays gathered") {
  PlacementGauge g;
  Reads(g, 10 * PlacementGauge::kWindow, 1);
  CHECK(g.placement() == Placement::kGather);
}

TEST_CASE("placement: pipelined reads spread after one window, not before") {
  PlacementGauge g;
  Reads(g, PlacementGauge::kWindow - 1, 16);
  CHECK(g.placement() == Placement::kGather);
  CHECK(g.OnRead(16) == Placement::kSpread);
}

TEST_CASE("placement: a spread connection gathers again when its client stops pipelining") {
  PlacementGauge g;
  Reads(g, PlacementGauge::kWindow, 8);
  REQUIRE(g.placement() == Placement::kSpread);
  Reads(g, PlacementGauge::kWindow, 1);
  CHECK(g.placement() == Placement::kGather);
}

TEST_CASE("placement: between the two thresholds a connection keeps its place") {
  // 1.25 requests per read: above the gather line, below the spread line.
  PlacementGauge spread;
  Reads(spread, PlacementGauge::kWindow, 4);
  REQUIRE(spread.placement() == Placement::kSpread);
  PlacementGauge gathered;
  for (PlacementGauge* g : {&spread, &gathered}) {
    for (int i = 0; i < PlacementGauge::kWindow; ++i) g->OnRead(i % 4 == 0 ? 2 : 1);
  }
  CHECK(spread.placement() == Placement::kSpread);
  CHECK(gathered.placement() == Placement::kGather);
}

TEST_CASE("placement: reads that end inside a frame count as reads without requests") {
  // A large request arriving in pieces is not pipelining.
  PlacementGauge g;
  for (int i = 0; i < 4 * PlacementGauge::kWindow; ++i) g.OnRead(i % 4 == 3 ? 1 : 0);
  CHECK(g.placement() == Placement::kGather);
  CHECK(g.OnRead(-1) == Placement::kGather);  // nonsense counts as none
}

}  // namespace
}  // namespace kyc
