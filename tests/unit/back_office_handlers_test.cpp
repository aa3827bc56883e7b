// The back office through the dispatcher (issue 15): account status following KYC, staff
// restricting, closing and lifting, permissions per status, revoking a document, roles by
// job function and four-eyes approval requests.
#include <doctest/doctest.h>

#include "kyc/policy.h"
#include "tests/unit/kyc_fixture.h"

namespace kyc {
namespace {

class BackOffice : public KycTest {
 protected:
  explicit BackOffice(const CoreOptions& options = test::TestCoreOptions()) : KycTest(options) {
    AddTemplate("brand_a", "id", R"("level":1)");
    Ok("MngAddCustomer", R"({"customer_id":1001,"brand":"brand_a","first_name":"Ann"})");
    step_ = Require(kCustA, "brand_a", "id");
    // A second compliance officer, to approve what the fixture's manager asks.
    h_.AddManager("second", SessionType::kManager);
    second_ = h_.Login("second", test::kStaffPassword);
  }

  std::string Status() {
    return Str(Ok("MngGetCustomer", R"({"customer_id":1001,"brand":"brand_a"})"), "account_status");
  }
  rapidjson::Document SetStatus(std::string_view status, std::string_view reason,
                                const SessionPtr& who = nullptr) {
    return Ok("MngSetAccountStatus",
              fmt::format(R"({{"customer_id":1001,"brand":"brand_a","status":"{}","reason":"{}"}})",
                          status, reason),
              who);
  }
  rapidjson::Document Check(std::string_view operation) {
    return Ok("MngCheckKycOperation",
              fmt::format(R"({{"customer_id":1001,"brand":"brand_a","operation":"{}"}})", operation));
  }
  int64_t PendingId(const rapidjson::Document& answer) {
    REQUIRE(answer.HasMember("pending_approval"));
    CHECK(Bool(answer, "pending_approval"));
    return Int(answer["request"], "id");
  }
  void Approved() {  // submitted and approved: level 1
    Submit(step_, h_.ClientSession());
    Approve(step_);
  }

  int64_t step_ = 0;
  SessionPtr second_;
};

}  // namespace

TEST_CASE_FIXTURE(BackOffice, "back office: the account status follows the KYC steps") {
  CHECK(Status() == "registered");
  auto client = h_.ClientSession();
  Submit(step_, client);
  CHECK(Status() == "pending_review");
  Ok("MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":"photo blurred"}})", step_));
  CHECK(Status() == "pending_documents");
  Submit(step_, client);
  CHECK(Status() == "pending_review");
  Approve(step_);
  CHECK(Status() == "approved");
  auto history = Ok("MngGetAccountStatusHistory", R"({"customer_id":1001,"brand":"brand_a"})");
  CHECK(Str(history, "account_status") == "approved");
  std::vector<std::string> seen;
  for (const auto& item : history["items"].GetArray()) seen.push_back(Str(item, "status"));
  CHECK(seen == std::vector<std::string>{"pending_review", "pending_documents", "pending_review",
                                         "approved"});
  CHECK(Str(history["items"][0], "previous") == "registered");
  CHECK(Str(history["items"][0], "source") == "kyc");
  // Filtered listing.
  auto approved = Ok("MngGetCustomers", R"({"account_status":"approved"})");
  CHECK(Int(approved, "total") == 1);
  CHECK(Int(Ok("MngGetCustomers", R"({"account_status":"restricted"})"), "total") == 0);
  CHECK(Err("MngGetCustomers", R"({"account_status":"frozen"})") == Code::kBadRequest);
}

