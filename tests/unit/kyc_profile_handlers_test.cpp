// MngRequireKycStep, MngSetKycRequiredLevel, MngGetKycProfile(s), MngSetKycRiskLevel, MngGetKycCustomer and MngCheckKycOperation (kyc_profile_handlers.cpp), through the dispatcher.
#include "tests/unit/kyc_fixture.h"

namespace kyc {

TEST_CASE_FIXTURE(KycTest, "kyc: required level attaches the brand's active required templates") {
  int64_t id1 = AddTemplate("brand_a", "proof_id", R"("level":1)");
  int64_t addr = AddTemplate("brand_a", "proof_address", R"("level":2)");
  AddTemplate("brand_a", "inactive", R"("level":1,"active":false)");
  AddTemplate("brand_a", "optional", R"("level":1,"required":false)");
  int64_t gone = AddTemplate("brand_a", "deleted", R"("level":1)");
  REQUIRE(Call("MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", gone)).status.ok());
  AddTemplate("brand_b", "proof_id", R"("level":1)");
  int64_t funds = AddTemplate("brand_a", "source_of_funds", R"("level":3)");

  CHECK(Err("MngGetKycProfile", R"({"customer_id":1001,"brand":"brand_a"})") == Code::kNotFound);

  const std::string req = R"({"customer_id":1001,"brand":"brand_a","level":2})";
  auto r = Ok("MngSetKycRequiredLevel", req);
  const auto& prof = r["profile"];
  CHECK(Int(prof, "customer_id") == kCustA);
  CHECK(Str(prof, "brand") == "brand_a");
  CHECK(Int(prof, "required_level") == 2);
  CHECK(Int(prof, "level") == 0);
  CHECK(Int(prof, "status") == 1);
  CHECK(Str(prof, "status_name") == "draft");
  CHECK(Int(prof, "risk_level") == 0);
  CHECK(Str(prof, "risk_level_name") == "unknown");
  REQUIRE(prof["steps"].IsArray());
  REQUIRE(prof["documents"].IsArray());
  CHECK(prof["documents"].Empty());
  const auto attached = Ids(r["attached"]);
  REQUIRE(attached.size() == 2);
  CHECK(Ids(prof["steps"]) == attached);
  CHECK(Strings(prof["steps"], "code") == std::vector<std::string>{"proof_id", "proof_address"});
  CHECK(Int(prof["steps"][0], "template_id") == id1);
  CHECK(Int(prof["steps"][1], "template_id") == addr);
  CHECK(Int(prof["steps"][1], "level") == 2);
  CHECK(Str(prof["steps"][1], "name") == "Step proof_address");
  for (const auto& s : prof["steps"].GetArray()) {
    CHECK(Int(s, "status") == 0);
    CHECK(Str(s, "status_name") == "required");
    CHECK(Int(s, "profile_id") == Int(prof, "id"));
  }
  // The profile as MngGetKycProfile reads it is the same.
  CHECK(ToJsonText(Profile(kCustA)) == ToJsonText(prof));

  // The audit trail of this change.
  auto audit = Audit(R"({"customer_id":1001})");
  CHECK(Strings(audit["items"], "action") ==
        std::vector<std::string>{"profile.create", "profile.required_level", "step.require",
                                 "step.require", "profile.recalculate"});

  // A lower or equal level changes nothing.
  const size_t rows = AuditCount();
  for (int level : {1, 2}) {
    CAPTURE(level);
    auto same = Ok("MngSetKycRequiredLevel",
                   fmt::format(R"({{"customer_id":1001,"brand":"brand_a","level":{}}})", level));
    CHECK(same["attached"].Empty());
    CHECK(Int(same["profile"], "required_level") == 2);
    CHECK(Ids(same["profile"]["steps"]) == attached);
    CHECK(AuditCount() == rows);
  }

  // Raising again attaches only what is new.
  auto three = Ok("MngSetKycRequiredLevel", R"({"customer_id":1001,"brand":"brand_a","level":3})");
  auto added = Ids(three["attached"]);
  REQUIRE(added.size() == 1);
  CHECK(Int(three["profile"], "required_level") == 3);
  CHECK(three["profile"]["steps"].Size() == 3);
  CHECK(Int(three["profile"]["steps"][2], "template_id") == funds);
  CHECK(Int(three["profile"]["steps"][2], "id") == added[0]);

