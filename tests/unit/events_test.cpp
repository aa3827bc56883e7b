// Issue 18's pure parts: events derived from audit rows, topic patterns and filters, the
// webhook URL and back-off rules, the OpenAPI params reader, and the metrics text.
#include <doctest/doctest.h>

#include "core/metrics.h"
#include "events/event.h"
#include "events/webhooks.h"
#include "protocol/json.h"
#include "protocol/openapi.h"

namespace kyc {
namespace {

AuditRow Row(std::string action, std::string before, std::string after) {
  AuditRow r;
  r.id = 41;
  r.at = 1700000000;
  r.action = std::move(action);
  r.entity = "step";
  r.entity_id = 9;
  r.customer_id = 7;
  r.brand = "acme";
  r.before = std::move(before);
  r.after = std::move(after);
  return r;
}

}  // namespace

TEST_CASE("events: a decision is a kyc.step.decided event and the client's notification") {
  auto events = EventsOf(Row("step.revision", R"({"status":1})",
                             R"({"status":0,"name":"Proof of identity","code":"proof_id","comment":"blurry"})"));
  REQUIRE(events.size() == 2);
  CHECK(events[0].topic == "kyc.step.decided");
  CHECK(events[0].id == "41.0");
  CHECK(events[1].topic == "client.notification");
  CHECK(events[1].id == "41.1");
  rapidjson::Document d;
  REQUIRE(ParseJson(events[1].json, d).ok());
  CHECK(std::string(d["data"]["kind"].GetString()) == "step.revision_requested");
  CHECK(std::string(d["data"]["message"].GetString()) == "Please revise your 'Proof of identity' step: blurry");
  CHECK(d["customer_id"].GetInt64() == 7);
  REQUIRE(ParseJson(events[0].json, d).ok());
  CHECK(std::string(d["data"]["action"].GetString()) == "step.revision");
  CHECK(d["data"]["object"]["code"] == "proof_id");
}

TEST_CASE("events: a profile gives kyc.profile.status only when its status moved, and most rows give none") {
  CHECK(EventsOf(Row("profile.recalculate", R"({"status":1})", R"({"status":2})")).size() == 1);
  CHECK(EventsOf(Row("profile.recalculate", R"({"status":2,"level":1})", R"({"status":2,"level":2})")).empty());
  CHECK(EventsOf(Row("template.create", "", R"({"id":1})")).empty());
  CHECK(EventsOf(Row("deposit.succeed", "", "{}"))[0].topic == "funds.deposit");
  CHECK(EventsOf(Row("customer.block", "", "{}"))[0].topic == "customer.blocked");
  CHECK(EventsOf(Row("aml_alert.open", "", "{}"))[0].topic == "aml.alert");
  CHECK(EventsOf(Row("approval.request", "", "{}"))[0].topic == "approval.request");
}

TEST_CASE("events: topic patterns and filters") {
  CHECK(CheckTopicPatterns({"kyc.step.decided", "funds.*", "*"}, "topics").ok());
  CHECK(CheckTopicPatterns({"funds"}, "topics").code() == Code::kBadRequest);
  CHECK(CheckTopicPatterns({"nope.*"}, "topics").code() == Code::kBadRequest);
  CHECK(CheckTopicPatterns({}, "topics").code() == Code::kBadRequest);
  CHECK(TopicsOf("funds.*").size() == 4);
  CHECK(TopicsOf("kyc.step.*").size() == 2);
  Event e;
  e.topic = "funds.deposit";
  e.brand = "acme";
  CHECK(EventFilter{{"funds.*"}, {}}.Matches(e));
  CHECK(EventFilter{{"*"}, {"acme"}}.Matches(e));
  CHECK_FALSE(EventFilter{{"*"}, {"beta"}}.Matches(e));
  CHECK_FALSE(EventFilter{{"fund.*"}, {}}.Matches(e));
  CHECK_FALSE(EventFilter{{"funds.withdrawal"}, {}}.Matches(e));
  CHECK(EventPosition(41, 1) > EventPosition(41, 0));
  CHECK(EventPosition(42, 0) > EventPosition(41, 3));
}

TEST_CASE("webhooks: URLs, back-off") {
  auto u = ParseWebhookUrl("http://hooks.example.com:8081/kyc?x=1");
  REQUIRE(u.ok());
  CHECK(u->host == "hooks.example.com");
  CHECK(u->port == "8081");
  CHECK(u->target == "/kyc?x=1");
  CHECK(ParseWebhookUrl("http://example.com")->target == "/");
  CHECK(ParseWebhookUrl("https://example.com").status().message().find("TLS") != std::string::npos);
  CHECK_FALSE(ParseWebhookUrl("ftp://example.com").ok());
  CHECK_FALSE(ParseWebhookUrl("http://user@example.com/").ok());
  CHECK_FALSE(ParseWebhookUrl("http://example.com:0/").ok());
  CHECK_FALSE(ParseWebhookUrl("http://exa mple.com/").ok());
  CHECK_FALSE(ParseWebhookUrl("http://example.com/a b").ok());
  CHECK(RetryDelay(1) == 1);
  CHECK(RetryDelay(2) == 2);
  CHECK(RetryDelay(5) == 16);
  CHECK(RetryDelay(50) == 300);
}

TEST_CASE("openapi: params, required flags and types from a row's params text") {
  auto p = ParamsOfText("{customer_id, brand, reason?, status (restricted|closed|active)} → X");
  REQUIRE(p);
  REQUIRE(p->size() == 4);
  CHECK((*p)[0].name == "customer_id");
  CHECK((*p)[0].required);
  CHECK_FALSE((*p)[2].required);
  CHECK((*p)[3].values == std::vector<std::string>{"restricted", "closed", "active"});
  auto alt = ParamsOfText("{id} | {customer_id, brand} → Profile");
  REQUIRE(alt);
  CHECK(alt->size() == 3);
  for (const auto& a : *alt) CHECK_FALSE(a.required);
  auto nested = ParamsOfText("{file_id, profile_id | (customer_id, brand), step_id?} → D");
  REQUIRE(nested);
  CHECK(nested->size() == 5);
  CHECK((*nested)[0].required);
  CHECK_FALSE((*nested)[2].required);
  CHECK_FALSE(ParamsOfText("multipart/form-data field `file` → {file_id}"));
  CHECK(SchemaOfField("customer_id").find("integer") != std::string::npos);
  CHECK(SchemaOfField("file_id").find("string") != std::string::npos);
  CHECK(SchemaOfField("amount").find("pattern") != std::string::npos);
  CHECK(SchemaOfField("active").find("boolean") != std::string::npos);
  CHECK(SchemaOfField("whatever") == "{}");
  rapidjson::Document d;
  REQUIRE(ParseJson(OpenApiJson("1.2.3"), d, 1000).ok());
  CHECK(std::string(d["info"]["version"].GetString()) == "1.2.3");
}

TEST_CASE("metrics: per-thread shards summed in the scrape, histograms cumulative") {
  Metrics m;
  m.Request(Transport::kTcp, 0, false, 50'000);        // 50 µs
  m.Request(Transport::kTcp, 0, true, 2'000'000);      // 2 ms
  std::thread([&] { m.Request(Transport::kTcp, 0, false, 50'000); }).join();
  m.AddGauge("kyc_test_gauge", "A test gauge.", "x=\"1\"", [] { return 2.5; });
  const std::string text = m.Render();
  CHECK(text.find("kyc_requests_total{command=\"Ping\",transport=\"tcp\"} 3") != std::string::npos);
  CHECK(text.find("kyc_request_errors_total{command=\"Ping\",transport=\"tcp\"} 1") != std::string::npos);
  CHECK(text.find("kyc_request_duration_seconds_bucket{command=\"Ping\",transport=\"tcp\",le=\"0.0001\"} 2") != std::string::npos);
  CHECK(text.find("kyc_request_duration_seconds_bucket{command=\"Ping\",transport=\"tcp\",le=\"+Inf\"} 3") != std::string::npos);
  CHECK(text.find("kyc_request_duration_seconds_count{command=\"Ping\",transport=\"tcp\"} 3") != std::string::npos);
  CHECK(text.find("kyc_test_gauge{x=\"1\"} 2.5") != std::string::npos);
  CHECK(text.find("transport=\"http\"") == std::string::npos);  // no series for what never ran
}

}  // namespace kyc
