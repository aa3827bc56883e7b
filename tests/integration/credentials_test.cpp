// Each kind of caller's credential opens its own routes only (issue 17): a table of
// routes × credentials over HTTP — staff bearer, client bearer, a provider's signature,
// nothing — with the status each must get.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "funds/rules.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {

TEST_CASE_FIXTURE(RunningServer, "each route rejects the other callers' credentials") {
  auto admin = AdminClient(server);
  constexpr std::string_view kSecret = "psp-secret-0123456789";
  CallOk(*admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"acme","code":"card-acme","name":"Cards","kind":"card",)"
                     R"("currencies":["EUR"],"min_amount":"1","max_amount":"100",)"
                     R"("callback_secret":"{}"}})", kSecret));
  CallOk(*admin, "MngAddCustomer", R"({"customer_id":1,"brand":"acme","first_name":"Ann","last_name":"Lee"})");
  const std::string staff = AdminHttpToken(server);
  const std::string client = ClientToken(*admin, 1, "acme");
  const std::string body = R"({"deposit_id":1,"psp_order_id":"o","status":"pending","amount":"1","currency":"EUR"})";
  const std::string signature = CallbackSignature(kSecret, body);

  struct Route {
    std::string method, target, body;
  };
  const Route staff_route{"GET", "/manager/customers?brand=acme", ""};
  const Route client_route{"GET", "/client/kyc/profile", ""};
  const Route psp_route{"POST", "/psp/card-acme/callback", body};
  struct Credential {
    std::string name, token;
    bool signed_body;
  };
  const std::vector<Credential> credentials = {
      {"staff", staff, false}, {"client", client, false}, {"psp", "", true}, {"none", "", false}};
  // Expected status per route and credential, in the order above.
  const std::vector<std::pair<Route, std::vector<int>>> table = {
      {staff_route, {200, 403, 401, 401}},
      // 404: the route opened for the client, whose customer has no KYC profile yet.
      {client_route, {403, 404, 401, 401}},
      // A callback is judged by its signature alone: a bearer token adds nothing to it.
      {psp_route, {401, 401, 404, 401}},
  };
  for (const auto& entry : table) {
    const auto& route = entry.first;  // not a structured binding: clang 14
    const auto& expected = entry.second;  // cannot capture those in CHECK_MESSAGE
    for (size_t i = 0; i < credentials.size(); ++i) {
      const Credential& cred = credentials[i];
      CAPTURE(route.target);
      CAPTURE(cred.name);
      HttpClient http("127.0.0.1", server.http_port());
      if (!cred.token.empty()) http.set_token(cred.token);
      std::map<std::string, std::string> headers;
      if (cred.signed_body) headers["X-Signature"] = signature;
      HttpResponse r = http.Request(route.method, route.target, route.body, headers);
      CHECK(r.status == expected[i]);
    }
  }
}


namespace {

constexpr std::string_view kStaffLogin = R"({"login":"officer","password":"Officer-pass-1"})";

// A staff token from POST /auth/login as "officer".
std::string OfficerHttpToken(const ServerProcess& server) {
  HttpClient c("127.0.0.1", server.http_port());
  HttpResponse r = c.Request("POST", "/auth/login", kStaffLogin);
  REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body << r.error);
  return StrField(Json(r.body), "token");
}

// A TCP connection logged in as "officer" (its session is the connection's).
std::unique_ptr<TcpClient> OfficerTcp(const ServerProcess& server) {
  auto c = ConnectTcp(server);
  Reply r = MustCall(*c, "Login", kStaffLogin);
  REQUIRE_MESSAGE(r.ok(), r.body);
  return c;
}

// A TCP connection that attached `token` with Auth.
std::unique_ptr<TcpClient> TcpWithToken(const ServerProcess& server, const std::string& token) {
  auto c = ConnectTcp(server);
  Reply r = MustCall(*c, "Auth", fmt::format(R"({{"token":"{}"}})", token));
  REQUIRE_MESSAGE(r.ok(), r.body);
  return c;
}

constexpr std::string_view kStaffRead = "MngGetKycProfiles";
constexpr std::string_view kStaffReadRoute = "/manager/kyc/profiles";

}  // namespace

