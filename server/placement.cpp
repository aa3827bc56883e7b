#include "server/placement.h"

#include <algorithm>

namespace kyc {

Placement PlacementGauge::OnRead(int requests) {
  ++reads_;
  requests_ += std::max(requests, 0);
  if (reads_ < kWindow) return placement_;
  // Spread at 1.5 requests per read or more, gather at 1.125 or fewer: between the two a
  // connection stays where it is.
  const bool pipelined = 2 * requests_ >= 3 * kWindow;
  const bool single = 8 * requests_ <= 9 * kWindow;
  reads_ = 0;
  requests_ = 0;
  if (placement_ == Placement::kGather) {
    if (pipelined) {
      placement_ = Placement::kSpread;
      gather_windows_ = 0;
    }
  } else {
    gather_windows_ = single ? gather_windows_ + 1 : 0;
    if (gather_windows_ >= gather_after_) {
      placement_ = Placement::kGather;
      gather_after_ = std::min(2 * gather_after_, kMaxGatherWindows);
    }
  }
  return placement_;
}

}  // namespace kyc
