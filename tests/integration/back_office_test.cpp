// The back office over the wire (issue 15): each account status × each operation through
// MngCheckKycOperation, a restricted client refused an upload, every built-in role against
// every command of the table, four eyes (self-approval and stale requests refused, both
// names in the audit), over TCP and REST.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "protocol/commands.h"
#include "staff/roles.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

constexpr std::string_view kBoBrand = "bo";
constexpr std::string_view kPassword = "staff-pass-word-1";

std::unique_ptr<TcpClient> LoggedIn(const ServerProcess& server, std::string_view login) {
  auto c = ConnectTcp(server);
  MustLogin(*c, login, kPassword);
  return c;
}

// An account of type SESSION_ADMIN with exactly `roles`: only the roles decide.
std::unique_ptr<TcpClient> Staff(const ServerProcess& server, TcpClient& admin,
                                 std::string_view login, std::string_view roles,
                                 std::string_view type = "SESSION_ADMIN") {
  CallOk(admin, "MngAddManager",
         fmt::format(R"({{"login":"{}","password":"{}","session_type":"{}","roles":{}}})", login,
                     kPassword, type, roles));
  return LoggedIn(server, login);
}

// A customer of kBoBrand whose level-1 step is submitted (and approved, with `approve`).
int64_t StepOf(TcpClient& staff, const ServerProcess& server, int64_t customer, bool submit,
               bool approve) {
  CallOk(staff, "MngAddCustomer", fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer, kBoBrand));
  auto req = CallOk(staff, "MngRequireKycStep",
                    fmt::format(R"({{"customer_id":{},"brand":"{}","code":"id"}})", customer, kBoBrand));
  const int64_t step = IntField(req["step"], "id");
  auto req2 = CallOk(staff, "MngRequireKycStep",
                     fmt::format(R"({{"customer_id":{},"brand":"{}","code":"poa"}})", customer, kBoBrand));
  const int64_t step2 = IntField(req2["step"], "id");
  if (submit) {
    auto client = ConnectTcp(server);
    CallOk(*client, "Auth", fmt::format(R"({{"token":"{}"}})", ClientToken(staff, customer, kBoBrand)));
    CallOk(*client, "KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step));
    if (approve) CallOk(*client, "KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step2));
  }
  if (approve) {
    CallOk(staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
    CallOk(staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", step2));
  }
  return step;
}

std::string AccountStatus(TcpClient& staff, int64_t customer) {
  return StrField(CallOk(staff, "MngGetCustomer",
                         fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer, kBoBrand)),
                  "account_status");
}

void Templates(TcpClient& admin) {
  CallOk(admin, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"id","name":"Identity","level":1}})", kBoBrand));
  CallOk(admin, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"poa","name":"Address","level":2}})", kBoBrand));
}

}  // namespace

