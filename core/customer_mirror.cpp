#include "core/customer_mirror.h"

#include <vector>

#include <spdlog/spdlog.h>

namespace kyc {

CustomerMirror::CustomerMirror(CustomersBase& customers, boost::asio::any_io_executor executor,
                               std::chrono::milliseconds delay)
    : customers_(customers), delay_(delay), timer_(std::move(executor)) {}

CustomerMirror::~CustomerMirror() {
  std::lock_guard lock(state_->mu);
  state_->closed = true;
  state_->pending.clear();
  timer_.cancel();
}

void CustomerMirror::Update(const Profile& p, int64_t now) {
  std::lock_guard lock(state_->mu);
  if (state_->closed) return;
  state_->pending[{p.customer_id, p.brand}] = Aggregate{p.status, p.level, p.risk_level, now};
  if (state_->scheduled) return;
  state_->scheduled = true;
  timer_.expires_after(delay_);
  timer_.async_wait([this, state = state_](const boost::system::error_code& ec) {
    {
      std::lock_guard lock(state->mu);
      if (ec || state->closed) return;  // `this` may be gone: touch nothing else
    }
    Flush();
  });
}

void CustomerMirror::Flush() {
  // The lock is held until the batch is queued: two flushes on the pool's two threads must
  // reach the writer in the order they took their batches, or an older aggregate would
  // overwrite a newer one. Submit only queues.
  std::lock_guard lock(state_->mu);
  std::map<Key, Aggregate> batch;
  batch.swap(state_->pending);
  state_->scheduled = false;
  if (batch.empty()) return;
  customers_.writer().Submit(
      [this, batch = std::move(batch)](WriteBatch& b) -> Result<std::string> {
        for (const auto& [key, a] : batch) {
          Status s = customers_.PutKycAggregate(b, key.first, key.second, a.status, a.level,
                                                a.risk, a.at);
          if (!s.ok()) return s;
        }
        return std::string("{}");
      },
      [](Result<std::string> r) {
        // Not fatal: the aggregates are recomputed from the profiles at the next start.
        if (!r.ok()) spdlog::warn("customer KYC aggregates not saved: {}", r.status().message());
      });
}

}  // namespace kyc
