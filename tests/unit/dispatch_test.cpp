// Dispatch: the order of the checks and the access matrix of every command × session type.
#include <map>
#include <string>

#include <doctest/doctest.h>

#include "accounts/status.h"
#include "handlers/command_table.h"
#include "tests/unit/harness.h"

namespace kyc {
namespace {

using test::Contains;
using test::Harness;
using test::kAllSessionTypes;

bool IsAccessError(Code c) { return c == Code::kUnauthorized || c == Code::kForbidden; }

TEST_CASE("dispatch: checks run in order unknown command, session, type, params, handler") {
  Harness h;
  SessionPtr manager = h.Session(SessionType::kManager);
  SessionPtr client = h.Session(SessionType::kClient);
  const std::string_view kBadJson = "{not json";

  // 1. An unknown command wins over everything else, session or not.
  CHECK(h.Run("NoSuchCommand", kBadJson).status.code() == Code::kUnknownCommand);
  CHECK(h.Run("NoSuchCommand", "{}", manager).status.code() == Code::kUnknownCommand);
  CHECK(h.Run("ping", "{}").status.code() == Code::kUnknownCommand);  // names are exact
  Response unknown = h.Run("NoSuchCommand", "{}");
  CHECK(Contains(unknown.text(), "NoSuchCommand"));
  CHECK(test::Str(test::ParseDoc(unknown.text())["error"], "code") == "unknown_command");

  // 2. No session: unauthorized before the params are even parsed.
  CHECK(h.Run("MngGetKycStepTemplates", kBadJson).status.code() == Code::kUnauthorized);
  CHECK(h.Run("MngAddManager", kBadJson).status.code() == Code::kUnauthorized);

  // 3. A session of the wrong type: forbidden, still before the params.
  CHECK(h.Run("MngGetKycStepTemplates", kBadJson, client).status.code() == Code::kForbidden);
  CHECK(h.Run("MngAddManager", kBadJson, manager).status.code() == Code::kForbidden);
  Response forbidden = h.Run("MngAddManager", "{}", manager);
  CHECK(Contains(forbidden.status.message(), "SESSION_MANAGER"));
  CHECK(Contains(forbidden.status.message(), "MngAddManager"));

  // 4. The right session: now the params are parsed.
  Response bad = h.Run("MngGetKycStepTemplates", kBadJson, manager);
  CHECK(bad.status.code() == Code::kBadRequest);
  CHECK(Contains(bad.status.message(), "invalid JSON"));
  CHECK(h.Run("MngGetKycStepTemplates", "[1]", manager).status.code() == Code::kBadRequest);
  CHECK(h.Run("MngGetKycStepTemplates", R"({"typo":1})", manager).status.code() ==
        Code::kBadRequest);

  // 5. Then the handler decides.
  Response missing = h.Run("MngGetKycStepTemplate", R"({"id":999})", manager);
  CHECK(missing.status.code() == Code::kNotFound);
  CHECK(Contains(missing.text(), "template 999 not found"));
  Response list = h.Run("MngGetKycStepTemplates", "", manager);  // empty text is {}
  CHECK(list.status.ok());
  CHECK(test::Int(test::ParseDoc(list.text()), "total") == 0);
}

// PROTOCOL.md §4 access column (S staff, A admin, C client, "—" none, "S C" both), as
// copied from the contract; every command the table has must agree with it.
const std::map<std::string_view, std::string_view> kContractAccess = {
    {"Ping", "—"},
    {"Login", "—"},
    {"Auth", "—"},
    {"Logout", "S C"},
    {"MngAddKycStepTemplate", "S"},
    {"MngUpdateKycStepTemplate", "S"},
    {"MngDeleteKycStepTemplate", "S"},
    {"MngGetKycStepTemplates", "S"},
    {"MngCreateClientSession", "S"},
    {"MngAddManager", "A"},
    {"MngUpdateManager", "A"},
    {"MngGetManagers", "A"},
    {"KycGetProfile", "C"},
    {"KycSubmitStep", "C"},
    {"KycAddDocument", "C"},
};

TEST_CASE("dispatch: the command table's access agrees with PROTOCOL.md §4") {
  int checked = 0;
  for (const auto& spec : Commands()) {
    CAPTURE(spec.name);
    if (spec.name.starts_with("Mng")) CHECK(spec.access != kNoSession);
    if (spec.name.starts_with("Mng")) CHECK_FALSE(Allows(spec.access, SessionType::kClient));
    if (spec.name.starts_with("Kyc")) CHECK(spec.access == kClient);
    auto it = kContractAccess.find(spec.name);
    if (it == kContractAccess.end()) continue;
    CHECK(AccessLabel(spec.access) == it->second);
    ++checked;
  }
  CHECK(checked >= 12);
}

TEST_CASE("dispatch: access matrix of every command × every session type and no session") {
  Harness h;
  std::map<SessionType, SessionPtr> sessions;
  for (SessionType t : kAllSessionTypes) sessions[t] = h.Session(t);

  for (const auto& spec : Commands()) {
    CAPTURE(spec.name);
    // No session.
    Response none = h.Run(spec.name, "{}");
    if (spec.access == kNoSession) {
      CHECK_FALSE(IsAccessError(none.status.code()));
    } else {
      CHECK(none.status.code() == Code::kUnauthorized);
    }
    CHECK(none.status.code() != Code::kUnknownCommand);

    for (SessionType t : kAllSessionTypes) {
      CAPTURE(SessionTypeName(t));
      // Logout would end the shared session: it gets a fresh one.
      SessionPtr s = spec.name == "Logout" ? h.Session(t) : sessions[t];
      Response r = h.Run(spec.name, "{}", s);
      Code c = r.status.code();
      // Staff accounts without roles hold their session type's default roles (issue 15).
      // A client without a record is `registered`: its status permits the client area and
      // uploads, not money operations (issue 15).
      const bool role_grants =
          t == SessionType::kClient
              ? (spec.client_op == AccountOp::kNone ||
                 (DefaultStatusPermissions(AccountStatus::kRegistered) & OpBit(spec.client_op)))
              : Grants(PermissionsOf(DefaultRoles(t), h.core().staff().roles()), spec.permission);
      if (spec.access == kNoSession || (Allows(spec.access, t) && role_grants)) {
        CHECK_FALSE(IsAccessError(c));
        // `{}` either succeeds (lists, Ping, Logout), fails on its params, or (KycGetProfile
        // of a customer without a profile) finds nothing.
        CHECK((c == Code::kOk || c == Code::kBadRequest || c == Code::kNotFound));
      } else {
        CHECK(c == Code::kForbidden);
      }
    }
  }
  // The shared sessions survived the whole matrix (nothing revoked them).
  for (SessionType t : kAllSessionTypes) CHECK(sessions[t]->AliveAt(h.clock().Now()));
}

TEST_CASE("dispatch: each base a row names has its writer queue, and kNone has none") {
  Harness h;
  CHECK(h.dispatcher().CheckTable().ok());
  CHECK(h.core().WriterFor(BaseId::kKyc) == &h.core().kyc().writer());
  CHECK(h.core().WriterFor(BaseId::kStaff) == &h.core().staff().writer());
  CHECK(h.core().WriterFor(BaseId::kStorage) == &h.core().storage().writer());
  CHECK(h.core().WriterFor(BaseId::kNone) == nullptr);
  for (const auto& spec : Commands()) {
    CAPTURE(spec.name);
    CHECK(((spec.flags & kWrite) != 0) == (spec.base != BaseId::kNone));
  }
  // What each flag says the command changes.
  CHECK((FindCommand("MngCreateClientSession")->flags & kCreatesSession) != 0);
  CHECK((FindCommand("Login")->flags & kSessionChange) != 0);
  CHECK(FindCommand("MngAddManager")->flags == (kWrite | kSlow));
  CHECK(FindCommand("MngGetKycProfile")->flags == kRead);
}

TEST_CASE("dispatch: an expired session is unauthorized") {
  Harness h;
  SessionPtr manager = h.Session(SessionType::kManager);
  const int64_t ttl = h.core().options().staff_session_ttl;
  CHECK(manager->expires_at == h.clock().Now() + ttl);

  h.clock().Advance(ttl - 1);
  CHECK(h.Run("MngGetKycStepTemplates", "{}", manager).status.ok());
  h.clock().Advance(1);
  Response r = h.Run("MngGetKycStepTemplates", "{}", manager);
  CHECK(r.status.code() == Code::kUnauthorized);
  CHECK(Contains(r.status.message(), "expired"));

  // Commands that need no session still work; a new login gets a new session.
  CHECK(h.Run("Ping", "{}", manager).status.ok());
  SessionPtr again = h.Session(SessionType::kManager);
  CHECK(h.Run("MngGetKycStepTemplates", "{}", again).status.ok());
}

TEST_CASE("dispatch: a client session expires after its ttl") {
  Harness h;
  Response minted = h.Run("MngCreateClientSession", R"({"customer_id":9,"brand":"b","ttl":60})",
                          h.Admin());
  REQUIRE(minted.status.ok());
  SessionPtr client = h.core().sessions().Find(test::Str(test::ParseDoc(minted.text()), "token"));
  REQUIRE(client);
  CHECK(h.Run("Logout", R"({"x":1})", client).status.code() == Code::kBadRequest);
  h.clock().Advance(60);
  CHECK(h.Run("Logout", "{}", client).status.code() == Code::kUnauthorized);
}

TEST_CASE("dispatch: a session is unauthorized after Logout, other sessions live on") {
  Harness h;
  SessionPtr a = h.Session(SessionType::kDealer);
  SessionPtr b = h.Session(SessionType::kDealer);
  Response out = h.Run("Logout", "{}", a);
  REQUIRE(out.status.ok());
  CHECK(out.text() == "{}");
  CHECK(out.detach);
  CHECK(a->revoked.load());
  CHECK(h.core().sessions().Find(a->token) == nullptr);

  CHECK(h.Run("MngGetKycStepTemplates", "{}", a).status.code() == Code::kUnauthorized);
  CHECK(h.Run("Logout", "{}", a).status.code() == Code::kUnauthorized);
  CHECK(h.Run("Auth", "{\"token\":\"" + a->token + "\"}").status.code() == Code::kUnauthorized);
  CHECK(h.Run("MngGetKycStepTemplates", "{}", b).status.ok());
}

TEST_CASE("dispatch: Login and Auth attach the session to the response") {
  Harness h;
  h.Admin();
  Response login = h.Run("Login", Harness::LoginJson("admin", test::kAdminPassword));
  REQUIRE(login.status.ok());
  REQUIRE(login.attach);
  auto doc = test::ParseDoc(login.text());
  CHECK(test::Str(doc, "token") == login.attach->token);
  CHECK(test::Str(doc, "session_type") == "SESSION_ADMIN");
  CHECK(test::Str(doc, "login") == "admin");
  CHECK(test::Int(doc, "expires_at") == login.attach->expires_at);

  Response auth = h.Run("Auth", "{\"token\":\"" + login.attach->token + "\"}");
  REQUIRE(auth.status.ok());
  CHECK(auth.attach == login.attach);
  CHECK(h.Run("Auth", R"({"token":"00ff"})").status.code() == Code::kUnauthorized);

  Response ping = h.Run("Ping", "{}");
  REQUIRE(ping.status.ok());
  CHECK(test::Int(test::ParseDoc(ping.text()), "time") == h.clock().Now());
  CHECK_FALSE(ping.attach);
}

}  // namespace
}  // namespace kyc