  // Level bounds.
  for (const char* bad : {"0", "-1", "101", "\"2\"", "2.0"}) {
    CAPTURE(bad);
    CHECK(Err("MngSetKycRequiredLevel",
              fmt::format(R"({{"customer_id":1001,"brand":"brand_a","level":{}}})", bad)) ==
          Code::kBadRequest);
  }
  CHECK(Err("MngSetKycRequiredLevel", R"({"customer_id":0,"brand":"brand_a","level":1})") ==
        Code::kBadRequest);
  CHECK(Err("MngSetKycRequiredLevel", R"({"customer_id":1,"brand":"bad brand","level":1})") ==
        Code::kBadRequest);
  CHECK(Err("MngSetKycRequiredLevel", R"({"customer_id":1,"brand":"b"})") == Code::kBadRequest);
}

TEST_CASE_FIXTURE(KycTest, "kyc: required level skips active codes and re-attaches rejected ones") {
  AddTemplate("brand_a", "proof_id");
  AddTemplate("brand_a", "proof_address");
  int64_t id_step = Require(kCustA, "brand_a", "proof_id");
  int64_t addr_step = Require(kCustA, "brand_a", "proof_address");
  auto client = h_.ClientSession(kCustA, "brand_a");
  Submit(addr_step, client);
  REQUIRE(Call("MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"bad scan"}})", addr_step))
              .status.ok());
  CHECK(StatusName(kCustA) == "rejected");

  auto r = Ok("MngSetKycRequiredLevel", R"({"customer_id":1001,"brand":"brand_a","level":1})");
  auto attached = Ids(r["attached"]);
  REQUIRE(attached.size() == 1);  // proof_id is active; the rejected proof_address is not
  CHECK(attached[0] != addr_step);
  CHECK(attached[0] != id_step);
  const auto& steps = r["profile"]["steps"];
  REQUIRE(steps.Size() == 3);
  CHECK(Int(steps[2], "id") == attached[0]);
  CHECK(Str(steps[2], "code") == "proof_address");
  // The rejected step is replaced: the profile is a draft again.
  CHECK(Str(r["profile"], "status_name") == "draft");
  CHECK(StatusName(kCustA) == "draft");
}

