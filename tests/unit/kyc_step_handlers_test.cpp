// MngApproveKycStep, MngRejectKycStep, MngRequestKycStepRevision and MngGetKycStep (kyc_step_handlers.cpp), through the dispatcher.
#include "tests/unit/kyc_fixture.h"

namespace kyc {

TEST_CASE_FIXTURE(KycTest, "kyc: submit → revision → resubmit → approve, profile after each") {
  AddTemplate("brand_a", "proof_id",
              R"("level":1,"form_schema":{"sections":[{"fields":[)"
              R"({"name":"full_name","type":"text","required":true}]}]})");
  AddTemplate("brand_a", "proof_address", R"("level":2)");
  auto set = Ok("MngSetKycRequiredLevel", R"({"customer_id":1001,"brand":"brand_a","level":1})");
  const int64_t s = Ids(set["attached"]).at(0);
  auto client = h_.ClientSession(kCustA, "brand_a");

  auto own = Ok("KycGetProfile", "{}", client);
  CHECK(Ids(own["steps"]) == std::vector<int64_t>{s});
  CHECK(Str(own, "status_name") == "draft");
  CHECK(Str(Customer(kCustA), "kyc_status_name") == "draft");

  // submit
  h_.clock().Advance(10);
  auto sub = Submit(s, client, R"({"full_name":"Ann"})");
  CHECK(Str(sub, "status_name") == "pending");
  CHECK(Int(sub, "status") == 1);
  CHECK(Str(sub["answers"], "full_name") == "Ann");
  CHECK(Int(sub, "submitted_at") == h_.clock().Now());
  CHECK(StatusName(kCustA) == "pending");
  CHECK(Level(kCustA) == 0);
  CHECK(Int(Customer(kCustA), "kyc_status") == 2);

  // revision: the comment is required and must not be blank
  CHECK(Err("MngRequestKycStepRevision", fmt::format(R"({{"id":{}}})", s)) == Code::kBadRequest);
  CHECK(Err("MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":" \t"}})", s)) ==
        Code::kBadRequest);
  h_.clock().Advance(10);
  auto rev = Ok("MngRequestKycStepRevision",
                fmt::format(R"({{"id":{},"comment":"name is cut off"}})", s));
  CHECK(Str(rev, "status_name") == "required");
  CHECK(Int(rev, "revision_count") == 1);
  CHECK(Str(rev, "comment") == "name is cut off");
  CHECK(Str(rev["answers"], "full_name") == "Ann");  // the last submission stays visible
  CHECK(StatusName(kCustA) == "draft");
  CHECK(Level(kCustA) == 0);
  CHECK(Str(Customer(kCustA), "kyc_status_name") == "draft");

  // resubmit
  h_.clock().Advance(10);
  auto resub = Submit(s, client, R"({"full_name":"Ann Lee"})");
  CHECK(Str(resub, "status_name") == "pending");
  CHECK(Int(resub, "revision_count") == 1);
  CHECK(StatusName(kCustA) == "pending");

  // approve
  h_.clock().Advance(10);
  auto ok = Ok("MngApproveKycStep", fmt::format(R"({{"id":{},"comment":"all good"}})", s));
  CHECK(Str(ok, "status_name") == "approved");
  CHECK(Int(ok, "status") == 2);
  CHECK(Int(ok, "reviewed_by") == manager_id_);
  CHECK(Int(ok, "reviewed_at") == h_.clock().Now());
  CHECK(Str(ok, "comment") == "all good");
  CHECK(Int(ok, "revision_count") == 1);
  CHECK(Str(ok["answers"], "full_name") == "Ann Lee");
  auto prof = Profile(kCustA);
  CHECK(Str(prof, "status_name") == "approved");
  CHECK(Int(prof, "status") == 3);
  CHECK(Int(prof, "level") == 1);
  auto cust = Customer(kCustA);
  CHECK(Int(cust, "kyc_status") == 3);
  CHECK(Int(cust, "kyc_level") == 1);
  CHECK(Int(cust, "kyc_risk_level") == 0);

  // The step's history keeps each submission and each decision.
  auto step = Step(s);
  CHECK(step["documents"].Empty());
  const auto& hist = step["history"];
  CHECK(Strings(hist, "action") == std::vector<std::string>{"step.require", "step.submit",
                                                            "step.revision", "step.submit",
                                                            "step.approve"});
  CHECK(Str(hist[1]["step"]["answers"], "full_name") == "Ann");
  CHECK(Str(hist[2], "reason") == "name is cut off");
  CHECK(Str(hist[3]["step"]["answers"], "full_name") == "Ann Lee");
  CHECK(Str(hist[1], "actor_type") == "client");
  CHECK(Int(hist[1], "actor_id") == kCustA);
  CHECK(Str(hist[4], "actor_type") == "staff");
  CHECK(Int(hist[4], "actor_id") == manager_id_);

  // Raising the level to 2 attaches proof_address: a draft again, still level 1.
  auto two = Ok("MngSetKycRequiredLevel", R"({"customer_id":1001,"brand":"brand_a","level":2})");
  CHECK(Ids(two["attached"]).size() == 1);
  CHECK(Str(two["profile"], "status_name") == "draft");
  CHECK(Int(two["profile"], "level") == 1);
  auto cust2 = Customer(kCustA);
  CHECK(Str(cust2, "kyc_status_name") == "draft");
  CHECK(Int(cust2, "kyc_level") == 1);
}

