// The binary TCP protocol against the real server: framing, pipelining, errors that close
// the connection and errors that do not, sessions, login throttling and the access matrix.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <optional>
#include <utility>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "protocol/commands.h"
#include "protocol/frame.h"
#include "protocol/json.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

std::string Request(uint32_t id, std::string_view name, std::string_view json = "{}") {
  return EncodeFrame(id, FrameKind::kRequest, 0, name, json);
}

// A raw 16-byte header with the given fields.
std::string Header(std::string_view magic, uint32_t length, uint32_t request_id,
                   uint16_t name_len) {
  std::string h(magic);
  for (uint32_t v : {length, request_id}) {
    for (int i = 0; i < 4; ++i) h.push_back(static_cast<char>(v >> (8 * i) & 0xff));
  }
  h.push_back(static_cast<char>(name_len & 0xff));
  h.push_back(static_cast<char>(name_len >> 8));
  h.push_back(0);  // kind: request
  h.push_back(0);  // status
  return h;
}

Reply MustRead(TcpClient& c) {
  auto r = c.ReadReply();
  REQUIRE_MESSAGE(r.ok(), "read: " << r.status().message());
  return std::move(r.value());
}

struct ServerFixture : RunningServer {
};

}  // namespace

TEST_SUITE_BEGIN("tcp");

TEST_CASE_FIXTURE(ServerFixture, "Ping needs no session and returns the server time") {
  auto c = ConnectTcp(server);
  Reply r = MustCall(*c, "Ping");
  CHECK(r.code == Code::kOk);
  CHECK(r.name == "Ping");
  auto d = Json(r.body);
  CHECK(IntField(d, "time") > 1600000000);
}

TEST_CASE_FIXTURE(ServerFixture, "pipelined requests are answered in order with their ids") {
  auto c = ConnectTcp(server);
  std::string batch;
  for (uint32_t i = 0; i < 10; ++i) batch += Request(1000 + i, "Ping");
  REQUIRE(c->SendRaw(batch).ok());
  for (uint32_t i = 0; i < 10; ++i) {
    Reply r = MustRead(*c);
    CHECK(r.request_id == 1000 + i);
    CHECK(r.name == "Ping");
    CHECK(r.code == Code::kOk);
  }

  SUBCASE("reads pipelined behind writes see those writes") {
    MustLogin(*c, "admin", server.admin_password());
    batch.clear();
    for (uint32_t i = 0; i < 5; ++i) {
      batch +=
          Request(2000 + 2 * i, "MngAddKycStepTemplate", TemplateParams(fmt::format("s{}", i)));
      batch += Request(2001 + 2 * i, "MngGetKycStepTemplates", R"({"brand":"acme"})");
    }
    REQUIRE(c->SendRaw(batch).ok());
    for (uint32_t i = 0; i < 5; ++i) {
      Reply add = MustRead(*c);
      CHECK(add.request_id == 2000 + 2 * i);
      CHECK_MESSAGE(add.code == Code::kOk, add.body);
      Reply list = MustRead(*c);
      CHECK(list.request_id == 2001 + 2 * i);
      REQUIRE_MESSAGE(list.code == Code::kOk, list.body);
      CHECK(IntField(Json(list.body), "total") == i + 1);
    }
  }
}

TEST_CASE_FIXTURE(ServerFixture, "a bad magic gets one bad_request response, then the close") {
  auto c = ConnectTcp(server);
  REQUIRE(c->SendRaw(Header("HTTP", 2, 5, 2) + "{}").ok());
  Reply r = MustRead(*c);
  CHECK(r.code == Code::kBadRequest);
  CHECK(r.request_id == 5);  // the header was complete, so its request_id could be read
  CHECK(ErrorCode(r.body) == "bad_request");
  CHECK(c->ClosedByPeer(5000));
  // The server itself is fine.
  auto other = ConnectTcp(server);
  CHECK(MustCall(*other, "Ping").ok());
}

TEST_CASE_FIXTURE(ServerFixture, "an over-limit length gets too_large, then the close") {
  auto c = ConnectTcp(server);
  REQUIRE(c->SendRaw(Header("KYC1", (1u << 20) + 1, 77, 4) + "Ping").ok());
  Reply r = MustRead(*c);
  CHECK(r.code == Code::kTooLarge);
  CHECK(r.request_id == 77);
  CHECK(ErrorCode(r.body) == "too_large");
  CHECK(c->ClosedByPeer(5000));
}

