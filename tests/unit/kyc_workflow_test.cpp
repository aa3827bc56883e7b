// The KYC workflow through the dispatcher: profiles, steps, documents, expiry, risk, the
// audit trail, the customer aggregate and MngCheckKycOperation (PROTOCOL.md §3, §4, §8).
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/unit/harness.h"

namespace kyc {
namespace {

using test::Bool;
using test::Contains;
using test::Harness;
using test::Int;
using test::ParseDoc;
using test::Str;

constexpr int64_t kCustA = 1001;
constexpr int64_t kCustB = 1002;

std::vector<int64_t> Ids(const rapidjson::Value& array) {
  REQUIRE(array.IsArray());
  std::vector<int64_t> ids;
  for (const auto& v : array.GetArray()) ids.push_back(v.IsObject() ? Int(v, "id") : v.GetInt64());
  return ids;
}

std::vector<std::string> Strings(const rapidjson::Value& array, const char* key) {
  REQUIRE(array.IsArray());
  std::vector<std::string> out;
  for (const auto& v : array.GetArray()) out.push_back(Str(v, key));
  return out;
}

class KycTest {
 protected:
  explicit KycTest(const CoreOptions& options = test::TestCoreOptions())
      : h_(options), staff_(h_.Session(SessionType::kManager)), manager_id_(*staff_->manager_id) {}

  Response Call(std::string_view command, const std::string& json,
                const SessionPtr& session = nullptr) {
    return h_.Run(command, json, session ? session : staff_);
  }
  // Runs a command that must succeed; returns its parsed answer.
  rapidjson::Document Ok(std::string_view command, const std::string& json,
                         const SessionPtr& session = nullptr) {
    Response r = Call(command, json, session);
    REQUIRE_MESSAGE(r.status.ok(), std::string(command), " ", json, " -> ", r.text());
    return ParseDoc(r.text());
  }
  Code Err(std::string_view command, const std::string& json, const SessionPtr& session = nullptr) {
    return Call(command, json, session).status.code();
  }

  int64_t AddTemplate(std::string_view brand, std::string_view code, std::string_view extra = "") {
    auto t = Ok("MngAddKycStepTemplate",
                fmt::format(R"({{"brand":"{}","code":"{}","name":"Step {}"{}{}}})", brand, code,
                            code, extra.empty() ? "" : ",", extra));
    return Int(t, "id");
  }
  // MngRequireKycStep by code; returns the step id.
  int64_t Require(int64_t customer, std::string_view brand, std::string_view code) {
    auto r = Ok("MngRequireKycStep", fmt::format(R"({{"customer_id":{},"brand":"{}","code":"{}"}})",
                                                 customer, brand, code));
    return Int(r["step"], "id");
  }
  rapidjson::Document Profile(int64_t customer, std::string_view brand = "brand_a") {
    return Ok("MngGetKycProfile",
              fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer, brand));
  }
  std::string StatusName(int64_t customer, std::string_view brand = "brand_a") {
    return Str(Profile(customer, brand), "status_name");
  }
  int64_t Level(int64_t customer, std::string_view brand = "brand_a") {
    return Int(Profile(customer, brand), "level");
  }
  rapidjson::Document Step(int64_t id) { return Ok("MngGetKycStep", fmt::format(R"({{"id":{}}})", id)); }

  rapidjson::Document Submit(int64_t step, const SessionPtr& client,
                             std::string_view answers = "{}") {
    return Ok("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{}}})", step, answers), client);
  }
  rapidjson::Document Approve(int64_t step) {
    return Ok("MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
  }

  // Stores a file's metadata the way /upload does, through the storage base's writer queue.
  std::string StoreFile(std::string_view owner_type, std::optional<int64_t> owner_id,
                        std::string_view owner_brand = "",
                        std::string_view name = "passport.pdf") {
    ++files_;
    StoredFile f;
    f.file_id = fmt::format("00000000-0000-4000-8000-{:012d}", files_);
    f.original_name = std::string(name);
    f.ext = "pdf";
    f.content_type = "application/pdf";
    f.size = 1000 + files_;
    f.sha256 = fmt::format("{:064x}", files_);
    f.owner_type = std::string(owner_type);
    f.owner_id = owner_id;
    f.owner_brand = std::string(owner_brand);
    f.created_at = h_.clock().Now();
    StorageBase& storage = h_.core().storage();
    auto done = std::make_shared<std::promise<Result<std::string>>>();
    auto fut = done->get_future();
    storage.writer().Submit(
        [&storage, f](WriteBatch& batch) -> Result<std::string> {
          auto row = std::make_shared<StoredFile>(f);
          row->id = storage.staged_files().StagedNextId();
          if (Status s = storage.PutFile(batch, row); !s.ok()) return s;
          return std::string("{}");
        },
        [done](Result<std::string> r) { done->set_value(std::move(r)); });
    auto r = fut.get();
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    REQUIRE(storage.files().FindFileId(f.file_id));
    return f.file_id;
  }
  std::string ClientFile(int64_t customer, std::string_view brand = "brand_a") {
    return StoreFile(kOwnerClient, customer, brand);
  }
  std::string StaffFile() { return StoreFile(kOwnerStaff, manager_id_); }

  // Waits until the customers base has run everything queued on it so far (the aggregate
  // updates that follow a KYC commit are queued before the KYC command answers).
  void FlushCustomers() {
    auto done = std::make_shared<std::promise<Result<std::string>>>();
    auto fut = done->get_future();
    h_.core().customers().writer().Submit(
        [](WriteBatch&) -> Result<std::string> { return std::string("{}"); },
        [done](Result<std::string> r) { done->set_value(std::move(r)); });
    REQUIRE(fut.get().ok());
  }
  rapidjson::Document Customer(int64_t customer, std::string_view brand = "brand_a") {
    FlushCustomers();
    return Ok("MngGetKycCustomer",
              fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer, brand));
  }