TEST_CASE_FIXTURE(RunningServer, "back office over TCP: each account status against each operation") {
  auto admin = AdminClient(server);
  Templates(*admin);
  auto second = Staff(server, *admin, "second_admin", R"(["admin"])");
  // One customer per status.
  StepOf(*admin, server, 1, false, false);                              // registered
  StepOf(*admin, server, 2, true, false);                               // pending_review
  const int64_t s3 = StepOf(*admin, server, 3, true, false);            // pending_documents
  CallOk(*admin, "MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":"blurred"}})", s3));
  StepOf(*admin, server, 4, true, true);                                // approved
  StepOf(*admin, server, 5, true, true);                                // restricted
  CallOk(*admin, "MngSetAccountStatus",
         fmt::format(R"({{"customer_id":5,"brand":"{}","status":"restricted","reason":"expired proof of address"}})",
                     kBoBrand));
  StepOf(*admin, server, 6, true, true);                                // closed
  auto asked = CallOk(*admin, "MngSetAccountStatus",
                      fmt::format(R"({{"customer_id":6,"brand":"{}","status":"closed","reason":"fraud"}})", kBoBrand));
  CallOk(*second, "MngApproveRequest",
         fmt::format(R"({{"id":{}}})", IntField(asked["request"], "id")));

  const std::vector<std::string> statuses = {"registered", "pending_review", "pending_documents",
                                             "approved",   "restricted",     "closed"};
  const std::vector<std::string> ops = {"client_area", "upload_documents", "deposit",
                                        "withdrawal",  "open_position",    "close_position"};
  // The seed's matrix: what each status permits.
  const std::vector<std::vector<bool>> permits = {
      {true, true, false, false, false, false}, {true, true, false, false, false, false},
      {true, true, false, false, false, false}, {true, true, true, true, true, true},
      {true, false, false, false, false, true}, {false, false, false, false, false, false}};
  for (int c = 0; c < 6; ++c) {
    REQUIRE(AccountStatus(*admin, c + 1) == statuses[c]);
    for (size_t o = 0; o < ops.size(); ++o) {
      auto r = CallOk(*admin, "MngCheckKycOperation",
                      fmt::format(R"({{"customer_id":{},"brand":"{}","operation":"{}"}})", c + 1,
                                  kBoBrand, ops[o]));
      CAPTURE(statuses[c]);
      CAPTURE(ops[o]);
      const std::string reason = StrField(r, "reason");
      const bool refused_by_status = reason.starts_with("account ");
      CHECK(refused_by_status == !permits[c][o]);
      if (permits[c][o] && statuses[c] == "approved") CHECK(r["allowed"].GetBool());
      CHECK(StrField(r, "account_status") == statuses[c]);
    }
  }
  auto w = CallOk(*admin, "MngCheckKycOperation",
                  fmt::format(R"({{"customer_id":5,"brand":"{}","operation":"withdrawal"}})", kBoBrand));
  CHECK(StrField(w, "reason") == "account restricted (expired proof of address): withdrawal not allowed");
  // The history of customer 6, oldest first, the closure naming both people.
  auto history = CallOk(*admin, "MngGetAccountStatusHistory",
                        fmt::format(R"({{"customer_id":6,"brand":"{}"}})", kBoBrand));
  const auto& items = history["items"];
  REQUIRE(items.Size() >= 2);
  const auto& last = items[items.Size() - 1];
  CHECK(StrField(last, "status") == "closed");
  CHECK(StrField(last, "source") == "staff");
  CHECK(IntField(last, "approved_by") > 0);
  CHECK(IntField(last, "actor_id") != IntField(last, "approved_by"));
}