TEST_CASE_FIXTURE(KycTest, "kyc: reject needs a reason and is final") {
  AddTemplate("brand_a", "proof_id");
  const int64_t s = Require(kCustA, "brand_a", "proof_id");
  auto client = h_.ClientSession(kCustA, "brand_a");
  Submit(s, client);

  CHECK(Err("MngRejectKycStep", fmt::format(R"({{"id":{}}})", s)) == Code::kBadRequest);
  CHECK(Err("MngRejectKycStep", fmt::format(R"({{"id":{},"reason":""}})", s)) ==
        Code::kBadRequest);
  CHECK(Err("MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"   "}})", s)) ==
        Code::kBadRequest);
  CHECK(Str(Step(s), "status_name") == "pending");

  auto rej = Ok("MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"forged document"}})", s));
  CHECK(Str(rej, "status_name") == "rejected");
  CHECK(Int(rej, "status") == 3);
  CHECK(Str(rej, "reject_reason") == "forged document");
  CHECK(Int(rej, "reviewed_by") == manager_id_);
  CHECK(StatusName(kCustA) == "rejected");
  CHECK(Str(Customer(kCustA), "kyc_status_name") == "rejected");

  // Final: nothing moves a rejected step.
  const size_t rows = AuditCount();
  Response approve = Call("MngApproveKycStep", fmt::format(R"({{"id":{}}})", s));
  CHECK(approve.status.code() == Code::kConflict);
  CHECK(Contains(approve.status.message(), fmt::format("step {} is rejected", s)));
  CHECK(Err("MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"again"}})", s)) ==
        Code::kConflict);
  CHECK(Err("MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":"c"}})", s)) ==
        Code::kConflict);
  CHECK(Err("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", s), client) ==
        Code::kConflict);
  CHECK(AuditCount() == rows);
  CHECK(Str(Step(s), "status_name") == "rejected");

  // Requiring the code again attaches a fresh step; the profile is a draft again.
  auto again = Ok("MngRequireKycStep", R"({"customer_id":1001,"brand":"brand_a","code":"proof_id"})");
  CHECK(Bool(again, "created"));
  CHECK(Int(again["step"], "id") != s);
  CHECK(StatusName(kCustA) == "draft");
}

TEST_CASE_FIXTURE(KycTest, "kyc: every other step transition is a conflict") {
  AddTemplate("brand_a", "a");
  AddTemplate("brand_a", "b");
  AddTemplate("brand_a", "c");
  auto client = h_.ClientSession(kCustA, "brand_a");
  const int64_t required = Require(kCustA, "brand_a", "a");
  const int64_t pending = Require(kCustA, "brand_a", "b");
  const int64_t approved = Require(kCustA, "brand_a", "c");
  Submit(pending, client);
  Submit(approved, client);
  Approve(approved);

  auto id = [](int64_t s) { return fmt::format(R"({{"id":{}}})", s); };
  auto with = [](int64_t s, const char* kv) { return fmt::format(R"({{"id":{},{}}})", s, kv); };
  const size_t rows = AuditCount();
  // required: reject, revision → conflict
  CHECK(Err("MngRejectKycStep", with(required, R"("reason":"r")")) == Code::kConflict);
  CHECK(Err("MngRequestKycStepRevision", with(required, R"("comment":"c")")) == Code::kConflict);
  // pending: submit → conflict
  Response resubmit = Call("KycSubmitStep", with(pending, R"("answers":{})"), client);
  CHECK(resubmit.status.code() == Code::kConflict);
  CHECK(Contains(resubmit.status.message(), fmt::format("step {} is pending", pending)));
  // approved: approve, reject, revision, submit → conflict
  Response twice = Call("MngApproveKycStep", id(approved));
  CHECK(twice.status.code() == Code::kConflict);
  CHECK(Contains(twice.status.message(), fmt::format("step {} is approved", approved)));
  CHECK(Err("MngRejectKycStep", with(approved, R"("reason":"r")")) == Code::kConflict);
  CHECK(Err("MngRequestKycStepRevision", with(approved, R"("comment":"c")")) == Code::kConflict);
  CHECK(Err("KycSubmitStep", with(approved, R"("answers":{})"), client) == Code::kConflict);
  CHECK(AuditCount() == rows);

  // Unknown steps are not_found.
  CHECK(Err("MngApproveKycStep", id(999)) == Code::kNotFound);
  CHECK(Err("MngRejectKycStep", with(999, R"("reason":"r")")) == Code::kNotFound);
  CHECK(Err("MngRequestKycStepRevision", with(999, R"("comment":"c")")) == Code::kNotFound);
  CHECK(Err("KycSubmitStep", with(999, R"("answers":{})"), client) == Code::kNotFound);
  CHECK(Err("MngGetKycStep", id(999)) == Code::kNotFound);

  // A required step may be approved by staff directly (manual check).
  auto direct = Approve(required);
  CHECK(Str(direct, "status_name") == "approved");
  CHECK(direct["submitted_at"].IsNull());
  CHECK(StatusName(kCustA) == "pending");  // b is still pending
}

}  // namespace kyc
