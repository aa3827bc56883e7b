#include "core/webhook_deliverer.h"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/core.h"
#include "funds/rules.h"

namespace kyc {

WebhookDeliverer::WebhookDeliverer(Core& core, HttpPost post, int64_t skip_write_after)
    : core_(core), post_(std::move(post)), skip_write_after_(skip_write_after) {}

WebhookDeliverer::~WebhookDeliverer() { Stop(); }

void WebhookDeliverer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void WebhookDeliverer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookDeliverer::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void WebhookDeliverer::Loop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      woken_ = false;
    }
    bool progress = false;
    try {
      progress = RunOnce();
    } catch (const std::exception& e) {
      spdlog::error("webhooks: {}", e.what());
    }
    if (progress) continue;
    // Nothing to send now: sleep until woken by a commit, or a second (retries are due
    // at whole seconds of the clock).
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_ || woken_; });
  }
}

std::optional<Event> WebhookDeliverer::NextEvent(const Webhook& w, int64_t after,
                                                 int64_t* scanned) const {
  const AuditLog& log = core_.kyc().audit();
  AuditFilter f;
  f.after_id = after / 4 - 1;  // the audit row of position `after` may hold later events
  if (f.after_id < 0) f.after_id = 0;
  f.limit = 256;
  *scanned = after;
  for (int pages = 0; pages < 64; ++pages) {  // a bounded look per pass
    auto rows = log.List(f);
    for (const auto& row : rows) {
      f.after_id = row->id;
      for (Event& e : EventsOf(*row)) {
        const int64_t pos = EventPosition(e.audit_id, e.n);
        if (pos <= after) continue;
        if (w.filter.Matches(e)) return std::move(e);
      }
      *scanned = std::max(*scanned, EventPosition(row->id, 3));
    }
    if (static_cast<int64_t>(rows.size()) < f.limit) break;
  }
  return std::nullopt;
}

bool WebhookDeliverer::RunOnce() {
  bool progress = false;
  const int64_t now = core_.clock().Now();
  for (const auto& w : core_.kyc().webhooks().webhooks().Active()) {
    State& state = states_[w->id];
    if (state.retry_at > now) continue;
    int64_t scanned = 0;
    auto event = NextEvent(*w, std::max(w->cursor, state.scanned), &scanned);
    // Looking past rows no filter wants is progress too: the next pass goes on at once.
    if (scanned > state.scanned) progress = progress || !event;
    state.scanned = std::max(state.scanned, scanned);
    if (!event) {
      // Far past the cursor with nothing to send (a rare topic): keep that, so a restart
      // does not look through the same rows again.
      if (state.scanned - w->cursor >= skip_write_after_) SaveCursor(*w, state.scanned);
      continue;
    }
    progress = Deliver(*w, *event, state) || progress;
  }
  return progress;
}

void WebhookDeliverer::SaveCursor(const Webhook& w, int64_t position) {
  auto written = core_.kyc().writer().SubmitAndWait([&](WriteBatch& batch) -> Result<std::string> {
    auto& store = core_.kyc().staged_webhooks();
    auto current = store.staged_webhooks().StagedGet(w.id);
    if (!current || current->deleted || current->cursor >= position) return std::string();
    auto moved = std::make_shared<Webhook>(*current);
    moved->cursor = position;
    if (Status s = store.Put(batch, std::move(moved)); !s.ok()) return s;
    return std::string();
  });
  if (!written.ok()) {
    spdlog::warn("webhook {}: cursor not saved: {}", w.id, written.status().message());
  }
}

bool WebhookDeliverer::Deliver(const Webhook& w, const Event& e, State& state) {
  auto url = ParseWebhookUrl(w.url);
  PostResult result;
  if (!url.ok()) {
    result.error = url.status().message();
  } else {
    const HttpHeaders headers{
        {"Content-Type", "application/json"},
        // The same HMAC-SHA256 in hex as the payment providers' callbacks use.
        {"X-Signature", CallbackSignature(w.secret, e.json)},
        {"X-Event-Id", e.id},
        {"X-Event-Topic", e.topic},
    };
    result = post_(*url, headers, e.json);
  }
  const bool ok = result.status && *result.status >= 200 && *result.status < 300;
  const int64_t position = EventPosition(e.audit_id, e.n);
  const int64_t now = core_.clock().Now();
  int64_t attempts = 1;  // set by the write (read after SubmitAndWait returned)
  auto written = core_.kyc().writer().SubmitAndWait([&](WriteBatch& batch) -> Result<std::string> {
    auto& store = core_.kyc().staged_webhooks();
    auto current = store.staged_webhooks().StagedGet(w.id);
    if (!current || current->deleted) return std::string();  // deleted meanwhile: drop it
    auto before = core_.kyc().webhooks().deliveries().Find(w.id, position);
    auto d = before ? std::make_shared<Delivery>(*before) : std::make_shared<Delivery>();
    if (!before) {
      d->id = store.staged_deliveries().StagedNextId();
      d->webhook_id = w.id;
      d->event_id = e.id;
      d->position = position;
      d->topic = e.topic;
      d->created_at = now;
    }
    d->attempts += 1;
    d->last_status = result.status ? std::optional<int64_t>(*result.status) : std::nullopt;
    d->last_error = ok ? "" : (result.error.empty() ? fmt::format("HTTP {}", *result.status) : result.error);
    if (ok) {
      d->status = DeliveryStatus::kDelivered;
      d->delivered_at = now;
      d->next_at.reset();
    } else {
      d->status = DeliveryStatus::kRetrying;
      d->next_at = now + RetryDelay(d->attempts);
    }
    attempts = d->attempts;
    if (Status s = store.Put(batch, std::move(d)); !s.ok()) return s;
    if (ok) {
      auto moved = std::make_shared<Webhook>(*current);
      moved->cursor = std::max(moved->cursor, position);
      if (Status s = store.Put(batch, std::move(moved)); !s.ok()) return s;
    }
    return std::string();
  });
  if (!written.ok()) {
    spdlog::warn("webhook {}: delivery of event {} not recorded: {}", w.id, e.id,
                 written.status().message());
    state.retry_at = now + 5;  // a base that refuses writes is not hammered
    return false;
  }
  if (!ok) {
    state.retry_at = now + RetryDelay(attempts);
    spdlog::info("webhook {}: event {} not delivered ({}); retrying", w.id, e.id,
                 result.error.empty() ? fmt::format("HTTP {}", *result.status) : result.error);
  }
  return ok;
}

}  // namespace kyc