TEST_CASE_FIXTURE(BackOffice, "back office: a restriction refuses what its status does not permit") {
  Approved();
  CHECK(Bool(Check("withdrawal"), "allowed") == false);  // level 2 for withdrawals
  CHECK(Bool(Check("deposit"), "allowed"));
  auto restricted = SetStatus("restricted", "expired proof of address");
  CHECK(Str(restricted, "account_status") == "restricted");
  auto w = Check("withdrawal");
  CHECK_FALSE(Bool(w, "allowed"));
  CHECK(Str(w, "reason") == "account restricted (expired proof of address): withdrawal not allowed");
  CHECK(Str(w, "account_status") == "restricted");
  CHECK_FALSE(Bool(Check("deposit"), "allowed"));
  CHECK_FALSE(Bool(Check("open_position"), "allowed"));
  CHECK(Bool(Check("close_position"), "allowed"));
  CHECK(Bool(Check("client_area"), "allowed"));
  // The client may read, not submit or attach.
  auto client = h_.ClientSession();
  CHECK(Call("KycGetProfile", "{}", client).status.ok());
  Response r = Call("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step_), client);
  CHECK(r.status.code() == Code::kForbidden);
  CHECK(Contains(r.text(), "account restricted (expired proof of address): upload_documents not allowed"));
  // A transaction is refused with the same reason.
  Response tx = Call("MngAddTransaction",
                     R"({"customer_id":1001,"brand":"brand_a","type":"deposit","amount":"10.00",)"
                     R"("currency":"EUR","eur_amount":"10.00","external_id":"t1"})");
  CHECK(tx.status.code() == Code::kConflict);
  CHECK(Contains(tx.text(), "account restricted"));
  // Restricting again: nothing to do.
  CHECK(Err("MngSetAccountStatus",
            R"({"customer_id":1001,"brand":"brand_a","status":"restricted","reason":"again"})") ==
        Code::kConflict);
  CHECK(Err("MngSetAccountStatus",
            R"({"customer_id":1001,"brand":"brand_a","status":"approved","reason":"x"})") ==
        Code::kBadRequest);
}

TEST_CASE_FIXTURE(BackOffice, "back office: lifting a restriction needs a second person, named in the audit") {
  Approved();
  SetStatus("restricted", "fraud review");
  auto asked = SetStatus("active", "review cleared");
  const int64_t request = PendingId(asked);
  CHECK(Str(asked["request"], "status") == "pending");
  CHECK(Str(asked["request"], "command") == "MngSetAccountStatus");
  CHECK(Status() == "restricted");  // nothing changed yet
  // The initiator cannot approve its own request.
  Response self = Call("MngApproveRequest", fmt::format(R"({{"id":{}}})", request));
  CHECK(self.status.code() == Code::kForbidden);
  CHECK(Contains(self.text(), "second person"));
  // A dealer (support) lacks the permission.
  auto dealer = h_.Session(SessionType::kDealer);
  CHECK(Err("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), dealer) == Code::kForbidden);
  auto approved = Ok("MngApproveRequest", fmt::format(R"({{"id":{},"comment":"checked"}})", request),
                     second_);
  CHECK(Str(approved["request"], "status") == "approved");
  CHECK(Int(approved["request"]["decided_by"], "manager_id") == *second_->manager_id);
  CHECK(Str(approved["result"], "account_status") == "approved");
  CHECK(Status() == "approved");
  // The audit row of the change names both people.
  auto audit = Audit(R"({"entity":"account","action":"account.staff"})");
  const auto& last = audit["items"][audit["items"].Size() - 1];
  CHECK(Int(last, "actor_id") == manager_id_);
  CHECK(Int(last, "approved_by") == *second_->manager_id);
  CHECK(Str(last, "reason") == "review cleared");
  // The request's own trail.
  auto trail = Audit(fmt::format(R"({{"entity":"approval_request","entity_id":{}}})", request));
  REQUIRE(trail["items"].Size() == 2);
  CHECK(Str(trail["items"][0], "action") == "approval.request");
  CHECK(Str(trail["items"][1], "action") == "approval.approve");
  // Approving twice: conflict.
  CHECK(Err("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), second_) == Code::kConflict);
}

TEST_CASE_FIXTURE(BackOffice, "back office: a stale or expired request is refused on approval") {
  Approved();
  SetStatus("restricted", "review");
  const int64_t first = PendingId(SetStatus("active", "cleared"));
  const int64_t second = PendingId(SetStatus("active", "cleared too"));
  Ok("MngApproveRequest", fmt::format(R"({{"id":{}}})", first), second_);
  Response stale = Call("MngApproveRequest", fmt::format(R"({{"id":{}}})", second), second_);
  CHECK(stale.status.code() == Code::kConflict);
  CHECK(Contains(stale.text(), "target changed"));
  // Expiry: 24 h by default.
  SetStatus("restricted", "again");
  const int64_t late = PendingId(SetStatus("active", "late"));
  h_.clock().Advance(86400);
  staff_ = h_.Session(SessionType::kManager);  // the staff sessions expired too (8 h)
  second_ = h_.Login("second", test::kStaffPassword);
  auto listed = Ok("MngGetApprovalRequests", R"({"status":"expired"})");
  CHECK(Int(listed, "total") == 2);  // the stale one stayed pending, and expired too
  Response expired = Call("MngApproveRequest", fmt::format(R"({{"id":{}}})", late), second_);
  CHECK(expired.status.code() == Code::kConflict);
  CHECK(Contains(expired.text(), "expired"));
  // Rejecting: nothing runs.
  const int64_t rejected = PendingId(SetStatus("active", "no"));
  auto r = Ok("MngRejectRequest", fmt::format(R"({{"id":{},"reason":"not yet"}})", rejected), second_);
  CHECK(Str(r, "status") == "rejected");
  CHECK(Status() == "restricted");
}

TEST_CASE_FIXTURE(BackOffice, "back office: closing is final and leaves the record read-only") {
  const int64_t request = PendingId(SetStatus("closed", "asked by the client"));
  CHECK(Status() == "registered");
  Ok("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), second_);
  CHECK(Status() == "closed");
  CHECK(Err("MngUpdateCustomer", R"({"customer_id":1001,"brand":"brand_a","first_name":"B"})") ==
        Code::kConflict);
  CHECK(Err("MngSetAccountStatus",
            R"({"customer_id":1001,"brand":"brand_a","status":"active","reason":"x"})") ==
        Code::kConflict);
  auto client = h_.ClientSession();
  Response read = Call("KycGetProfile", "{}", client);
  CHECK(read.status.code() == Code::kForbidden);
  CHECK(Contains(read.text(), "account closed"));
  // KYC changes no longer move it.
  Approve(step_);
  CHECK(Status() == "closed");
}

TEST_CASE_FIXTURE(BackOffice, "back office: revoking an approved document takes the approval back") {
  Approved();
  CHECK(Status() == "approved");
  const std::string file = ClientFile(kCustA);
  auto doc = Ok("MngAddKycDocument",
                fmt::format(R"({{"file_id":"{}","doc_type":"passport","customer_id":1001,)"
                            R"("brand":"brand_a","step_id":{}}})", file, step_));
  const int64_t doc_id = Int(doc, "id");
  Ok("MngApproveKycDocument", fmt::format(R"({{"id":{}}})", doc_id));
  auto revoked = Ok("MngRejectKycDocument",
                    fmt::format(R"({{"id":{},"reason":"forged, found later"}})", doc_id));
  CHECK(Str(revoked, "status_name") == "rejected");
  CHECK(StatusName(kCustA) == "review_required");
  CHECK(Status() == "pending_documents");
  auto audit = Audit(fmt::format(R"({{"entity":"document","entity_id":{}}})", doc_id));
  CHECK(Str(audit["items"][audit["items"].Size() - 1], "action") == "document.revoke");
}

TEST_CASE_FIXTURE(BackOffice, "back office: permissions per status are set per brand and audited") {
  auto before = Ok("MngGetStatusPermissions", R"({"brand":"brand_a"})");
  REQUIRE(before["items"].Size() == 6);
  CHECK(Str(before["items"][4], "status") == "restricted");
  CHECK(Bool(before["items"][4], "default"));
  // Only admin holds config.write.
  CHECK(Err("MngSetStatusPermissions",
            R"({"brand":"brand_a","status":"restricted","operations":["client_area"]})") ==
        Code::kForbidden);
  auto admin = h_.Admin();
  auto set = Ok("MngSetStatusPermissions",
                R"({"brand":"brand_a","status":"pending_review","operations":["client_area"]})", admin);
  CHECK(Str(set["items"][1], "status") == "pending_review");
  CHECK(set["items"][1]["operations"].Size() == 1);
  CHECK_FALSE(Bool(set["items"][1], "default"));
  CHECK(Err("MngSetStatusPermissions",
            R"({"brand":"brand_a","status":"closed","operations":["client_area"]})", admin) ==
        Code::kBadRequest);
  CHECK(Err("MngSetStatusPermissions",
            R"({"brand":"brand_a","status":"approved","operations":["fly"]})", admin) ==
        Code::kBadRequest);
  // A pending_review client may no longer submit.
  auto client = h_.ClientSession();
  Submit(step_, client);
  CHECK(Status() == "pending_review");
  const std::string file = ClientFile(kCustA);
  Response attach = Call("KycAddDocument",
                         fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", file), client);
  CHECK(attach.status.code() == Code::kForbidden);
  auto audit = Audit(R"({"entity":"status_permissions"})");
  CHECK(audit["items"].Size() == 1);
}

TEST_CASE_FIXTURE(BackOffice, "back office: roles decide, and a forbidden call names the permission") {
  auto dealer = h_.Session(SessionType::kDealer);  // support
  CHECK(Call("MngGetKycProfile", R"({"customer_id":1001,"brand":"brand_a"})", dealer).status.ok());
  Response denied = Call("MngApproveKycStep", fmt::format(R"({{"id":{}}})", step_), dealer);
  CHECK(denied.status.code() == Code::kForbidden);
  CHECK(Contains(denied.text(), "kyc.review"));
  // A custom role, given to the dealer through four eyes (a role change).
  auto admin = h_.Admin();
  auto role = Ok("MngSetRole", R"({"name":"reviewer","permissions":["kyc.read","kyc.review"]})", admin);
  CHECK(Str(role, "name") == "reviewer");
  CHECK(Err("MngSetRole", R"({"name":"admin","permissions":[]})", admin) == Code::kConflict);
  CHECK(Err("MngSetRole", R"({"name":"x","permissions":["fly"]})", admin) == Code::kBadRequest);
  const int64_t dealer_id = *dealer->manager_id;
  auto asked = Ok("MngUpdateManager", fmt::format(R"({{"id":{},"roles":["reviewer"]}})", dealer_id),
                  admin);
  const int64_t request = PendingId(asked);
  // A password cannot ride along with a change that waits.
  CHECK(Err("MngUpdateManager",
            fmt::format(R"({{"id":{},"roles":["risk"],"password":"another-pass-1"}})", dealer_id),
            admin) == Code::kBadRequest);
  CHECK(Err("MngUpdateManager", fmt::format(R"({{"id":{},"roles":["nope"]}})", dealer_id), admin) ==
        Code::kBadRequest);
  h_.AddManager("admin2", SessionType::kAdmin);
  auto admin2 = h_.Login("admin2", test::kStaffPassword);
  // The manager (compliance, not staff.manage, not admin) may not approve it.
  CHECK(Err("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), second_) == Code::kForbidden);
  auto done = Ok("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), admin2);
  CHECK(done["result"]["roles"][0].GetString() == std::string("reviewer"));
  // The role change ended the dealer's session; a new login carries the new permission.
  CHECK(Err("MngGetKycProfile", R"({"customer_id":1001,"brand":"brand_a"})", dealer) ==
        Code::kUnauthorized);
  auto again = h_.Login(test::StaffLogin(SessionType::kDealer), test::kStaffPassword);
  Submit(step_, h_.ClientSession());
  CHECK(Call("MngApproveKycStep", fmt::format(R"({{"id":{}}})", step_), again).status.ok());
  // Roles' audit rows are read with the same audit query (managers.db's trail).
  auto audit = Audit(R"({"entity":"role"})");
  CHECK(audit["items"].Size() == 1);
  auto managers = Audit(fmt::format(R"({{"entity":"manager","entity_id":{}}})", dealer_id));
  const auto& last = managers["items"][managers["items"].Size() - 1];
  CHECK(Int(last, "approved_by") == *admin2->manager_id);
}

TEST_CASE_FIXTURE(BackOffice, "back office: unblocking and lowering a risk level wait for a second person") {
  Ok("MngBlockCustomer", R"({"customer_id":1001,"brand":"brand_a","reason":"chargebacks"})");
  auto asked = Ok("MngUnblockCustomer", R"({"customer_id":1001,"brand":"brand_a","reason":"paid"})");
  const int64_t request = PendingId(asked);
  CHECK(Bool(Ok("MngGetCustomer", R"({"customer_id":1001,"brand":"brand_a"})"), "is_blocked"));
  Ok("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), second_);
  CHECK_FALSE(Bool(Ok("MngGetCustomer", R"({"customer_id":1001,"brand":"brand_a"})"), "is_blocked"));
  const int64_t profile = Int(Profile(kCustA), "id");
  // Raising is immediate; lowering waits.
  Ok("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":3,"reason":"pep"}})", profile));
  auto lower = Ok("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":1,"reason":"ok"}})", profile));
  PendingId(lower);
  CHECK(Int(Profile(kCustA), "risk_level") == 3);
  auto pending = Ok("MngGetApprovalRequests", R"({"status":"pending"})");
  CHECK(Int(pending, "total") == 1);
  CHECK(Contains(Str(pending["items"][0], "summary"), "lower the risk level"));
}

namespace {
CoreOptions RequireTierApproval() {
  CoreOptions o = test::TestCoreOptions();
  o.approvals.brands["brand_a"] = {"MngSetKycTier"};
  return o;
}
class ListedApproval : public KycTest {
 protected:
  ListedApproval() : KycTest(RequireTierApproval()) {}
};
}  // namespace

TEST_CASE_FIXTURE(ListedApproval, "back office: a command listed in approvals.require waits for its brand") {
  auto asked = Ok("MngSetKycTier", R"({"brand":"brand_a","level":1,"name":"Basic","max_single_eur":"1000"})");
  CHECK(Bool(asked, "pending_approval"));
  CHECK(Str(asked["request"], "brand") == "brand_a");
  auto other = Ok("MngSetKycTier", R"({"brand":"brand_b","level":1,"name":"Basic"})");
  CHECK_FALSE(other.HasMember("pending_approval"));
}

}  // namespace kyc

namespace kyc {

TEST_CASE_FIXTURE(BackOffice, "back office: a staff change whose target moved is put back to pending") {
  auto admin = h_.Admin();
  auto dealer = h_.Session(SessionType::kDealer);
  const int64_t dealer_id = *dealer->manager_id;
  const int64_t request = PendingId(
      Ok("MngUpdateManager", fmt::format(R"({{"id":{},"roles":["risk"]}})", dealer_id), admin));
  // The account changes meanwhile (its name): the request's target no longer holds.
  h_.clock().Advance(1);
  Ok("MngUpdateManager", fmt::format(R"({{"id":{},"name":"Dee"}})", dealer_id), admin);
  h_.AddManager("admin2", SessionType::kAdmin);
  auto admin2 = h_.Login("admin2", test::kStaffPassword);
  Response stale = Call("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), admin2);
  CHECK(stale.status.code() == Code::kConflict);
  auto back = Ok("MngGetApprovalRequests", R"({"status":"pending"})", admin2);
  REQUIRE(Int(back, "total") == 1);
  CHECK(Int(back["items"][0], "id") == request);
  auto trail = Audit(fmt::format(R"({{"entity":"approval_request","entity_id":{}}})", request));
  CHECK(Strings(trail["items"], "action") ==
        std::vector<std::string>{"approval.request", "approval.approve", "approval.reopen"});
  auto m = h_.core().staff().managers().Get(dealer_id);
  CHECK(m->roles.empty());  // nothing ran
}

TEST_CASE_FIXTURE(BackOffice, "back office: an initiator who lost the permission cannot have the change made") {
  Ok("MngBlockCustomer", R"({"customer_id":1001,"brand":"brand_a","reason":"chargebacks"})");
  const int64_t request = PendingId(
      Ok("MngUnblockCustomer", R"({"customer_id":1001,"brand":"brand_a","reason":"paid"})"));
  // The initiator becomes support (through four eyes itself).
  auto admin = h_.Admin();
  OkApproved("MngUpdateManager", fmt::format(R"({{"id":{},"roles":["support"]}})", manager_id_),
             admin);
  Response r = Call("MngApproveRequest", fmt::format(R"({{"id":{}}})", request), second_);
  CHECK(r.status.code() == Code::kConflict);
  CHECK(Contains(r.text(), "may no longer call MngUnblockCustomer"));
  CHECK(Bool(Ok("MngGetCustomer", R"({"customer_id":1001,"brand":"brand_a"})", second_),
             "is_blocked"));
}

TEST_CASE_FIXTURE(BackOffice, "back office: changing a role some account holds waits for a second admin") {
  auto admin = h_.Admin();
  Ok("MngSetRole", R"({"name":"desk","permissions":["kyc.read"]})", admin);
  // Nobody holds it yet: changed at once.
  auto changed = Ok("MngSetRole", R"({"name":"desk","permissions":["kyc.read","customers.read"]})", admin);
  CHECK_FALSE(changed.HasMember("pending_approval"));
  Ok("MngAddManager",
     R"({"login":"desk1","password":"desk-password-1","session_type":"SESSION_DEALER","roles":["desk"]})",
     admin);
  auto held = Ok("MngSetRole", R"({"name":"desk","permissions":["kyc.read","kyc.review"]})", admin);
  CHECK(Contains(Str(held["request"], "summary"), "held by 1 account"));
  auto desk = h_.Login("desk1", "desk-password-1");
  REQUIRE(desk);
  CHECK(Err("MngApproveKycStep", R"({"id":1})", desk) == Code::kForbidden);
}

TEST_CASE("accounts: level-0 onboarding operations need no KYC, others keep every check") {
  Profile p;
  p.level = 0;
  p.risk_level = RiskLevel::kProhibited;
  p.status = ProfileStatus::kExpired;
  const OperationRule zero{0};
  CHECK(CheckOperation(zero, "upload_documents", 1, "b", &p, {}).allowed);
  CHECK(CheckOperation(zero, "close_position", 1, "b", &p, {}).allowed);
  CHECK(CheckOperation(zero, "client_area", 1, "b", nullptr, {}).allowed);
  // A brand that sets deposit = 0 still refuses a prohibited customer.
  auto deposit = CheckOperation(zero, "deposit", 1, "b", &p, {});
  CHECK_FALSE(deposit.allowed);
  CHECK(Contains(deposit.reason, "prohibited"));
}

}  // namespace kyc
