// MngGetKycAudit (audit_handlers.cpp) and the audit rows KYC writes leave, through the dispatcher.
#include "tests/unit/kyc_fixture.h"

namespace kyc {

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

}  // namespace kyc