  int64_t Expire() {
    auto done = std::make_shared<std::promise<Result<int64_t>>>();
    auto fut = done->get_future();
    h_.core().ExpireDocuments([done](Result<int64_t> r) { done->set_value(std::move(r)); });
    auto r = fut.get();
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    return *r;
  }

  rapidjson::Document Audit(const std::string& json = "{}") { return Ok("MngGetKycAudit", json); }
  size_t AuditCount() { return h_.core().kyc().audit().size(); }

  Harness h_;
  SessionPtr staff_;
  int64_t manager_id_;
  int files_ = 0;
};

// A fixture whose policy asks more of brand_strict.
CoreOptions StrictOptions() {
  CoreOptions o = test::TestCoreOptions();
  o.policy.brands["brand_strict"]["deposit"] = OperationRule{2};
  return o;
}
class StrictKycTest : public KycTest {
 protected:
  StrictKycTest() : KycTest(StrictOptions()) {}
};

// ---- MngSetKycRequiredLevel -------------------------------------------------------------

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

// ---- MngRequireKycStep ------------------------------------------------------------------

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

// ---- the step cycle ---------------------------------------------------------------------

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

// ---- client isolation -------------------------------------------------------------------

TEST_CASE_FIXTURE(KycTest, "kyc: a client sees and changes only its own profile") {
  AddTemplate("brand_a", "proof_id");
  AddTemplate("brand_b", "proof_id");
  auto client_a = h_.ClientSession(kCustA, "brand_a");
  auto client_b = h_.ClientSession(kCustB, "brand_a");
  auto client_a_other_brand = h_.ClientSession(kCustA, "brand_b");

  Response none = Call("KycGetProfile", "{}", client_a);
  CHECK(none.status.code() == Code::kNotFound);

  const int64_t step_b = Require(kCustB, "brand_a", "proof_id");
  CHECK(Err("KycGetProfile", "{}", client_a) == Code::kNotFound);  // B's profile is not A's
  const int64_t step_a = Require(kCustA, "brand_a", "proof_id");
  const int64_t step_a2 = Require(kCustA, "brand_b", "proof_id");

  auto own = Ok("KycGetProfile", "{}", client_a);
  CHECK(Int(own, "customer_id") == kCustA);
  CHECK(Str(own, "brand") == "brand_a");
  CHECK(Ids(own["steps"]) == std::vector<int64_t>{step_a});
  CHECK(Ids(Ok("KycGetProfile", "{}", client_a_other_brand)["steps"]) ==
        std::vector<int64_t>{step_a2});
  CHECK(Ids(Ok("KycGetProfile", "{}", client_b)["steps"]) == std::vector<int64_t>{step_b});
  CHECK(Err("KycGetProfile", R"({"customer_id":1002})", client_a) == Code::kBadRequest);

  const size_t rows = AuditCount();
  // Another customer's step, or the same customer's step of another brand: not_found.
  Response foreign = Call("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step_b),
                          client_a);
  CHECK(foreign.status.code() == Code::kNotFound);
  CHECK(Err("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step_a), client_b) ==
        Code::kNotFound);
  CHECK(Err("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step_a),
            client_a_other_brand) == Code::kNotFound);
  // Documents: another customer's step or file, or a staff file, is not_found.
  const std::string file_a = ClientFile(kCustA);
  const std::string file_b = ClientFile(kCustB);
  const std::string file_staff = StaffFile();
  CHECK(Err("KycAddDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{}}})", file_a,
                        step_b),
            client_a) == Code::kNotFound);
  CHECK(Err("KycAddDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", file_b), client_a) ==
        Code::kNotFound);
  CHECK(Err("KycAddDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", file_staff), client_a) ==
        Code::kNotFound);
  CHECK(Err("KycAddDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", file_a),
            client_a_other_brand) == Code::kNotFound);
  CHECK(AuditCount() == rows);
  CHECK(Str(Step(step_b), "status_name") == "required");
  CHECK(Str(Step(step_a), "status_name") == "required");

  // Sessions stay in their lane.
  CHECK(Err("MngGetKycProfile", R"({"customer_id":1001,"brand":"brand_a"})", client_a) ==
        Code::kForbidden);
  CHECK(Err("MngApproveKycStep", fmt::format(R"({{"id":{}}})", step_a), client_a) ==
        Code::kForbidden);
  CHECK(Err("KycGetProfile", "{}", staff_) == Code::kForbidden);
  CHECK(Err("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step_a), staff_) ==
        Code::kForbidden);

  // The owner can.
  CHECK(Str(Submit(step_a, client_a), "status_name") == "pending");
  auto doc = Ok("KycAddDocument",
                fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{}}})", file_a,
                            step_a),
                client_a);
  CHECK(Int(doc, "step_id") == step_a);
  CHECK(Int(doc, "profile_id") == Int(own, "id"));
  CHECK(Str(doc, "status_name") == "pending");
  // Its audit rows name the client.
  auto rows_after = Audit(R"({"action":"document.add"})");
  REQUIRE(rows_after["items"].Size() == 1);
  const auto& row = rows_after["items"][0];
  CHECK(Str(row, "actor_type") == "client");
  CHECK(Int(row, "actor_id") == kCustA);
  CHECK(Str(row, "session_type") == "SESSION_CLIENT");
  CHECK(Int(row, "customer_id") == kCustA);
  CHECK(Str(row, "brand") == "brand_a");
}

// ---- answers ----------------------------------------------------------------------------