TEST_CASE_FIXTURE(ServerFixture, "a frame of exactly the limit is read, not refused") {
  auto c = AdminClient(server);
  // A 1 MiB body: a valid frame, rejected by the handler (description too long), not by
  // the framing, so the connection stays open.
  const std::string name = "MngAddKycStepTemplate";
  std::string json = R"({"brand":"acme","code":"big","name":"Big","description":")";
  json += std::string((1u << 20) - name.size() - json.size() - 2, 'x');
  json += "\"}";
  REQUIRE(name.size() + json.size() == (1u << 20));
  Reply r = MustCall(*c, name, json);
  CHECK(r.code == Code::kBadRequest);
  CHECK(r.body.find("description") != std::string::npos);
  CHECK(MustCall(*c, "Ping").ok());
}

TEST_CASE_FIXTURE(ServerFixture, "bad JSON, wrong types and bad frames keep the connection open") {
  auto c = AdminClient(server);
  Reply r = MustCall(*c, "MngGetKycStepTemplates", "{not json");
  CHECK(r.code == Code::kBadRequest);
  CHECK(ErrorCode(r.body) == "bad_request");
  CHECK(MustCall(*c, "Ping").ok());

  r = MustCall(*c, "MngGetKycStepTemplates", "[1,2]");
  CHECK(r.code == Code::kBadRequest);

  r = MustCall(*c, "MngAddKycStepTemplate",
               R"({"brand":"acme","code":"x","name":"X","level":"one"})");
  CHECK(r.code == Code::kBadRequest);
  CHECK(r.body.find("level") != std::string::npos);

  r = MustCall(*c, "MngAddKycStepTemplate", R"({"brand":"acme","code":"x","name":"X","bogus":1})");
  CHECK(r.code == Code::kBadRequest);
  CHECK(r.body.find("bogus") != std::string::npos);

  // name_len larger than the body: the frame boundary is known, so only that frame fails.
  REQUIRE(c->SendRaw(Header("KYC1", 2, 9, 3) + "{}").ok());
  r = MustRead(*c);
  CHECK(r.code == Code::kBadRequest);
  CHECK(r.request_id == 9);

  // A response frame sent to the server.
  REQUIRE(c->SendRaw(EncodeFrame(10, FrameKind::kResponse, 0, "Ping", "{}")).ok());
  r = MustRead(*c);
  CHECK(r.code == Code::kBadRequest);
  CHECK(r.request_id == 10);

  // Nesting deeper than 64 levels.
  std::string deep = R"({"brand":)" + std::string(70, '[') + std::string(70, ']') + "}";
  r = MustCall(*c, "MngGetKycStepTemplates", deep);
  CHECK(r.code == Code::kBadRequest);

  r = MustCall(*c, "Ping");
  CHECK(r.ok());
  CHECK_FALSE(c->ClosedByPeer(100));
}

TEST_CASE_FIXTURE(ServerFixture, "an unknown command is unknown_command and the connection lives") {
  auto c = ConnectTcp(server);
  Reply r = MustCall(*c, "NoSuchCommand");
  CHECK(r.code == Code::kUnknownCommand);
  CHECK(FrameStatus(r.code) == 8);
  CHECK(r.name == "NoSuchCommand");
  CHECK(ErrorCode(r.body) == "unknown_command");
  CHECK(MustCall(*c, "Ping").ok());
}

