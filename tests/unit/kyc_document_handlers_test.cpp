// MngAddKycDocument, MngGetKycDocuments, MngApproveKycDocument and MngRejectKycDocument (kyc_document_handlers.cpp), through the dispatcher.
#include "tests/unit/kyc_fixture.h"

namespace kyc {

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

TEST_CASE_FIXTURE(KycTest, "kyc: approve and reject documents, a rejected one on an approved step") {
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

}  // namespace kyc
