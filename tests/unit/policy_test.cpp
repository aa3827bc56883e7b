// kyc/policy.h: the per-brand operation rules and the check MngCheckKycOperation answers.
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "kyc/policy.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

using test::Contains;

std::shared_ptr<const Step> MakeStepPtr(int64_t id, std::string code, int64_t level,
                                     StepStatus status) {
  auto s = std::make_shared<Step>();
  s->id = id;
  s->profile_id = 1;
  s->code = std::move(code);
  s->level = level;
  s->status = status;
  return s;
}

Profile MakeProfile(int64_t level, ProfileStatus status, RiskLevel risk = RiskLevel::kLow) {
  Profile p;
  p.id = 1;
  p.customer_id = 1001;
  p.brand = "brand_a";
  p.level = level;
  p.status = status;
  p.risk_level = risk;
  return p;
}

TEST_CASE("policy: IsOperation") {
  for (const char* op : {"open_real_account", "deposit", "withdrawal", "exchange", "trade"}) {
    CAPTURE(op);
    CHECK(IsOperation(op));
  }
  for (const char* op : {"", "Deposit", "withdraw", "transfer", "trade "}) {
    CAPTURE(op);
    CHECK_FALSE(IsOperation(op));
  }
}

TEST_CASE("policy: Rule defaults: open_real_account 1, deposit 1, withdrawal 2, trade 1") {
  KycPolicy policy;
  CHECK(policy.Rule("any", "open_real_account").min_level == 1);
  CHECK(policy.Rule("any", "deposit").min_level == 1);
  CHECK(policy.Rule("any", "withdrawal").min_level == 2);
  CHECK(policy.Rule("any", "trade").min_level == 1);
  CHECK(policy.Rule("", "withdrawal").min_level == 2);
  // An operation nobody names falls back to level 1.
  CHECK(policy.Rule("any", "unknown_op").min_level == 1);
}

TEST_CASE("policy: a brand overrides the operations it names, the rest use the defaults") {
  KycPolicy policy;
  policy.brands["strict"]["withdrawal"] = OperationRule{3};
  policy.brands["strict"]["trade"] = OperationRule{2};
  policy.brands["lax"]["withdrawal"] = OperationRule{1};
  CHECK(policy.Rule("strict", "withdrawal").min_level == 3);
  CHECK(policy.Rule("strict", "trade").min_level == 2);
  CHECK(policy.Rule("strict", "deposit").min_level == 1);           // default
  CHECK(policy.Rule("strict", "open_real_account").min_level == 1);  // default
  CHECK(policy.Rule("lax", "withdrawal").min_level == 1);
  CHECK(policy.Rule("lax", "trade").min_level == 1);
  CHECK(policy.Rule("other", "withdrawal").min_level == 2);  // brands are exact names
  CHECK(policy.Rule("STRICT", "withdrawal").min_level == 2);

  // The defaults themselves can be changed.
  policy.defaults["deposit"] = OperationRule{4};
  CHECK(policy.Rule("other", "deposit").min_level == 4);
  CHECK(policy.Rule("strict", "deposit").min_level == 4);
  CHECK(policy.Rule("strict", "withdrawal").min_level == 3);
}

TEST_CASE("policy: CheckOperation without a profile is not allowed") {
  CheckResult r = CheckOperation(OperationRule{1}, "deposit", 1001, "brand_a", nullptr, {});
  CHECK_FALSE(r.allowed);
  CHECK(r.level == 0);
  CHECK(r.status == ProfileStatus::kNone);
  CHECK(Contains(r.reason, "no KYC profile"));
  CHECK(Contains(r.reason, "1001"));
  CHECK(Contains(r.reason, "brand_a"));
  CHECK(Contains(r.reason, "deposit"));
}

TEST_CASE("policy: CheckOperation with a prohibited risk level is never allowed") {
  Profile p = MakeProfile(3, ProfileStatus::kApproved, RiskLevel::kProhibited);
  std::vector<std::shared_ptr<const Step>> steps = {MakeStepPtr(1, "id", 1, StepStatus::kApproved)};
  CheckResult r = CheckOperation(OperationRule{1}, "trade", 1001, "brand_a", &p, steps);
  CHECK_FALSE(r.allowed);
  CHECK(Contains(r.reason, "prohibited"));
  CHECK(r.level == 3);
  CHECK(r.status == ProfileStatus::kApproved);
  // High risk is not a block by itself.
  p.risk_level = RiskLevel::kHigh;
  CHECK(CheckOperation(OperationRule{1}, "trade", 1001, "brand_a", &p, steps).allowed);
}