TEST_CASE_FIXTURE(ServerFixture, "sessions: login, auth with another connection's token, logout") {
  auto a = ConnectTcp(server);
  Reply r = MustCall(*a, "MngGetKycStepTemplates");
  CHECK(r.code == Code::kUnauthorized);
  CHECK(ErrorCode(r.body) == "unauthorized");

  r = MustCall(*a, "Login", R"({"login":"admin","password":"wrong-password"})");
  CHECK(r.code == Code::kUnauthorized);
  r = MustCall(*a, "Login", R"({"login":"nobody","password":"wrong-password"})");
  CHECK(r.code == Code::kUnauthorized);

  auto login = Json(MustLogin(*a, "admin", server.admin_password()));
  const std::string token = StrField(login, "token");
  CHECK(token.size() >= 32);
  CHECK(StrField(login, "session_type") == "SESSION_ADMIN");
  CHECK(IntField(login, "manager_id") >= 1);
  CHECK(IntField(login, "expires_at") > 1600000000);
  r = MustCall(*a, "MngGetKycStepTemplates");
  REQUIRE_MESSAGE(r.ok(), r.body);
  CHECK(IntField(Json(r.body), "total") == 0);

  auto b = ConnectTcp(server);
  CHECK(MustCall(*b, "MngGetKycStepTemplates").code == Code::kUnauthorized);
  CHECK(MustCall(*b, "Auth", R"({"token":"00112233445566778899aabbccddeeff"})").code ==
        Code::kUnauthorized);
  r = MustCall(*b, "Auth", fmt::format(R"({{"token":"{}"}})", token));
  REQUIRE_MESSAGE(r.ok(), r.body);
  CHECK(StrField(Json(r.body), "session_type") == "SESSION_ADMIN");
  CHECK(StrField(Json(r.body), "token") == token);
  CHECK(MustCall(*b, "MngGetKycStepTemplates").ok());

  // Logout ends the session itself: both connections that carried it lose it.
  r = MustCall(*a, "Logout");
  CHECK_MESSAGE(r.ok(), r.body);
  CHECK(MustCall(*a, "MngGetKycStepTemplates").code == Code::kUnauthorized);
  CHECK(MustCall(*b, "MngGetKycStepTemplates").code == Code::kUnauthorized);
  CHECK(MustCall(*a, "Logout").code == Code::kUnauthorized);
  CHECK(MustCall(*a, "Auth", fmt::format(R"({{"token":"{}"}})", token)).code ==
        Code::kUnauthorized);
  CHECK(MustCall(*a, "Ping").ok());
}

TEST_CASE_FIXTURE(ServerFixture, "failed logins are throttled per login") {
  auto admin = AdminClient(server);
  Reply r =
      MustCall(*admin, "MngAddManager",
               R"({"login":"victim","password":"Victim-pass-1","session_type":"SESSION_MANAGER"})");
  REQUIRE_MESSAGE(r.ok(), r.body);

  auto c = ConnectTcp(server);
  for (int i = 1; i <= 5; ++i) {
    r = MustCall(*c, "Login", R"({"login":"victim","password":"not-the-password"})");
    CHECK_MESSAGE(r.code == Code::kUnauthorized, "attempt " << i << ": " << r.body);
  }
  r = MustCall(*c, "Login", R"({"login":"victim","password":"not-the-password"})");
  CHECK(r.code == Code::kRateLimited);
  CHECK(FrameStatus(r.code) == 7);
  CHECK(ErrorCode(r.body) == "rate_limited");
  // Even the right password is refused while the login is throttled.
  r = MustCall(*c, "Login", R"({"login":"victim","password":"Victim-pass-1"})");
  CHECK(r.code == Code::kRateLimited);
  // Other logins are not affected.
  auto other = ConnectTcp(server);
  MustLogin(*other, "admin", server.admin_password());
}

// TCP has no access logic of its own (the dispatcher's matrix is checked in
// tests/unit/dispatch_test.cpp): here only that its answers carry the right status and the
// connection's session, and that Logout unbinds it.
TEST_CASE_FIXTURE(ServerFixture, "TCP answers unauthorized and forbidden, and Logout unbinds the session") {
  auto admin = AdminClient(server);
  Reply r = MustCall(*admin, "MngAddManager",
                     R"({"login":"dealer","password":"Dealer-pass-1","session_type":"SESSION_DEALER"})");
  REQUIRE_MESSAGE(r.ok(), r.body);

  auto anonymous = ConnectTcp(server);
  r = MustCall(*anonymous, "MngGetKycStepTemplates", R"({"brand":"acme"})");
  CHECK(r.code == Code::kUnauthorized);
  CHECK(ErrorCode(r.body) == "unauthorized");
  CHECK(MustCall(*anonymous, "Ping").ok());  // the connection lives on

  auto dealer = ConnectTcp(server);
  MustLogin(*dealer, "dealer", "Dealer-pass-1");
  r = MustCall(*dealer, "MngGetManagers");
  CHECK(r.code == Code::kForbidden);
  CHECK(ErrorCode(r.body) == "forbidden");
  CHECK(MustCall(*dealer, "MngGetKycStepTemplates", R"({"brand":"acme"})").ok());

  CHECK(MustCall(*dealer, "Logout").ok());
  CHECK(MustCall(*dealer, "MngGetKycStepTemplates", R"({"brand":"acme"})").code ==
        Code::kUnauthorized);
  CHECK(MustCall(*dealer, "Logout").code == Code::kUnauthorized);
  CHECK(MustCall(*admin, "MngGetManagers").ok());  // other connections keep their sessions
}