TEST_CASE_FIXTURE(KycTest, "kyc: require a step by template_id and by code") {
  int64_t t = AddTemplate("brand_a", "proof_id", R"("level":2)");
  int64_t inactive = AddTemplate("brand_a", "inactive", R"("active":false)");
  int64_t other = AddTemplate("brand_b", "only_b");
  int64_t gone = AddTemplate("brand_a", "gone");
  REQUIRE(Call("MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", gone)).status.ok());

  auto r = Ok("MngRequireKycStep",
              fmt::format(R"({{"customer_id":1001,"brand":"brand_a","template_id":{},)"
                          R"("comment":"please upload"}})",
                          t));
  CHECK(Bool(r, "created"));
  const auto& step = r["step"];
  const int64_t step_id = Int(step, "id");
  CHECK(Int(step, "profile_id") == Int(r, "profile_id"));
  CHECK(Int(step, "template_id") == t);
  CHECK(Str(step, "code") == "proof_id");
  CHECK(Str(step, "name") == "Step proof_id");
  CHECK(Int(step, "level") == 2);
  CHECK(Int(step, "status") == 0);
  CHECK(Str(step, "status_name") == "required");
  CHECK(Str(step, "comment") == "please upload");
  CHECK(step["answers"].IsNull());
  CHECK(step["reject_reason"].IsNull());
  CHECK(Int(step, "revision_count") == 0);
  CHECK(step["submitted_at"].IsNull());
  CHECK(step["reviewed_at"].IsNull());
  CHECK(step["reviewed_by"].IsNull());
  CHECK(Int(step, "created_at") == h_.clock().Now());

  // The profile was created on demand.
  auto prof = Profile(kCustA);
  CHECK(Int(prof, "id") == Int(r, "profile_id"));
  CHECK(Str(prof, "status_name") == "draft");
  CHECK(Int(prof, "level") == 0);
  CHECK(Int(prof, "required_level") == 0);
  CHECK(Ids(prof["steps"]) == std::vector<int64_t>{step_id});

  // The existing active step is returned, by template_id or by code.
  const size_t rows = AuditCount();
  for (std::string how : {fmt::format(R"("template_id":{})", t), std::string(R"("code":"proof_id")")}) {
    CAPTURE(how);
    auto again = Ok("MngRequireKycStep",
                    fmt::format(R"({{"customer_id":1001,"brand":"brand_a",{}}})", how));
    CHECK_FALSE(Bool(again, "created"));
    CHECK(Int(again["step"], "id") == step_id);
    CHECK(Int(again, "profile_id") == Int(r, "profile_id"));
  }
  CHECK(AuditCount() == rows);
  CHECK(Profile(kCustA)["steps"].Size() == 1);

  // Refusals; none of them creates a profile.
  Response inact = Call("MngRequireKycStep",
                        fmt::format(R"({{"customer_id":2002,"brand":"brand_a","template_id":{}}})",
                                    inactive));
  CHECK(inact.status.code() == Code::kConflict);
  CHECK(Contains(inact.status.message(), "inactive"));
  CHECK(Err("MngRequireKycStep", R"({"customer_id":2002,"brand":"brand_a","code":"inactive"})") ==
        Code::kConflict);
  Response wrong_brand = Call(
      "MngRequireKycStep",
      fmt::format(R"({{"customer_id":2002,"brand":"brand_a","template_id":{}}})", other));
  CHECK(wrong_brand.status.code() == Code::kBadRequest);
  CHECK(Contains(wrong_brand.status.message(), "brand_b"));
  CHECK(Err("MngRequireKycStep", R"({"customer_id":2002,"brand":"brand_a","code":"only_b"})") ==
        Code::kNotFound);
  CHECK(Err("MngRequireKycStep",
            fmt::format(R"({{"customer_id":2002,"brand":"brand_a","template_id":{}}})", gone)) ==
        Code::kNotFound);
  CHECK(Err("MngRequireKycStep", R"({"customer_id":2002,"brand":"brand_a","code":"gone"})") ==
        Code::kNotFound);
  CHECK(Err("MngRequireKycStep", R"({"customer_id":2002,"brand":"brand_a","template_id":999})") ==
        Code::kNotFound);
  Response both = Call(
      "MngRequireKycStep",
      fmt::format(R"({{"customer_id":2002,"brand":"brand_a","template_id":{},"code":"proof_id"}})",
                  t));
  CHECK(both.status.code() == Code::kBadRequest);
  CHECK(Contains(both.status.message(), "template_id"));
  CHECK(Err("MngRequireKycStep", R"({"customer_id":2002,"brand":"brand_a"})") ==
        Code::kBadRequest);
  CHECK(Err("MngRequireKycStep", R"({"customer_id":0,"brand":"brand_a","code":"proof_id"})") ==
        Code::kBadRequest);
  CHECK(Err("MngRequireKycStep", R"({"brand":"brand_a","code":"proof_id"})") ==
        Code::kBadRequest);
  CHECK(Err("MngGetKycProfile", R"({"customer_id":2002,"brand":"brand_a"})") == Code::kNotFound);
  CHECK(AuditCount() == rows);

  // The base still takes writes after all those refusals.
  CHECK(Ok("MngRequireKycStep", R"({"customer_id":2002,"brand":"brand_a","code":"proof_id"})")
            ["created"]
                .GetBool());
}

