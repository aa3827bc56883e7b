// Issue 18 against the real server: the review queue and files the console reads, the
// OpenAPI document, the Prometheus scrape, events pushed to TCP subscribers, signed
// webhooks with retries and at-least-once delivery across a kill -9, and the client's
// notifications.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "funds/rules.h"
#include "protocol/commands.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

constexpr std::string_view kSchema =
    R"({"sections":[{"title":"Identity","fields":[{"name":"full_name","type":"text","required":true}]}]})";

// A brand's template, a customer's required step, a client token; the client submits.
struct Review {
  int64_t template_id = 0;
  int64_t step_id = 0;
  std::string client_token;
};

Review SubmittedStep(const ServerProcess& server, TcpClient& staff, int64_t customer_id,
                     std::string_view brand, std::string_view code, int level = 1) {
  Review r;
  r.template_id = IntField(
      CallOk(staff, "MngAddKycStepTemplate",
             fmt::format(R"({{"brand":"{}","code":"{}","name":"Step {}","level":{},"form_schema":{}}})",
                         brand, code, code, level, kSchema)),
      "id");
  auto req = CallOk(staff, "MngRequireKycStep",
                    fmt::format(R"({{"customer_id":{},"brand":"{}","template_id":{}}})",
                                customer_id, brand, r.template_id));
  r.step_id = IntField(req["step"], "id");
  r.client_token = ClientToken(staff, customer_id, brand);
  auto client = HttpWithToken(server, r.client_token);
  HttpResponse s = client->Request("POST", fmt::format("/client/kyc/steps/{}/submit", r.step_id),
                                   R"({"answers":{"full_name":"Ann Lee"}})");
  REQUIRE_MESSAGE(s.status == 200, s.body);
  return r;
}

// A webhook receiver on loopback: answers each POST with the next status of `statuses`
// (then 200), and keeps what it was sent.
class Receiver {
 public:
  struct Hit {
    std::string body, signature, event_id;
    int answered = 0;
  };
  explicit Receiver(std::vector<int> statuses = {}) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    REQUIRE(::listen(fd_, 16) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~Receiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return fmt::format("http://127.0.0.1:{}/hook", port_); }
  // Non-zero: every answer is this status (the receiver is down), until set back to 0.
  std::atomic<int> fail_with{0};
  std::vector<Hit> hits() {
    std::lock_guard lock(mu_);
    return hits_;
  }

