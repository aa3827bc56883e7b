#include "server/io_pool.h"

#include <pthread.h>
#include <unistd.h>

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

std::optional<IoPool::Sample> IoPool::TakeSample() const {
  Sample s;
  s.at = std::chrono::steady_clock::now();
  for (clockid_t clock : thread_clocks_) {
    timespec ts{};
    if (clock_gettime(clock, &ts) != 0) return std::nullopt;
    s.thread_ns.push_back(int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec);
  }
  std::ifstream in("/proc/stat");
  std::string first_line;
  if (!std::getline(in, first_line)) return std::nullopt;
  auto idle = IdleTicks(first_line);
  if (!idle) return std::nullopt;
  s.idle_ticks = *idle;
  return s;
}

void IoPool::ScheduleSample() {
  sampler_->expires_after(kSampleEvery);
  sampler_->async_wait([this](const boost::system::error_code& ec) {
    if (ec || released_) return;  // the pool is stopping
    std::optional<Sample> now = TakeSample();
    if (now && last_sample_) {
      const double wall_ns =
          std::chrono::duration<double, std::nano>(now->at - last_sample_->at).count();
      IoLoad load;
      for (size_t i = 0; i < now->thread_ns.size(); ++i) {
        const double busy = (now->thread_ns[i] - last_sample_->thread_ns[i]) / wall_ns;
        if (i == 0) load.first_busy = busy;
        load.all_busy += busy;
      }
      static const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
      load.idle_cores = (now->idle_ticks - last_sample_->idle_ticks) / ticks_per_second /
                        (wall_ns / 1e9);
      const bool was = policy_.overflowing();
      const bool spread = policy_.OnSample(load);
      if (spread != was) {
        if (spread) {
          spdlog::info("I/O: the first thread is busy {:.0f}% of the time and {:.1f} cores are idle: "
                       "connections spread over {} threads",
                       load.first_busy * 100, load.idle_cores, contexts_.size());
        } else {
          spdlog::info("I/O: the threads together use {:.0f}% of one core: connections gather "
                       "on the first thread again",
                       load.all_busy * 100);
        }
        overflowing_.store(spread, std::memory_order_relaxed);
      }
    }
    if (now) last_sample_ = std::move(now);
    ScheduleSample();
  });
}

}  // namespace kyc