TEST_CASE("policy: CheckOperation with a rejected or expired profile is not allowed") {
  std::vector<std::shared_ptr<const Step>> steps = {MakeStepPtr(1, "id", 1, StepStatus::kApproved)};
  for (ProfileStatus st : {ProfileStatus::kRejected, ProfileStatus::kExpired}) {
    std::string name(Name(st));
    CAPTURE(name);
    // The level would be enough: the status alone blocks.
    Profile p = MakeProfile(2, st);
    CheckResult r = CheckOperation(OperationRule{1}, "deposit", 1001, "brand_a", &p, steps);
    CHECK_FALSE(r.allowed);
    CHECK(Contains(r.reason, name));
    CHECK(r.status == st);
  }
  // review_required, draft and pending are not blocks by themselves.
  for (ProfileStatus st :
       {ProfileStatus::kReviewRequired, ProfileStatus::kDraft, ProfileStatus::kPending}) {
    std::string name(Name(st));
    CAPTURE(name);
    Profile p = MakeProfile(1, st);
    CHECK(CheckOperation(OperationRule{1}, "deposit", 1001, "brand_a", &p, steps).allowed);
  }
}

TEST_CASE("policy: CheckOperation with a level below the rule names the blocking steps") {
  Profile p = MakeProfile(1, ProfileStatus::kPending);
  std::vector<std::shared_ptr<const Step>> steps = {
      MakeStepPtr(1, "proof_id", 1, StepStatus::kApproved),
      MakeStepPtr(2, "proof_address", 2, StepStatus::kPending),
      MakeStepPtr(3, "source_of_funds", 3, StepStatus::kRequired),  // above the rule's level
  };
  CheckResult r = CheckOperation(OperationRule{2}, "withdrawal", 1001, "brand_a", &p, steps);
  CHECK_FALSE(r.allowed);
  CHECK(r.reason == "KYC level 1 of 2: proof_address pending");
  CHECK(r.level == 1);
  CHECK(r.status == ProfileStatus::kPending);

  // Several blockers, in step order; skipped and replaced steps are not named.
  Profile p0 = MakeProfile(0, ProfileStatus::kDraft);
  std::vector<std::shared_ptr<const Step>> many = {
      MakeStepPtr(1, "proof_id", 1, StepStatus::kRejected),  // replaced by step 4
      MakeStepPtr(2, "proof_address", 2, StepStatus::kRequired),
      MakeStepPtr(3, "selfie", 1, StepStatus::kSkipped),
      MakeStepPtr(4, "proof_id", 1, StepStatus::kPending),
  };
  r = CheckOperation(OperationRule{2}, "withdrawal", 1001, "brand_a", &p0, many);
  CHECK_FALSE(r.allowed);
  CHECK(r.reason == "KYC level 0 of 2: proof_address required, proof_id pending");

  // A rejected step nobody replaced is a blocker too.
  std::vector<std::shared_ptr<const Step>> rejected = {
      MakeStepPtr(1, "proof_id", 1, StepStatus::kRejected)};
  r = CheckOperation(OperationRule{1}, "deposit", 1001, "brand_a", &p0, rejected);
  CHECK(r.reason == "KYC level 0 of 1: proof_id rejected");

  // No step at all up to the level.
  r = CheckOperation(OperationRule{2}, "withdrawal", 1001, "brand_a", &p0, {});
  CHECK_FALSE(r.allowed);
  CHECK(r.reason == "KYC level 0 of 2: no level-2 step attached");
}

TEST_CASE("policy: CheckOperation allows when the level is reached") {
  Profile p = MakeProfile(2, ProfileStatus::kApproved);
  std::vector<std::shared_ptr<const Step>> steps = {
      MakeStepPtr(1, "proof_id", 1, StepStatus::kApproved),
      MakeStepPtr(2, "proof_address", 2, StepStatus::kApproved)};
  CheckResult r = CheckOperation(OperationRule{2}, "withdrawal", 1001, "brand_a", &p, steps);
  CHECK(r.allowed);
  CHECK(r.level == 2);
  CHECK(r.status == ProfileStatus::kApproved);
  CHECK(Contains(r.reason, "allowed"));
  // Above the rule is fine too; exactly at it as well.
  CHECK(CheckOperation(OperationRule{1}, "deposit", 1001, "brand_a", &p, steps).allowed);
  CHECK_FALSE(CheckOperation(OperationRule{3}, "deposit", 1001, "brand_a", &p, steps).allowed);
}

}  // namespace
}  // namespace kyc
