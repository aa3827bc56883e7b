// Document expiry (Core::ExpireDocuments): what expires and what the profile becomes, through the dispatcher.
#include "tests/unit/kyc_fixture.h"

namespace kyc {

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

}  // namespace kyc
