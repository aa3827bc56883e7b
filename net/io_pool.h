// The I/O threads: one io_context per thread (Asio's io_context-per-core pattern). The
// acceptors place each new connection on the next context in turn and it stays there for
// life, so its handlers never wait on another thread for a scheduler lock and no thread
// is woken to run them (one shared context spent more time in futex calls and wake-ups
// than in the requests). Nothing samples load and nothing moves between contexts.
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
  // The next context in turn, for a new connection. Safe from any thread.
  boost::asio::io_context& Next();

  // Runs every context, one per thread, the calling thread taking the first; returns when
  // all have run out of work (after Release, once every connection has drained).
  void Run();
  // Lets the contexts return once their work is done; until then an idle context waits
  // for connections. Call it from the first context (a signal handler).
  void Release();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::atomic<size_t> next_{0};
};

}  // namespace kyc
