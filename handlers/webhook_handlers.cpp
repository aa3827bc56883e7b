// Webhooks (issue 18): registered by staff with the `webhooks` permission; deliveries are
// made by the core's WebhookDeliverer. The secret signs every delivery and is never sent
// back. Each change is audited without it.
#include <arpa/inet.h>

#include "events/webhooks.h"
#include "handlers/handlers.h"
#include "handlers/paging.h"

namespace kyc::handlers {

namespace {

std::string WebhookJson(const Webhook& w) {
  JsonOut o;
  WriteWebhook(o, w);
  return o.Take();
}

Status Audit(Call& c, std::string_view action, const Webhook* before, const Webhook& after) {
  AuditRow row{.at = c.now, .actor = c.actor(), .action = std::string(action),
               .entity = "webhook", .entity_id = after.id, .brand = "",
               .before = before ? WebhookJson(*before) : "", .after = WebhookJson(after)};
  return c.core.kyc().AppendAudit(*c.batch, std::move(row));
}

}  // namespace

bool IsPrivateHost(std::string_view host) {
  in_addr a{};
  const std::string h(host);
  if (h == "localhost") return true;
  return ::inet_pton(AF_INET, h.c_str(), &a) == 1 && IsPrivateIpv4(ntohl(a.s_addr));
}

Result<std::string> MngAddWebhook(Call& c) {
  ParamReader p(c.params);
  std::string url = p.String("url", 2000);
  auto events = ReadStringList(p, "events");
  std::string secret = p.String("secret", 256);
  auto brands = ReadStringList(p, "brands");
  if (p.ok() && !events) p.Fail(Status(Code::kBadRequest, "field 'events' is required"));
  if (Status s = p.Finish(); !s.ok()) return s;
  if (secret.size() < 16) {
    return Status(Code::kBadRequest, "field 'secret' must be at least 16 bytes (it signs every delivery)");
  }
  auto parsed = ParseWebhookUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (c.core.options().webhooks_deny_private && IsPrivateHost(parsed->host)) {
    return Error(Code::kBadRequest,
                 "field 'url': {} is a loopback or private address, which webhooks.deny_private "
                 "refuses",
                 parsed->host);
  }
  if (Status s = CheckTopicPatterns(*events, "events"); !s.ok()) return s;
  // A webhook receives what its creator may read: no AML alerts through a desk's hook.
  if (Status s = CheckTopicsAllowed(*c.session, *events); !s.ok()) return s;
  auto& store = c.core.kyc().staged_webhooks();
  auto w = std::make_shared<Webhook>();
  w->id = store.staged_webhooks().StagedNextId();
  w->url = url;
  w->filter.topics = std::move(*events);
  if (brands) w->filter.brands = std::move(*brands);
  w->secret = secret;
  // Events from now on: the ones of changes committed before this one are not sent.
  w->cursor = EventPosition(c.core.kyc().audit().StagedEndId(), 0) - 1;
  w->created_at = c.now;
  if (c.session) w->created_by = c.session->manager_id;
  std::string json = WebhookJson(*w);
  if (Status s = store.Put(*c.batch, w); !s.ok()) return s;
  if (Status s = Audit(c, "webhook.create", nullptr, *w); !s.ok()) return s;
  return json;
}

Result<std::string> MngGetWebhooks(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto items = c.core.kyc().webhooks().webhooks().Active();
  return ItemsJson(items, static_cast<int64_t>(items.size()),
                   [](JsonOut& o, const Webhook& w) { WriteWebhook(o, w); });
}

Result<std::string> MngDeleteWebhook(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto& store = c.core.kyc().staged_webhooks();
  auto before = store.staged_webhooks().StagedGet(id);
  if (!before || before->deleted) return Error(Code::kNotFound, "webhook {} not found", id);
  auto after = std::make_shared<Webhook>(*before);
  after->deleted = true;
  if (Status s = store.Put(*c.batch, after); !s.ok()) return s;
  if (Status s = Audit(c, "webhook.delete", before.get(), *after); !s.ok()) return s;
  JsonOut o;
  o.BeginObject().Key("id").Int(id).Key("deleted").Bool(true).EndObject();
  return o.Take();
}

Result<std::string> MngGetWebhookDeliveries(Call& c) {
  ParamReader p(c.params);
  int64_t webhook_id = p.Int("webhook_id");
  auto status_text = p.OptString("status", 16);
  int64_t after_id = p.OptInt("after_id").value_or(0);
  int64_t limit = p.OptInt("limit").value_or(100);
  if (limit < 1 || limit > kMaxPageLimit) {
    p.Fail(Error(Code::kBadRequest, "field 'limit' must be between 1 and {}", kMaxPageLimit));
  }
  if (Status s = p.Finish(); !s.ok()) return s;
  std::optional<DeliveryStatus> status;
  if (status_text) {
    status = ParseDeliveryStatus(*status_text);
    if (!status) {
      return Status(Code::kBadRequest, "field 'status' must be pending, retrying or delivered");
    }
  }
  const auto& store = c.core.kyc().webhooks();
  if (!store.webhooks().Get(webhook_id)) {
    return Error(Code::kNotFound, "webhook {} not found", webhook_id);
  }
  auto items = store.deliveries().OfWebhook(webhook_id, status, after_id, limit);
  return ItemsJson(items, static_cast<int64_t>(items.size()),
                   [](JsonOut& o, const Delivery& d) { WriteDelivery(o, d); });
}

}  // namespace kyc::handlers