 private:
  static std::string Header(const std::string& head, std::string_view name) {
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key = "\r\n" + std::string(name) + ":";
    size_t at = lower.find(key);
    if (at == std::string::npos) return "";
    size_t start = at + key.size();
    size_t end = head.find("\r\n", start);
    std::string v = head.substr(start, end - start);
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    return v;
  }
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string in;
      char buf[4096];
      size_t need = std::string::npos;
      while (need == std::string::npos || in.size() < need) {
        pollfd q{c, POLLIN, 0};
        if (::poll(&q, 1, 5000) <= 0) break;
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
        size_t end = in.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
          need = end + 4 + std::stoul("0" + Header(in.substr(0, end + 2), "content-length"));
        }
      }
      size_t end = in.find("\r\n\r\n");
      Hit h;
      if (end != std::string::npos) {
        const std::string head = in.substr(0, end + 2);
        h.body = in.substr(end + 4);
        h.signature = Header(head, "x-signature");
        h.event_id = Header(head, "x-event-id");
      }
      {
        std::lock_guard lock(mu_);
        h.answered = fail_with ? fail_with.load() : next_ < statuses_.size() ? statuses_[next_++] : 200;
        hits_.push_back(h);
      }
      std::string out = fmt::format("HTTP/1.1 {} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                                    h.answered);
      ::send(c, out.data(), out.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }
  int fd_ = -1;
  uint16_t port_ = 0;
  std::vector<int> statuses_;
  size_t next_ = 0;
  std::mutex mu_;
  std::vector<Hit> hits_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

TEST_SUITE_BEGIN("ecosystem");

TEST_CASE_FIXTURE(RunningServer, "review queue: pending steps oldest first, filtered, and files served to staff with their type") {
  auto staff = AdminClient(server);
  Review a = SubmittedStep(server, *staff, 501, "acme", "id_a");
  Review b = SubmittedStep(server, *staff, 502, "beta", "id_b", 2);
  auto http = HttpWithToken(server, AdminHttpToken(server));
  auto queue = Json(http->Request("GET", "/manager/kyc/review-queue").body);
  REQUIRE(IntField(queue, "total") == 2);
  CHECK(IntField(queue["items"][0], "step_id") == a.step_id);  // submitted first
  CHECK(IntField(queue["items"][1], "step_id") == b.step_id);
  CHECK(StrField(queue["items"][1], "brand") == "beta");
  CHECK(IntField(queue["items"][1], "customer_id") == 502);
  auto by_brand = Json(http->Request("GET", "/manager/kyc/review-queue?brand=beta").body);
  CHECK(IntField(by_brand, "total") == 1);
  CHECK(IntField(Json(http->Request("GET", "/manager/kyc/review-queue?level=2&code=id_b").body), "total") == 1);
  CHECK(IntField(Json(http->Request("GET", "/manager/kyc/review-queue?code=nope").body), "total") == 0);
  // Decided: it leaves the queue.
  CallOk(*staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", a.step_id));
  CHECK(IntField(Json(http->Request("GET", "/manager/kyc/review-queue").body), "total") == 1);

  // A client's upload, read back by staff byte for byte with its checked type.
  auto client = HttpWithToken(server, a.client_token);
  const std::string png = PngBytes("queue");
  auto up = UploadOk(*client, "scan.png", png);
  const std::string file_id = StrField(up, "file_id");
  HttpResponse f = http->Request("GET", "/manager/files/" + file_id);
  REQUIRE(f.status == 200);
  CHECK(f.body == png);
  CHECK(f.headers["content-type"] == "image/png");
  CHECK(f.headers["x-content-type-options"] == "nosniff");
  CHECK(f.headers["content-disposition"].find("scan.png") != std::string::npos);
  // Staff only; unknown ids are 404; not on TCP.
  CHECK(client->Request("GET", "/manager/files/" + file_id).status == 403);
  CHECK(http->Request("GET", "/manager/files/00000000-0000-4000-8000-000000000000").status == 404);
  CallFails(*staff, "MngGetFile", fmt::format(R"({{"file_id":"{}"}})", file_id), Code::kBadRequest);
  // The console is served by the server itself.
  HttpClient anon("127.0.0.1", server.http_port());
  HttpResponse page = anon.Request("GET", "/console/");
  CHECK(page.status == 200);
  CHECK(page.headers["content-type"].find("text/html") == 0);
  CHECK(page.body.find("<html") != std::string::npos);
  CHECK(anon.Request("GET", "/console").status == 301);
  CHECK(anon.Request("GET", "/console/app.js").headers["content-type"].find("text/javascript") == 0);
  CHECK(anon.Request("GET", "/console/../bases/kyc.db").status == 404);
}

TEST_CASE_FIXTURE(RunningServer, "OpenAPI: the served document has an operation for every routed row, and its refs resolve") {
  HttpClient anon("127.0.0.1", server.http_port());
  HttpResponse r = anon.Request("GET", "/openapi.json");
  REQUIRE(r.status == 200);
  auto doc = Json(r.body);
  CHECK(StrField(doc, "openapi") == "3.1.0");
  REQUIRE(doc["paths"].IsObject());
  std::set<std::string> operation_ids, commands;
  for (const auto& path : doc["paths"].GetObject()) {
    const std::string p = path.name.GetString();
    for (const auto& op : path.value.GetObject()) {
      CAPTURE(p);
      const std::string id = StrField(op.value, "operationId");
      CHECK(operation_ids.insert(id).second);  // unique
      commands.insert(StrField(op.value, "x-command"));
      REQUIRE(op.value["responses"].HasMember("200"));
      // Every {param} of the path is declared as a path parameter.
      for (size_t i = p.find('{'); i != std::string::npos; i = p.find('{', i + 1)) {
        const std::string name = p.substr(i + 1, p.find('}', i) - i - 1);
        bool declared = false;
        for (const auto& prm : op.value["parameters"].GetArray()) {
          declared = declared || (StrField(prm, "name") == name && StrField(prm, "in") == "path");
        }
        CHECK_MESSAGE(declared, name);
      }
      // Every $ref points at a component that exists.
      for (const auto& resp : op.value["responses"].GetObject()) {
        if (!resp.value.HasMember("$ref")) continue;
        std::string ref = StrField(resp.value, "$ref");
        REQUIRE(ref.rfind("#/components/responses/", 0) == 0);
        CHECK(doc["components"]["responses"].HasMember(ref.substr(23).c_str()));
      }
    }
  }
  for (const auto& spec : Commands()) {
    if (spec.routes[0].method.empty()) continue;
    CAPTURE(spec.name);
    CHECK(commands.count(std::string(spec.name)) == 1);
    CHECK(operation_ids.count(std::string(spec.name)) == 1);
  }
  // Types and required flags come from the row: MngBlockCustomer needs a reason.
  const auto& block = doc["paths"]["/manager/customers/{brand}/{customer_id}/block"]["post"];
  const auto& schema = block["requestBody"]["content"]["application/json"]["schema"];
  bool reason_required = false;
  for (const auto& n : schema["required"].GetArray()) reason_required |= std::string(n.GetString()) == "reason";
  CHECK(reason_required);
  CHECK(StrField(doc["components"]["securitySchemes"]["bearerAuth"], "scheme") == "bearer");
}

TEST_CASE_FIXTURE(RunningServer, "metrics: the scrape parses with Prometheus' own parser and counts per command and transport") {
  auto staff = AdminClient(server);
  MustCall(*staff, "Ping");
  MustCall(*staff, "MngGetKycProfiles");
  MustCall(*staff, "MngGetKycStep", R"({"id":424242})");  // an error
  auto http = HttpWithToken(server, AdminHttpToken(server));
  http->Request("GET", "/ping");
  HttpResponse r = http->Request("GET", "/metrics");
  REQUIRE(r.status == 200);
  CHECK(r.headers["content-type"].find("text/plain") == 0);
  CHECK(r.body.find(R"(kyc_requests_total{command="MngGetKycProfiles",transport="tcp"} 1)") != std::string::npos);
  CHECK(r.body.find(R"(kyc_request_errors_total{command="MngGetKycStep",transport="tcp"} 1)") != std::string::npos);
  CHECK(r.body.find(R"(kyc_requests_total{command="Ping",transport="http"} 1)") != std::string::npos);
  CHECK(r.body.find(R"(kyc_connections{transport="tcp"} )") != std::string::npos);
  // Parsed by prometheus_client (Debian's python3-prometheus-client), the reference parser.
  const std::string path = server.dir() + "/scrape.txt";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    std::fwrite(r.body.data(), 1, r.body.size(), f);
    std::fclose(f);
  }
  ProcessResult parsed = RunProcess(
      {"/usr/bin/python3", "-c",
       "import sys\n"
       "from prometheus_client.parser import text_string_to_metric_families\n"
       "names = {f.name: f.type for f in text_string_to_metric_families(open(sys.argv[1]).read())}\n"
       "print(' '.join(f'{n}:{t}' for n, t in sorted(names.items())))\n",
       path},
      {});
  REQUIRE_MESSAGE(parsed.exit_code == 0, parsed.err);
  for (const char* family :
       {"kyc_requests:counter", "kyc_request_errors:counter", "kyc_request_duration_seconds:histogram",
        "kyc_requests_in_flight:gauge", "kyc_connections:gauge", "kyc_writer_queue_depth:gauge",
        "kyc_commit_seconds:histogram", "kyc_commit_batch_writes:histogram", "kyc_sessions:gauge",
        "kyc_login_failures:counter", "kyc_profile_cache_bytes:gauge", "kyc_aml_run_seconds:histogram"}) {
    CHECK_MESSAGE(parsed.out.find(family) != std::string::npos, family << " in " << parsed.out);
  }
  // A client token may not scrape; without a token it is 401.
  HttpClient anon("127.0.0.1", server.http_port());
  CHECK(anon.Request("GET", "/metrics").status == 401);
}

TEST_CASE("metrics: metrics.listen serves the scrape without a token on an address of its own") {
  ServerOptions o;
  o.extra_args = {"--metrics", "127.0.0.1:0"};
  ServerProcess server(o);
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  const std::string out = ReadFile(server.dir() + "/stdout.1.log");
  const size_t at = out.find("metrics 127.0.0.1:");
  REQUIRE_MESSAGE(at != std::string::npos, out);
  const auto port = static_cast<uint16_t>(std::stoi(out.substr(at + 18)));
  HttpClient c("127.0.0.1", port);
  HttpResponse r = c.Request("GET", "/metrics");
  CHECK(r.status == 200);
  CHECK(r.body.find("# TYPE kyc_requests_total counter") != std::string::npos);
  CHECK(c.Request("GET", "/manager/kyc/profiles").status == 404);
}

TEST_CASE_FIXTURE(RunningServer, "events: a subscriber gets each change in commit order and filtered, and one that does not read is dropped while others go on") {
  auto staff = AdminClient(server);
  auto sub = AdminClient(server);
  auto d = CallOk(*sub, "Subscribe", R"({"topics":["kyc.step.*","customer.blocked"],"brands":["acme"]})");
  CHECK(d["topics"].Size() == 2);
  CallFails(*sub, "Subscribe", R"({"topics":["nope"]})", Code::kBadRequest);
  CallFails(*sub, "Subscribe", R"({"topics":[]})", Code::kBadRequest);
  // That failed call left the subscription as it was.
  Review r = SubmittedStep(server, *staff, 601, "acme", "ev");
  SubmittedStep(server, *staff, 602, "beta", "ev_beta");  // another brand: filtered out
  CallOk(*staff, "MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":"name"}})", r.step_id));
  CallOk(*staff, "MngAddCustomer", R"({"customer_id":601,"brand":"acme"})");
  CallOk(*staff, "MngBlockCustomer", R"({"customer_id":601,"brand":"acme","reason":"fraud check"})");
  std::vector<std::string> topics;
  std::string last_id;
  for (int i = 0; i < 3; ++i) {
    auto e = sub->ReadEvent();
    REQUIRE_MESSAGE(e.ok(), e.status().message());
    CHECK(e->event);
    auto ev = Json(e->body);
    CHECK(StrField(ev, "brand") == "acme");
    CHECK(StrField(ev, "topic") == e->name);
    topics.push_back(e->name);
    if (!last_id.empty()) CHECK(std::stod(StrField(ev, "event_id")) > std::stod(last_id));
    last_id = StrField(ev, "event_id");
  }
  CHECK(topics == std::vector<std::string>{"kyc.step.submitted", "kyc.step.decided", "customer.blocked"});
  // The connection still answers calls, events or not.
  CHECK(MustCall(*sub, "Ping").ok());
  auto block = [&](int64_t customer) {
    CallOk(*staff, "MngAddCustomer", fmt::format(R"({{"customer_id":{},"brand":"acme"}})", customer));
    CallOk(*staff, "MngBlockCustomer",
           fmt::format(R"({{"customer_id":{},"brand":"acme","reason":"check"}})", customer));
  };
  auto next_customer = [&] {
    auto e = sub->ReadEvent();
    REQUIRE_MESSAGE(e.ok(), e.status().message());
    return IntField(Json(e->body), "customer_id");
  };
  // After Unsubscribe nothing more is sent: the next subscription's first event is a later one.
  CallOk(*sub, "Unsubscribe", "{}");
  block(603);
  CallOk(*sub, "Subscribe", R"({"topics":["customer.blocked"]})");
  block(604);
  CHECK(next_customer() == 604);
  // A logout ends the subscription with the session; a new login starts without one.
  CallOk(*sub, "Logout", "{}");
  block(605);
  MustLogin(*sub, "admin", server.admin_password());
  CallOk(*sub, "Subscribe", R"({"topics":["customer.blocked"]})");
  block(606);
  CHECK(next_customer() == 606);
  CallOk(*sub, "Unsubscribe", "{}");

  // A support account may not subscribe to AML alerts (no tipping off).
  CallOk(*staff, "MngAddManager", R"({"login":"desk","password":"Desk-pass-123","session_type":"SESSION_MANAGER","roles":["support"]})");
  auto desk = ConnectTcp(server);
  MustLogin(*desk, "desk", "Desk-pass-123");
  CallFails(*desk, "Subscribe", R"({"topics":["aml.alert"]})", Code::kForbidden);

  // A subscriber that never reads: its backlog grows until the server drops it, while a
  // reading subscriber and ordinary calls go on.
  auto slow = AdminClient(server);
  CallOk(*slow, "Subscribe", R"({"topics":["*"]})");
  auto fast = AdminClient(server);
  CallOk(*fast, "Subscribe", R"({"topics":["kyc.step.submitted"]})");
  auto http = HttpWithToken(server, AdminHttpToken(server));
  // Big events (each carries its step, answers included): 200 submissions of 80 KB, more
  // than the kernel's socket buffers and the server's backlog together hold.
  const std::string big(80000, 'x');
  auto tid = IntField(CallOk(*staff, "MngAddKycStepTemplate",
                             R"({"brand":"acme","code":"big","name":"Big","level":3,"form_schema":{"sections":[{"title":"T","fields":[{"name":"note","type":"textarea"}]}]}})"),
                      "id");
  int submitted = 0;
  for (int i = 0; i < 200; ++i) {
    const int64_t customer = 10000 + i;
    auto req = CallOk(*staff, "MngRequireKycStep",
                      fmt::format(R"({{"customer_id":{},"brand":"acme","template_id":{}}})", customer, tid));
    auto client = HttpWithToken(server, ClientToken(*staff, customer, "acme"));
    HttpResponse s = client->Request(
        "POST", fmt::format("/client/kyc/steps/{}/submit", IntField(req["step"], "id")),
        fmt::format(R"({{"answers":{{"note":"{}"}}}})", big));
    if (s.status == 200) ++submitted;
    if (submitted % 50 == 0) {  // the reader keeps up
      for (int k = 0; k < 50 && submitted > 0; ++k) {
        auto e = fast->ReadEvent();
        REQUIRE_MESSAGE(e.ok(), e.status().message());
        CHECK(e->name == "kyc.step.submitted");
      }
    }
  }
  CHECK(submitted == 200);
  CHECK(slow->ClosedByPeer(5000));
  CHECK(server.Log().find("dropping the event subscriber") != std::string::npos);
  CHECK(MustCall(*fast, "Ping").ok());
  CHECK(MustCall(*staff, "Ping").ok());
}