TEST_CASE_FIXTURE(KycTest, "kyc: KycSubmitStep validates answers against the form_schema") {
  AddTemplate("brand_a", "questionnaire",
              R"("form_schema":{"sections":[{"fields":[)"
              R"({"name":"full_name","type":"text","required":true},)"
              R"({"name":"dob","type":"date","required":true},)"
              R"({"name":"citizenship","type":"country"},)"
              R"({"name":"scan","type":"file_reference"},)"
              R"({"name":"employment","type":"select","options":[{"value":"employed","label":"E"}]}]}]})");
  const int64_t s = Require(kCustA, "brand_a", "questionnaire");
  auto client = h_.ClientSession(kCustA, "brand_a");
  const std::string mine = ClientFile(kCustA);
  const std::string theirs = ClientFile(kCustB);
  const std::string other_brand = ClientFile(kCustA, "brand_b");
  const std::string staff_file = StaffFile();

  auto submit = [&](const std::string& answers) {
    return Call("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{}}})", s, answers), client);
  };
  auto bad = [&](const std::string& answers, std::string_view field) {
    CAPTURE(answers);
    Response r = submit(answers);
    CHECK(r.status.code() == Code::kBadRequest);
    CHECK_MESSAGE(Contains(r.status.message(), field), r.status.message());
  };
  const size_t rows = AuditCount();
  bad(R"({"full_name":"A","dob":"2023-02-29"})", "answers.dob");
  bad(R"({"full_name":"A","dob":"1990-13-01"})", "answers.dob");
  bad(R"({"dob":"1990-01-01"})", "answers.full_name");
  bad(R"({"full_name":"","dob":"1990-01-01"})", "answers.full_name");
  bad(R"({"full_name":"A","dob":"1990-01-01","citizenship":"de"})", "answers.citizenship");
  bad(R"({"full_name":"A","dob":"1990-01-01","nickname":"x"})", "answers.nickname");
  bad(R"({"full_name":"A","dob":"1990-01-01","employment":"E"})", "answers.employment");
  bad(fmt::format(R"({{"full_name":"A","dob":"1990-01-01","scan":"{}"}})", theirs),
      "answers.scan");
  bad(fmt::format(R"({{"full_name":"A","dob":"1990-01-01","scan":"{}"}})", other_brand),
      "answers.scan");
  bad(fmt::format(R"({{"full_name":"A","dob":"1990-01-01","scan":"{}"}})", staff_file),
      "answers.scan");
  bad(R"({"full_name":"A","dob":"1990-01-01","scan":"no-such-file"})", "answers.scan");
  CHECK(Err("KycSubmitStep", fmt::format(R"({{"id":{}}})", s), client) == Code::kBadRequest);
  CHECK(Err("KycSubmitStep", fmt::format(R"({{"id":{},"answers":[]}})", s), client) ==
        Code::kBadRequest);
  CHECK(Err("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}},"x":1}})", s), client) ==
        Code::kBadRequest);
  CHECK(AuditCount() == rows);
  CHECK(Str(Step(s), "status_name") == "required");

  Response good = submit(fmt::format(
      R"({{"full_name":"Ann","dob":"2024-02-29","citizenship":"DE","scan":"{}","employment":"employed"}})",
      mine));
  REQUIRE_MESSAGE(good.status.ok(), good.text());
  auto step = ParseDoc(good.text());
  CHECK(Str(step["answers"], "scan") == mine);
  CHECK(Str(step["answers"], "dob") == "2024-02-29");

  // A deleted template still validates the answers of its steps.
  int64_t t2 = AddTemplate("brand_a", "later", R"("form_schema":{"sections":[{"fields":[)"
                                               R"({"name":"q","type":"number","required":true}]}]})");
  const int64_t s2 = Require(kCustA, "brand_a", "later");
  REQUIRE(Call("MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", t2)).status.ok());
  Response after_delete = Call("KycSubmitStep",
                               fmt::format(R"({{"id":{},"answers":{{"q":"x"}}}})", s2), client);
  CHECK(after_delete.status.code() == Code::kBadRequest);
  CHECK(Contains(after_delete.status.message(), "answers.q"));
  CHECK(Str(Submit(s2, client, R"({"q":42})"), "status_name") == "pending");
}

// ---- documents --------------------------------------------------------------------------

