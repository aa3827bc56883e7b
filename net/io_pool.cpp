#include "net/io_pool.h"

#include <thread>

namespace kyc {

IoPool::IoPool(int threads) {
  const int n = threads < 1 ? 1 : threads;
  for (int i = 0; i < n; ++i) {
    // Concurrency hint 1: one thread runs each context. The default locking stays on,
    // since writer strands and the blocking pool post answers to it from other threads.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

boost::asio::io_context& IoPool::Next() {
  return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoPool::Run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([c = contexts_[i].get()] { c->run(); });
  }
  contexts_.front()->run();
  for (auto& t : threads) t.join();
}

void IoPool::Release() {
  for (auto& g : guards_) g.reset();
}

}  // namespace kyc
