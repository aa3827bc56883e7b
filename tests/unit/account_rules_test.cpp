// The account lifecycle's pure rules (issue 15): every KYC state → account status, the
// staff hold over it, the seed's permission matrix and the refusal a support agent reads.
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

#include "accounts/status.h"
#include "staff/roles.h"

namespace kyc {
namespace {

Step S(int64_t id, std::string code, int64_t level, StepStatus status) {
  Step s;
  s.id = id;
  s.code = code;
  s.level = level;
  s.status = status;
  if (status != StepStatus::kRequired) s.submitted_at = 100;
  return s;
}

Document D(int64_t id, int64_t step_id, DocStatus status, std::string type = "passport") {
  Document d;
  d.id = id;
  d.step_id = step_id;
  d.status = status;
  d.doc_type = type;
  return d;
}

struct Case {
  std::string name;
  int64_t level;
  std::vector<Step> steps;
  std::vector<Document> docs;
  bool duplicate_hold;
  AccountStatus want;
  std::string reason_has;
};

}  // namespace

TEST_CASE("accounts: every KYC state gives its account status") {
  using SS = StepStatus;
  using DS = DocStatus;
  using AS = AccountStatus;
  Step revised = S(1, "id", 1, SS::kRequired);
  revised.revision_count = 1;
  revised.comment = "photo blurred";
  Step resubmitted = revised;
  resubmitted.status = SS::kPending;
  const std::vector<Case> cases = {
      {"no steps: registered", 0, {}, {}, false, AS::kRegistered, "no KYC step"},
      {"a required step never submitted: registered", 0, {S(1, "id", 1, SS::kRequired)}, {}, false,
       AS::kRegistered, "no KYC step"},
      {"a submitted step waiting: pending_review", 0, {S(1, "id", 1, SS::kPending)}, {}, false,
       AS::kPendingReview, "id awaiting review"},
      {"a revision requested: pending_documents", 0, {revised}, {}, false, AS::kPendingDocuments,
       "photo blurred"},
      {"the revision answered: pending_review again", 0, {resubmitted}, {}, false,
       AS::kPendingReview, "awaiting review"},
      {"a document rejected in a pending step: pending_documents", 0,
       {S(1, "id", 1, SS::kPending)}, {D(1, 1, DS::kRejected)}, false, AS::kPendingDocuments,
       "passport rejected"},
      {"a rejected step: pending_documents", 0, {S(1, "id", 1, SS::kRejected)}, {}, false,
       AS::kPendingDocuments, "id rejected"},
      {"level reached: approved", 1, {S(1, "id", 1, SS::kApproved)}, {}, false, AS::kApproved,
       "level 1 reached"},
      {"level reached with an upgrade pending: still approved", 1,
       {S(1, "id", 1, SS::kApproved), S(2, "poa", 2, SS::kPending)}, {}, false, AS::kApproved,
       "level 1"},
      {"an approved document revoked: pending_documents despite the level", 1,
       {S(1, "id", 1, SS::kApproved)}, {D(1, 1, DS::kRejected)}, false, AS::kPendingDocuments,
       "passport rejected"},
      {"an expired document of an active step: pending_documents", 1,
       {S(1, "poa", 1, SS::kApproved)}, {D(1, 1, DS::kExpired, "proof_of_address")}, false,
       AS::kPendingDocuments, "proof_of_address expired"},
      {"an expired step: pending_documents", 0, {S(1, "id", 1, SS::kExpired)}, {}, false,
       AS::kPendingDocuments, "id expired"},
      {"a duplicate hold: pending_review", 1, {S(1, "id", 1, SS::kApproved)}, {}, true,
       AS::kPendingReview, "duplicate"},
      {"approved below the approval level: pending_documents", 1,
       {S(1, "id", 1, SS::kApproved), S(2, "poa", 2, SS::kRequired)}, {}, false,
       AS::kPendingDocuments, "level 1 of 2"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    Profile p;
    p.level = c.level;
    std::vector<const Step*> sp;
    std::vector<const Document*> dp;
    for (const auto& s : c.steps) sp.push_back(&s);
    for (const auto& d : c.docs) dp.push_back(&d);
    const int64_t approval_level = c.name.find("approval level") != std::string::npos ? 2 : 1;
    AccountState st = DeriveAccountStatus(&p, sp, dp, c.duplicate_hold, approval_level);
    CHECK(Name(st.status) == Name(c.want));
    CHECK_MESSAGE(st.reason.find(c.reason_has) != std::string::npos, st.reason);
  }
  CHECK(DeriveAccountStatus(nullptr, {}, {}, false, 1).status == AS::kRegistered);
}

TEST_CASE("accounts: a staff hold wins over the derived status") {
  AccountState approved{AccountStatus::kApproved, "KYC level 1 reached"};
  CHECK(EffectiveAccountStatus(StaffHold::kNone, "", approved).status == AccountStatus::kApproved);
  auto r = EffectiveAccountStatus(StaffHold::kRestricted, "expired proof of address", approved);
  CHECK(r.status == AccountStatus::kRestricted);
  CHECK(r.reason == "expired proof of address");
  CHECK(EffectiveAccountStatus(StaffHold::kClosed, "asked by client", approved).status ==
        AccountStatus::kClosed);
}

TEST_CASE("accounts: the seed's permission matrix, status by operation") {
  using AS = AccountStatus;
  using Op = AccountOp;
  // status → {client_area, upload_documents, deposit, withdrawal, open_position, close_position}
  const std::vector<std::pair<AS, std::array<bool, 6>>> matrix = {
      {AS::kRegistered, {true, true, false, false, false, false}},
      {AS::kPendingReview, {true, true, false, false, false, false}},
      {AS::kPendingDocuments, {true, true, false, false, false, false}},
      {AS::kApproved, {true, true, true, true, true, true}},
      {AS::kRestricted, {true, false, false, false, false, true}},
      {AS::kClosed, {false, false, false, false, false, false}},
  };
  const Op ops[] = {Op::kClientArea,  Op::kUploadDocuments, Op::kDeposit,
                    Op::kWithdrawal,  Op::kOpenPosition,    Op::kClosePosition};
  for (const auto& row : matrix) {
    const auto status = row.first;
    const auto& allowed = row.second;
    for (size_t i = 0; i < 6; ++i) {
      CAPTURE(Name(status));
      CAPTURE(Name(ops[i]));
      CHECK(((DefaultStatusPermissions(status) & OpBit(ops[i])) != 0) == allowed[i]);
    }
  }
}

TEST_CASE("accounts: the refusal names the status, its reason and the operation") {
  AccountState restricted{AccountStatus::kRestricted, "expired proof of address"};
  const AccountOpMask ops = DefaultStatusPermissions(AccountStatus::kRestricted);
  CHECK(StatusRefusal(restricted, ops, "withdrawal", AccountOp::kWithdrawal) ==
        "account restricted (expired proof of address): withdrawal not allowed");
  CHECK(StatusRefusal(restricted, ops, "close_position", AccountOp::kClosePosition).empty());
  AccountState pending{AccountStatus::kPendingDocuments, ""};
  CHECK(StatusRefusal(pending, DefaultStatusPermissions(pending.status), "trade",
                      AccountOpOf("trade")) == "account pending documents: trade not allowed");
  CHECK(AccountOpOf("exchange") == AccountOp::kOpenPosition);
  CHECK(AccountOpOf("deposit") == AccountOp::kDeposit);
  CHECK(OpListText(ops) == "client_area, close_position");
}

TEST_CASE("roles: built-in roles grant what their job needs, defaults follow the session type") {
  RoleSet none;
  auto perms = [&](std::vector<std::string> roles) { return PermissionsOf(roles, none); };
  CHECK(Grants(perms({"support"}), Perm::kKycRead));
  CHECK_FALSE(Grants(perms({"support"}), Perm::kKycReview));
  CHECK(Grants(perms({"compliance"}), Perm::kKycReview));
  CHECK(Grants(perms({"compliance"}), Perm::kRiskSet));
  CHECK(Grants(perms({"compliance"}), Perm::kAccountsStatus));
  CHECK_FALSE(Grants(perms({"compliance"}), Perm::kFundsWrite));
  CHECK(Grants(perms({"finance"}), Perm::kFundsWrite));
  CHECK_FALSE(Grants(perms({"finance"}), Perm::kKycReview));
  CHECK(Grants(perms({"risk"}), Perm::kFundsRead));
  CHECK_FALSE(Grants(perms({"risk"}), Perm::kFundsWrite));
  CHECK(perms({"admin"}) == kAllPerms);
  CHECK(perms({"unknown"}) == 0);
  CHECK(DefaultRoles(SessionType::kAdmin) == std::vector<std::string>{"admin"});
  CHECK(DefaultRoles(SessionType::kManager) ==
        std::vector<std::string>{"compliance", "finance", "risk"});
  CHECK(DefaultRoles(SessionType::kDealer) == std::vector<std::string>{"support"});
  CHECK(DefaultRoles(SessionType::kCrmManager) == std::vector<std::string>{"support"});
  CHECK(SplitRoles("a,b,,c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(JoinRoles({"a", "b"}) == "a,b");
  CHECK(IsValidRoleName("kyc-officer.2"));
  CHECK_FALSE(IsValidRoleName("Admin"));
  for (int i = 1; i < kPermCount; ++i) CHECK(ParsePerm(Name(Perm(i))) == Perm(i));
}

}  // namespace kyc
