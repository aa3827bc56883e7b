// Events (issue 18): what a committed change tells the outside world. Every change to the
// KYC base appends an audit row in the same transaction, so the audit trail is the
// durable outbox: an event is derived from its row, never stored on its own, and it
// exists exactly when the change committed. Pure rules: no I/O, no threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kyc/audit.h"
#include "protocol/permissions.h"

namespace kyc {

struct Event {
  std::string id;     // "<audit id>.<n>": unique, and ordered as the changes committed
  int64_t audit_id = 0;
  int n = 0;          // which event of its audit row (a decision is also a notification)
  std::string topic;  // "kyc.step.decided"
  std::string brand;
  std::optional<int64_t> customer_id;
  int64_t at = 0;
  std::string json;   // the event as sent: {event_id, topic, at, brand, customer_id, data}
};

// A topic and what a staff subscriber needs to receive it (AML alerts only with aml.read:
// no tipping off through the support desk's terminal).
struct TopicInfo {
  std::string_view name;
  Perm permission;
  std::string_view summary;
};
std::span<const TopicInfo> Topics();
const TopicInfo* FindTopic(std::string_view name);

// The events one committed audit row of the KYC base gives, in order (none for most).
std::vector<Event> EventsOf(const AuditRow& row);

// A position in the event stream: events are ordered by (audit id, n).
inline int64_t EventPosition(int64_t audit_id, int n) { return audit_id * 4 + n; }

// Which events a subscriber or a webhook wants: topics by name or by prefix ("funds.*",
// "*" for all), and optionally only some brands.
struct EventFilter {
  std::vector<std::string> topics;
  std::vector<std::string> brands;  // empty: every brand
  bool Matches(const Event& e) const;
};

// Checks a list of topic patterns: each a known topic, "prefix.*" naming at least one, or
// "*". bad_request naming `field` and the pattern otherwise.
Status CheckTopicPatterns(const std::vector<std::string>& patterns, std::string_view field);
// The known topics a pattern covers.
std::vector<const TopicInfo*> TopicsOf(std::string_view pattern);

}  // namespace kyc
