// Durability against the real server: a restart keeps everything, kill -9 keeps every
// acknowledged write, and SIGTERM finishes the requests in flight and exits 0.
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "protocol/frame.h"
#include "tests/integration/http_client.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

// Every template of the server as {code → name}.
std::map<std::string, std::string> TemplatesByCode(TcpClient& c) {
  Reply r = MustCall(c, "MngGetKycStepTemplates", R"({"limit":1000})");
  REQUIRE_MESSAGE(r.ok(), r.body);
  auto d = Json(r.body);
  REQUIRE(IntField(d, "total") <= 1000);
  std::map<std::string, std::string> out;
  for (const auto& t : d["items"].GetArray()) out[StrField(t, "code")] = StrField(t, "name");
  return out;
}

}  // namespace

TEST_SUITE_BEGIN("durability");

TEST_CASE("a restart keeps templates and staff accounts") {
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  std::string templates_before, managers_before;
  int64_t last_id = 0;
  {
    auto c = AdminClient(server);
    for (int i = 0; i < 5; ++i) {
      Reply r = MustCall(*c, "MngAddKycStepTemplate", TemplateParams(fmt::format("r{}", i)));
      REQUIRE_MESSAGE(r.ok(), r.body);
      last_id = IntField(Json(r.body), "id");
    }
    Reply r = MustCall(*c, "MngUpdateKycStepTemplate",
                       fmt::format(R"({{"id":{},"name":"renamed","active":false,)"
                                   R"("form_schema":{{"sections":[{{"fields":[{{"name":"a",)"
                                   R"("type":"text"}}]}}]}}}})",
                                   last_id));
    REQUIRE_MESSAGE(r.ok(), r.body);
    r = MustCall(*c, "MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", last_id - 1));
    REQUIRE_MESSAGE(r.ok(), r.body);
    r = MustCall(
        *c, "MngAddManager",
        R"({"login":"dealer1","password":"Dealer-pass-1","session_type":"SESSION_DEALER"})");
    REQUIRE_MESSAGE(r.ok(), r.body);
    templates_before = MustCall(*c, "MngGetKycStepTemplates").body;
    managers_before = MustCall(*c, "MngGetManagers").body;
  }
  CHECK(IntField(Json(templates_before), "total") == 4);

  REQUIRE(server.Term() == 0);
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());

  auto c = AdminClient(server);
  CHECK(MustCall(*c, "MngGetKycStepTemplates").body == templates_before);
  CHECK(MustCall(*c, "MngGetManagers").body == managers_before);
  auto dealer = ConnectTcp(server);
  auto session = Json(MustLogin(*dealer, "dealer1", "Dealer-pass-1"));
  CHECK(StrField(session, "session_type") == "SESSION_DEALER");
  // Sessions are not persisted; ids are never reused; the deleted code stays free.
  Reply r = MustCall(*c, "MngAddKycStepTemplate", TemplateParams("r3"));
  REQUIRE_MESSAGE(r.ok(), r.body);
  CHECK(IntField(Json(r.body), "id") > last_id);
  CHECK(MustCall(*c, "MngAddKycStepTemplate", TemplateParams("r4")).code == Code::kConflict);
}

