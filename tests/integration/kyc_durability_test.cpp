// KYC durability against the real server: kill -9 in the middle of a stream of
// acknowledged KYC writes from several connections (clients submitting over TCP and HTTP,
// staff deciding and requiring steps) loses none of them, and state and audit agree
// afterwards; a restart (SIGTERM or kill -9) keeps profiles, steps, documents, stored
// files and the customer aggregates exactly.
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

constexpr std::string_view kNameSchema =
    R"({"sections":[{"fields":[{"name":"full_name","type":"text","required":true}]}]})";

void AddTemplate(TcpClient& staff, std::string_view brand, std::string_view code, int level,
                 std::string_view schema = "{}", bool required = true) {
  CallOk(staff, "MngAddKycStepTemplate",
         fmt::format(R"({{"brand":"{}","code":"{}","name":"{} step","level":{},)"
                     R"("form_schema":{},"required":{}}})",
                     brand, code, code, level, schema, required));
}

rapidjson::Document ProfileOf(TcpClient& staff, int64_t customer_id, std::string_view brand) {
  return CallOk(staff, "MngGetKycProfile",
                fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer_id, brand));
}

// Every KYC audit row, paged with after_id; checks that ids ascend.
std::vector<rapidjson::Document> AllAudit(TcpClient& staff) {
  std::vector<rapidjson::Document> rows;
  int64_t after = 0;
  for (int page = 0; page < 1000; ++page) {
    auto d = CallOk(staff, "MngGetKycAudit", fmt::format(R"({{"after_id":{},"limit":1000}})", after));
    if (d["items"].Size() == 0) break;
    for (const auto& row : d["items"].GetArray()) {
      REQUIRE(IntField(row, "id") > after);
      after = IntField(row, "id");
      rapidjson::Document copy;
      copy.CopyFrom(row, copy.GetAllocator());
      rows.push_back(std::move(copy));
    }
    REQUIRE(IntField(d, "last_id") == after);
  }
  return rows;
}

// Waits until every profile's customer aggregate shows the profile's status, level and
// risk level (the aggregate is written right after the KYC commit).
void WaitForAggregates(TcpClient& staff) {
  auto profiles = CallOk(staff, "MngGetKycProfiles", R"({"limit":1000})");
  for (const auto& p : profiles["items"].GetArray()) {
    const std::string params = fmt::format(R"({{"customer_id":{},"brand":"{}"}})",
                                           IntField(p, "customer_id"), StrField(p, "brand"));
    std::string last;
    bool ok = Eventually([&] {
      Reply r = MustCall(staff, "MngGetKycCustomer", params);
      last = r.body;
      if (!r.ok()) return false;
      auto c = Json(r.body);
      return IntField(c, "kyc_status") == IntField(p, "status") &&
             IntField(c, "kyc_level") == IntField(p, "level") &&
             IntField(c, "kyc_risk_level") == IntField(p, "risk_level");
    });
    CHECK_MESSAGE(ok, "aggregate " << last << " vs profile " << JsonText(p));
  }
}

// Everything staff can read about KYC, keyed by what was read.
std::map<std::string, std::string> Snapshot(TcpClient& staff) {
  std::map<std::string, std::string> out;
  auto read = [&](const std::string& key, std::string_view command, const std::string& json) {
    Reply r = MustCall(staff, command, json);
    REQUIRE_MESSAGE(r.ok(), command << " " << json << ": " << r.body);
    out[key] = r.body;
    return Json(r.body);
  };
  read("templates", "MngGetKycStepTemplates", R"({"limit":1000})");
  read("documents", "MngGetKycDocuments", R"({"limit":1000})");
  read("audit", "MngGetKycAudit", R"({"limit":1000})");
  auto profiles = read("profiles", "MngGetKycProfiles", R"({"limit":1000})");
  for (const auto& p : profiles["items"].GetArray()) {
    const int64_t id = IntField(p, "id");
    auto full = read(fmt::format("profile {}", id), "MngGetKycProfile",
                     fmt::format(R"({{"id":{}}})", id));
    for (const auto& s : full["steps"].GetArray()) {
      read(fmt::format("step {}", IntField(s, "id")), "MngGetKycStep",
           fmt::format(R"({{"id":{}}})", IntField(s, "id")));
    }
    read(fmt::format("customer {} {}", IntField(p, "customer_id"), StrField(p, "brand")),
         "MngGetKycCustomer",
         fmt::format(R"({{"customer_id":{},"brand":"{}"}})", IntField(p, "customer_id"),
                     StrField(p, "brand")));
  }
  return out;
}