TEST_CASE_FIXTURE(RunningServer, "back office over REST: a restricted client is refused an upload, lifted by a second person") {
  auto admin = AdminClient(server);
  Templates(*admin);
  auto second = Staff(server, *admin, "compliance2", R"(["compliance"])", "SESSION_MANAGER");
  StepOf(*admin, server, 7, true, true);
  auto http = HttpWithToken(server, AdminHttpToken(server));
  HttpResponse r = http->Request("POST", fmt::format("/manager/customers/{}/7/status", kBoBrand),
                                 R"({"status":"restricted","reason":"chargeback review"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(StrField(Json(r.body), "account_status") == "restricted");
  auto client = HttpWithToken(server, ClientToken(*admin, 7, kBoBrand));
  HttpResponse up = UploadFile(*client, "passport.pdf", PdfBytes("bo"));
  CHECK(up.status == 403);
  CHECK(ErrorMessage(up.body).find("account restricted (chargeback review): upload_documents not allowed") !=
        std::string::npos);
  CHECK(client->Request("GET", "/client/kyc/profile").status == 200);  // client_area stays

  // Lifting: a request, refused to its initiator, approved by the second person.
  r = http->Request("POST", fmt::format("/manager/customers/{}/7/status", kBoBrand),
                    R"({"status":"active","reason":"review done"})");
  REQUIRE(r.status == 200);
  auto pending = Json(r.body);
  CHECK(pending["pending_approval"].GetBool());
  const int64_t id = IntField(pending["request"], "id");
  HttpResponse self = http->Request("POST", fmt::format("/manager/approvals/{}/approve", id), "{}");
  CHECK(self.status == 403);
  auto listed = Json(http->Request("GET", "/manager/approvals?status=pending").body);
  CHECK(IntField(listed, "total") == 1);
  HttpClient login("127.0.0.1", server.http_port());
  HttpResponse token = login.Request(
      "POST", "/auth/login", fmt::format(R"({{"login":"compliance2","password":"{}"}})", kPassword));
  REQUIRE(token.status == 200);
  auto approver = HttpWithToken(server, StrField(Json(token.body), "token"));
  HttpResponse ok = approver->Request("POST", fmt::format("/manager/approvals/{}/approve", id),
                                      R"({"comment":"seen the file"})");
  REQUIRE_MESSAGE(ok.status == 200, ok.body);
  CHECK(StrField(Json(ok.body)["request"], "status") == "approved");
  CHECK(AccountStatus(*admin, 7) == "approved");
  CHECK(UploadFile(*client, "passport.pdf", PdfBytes("bo2")).status == 200);
  // One audit query for every entity: the request, the account and the manager trails.
  auto audit = Json(http->Request("GET", fmt::format("/manager/kyc/audit?entity=approval_request&entity_id={}", id)).body);
  CHECK(audit["items"].Size() == 2);
  auto account = Json(http->Request("GET", "/manager/kyc/audit?entity=account&customer_id=7").body);
  const auto& rows = account["items"];
  const auto& lifted = rows[rows.Size() - 1];
  CHECK(StrField(lifted, "reason") == "review done");
  CHECK(lifted["approved_by"].IsInt64());
  auto managers = Json(http->Request("GET", "/manager/kyc/audit?entity=manager").body);
  CHECK(managers["items"].Size() >= 2);
  // The status permissions routes.
  HttpResponse perms = http->Request("GET", fmt::format("/manager/accounts/status-permissions/{}", kBoBrand));
  CHECK(perms.status == 200);
  CHECK(Json(perms.body)["items"].Size() == 6);
}

TEST_CASE_FIXTURE(RunningServer, "back office: every built-in role against every command of the table") {
  auto admin = AdminClient(server);
  for (const auto& role : BuiltinRoles()) {
    auto c = Staff(server, *admin, fmt::format("role_{}", role.name), fmt::format(R"(["{}"])", role.name));
    for (const auto& spec : Commands()) {
      if (spec.access == kNoSession || !Allows(spec.access, SessionType::kAdmin) ||
          (spec.flags & kSessionChange)) {
        continue;
      }
      Reply r = MustCall(*c, spec.name, "{}");
      CAPTURE(role.name);
      CAPTURE(spec.name);
      const bool granted = Grants(role.permissions, spec.permission);
      const bool refused_for_role =
          ErrorCode(r.body) == "forbidden" && r.body.find("needs permission") != std::string::npos;
      CHECK(refused_for_role == !granted);
      if (!granted) CHECK(r.body.find(std::string(Name(spec.permission))) != std::string::npos);
    }
  }
  // Defaults by session type: a dealer reads, does not review.
  auto dealer = Staff(server, *admin, "dealer1", "[]", "SESSION_DEALER");
  CHECK(MustCall(*dealer, "MngGetKycProfiles", "{}").ok());
  CallFails(*dealer, "MngApproveKycStep", R"({"id":1})", Code::kForbidden);
}

TEST_CASE_FIXTURE(RunningServer, "back office over TCP: stale requests and self-approval are refused") {
  auto admin = AdminClient(server);
  Templates(*admin);
  auto second = Staff(server, *admin, "second", R"(["compliance"])", "SESSION_MANAGER");
  StepOf(*admin, server, 8, false, false);
  CallOk(*admin, "MngBlockCustomer",
         fmt::format(R"({{"customer_id":8,"brand":"{}","reason":"chargebacks"}})", kBoBrand));
  auto a = CallOk(*admin, "MngUnblockCustomer",
                  fmt::format(R"({{"customer_id":8,"brand":"{}","reason":"paid"}})", kBoBrand));
  auto b = CallOk(*admin, "MngUnblockCustomer",
                  fmt::format(R"({{"customer_id":8,"brand":"{}","reason":"paid, again"}})", kBoBrand));
  CallFails(*admin, "MngApproveRequest", fmt::format(R"({{"id":{}}})", IntField(a["request"], "id")),
            Code::kForbidden);
  auto done = CallOk(*second, "MngApproveRequest",
                     fmt::format(R"({{"id":{}}})", IntField(a["request"], "id")));
  CHECK_FALSE(done["result"]["is_blocked"].GetBool());
  std::string msg = CallFails(*second, "MngApproveRequest",
                              fmt::format(R"({{"id":{}}})", IntField(b["request"], "id")),
                              Code::kConflict);
  CHECK(msg.find("target changed") != std::string::npos);
  auto audit = CallOk(*admin, "MngGetKycAudit", R"({"action":"customer.unblock"})");
  REQUIRE(audit["items"].Size() == 1);
  CHECK(IntField(audit["items"][0], "actor_id") == 1);
  CHECK(audit["items"][0]["approved_by"].IsInt64());
}

}  // namespace kyc::itest
