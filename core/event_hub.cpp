#include "core/event_hub.h"

#include <algorithm>

namespace kyc {

uint64_t EventHub::Subscribe(EventFilter filter, Sink sink) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  subscribers_.push_back({id, std::move(filter), std::move(sink)});
  return id;
}

void EventHub::SetFilter(uint64_t id, EventFilter filter) {
  std::lock_guard lock(mu_);
  for (auto& s : subscribers_) {
    if (s.id == id) s.filter = std::move(filter);
  }
}

void EventHub::Unsubscribe(uint64_t id) {
  std::lock_guard lock(mu_);
  std::erase_if(subscribers_, [id](const Subscriber& s) { return s.id == id; });
}

size_t EventHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

void EventHub::Publish(const AuditRow& row) {
  bool anyone;
  {
    std::lock_guard lock(mu_);
    anyone = !subscribers_.empty();
  }
  if (!anyone) {  // nobody listening live: the webhooks read the trail themselves
    if (on_committed_) on_committed_();
    return;
  }
  std::vector<Event> events = EventsOf(row);
  if (events.empty()) return;
  published_.fetch_add(events.size(), std::memory_order_relaxed);
  {
    // Sinks only queue (a post to the subscriber's thread), so the lock is held briefly;
    // holding it keeps Unsubscribe's promise that a removed sink is not called.
    std::lock_guard lock(mu_);
    if (!subscribers_.empty()) {
      for (auto& e : events) {
        auto shared = std::make_shared<const Event>(std::move(e));
        for (auto& s : subscribers_) {
          if (s.filter.Matches(*shared)) s.sink(shared);
        }
      }
    }
  }
  if (on_committed_) on_committed_();
}

}  // namespace kyc
