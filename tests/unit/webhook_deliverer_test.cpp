// The webhook deliverer on an in-memory core with a fake HTTP client and the fake clock:
// order, signature, back-off on the clock, the cursor as the durable outbox position, and
// rows no webhook wants skipped for good.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "core/webhook_deliverer.h"
#include "funds/rules.h"
#include "tests/unit/harness.h"

namespace kyc {

namespace {
struct Sent {
  std::string body, signature, event_id;
};
}  // namespace

TEST_CASE("webhook deliverer: in order, signed, retried on the clock, cursor moved only by a 2xx") {
  Harness h;
  std::vector<Sent> sent;
  int answer = 500;
  WebhookDeliverer d(h.core(), [&](const WebhookUrl& url, const HttpHeaders& headers,
                                   const std::string& body) {
    CHECK(url.host == "hooks.test");
    Sent s{body, "", ""};
    for (const auto& [k, v] : headers) {
      if (k == "X-Signature") s.signature = v;
      if (k == "X-Event-Id") s.event_id = v;
    }
    sent.push_back(s);
    return PostResult{answer, ""};
  });
  auto admin = h.Admin();
  Response r = h.Run("MngAddWebhook",
                     R"({"url":"http://hooks.test/k","events":["customer.*"],"secret":"s3cret-s3cret-s3cret"})",
                     admin);
  REQUIRE_MESSAGE(r.status.ok(), r.text());
  while (d.RunOnce()) {  // looks past the rows before the webhook: nothing to send
  }
  CHECK(sent.empty());
  for (int c : {11, 12}) {
    REQUIRE(h.Run("MngAddCustomer", fmt::format(R"({{"customer_id":{},"brand":"acme"}})", c), admin).status.ok());
    REQUIRE(h.Run("MngBlockCustomer", fmt::format(R"({{"customer_id":{},"brand":"acme","reason":"x"}})", c), admin).status.ok());
  }
  // The first event fails: retried after 1 s of the clock, not before; nothing later meanwhile.
  CHECK(!d.RunOnce());
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].signature == CallbackSignature("s3cret-s3cret-s3cret", sent[0].body));
  CHECK(!d.RunOnce());
  CHECK(sent.size() == 1);
  h.clock().Advance(1);
  answer = 200;
  CHECK(d.RunOnce());
  REQUIRE(sent.size() == 2);
  CHECK(sent[1].event_id == sent[0].event_id);
  CHECK(d.RunOnce());
  REQUIRE(sent.size() == 3);
  CHECK(std::stod(sent[2].event_id) > std::stod(sent[1].event_id));
  CHECK(sent[2].body.find("\"customer_id\":12") != std::string::npos);
  while (d.RunOnce()) {
  }
  CHECK(sent.size() == 3);
  auto hooks = h.core().kyc().webhooks().webhooks().Active();
  REQUIRE(hooks.size() == 1);
  const auto& log = h.core().kyc().webhooks().deliveries();
  auto first = log.OfWebhook(hooks[0]->id, DeliveryStatus::kDelivered, 0, 10);
  REQUIRE(first.size() == 2);
  CHECK(first[0]->attempts == 2);
  CHECK(first[0]->last_status == 200);
}

TEST_CASE("webhook deliverer: rows a webhook does not want move its cursor once far enough") {
  Harness h;
  int posts = 0;
  WebhookDeliverer d(h.core(), [&](const WebhookUrl&, const HttpHeaders&, const std::string&) {
    ++posts;
    return PostResult{200, ""};
  }, /*skip_write_after=*/8);
  auto admin = h.Admin();
  REQUIRE(h.Run("MngAddWebhook",
                R"({"url":"http://hooks.test/k","events":["aml.alert"],"secret":"s3cret-s3cret-s3cret"})",
                admin).status.ok());
  const int64_t before = h.core().kyc().webhooks().webhooks().Active()[0]->cursor;
  for (int c = 0; c < 5; ++c) {
    REQUIRE(h.Run("MngAddCustomer", fmt::format(R"({{"customer_id":{},"brand":"acme"}})", 100 + c), admin).status.ok());
  }
  while (d.RunOnce()) {
  }
  CHECK(posts == 0);
  CHECK(h.core().kyc().webhooks().webhooks().Active()[0]->cursor >= before + 8);
}

}  // namespace kyc
