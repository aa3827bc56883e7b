// The I/O threads: one io_context per thread. A connection lives on one context at a
// time, so its handlers never wait on another thread for the scheduler's lock and no
// thread is woken to run them (one shared context spent more time in futex calls and
// wake-ups than in the requests). TCP connections start on the first context and move
// only between requests (server/placement.h); HTTP sessions are placed in turn.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

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

  // Runs every context, one per thread, the calling thread taking the first; returns when
  // all have run out of work (after Release, once every connection has drained).
  void Run();
  // Lets the contexts return once their work is done; until then an idle context waits
  // for connections.
  void Release();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::atomic<size_t> next_{0};
};

}  // namespace kyc