TEST_CASE_FIXTURE(KycTest, "kyc: MngAddKycDocument copies the file's metadata from storage") {
  AddTemplate("brand_a", "proof_id");
  const int64_t s = Require(kCustA, "brand_a", "proof_id");
  const int64_t profile = Int(Profile(kCustA), "id");
  const std::string file = ClientFile(kCustA);
  auto stored = h_.core().storage().files().FindFileId(file);
  REQUIRE(stored);
  const int64_t expires = h_.clock().Now() + 86400;

  auto d = Ok("MngAddKycDocument",
              fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport",)"
                          R"("step_id":{},"doc_number":"X123","expires_at":{}}})",
                          profile, file, s, expires));
  CHECK(Int(d, "profile_id") == profile);
  CHECK(Int(d, "step_id") == s);
  CHECK(Str(d, "file_id") == file);
  CHECK(Str(d, "doc_type") == "passport");
  CHECK(Str(d, "doc_number") == "X123");
  CHECK(Str(d, "file_name") == stored->original_name);
  CHECK(Str(d, "file_name") == "passport.pdf");
  CHECK(Str(d, "content_type") == "application/pdf");
  CHECK(Int(d, "file_size") == stored->size);
  CHECK(Str(d, "checksum") == stored->sha256);
  CHECK(Int(d, "status") == 1);
  CHECK(Str(d, "status_name") == "pending");
  CHECK(d["reject_reason"].IsNull());
  CHECK(Int(d, "expires_at") == expires);
  CHECK(Int(d, "created_at") == h_.clock().Now());
  // It is in the profile and in the step.
  CHECK(Ids(Profile(kCustA)["documents"]) == std::vector<int64_t>{Int(d, "id")});
  CHECK(Ids(Step(s)["documents"]) == std::vector<int64_t>{Int(d, "id")});
  // A pending document on a required step leaves the profile a draft.
  CHECK(StatusName(kCustA) == "draft");

  // The metadata fields are never taken from the request.
  const size_t rows = AuditCount();
  for (const char* field : {R"("file_name":"x.pdf")", R"("content_type":"image/png")",
                            R"("file_size":5)", R"("checksum":"abc")"}) {
    CAPTURE(field);
    Response r = Call("MngAddKycDocument",
                      fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport",{}}})",
                                  profile, file, field));
    CHECK(r.status.code() == Code::kBadRequest);
    std::string name(field);
    name = name.substr(1, name.find('"', 1) - 1);
    CHECK(Contains(r.status.message(), name));
  }
  // Other refusals.
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"profile_id":{},"file_id":"no-such-file","doc_type":"passport"}})",
                        profile)) == Code::kNotFound);
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"profile_id":999,"file_id":"{}","doc_type":"passport"}})", file)) ==
        Code::kNotFound);
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"profile_id":{},"file_id":"{}"}})", profile, file)) ==
        Code::kBadRequest);
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport",)"
                        R"("customer_id":1001,"brand":"brand_a"}})",
                        profile, file)) == Code::kBadRequest);
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"p","expires_at":0}})",
                        profile, file)) == Code::kBadRequest);
  CHECK(Err("MngAddKycDocument", fmt::format(R"({{"file_id":"{}","doc_type":"p"}})", file)) ==
        Code::kBadRequest);
  CHECK(AuditCount() == rows);

  // (customer_id, brand) of an existing profile finds it; a staff file may go anywhere.
  const std::string staff_file = StaffFile();
  auto by_key = Ok("MngAddKycDocument",
                   fmt::format(R"({{"customer_id":1001,"brand":"brand_a","file_id":"{}",)"
                               R"("doc_type":"utility_bill"}})",
                               staff_file));
  CHECK(Int(by_key, "profile_id") == profile);
  CHECK(by_key["step_id"].IsNull());
  CHECK(by_key["expires_at"].IsNull());
  CHECK(by_key["doc_number"].IsNull());
  // A new profile is created on demand; a document without a step does not give it a status.
  auto fresh = Ok("MngAddKycDocument",
                  fmt::format(R"({{"customer_id":3003,"brand":"brand_a","file_id":"{}",)"
                              R"("doc_type":"utility_bill"}})",
                              staff_file));
  auto fresh_profile = Profile(3003);
  CHECK(Int(fresh, "profile_id") == Int(fresh_profile, "id"));
  CHECK(Str(fresh_profile, "status_name") == "none");
  CHECK(fresh_profile["documents"].Size() == 1);
}

TEST_CASE_FIXTURE(KycTest, "kyc: MngAddKycDocument refuses another customer's file and step") {
  AddTemplate("brand_a", "proof_id");
  const int64_t s_a = Require(kCustA, "brand_a", "proof_id");
  const int64_t s_b = Require(kCustB, "brand_a", "proof_id");
  const int64_t profile_a = Int(Profile(kCustA), "id");
  const std::string file_b = ClientFile(kCustB);
  const std::string file_a_other_brand = ClientFile(kCustA, "brand_b");
  const std::string file_a = ClientFile(kCustA);
  const size_t rows = AuditCount();

  // Another customer's file: forbidden for staff.
  Response r = Call("MngAddKycDocument",
                    fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport"}})",
                                profile_a, file_b));
  CHECK(r.status.code() == Code::kForbidden);
  CHECK(Contains(r.status.message(), file_b));
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"customer_id":1001,"brand":"brand_a","file_id":"{}",)"
                        R"("doc_type":"passport"}})",
                        file_b)) == Code::kForbidden);
  // The same customer's file of another brand belongs to another (customer, brand).
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport"}})", profile_a,
                        file_a_other_brand)) == Code::kForbidden);
  // A step of another profile: not_found.
  Response step = Call("MngAddKycDocument",
                       fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport",)"
                                   R"("step_id":{}}})",
                                   profile_a, file_a, s_b));
  CHECK(step.status.code() == Code::kNotFound);
  CHECK(Contains(step.status.message(), fmt::format("step {}", s_b)));
  CHECK(AuditCount() == rows);

  // The same refusals for a customer that has no profile yet: nothing is created, and the
  // kyc base keeps taking writes.
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"customer_id":3003,"brand":"brand_a","file_id":"{}",)"
                        R"("doc_type":"passport"}})",
                        file_b)) == Code::kForbidden);
  CHECK(Err("MngAddKycDocument",
            fmt::format(R"({{"customer_id":3003,"brand":"brand_a","file_id":"{}",)"
                        R"("doc_type":"passport","step_id":{}}})",
                        StaffFile(), s_a)) == Code::kNotFound);
  CHECK(Err("MngGetKycProfile", R"({"customer_id":3003,"brand":"brand_a"})") == Code::kNotFound);
  CHECK(AuditCount() == rows);
  CHECK_FALSE(h_.core().kyc().writer().failed());
  FlushCustomers();  // nor was the aggregate of the profile that was never created written
  CHECK(Err("MngGetKycCustomer", R"({"customer_id":3003,"brand":"brand_a"})") ==
        Code::kNotFound);
  auto ok = Ok("MngAddKycDocument",
               fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport",)"
                           R"("step_id":{}}})",
                           profile_a, file_a, s_a));
  CHECK(Int(ok, "step_id") == s_a);
}

TEST_CASE_FIXTURE(KycTest, "kyc: KycAddDocument attaches the client's own upload") {
  AddTemplate("brand_a", "proof_id");
  auto client = h_.ClientSession(kCustA, "brand_a");
  const std::string file = ClientFile(kCustA);
  // No profile yet.
  CHECK(Err("KycAddDocument", fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", file),
            client) == Code::kNotFound);
  const int64_t s = Require(kCustA, "brand_a", "proof_id");
  CHECK(Err("KycAddDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport","file_size":1}})", file),
            client) == Code::kBadRequest);
  CHECK(Err("KycAddDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport","profile_id":1}})", file),
            client) == Code::kBadRequest);
  auto d = Ok("KycAddDocument",
              fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{},)"
                          R"("doc_number":"P-1","expires_at":{}}})",
                          file, s, h_.clock().Now() + 1000),
              client);
  CHECK(Int(d, "step_id") == s);
  CHECK(Str(d, "doc_number") == "P-1");
  CHECK(Str(d, "checksum") == h_.core().storage().files().FindFileId(file)->sha256);
  CHECK(Int(d, "file_size") == h_.core().storage().files().FindFileId(file)->size);
  CHECK(Ids(Ok("KycGetProfile", "{}", client)["documents"]) ==
        std::vector<int64_t>{Int(d, "id")});
}

