// The KYC workflow against the real server: staff over TCP, the customer over HTTP with a
// client token. A whole review cycle from the required level to approved and on to a
// rejection, customers that cannot see each other, and REST answering exactly what TCP
// answers for the same object.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

constexpr std::string_view kIdentitySchema = R"({"sections":[
  {"title":"Identity","fields":[
    {"name":"full_name","type":"text","required":true},
    {"name":"birth_date","type":"date","required":true},
    {"name":"citizenship","type":"country","required":true},
    {"name":"id_kind","type":"select","required":true,
     "options":[{"value":"passport","label":"Passport"},{"value":"id_card","label":"ID card"}]}]},
  {"title":"Scan","fields":[
    {"name":"scan","type":"file_reference","required":true},
    {"name":"notes","type":"textarea"}]}]})";

constexpr std::string_view kAddressSchema = R"({"sections":[{"title":"Address","fields":[
    {"name":"address","type":"textarea","required":true},
    {"name":"country","type":"country","required":true}]}]})";

struct KycFixture : RunningServer {
  KycFixture() {
    staff = AdminClient(server);
    admin_id = AdminId();
  }

  int64_t AdminId() {
    auto d = CallOk(*staff, "MngGetManagers", "{}");
    for (const auto& m : d["items"].GetArray()) {
      if (StrField(m, "login") == "admin") return IntField(m, "id");
    }
    FAIL("no admin account");
    return -1;
  }

  // The level-1 identity template and the level-2 address template of brand acme, plus
  // templates that must never be attached by MngSetKycRequiredLevel for acme: another
  // brand's, an optional one and an inactive one.
  void AddTemplates() {
    identity_tid = IntField(
        CallOk(*staff, "MngAddKycStepTemplate",
               fmt::format(R"({{"brand":"acme","code":"proof_id","name":"Proof of identity",)"
                           R"("level":1,"form_schema":{}}})",
                           kIdentitySchema)),
        "id");
    address_tid = IntField(
        CallOk(*staff, "MngAddKycStepTemplate",
               fmt::format(R"({{"brand":"acme","code":"proof_address","name":"Proof of address",)"
                           R"("level":2,"form_schema":{}}})",
                           kAddressSchema)),
        "id");
    CallOk(*staff, "MngAddKycStepTemplate",
           R"({"brand":"other","code":"proof_id","name":"Other brand","level":1})");
    CallOk(*staff, "MngAddKycStepTemplate",
           R"({"brand":"acme","code":"source_of_funds","name":"Optional","level":1,"required":false})");
    CallOk(*staff, "MngAddKycStepTemplate",
           R"({"brand":"acme","code":"selfie","name":"Inactive","level":1,"active":false})");
  }

  rapidjson::Document Check(int64_t customer_id, std::string_view operation) {
    return CallOk(*staff, "MngCheckKycOperation",
                  fmt::format(R"({{"customer_id":{},"brand":"acme","operation":"{}"}})",
                              customer_id, operation));
  }

  rapidjson::Document Profile(int64_t customer_id, std::string_view brand = "acme") {
    return CallOk(*staff, "MngGetKycProfile",
                  fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer_id, brand));
  }

  rapidjson::Document Step(int64_t id) {
    return CallOk(*staff, "MngGetKycStep", fmt::format(R"({{"id":{}}})", id));
  }

  // Waits until the customer aggregate shows the status, level and risk level.
  void ExpectCustomer(int64_t customer_id, int status, int level, int risk = 0) {
    std::string last;
    bool ok = Eventually([&] {
      Reply r = MustCall(*staff, "MngGetKycCustomer",
                         fmt::format(R"({{"customer_id":{},"brand":"acme"}})", customer_id));
      last = r.body;
      if (!r.ok()) return false;
      auto d = Json(r.body);
      return IntField(d, "kyc_status") == status && IntField(d, "kyc_level") == level &&
             IntField(d, "kyc_risk_level") == risk;
    });
    CHECK_MESSAGE(ok, "customer " << customer_id << " aggregate: " << last << " (want status "
                                  << status << ", level " << level << ", risk " << risk << ")");
  }

  std::unique_ptr<TcpClient> staff;
  int64_t admin_id = -1;
  int64_t identity_tid = 0;
  int64_t address_tid = 0;
};