// A write whose slow part (argon2id) runs before its transaction reaches its base's queue
// late: a later pipelined write of the same connection must still commit after it.
TEST_CASE_FIXTURE(ServerFixture, "pipelined writes with a prepare stage keep their order") {
  auto admin = AdminClient(server);
  Reply made = MustCall(*admin, "MngAddManager",
                        R"({"login":"ordered","password":"Ordered-pass-1","session_type":"SESSION_DEALER"})");
  REQUIRE_MESSAGE(made.ok(), made.body);
  const int64_t id = IntField(Json(made.body), "id");
  std::string batch;
  batch += Request(1, "MngUpdateManager",
                   fmt::format(R"({{"id":{},"password":"Changed-pass-2","name":"first"}})", id));
  batch += Request(2, "MngUpdateManager", fmt::format(R"({{"id":{},"name":"second"}})", id));
  REQUIRE(admin->SendRaw(batch).ok());
  for (uint32_t want = 1; want <= 2; ++want) {
    Reply r = MustRead(*admin);
    CHECK(r.request_id == want);
    CHECK_MESSAGE(r.ok(), r.body);
  }
  auto managers = Json(MustCall(*admin, "MngGetManagers").body);
  std::string name;
  for (const auto& m : managers["items"].GetArray()) {
    if (StrField(m, "login") == "ordered") name = StrField(m, "name");
  }
  CHECK(name == "second");  // the write sent last committed last
}

// Connections placed in turn on two I/O threads: pipelined batches, some cut in the middle
// of a frame, and single calls are all answered in order with the connection's session,
// and a graceful stop drains every connection on every thread.
TEST_CASE("tcp: connections on two I/O threads answer pipelined and single calls in order") {
  ServerProcess server({.extra_args = {"--io-threads", "2"}});
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  std::vector<std::unique_ptr<TcpClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(ConnectTcp(server));
    MustLogin(*clients.back(), "admin", server.admin_password());
  }
  constexpr uint32_t kBatch = 8;
  const std::string list = R"({"brand":"acme"})";
  uint32_t next_id = 1;
  // Each client keeps one batch ahead of the answers it reads, and every other batch ends
  // with half a frame whose rest goes with the next: there are always bytes on the way.
  auto pipelined_rounds = [&](int rounds) {
    const uint32_t first = next_id;
    next_id += kBatch * rounds;
    for (auto& c : clients) {
      std::string carry;
      auto send_batch = [&](int round) {
        std::string bytes = std::exchange(carry, {});
        for (uint32_t i = 0; i < kBatch; ++i) {
          bytes += Request(first + round * kBatch + i, "MngGetKycStepTemplates", list);
        }
        if (round % 2 == 0 && round + 1 < rounds) {
          // Keep back the end of the last frame: it goes out with the next batch.
          carry = bytes.substr(bytes.size() - 5);
          bytes.resize(bytes.size() - 5);
        }
        REQUIRE(c->SendRaw(bytes).ok());
      };
      send_batch(0);
      for (int round = 0; round < rounds; ++round) {
        if (round + 1 < rounds) send_batch(round + 1);
        for (uint32_t i = 0; i < kBatch; ++i) {
          Reply r = MustRead(*c);
          REQUIRE(r.request_id == first + round * kBatch + i);
          REQUIRE_MESSAGE(r.code == Code::kOk, r.body);  // the session came along
        }
      }
    }
  };
  auto single_calls = [&](int rounds) {
    for (int round = 0; round < rounds; ++round) {
      for (auto& c : clients) {
        REQUIRE(MustCall(*c, "MngGetKycStepTemplates", list).code == Code::kOk);
      }
    }
  };
  single_calls(20);
  pipelined_rounds(20);
  single_calls(20);
  pipelined_rounds(20);

  // Every connection drains on its own thread: the stop is clean and prompt.
  // Exit code 0 comes only after every connection drained and the writers were joined.
  CHECK(server.Term(10) == 0);
}

// A silent server (it accepts nothing and answers nothing) must not hang a client that
// asked for a timeout.
TEST_CASE("TcpClient: a read from a silent server gives up after the timeout") {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 4) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);

  TcpClient client;
  REQUIRE(client.Connect("127.0.0.1", ntohs(addr.sin_port), 1).ok());
  auto call = std::async(std::launch::async, [&client] { return client.Call("Ping"); });
  const bool answered = call.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  CHECK_MESSAGE(answered, "TcpClient::Call ignored its timeout");
  ::close(listener);  // resets the pending connection, which ends a read still waiting
  auto r = call.get();
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == Code::kUnavailable);
}

TEST_SUITE_END();

}  // namespace kyc::itest