TEST_CASE_FIXTURE(KycTest, "kyc: approve and reject documents; a rejected one on an approved step") {
  AddTemplate("brand_a", "proof_id");
  const int64_t s = Require(kCustA, "brand_a", "proof_id");
  Approve(s);
  CHECK(StatusName(kCustA) == "approved");
  CHECK(Level(kCustA) == 1);
  const int64_t profile = Int(Profile(kCustA), "id");
  auto add = [&]() {
    return Int(Ok("MngAddKycDocument",
                  fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport",)"
                              R"("step_id":{}}})",
                              profile, ClientFile(kCustA), s)),
               "id");
  };
  const int64_t d1 = add();
  CHECK(StatusName(kCustA) == "approved");  // a pending document changes nothing

  auto ok = Ok("MngApproveKycDocument", fmt::format(R"({{"id":{},"comment":"looks fine"}})", d1));
  CHECK(Int(ok, "status") == 2);
  CHECK(Str(ok, "status_name") == "approved");
  CHECK(StatusName(kCustA) == "approved");
  auto approve_row = Audit(fmt::format(R"({{"entity":"document","entity_id":{},)"
                                       R"("action":"document.approve"}})",
                                       d1));
  REQUIRE(approve_row["items"].Size() == 1);
  CHECK(Str(approve_row["items"][0], "reason") == "looks fine");
  CHECK(Int(approve_row["items"][0]["before"], "status") == 1);
  CHECK(Int(approve_row["items"][0]["after"], "status") == 2);
  Response again = Call("MngApproveKycDocument", fmt::format(R"({{"id":{}}})", d1));
  CHECK(again.status.code() == Code::kConflict);
  CHECK(Contains(again.status.message(), fmt::format("document {} is approved", d1)));
  CHECK(Err("MngRejectKycDocument", fmt::format(R"({{"id":{},"reason":"r"}})", d1)) ==
        Code::kConflict);

  const int64_t d2 = add();
  CHECK(Err("MngRejectKycDocument", fmt::format(R"({{"id":{}}})", d2)) == Code::kBadRequest);
  CHECK(Err("MngRejectKycDocument", fmt::format(R"({{"id":{},"reason":" "}})", d2)) ==
        Code::kBadRequest);
  auto rej = Ok("MngRejectKycDocument", fmt::format(R"({{"id":{},"reason":"expired passport"}})", d2));
  CHECK(Int(rej, "status") == 3);
  CHECK(Str(rej, "status_name") == "rejected");
  CHECK(Str(rej, "reject_reason") == "expired passport");
  auto prof = Profile(kCustA);
  CHECK(Str(prof, "status_name") == "review_required");
  CHECK(Int(prof, "status") == 6);
  CHECK(Int(prof, "level") == 1);  // the level follows the steps
  auto cust = Customer(kCustA);
  CHECK(Int(cust, "kyc_status") == 6);
  CHECK(Str(cust, "kyc_status_name") == "review_required");
  CHECK(Err("MngApproveKycDocument", fmt::format(R"({{"id":{}}})", d2)) == Code::kConflict);
  CHECK(Err("MngApproveKycDocument", R"({"id":999})") == Code::kNotFound);
  CHECK(Err("MngRejectKycDocument", R"({"id":999,"reason":"r"})") == Code::kNotFound);
  auto recalc = Audit(R"({"action":"profile.recalculate","customer_id":1001})");
  REQUIRE(recalc["items"].Size() >= 1);
  const auto& last = recalc["items"][recalc["items"].Size() - 1];
  CHECK(Str(last["before"], "status_name") == "approved");
  CHECK(Str(last["after"], "status_name") == "review_required");
}

// ---- expiry -----------------------------------------------------------------------------

