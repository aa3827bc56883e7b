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

std::optional<LoadSample> IoPool::TakeSample() const {
  LoadSample s;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
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
  s.machine_ticks = machine->total;
  s.machine_idle_ticks = machine->idle;
  return s;
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
        spdlog::info("I/O: connections spread over {} threads take {:.0f} requests/s, gathered "
                     "{:.0f}: they stay spread",
                     contexts_.size(), policy_.trial_rate(), policy_.trial_before());
      } else {
        spdlog::debug("I/O: gathered, the connections took {:.0f} requests/s, spread {:.0f}: "
                      "spread again",
                      policy_.trial_rate(), policy_.trial_before());
      }
      break;
    case S::kTryGather:
      spdlog::debug("I/O: {:.0f} requests/s spread: trying them gathered again", load.rate);
      break;
    case S::kGathered:
      if (from == S::kTrySpread) {
        spdlog::debug("I/O: spread, the connections took {:.0f} requests/s, gathered {:.0f}: "
                      "gathered again",
                      policy_.trial_rate(), policy_.trial_before());
      } else if (from == S::kTryGather) {
        spdlog::info("I/O: gathered on the first thread, the connections take {:.0f} requests/s, "
                     "spread {:.0f}: they stay gathered",
                     policy_.trial_rate(), policy_.trial_before());
      } else {
        spdlog::info("I/O: the load fell ({:.0f} requests/s, the threads use {:.0f}% of one "
                     "core): the connections gather on the first thread again",
                     load.rate, load.all_busy * 100);
      }
      break;
  }
}

void IoPool::ScheduleSample() {
  sampler_->expires_after(kSampleEvery);
  sampler_->async_wait([this](const boost::system::error_code& ec) {
    if (ec || released_) return;  // the pool is stopping
    static const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
    std::optional<LoadSample> now = TakeSample();
    std::optional<IoLoad> load;
    if (now && last_sample_) load = LoadBetween(*last_sample_, *now, ticks_per_second);
    if (load) {
      failed_samples_ = 0;
      spdlog::trace("I/O load: first thread {:.2f}, all {:.2f}, room {:.2f} cores, {:.0f} requests/s",
                    load->first_busy, load->all_busy, load->server_room, load->rate);
      const auto before = policy_.state();
      const bool spread = policy_.OnSample(*load);
      if (policy_.state() != before) LogChange(before, policy_.state(), *load);
      overflowing_.store(spread, std::memory_order_relaxed);
    } else if (last_sample_ && ++failed_samples_ == 4) {
      // Blind: gather, the safe placement (a misjudged spread costs latency to everyone).
      spdlog::warn("I/O: cannot sample the load (thread clocks, /proc/stat); TCP connections "
                   "stay on the first thread unless they pipeline");
      policy_ = OverflowPolicy{};
      overflowing_.store(false, std::memory_order_relaxed);
    }
    if (now) last_sample_ = std::move(now);
    ScheduleSample();
  });
}

}  // namespace kyc
