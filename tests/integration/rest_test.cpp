// The REST gateway against the real server: routes from the command table, Bearer
// sessions, template CRUD, error statuses with JSON bodies, limits and keep-alive.
#include <optional>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "protocol/commands.h"
#include "accounts/status.h"
#include "staff/roles.h"
#include "tests/integration/http_client.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

struct RestFixture : RunningServer {
  RestFixture() { http = std::make_unique<HttpClient>("127.0.0.1", server.http_port()); }

  // Logs in over REST; returns the token.
  std::string Login(std::string_view login, std::string_view password) {
    HttpClient c("127.0.0.1", server.http_port());
    HttpResponse r = c.Request("POST", "/auth/login",
                               fmt::format(R"({{"login":"{}","password":"{}"}})", login, password));
    REQUIRE_MESSAGE(r.status == 200, r.status << " " << r.body << r.error);
    return StrField(Json(r.body), "token");
  }

  std::unique_ptr<HttpClient> AdminHttp() {
    auto c = std::make_unique<HttpClient>("127.0.0.1", server.http_port());
    c->set_token(Login("admin", server.admin_password()));
    return c;
  }

  std::unique_ptr<HttpClient> http;
};

// Checks an error response: the HTTP status and the JSON `error.code`.
void CheckError(const HttpResponse& r, int status, std::string_view code) {
  INFO("response: ", r.status, " ", r.body, r.error);
  CHECK(r.status == status);
  CHECK(r.Header("content-type") == "application/json");
  CHECK(ErrorCode(r.body) == code);
  CHECK(r.body.find("\"message\"") != std::string::npos);
}

std::string Path(std::string_view pattern, std::string_view id) {
  std::string p(pattern);
  if (auto at = p.find("{id}"); at != std::string::npos) p.replace(at, 4, id);
  return p;
}

}  // namespace

TEST_SUITE_BEGIN("rest");

TEST_CASE_FIXTURE(RestFixture, "GET /ping and POST /auth/login") {
  HttpResponse r = http->Request("GET", "/ping");
  REQUIRE_MESSAGE(r.status == 200, r.error);
  CHECK(r.Header("content-type") == "application/json");
  CHECK(IntField(Json(r.body), "time") > 1600000000);

  r = http->Request("POST", "/auth/login", R"({"login":"admin","password":"wrong-password"})");
  CheckError(r, 401, "unauthorized");

  r = http->Request("POST", "/auth/login",
                    fmt::format(R"({{"login":"admin","password":"{}"}})", server.admin_password()));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto session = Json(r.body);
  CHECK(StrField(session, "session_type") == "SESSION_ADMIN");
  CHECK(StrField(session, "token").size() >= 32);
  CHECK(IntField(session, "expires_at") > 1600000000);

  r = http->Request("POST", "/auth/login", R"({"login":"admin"})");
  CheckError(r, 400, "bad_request");

  // An unknown bearer token is refused even where no session is needed.
  http->set_token("0123456789abcdef0123456789abcdef");
  CheckError(http->Request("GET", "/manager/kyc/templates"), 401, "unauthorized");
}