TEST_CASE_FIXTURE(RunningServer, "Logout ends the token on TCP and HTTP alike") {
  auto admin = AdminClient(server);
  CallOk(*admin, "MngAddManager",
         R"({"login":"officer","password":"Officer-pass-1","session_type":"SESSION_MANAGER"})");

  // Logged out over HTTP: the TCP connection that attached the token loses it too.
  const std::string http_token = OfficerHttpToken(server);
  auto http = HttpWithToken(server, http_token);
  auto tcp_attached = TcpWithToken(server, http_token);
  REQUIRE(MustCall(*tcp_attached, kStaffRead).ok());
  REQUIRE(http->Request("POST", "/auth/logout", "{}").status == 200);
  CHECK(http->Request("GET", kStaffReadRoute).status == 401);
  CHECK(MustCall(*tcp_attached, kStaffRead).code == Code::kUnauthorized);

  // Logged out over TCP: the same token over HTTP is refused.
  auto tcp = OfficerTcp(server);
  const std::string tcp_token = StrField(Json(MustCall(*tcp, "Login", kStaffLogin).body), "token");
  auto http_same = HttpWithToken(server, tcp_token);
  REQUIRE(http_same->Request("GET", kStaffReadRoute).status == 200);
  REQUIRE(MustCall(*tcp, "Logout").ok());
  CHECK(MustCall(*tcp, kStaffRead).code == Code::kUnauthorized);
  CHECK(http_same->Request("GET", kStaffReadRoute).status == 401);
  CHECK(MustCall(*admin, "Ping").ok());
}

TEST_CASE_FIXTURE(RunningServer, "disabling a staff account ends its sessions at once on both transports") {
  auto admin = AdminClient(server);
  const int64_t id = IntField(
      CallOk(*admin, "MngAddManager",
             R"({"login":"officer","password":"Officer-pass-1","session_type":"SESSION_MANAGER"})"),
      "id");
  auto tcp = OfficerTcp(server);
  auto http = HttpWithToken(server, OfficerHttpToken(server));
  REQUIRE(MustCall(*tcp, kStaffRead).ok());
  REQUIRE(http->Request("GET", kStaffReadRoute).status == 200);

  CallOk(*admin, "MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", id));
  // No request of either session succeeds afterwards, without a reconnect or a timeout.
  CHECK(MustCall(*tcp, kStaffRead).code == Code::kUnauthorized);
  CHECK(http->Request("GET", kStaffReadRoute).status == 401);
  // Nor can the account log in again, with the right password.
  auto again = ConnectTcp(server);
  Reply refused = MustCall(*again, "Login", kStaffLogin);
  CHECK(refused.code == Code::kUnauthorized);
  CHECK(ErrorMessage(refused.body) == "account 'officer' is disabled");
  HttpClient fresh("127.0.0.1", server.http_port());
  HttpResponse http_refused = fresh.Request("POST", "/auth/login", kStaffLogin);
  CHECK(http_refused.status == 401);
  CHECK(ErrorMessage(http_refused.body) == "account 'officer' is disabled");
  CHECK(MustCall(*admin, "Ping").ok());
}

TEST_CASE_FIXTURE(RunningServer, "login throttling survives reconnects and spans TCP and HTTP") {
  auto admin = AdminClient(server);
  CallOk(*admin, "MngAddManager",
         R"({"login":"officer","password":"Officer-pass-1","session_type":"SESSION_MANAGER"})");
  constexpr std::string_view kWrong = R"({"login":"officer","password":"not-the-password"})";
  // Five failures, each on a new connection, alternating transports.
  for (int i = 1; i <= 5; ++i) {
    if (i % 2 == 1) {
      auto c = ConnectTcp(server);
      Reply r = MustCall(*c, "Login", kWrong);
      CHECK_MESSAGE(r.code == Code::kUnauthorized, "attempt " << i << ": " << r.body);
    } else {
      HttpClient c("127.0.0.1", server.http_port());
      HttpResponse r = c.Request("POST", "/auth/login", kWrong);
      CHECK_MESSAGE(r.status == 401, "attempt " << i << ": " << r.status << " " << r.body);
    }
  }
  // A new connection on either transport finds the login throttled, right password or not.
  auto tcp = ConnectTcp(server);
  CHECK(MustCall(*tcp, "Login", kStaffLogin).code == Code::kRateLimited);
  HttpClient http("127.0.0.1", server.http_port());
  HttpResponse r = http.Request("POST", "/auth/login", kStaffLogin);
  CHECK(r.status == 429);
  CHECK(ErrorCode(r.body) == "rate_limited");
  CHECK(MustCall(*admin, "Ping").ok());
}

}  // namespace kyc::itest