void CheckSameSnapshot(const std::map<std::string, std::string>& before,
                       const std::map<std::string, std::string>& after) {
  for (const auto& entry : before) {
    const auto& key = entry.first;  // not a structured binding: clang 14
    const auto& body = entry.second;  // cannot capture those in CHECK_MESSAGE
    auto it = after.find(key);
    if (it == after.end()) {
      CHECK_MESSAGE(false, key << " is missing after the restart");
      continue;
    }
    CHECK_MESSAGE(it->second == body, key << "\nbefore: " << body << "\nafter:  " << it->second);
  }
  CHECK(after.size() == before.size());
}

std::string SubmitBody(int64_t customer_id) {
  return fmt::format(R"({{"answers":{{"full_name":"Customer {}"}}}})", customer_id);
}

}  // namespace

TEST_SUITE_BEGIN("kyc-durability");

TEST_CASE("kill -9 during a stream of KYC writes loses no acknowledged change") {
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  auto staff = AdminClient(server);
  AddTemplate(*staff, "acme", "proof_id", 1, kNameSchema);
  AddTemplate(*staff, "acme", "proof_address", 2);

  // Customers that will submit: each has its level-1 step and a client token.
  constexpr int kSubmitters = 3;  // two over TCP, one over HTTP
  constexpr int64_t kFirstCustomer = 1001;
  constexpr int kCustomers = 150;
  constexpr int64_t kFirstRequired = 5001;  // customers that only get MngRequireKycStep
  std::map<int64_t, int64_t> step_of;       // customer → step id
  std::map<int64_t, std::string> token_of;  // customer → client token
  for (int i = 0; i < kCustomers; ++i) {
    const int64_t customer = kFirstCustomer + i;
    auto set = CallOk(*staff, "MngSetKycRequiredLevel",
                      fmt::format(R"({{"customer_id":{},"brand":"acme","level":1}})", customer));
    REQUIRE(set["attached"].Size() == 1);
    step_of[customer] = set["attached"][0].GetInt64();
    token_of[customer] = ClientToken(*staff, customer, "acme");
  }
  int64_t admin_id = -1;
  auto managers = CallOk(*staff, "MngGetManagers", "{}");
  for (const auto& m : managers["items"].GetArray()) {
    if (StrField(m, "login") == "admin") admin_id = IntField(m, "id");
  }

  std::mutex mu;
  std::set<int64_t> submitted;                 // customers whose submit was acknowledged
  std::map<int64_t, std::string> decided;      // customer → "approve" | "revision", acknowledged
  std::map<int64_t, int64_t> required;         // customer → step id, acknowledged
  std::deque<int64_t> to_decide;               // customers waiting for staff
  std::atomic<int> n_submitted{0}, n_decided{0}, n_required{0};
  std::atomic<bool> stop{false};
  std::vector<std::string> errors(kSubmitters + 2);
  std::vector<std::thread> threads;

  auto on_submitted = [&](int64_t customer) {
    std::lock_guard lock(mu);
    submitted.insert(customer);
    to_decide.push_back(customer);
    ++n_submitted;
  };
  for (int t = 0; t < kSubmitters; ++t) {
    threads.emplace_back([&, t] {
      std::vector<int64_t> mine;
      for (int i = t; i < kCustomers; i += kSubmitters) mine.push_back(kFirstCustomer + i);
      if (t == kSubmitters - 1) {  // the HTTP client of the portal
        HttpClient http("127.0.0.1", server.http_port());
        for (int64_t customer : mine) {
          if (stop) return;
          http.set_token(token_of.at(customer));
          HttpResponse r = http.Request(
              "POST", fmt::format("/client/kyc/steps/{}/submit", step_of.at(customer)),
              SubmitBody(customer));
          if (r.status == 0) return;  // the server is gone
          if (r.status != 200) {
            errors[t] = fmt::format("customer {}: {} {}", customer, r.status, r.body);
            return;
          }
          on_submitted(customer);
        }
        return;
      }
      TcpClient c;
      if (!c.Connect("127.0.0.1", server.tcp_port(), 15).ok()) {
        errors[t] = "connect failed";
        return;
      }
      for (int64_t customer : mine) {
        if (stop) return;
        auto auth = c.Call("Auth", fmt::format(R"({{"token":"{}"}})", token_of.at(customer)));
        if (!auth.ok()) return;
        if (!auth->ok()) {
          errors[t] = fmt::format("Auth {}: {}", customer, auth->body);
          return;
        }
        auto r = c.Call("KycSubmitStep",
                        fmt::format(R"({{"id":{},"answers":{{"full_name":"Customer {}"}}}})",
                                    step_of.at(customer), customer));
        if (!r.ok()) return;
        if (!r->ok()) {
          errors[t] = fmt::format("customer {}: {}", customer, r->body);
          return;
        }
        on_submitted(customer);
      }
    });
  }
  // Staff decides what was submitted: even customers approved, odd ones sent back.
  threads.emplace_back([&] {
    TcpClient c;
    if (!c.Connect("127.0.0.1", server.tcp_port(), 15).ok()) {
      errors[kSubmitters] = "connect failed";
      return;
    }
    auto login = c.Call(
        "Login", fmt::format(R"({{"login":"admin","password":"{}"}})", server.admin_password()));
    if (!login.ok() || !login->ok()) {
      errors[kSubmitters] = "login failed";
      return;
    }
    while (!stop) {
      int64_t customer = 0;
      {
        std::lock_guard lock(mu);
        if (!to_decide.empty()) {
          customer = to_decide.front();
          to_decide.pop_front();
        }
      }
      if (customer == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      const bool approve = customer % 2 == 0;
      auto r = c.Call(approve ? "MngApproveKycStep" : "MngRequestKycStepRevision",
                      fmt::format(R"({{"id":{},"comment":"{} {}"}})", step_of.at(customer),
                                  approve ? "ok" : "again", customer));
      if (!r.ok()) return;
      if (!r->ok()) {
        errors[kSubmitters] = fmt::format("decide {}: {}", customer, r->body);
        return;
      }
      std::lock_guard lock(mu);
      decided[customer] = approve ? "approve" : "revision";
      ++n_decided;
    }
  });
  // Staff requires the identity step of new customers, one after another.
  threads.emplace_back([&] {
    TcpClient c;
    if (!c.Connect("127.0.0.1", server.tcp_port(), 15).ok()) {
      errors[kSubmitters + 1] = "connect failed";
      return;
    }
    auto login = c.Call(
        "Login", fmt::format(R"({{"login":"admin","password":"{}"}})", server.admin_password()));
    if (!login.ok() || !login->ok()) {
      errors[kSubmitters + 1] = "login failed";
      return;
    }
    for (int i = 0; i < 3000 && !stop; ++i) {
      const int64_t customer = kFirstRequired + i;
      auto r = c.Call("MngRequireKycStep",
                      fmt::format(R"({{"customer_id":{},"brand":"acme","code":"proof_id",)"
                                  R"("comment":"required {}"}})",
                                  customer, customer));
      if (!r.ok()) return;
      if (!r->ok()) {
        errors[kSubmitters + 1] = fmt::format("require {}: {}", customer, r->body);
        return;
      }
      auto d = Json(r->body);
      std::lock_guard lock(mu);
      required[customer] = IntField(d["step"], "id");
      ++n_required;
    }
  });

  // Kill while every stream is still writing.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(n_submitted >= kCustomers * 2 / 5 && n_decided >= 10 && n_required >= 20) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server.Kill9();
  stop = true;
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK_MESSAGE(e.empty(), e);
  REQUIRE(n_submitted >= kCustomers * 2 / 5);
  REQUIRE(n_decided >= 10);
  REQUIRE(n_required >= 20);
  MESSAGE(n_submitted.load(), " submits, ", n_decided.load(), " decisions, ", n_required.load(),
          " requires acknowledged before kill -9");

  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  staff = AdminClient(server);

  // The audit trail: (action, step id) of every row, and the last row of each entity.
  auto rows = AllAudit(*staff);
  std::set<std::pair<std::string, int64_t>> actions;
  std::map<std::pair<std::string, int64_t>, const rapidjson::Value*> last_row;
  for (const auto& row : rows) {
    actions.insert({StrField(row, "action"), IntField(row, "entity_id")});
    last_row[{StrField(row, "entity"), IntField(row, "entity_id")}] = &row;
  }
  // State and audit agree: each entity is as its last audit row left it.
  auto agrees = [&](std::string_view entity, const rapidjson::Value& now) {
    auto it = last_row.find({std::string(entity), IntField(now, "id")});
    if (it == last_row.end()) return false;
    const auto& after = (*it->second)["after"];
    return IntField(after, "status") == IntField(now, "status") &&
           IntField(after, "updated_at") == IntField(now, "updated_at") &&
           (entity != "step" || IntField(after, "revision_count") == IntField(now, "revision_count"));
  };

  int lost = 0;
  for (int i = 0; i < kCustomers; ++i) {
    const int64_t customer = kFirstCustomer + i;
    const int64_t step_id = step_of[customer];
    INFO("customer ", customer, " step ", step_id);
    auto prof = ProfileOf(*staff, customer, "acme");
    const rapidjson::Value* step = FindById(prof["steps"], step_id);
    REQUIRE(step != nullptr);
    CHECK(agrees("step", *step));
    CHECK(agrees("profile", prof));
    const std::string status = StrField(*step, "status_name");
    const bool was_submitted = status == "pending" || status == "approved" ||
                               IntField(*step, "revision_count") == 1;
    if (was_submitted) {
      CHECK((*step)["answers"] == Json(fmt::format(R"({{"full_name":"Customer {}"}})", customer)));
      CHECK(actions.count({"step.submit", step_id}) == 1);
    } else {
      CHECK(status == "required");
      CHECK(actions.count({"step.submit", step_id}) == 0);
    }
    if (submitted.count(customer)) {
      if (!was_submitted) ++lost;
      CHECK_MESSAGE(was_submitted, "acknowledged submit lost: " << JsonText(*step));
    }
    if (auto d = decided.find(customer); d != decided.end()) {
      if (d->second == "approve") {
        CHECK_MESSAGE(status == "approved", "acknowledged approval lost: " << JsonText(*step));
        CHECK(StrField(*step, "comment") == fmt::format("ok {}", customer));
        CHECK(IntField(*step, "reviewed_by") == admin_id);
        CHECK(actions.count({"step.approve", step_id}) == 1);
        CHECK(StrField(prof, "status_name") == "approved");
        CHECK(IntField(prof, "level") == 1);
      } else {
        CHECK_MESSAGE(status == "required", "acknowledged revision lost: " << JsonText(*step));
        CHECK(IntField(*step, "revision_count") == 1);
        CHECK(StrField(*step, "comment") == fmt::format("again {}", customer));
        CHECK(actions.count({"step.revision", step_id}) == 1);
        CHECK(StrField(prof, "status_name") == "draft");
      }
      if (StrField(*step, "status_name") != (d->second == "approve" ? "approved" : "required")) {
        ++lost;
      }
    }
  }
  for (const auto& entry : required) {
    const auto& customer = entry.first;  // not a structured binding: clang 14
    const auto& step_id = entry.second;  // cannot capture those in CHECK_MESSAGE
    INFO("required customer ", customer, " step ", step_id);
    Reply r = MustCall(*staff, "MngGetKycProfile",
                       fmt::format(R"({{"customer_id":{},"brand":"acme"}})", customer));
    if (!r.ok()) {
      ++lost;
      CHECK_MESSAGE(false, "acknowledged MngRequireKycStep lost: " << r.body);
      continue;
    }
    auto prof = Json(r.body);
    CHECK(StrField(prof, "status_name") == "draft");
    CHECK(agrees("profile", prof));
    REQUIRE(prof["steps"].Size() == 1);
    const auto& step = prof["steps"][0];
    CHECK(IntField(step, "id") == step_id);
    CHECK(StrField(step, "code") == "proof_id");
    CHECK(StrField(step, "status_name") == "required");
    CHECK(StrField(step, "comment") == fmt::format("required {}", customer));
    CHECK(agrees("step", step));
    CHECK(actions.count({"step.require", step_id}) == 1);
    CHECK(actions.count({"profile.create", IntField(prof, "id")}) == 1);
  }
  CHECK_MESSAGE(lost == 0, lost << " acknowledged KYC changes lost");
  // Only a write in flight at the kill may have committed beyond what was acknowledged.
  auto profiles = CallOk(*staff, "MngGetKycProfiles", R"({"limit":1000})");
  CHECK(IntField(profiles, "total") <= kCustomers + static_cast<int64_t>(required.size()) + 1);
  // Customer aggregates were recomputed at start from the profiles.
  for (const auto& p : profiles["items"].GetArray()) {
    Reply r = MustCall(*staff, "MngGetKycCustomer",
                       fmt::format(R"({{"customer_id":{},"brand":"acme"}})",
                                   IntField(p, "customer_id")));
    REQUIRE_MESSAGE(r.ok(), r.body);
    auto c = Json(r.body);
    CHECK_MESSAGE(IntField(c, "kyc_status") == IntField(p, "status"), r.body << " vs " << JsonText(p));
    CHECK(IntField(c, "kyc_level") == IntField(p, "level"));
  }
  // The workflow goes on: a step pending at the kill can still be decided.
  for (const auto& p : profiles["items"].GetArray()) {
    if (StrField(p, "status_name") != "pending") continue;
    auto prof = CallOk(*staff, "MngGetKycProfile", fmt::format(R"({{"id":{}}})", IntField(p, "id")));
    auto step = CallOk(*staff, "MngApproveKycStep",
                       fmt::format(R"({{"id":{}}})", IntField(prof["steps"][0], "id")));
    CHECK(StrField(step, "status_name") == "approved");
    break;
  }
}

TEST_CASE("a restart keeps profiles, steps, documents, files and customer aggregates") {
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  auto staff = AdminClient(server);
  AddTemplate(*staff, "acme", "proof_id", 1,
              R"({"sections":[{"fields":[{"name":"full_name","type":"text","required":true},)"
              R"({"name":"scan","type":"file_reference","required":true}]}]})");
  AddTemplate(*staff, "acme", "proof_address", 2);
  AddTemplate(*staff, "acme", "source_of_funds", 1, "{}", /*required=*/false);
  AddTemplate(*staff, "beta", "proof_id", 1);
  auto submit = [](HttpClient& client, int64_t step, const std::string& answers) {
    HttpResponse r = client.Request("POST", fmt::format("/client/kyc/steps/{}/submit", step),
                                    fmt::format(R"({{"answers":{}}})", answers));
    REQUIRE_MESSAGE(r.status == 200, r.body);
  };
  auto add_doc = [](HttpClient& client, const std::string& body) {
    HttpResponse r = client.Request("POST", "/client/kyc/documents", body);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return IntField(Json(r.body), "id");
  };
  std::map<std::string, std::string> stored;  // storage/ file name → bytes

  // Customer 101: approved at level 2, documents approved and unattached, risk medium.
  auto set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":101,"brand":"acme","level":2})");
  REQUIRE(set["attached"].Size() == 2);
  const int64_t c1_id_step = set["attached"][0].GetInt64();
  const int64_t c1_addr_step = set["attached"][1].GetInt64();
  const int64_t c1_profile = IntField(set["profile"], "id");
  const std::string c1_token = ClientToken(*staff, 101, "acme");
  auto c1 = HttpWithToken(server, c1_token);
  auto pdf = UploadOk(*c1, "passport.pdf", PdfBytes("101"));
  stored[StrField(pdf, "file_id") + ".pdf"] = PdfBytes("101");
  auto png = UploadOk(*c1, "selfie.png", PngBytes("101"));
  stored[StrField(png, "file_id") + ".png"] = PngBytes("101");
  submit(*c1, c1_id_step,
         fmt::format(R"({{"full_name":"Ann Lee","scan":"{}"}})", StrField(pdf, "file_id")));
  const int64_t c1_doc = add_doc(
      *c1, fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{},)"
                       R"("doc_number":"P-1","expires_at":4102444800}})",
                       StrField(pdf, "file_id"), c1_id_step));
  add_doc(*c1, fmt::format(R"({{"file_id":"{}","doc_type":"selfie"}})", StrField(png, "file_id")));
  CallOk(*staff, "MngApproveKycStep", fmt::format(R"({{"id":{},"comment":"fine"}})", c1_id_step));
  CallOk(*staff, "MngApproveKycDocument", fmt::format(R"({{"id":{}}})", c1_doc));
  submit(*c1, c1_addr_step, "{}");
  CallOk(*staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", c1_addr_step));
  CallOk(*staff, "MngSetKycRiskLevel",
         fmt::format(R"({{"id":{},"risk_level":2,"reason":"PEP relative"}})", c1_profile));

  // Customer 102: rejected, then required afresh (draft), plus an optional step.
  set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":102,"brand":"acme","level":1})");
  const int64_t c2_step = set["attached"][0].GetInt64();
  auto c2 = HttpWithToken(server, ClientToken(*staff, 102, "acme"));
  auto jpg = UploadOk(*c2, "id.jpg", JpegBytes("102"));
  const std::string c2_file = StrField(jpg, "file_id");
  stored[c2_file + ".jpg"] = JpegBytes("102");
  submit(*c2, c2_step, fmt::format(R"({{"full_name":"Bo","scan":"{}"}})", c2_file));
  CallOk(*staff, "MngRejectKycStep", fmt::format(R"({{"id":{},"reason":"blurry"}})", c2_step));
  auto again = CallOk(*staff, "MngRequireKycStep",
                      R"({"customer_id":102,"brand":"acme","code":"proof_id","comment":"retry"})");
  CHECK(again["created"].GetBool());
  CallOk(*staff, "MngRequireKycStep",
         R"({"customer_id":102,"brand":"acme","code":"source_of_funds","comment":"salary?"})");

  // Customer 103: only a staff-uploaded document, rejected (status none: no steps).
  auto staff_http = HttpWithToken(server, AdminHttpToken(server));
  auto contract = UploadOk(*staff_http, "contract.jpeg", JpegBytes("103"));
  stored[StrField(contract, "file_id") + ".jpeg"] = JpegBytes("103");
  auto doc3 = CallOk(*staff, "MngAddKycDocument",
                     fmt::format(R"({{"file_id":"{}","doc_type":"contract","customer_id":103,)"
                                 R"("brand":"acme"}})",
                                 StrField(contract, "file_id")));
  CallOk(*staff, "MngRejectKycDocument",
         fmt::format(R"({{"id":{},"reason":"unsigned"}})", IntField(doc3, "id")));

  // Customer 104: approved by staff without a submission, then its document rejected.
  set = CallOk(*staff, "MngSetKycRequiredLevel", R"({"customer_id":104,"brand":"acme","level":1})");
  const int64_t c4_step = set["attached"][0].GetInt64();
  auto c4 = HttpWithToken(server, ClientToken(*staff, 104, "acme"));
  auto c4_pdf = UploadOk(*c4, "statement.pdf", PdfBytes("104"));
  stored[StrField(c4_pdf, "file_id") + ".pdf"] = PdfBytes("104");
  const int64_t c4_doc = add_doc(
      *c4, fmt::format(R"({{"file_id":"{}","doc_type":"bank_statement","step_id":{}}})",
                       StrField(c4_pdf, "file_id"), c4_step));
  CallOk(*staff, "MngApproveKycStep", fmt::format(R"({{"id":{}}})", c4_step));
  CallOk(*staff, "MngRejectKycDocument",
         fmt::format(R"({{"id":{},"reason":"wrong account"}})", c4_doc));

  // Customer 101 of another brand.
  CallOk(*staff, "MngRequireKycStep", R"({"customer_id":101,"brand":"beta","code":"proof_id"})");

  const std::map<std::pair<int64_t, std::string>, std::string> expected_status = {
      {{101, "acme"}, "approved"}, {{102, "acme"}, "draft"}, {{103, "acme"}, "none"},
      {{104, "acme"}, "review_required"}, {{101, "beta"}, "draft"}};
  for (const auto& entry : expected_status) {
    const auto& key = entry.first;  // not a structured binding: clang 14
    const auto& status = entry.second;  // cannot capture those in CHECK_MESSAGE
    CHECK_MESSAGE(StrField(ProfileOf(*staff, key.first, key.second), "status_name") == status,
                  key.first << " " << key.second);
  }
  auto p1 = ProfileOf(*staff, 101, "acme");
  CHECK(IntField(p1, "level") == 2);
  CHECK(StrField(p1, "risk_level_name") == "medium");

  WaitForAggregates(*staff);
  const auto before = Snapshot(*staff);
  CHECK(before.count(fmt::format("step {}", c2_step)) == 1);
  CHECK(StorageFiles(server).size() == stored.size());

  auto check_files = [&] {
    CHECK(StorageFiles(server).size() == stored.size());
    for (const auto& entry : stored) {
      const auto& name = entry.first;  // not a structured binding: clang 14
      const auto& bytes = entry.second;  // cannot capture those in CHECK_MESSAGE
      CHECK_MESSAGE(ReadFile(StorageDir(server) + "/" + name) == bytes, name);
    }
  };

  SUBCASE("SIGTERM") {
    const int code = server.Term();
    REQUIRE_MESSAGE(code == 0, "exit " << code << "\n" << server.Log());
  }
  SUBCASE("kill -9") { server.Kill9(); }
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  staff = AdminClient(server);
  CheckSameSnapshot(before, Snapshot(*staff));
  check_files();

  // Sessions do not survive a restart; a new token sees the same profile.
  CHECK(HttpWithToken(server, c1_token)->Request("GET", "/client/kyc/profile").status == 401);
  auto c1_again = HttpWithToken(server, ClientToken(*staff, 101, "acme"));
  HttpResponse r = c1_again->Request("GET", "/client/kyc/profile");
  REQUIRE(r.status == 200);
  CHECK(r.body == before.at(fmt::format("profile {}", c1_profile)));

  // A second restart, this time abrupt, changes nothing either.
  server.Kill9();
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  staff = AdminClient(server);
  CheckSameSnapshot(before, Snapshot(*staff));
  check_files();

  // Stored files keep their owner: customer 102 attaches the file it uploaded before.
  auto c2_again = HttpWithToken(server, ClientToken(*staff, 102, "acme"));
  r = c2_again->Request("POST", "/client/kyc/documents",
                        fmt::format(R"({{"file_id":"{}","doc_type":"passport","step_id":{}}})",
                                    c2_file, IntField(again["step"], "id")));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(StrField(Json(r.body), "file_name") == "id.jpg");
  CHECK(StrField(Json(r.body), "checksum") == StrField(jpg, "checksum"));
  // New objects get new ids.
  auto fresh = CallOk(*staff, "MngRequireKycStep",
                      R"({"customer_id":105,"brand":"acme","code":"proof_id"})");
  CHECK(IntField(fresh, "profile_id") > c1_profile + 4);
}

TEST_SUITE_END();

}  // namespace kyc::itest