TEST_CASE_FIXTURE(KycTest, "kyc: expired documents expire their active step's profile") {
  AddTemplate("brand_a", "proof_id");
  const int64_t start = h_.clock().Now();
  // Customer A: an approved step with documents expiring at different times.
  const int64_t s = Require(kCustA, "brand_a", "proof_id");
  Approve(s);
  const int64_t pa = Int(Profile(kCustA), "id");
  auto add = [&](int64_t profile, int64_t customer, std::optional<int64_t> step,
                 std::optional<int64_t> expires) {
    std::string json = fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport")",
                                   profile, ClientFile(customer));
    if (step) json += fmt::format(R"(,"step_id":{})", *step);
    if (expires) json += fmt::format(R"(,"expires_at":{})", *expires);
    json += "}";
    return Int(Ok("MngAddKycDocument", json), "id");
  };
  const int64_t due = add(pa, kCustA, s, start + 100);
  const int64_t later = add(pa, kCustA, s, start + 1000);
  const int64_t loose = add(pa, kCustA, std::nullopt, start + 100);
  const int64_t never = add(pa, kCustA, s, std::nullopt);
  // Customer B: its due document was rejected first; rejected documents do not expire.
  const int64_t sb = Require(kCustB, "brand_a", "proof_id");
  Approve(sb);
  const int64_t pb = Int(Profile(kCustB), "id");
  const int64_t rejected = add(pb, kCustB, sb, start + 100);
  REQUIRE(Call("MngRejectKycDocument", fmt::format(R"({{"id":{},"reason":"r"}})", rejected))
              .status.ok());
  CHECK(StatusName(kCustB) == "review_required");
  CHECK(StatusName(kCustA) == "approved");

  CHECK(Expire() == 0);  // nothing is due yet
  h_.clock().Set(start + 99);
  CHECK(Expire() == 0);

  h_.clock().Set(start + 100);  // at expires_at: due
  const size_t rows = AuditCount();
  CHECK(Expire() == 2);
  auto docs = Ok("MngGetKycDocuments", fmt::format(R"({{"profile_id":{}}})", pa));
  std::map<int64_t, std::string> status;
  for (const auto& d : docs["items"].GetArray()) status[Int(d, "id")] = Str(d, "status_name");
  CHECK(status[due] == "expired");
  CHECK(status[loose] == "expired");
  CHECK(status[later] == "pending");
  CHECK(status[never] == "pending");
  CHECK(Str(Ok("MngGetKycDocuments", fmt::format(R"({{"profile_id":{}}})", pb))["items"][0],
            "status_name") == "rejected");

  // The audit rows name the system.
  auto expired_rows = Audit(R"({"action":"document.expire"})");
  REQUIRE(expired_rows["items"].Size() == 2);
  std::vector<int64_t> entity_ids;
  for (const auto& row : expired_rows["items"].GetArray()) {
    CHECK(Str(row, "actor_type") == "system");
    CHECK(row["actor_id"].IsNull());
    CHECK(row["session_type"].IsNull());
    CHECK(Str(row, "entity") == "document");
    CHECK(Int(row, "customer_id") == kCustA);
    CHECK(Int(row, "at") == start + 100);
    CHECK(Int(row["before"], "status") == 1);
    CHECK(Int(row["after"], "status") == 4);
    CHECK(Int(row["after"], "updated_at") == start + 100);
    entity_ids.push_back(Int(row, "entity_id"));
  }
  CHECK(entity_ids == std::vector<int64_t>{due, loose});
  // Two documents, one profile recalculation.
  CHECK(AuditCount() == rows + 3);

  auto prof = Profile(kCustA);
  CHECK(Str(prof, "status_name") == "expired");
  CHECK(Int(prof, "status") == 5);
  CHECK(Int(prof, "level") == 1);
  CHECK(Str(Customer(kCustA), "kyc_status_name") == "expired");
  CHECK(StatusName(kCustB) == "review_required");
  auto check = Ok("MngCheckKycOperation",
                  R"({"customer_id":1001,"brand":"brand_a","operation":"deposit"})");
  CHECK_FALSE(Bool(check, "allowed"));
  CHECK(Contains(Str(check, "reason"), "expired"));

  // Each document expires once.
  CHECK(Expire() == 0);
  h_.clock().Set(start + 1000);
  CHECK(Expire() == 1);
  CHECK(Audit(R"({"action":"document.expire"})")["items"].Size() == 3);
}

TEST_CASE_FIXTURE(KycTest, "kyc: an expired document of a pending step expires the profile") {
  AddTemplate("brand_a", "proof_id");
  const int64_t s = Require(kCustA, "brand_a", "proof_id");
  auto client = h_.ClientSession(kCustA, "brand_a");
  const int64_t start = h_.clock().Now();
  Ok("KycAddDocument",
     fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{},"expires_at":{}}})",
                 ClientFile(kCustA), s, start + 50),
     client);
  Submit(s, client);
  CHECK(StatusName(kCustA) == "pending");
  h_.clock().Advance(60);
  CHECK(Expire() == 1);
  CHECK(StatusName(kCustA) == "expired");
}

// ---- lists ------------------------------------------------------------------------------

