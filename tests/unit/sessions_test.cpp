// Sessions, login throttling and staff accounts (PROTOCOL.md §2 and docs §8).
#include <set>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "core/sessions.h"
#include "tests/unit/harness.h"

namespace kyc {
namespace {

using test::Bool;
using test::Contains;
using test::Harness;
using test::Int;
using test::kAdminPassword;
using test::kStaffPassword;
using test::ParseDoc;
using test::Str;

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Session holds an atomic, so it is built in place.
SessionPtr CreateStaff(SessionStore& store, int64_t manager_id, int64_t ttl) {
  Session p;
  p.type = SessionType::kManager;
  p.manager_id = manager_id;
  p.login = "m";
  return store.Create(p, ttl);
}

TEST_CASE("sessions: tokens are 64 hex characters and distinct") {
  FakeClock clock;
  FakeRandom random;
  SessionStore store(clock, random);
  std::set<std::string> tokens;
  for (int i = 0; i < 200; ++i) {
    SessionPtr s = CreateStaff(store, 1, 60);
    CHECK(s->token.size() == 64);
    CHECK(IsLowerHex(s->token));
    tokens.insert(s->token);
  }
  CHECK(tokens.size() == 200);
  CHECK(store.size() == 200);

  SystemRandom system;
  SessionStore real(clock, system);
  std::string a = CreateStaff(real, 1, 60)->token, b = CreateStaff(real, 1, 60)->token;
  CHECK(a.size() == 64);
  CHECK(IsLowerHex(a));
  CHECK(a != b);
}

TEST_CASE("sessions: a session lives until expires_at, then Find forgets it") {
  FakeClock clock(1000);
  FakeRandom random;
  SessionStore store(clock, random);
  SessionPtr s = CreateStaff(store, 7, 60);
  CHECK(s->created_at == 1000);
  CHECK(s->expires_at == 1060);
  CHECK(s->type == SessionType::kManager);
  CHECK(s->manager_id == 7);

  clock.Advance(59);
  CHECK(store.Find(s->token) == s);
  CHECK(s->AliveAt(clock.Now()));
  clock.Advance(1);
  CHECK_FALSE(s->AliveAt(clock.Now()));
  CHECK(store.Find(s->token) == nullptr);
  CHECK(store.Find("not a token") == nullptr);

  // Abandoned sessions are swept when new ones are made.
  for (int i = 0; i < 5; ++i) CreateStaff(store, 7, 10);
  clock.Advance(120);
  CreateStaff(store, 7, 10);
  CHECK(store.size() == 1);
}

TEST_CASE("sessions: Revoke and RevokeManager end sessions") {
  FakeClock clock;
  FakeRandom random;
  SessionStore store(clock, random);
  SessionPtr a = CreateStaff(store, 1, 600), a2 = CreateStaff(store, 1, 600);
  SessionPtr b = CreateStaff(store, 2, 600);
  Session client;
  client.type = SessionType::kClient;
  client.customer_id = 1;
  SessionPtr c = store.Create(client, 600);

  store.Revoke(*b);
  CHECK(b->revoked.load());
  CHECK(store.Find(b->token) == nullptr);
  store.RevokeManager(1);
  CHECK(a->revoked.load());
  CHECK(a2->revoked.load());
  CHECK(store.Find(a->token) == nullptr);
  CHECK(store.Find(c->token) == c);  // a client session has no manager id
  CHECK(store.size() == 1);
}

TEST_CASE("sessions: LoginThrottle limits failures per login within the window") {
  FakeClock clock(5000);
  LoginThrottle t(clock, ThrottleOptions{});
  for (int i = 0; i < 4; ++i) t.Failed("bob", fmt::format("10.0.0.{}", i));
  CHECK(t.Check("bob", "10.0.0.99").ok());
  t.Failed("bob", "10.0.0.4");
  Status s = t.Check("bob", "10.0.0.99");  // whatever the peer
  CHECK(s.code() == Code::kRateLimited);
  CHECK(Contains(s.message(), "'bob'"));
  CHECK(t.Check("alice", "10.0.0.99").ok());

  clock.Advance(899);
  CHECK(t.Check("bob", "").code() == Code::kRateLimited);
  clock.Advance(1);  // the window (900 s from the first failure) has passed
  CHECK(t.Check("bob", "").ok());
  t.Failed("bob", "");
  CHECK(t.Check("bob", "").ok());  // counting starts again

  // A success clears the login's counter.
  for (int i = 0; i < 4; ++i) t.Failed("carol", "");
  t.Succeeded("carol");
  t.Failed("carol", "");
  CHECK(t.Check("carol", "").ok());
}

TEST_CASE("sessions: LoginThrottle limits failures per peer within the window") {
  FakeClock clock;
  LoginThrottle t(clock, ThrottleOptions{.max_failures_per_login = 5,
                                         .max_failures_per_peer = 20,
                                         .window_seconds = 900});
  for (int i = 0; i < 19; ++i) t.Failed(fmt::format("user{}", i), "203.0.113.9");
  CHECK(t.Check("fresh", "203.0.113.9").ok());
  t.Failed("user19", "203.0.113.9");
  Status s = t.Check("fresh", "203.0.113.9");
  CHECK(s.code() == Code::kRateLimited);
  CHECK(Contains(s.message(), "203.0.113.9"));
  CHECK(t.Check("fresh", "203.0.113.10").ok());  // other peers are not affected
  CHECK(t.Check("fresh", "").ok());               // no peer: per-login only
  clock.Advance(900);
  CHECK(t.Check("fresh", "203.0.113.9").ok());
}

TEST_CASE("sessions: Login with a wrong password is unauthorized, then rate_limited") {
  Harness h;
  h.Admin();
  Response wrong = h.Run("Login", Harness::LoginJson("admin", "wrong-password"));
  CHECK(wrong.status.code() == Code::kUnauthorized);
  CHECK(wrong.status.message() == "wrong login or password");
  // An unknown login gets the very same answer.
  Response unknown = h.Run("Login", Harness::LoginJson("nobody", "wrong-password"));
  CHECK(unknown.status.code() == Code::kUnauthorized);
  CHECK(unknown.status.message() == wrong.status.message());

  for (int i = 0; i < 4; ++i) {
    CHECK(h.Run("Login", Harness::LoginJson("admin", "nope")).status.code() ==
          Code::kUnauthorized);
  }
  // Five failures: now even the right password is refused, from any peer.
  Status s;
  CHECK(h.Login("admin", kAdminPassword, &s, "192.0.2.1") == nullptr);
  CHECK(s.code() == Code::kRateLimited);
  h.clock().Advance(h.core().options().throttle.window_seconds);
  CHECK(h.Login("admin", kAdminPassword) != nullptr);
}

TEST_CASE("sessions: Login from a peer with too many failures is rate_limited") {
  Harness h;
  h.Admin();
  for (int i = 0; i < 20; ++i) {
    Status s;
    CHECK(h.Login(fmt::format("guess{}", i), "x-password", &s, "192.0.2.66") == nullptr);
    CHECK(s.code() == Code::kUnauthorized);
  }
  Status s;
  CHECK(h.Login("admin", kAdminPassword, &s, "192.0.2.66") == nullptr);
  CHECK(s.code() == Code::kRateLimited);
  CHECK(h.Login("admin", kAdminPassword, &s, "192.0.2.67") != nullptr);
}

TEST_CASE("sessions: Login answers the session, the hash is argon2id") {
  Harness h;
  int64_t id = h.AddManager("dealer.one@x", SessionType::kDealer);
  Response r = h.Run("Login", Harness::LoginJson("dealer.one@x", kStaffPassword));
  REQUIRE_MESSAGE(r.status.ok(), r.text());
  auto doc = ParseDoc(r.text());
  CHECK(Str(doc, "token").size() == 64);
  CHECK(Str(doc, "session_type") == "SESSION_DEALER");
  CHECK(Int(doc, "manager_id") == id);
  CHECK(Str(doc, "login") == "dealer.one@x");
  CHECK(Int(doc, "expires_at") == h.clock().Now() + h.core().options().staff_session_ttl);
  auto m = h.core().staff().managers().FindLogin("dealer.one@x");
  REQUIRE(m);
  CHECK(m->password_hash.starts_with("$argon2id$"));
  CHECK(h.core().VerifyPassword(m->password_hash, kStaffPassword));
  CHECK_FALSE(h.core().VerifyPassword(m->password_hash, "staff-password-2"));
}

TEST_CASE("sessions: a disabled manager cannot log in and its sessions are revoked") {
  Harness h;
  SessionPtr admin = h.Admin();
  int64_t id = h.AddManager("crm", SessionType::kCrmManager);
  SessionPtr s1 = h.Login("crm", kStaffPassword), s2 = h.Login("crm", kStaffPassword);
  REQUIRE(s1);
  REQUIRE(s2);
  CHECK(h.Run("MngGetKycStepTemplates", "{}", s1).status.ok());

  Response off =
      h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", id), admin);
  REQUIRE_MESSAGE(off.status.ok(), off.text());
  CHECK(Bool(ParseDoc(off.text()), "disabled"));
  CHECK(h.Run("MngGetKycStepTemplates", "{}", s1).status.code() == Code::kUnauthorized);
  CHECK(h.Run("MngGetKycStepTemplates", "{}", s2).status.code() == Code::kUnauthorized);
  Status s;
  CHECK(h.Login("crm", kStaffPassword, &s) == nullptr);
  CHECK(s.code() == Code::kUnauthorized);
  CHECK(s.message() == "account 'crm' is disabled");
  CHECK(h.Run("MngGetManagers", "{}", admin).status.ok());  // others are untouched

  REQUIRE(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":false}})", id), admin)
              .status.ok());
  CHECK(h.Login("crm", kStaffPassword) != nullptr);