TEST_CASE("webhooks: signed POSTs to a local receiver, retried after a 500, delivered at least once across a kill -9") {
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  Receiver receiver({500});
  auto staff = AdminClient(server);
  const std::string secret = "webhook-secret-0123456789";
  auto hook = CallOk(*staff, "MngAddWebhook",
                     fmt::format(R"({{"url":"{}","events":["kyc.step.*"],"secret":"{}"}})",
                                 receiver.url(), secret));
  const int64_t hook_id = IntField(hook, "id");
  CHECK(!hook.HasMember("secret"));
  CallFails(*staff, "MngAddWebhook", R"({"url":"ftp://x","events":["kyc.step.*"],"secret":"0123456789abcdef"})", Code::kBadRequest);
  CallFails(*staff, "MngAddWebhook", fmt::format(R"({{"url":"{}","events":["nope"],"secret":"0123456789abcdef"}})", receiver.url()), Code::kBadRequest);

  Review r = SubmittedStep(server, *staff, 701, "acme", "hook");
  // The first attempt gets a 500; the retry comes within 5 s and gets a 200.
  REQUIRE(Eventually([&] { return receiver.hits().size() >= 2; }, 8));
  auto hits = receiver.hits();
  CHECK(hits[0].answered == 500);
  CHECK(hits[1].answered == 200);
  CHECK(hits[0].event_id == hits[1].event_id);
  CHECK(hits[1].signature == CallbackSignature(secret, hits[1].body));
  auto ev = Json(hits[1].body);
  CHECK(StrField(ev, "topic") == "kyc.step.submitted");
  CHECK(IntField(ev, "customer_id") == 701);
  // The 2xx is recorded right after the receiver answered it.
  rapidjson::Document deliveries;
  REQUIRE(Eventually([&] {
    deliveries = CallOk(*staff, "MngGetWebhookDeliveries",
                        fmt::format(R"({{"webhook_id":{},"status":"delivered"}})", hook_id));
    return deliveries["items"].Size() == 1;
  }));
  CHECK(IntField(deliveries["items"][0], "attempts") == 2);

  // The receiver goes down; events are committed and tried (503), then the server is
  // killed: after the restart each is delivered from the durable cursor, in order.
  receiver.fail_with = 503;
  CallOk(*staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", r.step_id));
  Review r2 = SubmittedStep(server, *staff, 702, "acme", "hook2");
  REQUIRE(Eventually([&] {
    for (const auto& h : receiver.hits()) if (h.answered == 503) return true;
    return false;
  }, 8));
  server.Kill9();
  receiver.fail_with = 0;
  REQUIRE_MESSAGE(server.Restart().ok(), server.Log());
  REQUIRE(Eventually([&] {
    std::set<std::string> ids;
    for (const auto& h : receiver.hits()) if (h.answered == 200) ids.insert(h.event_id);
    return ids.size() >= 3;
  }, 10));
  std::vector<std::string> order;
  for (const auto& h : receiver.hits()) {
    if (h.answered != 200) continue;
    CHECK(h.signature == CallbackSignature(secret, h.body));
    if (order.empty() || order.back() != h.event_id) order.push_back(h.event_id);
  }
  std::vector<std::string> topics;
  for (const auto& h : receiver.hits()) {
    if (h.answered == 200) topics.push_back(StrField(Json(h.body), "topic"));
  }
  CHECK(std::find(topics.begin(), topics.end(), "kyc.step.decided") != topics.end());
  // Never out of order: each delivered id is not smaller than the one before (a repeat is
  // allowed: at least once).
  for (size_t i = 1; i < order.size(); ++i) CHECK(std::stod(order[i]) >= std::stod(order[i - 1]));
  auto staff2 = AdminClient(server);
  CallOk(*staff2, "MngDeleteWebhook", fmt::format(R"({{"id":{}}})", hook_id));
  CHECK(IntField(CallOk(*staff2, "MngGetWebhooks", "{}"), "total") == 0);
  (void)r2;
}

TEST_CASE("webhooks: webhooks.deny_private refuses loopback and private destinations, by address and by name") {
  ServerOptions o;
  o.extra_toml = "[webhooks]\ndeny_private = true\n";
  ServerProcess server(o);
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  auto staff = AdminClient(server);
  for (const char* url : {"http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/",
                          "http://192.168.0.1/", "http://169.254.169.254/latest"}) {
    CAPTURE(url);
    std::string m = CallFails(*staff, "MngAddWebhook",
                              fmt::format(R"({{"url":"{}","events":["*"],"secret":"0123456789abcdef"}})", url),
                              Code::kBadRequest);
    CHECK(m.find("deny_private") != std::string::npos);
  }
  // A name that resolves to loopback passes the literal check; the delivery is refused and
  // says why. (This host's own name resolves to 127.0.0.1 on Debian's default /etc/hosts.)
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  addrinfo* found = nullptr;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  if (::getaddrinfo(name, nullptr, &hints, &found) != 0 || !found ||
      (ntohl(reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr.s_addr) >> 24) != 127) {
    if (found) ::freeaddrinfo(found);
    MESSAGE("the host name does not resolve to loopback here: the delivery check is not exercised");
    return;
  }
  ::freeaddrinfo(found);
  auto hook = CallOk(*staff, "MngAddWebhook",
                     fmt::format(R"({{"url":"http://{}:9/x","events":["kyc.*"],"secret":"0123456789abcdef"}})", name));
  SubmittedStep(server, *staff, 901, "acme", "deny");
  REQUIRE(Eventually([&] {
    auto d = CallOk(*staff, "MngGetWebhookDeliveries",
                    fmt::format(R"({{"webhook_id":{}}})", IntField(hook, "id")));
    return d["items"].Size() >= 1 &&
           StrField(d["items"][0], "last_error").find("deny_private") != std::string::npos;
  }));
}

TEST_CASE_FIXTURE(RunningServer, "notifications: a revision request and a decision reach the client's notifications") {
  auto staff = AdminClient(server);
  Review r = SubmittedStep(server, *staff, 801, "acme", "note");
  CallOk(*staff, "MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":"Please upload a clearer scan"}})", r.step_id));
  auto client = HttpWithToken(server, r.client_token);
  HttpResponse s = client->Request("POST", fmt::format("/client/kyc/steps/{}/submit", r.step_id),
                                   R"({"answers":{"full_name":"Ann Lee"}})");
  REQUIRE(s.status == 200);
  CallOk(*staff, "MngApproveKycStep", fmt::format(R"({{"id":{},"comment":"thanks"}})", r.step_id));
  HttpResponse n = client->Request("GET", "/client/notifications");
  REQUIRE_MESSAGE(n.status == 200, n.body);
  auto d = Json(n.body);
  REQUIRE(d["items"].Size() == 2);
  CHECK(StrField(d["items"][0], "kind") == "step.revision_requested");
  CHECK(StrField(d["items"][0], "comment") == "Please upload a clearer scan");
  CHECK(StrField(d["items"][0], "message").find("Please upload a clearer scan") != std::string::npos);
  CHECK(StrField(d["items"][1], "kind") == "step.approved");
  // Paging by id; another customer sees none of them.
  auto after = Json(client->Request("GET", fmt::format("/client/notifications?after_id={}", IntField(d["items"][0], "id"))).body);
  CHECK(after["items"].Size() == 1);
  auto other = HttpWithToken(server, ClientToken(*staff, 802, "acme"));
  CHECK(Json(other->Request("GET", "/client/notifications").body)["items"].Size() == 0);
  // Staff cannot call the client's route.
  auto http = HttpWithToken(server, AdminHttpToken(server));
  CHECK(http->Request("GET", "/client/notifications").status == 403);
}

TEST_SUITE_END();

}  // namespace kyc::itest
