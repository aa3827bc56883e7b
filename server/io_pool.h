// The I/O threads: one io_context per thread. A connection lives on one context at a
// time, so its handlers never wait on another thread for the scheduler's lock and no
// thread is woken to run them (one shared context spent more time in futex calls and
// wake-ups than in the requests). TCP connections start on the first context and move
// only between requests (server/placement.h); HTTP sessions are placed in turn.
#pragma once

#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/io_balance.h"

namespace kyc {

class IoPool {
 public:
  explicit IoPool(int threads);
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  // Listeners, signals and timers live here.
  boost::asio::io_context& First() { return *contexts_.front(); }
  // Where TCP connections gather (server/placement.h).
  boost::asio::io_context& Gather() { return *contexts_.front(); }
  // The next context in turn, for an HTTP session or a TCP connection that spreads (safe
  // from any thread).
  boost::asio::io_context& Next();
  int size() const { return static_cast<int>(contexts_.size()); }
  // The position of `context` in the pool (for logs), -1 when it is not one of them.
  int IndexOf(const boost::asio::io_context* context) const;
  // True while the gathered connections overflow the first thread (server/io_balance.h):
  // they spread like pipelining ones. Safe from any thread.
  bool overflowing() const { return overflowing_.load(std::memory_order_relaxed); }

  // TCP requests taken on one context, for the load samples. Only that context's
  // thread adds (a plain load and store, no locked add); the sampler reads.
  struct alignas(64) RequestCount {
    std::atomic<uint64_t> n{0};
    void Add() { n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
  };
  RequestCount& CountOf(const boost::asio::io_context* context);

  // Held by whatever may post to any context at any time (a TCP connection may move to
  // another): until Release and the last holder is gone, no context runs out of work.
  // Call it on the first context, as Release is (the pointer itself is not atomic).
  using KeepAlive = std::shared_ptr<const void>;
  KeepAlive KeepRunning() const { return guards_; }

  // Runs every context, one per thread, the calling thread taking the first; returns when
  // all have run out of work (after Release, once every connection has drained).
  void Run();
  // Lets the contexts return once their work is done and no KeepAlive is left; until
  // then an idle context waits for connections. Call it on the first context.
  void Release();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  void ScheduleSample();  // on the first context
  std::optional<LoadSample> TakeSample() const;
  void LogChange(OverflowPolicy::State from, OverflowPolicy::State to, const IoLoad& load);

  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::shared_ptr<std::vector<Guard>> guards_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> overflowing_{false};
  std::unique_ptr<RequestCount[]> counts_;  // one per context
  // Used by the first context's thread only (set up by Run before it runs anything).
  std::vector<clockid_t> thread_clocks_;
  std::unique_ptr<boost::asio::steady_timer> sampler_;
  std::optional<LoadSample> last_sample_;
  int failed_samples_ = 0;  // in a row
  bool released_ = false;
  OverflowPolicy policy_;
};

}  // namespace kyc
