// The live side of events (issue 18): the KYC base's writer hands each committed audit row
// here (after its commit), the hub turns it into events and passes each to the
// subscribers whose filter matches, in commit order. A sink never blocks the writer: it
// queues the event for its connection's thread, and a subscriber too far behind is dropped
// by its own connection (server/connection.cpp). The durable side, webhooks, reads the
// audit trail itself and is only woken from here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "events/event.h"

namespace kyc {

class EventHub {
 public:
  using EventPtr = std::shared_ptr<const Event>;
  using Sink = std::function<void(const EventPtr&)>;

  // Any thread. Returns the subscription's id.
  uint64_t Subscribe(EventFilter filter, Sink sink);
  // Any thread: replaces the filter of a subscription.
  void SetFilter(uint64_t id, EventFilter filter);
  // Any thread; the sink is not called once this returns.
  void Unsubscribe(uint64_t id);
  size_t subscribers() const;

  // Called after every wake-up-worthy commit (webhook delivery); set once at start.
  void OnCommitted(std::function<void()> fn) { on_committed_ = std::move(fn); }

  // The KYC base's writer strand, after the commit: fans the row's events out.
  void Publish(const AuditRow& row);

  uint64_t published() const { return published_.load(std::memory_order_relaxed); }

 private:
  struct Subscriber {
    uint64_t id;
    EventFilter filter;
    Sink sink;
  };
  mutable std::mutex mu_;
  std::vector<Subscriber> subscribers_;  // guarded by mu_
  uint64_t next_id_ = 1;                 // guarded by mu_
  std::function<void()> on_committed_;
  std::atomic<uint64_t> published_{0};
};

}  // namespace kyc