// Checks an HTTP error: status, error.code, and that the message names `field`.
void CheckHttpError(const HttpResponse& r, int status, std::string_view code,
                    std::string_view field = {}) {
  INFO("response: ", r.status, " ", r.body, r.error);
  CHECK(r.status == status);
  CHECK(ErrorCode(r.body) == code);
  if (!field.empty()) CHECK(ErrorMessage(r.body).find(field) != std::string::npos);
}

std::string SubmitPath(int64_t step_id) {
  return fmt::format("/client/kyc/steps/{}/submit", step_id);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The actions of a step's history, comma separated.
std::string HistoryActions(const rapidjson::Value& step) {
  std::vector<std::string> out;
  for (const auto& h : step["history"].GetArray()) out.push_back(StrField(h, "action"));
  return Join(out);
}

}  // namespace

TEST_SUITE_BEGIN("kyc");

TEST_CASE_FIXTURE(KycFixture, "a whole review cycle: required level to approved, then rejected") {
  constexpr int64_t kCustomer = 42;
  AddTemplates();

  // No profile yet: nothing is allowed, and the reason says why (the account status
  // first, issue 15).
  auto check = Check(kCustomer, "deposit");
  CHECK_FALSE(check["allowed"].GetBool());
  CHECK(StrField(check, "reason") == "account registered (no KYC step submitted yet): deposit not allowed");

  // A deposit rule fires: level 1 is required. Only acme's active, required level-1
  // template is attached.
  auto set = CallOk(*staff, "MngSetKycRequiredLevel",
                    R"({"customer_id":42,"brand":"acme","level":1})");
  REQUIRE(set["attached"].Size() == 1);
  const int64_t step1 = set["attached"][0].GetInt64();
  const auto& profile = set["profile"];
  const int64_t profile_id = IntField(profile, "id");
  CHECK(IntField(profile, "customer_id") == kCustomer);
  CHECK(IntField(profile, "status") == 1);
  CHECK(StrField(profile, "status_name") == "draft");
  CHECK(IntField(profile, "required_level") == 1);
  CHECK(IntField(profile, "level") == 0);
  REQUIRE(profile["steps"].Size() == 1);
  CHECK(IntField(profile["steps"][0], "id") == step1);
  CHECK(StrField(profile["steps"][0], "code") == "proof_id");
  CHECK(IntField(profile["steps"][0], "template_id") == identity_tid);
  CHECK(StrField(profile["steps"][0], "status_name") == "required");

  check = Check(kCustomer, "deposit");
  CHECK_FALSE(check["allowed"].GetBool());
  CHECK(StrField(check, "reason") == "account registered (no KYC step submitted yet): deposit not allowed");
  ExpectCustomer(kCustomer, 1, 0);

  // The customer, through the portal's client token.
  auto client = HttpWithToken(server, ClientToken(*staff, kCustomer, "acme"));
  HttpResponse r = client->Request("GET", "/client/kyc/profile");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(IntField(Json(r.body), "id") == profile_id);
  CHECK(IntField(Json(r.body)["steps"][0], "id") == step1);

  auto upload = UploadOk(*client, "passport.pdf", PdfBytes("passport"));
  const std::string file_id = StrField(upload, "file_id");
  CHECK(StrField(upload, "file_name") == "passport.pdf");
  CHECK(StrField(upload, "content_type") == "application/pdf");

  const std::string good = fmt::format(
      R"({{"full_name":"Ann Lee","birth_date":"1990-02-28","citizenship":"DE",)"
      R"("id_kind":"passport","scan":"{}"}})",
      file_id);
  const std::string better = fmt::format(
      R"({{"full_name":"Ann Marie Lee","birth_date":"1990-02-28","citizenship":"DE",)"
      R"("id_kind":"id_card","scan":"{}","notes":"legal name"}})",
      file_id);

  // Bad answers: 400 bad_request naming the field; the step stays required.
  struct Bad {
    std::string body;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {fmt::format(R"({{"answers":{{"birth_date":"1990-02-28","citizenship":"DE",)"
                   R"("id_kind":"passport","scan":"{}"}}}})",
                   file_id),
       "full_name"},
      {fmt::format(R"({{"answers":{{"full_name":"","birth_date":"1990-02-28","citizenship":"DE",)"
                   R"("id_kind":"passport","scan":"{}"}}}})",
                   file_id),
       "full_name"},
      {fmt::format(R"({{"answers":{{"full_name":"A","birth_date":"1990-02-30","citizenship":"DE",)"
                   R"("id_kind":"passport","scan":"{}"}}}})",
                   file_id),
       "birth_date"},
      {fmt::format(R"({{"answers":{{"full_name":"A","birth_date":"28.02.1990","citizenship":"DE",)"
                   R"("id_kind":"passport","scan":"{}"}}}})",
                   file_id),
       "birth_date"},
      {fmt::format(R"({{"answers":{{"full_name":"A","birth_date":"1990-02-28","citizenship":"XX",)"
                   R"("id_kind":"passport","scan":"{}"}}}})",
                   file_id),
       "citizenship"},
      {fmt::format(R"({{"answers":{{"full_name":"A","birth_date":"1990-02-28","citizenship":"DEU",)"
                   R"("id_kind":"passport","scan":"{}"}}}})",
                   file_id),
       "citizenship"},
      {fmt::format(R"({{"answers":{{"full_name":"A","birth_date":"1990-02-28","citizenship":"DE",)"
                   R"("id_kind":"driving_licence","scan":"{}"}}}})",
                   file_id),
       "id_kind"},
      {R"({"answers":{"full_name":"A","birth_date":"1990-02-28","citizenship":"DE",)"
       R"("id_kind":"passport","scan":"0f0e0d0c-0b0a-4908-8706-050403020100"}})",
       "scan"},
      {R"({"answers":{"full_name":"A","birth_date":"1990-02-28","citizenship":"DE",)"
       R"("id_kind":"passport","scan":17}})",
       "scan"},
      {fmt::format(R"({{"answers":{{"full_name":"A","birth_date":"1990-02-28","citizenship":"DE",)"
                   R"("id_kind":"passport","scan":"{}","nickname":"al"}}}})",
                   file_id),
       "nickname"},
      {R"({"answers":[1,2]})", "answers"},
      {R"({})", "answers"},
  };
  for (const auto& b : bad) {
    INFO("body: ", b.body);
    CheckHttpError(client->Request("POST", SubmitPath(step1), b.body), 400, "bad_request", b.field);
  }
  CHECK(IntField(Step(step1), "status") == 0);

  // Submit: required → pending.
  r = client->Request("POST", SubmitPath(step1), fmt::format(R"({{"answers":{}}})", good));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto submitted = Json(r.body);
  CHECK(IntField(submitted, "id") == step1);
  CHECK(StrField(submitted, "status_name") == "pending");
  CHECK(submitted["answers"] == Json(good));
  CHECK(IntField(submitted, "submitted_at") > 1600000000);
  // A pending step cannot be submitted again.
  CheckHttpError(client->Request("POST", SubmitPath(step1), fmt::format(R"({{"answers":{}}})", good)),
                 409, "conflict");
  CHECK(IntField(Profile(kCustomer), "status") == 2);

  // A document referencing the uploaded file; its metadata comes from storage.
  CheckHttpError(client->Request("POST", "/client/kyc/documents",
                                 fmt::format(R"({{"file_id":"{}","doc_type":"passport",)"
                                             R"("file_name":"forged.pdf"}})",
                                             file_id)),
                 400, "bad_request", "file_name");
  r = client->Request("POST", "/client/kyc/documents",
                      fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{},)"
                                  R"("doc_number":"X1234567"}})",
                                  file_id, step1));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto doc = Json(r.body);
  const int64_t doc_id = IntField(doc, "id");
  CHECK(IntField(doc, "profile_id") == profile_id);
  CHECK(IntField(doc, "step_id") == step1);
  CHECK(StrField(doc, "file_id") == file_id);
  CHECK(StrField(doc, "file_name") == "passport.pdf");
  CHECK(StrField(doc, "content_type") == "application/pdf");
  CHECK(IntField(doc, "file_size") == IntField(upload, "file_size"));
  CHECK(StrField(doc, "checksum") == StrField(upload, "checksum"));
  CHECK(StrField(doc, "status_name") == "pending");

  // Staff asks for a revision: back to required, revision_count 1.
  CallFails(*staff, "MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":" "}})", step1),
            Code::kBadRequest);
  auto revised = CallOk(*staff, "MngRequestKycStepRevision",
                        fmt::format(R"({{"id":{},"comment":"Full legal name, please"}})", step1));
  CHECK(IntField(revised, "status") == 0);
  CHECK(StrField(revised, "status_name") == "required");
  CHECK(IntField(revised, "revision_count") == 1);
  CHECK(StrField(revised, "comment") == "Full legal name, please");
  CHECK(IntField(Profile(kCustomer), "status") == 1);
  CallFails(*staff, "MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"no"}})", step1),
            Code::kConflict);
  CHECK_FALSE(Check(kCustomer, "deposit")["allowed"].GetBool());

  // The customer sees the comment and resubmits.
  r = client->Request("GET", "/client/kyc/profile");
  REQUIRE(r.status == 200);
  CHECK(StrField(Json(r.body)["steps"][0], "comment") == "Full legal name, please");
  r = client->Request("POST", SubmitPath(step1), fmt::format(R"({{"answers":{}}})", better));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(StrField(Json(r.body), "status_name") == "pending");
  CHECK(IntField(Json(r.body), "revision_count") == 1);

  // Staff approves: profile approved at level 1; a deposit is allowed, a withdrawal
  // (level 2) is not yet.
  auto approved = CallOk(*staff, "MngApproveKycStep",
                         fmt::format(R"({{"id":{},"comment":"Looks good"}})", step1));
  CHECK(StrField(approved, "status_name") == "approved");
  CHECK(IntField(approved, "reviewed_by") == admin_id);
  CHECK(IntField(approved, "reviewed_at") > 1600000000);
  CHECK(StrField(approved, "comment") == "Looks good");
  auto doc_ok = CallOk(*staff, "MngApproveKycDocument",
                       fmt::format(R"({{"id":{},"comment":"readable"}})", doc_id));
  CHECK(StrField(doc_ok, "status_name") == "approved");
  auto prof = Profile(kCustomer);
  CHECK(StrField(prof, "status_name") == "approved");
  CHECK(IntField(prof, "level") == 1);
  check = Check(kCustomer, "deposit");
  CHECK(check["allowed"].GetBool());
  CHECK(IntField(check, "level") == 1);
  check = Check(kCustomer, "withdrawal");
  CHECK_FALSE(check["allowed"].GetBool());
  CHECK(StrField(check, "reason") == "KYC level 1 of 2: no level-2 step attached");
  ExpectCustomer(kCustomer, 3, 1);

  // Raise to level 2: the address step is attached; level 1 still holds. Repeating the
  // same level changes nothing.
  set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":42,"brand":"acme","level":2})");
  REQUIRE(set["attached"].Size() == 1);
  const int64_t step2 = set["attached"][0].GetInt64();
  CHECK(StrField(set["profile"], "status_name") == "draft");
  CHECK(IntField(set["profile"], "level") == 1);
  CHECK(IntField(set["profile"], "required_level") == 2);
  set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":42,"brand":"acme","level":2})");
  CHECK(set["attached"].Size() == 0);
  CHECK(Check(kCustomer, "deposit")["allowed"].GetBool());
  CHECK(StrField(Check(kCustomer, "withdrawal"), "reason") ==
        "KYC level 1 of 2: proof_address required");

  r = client->Request("GET", "/client/kyc/profile");
  REQUIRE(r.status == 200);
  auto client_view = Json(r.body);
  REQUIRE(client_view["steps"].Size() == 2);
  CHECK(IntField(client_view["steps"][1], "id") == step2);
  CHECK(IntField(client_view["steps"][1], "template_id") == address_tid);
  const std::string address = R"({"address":"1 Main St, Berlin","country":"DE"})";
  r = client->Request("POST", SubmitPath(step2), fmt::format(R"({{"answers":{}}})", address));
  REQUIRE_MESSAGE(r.status == 200, r.body);

  // Staff rejects it with a reason: the profile is rejected, nothing is allowed.
  CallFails(*staff, "MngRejectKycStep", fmt::format(R"({{"id":{}}})", step2), Code::kBadRequest);
  auto rejected = CallOk(*staff, "MngRejectKycStep",
                         fmt::format(R"({{"id":{},"reason":"Utility bill is older than 3 months"}})",
                                     step2));
  CHECK(StrField(rejected, "status_name") == "rejected");
  CHECK(StrField(rejected, "reject_reason") == "Utility bill is older than 3 months");
  prof = Profile(kCustomer);
  CHECK(StrField(prof, "status_name") == "rejected");
  CHECK(IntField(prof, "level") == 1);
  check = Check(kCustomer, "deposit");
  CHECK_FALSE(check["allowed"].GetBool());
  CHECK(StrField(check, "reason") == "deposit is blocked: KYC rejected");
  ExpectCustomer(kCustomer, 4, 1);

  // The step's history: both submissions with their answers and every decision.
  auto s1 = Step(step1);
  CHECK(HistoryActions(s1) == "step.require, step.submit, step.revision, step.submit, step.approve");
  {
    const auto& h = s1["history"];
    REQUIRE(h.Size() == 5);
    CHECK(h[1]["step"]["answers"] == Json(good));
    CHECK(h[3]["step"]["answers"] == Json(better));
    CHECK(StrField(h[1], "actor_type") == "client");
    CHECK(IntField(h[1], "actor_id") == kCustomer);
    CHECK(StrField(h[2], "actor_type") == "staff");
    CHECK(IntField(h[2], "actor_id") == admin_id);
    CHECK(StrField(h[2], "reason") == "Full legal name, please");
    CHECK(IntField(h[2]["step"], "revision_count") == 1);
    CHECK(StrField(h[2]["step"], "status_name") == "required");
    CHECK(StrField(h[4]["step"], "status_name") == "approved");
    CHECK(StrField(h[4]["step"], "comment") == "Looks good");
    for (rapidjson::SizeType i = 1; i < h.Size(); ++i) {
      CHECK(IntField(h[i], "audit_id") > IntField(h[i - 1], "audit_id"));
    }
  }
  REQUIRE(s1["documents"].Size() == 1);
  CHECK(IntField(s1["documents"][0], "id") == doc_id);
  auto s2 = Step(step2);
  CHECK(HistoryActions(s2) == "step.require, step.submit, step.reject");
  REQUIRE(s2["history"].Size() == 3);
  CHECK(s2["history"][1]["step"]["answers"] == Json(address));
  CHECK(StrField(s2["history"][2], "reason") == "Utility bill is older than 3 months");
  CHECK(s2["documents"].Size() == 0);

  // The audit trail of the customer: every change, in ascending ids.
  auto audit = CallOk(*staff, "MngGetKycAudit", R"({"customer_id":42})");
  std::vector<std::string> actions;
  int64_t prev = 0;
  for (const auto& row : audit["items"].GetArray()) {
    CHECK(IntField(row, "id") > prev);
    prev = IntField(row, "id");
    CHECK(IntField(row, "customer_id") == kCustomer);
    CHECK(StrField(row, "brand") == "acme");
    CHECK(IntField(row, "at") > 1600000000);
    const std::string action = StrField(row, "action");
    const bool create = action == "profile.create" || action == "step.require" ||
                        action == "document.add";
    CHECK_MESSAGE(row["before"].IsNull() == create, JsonText(row));
    CHECK(row["after"].IsObject());
    const bool by_client = action == "step.submit" || action == "document.add";
    // A recalculation is done by whoever made the change that caused it.
    if (action != "profile.recalculate") {
      CHECK_MESSAGE(StrField(row, "actor_type") == (by_client ? "client" : "staff"), JsonText(row));
      CHECK(IntField(row, "actor_id") == (by_client ? kCustomer : admin_id));
    }
    actions.push_back(fmt::format("{} {}", action, IntField(row, "entity_id")));
  }
  const std::string p = std::to_string(profile_id);
  const std::vector<std::string> expected = {
      "profile.create " + p,
      "profile.required_level " + p,
      fmt::format("step.require {}", step1),
      "profile.recalculate " + p,  // none → draft
      fmt::format("step.submit {}", step1),
      "profile.recalculate " + p,  // → pending
      fmt::format("document.add {}", doc_id),
      fmt::format("step.revision {}", step1),
      "profile.recalculate " + p,  // → draft
      fmt::format("step.submit {}", step1),
      "profile.recalculate " + p,  // → pending
      fmt::format("step.approve {}", step1),
      "profile.recalculate " + p,  // → approved, level 1
      fmt::format("document.approve {}", doc_id),
      "profile.required_level " + p,
      fmt::format("step.require {}", step2),
      "profile.recalculate " + p,  // → draft
      fmt::format("step.submit {}", step2),
      "profile.recalculate " + p,  // → pending
      fmt::format("step.reject {}", step2),
      "profile.recalculate " + p,  // → rejected
  };
  CHECK(Join(actions) == Join(expected));
  CHECK(IntField(audit, "last_id") == prev);
  // The last recalculation's row carries the final profile.
  const auto& last = audit["items"][audit["items"].Size() - 1];
  CHECK(StrField(last["before"], "status_name") == "pending");
  CHECK(StrField(last["after"], "status_name") == "rejected");

  // Paging with after_id gives the same rows.
  std::vector<int64_t> paged;
  int64_t after = 0;
  for (int page = 0; page < 20; ++page) {
    auto d = CallOk(*staff, "MngGetKycAudit",
                    fmt::format(R"({{"customer_id":42,"after_id":{},"limit":4}})", after));
    if (d["items"].Size() == 0) break;
    for (const auto& row : d["items"].GetArray()) paged.push_back(IntField(row, "id"));
    after = IntField(d, "last_id");
  }
  std::vector<int64_t> all;
  for (const auto& row : audit["items"].GetArray()) all.push_back(IntField(row, "id"));
  CHECK(paged == all);
  // The step filter answers exactly the step's history rows.
  auto step_rows = CallOk(*staff, "MngGetKycAudit",
                          fmt::format(R"({{"entity":"step","entity_id":{}}})", step1));
  REQUIRE(step_rows["items"].Size() == s1["history"].Size());
  for (rapidjson::SizeType i = 0; i < step_rows["items"].Size(); ++i) {
    CHECK(IntField(step_rows["items"][i], "id") == IntField(s1["history"][i], "audit_id"));
  }

  // The customer aggregate over REST too.
  auto admin_http = HttpWithToken(server, AdminHttpToken(server));
  r = admin_http->Request("GET", "/manager/kyc/customer?customer_id=42&brand=acme");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto cust = Json(r.body);
  CHECK(StrField(cust, "kyc_status_name") == "rejected");
  CHECK(IntField(cust, "kyc_level") == 1);
  CHECK(StrField(cust, "kyc_risk_level_name") == "unknown");
}