TEST_CASE_FIXTURE(KycTest, "kyc: MngGetKycProfiles filters, pages and counts, no children") {
  AddTemplate("brand_a", "proof_id");
  AddTemplate("brand_b", "proof_id");
  Require(kCustA, "brand_a", "proof_id");                   // p1: draft
  Approve(Require(kCustB, "brand_a", "proof_id"));          // p2: approved
  Require(kCustA, "brand_b", "proof_id");                   // p3: draft, risk high
  Ok("MngSetKycRequiredLevel", R"({"customer_id":1004,"brand":"brand_c","level":1})");  // p4: none
  const int64_t p1 = Int(Profile(kCustA, "brand_a"), "id");
  const int64_t p2 = Int(Profile(kCustB, "brand_a"), "id");
  const int64_t p3 = Int(Profile(kCustA, "brand_b"), "id");
  const int64_t p4 = Int(Profile(1004, "brand_c"), "id");
  Ok("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":3,"reason":"PEP"}})", p3));
  Ok("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":4,"reason":"sanctions"}})", p4));

  auto list = [&](const std::string& json, int64_t* total = nullptr) {
    auto r = Ok("MngGetKycProfiles", json);
    if (total) *total = Int(r, "total");
    for (const auto& p : r["items"].GetArray()) {
      CHECK_FALSE(p.HasMember("steps"));
      CHECK_FALSE(p.HasMember("documents"));
      CHECK(p.HasMember("status_name"));
      CHECK(p.HasMember("risk_level_name"));
      CHECK(p.HasMember("required_level"));
    }
    return Ids(r["items"]);
  };
  using V = std::vector<int64_t>;
  int64_t total = -1;
  CHECK(list("{}", &total) == V{p1, p2, p3, p4});
  CHECK(total == 4);
  CHECK(list(R"({"brand":"brand_a"})", &total) == V{p1, p2});
  CHECK(total == 2);
  CHECK(list(R"({"brand":"nobody"})", &total).empty());
  CHECK(total == 0);
  CHECK(list(R"({"status":1})") == V{p1, p3});
  CHECK(list(R"({"status":3})") == V{p2});
  CHECK(list(R"({"status":0})") == V{p4});
  CHECK(list(R"({"status":6})").empty());
  CHECK(list(R"({"risk_level":3})") == V{p3});
  CHECK(list(R"({"risk_level":4})") == V{p4});
  CHECK(list(R"({"risk_level":0})") == V{p1, p2});
  CHECK(list(R"({"customer_id":1001})") == V{p1, p3});
  CHECK(list(R"({"customer_id":1001,"brand":"brand_b"})") == V{p3});
  CHECK(list(R"({"customer_id":1001,"status":1,"risk_level":0})") == V{p1});
  CHECK(list(R"({"brand":"brand_a","status":3})") == V{p2});
  CHECK(list(R"({"brand":"brand_a","status":1})") == V{p1});
  CHECK(list(R"({"brand":"brand_b","status":1,"risk_level":3})") == V{p3});
  CHECK(list(R"({"brand":"brand_b","status":1,"risk_level":0})").empty());
  CHECK(list(R"({"brand":"brand_a","risk_level":0})") == V{p1, p2});
  CHECK(list(R"({"status":1,"risk_level":3})") == V{p3});
  // Paging.
  CHECK(list(R"({"limit":2})", &total) == V{p1, p2});
  CHECK(total == 4);
  CHECK(list(R"({"offset":1,"limit":2})", &total) == V{p2, p3});
  CHECK(total == 4);
  CHECK(list(R"({"offset":10})", &total).empty());
  CHECK(total == 4);
  CHECK(list(R"({"brand":"brand_a","offset":1})", &total) == V{p2});
  CHECK(total == 2);
  CHECK(list(R"({"status":1,"offset":1,"limit":1})", &total) == V{p3});
  CHECK(total == 2);
  CHECK(list(R"({"brand":"brand_a","status":1,"offset":1})", &total).empty());
  CHECK(total == 1);
  CHECK(list(R"({"customer_id":1001,"limit":1})", &total) == V{p1});
  CHECK(total == 2);
  // The status index follows changes.
  const int64_t s1 = Ids(Profile(kCustA, "brand_a")["steps"]).at(0);
  Approve(s1);
  CHECK(list(R"({"status":3})") == V{p1, p2});
  CHECK(list(R"({"brand":"brand_a","status":1})", &total).empty());
  CHECK(total == 0);
  CHECK(list(R"({"brand":"brand_a","status":3})") == V{p1, p2});
  for (const char* bad : {R"({"status":7})", R"({"risk_level":5})", R"({"risk_level":-1})",
                          R"({"limit":0})", R"({"offset":-1})", R"({"level":1})",
                          R"({"status":"1"})"}) {
    CAPTURE(bad);
    CHECK(Err("MngGetKycProfiles", bad) == Code::kBadRequest);
  }
}

