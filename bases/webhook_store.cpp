#include "bases/webhook_store.h"

namespace kyc {

const std::string_view kWebhookSchema = R"sql(
CREATE TABLE webhooks(
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  brands TEXT NOT NULL,
  secret TEXT NOT NULL,
  cursor INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER
);
CREATE TABLE webhook_deliveries(
  id INTEGER PRIMARY KEY,
  webhook_id INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  topic TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT NOT NULL,
  next_at INTEGER,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries(webhook_id, position);
)sql";

namespace {

// Comma-separated: topics and brands never hold a comma (CheckTopicPatterns, brand rules).
std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

Status WebhookStore::Prepare(Db& db) {
  auto w = db.Prepare(UpsertSql("webhooks", {"id", "url", "events", "brands", "secret", "cursor",
                                             "deleted", "created_at", "created_by"}));
  if (!w.ok()) return w.status();
  put_webhook_ = std::move(w.value());
  auto d = db.Prepare(UpsertSql("webhook_deliveries",
                                {"id", "webhook_id", "event_id", "position", "topic", "status",
                                 "attempts", "last_status", "last_error", "next_at", "created_at",
                                 "delivered_at"}));
  if (!d.ok()) return d.status();
  put_delivery_ = std::move(d.value());
  return Status::Ok();
}

Status WebhookStore::Load(Db& db) {
  Status s = LoadRows(
      db,
      "SELECT id, url, events, brands, secret, cursor, deleted, created_at, created_by"
      " FROM webhooks ORDER BY id",
      [&](const Stmt& q) {
        auto w = std::make_shared<Webhook>();
        w->id = q.Int(0);
        w->url = q.Text(1);
        w->filter.topics = Split(q.Text(2));
        w->filter.brands = Split(q.Text(3));
        w->secret = q.Text(4);
        w->cursor = q.Int(5);
        w->deleted = q.Int(6) != 0;
        w->created_at = q.Int(7);
        w->created_by = q.OptInt(8);
        webhooks_.Load(std::move(w));
      });
  if (!s.ok()) return s;
  return LoadRows(
      db,
      "SELECT id, webhook_id, event_id, position, topic, status, attempts, last_status,"
      " last_error, next_at, created_at, delivered_at FROM webhook_deliveries ORDER BY id",
      [&](const Stmt& q) {
        auto d = std::make_shared<Delivery>();
        d->id = q.Int(0);
        d->webhook_id = q.Int(1);
        d->event_id = q.Text(2);
        d->position = q.Int(3);
        d->topic = q.Text(4);
        d->status = ParseDeliveryStatus(q.Text(5)).value_or(DeliveryStatus::kRetrying);
        d->attempts = q.Int(6);
        d->last_status = q.OptInt(7);
        d->last_error = q.Text(8);
        d->next_at = q.OptInt(9);
        d->created_at = q.Int(10);
        d->delivered_at = q.OptInt(11);
        deliveries_.Load(std::move(d));
      });
}

Status WebhookStore::Put(WriteBatch& batch, std::shared_ptr<const Webhook> w) {
  Stmt& q = put_webhook_;
  q.Bind(1, w->id).Bind(2, w->url).Bind(3, Join(w->filter.topics)).Bind(4, Join(w->filter.brands));
  q.Bind(5, w->secret).Bind(6, w->cursor).Bind(7, int64_t{w->deleted}).Bind(8, w->created_at);
  q.Bind(9, w->created_by);
  if (Status s = q.Exec(); !s.ok()) return s;
  webhooks_.Stage(batch, std::move(w));
  return Status::Ok();
}

Status WebhookStore::Put(WriteBatch& batch, std::shared_ptr<const Delivery> d) {
  Stmt& q = put_delivery_;
  q.Bind(1, d->id).Bind(2, d->webhook_id).Bind(3, d->event_id).Bind(4, d->position);
  q.Bind(5, d->topic).Bind(6, std::string(Name(d->status))).Bind(7, d->attempts);
  q.Bind(8, d->last_status).Bind(9, d->last_error).Bind(10, d->next_at).Bind(11, d->created_at);
  q.Bind(12, d->delivered_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  deliveries_.Stage(batch, std::move(d));
  return Status::Ok();
}

}  // namespace kyc