TEST_CASE_FIXTURE(RestFixture, "template CRUD over REST") {
  http->set_token(Login("admin", server.admin_password()));
  HttpResponse r = http->Request(
      "POST", "/manager/kyc/templates",
      R"({"brand":"acme","code":"passport","name":"Passport","level":1,"form_schema":)"
      R"({"sections":[{"fields":[{"name":"number","type":"text","required":true}]}]}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto passport = Json(r.body);
  const int64_t id = IntField(passport, "id");
  CHECK(id >= 1);
  CHECK(StrField(passport, "code") == "passport");
  CHECK(passport["required"].GetBool());
  CHECK(passport["active"].GetBool());
  CHECK(passport["form_schema"]["sections"][0]["fields"][0]["name"] == "number");

  r = http->Request("POST", "/manager/kyc/templates",
                    R"({"brand":"acme","code":"address","name":"Address","level":2})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const int64_t address_id = IntField(Json(r.body), "id");
  r = http->Request("POST", "/manager/kyc/templates",
                    R"({"brand":"other","code":"passport","name":"Passport","level":1})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CheckError(http->Request("POST", "/manager/kyc/templates",
                           R"({"brand":"acme","code":"passport","name":"Again"})"),
             409, "conflict");
  CheckError(http->Request("POST", "/manager/kyc/templates",
                           R"({"brand":"acme","code":"Bad Code","name":"X"})"),
             400, "bad_request");

  // PUT and PATCH merge the path id with the body.
  r = http->Request("PUT", fmt::format("/manager/kyc/templates/{}", id),
                    R"({"name":"Passport scan","description":"both pages"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto updated = Json(r.body);
  CHECK(IntField(updated, "id") == id);
  CHECK(StrField(updated, "name") == "Passport scan");
  CHECK(StrField(updated, "description") == "both pages");
  CHECK(StrField(updated, "code") == "passport");
  r = http->Request("PATCH", fmt::format("/manager/kyc/templates/{}", address_id),
                    R"({"active":false})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK_FALSE(Json(r.body)["active"].GetBool());
  CheckError(http->Request("PATCH", "/manager/kyc/templates/999999", R"({"name":"X"})"), 404,
             "not_found");
  CheckError(http->Request("PATCH", "/manager/kyc/templates/abc", R"({"name":"X"})"), 400,
             "bad_request");

  // Query strings: integers and booleans parsed where the field is one.
  r = http->Request("GET", "/manager/kyc/templates?brand=acme&active=true&level=1");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto list = Json(r.body);
  CHECK(IntField(list, "total") == 1);
  REQUIRE(list["items"].Size() == 1);
  CHECK(IntField(list["items"][0], "id") == id);
  r = http->Request("GET", "/manager/kyc/templates?brand=ac%6De");
  CHECK(IntField(Json(r.body), "total") == 2);
  r = http->Request("GET", "/manager/kyc/templates?active=false");
  list = Json(r.body);
  CHECK(IntField(list, "total") == 1);
  CHECK(IntField(list["items"][0], "id") == address_id);
  r = http->Request("GET", "/manager/kyc/templates?level=2&brand=acme");
  CHECK(IntField(Json(r.body), "total") == 1);
  CheckError(http->Request("GET", "/manager/kyc/templates?level=abc"), 400, "bad_request");
  CheckError(http->Request("GET", "/manager/kyc/templates?active=maybe"), 400, "bad_request");

  r = http->Request("GET", fmt::format("/manager/kyc/templates/{}", id));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(StrField(Json(r.body), "name") == "Passport scan");

  r = http->Request("DELETE", fmt::format("/manager/kyc/templates/{}", id));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto deleted = Json(r.body);
  CHECK(IntField(deleted, "id") == id);
  CHECK(deleted["deleted"].GetBool());
  CheckError(http->Request("GET", fmt::format("/manager/kyc/templates/{}", id)), 404, "not_found");
  CheckError(http->Request("DELETE", fmt::format("/manager/kyc/templates/{}", id)), 404,
             "not_found");
  r = http->Request("GET", "/manager/kyc/templates?brand=acme");
  CHECK(IntField(Json(r.body), "total") == 1);
  // The code of a deleted template is free again.
  r = http->Request("POST", "/manager/kyc/templates",
                    R"({"brand":"acme","code":"passport","name":"Passport v2"})");
  CHECK_MESSAGE(r.status == 200, r.body);
  CHECK(http->connections_opened() == 1);
}

TEST_CASE_FIXTURE(RestFixture, "the access matrix of every REST route") {
  struct Principal {
    std::string label;
    std::optional<SessionType> type;
    std::string token;
  };
  auto admin = AdminHttp();
  std::vector<Principal> who;
  who.push_back({"no session", std::nullopt, ""});
  for (int t = 0; t < kSessionTypeCount; ++t) {
    auto type = static_cast<SessionType>(t);
    std::string token;
    if (type == SessionType::kAdmin) {
      token = Login("admin", server.admin_password());
    } else if (IsStaff(type)) {
      const std::string login = fmt::format("staff{}", t);
      const std::string password = fmt::format("Staff-pass-{}", t);
      HttpResponse r =
          admin->Request("POST", "/manager/managers",
                         fmt::format(R"({{"login":"{}","password":"{}","session_type":"{}"}})",
                                     login, password, SessionTypeName(type)));
      REQUIRE_MESSAGE(r.status == 200, r.body);
      token = Login(login, password);
    } else {
      HttpResponse r = admin->Request("POST", "/manager/sessions/client",
                                      R"({"customer_id":42,"brand":"acme"})");
      REQUIRE_MESSAGE(r.status == 200, r.body);
      token = StrField(Json(r.body), "token");
    }
    REQUIRE(!token.empty());
    who.push_back({std::string(SessionTypeName(type)), type, token});
  }

  int routes = 0;
  for (const CommandSpec& spec : Commands()) {
    if (spec.name == "Logout") continue;  // ends the session: checked last
    for (const RestRoute& route : spec.routes) {
      if (route.method.empty()) continue;
      ++routes;
      const std::string path = Path(route.path, "999999");
      const bool has_body =
          route.method == "POST" || route.method == "PUT" || route.method == "PATCH";
      for (const auto& p : who) {
        HttpClient c("127.0.0.1", server.http_port());
        c.set_token(p.token);
        HttpResponse r = c.Request(route.method, path, has_body ? "{}" : "");
        INFO(route.method, " ", path, " as ", p.label, " -> ", r.status, " ", r.body, r.error);
        REQUIRE(r.status != 0);
        if (spec.flags & kSigned) {
          // A provider's callback without a valid signature: 401 for everyone.
          CheckError(r, 401, "unauthorized");
        } else if (spec.access == kNoSession) {
          CHECK(r.status != 401);
          CHECK(r.status != 403);
        } else if (!p.type) {
          CheckError(r, 401, "unauthorized");
        } else if (Allows(spec.access, *p.type) &&
                   (*p.type == SessionType::kClient
                        ? (spec.client_op == AccountOp::kNone ||
                           (DefaultStatusPermissions(AccountStatus::kRegistered) &
                            OpBit(spec.client_op)))
                        : Grants(PermissionsOf(DefaultRoles(*p.type), RoleSet{}),
                                 spec.permission))) {
          CHECK(r.status != 401);
          CHECK(r.status != 403);
          CHECK(r.status < 500);
        } else {
          CheckError(r, 403, "forbidden");
        }
      }
    }
  }
  CHECK(routes > 0);

  const CommandSpec* logout = FindCommand("Logout");
  REQUIRE(logout != nullptr);
  REQUIRE(!logout->routes[0].method.empty());
  for (const auto& p : who) {
    HttpClient c("127.0.0.1", server.http_port());
    c.set_token(p.token);
    HttpResponse r = c.Request(logout->routes[0].method, logout->routes[0].path, "{}");
    INFO("logout as ", p.label, " -> ", r.status, " ", r.body);
    if (!p.type) {
      CHECK(r.status == 401);
      continue;
    }
    CHECK(r.status == 200);
    // The token is revoked for every later request.
    CheckError(c.Request("GET", "/manager/kyc/templates"), 401, "unauthorized");
  }
}

TEST_CASE_FIXTURE(RestFixture, "unknown routes, wrong methods, bad bodies") {
  http->set_token(Login("admin", server.admin_password()));
  CheckError(http->Request("GET", "/no/such/route"), 404, "not_found");
  CheckError(http->Request("GET", "/manager/kyc/templates/1/extra"), 404, "not_found");

  HttpResponse r = http->Request("DELETE", "/ping");
  CHECK(r.status == 405);
  CHECK(r.Header("allow").find("GET") != std::string::npos);
  CHECK(!ErrorCode(r.body).empty());
  r = http->Request("POST", "/manager/kyc/templates/5", "{}");
  CHECK(r.status == 405);
  CHECK(r.Header("allow").find("PUT") != std::string::npos);
  CHECK(r.Header("allow").find("DELETE") != std::string::npos);

  // A bad body is read whole and answered; it does not cost the connection.
  HttpClient c("127.0.0.1", server.http_port());
  c.set_token(Login("admin", server.admin_password()));
  CheckError(c.Request("POST", "/manager/kyc/templates", "{\"brand\":"), 400, "bad_request");
  CheckError(c.Request("POST", "/manager/kyc/templates", "[1,2,3]"), 400, "bad_request");
  CheckError(c.Request("POST", "/manager/kyc/templates", R"({"brand":"acme","code":7,"name":"X"})"),
             400, "bad_request");
  r = c.Request("GET", "/ping");
  CHECK(r.status == 200);
  CHECK(c.connections_opened() == 1);
}

TEST_CASE_FIXTURE(RestFixture, "a body over 1 MiB gets a readable 413") {
  const std::string big =
      R"({"brand":"acme","code":"big","name":")" + std::string((1u << 20) + 1, 'x') + "\"}";
  SUBCASE("with Content-Length") {
    http->set_token(Login("admin", server.admin_password()));
    HttpResponse r = http->Request("POST", "/manager/kyc/templates", big);
    CheckError(r, 413, "too_large");
  }
  SUBCASE("without a session: the length is refused first") {
    HttpResponse r = http->Request("POST", "/manager/kyc/templates", big);
    CHECK(r.status == 413);
  }
  SUBCASE("chunked, so the limit is only found while reading") {
    const std::string token = Login("admin", server.admin_password());
    std::string req = fmt::format(
        "POST /manager/kyc/templates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        token);
    for (size_t at = 0; at < big.size(); at += 64 * 1024) {
      std::string_view piece = std::string_view(big).substr(at, 64 * 1024);
      req += fmt::format("{:x}\r\n{}\r\n", piece.size(), piece);
    }
    req += "0\r\n\r\n";
    HttpResponse r = http->RawRequest(req);
    CheckError(r, 413, "too_large");
  }
  // The server is fine afterwards and nothing was created.
  auto admin = AdminHttp();
  HttpResponse r = admin->Request("GET", "/manager/kyc/templates");
  REQUIRE(r.status == 200);
  CHECK(IntField(Json(r.body), "total") == 0);
}

TEST_CASE_FIXTURE(RestFixture, "keep-alive: many requests on one connection") {
  http->set_token(Login("admin", server.admin_password()));
  for (int i = 0; i < 5; ++i) {
    HttpResponse r = http->Request("POST", "/manager/kyc/templates",
                                   fmt::format(R"({{"brand":"acme","code":"k{}","name":"K"}})", i));
    CHECK_MESSAGE(r.status == 200, r.body);
    CHECK(r.Header("connection") != "close");
    r = http->Request("GET", "/manager/kyc/templates?brand=acme");
    CHECK(IntField(Json(r.body), "total") == i + 1);
    CHECK(http->Request("GET", "/ping").status == 200);
  }
  CHECK(http->connected());
  CHECK(http->connections_opened() == 1);

  // A client that asks to close gets Connection: close.
  HttpResponse r = http->Request("GET", "/ping", "", {{"Connection", "close"}});
  CHECK(r.status == 200);
  CHECK(r.Header("connection") == "close");
  CHECK_FALSE(http->connected());
}

TEST_CASE_FIXTURE(RestFixture, "a template reads the same over TCP and REST") {
  auto tcp = AdminClient(server);
  Reply made = MustCall(
      *tcp, "MngAddKycStepTemplate",
      R"({"brand":"acme","code":"poa","name":"Proof of address","description":"utility bill",)"
      R"("level":2,"required":false,"form_schema":{"sections":[{"title":"Address","fields":[)"
      R"({"name":"country","type":"country","required":true},)"
      R"({"name":"kind","type":"select","options":[{"value":"bill"},{"value":"bank"}]}]}]}})");
  REQUIRE_MESSAGE(made.ok(), made.body);
  const int64_t id = IntField(Json(made.body), "id");

  Reply one = MustCall(*tcp, "MngGetKycStepTemplate", fmt::format(R"({{"id":{}}})", id));
  REQUIRE_MESSAGE(one.ok(), one.body);
  CHECK(one.body == made.body);
  Reply list = MustCall(*tcp, "MngGetKycStepTemplates", R"({"brand":"acme","level":2})");
  REQUIRE(list.ok());

  http->set_token(Login("admin", server.admin_password()));
  HttpResponse r = http->Request("GET", fmt::format("/manager/kyc/templates/{}", id));
  REQUIRE(r.status == 200);
  CHECK(r.body == one.body);
  r = http->Request("GET", "/manager/kyc/templates?brand=acme&level=2");
  REQUIRE(r.status == 200);
  CHECK(r.body == list.body);
}

TEST_SUITE_END();

}  // namespace kyc::itest
