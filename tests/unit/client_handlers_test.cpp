// KycGetProfile, KycSubmitStep and KycAddDocument (client_handlers.cpp), through the dispatcher.
#include "tests/unit/kyc_fixture.h"

namespace kyc {

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

}  // namespace kyc