  // An account created disabled cannot log in either.
  REQUIRE(h.Run("MngAddManager",
                R"({"login":"off","password":"12345678","session_type":"SESSION_MANAGER",)"
                R"("disabled":true})",
                admin)
              .status.ok());
  CHECK(h.Login("off", "12345678", &s) == nullptr);
  CHECK(s.code() == Code::kUnauthorized);
}

TEST_CASE("sessions: a new password or type ends the account's sessions") {
  Harness h;
  SessionPtr admin = h.Admin();
  int64_t id = h.AddManager("m", SessionType::kManager);
  SessionPtr old = h.Login("m", kStaffPassword);
  REQUIRE(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"password":"new-password"}})", id),
                admin)
              .status.ok());
  CHECK(h.Run("MngGetKycStepTemplates", "{}", old).status.code() == Code::kUnauthorized);
  CHECK(h.Login("m", kStaffPassword) == nullptr);
  SessionPtr fresh = h.Login("m", "new-password");
  REQUIRE(fresh);
  REQUIRE(h.Approve(h.Run("MngUpdateManager",
                          fmt::format(R"({{"id":{},"session_type":"SESSION_DEALER"}})", id), admin))
              .status.ok());
  CHECK(h.Run("MngGetKycStepTemplates", "{}", fresh).status.code() == Code::kUnauthorized);
  SessionPtr dealer = h.Login("m", "new-password");
  REQUIRE(dealer);
  CHECK(dealer->type == SessionType::kDealer);
  // A name change keeps the sessions.
  REQUIRE(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"name":"M"}})", id), admin)
              .status.ok());
  CHECK(h.Run("MngGetKycStepTemplates", "{}", dealer).status.ok());
}