TEST_CASE_FIXTURE(KycFixture, "two customers cannot see each other's KYC objects") {
  AddTemplates();
  // A = (42, acme) has a profile, a step and an uploaded file.
  auto set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":42,"brand":"acme","level":1})");
  const int64_t a_step = set["attached"][0].GetInt64();
  const int64_t a_profile = IntField(set["profile"], "id");
  auto a = HttpWithToken(server, ClientToken(*staff, 42, "acme"));
  const std::string a_file = StrField(UploadOk(*a, "a.pdf", PdfBytes("a")), "file_id");

  // B = (43, acme) has no profile yet.
  const std::string b_token = ClientToken(*staff, 43, "acme");
  auto b = HttpWithToken(server, b_token);
  CheckHttpError(b->Request("GET", "/client/kyc/profile"), 404, "not_found");
  const std::string b_file = StrField(UploadOk(*b, "b.png", PngBytes("b")), "file_id");
  const std::string answers = fmt::format(
      R"({{"answers":{{"full_name":"B","birth_date":"1991-01-01","citizenship":"FR",)"
      R"("id_kind":"passport","scan":"{}"}}}})",
      b_file);
  CheckHttpError(b->Request("POST", SubmitPath(a_step), answers), 404, "not_found");
  CheckHttpError(b->Request("POST", "/client/kyc/documents",
                            fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", a_file)),
                 404, "not_found");
  // Not even a step id that does not exist at all answers differently.
  CheckHttpError(b->Request("POST", SubmitPath(a_step + 1000), answers), 404, "not_found");

  // The same customer id in another brand is another customer.
  auto a_other = HttpWithToken(server, ClientToken(*staff, 42, "other"));
  CheckHttpError(a_other->Request("GET", "/client/kyc/profile"), 404, "not_found");
  CheckHttpError(a_other->Request("POST", SubmitPath(a_step), answers), 404, "not_found");

  // Once B has its own profile: still only its own objects.
  set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":43,"brand":"acme","level":1})");
  const int64_t b_step = set["attached"][0].GetInt64();
  CheckHttpError(b->Request("POST", "/client/kyc/documents",
                            fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", a_file)),
                 404, "not_found");
  CheckHttpError(b->Request("POST", "/client/kyc/documents",
                            fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{}}})",
                                        b_file, a_step)),
                 404, "not_found");
  // A's file as an answer of B's form is not one of B's files.
  CheckHttpError(
      b->Request("POST", SubmitPath(b_step),
                 fmt::format(R"({{"answers":{{"full_name":"B","birth_date":"1991-01-01",)"
                             R"("citizenship":"FR","id_kind":"passport","scan":"{}"}}}})",
                             a_file)),
      400, "bad_request", "scan");
  HttpResponse r = b->Request("GET", "/client/kyc/profile");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto b_view = Json(r.body);
  CHECK(IntField(b_view, "customer_id") == 43);
  REQUIRE(b_view["steps"].Size() == 1);
  CHECK(IntField(b_view["steps"][0], "id") == b_step);
  r = b->Request("POST", SubmitPath(b_step), answers);
  CHECK_MESSAGE(r.status == 200, r.body);
  r = b->Request("POST", "/client/kyc/documents",
                 fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{}}})", b_file,
                             b_step));
  CHECK_MESSAGE(r.status == 200, r.body);

  // The same over TCP with the client token attached to a connection.
  auto b_tcp = ConnectTcp(server);
  CallOk(*b_tcp, "Auth", fmt::format(R"({{"token":"{}"}})", b_token));
  CallFails(*b_tcp, "KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", a_step),
            Code::kNotFound);
  CallFails(*b_tcp, "KycAddDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport"}})", a_file), Code::kNotFound);
  CHECK(IntField(CallOk(*b_tcp, "KycGetProfile", "{}"), "customer_id") == 43);
  // Staff commands are not for clients.
  CallFails(*b_tcp, "MngGetKycProfile", fmt::format(R"({{"id":{}}})", a_profile),
            Code::kForbidden);

  // A's step was untouched by all of this.
  auto a_prof = Profile(42);
  CHECK(StrField(a_prof["steps"][0], "status_name") == "required");
  CHECK(a_prof["documents"].Size() == 0);

  // Staff sees both, and may not attach one customer's file to another's profile.
  auto list = CallOk(*staff, "MngGetKycProfiles", R"({"brand":"acme"})");
  CHECK(IntField(list, "total") == 2);
  CHECK(StrField(Profile(43), "status_name") == "pending");
  CHECK(Profile(43)["documents"].Size() == 1);
  CallFails(*staff, "MngAddKycDocument",
            fmt::format(R"({{"file_id":"{}","doc_type":"passport","customer_id":43,"brand":"acme"}})",
                        a_file),
            Code::kForbidden);
  auto doc = CallOk(*staff, "MngAddKycDocument",
                    fmt::format(R"({{"file_id":"{}","doc_type":"passport","profile_id":{}}})",
                                a_file, a_profile));
  CHECK(StrField(doc, "file_name") == "a.pdf");
}