TEST_CASE_FIXTURE(KycTest, "kyc: MngSetKycRiskLevel needs a reason and a level 0..4") {
  AddTemplate("brand_a", "proof_id");
  Require(kCustA, "brand_a", "proof_id");
  const int64_t p = Int(Profile(kCustA), "id");
  const size_t rows = AuditCount();
  for (std::string bad :
       {fmt::format(R"({{"id":{},"risk_level":2}})", p),
        fmt::format(R"({{"id":{},"risk_level":2,"reason":""}})", p),
        fmt::format(R"({{"id":{},"risk_level":2,"reason":"  "}})", p),
        fmt::format(R"({{"id":{},"risk_level":5,"reason":"r"}})", p),
        fmt::format(R"({{"id":{},"risk_level":-1,"reason":"r"}})", p),
        fmt::format(R"({{"id":{},"risk_level":"2","reason":"r"}})", p),
        fmt::format(R"({{"id":{},"risk_level":2.5,"reason":"r"}})", p),
        fmt::format(R"({{"id":{},"reason":"r"}})", p),
        std::string(R"({"risk_level":2,"reason":"r"})")}) {
    CAPTURE(bad);
    CHECK(Err("MngSetKycRiskLevel", bad) == Code::kBadRequest);
  }
  CHECK(Err("MngSetKycRiskLevel", R"({"id":999,"risk_level":2,"reason":"r"})") ==
        Code::kNotFound);
  CHECK(AuditCount() == rows);

  h_.clock().Advance(5);
  auto r = Ok("MngSetKycRiskLevel",
              fmt::format(R"({{"id":{},"risk_level":3,"reason":"politically exposed"}})", p));
  CHECK(Int(r, "risk_level") == 3);
  CHECK(Str(r, "risk_level_name") == "high");
  CHECK(Int(r, "updated_at") == h_.clock().Now());
  CHECK(r["steps"].Size() == 1);  // the full profile
  CHECK(r.HasMember("documents"));
  CHECK(Str(r, "status_name") == "draft");
  auto row = Audit(R"({"action":"profile.risk_level"})");
  REQUIRE(row["items"].Size() == 1);
  CHECK(Str(row["items"][0], "reason") == "politically exposed");
  CHECK(Int(row["items"][0]["before"], "risk_level") == 0);
  CHECK(Int(row["items"][0]["after"], "risk_level") == 3);
  CHECK(Int(row["items"][0], "entity_id") == p);
  CHECK(Str(row["items"][0], "entity") == "profile");
  auto cust = Customer(kCustA);
  CHECK(Int(cust, "kyc_risk_level") == 3);
  CHECK(Str(cust, "kyc_risk_level_name") == "high");

  // The same level again changes nothing.
  const size_t now_rows = AuditCount();
  CHECK(Int(Ok("MngSetKycRiskLevel",
               fmt::format(R"({{"id":{},"risk_level":3,"reason":"again"}})", p)),
            "risk_level") == 3);
  CHECK(AuditCount() == now_rows);

  for (int level = 0; level <= 4; ++level) {
    CAPTURE(level);
    auto set = OkApproved("MngSetKycRiskLevel",
                          fmt::format(R"({{"id":{},"risk_level":{},"reason":"r"}})", p, level));
    CHECK(Int(set, "risk_level") == level);
    CHECK(Int(Customer(kCustA), "kyc_risk_level") == level);
  }
}

