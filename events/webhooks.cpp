#include "events/webhooks.h"

#include <algorithm>
#include <charconv>

namespace kyc {

std::string_view Name(DeliveryStatus s) {
  return s == DeliveryStatus::kDelivered ? "delivered" : "retrying";
}

std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view s) {
  if (s == "delivered") return DeliveryStatus::kDelivered;
  if (s == "retrying" || s == "pending") return DeliveryStatus::kRetrying;
  return std::nullopt;
}

namespace {
void Strings(JsonOut& o, std::string_view key, const std::vector<std::string>& v) {
  o.Key(key).BeginArray();
  for (const auto& s : v) o.Str(s);
  o.EndArray();
}
}  // namespace

void WriteWebhook(JsonOut& o, const Webhook& w) {
  o.BeginObject();
  o.Key("id").Int(w.id).Key("url").Str(w.url);
  Strings(o, "events", w.filter.topics);
  Strings(o, "brands", w.filter.brands);
  o.Key("created_at").Int(w.created_at).Key("created_by").OptInt(w.created_by);
  o.EndObject();
}

void WriteDelivery(JsonOut& o, const Delivery& d) {
  o.BeginObject();
  o.Key("id").Int(d.id).Key("webhook_id").Int(d.webhook_id).Key("event_id").Str(d.event_id);
  o.Key("topic").Str(d.topic).Key("status").Str(Name(d.status)).Key("attempts").Int(d.attempts);
  o.Key("last_status").OptInt(d.last_status);
  o.Key("last_error");
  d.last_error.empty() ? o.Null() : o.Str(d.last_error);
  o.Key("next_at").OptInt(d.next_at).Key("created_at").Int(d.created_at);
  o.Key("delivered_at").OptInt(d.delivered_at);
  o.EndObject();
}

std::vector<WebhookSet::Ptr> WebhookSet::Active() const {
  std::vector<Ptr> out;
  Scan([&](const Ptr& w) {
    if (!w->deleted) out.push_back(w);
    return true;
  });
  return out;
}

std::vector<DeliverySet::Ptr> DeliverySet::OfWebhook(int64_t webhook_id,
                                                     std::optional<DeliveryStatus> status,
                                                     int64_t after_id, int64_t limit) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  auto it = by_webhook_.find(webhook_id);
  if (it == by_webhook_.end()) return out;
  auto from = std::upper_bound(it->second.begin(), it->second.end(), after_id);
  for (; from != it->second.end() && static_cast<int64_t>(out.size()) < limit; ++from) {
    auto d = LockedGet(*from);
    if (d && (!status || d->status == *status)) out.push_back(std::move(d));
  }
  return out;
}

DeliverySet::Ptr DeliverySet::Find(int64_t webhook_id, int64_t position) const {
  std::shared_lock lock(mutex());
  auto it = by_position_.find({webhook_id, position});
  return it == by_position_.end() ? nullptr : LockedGet(it->second);
}

void DeliverySet::Index(const Delivery* before, const Delivery* after) {
  if (before || !after) return;  // a delivery's webhook and event never change
  by_webhook_[after->webhook_id].push_back(after->id);
  by_position_[{after->webhook_id, after->position}] = after->id;
}

Result<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (url.substr(0, 8) == "https://") {
    return Status(Code::kBadRequest,
                  "field 'url': https is not supported by this server (no TLS library linked); "
                  "use http:// to a local TLS relay");
  }
  if (url.substr(0, kHttp.size()) != kHttp) {
    return Status(Code::kBadRequest, "field 'url' must start with http://");
  }
  std::string_view rest = url.substr(kHttp.size());
  WebhookUrl out;
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.target = std::string(rest.substr(slash));
  if (authority.empty() || authority.find('@') != std::string_view::npos ||
      authority.front() == '[') {
    return Status(Code::kBadRequest,
                  "field 'url' must name a host (a name or an IPv4 address, no user info)");
  }
  if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    int value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value < 1 || value > 65535) {
      return Status(Code::kBadRequest, "field 'url': the port must be 1 to 65535");
    }
    out.port = std::string(port);
    authority = authority.substr(0, colon);
  }
  for (char c : authority) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) return Status(Code::kBadRequest, "field 'url': the host has a character not allowed");
  }
  for (char c : out.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Status(Code::kBadRequest, "field 'url': the path has a space or control character");
    }
  }
  out.host = std::string(authority);
  return out;
}

bool IsPrivateIpv4(uint32_t ip) {
  auto in = [ip](uint32_t net, int bits) { return (ip >> (32 - bits)) == (net >> (32 - bits)); };
  return in(0x7f000000, 8) || in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16) ||
         in(0xa9fe0000, 16) || in(0x64400000, 10) || in(0x00000000, 8) || in(0xc6120000, 15) ||
         in(0xe0000000, 3);
}

int64_t RetryDelay(int64_t attempts) {
  if (attempts <= 1) return 1;
  if (attempts >= 9) return 300;
  return std::min<int64_t>(int64_t{1} << (attempts - 1), 300);
}

}  // namespace kyc
