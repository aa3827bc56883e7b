// When the connections gathered on the first I/O thread overflow it (server/placement.h).
//
// Gathering one-request-at-a-time connections on one thread is right while that thread
// keeps up, and right whenever the clients share the machine's cores. When the first
// thread is busy nearly all the time and cores sit idle (the clients run elsewhere), the
// gathered connections spread too; they gather again once all I/O threads together use
// less than half of one core. IoPool samples the load; this class only decides.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc {

struct IoLoad {
  double first_busy = 0;  // share of the interval the first I/O thread ran (0..1)
  double all_busy = 0;    // the same summed over every I/O thread (0..threads)
  double idle_cores = 0;  // cores the machine left idle over the interval, on average
};

class OverflowPolicy {
 public:
  static constexpr double kSaturated = 0.85;  // first_busy at or above: it cannot keep up
  static constexpr double kSpareCores = 0.5;  // idle_cores at or above: a core is free
  static constexpr double kFitsInOne = 0.5;   // all_busy at or below: one thread suffices
  // Consecutive samples a change needs, so a burst does not move every connection.
  static constexpr int kSamplesToSpread = 2;
  static constexpr int kSamplesToGather = 4;

  // One sample; returns whether the gathered connections should spread.
  bool OnSample(const IoLoad& load);
  bool overflowing() const { return overflowing_; }

 private:
  bool overflowing_ = false;
  int streak_ = 0;  // consecutive samples that argue for a change
};

// Idle time (idle + iowait) summed over all cores, in clock ticks, from the text of
// /proc/stat; nothing when its first line is not the expected "cpu" line.
std::optional<uint64_t> IdleTicks(std::string_view proc_stat);

}  // namespace kyc
