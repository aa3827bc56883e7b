#include "server/placement.h"

namespace kyc {

Placement PlacementGauge::OnRead(int requests) {
  ++reads_;
  requests_ += requests > 0 ? requests : 0;
  if (reads_ < kWindow) return placement_;
  // Spread at 1.5 requests per read or more, gather again at 1.125 or fewer: the gap
  // keeps a client near the line from moving back and forth.
  if (2 * requests_ >= 3 * kWindow) {
    placement_ = Placement::kSpread;
  } else if (8 * requests_ <= 9 * kWindow) {
    placement_ = Placement::kGather;
  }
  reads_ = 0;
  requests_ = 0;
  return placement_;
}

}  // namespace kyc
