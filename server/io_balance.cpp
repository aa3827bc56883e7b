#include "server/io_balance.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace kyc {

void OverflowPolicy::Enter(State s) {
  state_ = s;
  in_state_ = 0;
  streak_ = 0;
  changed_streak_ = 0;
  measured_ = 0;
}

std::optional<double> OverflowPolicy::Measure(double rate) {
  ++in_state_;
  if (in_state_ <= kSettle) return std::nullopt;
  measured_ += rate;
  if (in_state_ < kSettle + kMeasure) return std::nullopt;
  return measured_ / kMeasure;
}

bool OverflowPolicy::OnSample(const IoLoad& load) {
  const double previous_rate = last_rate_;
  last_rate_ = load.rate;
  switch (state_) {
    case State::kGathered: {
      if (wait_ > 0) --wait_;
      const bool saturated = load.first_busy >= kSaturated && load.server_room >= kRoomToSpread &&
                             load.rate >= kMinRate;
      streak_ = saturated ? streak_ + 1 : 0;
      if (streak_ >= kSamplesToTry && wait_ == 0) {
        before_ = (load.rate + previous_rate) / 2;
        Enter(State::kTrySpread);
      }
      break;
    }
    case State::kTrySpread:
    case State::kTryGather: {
      std::optional<double> rate = Measure(load.rate);
      if (!rate) break;
      trial_rate_ = *rate;
      const bool trying_spread = state_ == State::kTrySpread;
      const double spread_rate = trying_spread ? *rate : before_;
      const double gathered_rate = trying_spread ? before_ : *rate;
      // Spreading must win by a fifth to be taken up; once taken, gathering must not lose
      // more than a tenth to take over. The gap keeps noise from swinging it.
      if (spread_rate <= gathered_rate * (trying_spread ? kSpreadWins : kGatherLoses)) {
        Gather();
        break;
      }
      if (!trying_spread) {
        recheck_ = std::min(2 * recheck_, kMaxWait);
        settle_ = std::min(2 * settle_, kMaxWait);
      }
      reference_ = spread_rate;
      Enter(State::kSpread);
      break;
    }
    case State::kSpread: {
      ++in_state_;
      const bool light = load.all_busy <= kFitsInOne;
      streak_ = light ? streak_ + 1 : 0;
      if (streak_ >= kSamplesToGather) {
        // The load fell: one thread will do. Nothing learnt about the next busy spell.
        next_wait_ = kFirstWait;
        recheck_ = kFirstRecheck;
        settle_ = kFirstWait;
        wait_ = 0;
        Enter(State::kGathered);
        break;
      }
      const bool changed = !light && std::abs(load.rate - reference_) > kLoadChanged * reference_;
      changed_streak_ = changed ? changed_streak_ + 1 : 0;
      if ((changed_streak_ >= 2 && in_state_ >= settle_) || in_state_ >= recheck_) {
        before_ = (load.rate + previous_rate) / 2;
        Enter(State::kTryGather);
      }
      break;
    }
  }
  return spread();
}

void OverflowPolicy::Gather() {
  wait_ = next_wait_;
  next_wait_ = std::min(2 * next_wait_, kMaxWait);
  Enter(State::kGathered);
}

std::optional<IoLoad> LoadBetween(const LoadSample& before, const LoadSample& after,
                                  double ticks_per_second) {
  const double seconds = after.seconds - before.seconds;
  if (seconds <= 0 || after.thread_ns.size() != before.thread_ns.size() ||
      after.machine_ticks <= before.machine_ticks ||
      after.machine_idle_ticks < before.machine_idle_ticks || after.requests < before.requests ||
      ticks_per_second <= 0) {
    return std::nullopt;
  }
  IoLoad load;
  for (size_t i = 0; i < after.thread_ns.size(); ++i) {
    const double busy = static_cast<double>(after.thread_ns[i] - before.thread_ns[i]) / 1e9 / seconds;
    if (i == 0) load.first_busy = busy;
    load.all_busy += busy;
  }
  const double ticks = seconds * ticks_per_second;
  const double all = static_cast<double>(after.machine_ticks - before.machine_ticks);
  const double idle = static_cast<double>(after.machine_idle_ticks - before.machine_idle_ticks);
  const double cores = all / ticks;
  const double machine_busy = std::max(all - idle, 0.0) / ticks;
  const double ours = static_cast<double>(after.process_ns - before.process_ns) / 1e9 / seconds;
  load.server_room = cores - std::max(machine_busy - ours, 0.0);
  load.rate = static_cast<double>(after.requests - before.requests) / seconds;
  return load;
}

std::optional<MachineTicks> ParseProcStat(std::string_view proc_stat) {
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is
  // already counted in user and nice.
  constexpr std::string_view kPrefix = "cpu ";
  if (proc_stat.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const char* p = proc_stat.data() + kPrefix.size();
  const char* end = proc_stat.data() + proc_stat.size();
  uint64_t fields[8] = {};
  int parsed = 0;
  for (uint64_t& f : fields) {
    while (p < end && *p == ' ') ++p;
    auto [next, ec] = std::from_chars(p, end, f);
    if (ec != std::errc()) break;
    p = next;
    ++parsed;
  }
  if (parsed < 5) return std::nullopt;  // kernels since 2.6 give at least 8
  MachineTicks t;
  for (uint64_t f : fields) t.total += f;
  t.idle = fields[3] + fields[4];
  return t;
}

}  // namespace kyc