TEST_CASE_FIXTURE(KycTest, "kyc: MngGetKycDocuments filters, pages and counts") {
  AddTemplate("brand_a", "proof_id");
  AddTemplate("brand_b", "proof_id");
  const int64_t start = h_.clock().Now();
  const int64_t s1 = Require(kCustA, "brand_a", "proof_id");
  const int64_t s2 = Require(kCustA, "brand_b", "proof_id");
  const int64_t s3 = Require(kCustB, "brand_a", "proof_id");
  const int64_t p1 = Int(Profile(kCustA, "brand_a"), "id");
  const int64_t p2 = Int(Profile(kCustA, "brand_b"), "id");
  const int64_t p3 = Int(Profile(kCustB, "brand_a"), "id");
  const std::string staff_file = StaffFile();
  auto add = [&](int64_t profile, std::optional<int64_t> step, std::optional<int64_t> expires) {
    std::string json = fmt::format(R"({{"profile_id":{},"file_id":"{}","doc_type":"passport")",
                                   profile, staff_file);
    if (step) json += fmt::format(R"(,"step_id":{})", *step);
    if (expires) json += fmt::format(R"(,"expires_at":{})", *expires);
    return Int(Ok("MngAddKycDocument", json + "}"), "id");
  };
  const int64_t d1 = add(p1, s1, start + 1000);
  const int64_t d2 = add(p1, std::nullopt, std::nullopt);
  const int64_t d3 = add(p2, s2, start + 2000);
  const int64_t d4 = add(p3, s3, start + 500);
  const int64_t d5 = add(p1, s1, std::nullopt);
  REQUIRE(Call("MngApproveKycDocument", fmt::format(R"({{"id":{}}})", d2)).status.ok());
  REQUIRE(Call("MngRejectKycDocument", fmt::format(R"({{"id":{},"reason":"r"}})", d3))
              .status.ok());

  auto list = [&](const std::string& json, int64_t* total = nullptr) {
    auto r = Ok("MngGetKycDocuments", json);
    if (total) *total = Int(r, "total");
    return Ids(r["items"]);
  };
  using V = std::vector<int64_t>;
  int64_t total = -1;
  CHECK(list("{}", &total) == V{d1, d2, d3, d4, d5});
  CHECK(total == 5);
  CHECK(list(fmt::format(R"({{"profile_id":{}}})", p1), &total) == V{d1, d2, d5});
  CHECK(total == 3);
  CHECK(list(fmt::format(R"({{"profile_id":{}}})", p2)) == V{d3});
  CHECK(list(R"({"profile_id":999})", &total).empty());
  CHECK(total == 0);
  // customer_id covers the customer's profiles of every brand.
  CHECK(list(R"({"customer_id":1001})", &total) == V{d1, d2, d3, d5});
  CHECK(total == 4);
  CHECK(list(R"({"customer_id":1002})") == V{d4});
  CHECK(list(R"({"customer_id":4242})", &total).empty());
  CHECK(total == 0);
  CHECK(list(fmt::format(R"({{"step_id":{}}})", s1)) == V{d1, d5});
  CHECK(list(fmt::format(R"({{"step_id":{}}})", s3)) == V{d4});
  CHECK(list(R"({"status":1})") == V{d1, d4, d5});
  CHECK(list(R"({"status":2})") == V{d2});
  CHECK(list(R"({"status":3})") == V{d3});
  CHECK(list(R"({"status":4})").empty());
  // expires_before: strictly earlier; documents without expires_at never match.
  CHECK(list(fmt::format(R"({{"expires_before":{}}})", start + 500)).empty());
  CHECK(list(fmt::format(R"({{"expires_before":{}}})", start + 501)) == V{d4});
  CHECK(list(fmt::format(R"({{"expires_before":{}}})", start + 1001)) == V{d1, d4});
  CHECK(list(fmt::format(R"({{"expires_before":{}}})", start + 5000)) == V{d1, d3, d4});
  // Combinations.
  CHECK(list(fmt::format(R"({{"customer_id":1001,"expires_before":{}}})", start + 5000)) ==
        V{d1, d3});
  CHECK(list(R"({"customer_id":1001,"status":1})") == V{d1, d5});
  CHECK(list(fmt::format(R"({{"profile_id":{},"step_id":{}}})", p1, s3)).empty());
  CHECK(list(fmt::format(R"({{"profile_id":{},"status":2}})", p1)) == V{d2});
  // Paging: total counts every match.
  CHECK(list(R"({"limit":2})", &total) == V{d1, d2});
  CHECK(total == 5);
  CHECK(list(R"({"offset":2,"limit":2})", &total) == V{d3, d4});
  CHECK(total == 5);
  CHECK(list(R"({"offset":4})") == V{d5});
  CHECK(list(R"({"offset":5})", &total).empty());
  CHECK(total == 5);
  CHECK(list(R"({"customer_id":1001,"offset":1,"limit":2})", &total) == V{d2, d3});
  CHECK(total == 4);
  CHECK(list(R"({"status":1,"offset":1,"limit":1})", &total) == V{d4});
  CHECK(total == 3);
  for (const char* bad : {R"({"status":6})", R"({"status":-1})", R"({"limit":0})",
                          R"({"limit":1001})", R"({"offset":-1})", R"({"brand":"brand_a"})",
                          R"({"profile_id":"1"})"}) {
    CAPTURE(bad);
    CHECK(Err("MngGetKycDocuments", bad) == Code::kBadRequest);
  }
}

TEST_CASE_FIXTURE(KycTest, "kyc: MngGetKycProfiles filters, pages and counts; no children") {
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

// ---- risk -------------------------------------------------------------------------------

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
    auto set = Ok("MngSetKycRiskLevel",
                  fmt::format(R"({{"id":{},"risk_level":{},"reason":"r"}})", p, level));
    CHECK(Int(set, "risk_level") == level);
    CHECK(Int(Customer(kCustA), "kyc_risk_level") == level);
  }
}

// ---- audit ------------------------------------------------------------------------------