TEST_CASE_FIXTURE(KycTest, "kyc: the customer aggregate follows status, level and risk") {
  AddTemplate("brand_a", "proof_id", R"("level":1)");
  AddTemplate("brand_a", "proof_address", R"("level":2)");
  FlushCustomers();
  CHECK(Err("MngGetKycCustomer", R"({"customer_id":1001,"brand":"brand_a"})") ==
        Code::kNotFound);
  CHECK(Err("MngGetKycCustomer", R"({"customer_id":1001})") == Code::kBadRequest);

  auto set = Ok("MngSetKycRequiredLevel", R"({"customer_id":1001,"brand":"brand_a","level":2})");
  auto steps = Ids(set["attached"]);
  REQUIRE(steps.size() == 2);
  auto c = Customer(kCustA);
  CHECK(Int(c, "customer_id") == kCustA);
  CHECK(Str(c, "brand") == "brand_a");
  CHECK(Str(c, "kyc_status_name") == "draft");
  CHECK(Int(c, "kyc_level") == 0);
  CHECK(Str(c, "kyc_risk_level_name") == "unknown");

  Approve(steps[0]);
  c = Customer(kCustA);
  CHECK(Str(c, "kyc_status_name") == "draft");
  CHECK(Int(c, "kyc_level") == 1);

  h_.clock().Advance(7);
  Approve(steps[1]);
  c = Customer(kCustA);
  CHECK(Int(c, "kyc_status") == 3);
  CHECK(Str(c, "kyc_status_name") == "approved");
  CHECK(Int(c, "kyc_level") == 2);
  CHECK(Int(c, "updated_at") == h_.clock().Now());

  const int64_t p = Int(Profile(kCustA), "id");
  Ok("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":1,"reason":"checked"}})", p));
  c = Customer(kCustA);
  CHECK(Int(c, "kyc_risk_level") == 1);
  CHECK(Str(c, "kyc_risk_level_name") == "low");
  CHECK(Int(c, "kyc_level") == 2);

  // Other customers and brands have their own rows.
  CHECK(Err("MngGetKycCustomer", R"({"customer_id":1001,"brand":"brand_b"})") ==
        Code::kNotFound);
  Require(kCustB, "brand_a", "proof_id");
  CHECK(Str(Customer(kCustB), "kyc_status_name") == "draft");
  CHECK(Str(Customer(kCustA), "kyc_status_name") == "approved");
}

TEST_CASE_FIXTURE(KycTest, "kyc: MngCheckKycOperation answers") {
  AddTemplate("brand_a", "proof_id", R"("level":1)");
  AddTemplate("brand_a", "proof_address", R"("level":2)");
  auto check = [&](int64_t customer, const char* op) {
    return Ok("MngCheckKycOperation",
              fmt::format(R"({{"customer_id":{},"brand":"brand_a","operation":"{}"}})", customer,
                          op));
  };
  auto none = check(kCustA, "deposit");
  CHECK_FALSE(Bool(none, "allowed"));
  // The account status speaks first (issue 15): nothing submitted yet.
  CHECK(Str(none, "reason") == "account registered (no KYC step submitted yet): deposit not allowed");
  CHECK(Str(none, "account_status") == "registered");
  CHECK(Str(none, "operation") == "deposit");
  CHECK(Int(none, "required_level") == 1);
  CHECK(Int(none, "level") == 0);
  CHECK(Int(none, "status") == 0);
  CHECK(Str(none, "status_name") == "none");

  auto set = Ok("MngSetKycRequiredLevel", R"({"customer_id":1001,"brand":"brand_a","level":2})");
  auto steps = Ids(set["attached"]);
  REQUIRE(steps.size() == 2);
  CHECK(Str(check(kCustA, "deposit"), "reason") ==
        "account registered (no KYC step submitted yet): deposit not allowed");

  Approve(steps[0]);
  auto client = h_.ClientSession(kCustA, "brand_a");
  Submit(steps[1], client);
  for (const char* op : {"open_real_account", "deposit", "trade"}) {
    CAPTURE(op);
    auto r = check(kCustA, op);
    CHECK(Bool(r, "allowed"));
    CHECK(Int(r, "required_level") == 1);
    CHECK(Int(r, "level") == 1);
  }
  auto w = check(kCustA, "withdrawal");
  CHECK_FALSE(Bool(w, "allowed"));
  CHECK(Str(w, "reason") == "KYC level 1 of 2: proof_address pending");
  CHECK(Int(w, "required_level") == 2);
  CHECK(Int(w, "level") == 1);
  CHECK(Str(w, "status_name") == "pending");

  Approve(steps[1]);
  auto w2 = check(kCustA, "withdrawal");
  CHECK(Bool(w2, "allowed"));
  CHECK(Int(w2, "level") == 2);
  CHECK(Str(w2, "status_name") == "approved");

  // A prohibited risk level blocks everything.
  const int64_t p = Int(Profile(kCustA), "id");
  Ok("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":4,"reason":"sanctions"}})", p));
  auto blocked = check(kCustA, "deposit");
  CHECK_FALSE(Bool(blocked, "allowed"));
  CHECK(Contains(Str(blocked, "reason"), "prohibited"));
  OkApproved("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":3,"reason":"reviewed"}})", p));
  CHECK(Bool(check(kCustA, "deposit"), "allowed"));

  // A rejected profile is blocked.
  Require(kCustB, "brand_a", "proof_id");
  auto client_b = h_.ClientSession(kCustB, "brand_a");
  const int64_t sb = Ids(Profile(kCustB)["steps"]).at(0);
  Submit(sb, client_b);
  REQUIRE(Call("MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"fake"}})", sb)).status.ok());
  auto rej = check(kCustB, "open_real_account");
  CHECK_FALSE(Bool(rej, "allowed"));
  CHECK(Contains(Str(rej, "reason"), "rejected"));
  CHECK(Str(rej, "status_name") == "rejected");

  CHECK(Err("MngCheckKycOperation",
            R"({"customer_id":1001,"brand":"brand_a","operation":"transfer"})") ==
        Code::kBadRequest);
  CHECK(Err("MngCheckKycOperation", R"({"customer_id":1001,"brand":"brand_a"})") ==
        Code::kBadRequest);
  CHECK(Err("MngCheckKycOperation", R"({"customer_id":1001,"operation":"trade"})") ==
        Code::kBadRequest);
  CHECK(Err("MngCheckKycOperation",
            R"({"customer_id":1001,"brand":"brand_a","operation":"trade"})",
            h_.ClientSession(kCustA, "brand_a")) == Code::kForbidden);
}