TEST_CASE_FIXTURE(KycFixture, "REST and TCP answer the same for the same object") {
  AddTemplates();
  auto set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":7,"brand":"acme","level":2})");
  REQUIRE(set["attached"].Size() == 2);
  const int64_t step1 = set["attached"][0].GetInt64();
  const int64_t profile_id = IntField(set["profile"], "id");
  const std::string client_token = ClientToken(*staff, 7, "acme");
  auto client = HttpWithToken(server, client_token);
  const std::string file = StrField(UploadOk(*client, "id.jpg", JpegBytes("7")), "file_id");
  HttpResponse r = client->Request(
      "POST", SubmitPath(step1),
      fmt::format(R"({{"answers":{{"full_name":"Seven","birth_date":"1977-07-07",)"
                  R"("citizenship":"GB","id_kind":"id_card","scan":"{}"}}}})",
                  file));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  for (int i = 0; i < 2; ++i) {
    r = client->Request("POST", "/client/kyc/documents",
                        fmt::format(R"({{"file_id":"{}","doc_type":"id_card","step_id":{},)"
                                    R"("expires_at":4102444800}})",
                                    file, step1));
    REQUIRE_MESSAGE(r.status == 200, r.body);
  }
  CallOk(*staff, "MngRequestKycStepRevision", fmt::format(R"({{"id":{},"comment":"again"}})", step1));

  auto http = HttpWithToken(server, AdminHttpToken(server));
  auto same = [&](std::string_view command, std::string_view json, std::string_view target,
                  std::string_view method = "GET", std::string_view body = {}) {
    INFO(command, " ", json, " vs ", method, " ", target, " ", body);
    Reply tcp = MustCall(*staff, command, json);
    REQUIRE_MESSAGE(tcp.ok(), tcp.body);
    HttpResponse h = http->Request(method, target, body);
    REQUIRE_MESSAGE(h.status == 200, h.body);
    CHECK(h.body == tcp.body);
    return tcp.body;
  };
  const std::string by_id = same("MngGetKycProfile", fmt::format(R"({{"id":{}}})", profile_id),
                                 fmt::format("/manager/kyc/profiles/{}", profile_id));
  CHECK(MustCall(*staff, "MngGetKycProfile", R"({"customer_id":7,"brand":"acme"})").body == by_id);
  same("MngGetKycStep", fmt::format(R"({{"id":{}}})", step1),
       fmt::format("/manager/kyc/steps/{}", step1));
  same("MngGetKycDocuments", fmt::format(R"({{"profile_id":{}}})", profile_id),
       fmt::format("/manager/kyc/documents?profile_id={}", profile_id));
  same("MngGetKycDocuments", fmt::format(R"({{"step_id":{},"status":1}})", step1),
       fmt::format("/manager/kyc/documents?step_id={}&status=1", step1));
  same("MngGetKycProfiles", R"({"brand":"acme","status":1})",
       "/manager/kyc/profiles?brand=acme&status=1");
  same("MngGetKycAudit", R"({"customer_id":7,"limit":5})", "/manager/kyc/audit?customer_id=7&limit=5");
  same("MngCheckKycOperation", R"({"customer_id":7,"brand":"acme","operation":"trade"})",
       "/manager/kyc/check", "POST", R"({"customer_id":7,"brand":"acme","operation":"trade"})");
  CHECK(Eventually([&] {
    return StrField(Json(MustCall(*staff, "MngGetKycCustomer", R"({"customer_id":7,"brand":"acme"})")
                             .body),
                    "kyc_status_name") == "draft";
  }));
  same("MngGetKycCustomer", R"({"customer_id":7,"brand":"acme"})",
       "/manager/kyc/customer?customer_id=7&brand=acme");

  // The client's own profile: the same object whichever way it is read.
  HttpResponse own = client->Request("GET", "/client/kyc/profile");
  REQUIRE(own.status == 200);
  CHECK(own.body == by_id);
  auto client_tcp = ConnectTcp(server);
  CallOk(*client_tcp, "Auth", fmt::format(R"({{"token":"{}"}})", client_token));
  Reply tcp_own = MustCall(*client_tcp, "KycGetProfile");
  REQUIRE(tcp_own.ok());
  CHECK(tcp_own.body == by_id);

  // A write answers the same object over REST as the next TCP read shows.
  r = http->Request("POST", fmt::format("/manager/kyc/steps/{}/approve", step1), R"({"comment":"ok"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto step_now = CallOk(*staff, "MngGetKycStep", fmt::format(R"({{"id":{}}})", step1));
  step_now.RemoveMember("documents");
  step_now.RemoveMember("history");
  CHECK(Json(r.body) == step_now);
}

TEST_SUITE_END();

}  // namespace kyc::itest
