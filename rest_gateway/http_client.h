// The HTTP client of webhook deliveries (issue 18): one POST, with a deadline, and the
// SSRF guard of webhooks.deny_private applied to every address the host resolves to.
#pragma once

#include <chrono>

#include "core/webhook_deliverer.h"

namespace kyc {

struct HttpPostOptions {
  std::chrono::seconds timeout{10};  // the whole exchange: resolve, connect, send, answer
  bool deny_private = false;         // refuse loopback, private and link-local addresses
};

// Posts `body` to `url` and returns the status, or why there was none. Blocking; its own
// I/O context, so it never runs on the server's I/O threads.
PostResult HttpPostOnce(const WebhookUrl& url, const HttpHeaders& headers, const std::string& body,
                        const HttpPostOptions& options);

}  // namespace kyc
