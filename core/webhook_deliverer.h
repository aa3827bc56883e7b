// Sends each webhook its events (issue 18), one thread for all webhooks.
//
// The audit trail is the outbox: an event exists once the change it describes committed,
// and each webhook's cursor says how far it has been served. For each webhook in turn the
// deliverer finds the next event its filter matches, POSTs it (X-Signature: HMAC-SHA256 of
// the body with the webhook's secret), and records the attempt through the KYC writer:
// after a 2xx the cursor moves past the event in the same write. A failure is retried with
// back-off (1 s, 2 s, 4 s … 5 min), and nothing later goes to that webhook meanwhile, so
// events arrive in order (per customer, and overall). A crash between a 2xx and its write
// sends that event again: at least once.
//
// The HTTP client is injected (the REST gateway's Beast client in the server, a fake in
// tests), and so is time, through the core's clock; the thread waits in real time.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "events/webhooks.h"

namespace kyc {

class Core;

struct PostResult {
  std::optional<int> status;  // the HTTP status answered; nullopt when there was none
  std::string error;          // why there was no answer (refused, timed out, …)
};
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;
using HttpPost =
    std::function<PostResult(const WebhookUrl& url, const HttpHeaders& headers, const std::string& body)>;

class WebhookDeliverer {
 public:
  // `skip_write_after`: positions (4 per audit row) a webhook may lag behind what was
  // looked at before its cursor is written without a delivery.
  WebhookDeliverer(Core& core, HttpPost post, int64_t skip_write_after = 4 * 10000);
  ~WebhookDeliverer();  // stops the thread
  WebhookDeliverer(const WebhookDeliverer&) = delete;
  WebhookDeliverer& operator=(const WebhookDeliverer&) = delete;

  void Start();
  void Stop();
  // Any thread: new events may be there (EventHub::OnCommitted).
  void Wake();

  // One pass over every webhook, on the calling thread (the thread's loop; tests call it
  // directly). Returns whether any event was delivered or skipped past.
  bool RunOnce();

 private:
  struct State {
    int64_t scanned = 0;   // position up to which nothing matched (memory only)
    int64_t retry_at = 0;  // clock seconds; 0: now
  };
  void Loop();
  // The next event after `after` that `w` wants, or nullopt (then *scanned is how far it looked).
  std::optional<Event> NextEvent(const Webhook& w, int64_t after, int64_t* scanned) const;
  bool Deliver(const Webhook& w, const Event& e, State& state);
  // Moves a webhook's cursor past positions that held nothing for it.
  void SaveCursor(const Webhook& w, int64_t position);


  Core& core_;
  HttpPost post_;
  int64_t skip_write_after_;
  std::map<int64_t, State> states_;  // by webhook id; the delivering thread only
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;  // guarded by mu_
  bool stop_ = false;   // guarded by mu_
  std::thread thread_;
};

}  // namespace kyc
