// When the connections gathered on the first I/O thread overflow it (server/placement.h).
//
// Gathering one-request-at-a-time connections on one thread is right while that thread
// keeps up, and right whenever the clients share the machine's cores: a second busy
// thread would only take turns with them and wait for scheduler ticks (R1 in
// BENCHMARKS.md). It is wrong when the first thread is saturated and cores sit free. The
// CPU figures alone cannot tell those cases apart once the connections are spread (both
// then show busy cores and threads waiting to run), so the decision is a trial: when the
// first thread is saturated and other processes leave the server room for 1.5 cores or
// more, the gathered connections spread for a moment, and stay spread only if the
// requests taken per second rise by a fifth. While spread, a rate that moves by 30 %, or
// a periodic check, tries gathering, which wins unless it loses a tenth (fewer wake-ups,
// lower latency). The gap between a fifth and a tenth keeps noise from swinging it.
// Every return to gathered, and every trial gather that loses, doubles the wait before
// the next trial; only a light load resets them. IoPool samples the load every 500 ms;
// this class only decides.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kyc {

struct IoLoad {
  double first_busy = 0;   // share of the interval the first I/O thread ran (0..1)
  double all_busy = 0;     // the same summed over every I/O thread (0..threads)
  double server_room = 0;  // the machine's cores less those other processes kept busy
  double rate = 0;         // TCP requests taken per second
};

// What IoPool reads every 500 ms to make an IoLoad.
struct LoadSample {
  double seconds = 0;                   // a steady clock
  std::vector<int64_t> thread_ns;       // CPU time of each I/O thread, the first first
  int64_t process_ns = 0;               // CPU time of the whole server
  uint64_t requests = 0;                // TCP requests taken, all contexts
  uint64_t machine_ticks = 0;           // /proc/stat: all CPU time since boot, all cores
  uint64_t machine_idle_ticks = 0;      // the idle part of it (idle + iowait)
};
// Nothing when the two cannot be compared (no time passed, a counter went backwards:
// iowait may, says proc(5)).
std::optional<IoLoad> LoadBetween(const LoadSample& before, const LoadSample& after,
                                  double ticks_per_second);

class OverflowPolicy {
 public:
  static constexpr double kSaturated = 0.85;    // first_busy at or above: it cannot keep up
  static constexpr double kRoomToSpread = 1.5;  // server_room at or above: worth a trial
  static constexpr double kFitsInOne = 0.5;     // all_busy at or below: gather, no trial
  static constexpr double kMinRate = 1000;      // requests/s below which no trial is worth it
  static constexpr double kSpreadWins = 1.2;    // spreading must raise the rate by this
  static constexpr double kGatherLoses = 1.1;   // gathering is kept unless it costs more
  static constexpr double kLoadChanged = 0.3;   // a rate this far from the spread one: judge again
  static constexpr int kSamplesToTry = 2;       // saturated samples in a row before a trial
  static constexpr int kSettle = 1;             // samples a trial skips while connections move
  static constexpr int kMeasure = 2;            // samples a trial averages
  static constexpr int kSamplesToGather = 4;    // light samples in a row before gathering
  static constexpr int kFirstWait = 4;          // samples gathered before a trial spread
  static constexpr int kFirstRecheck = 20;      // samples spread before a periodic trial gather
  static constexpr int kMaxWait = 240;          // bound of all three, doubling (2 minutes)

  enum class State { kGathered, kTrySpread, kSpread, kTryGather };

  // One sample; returns whether the gathered connections should spread.
  bool OnSample(const IoLoad& load);
  bool spread() const { return state_ == State::kTrySpread || state_ == State::kSpread; }
  State state() const { return state_; }
  // The last trial: the rate before it and the rate it measured.
  double trial_before() const { return before_; }
  double trial_rate() const { return trial_rate_; }

 private:
  void Enter(State s);
  void Gather();  // back to kGathered, the next trial spread further off
  // Feeds a trial; returns its average rate once it has measured enough.
  std::optional<double> Measure(double rate);

  State state_ = State::kGathered;
  int in_state_ = 0;        // samples since entering the state
  int streak_ = 0;          // kGathered: saturated samples in a row; kSpread: light ones
  int changed_streak_ = 0;  // kSpread: samples in a row far from reference_
  double last_rate_ = 0;
  double before_ = 0;       // the rate before a trial
  double measured_ = 0;     // sum of a trial's measured rates
  double trial_rate_ = 0;
  double reference_ = 0;    // kSpread: the rate spreading won with
  int wait_ = 0;            // kGathered: samples left before a trial may start
  int next_wait_ = kFirstWait;
  int recheck_ = kFirstRecheck;  // kSpread: samples before a periodic trial gather
  int settle_ = kFirstWait;      // kSpread: samples before a changed rate may start one
};

// The machine's CPU time since boot from the first line of /proc/stat, in clock ticks
// summed over all cores: all of it, and the idle part (idle + iowait).
struct MachineTicks {
  uint64_t total = 0;
  uint64_t idle = 0;
};
std::optional<MachineTicks> ParseProcStat(std::string_view proc_stat);

}  // namespace kyc