TEST_CASE("kill -9 keeps every acknowledged write") {
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  constexpr int kWriters = 4;
  constexpr int kAckedBeforeKill = 200;

  std::mutex mu;
  std::set<std::string> acked;  // guarded by mu
  std::atomic<int> acked_count{0};
  std::atomic<bool> stop{false};
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    // Writers keep writing until the server dies, so the kill lands mid-write.
    writers.emplace_back([&, w] {
      TcpClient c;
      if (!c.Connect("127.0.0.1", server.tcp_port(), 15).ok()) {
        errors[w] = "connect failed";
        return;
      }
      auto login = c.Call(
          "Login", fmt::format(R"({{"login":"admin","password":"{}"}})", server.admin_password()));
      if (!login.ok() || !login->ok()) {
        errors[w] = "login failed";
        return;
      }
      for (int i = 0; !stop && i < 1000; ++i) {
        const std::string code = fmt::format("w{}_{}", w, i);
        auto r = c.Call("MngAddKycStepTemplate", TemplateParams(code));
        if (!r.ok()) return;  // the server is gone
        if (!r->ok()) {
          errors[w] = fmt::format("{}: {}", code, r->body);
          return;
        }
        std::lock_guard lock(mu);
        acked.insert(code);
        ++acked_count;
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (acked_count < kAckedBeforeKill && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  server.Kill9();
  stop = true;
  for (auto& t : writers) t.join();
  for (const auto& e : errors) CHECK_MESSAGE(e.empty(), e);
  REQUIRE(acked_count >= kAckedBeforeKill);

  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  auto c = AdminClient(server);
  auto present = TemplatesByCode(*c);
  int missing = 0;
  for (const auto& code : acked) {
    auto it = present.find(code);
    if (it == present.end()) {
      ++missing;
      continue;
    }
    CHECK(it->second == "Step " + code);
  }
  CHECK_MESSAGE(missing == 0, missing << " of " << acked.size() << " acknowledged writes lost");
  // A write in flight at the kill may have committed; nothing else may appear.
  CHECK(present.size() >= acked.size());
  CHECK(present.size() <= acked.size() + kWriters);
  MESSAGE(acked.size(), " writes acknowledged before kill -9; ", present.size(), " after restart");
}

TEST_CASE("SIGTERM with idle connections exits 0 and closes them") {
  ServerProcess server;
  // Repeated: a stop racing the end of the last response must not leave a connection
  // (and so the server) waiting for the idle timeout.
  for (int round = 0; round < 10; ++round) {
    INFO("round ", round);
    REQUIRE_MESSAGE(server.Start().ok(), server.Log());
    auto tcp = AdminClient(server);
    HttpClient http("127.0.0.1", server.http_port());
    REQUIRE(http.Request("GET", "/ping").status == 200);
    REQUIRE(http.connected());

    // Exit code 0 is returned only after every listener, connection and writer stopped.
    REQUIRE(server.Term() == 0);
    CHECK(tcp->ClosedByPeer(5000));
  }
}

TEST_CASE("SIGTERM with pipelined writes in flight: every answered write is committed") {
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  auto c = AdminClient(server);
  constexpr uint32_t kRequests = 600;
  constexpr uint32_t kFirstId = 100;
  std::string batch;
  for (uint32_t i = 0; i < kRequests; ++i) {
    batch += EncodeFrame(kFirstId + i, FrameKind::kRequest, 0, "MngAddKycStepTemplate",
                         TemplateParams(fmt::format("p{}", i)));
  }
  REQUIRE(c->SendRaw(batch).ok());

  // Once the first answer is back the rest are in flight: stop the server now, and keep
  // reading (the server finishes what it started and must be able to write it).
  std::vector<Reply> replies;
  auto first = c->ReadReply();
  REQUIRE_MESSAGE(first.ok(), first.status().message());
  replies.push_back(std::move(first.value()));
  auto term = std::async(std::launch::async, [&server] { return server.Term(); });
  while (replies.size() < kRequests) {
    auto r = c->ReadReply();
    if (!r.ok()) break;  // the server closed the connection
    replies.push_back(std::move(r.value()));
  }
  CHECK(term.get() == 0);

  std::set<std::string> committed, refused;
  for (size_t i = 0; i < replies.size(); ++i) {
    const Reply& r = replies[i];
    INFO("reply ", i, ": ", r.body);
    CHECK(r.request_id == kFirstId + i);  // in request order, none skipped
    CHECK(r.name == "MngAddKycStepTemplate");
    const std::string code = fmt::format("p{}", r.request_id - kFirstId);
    if (r.code == Code::kOk) {
      committed.insert(code);
    } else {
      CHECK(r.code == Code::kUnavailable);
      refused.insert(code);
    }
  }
  MESSAGE(replies.size(), " of ", kRequests, " answered: ", committed.size(), " committed, ",
          refused.size(), " unavailable");

  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  auto after = AdminClient(server);
  auto present = TemplatesByCode(*after);
  for (const auto& code : committed) CHECK_MESSAGE(present.count(code) == 1, code << " lost");
  for (const auto& code : refused) {
    CHECK_MESSAGE(present.count(code) == 0, code << " was refused but committed");
  }
  // Nothing but these writes ran, and none that was refused.
  CHECK(present.size() >= committed.size());
  CHECK(present.size() <= kRequests - refused.size());
}

TEST_SUITE_END();

}  // namespace kyc::itest
