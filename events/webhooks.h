// Webhooks (issue 18): an HTTP endpoint that receives events as signed POSTs, retried with
// back-off until it answers 2xx, in event order. Each webhook keeps a cursor: the position
// (EventPosition) of the last event it was sent with success, committed after the 2xx, so
// a crash between the two sends it again (at least once).
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.h"
#include "protocol/json.h"
#include "protocol/status.h"
#include "tables/staged_table.h"

namespace kyc {

struct Webhook {
  int64_t id = 0;
  std::string url;
  EventFilter filter;   // topics ("events" on the wire) and brands
  std::string secret;   // HMAC-SHA256 key of X-Signature; never sent back
  int64_t cursor = 0;   // EventPosition of the last event delivered (or skipped at creation)
  bool deleted = false;
  int64_t created_at = 0;
  std::optional<int64_t> created_by;
};

enum class DeliveryStatus : uint8_t { kRetrying = 0, kDelivered = 1 };
std::string_view Name(DeliveryStatus s);
std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view s);

// One event sent to one webhook: its attempts and the last answer.
struct Delivery {
  int64_t id = 0;
  int64_t webhook_id = 0;
  std::string event_id;
  int64_t position = 0;
  std::string topic;
  DeliveryStatus status = DeliveryStatus::kRetrying;
  int64_t attempts = 0;
  std::optional<int64_t> last_status;  // the HTTP status answered
  std::string last_error;              // why the last attempt failed ("" when it did not)
  std::optional<int64_t> next_at;      // when it is tried again (retrying)
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
};

void WriteWebhook(JsonOut& o, const Webhook& w);
void WriteDelivery(JsonOut& o, const Delivery& d);

class WebhookSet : public StagedTable<Webhook> {
 public:
  bool InSnapshot() const override { return false; }
  std::vector<Ptr> Active() const;  // any thread, id order
};

class DeliverySet : public StagedTable<Delivery> {
 public:
  bool InSnapshot() const override { return false; }
  // Any thread: a webhook's deliveries in id order, after `after_id`, at most `limit`.
  std::vector<Ptr> OfWebhook(int64_t webhook_id, std::optional<DeliveryStatus> status,
                             int64_t after_id, int64_t limit) const;
  // Any thread: the delivery of (webhook, event position), or null.
  Ptr Find(int64_t webhook_id, int64_t position) const;

 protected:
  void Index(const Delivery* before, const Delivery* after) override;

 private:
  std::unordered_map<int64_t, std::vector<int64_t>> by_webhook_;
  std::map<std::pair<int64_t, int64_t>, int64_t> by_position_;
};

// An http:// URL split for the client. https needs TLS, which the server does not link:
// bad_request says so (terminate TLS in a local relay).
struct WebhookUrl {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};
Result<WebhookUrl> ParseWebhookUrl(std::string_view url);

// The IPv4 destinations webhooks.deny_private refuses (host byte order): loopback,
// private, link-local (the cloud metadata address), CGNAT, 0/8, benchmarking, multicast
// and above. One rule for the check at MngAddWebhook and the one at each delivery.
bool IsPrivateIpv4(uint32_t ip);

// Seconds to wait before attempt `attempts + 1` after `attempts` failures: 1, 2, 4, … 300.
int64_t RetryDelay(int64_t attempts);

}  // namespace kyc