TEST_CASE("sessions: MngCreateClientSession ttl is 60..max, default 3600") {
  Harness h;
  SessionPtr staff = h.Session(SessionType::kCrmAdmin);
  auto mint = [&](std::string_view extra) {
    return h.Run("MngCreateClientSession",
                 fmt::format(R"({{"customer_id":42,"brand":"brand_a"{}}})", extra), staff);
  };
  const int64_t now = h.clock().Now();
  const int64_t max = h.core().options().client_session_max_ttl;
  CHECK(max == 7 * 86400);

  Response def = mint("");
  REQUIRE_MESSAGE(def.status.ok(), def.text());
  auto doc = ParseDoc(def.text());
  CHECK(Int(doc, "expires_at") == now + 3600);
  CHECK(Str(doc, "session_type") == "SESSION_CLIENT");
  CHECK(Int(doc, "customer_id") == 42);
  CHECK(Str(doc, "brand") == "brand_a");
  SessionPtr client = h.core().sessions().Find(Str(doc, "token"));
  REQUIRE(client);
  CHECK(client->type == SessionType::kClient);
  CHECK(client->customer_id == 42);
  CHECK(client->brand == "brand_a");
  CHECK_FALSE(client->manager_id.has_value());

  CHECK(Int(ParseDoc(mint(R"(,"ttl":60)").text()), "expires_at") == now + 60);
  CHECK(Int(ParseDoc(mint(fmt::format(R"(,"ttl":{})", max)).text()), "expires_at") == now + max);
  for (int64_t bad : {int64_t{59}, int64_t{0}, int64_t{-60}, max + 1}) {
    CAPTURE(bad);
    Response r = mint(fmt::format(R"(,"ttl":{})", bad));
    CHECK(r.status.code() == Code::kBadRequest);
    CHECK(Contains(r.status.message(), "'ttl'"));
  }
  CHECK(h.Run("MngCreateClientSession", R"({"customer_id":0,"brand":"b"})", staff).status.code() ==
        Code::kBadRequest);
  CHECK(h.Run("MngCreateClientSession", R"({"customer_id":1,"brand":"b b"})", staff)
            .status.code() == Code::kBadRequest);
}

