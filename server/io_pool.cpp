#include "server/io_pool.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

namespace kyc {

namespace {
// Often enough that a saturated first thread spreads its connections within a second,
// rarely enough to cost nothing (a few clock reads and one small file).
constexpr auto kSampleEvery = std::chrono::milliseconds(500);
}

IoPool::IoPool(int threads) : guards_(std::make_shared<std::vector<Guard>>()) {
  const int n = threads < 1 ? 1 : threads;
  counts_ = std::make_unique<RequestCount[]>(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    // Hint 1: one thread runs each context. It keeps the locks: other threads post to it
    // (writer completions) and register sockets with its reactor (a moving connection).
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_->emplace_back(contexts_.back()->get_executor());
  }
}

boost::asio::io_context& IoPool::Next() {
  return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

int IoPool::IndexOf(const boost::asio::io_context* context) const {
  for (size_t i = 0; i < contexts_.size(); ++i) {
    if (contexts_[i].get() == context) return static_cast<int>(i);
  }
  return -1;
}

IoPool::RequestCount& IoPool::CountOf(const boost::asio::io_context* context) {
  const int i = IndexOf(context);
  return counts_[i < 0 ? 0 : static_cast<size_t>(i)];
}

void IoPool::Run() {
  std::vector<std::thread> threads;
  auto add_clock = [this](pthread_t t) {
    clockid_t clock;
    if (pthread_getcpuclockid(t, &clock) == 0) thread_clocks_.push_back(clock);
  };
  add_clock(pthread_self());
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([c = contexts_[i].get()] { c->run(); });
    add_clock(threads.back().native_handle());
  }
  if (contexts_.size() > 1 && thread_clocks_.size() == contexts_.size()) {
    sampler_ = std::make_unique<boost::asio::steady_timer>(First());
    ScheduleSample();
  }
  contexts_.front()->run();
  for (auto& t : threads) t.join();
}

void IoPool::Release() {
  guards_.reset();  // the guards go with the last KeepAlive
  released_ = true;  // a sample already due must not re-arm the timer
  if (sampler_) sampler_->cancel();
}

namespace {
std::optional<int64_t> CpuNanos(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return std::nullopt;
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

std::optional<IoPool::Sample> IoPool::TakeSample() const {
  Sample s;
  s.at = std::chrono::steady_clock::now();
  for (clockid_t clock : thread_clocks_) {
    auto ns = CpuNanos(clock);
    if (!ns) return std::nullopt;
    s.thread_ns.push_back(*ns);
  }
  auto process = CpuNanos(CLOCK_PROCESS_CPUTIME_ID);
  if (!process) return std::nullopt;
  s.process_ns = *process;
  for (size_t i = 0; i < contexts_.size(); ++i) {
    s.requests += counts_[i].n.load(std::memory_order_relaxed);
  }
  std::ifstream in("/proc/stat");
  std::string first_line;
  if (!std::getline(in, first_line)) return std::nullopt;
  auto machine = ParseProcStat(first_line);
  if (!machine) return std::nullopt;
  s.machine = *machine;
  return s;
}

IoLoad IoPool::LoadBetween(const Sample& before, const Sample& after) {
  const double wall_ns = std::chrono::duration<double, std::nano>(after.at - before.at).count();
  IoLoad load;
  for (size_t i = 0; i < after.thread_ns.size(); ++i) {
    const double busy = (after.thread_ns[i] - before.thread_ns[i]) / wall_ns;
    if (i == 0) load.first_busy = busy;
    load.all_busy += busy;
  }
  static const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double wall_ticks = wall_ns / 1e9 * ticks_per_second;
  const double cores = (after.machine.total - before.machine.total) / wall_ticks;
  const double machine_busy =
      (after.machine.total - before.machine.total - (after.machine.idle - before.machine.idle)) /
      wall_ticks;
  const double ours = (after.process_ns - before.process_ns) / wall_ns;
  load.server_room = cores - std::max(machine_busy - ours, 0.0);
  load.rate = static_cast<double>(after.requests - before.requests) / (wall_ns / 1e9);
  return load;
}

void IoPool::LogChange(OverflowPolicy::State from, OverflowPolicy::State to, const IoLoad& load) {
  using S = OverflowPolicy::State;
  switch (to) {
    case S::kTrySpread:
      spdlog::debug("I/O: the first thread is busy {:.0f}% of the time with room for {:.1f} cores: "
                    "trying the connections spread over {} threads",
                    load.first_busy * 100, load.server_room, contexts_.size());
      break;
    case S::kSpread:
      if (from == S::kTrySpread) {
        spdlog::info("I/O: connections spread over {} threads answer {:.0f} requests/s, more than "
                     "gathered on the first: they stay spread",
                     contexts_.size(), load.rate);
      } else {
        spdlog::debug("I/O: gathered, the connections answered fewer requests: spread again");
      }
      break;
    case S::kTryGather:
      spdlog::debug("I/O: {:.0f} requests/s spread: trying them gathered again", load.rate);
      break;
    case S::kGathered:
      if (from == S::kTrySpread) {
        spdlog::debug("I/O: spread, the connections answered no more requests: gathered again");
      } else {
        spdlog::info("I/O: the connections gather on the first thread again ({:.0f} requests/s, "
                     "the threads use {:.0f}% of one core)",
                     load.rate, load.all_busy * 100);
      }
      break;
  }
}

void IoPool::ScheduleSample() {
  sampler_->expires_after(kSampleEvery);
  sampler_->async_wait([this](const boost::system::error_code& ec) {
    if (ec || released_) return;  // the pool is stopping
    std::optional<Sample> now = TakeSample();
    if (now && last_sample_) {
      const IoLoad load = LoadBetween(*last_sample_, *now);
      spdlog::trace("I/O load: first thread {:.2f}, all {:.2f}, room {:.2f} cores, {:.0f} requests/s",
                    load.first_busy, load.all_busy, load.server_room, load.rate);
      const auto before = policy_.state();
      const bool spread = policy_.OnSample(load);
      if (policy_.state() != before) LogChange(before, policy_.state(), load);
      overflowing_.store(spread, std::memory_order_relaxed);
    }
    if (now) last_sample_ = std::move(now);
    ScheduleSample();
  });
}

}  // namespace kyc