TEST_CASE_FIXTURE(KycTest, "kyc: MngGetKycAudit filters and pages by after_id") {
  AddTemplate("brand_a", "proof_id");  // audit row 1, no customer
  const int64_t t0 = h_.clock().Now();
  const int64_t s = Require(kCustA, "brand_a", "proof_id");
  h_.clock().Advance(10);
  auto client = h_.ClientSession(kCustA, "brand_a");
  Submit(s, client);
  h_.clock().Advance(10);
  Approve(s);
  h_.clock().Advance(10);
  const int64_t sb = Require(kCustB, "brand_a", "proof_id");

  auto all = Audit();
  const auto& items = all["items"];
  REQUIRE(items.Size() >= 8);
  int64_t prev = 0;
  for (const auto& row : items.GetArray()) {
    CHECK(Int(row, "id") > prev);
    prev = Int(row, "id");
    for (const char* key : {"at", "actor_type", "actor_id", "session_type", "action", "entity",
                            "entity_id", "customer_id", "brand", "before", "after", "reason"}) {
      CAPTURE(key);
      CHECK(row.HasMember(key));
    }
  }
  CHECK(Int(all, "last_id") == prev);
  CHECK(Str(items[0], "action") == "template.create");
  CHECK(items[0]["customer_id"].IsNull());
  const size_t n = items.Size();

  // customer_id
  auto a = Audit(R"({"customer_id":1001})");
  CHECK(Strings(a["items"], "action") ==
        std::vector<std::string>{"profile.create", "step.require", "profile.recalculate",
                                 "step.submit", "profile.recalculate", "step.approve",
                                 "profile.recalculate"});
  for (const auto& row : a["items"].GetArray()) CHECK(Int(row, "customer_id") == kCustA);
  auto b = Audit(R"({"customer_id":1002})");
  CHECK(b["items"].Size() == 3);
  CHECK(Audit(R"({"customer_id":9})")["items"].Empty());
  CHECK(Int(Audit(R"({"customer_id":9})"), "last_id") == 0);

  // entity, entity_id, action
  auto steps = Audit(R"({"entity":"step"})");
  CHECK(steps["items"].Size() == 4);
  for (const auto& row : steps["items"].GetArray()) CHECK(Str(row, "entity") == "step");
  auto one = Audit(fmt::format(R"({{"entity":"step","entity_id":{}}})", s));
  CHECK(Strings(one["items"], "action") ==
        std::vector<std::string>{"step.require", "step.submit", "step.approve"});
  auto other = Audit(fmt::format(R"({{"entity":"step","entity_id":{}}})", sb));
  CHECK(Strings(other["items"], "action") == std::vector<std::string>{"step.require"});
  CHECK(Audit(fmt::format(R"({{"entity":"document","entity_id":{}}})", s))["items"].Empty());
  auto by_id = Audit(fmt::format(R"({{"entity_id":{}}})", s));  // any entity with that id
  for (const auto& row : by_id["items"].GetArray()) CHECK(Int(row, "entity_id") == s);
  auto approve = Audit(R"({"action":"step.approve"})");
  REQUIRE(approve["items"].Size() == 1);
  const auto& ar = approve["items"][0];
  CHECK(Str(ar, "actor_type") == "staff");
  CHECK(Int(ar, "actor_id") == manager_id_);
  CHECK(Str(ar, "session_type") == "SESSION_MANAGER");
  CHECK(Int(ar, "entity_id") == s);
  CHECK(Str(ar["before"], "status_name") == "pending");
  CHECK(Str(ar["after"], "status_name") == "approved");
  CHECK(ar["reason"].IsNull());
  auto submit = Audit(R"({"action":"step.submit","customer_id":1001})");
  REQUIRE(submit["items"].Size() == 1);
  CHECK(Str(submit["items"][0], "actor_type") == "client");
  CHECK(Int(submit["items"][0], "actor_id") == kCustA);
  CHECK(Str(submit["items"][0], "session_type") == "SESSION_CLIENT");
  auto require_row = Audit(fmt::format(R"({{"action":"step.require","entity_id":{}}})", s));
  REQUIRE(require_row["items"].Size() == 1);
  CHECK(require_row["items"][0]["before"].IsNull());  // null for a create
  CHECK(Audit(R"({"action":"step.require","customer_id":1002})")["items"].Size() == 1);
  CHECK(Audit(R"({"action":"no.such"})")["items"].Empty());

  // from / to bound `at` inclusively.
  auto at = [&](const std::string& json) {
    std::vector<int64_t> ats;
    auto doc = Audit(json);  // the rows live as long as the document
    for (const auto& row : doc["items"].GetArray()) ats.push_back(Int(row, "at"));
    return ats;
  };
  CHECK(at(fmt::format(R"({{"from":{},"to":{}}})", t0 + 10, t0 + 10)) ==
        std::vector<int64_t>{t0 + 10, t0 + 10});  // step.submit + profile.recalculate
  CHECK(at(fmt::format(R"({{"from":{}}})", t0 + 30)) == std::vector<int64_t>{t0 + 30, t0 + 30, t0 + 30});
  CHECK(at(fmt::format(R"({{"from":{},"to":{}}})", t0 + 11, t0 + 29)) ==
        std::vector<int64_t>{t0 + 20, t0 + 20});
  CHECK(at(fmt::format(R"({{"to":{}}})", t0 - 1)).empty());
  CHECK(at(fmt::format(R"({{"to":{}}})", t0)).size() == 4);  // template + require (3 rows)
  CHECK(at(fmt::format(R"({{"from":{},"to":{},"customer_id":1002}})", t0, t0 + 29)).empty());

  // after_id paging: the pages add up to everything, in order.
  std::vector<int64_t> paged;
  int64_t after = 0;
  for (int page = 0; page < 100; ++page) {
    auto r = Audit(fmt::format(R"({{"after_id":{},"limit":3}})", after));
    auto ids = Ids(r["items"]);
    CHECK(ids.size() <= 3);
    if (ids.empty()) {
      CHECK(Int(r, "last_id") == after);
      break;
    }
    CHECK(Int(r, "last_id") == ids.back());
    paged.insert(paged.end(), ids.begin(), ids.end());
    after = Int(r, "last_id");
  }
  CHECK(paged == Ids(items));
  CHECK(paged.size() == n);
  // after_id with a filter.
  auto a_ids = Ids(a["items"]);
  auto a_page = Audit(fmt::format(R"({{"customer_id":1001,"after_id":{},"limit":2}})", a_ids[2]));
  CHECK(Ids(a_page["items"]) == std::vector<int64_t>{a_ids[3], a_ids[4]});
  CHECK(Int(a_page, "last_id") == a_ids[4]);
  CHECK(Audit(R"({"limit":1})")["items"].Size() == 1);
  CHECK(Audit(R"({"limit":1000})")["items"].Size() == n);
  for (const char* bad : {R"({"limit":0})", R"({"limit":1001})", R"({"after_id":"1"})",
                          R"({"brand":"brand_a"})", R"({"entity":5})"}) {
    CAPTURE(bad);
    CHECK(Err("MngGetKycAudit", bad) == Code::kBadRequest);
  }
}

// ---- customer aggregate -----------------------------------------------------------------

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

// ---- MngCheckKycOperation ---------------------------------------------------------------

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
  CHECK(Contains(Str(none, "reason"), "no KYC profile"));
  CHECK(Str(none, "operation") == "deposit");
  CHECK(Int(none, "required_level") == 1);
  CHECK(Int(none, "level") == 0);
  CHECK(Int(none, "status") == 0);
  CHECK(Str(none, "status_name") == "none");

  auto set = Ok("MngSetKycRequiredLevel", R"({"customer_id":1001,"brand":"brand_a","level":2})");
  auto steps = Ids(set["attached"]);
  REQUIRE(steps.size() == 2);
  CHECK(Str(check(kCustA, "deposit"), "reason") == "KYC level 0 of 1: proof_id required");

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
  Ok("MngSetKycRiskLevel", fmt::format(R"({{"id":{},"risk_level":3,"reason":"reviewed"}})", p));
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

}  // namespace
}  // namespace kyc