TEST_CASE("sessions: the last enabled admin cannot be disabled or demoted") {
  Harness h;
  SessionPtr admin = h.Admin();
  const int64_t first = *admin->manager_id;
  Response r = h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", first), admin);
  CHECK(r.status.code() == Code::kConflict);
  CHECK(Contains(r.status.message(), "last enabled admin"));
  // A demotion waits for a second admin (four eyes), who exists by then: the rule is
  // checked again when it runs.
  Response demote = h.Run("MngUpdateManager",
                          fmt::format(R"({{"id":{},"session_type":"SESSION_MANAGER"}})", first), admin);
  REQUIRE(demote.status.ok());
  CHECK(Contains(demote.text(), "pending_approval"));
  // A disabled second admin does not count.
  int64_t second = h.AddManager("admin2", SessionType::kAdmin);
  REQUIRE(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", second), admin)
              .status.ok());
  CHECK(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", first), admin)
            .status.code() == Code::kConflict);
  // With another enabled admin, the first may go.
  REQUIRE(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":false}})", second), admin)
              .status.ok());
  SessionPtr admin2 = h.Login("admin2", kStaffPassword);
  REQUIRE(admin2);
  CHECK(h.Approve(h.Run("MngUpdateManager",
                        fmt::format(R"({{"id":{},"session_type":"SESSION_MANAGER"}})", first), admin2))
            .status.ok());
  // The approver admin goes too; then admin2 is the last one.
  const int64_t approver = h.core().staff().managers().FindLogin("approver")->id;
  REQUIRE(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", approver), admin2)
              .status.ok());
  CHECK(h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", second), admin2)
            .status.code() == Code::kConflict);
}

TEST_CASE("sessions: MngAddManager validates and refuses a duplicate login") {
  Harness h;
  SessionPtr admin = h.Admin();
  auto add = [&](std::string_view login, std::string_view password, std::string_view type) {
    return h.Run("MngAddManager",
                 fmt::format(R"({{"login":"{}","password":"{}","session_type":"{}"}})", login,
                             password, type),
                 admin);
  };
  REQUIRE(add("dup", "password-1", "SESSION_MANAGER").status.ok());
  Response dup = add("dup", "password-2", "SESSION_DEALER");
  CHECK(dup.status.code() == Code::kConflict);
  CHECK(Contains(dup.status.message(), "'dup'"));
  CHECK(add("admin", "password-1", "SESSION_ADMIN").status.code() == Code::kConflict);

  CHECK(add("bad login", "password-1", "SESSION_MANAGER").status.code() == Code::kBadRequest);
  CHECK(add("short", "1234567", "SESSION_MANAGER").status.code() == Code::kBadRequest);
  CHECK(add("client", "password-1", "SESSION_CLIENT").status.code() == Code::kBadRequest);
  CHECK(add("nobody", "password-1", "SESSION_ROOT").status.code() == Code::kBadRequest);
  CHECK(h.core().staff().managers().size() == 2);
}

TEST_CASE("sessions: manager JSON never contains the password hash") {
  Harness h;
  SessionPtr admin = h.Admin();
  Response added = h.Run(
      "MngAddManager",
      R"({"login":"m1","password":"password-1","session_type":"SESSION_MANAGER","name":"M"})",
      admin);
  REQUIRE(added.status.ok());
  int64_t id = Int(ParseDoc(added.text()), "id");
  Response updated = h.Run(
      "MngUpdateManager", fmt::format(R"({{"id":{},"password":"password-2"}})", id), admin);
  REQUIRE(updated.status.ok());
  Response list = h.Run("MngGetManagers", "{}", admin);
  REQUIRE(list.status.ok());

  const std::set<std::string> kKeys = {"id",         "login",      "name",
                                       "session_type", "disabled", "roles",
                                       "effective_roles", "created_at", "updated_at"};
  auto check_manager = [&](const rapidjson::Value& m) {
    std::set<std::string> keys;
    for (const auto& member : m.GetObject()) keys.insert(member.name.GetString());
    CHECK(keys == kKeys);
  };
  check_manager(ParseDoc(added.text()));
  check_manager(ParseDoc(updated.text()));
  auto doc = ParseDoc(list.text());
  CHECK(Int(doc, "total") == 2);
  for (const auto& m : doc["items"].GetArray()) check_manager(m);

  std::vector<std::string> texts = {std::string(added.text()), std::string(updated.text()),
                                   std::string(list.text())};
  h.core().staff().audit().Scan([&](const auto& row) {
    texts.push_back(row->before);
    texts.push_back(row->after);
    return true;
  });
  CHECK(texts.size() == 3 + 2 * 3);  // admin bootstrap, add, update
  for (const auto& text : texts) {
    CAPTURE(text);
    CHECK_FALSE(Contains(text, "argon2"));
    CHECK_FALSE(Contains(text, "password"));
  }
}

}  // namespace
}  // namespace kyc