TEST_CASE_FIXTURE(StrictKycTest, "kyc: MngCheckKycOperation follows the brand's policy") {
  AddTemplate("brand_strict", "proof_id", R"("level":1)");
  AddTemplate("brand_a", "proof_id", R"("level":1)");
  Approve(Require(kCustA, "brand_strict", "proof_id"));
  Approve(Require(kCustA, "brand_a", "proof_id"));
  auto strict = Ok("MngCheckKycOperation",
                   R"({"customer_id":1001,"brand":"brand_strict","operation":"deposit"})");
  CHECK_FALSE(Bool(strict, "allowed"));
  CHECK(Int(strict, "required_level") == 2);
  CHECK(Int(strict, "level") == 1);
  CHECK(Str(strict, "reason") == "KYC level 1 of 2: no level-2 step attached");
  // Operations the brand does not name use the defaults; other brands too.
  CHECK(Bool(Ok("MngCheckKycOperation",
                R"({"customer_id":1001,"brand":"brand_strict","operation":"trade"})"),
             "allowed"));
  CHECK(Bool(Ok("MngCheckKycOperation",
                R"({"customer_id":1001,"brand":"brand_a","operation":"deposit"})"),
             "allowed"));
}

TEST_CASE_FIXTURE(KycTest, "kyc: a profile is answered from its cached text, and a change renders it anew") {
  AddTemplate("brand_a", "passport");
  AddTemplate("brand_a", "utility_bill");
  Require(kCustA, "brand_a", "passport");
  const int64_t id = Int(Profile(kCustA), "id");
  const std::string by_id = fmt::format(R"({{"id":{}}})", id);
  Response first = Call("MngGetKycProfile", by_id);
  Response second = Call("MngGetKycProfile", by_id);
  REQUIRE(first.status.ok());
  REQUIRE(second.status.ok());
  // Both answers share the one rendered text: no copy per read.
  CHECK(first.text().data() == second.text().data());
  CHECK(first.text() == second.text());

  Require(kCustA, "brand_a", "utility_bill");
  Response after = Call("MngGetKycProfile", by_id);
  REQUIRE(after.status.ok());
  CHECK(after.text() != first.text());
  CHECK(Strings(ParseDoc(after.text())["steps"], "code") ==
        std::vector<std::string>{"passport", "utility_bill"});
  // The answer handed out before the change is still whole: it holds its share of the text.
  CHECK(Strings(ParseDoc(first.text())["steps"], "code") == std::vector<std::string>{"passport"});
}

}  // namespace kyc
