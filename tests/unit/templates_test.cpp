// KYC step templates through the dispatcher: create, update, delete, list and the audit trail.
#include <future>
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

class TemplateTest : public test::StaffFixture {
 protected:
  Response Create(std::string_view brand, std::string_view code, std::string_view extra = "") {
    return AddTemplateAnswer(brand, code, extra);
  }
  int64_t CreateId(std::string_view brand, std::string_view code, std::string_view extra = "") {
    return AddTemplate(brand, code, extra);
  }
  // Ids of a list answer, in order; *total gets its total.
  std::vector<int64_t> List(const std::string& json, int64_t* total = nullptr) {
    Response r = Call("MngGetKycStepTemplates", json);
    REQUIRE_MESSAGE(r.status.ok(), r.text());
    auto doc = ParseDoc(r.text());
    std::vector<int64_t> ids;
    for (const auto& t : doc["items"].GetArray()) ids.push_back(Int(t, "id"));
    if (total) *total = Int(doc, "total");
    return ids;
  }
  std::vector<std::shared_ptr<const AuditRow>> Audit() {
    std::vector<std::shared_ptr<const AuditRow>> rows;
    h_.core().kyc().audit().Scan([&](const auto& r) {
      rows.push_back(r);
      return true;
    });
    return rows;
  }
};

TEST_CASE_FIXTURE(TemplateTest, "templates: create applies the defaults and get returns it") {
  Response r = Create("brand_a", "proof_id");
  REQUIRE_MESSAGE(r.status.ok(), r.text());
  auto t = ParseDoc(r.text());
  CHECK(Int(t, "id") == 1);
  CHECK(Str(t, "brand") == "brand_a");
  CHECK(Str(t, "code") == "proof_id");
  CHECK(Str(t, "name") == "Step proof_id");
  CHECK(Str(t, "description") == "");
  CHECK(Int(t, "level") == 1);
  CHECK(Bool(t, "required") == true);
  CHECK(Bool(t, "active") == true);
  REQUIRE(t["form_schema"].IsObject());
  CHECK(t["form_schema"].MemberCount() == 0);
  CHECK(Int(t, "created_at") == h_.clock().Now());
  CHECK(Int(t, "updated_at") == h_.clock().Now());

  Response got = Call("MngGetKycStepTemplate", R"({"id":1})");
  REQUIRE(got.status.ok());
  CHECK(got.text() == r.text());
}

TEST_CASE_FIXTURE(TemplateTest, "templates: every field given on create is kept") {
  Response r = Create("B.x-1", "questionnaire",
                      R"("description":"About you","level":3,"required":false,"active":false,)"
                      R"("form_schema":{"sections":[{"fields":[{"name":"a","type":"text"}]}]})");
  REQUIRE_MESSAGE(r.status.ok(), r.text());
  auto t = ParseDoc(r.text());
  CHECK(Str(t, "description") == "About you");
  CHECK(Int(t, "level") == 3);
  CHECK(Bool(t, "required") == false);
  CHECK(Bool(t, "active") == false);
  CHECK(ToJsonText(t["form_schema"]) ==
        R"({"sections":[{"fields":[{"name":"a","type":"text"}]}]})");
}

TEST_CASE_FIXTURE(TemplateTest, "templates: code must match [a-z0-9_]{1,64}") {
  for (std::string code : {std::string("a"), std::string("proof_id_2"), std::string(64, 'z')}) {
    CAPTURE(code);
    CHECK(Create("b", code).status.ok());
  }
  for (std::string code : {std::string("Proof"), std::string("proof-id"), std::string("proof id"),
                           std::string(65, 'z'), std::string("caf\xc3\xa9")}) {
    CAPTURE(code);
    Response r = Create("b", code);
    CHECK(r.status.code() == Code::kBadRequest);
    CHECK(Contains(r.status.message(), "'code'"));
  }
  CHECK(Create("b", "").status.message() == "field 'code' is required");
  CHECK(Call("MngAddKycStepTemplate", R"({"brand":"b","name":"n"})").status.message() ==
        "field 'code' is required");
  // Update checks the code too.
  CHECK(Call("MngUpdateKycStepTemplate", R"({"id":1,"code":"Bad"})").status.code() ==
        Code::kBadRequest);
}

TEST_CASE_FIXTURE(TemplateTest, "templates: code is unique per brand among live templates") {
  int64_t first = CreateId("brand_a", "proof_id");
  Response dup = Create("brand_a", "proof_id");
  CHECK(dup.status.code() == Code::kConflict);
  CHECK(Contains(dup.status.message(), "'proof_id'"));

  // Another brand may use the same code.
  int64_t other = CreateId("brand_b", "proof_id");
  CHECK(other != first);

  // Update cannot take a code in use; keeping its own code is fine.
  int64_t second = CreateId("brand_a", "address");
  CHECK(Call("MngUpdateKycStepTemplate", fmt::format(R"({{"id":{},"code":"proof_id"}})", second))
            .status.code() == Code::kConflict);
  CHECK(Call("MngUpdateKycStepTemplate",
             fmt::format(R"({{"id":{},"code":"address","name":"Address"}})", second))
            .status.ok());
  // Nor move to a brand where its code is taken.
  CHECK(Call("MngUpdateKycStepTemplate", fmt::format(R"({{"id":{},"brand":"brand_b"}})", first))
            .status.code() == Code::kConflict);

  // After delete the code is free again.
  REQUIRE(Call("MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", first)).status.ok());
  CHECK(Create("brand_a", "proof_id").status.ok());
}

TEST_CASE_FIXTURE(TemplateTest, "templates: concurrent creates of one code: exactly one wins") {
  constexpr int kN = 8;
  std::vector<std::future<Response>> answers;
  for (int i = 0; i < kN; ++i) {
    auto p = std::make_shared<std::promise<Response>>();
    answers.push_back(p->get_future());
    Request req;
    req.spec = FindCommand("MngAddKycStepTemplate");
    req.command = "MngAddKycStepTemplate";
    req.json = R"({"brand":"b","code":"same","name":"n"})";
    req.session = staff_;
    h_.dispatcher().Dispatch(std::move(req), [p](Response r) { p->set_value(std::move(r)); });
  }
  int ok = 0, conflict = 0;
  for (auto& a : answers) {
    Response r = a.get();
    ok += r.status.ok();
    conflict += r.status.code() == Code::kConflict;
  }
  CHECK(ok == 1);
  CHECK(conflict == kN - 1);
  CHECK(h_.core().kyc().templates().size() == 1);
}

TEST_CASE_FIXTURE(TemplateTest, "templates: level must be >= 1 (and at most 100)") {
  for (std::string_view bad : {"0", "-1", "101"}) {
    Response r = Create("b", "c", fmt::format(R"("level":{})", bad));
    CAPTURE(bad);
    CHECK(r.status.code() == Code::kBadRequest);
    CHECK(Contains(r.status.message(), "'level'"));
  }
  CHECK(Create("b", "c", R"("level":"2")").status.message() == "field 'level' must be an integer");
  CHECK(Create("b", "c1", R"("level":1)").status.ok());
  CHECK(Create("b", "c100", R"("level":100)").status.ok());
  int64_t id = CreateId("b", "c2", R"("level":2)");
  CHECK(Call("MngUpdateKycStepTemplate", fmt::format(R"({{"id":{},"level":0}})", id))
            .status.code() == Code::kBadRequest);
}

TEST_CASE_FIXTURE(TemplateTest, "templates: other invalid fields are bad_request") {
  CHECK(Create("bad brand", "c").status.code() == Code::kBadRequest);
  CHECK(Create("b", "c", R"("required":"yes")").status.message() ==
        "field 'required' must be a boolean");
  CHECK(Create("b", "c", R"("form_schema":[])").status.message() ==
        "field 'form_schema' must be a JSON object");
  Response schema = Create("b", "c", R"("form_schema":{"sections":[{"fields":[{"name":""}]}]})");
  CHECK(schema.status.code() == Code::kBadRequest);
  CHECK(Contains(schema.status.message(), "form_schema.sections[0].fields[0].name"));
  CHECK(Create("b", "c", R"("colour":"red")").status.message() == "unknown field 'colour'");
  CHECK(h_.core().kyc().templates().size() == 0);
  CHECK(Audit().empty());
}

TEST_CASE_FIXTURE(TemplateTest, "templates: update changes only the given fields") {
  int64_t id = CreateId("b", "c", R"("description":"d","level":2)");
  const int64_t created = h_.clock().Now();
  h_.clock().Advance(100);
  Response r = Call("MngUpdateKycStepTemplate",
                    fmt::format(R"({{"id":{},"name":"Renamed","active":false}})", id));
  REQUIRE_MESSAGE(r.status.ok(), r.text());
  auto t = ParseDoc(r.text());
  CHECK(Str(t, "name") == "Renamed");
  CHECK(Bool(t, "active") == false);
  CHECK(Str(t, "description") == "d");
  CHECK(Int(t, "level") == 2);
  CHECK(Str(t, "code") == "c");
  CHECK(Int(t, "created_at") == created);
  CHECK(Int(t, "updated_at") == created + 100);

  // A bad schema leaves the template as it was.
  Response bad = Call("MngUpdateKycStepTemplate",
                      fmt::format(R"({{"id":{},"form_schema":{{"sections":5}}}})", id));
  CHECK(bad.status.code() == Code::kBadRequest);
  CHECK(Call("MngGetKycStepTemplate", fmt::format(R"({{"id":{}}})", id)).text() == r.text());
  CHECK(Call("MngUpdateKycStepTemplate", R"({"id":999,"name":"x"})").status.code() ==
        Code::kNotFound);
}

TEST_CASE_FIXTURE(TemplateTest, "templates: delete, twice, update or get after it is not_found") {
  int64_t id = CreateId("b", "c");
  std::string by_id = fmt::format(R"({{"id":{}}})", id);
  Response del = Call("MngDeleteKycStepTemplate", by_id);
  REQUIRE(del.status.ok());
  CHECK(del.text() == fmt::format(R"({{"id":{},"deleted":true}})", id));

  CHECK(Call("MngDeleteKycStepTemplate", by_id).status.code() == Code::kNotFound);
  CHECK(Call("MngUpdateKycStepTemplate", fmt::format(R"({{"id":{},"name":"x"}})", id))
            .status.code() == Code::kNotFound);
  CHECK(Call("MngGetKycStepTemplate", by_id).status.code() == Code::kNotFound);
  CHECK(List("{}").empty());
  // Kept in the base for attached steps and the audit trail.
  auto kept = h_.core().kyc().templates().Get(id);
  REQUIRE(kept);
  CHECK(kept->deleted);
}

TEST_CASE_FIXTURE(TemplateTest, "templates: list filters brand/active/level, offset/limit/total") {
  int64_t a1 = CreateId("A", "a1", R"("level":1)");
  int64_t a2 = CreateId("A", "a2", R"("level":2,"active":false)");
  int64_t a3 = CreateId("A", "a3", R"("level":2)");
  int64_t b1 = CreateId("B", "b1", R"("level":1)");
  int64_t b2 = CreateId("B", "b2", R"("level":2,"active":false)");
  int64_t gone = CreateId("A", "gone");
  REQUIRE(Call("MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", gone)).status.ok());

  int64_t total = -1;
  CHECK(List("{}", &total) == std::vector<int64_t>{a1, a2, a3, b1, b2});
  CHECK(total == 5);
  CHECK(List(R"({"brand":"A"})") == std::vector<int64_t>{a1, a2, a3});
  CHECK(List(R"({"brand":"C"})", &total).empty());
  CHECK(total == 0);
  CHECK(List(R"({"active":false})") == std::vector<int64_t>{a2, b2});
  CHECK(List(R"({"active":true})") == std::vector<int64_t>{a1, a3, b1});
  CHECK(List(R"({"level":2})") == std::vector<int64_t>{a2, a3, b2});
  CHECK(List(R"({"brand":"A","active":true,"level":2})") == std::vector<int64_t>{a3});

  CHECK(List(R"({"limit":2})", &total) == std::vector<int64_t>{a1, a2});
  CHECK(total == 5);
  CHECK(List(R"({"offset":2,"limit":2})", &total) == std::vector<int64_t>{a3, b1});
  CHECK(total == 5);
  CHECK(List(R"({"offset":4})") == std::vector<int64_t>{b2});
  CHECK(List(R"({"offset":9})", &total).empty());
  CHECK(total == 5);
  CHECK(List(R"({"brand":"A","offset":1,"limit":1})", &total) == std::vector<int64_t>{a2});
  CHECK(total == 3);

  for (std::string_view bad : {R"({"limit":0})", R"({"limit":1001})", R"({"offset":-1})",
                               R"({"active":"true"})", R"({"level":"2"})"}) {
    CAPTURE(bad);
    CHECK(Call("MngGetKycStepTemplates", std::string(bad)).status.code() == Code::kBadRequest);
  }
  CHECK(List(R"({"limit":1000})").size() == 5);
}

TEST_CASE_FIXTURE(TemplateTest, "templates: every change writes an audit row with before/after") {
  const int64_t manager_id = *staff_->manager_id;
  Response created = Create("brand_a", "proof_id");
  REQUIRE(created.status.ok());
  const int64_t id = Int(ParseDoc(created.text()), "id");
  h_.clock().Advance(10);
  Response updated =
      Call("MngUpdateKycStepTemplate", fmt::format(R"({{"id":{},"level":2}})", id));
  REQUIRE(updated.status.ok());
  h_.clock().Advance(10);
  REQUIRE(Call("MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", id)).status.ok());
  // Failed changes write nothing.
  CHECK(Create("brand_a", "Bad").status.code() == Code::kBadRequest);
  CHECK(Call("MngDeleteKycStepTemplate", fmt::format(R"({{"id":{}}})", id)).status.code() ==
        Code::kNotFound);

  auto rows = Audit();
  REQUIRE(rows.size() == 3);
  const char* actions[] = {"template.create", "template.update", "template.delete"};
  const int64_t start = h_.clock().Now() - 20;
  for (size_t i = 0; i < rows.size(); ++i) {
    const AuditRow& row = *rows[i];
    CAPTURE(i);
    CHECK(row.id == static_cast<int64_t>(i) + 1);
    CHECK(row.action == actions[i]);
    CHECK(row.entity == "template");
    CHECK(row.entity_id == id);
    CHECK(row.actor.type == "staff");
    CHECK(row.actor.id == manager_id);
    CHECK(row.actor.session_type == "SESSION_MANAGER");
    CHECK(row.brand == "brand_a");
    CHECK(row.at == start + 10 * static_cast<int64_t>(i));
  }
  CHECK(rows[0]->before.empty());
  CHECK(rows[0]->after == created.text());
  CHECK(rows[1]->before == created.text());
  CHECK(rows[1]->after == updated.text());
  CHECK(rows[2]->before == updated.text());
  REQUIRE_FALSE(rows[2]->after.empty());
  CHECK(Int(ParseDoc(rows[2]->after), "updated_at") == h_.clock().Now());
  CHECK(ParseDoc(rows[2]->after)["deleted"].GetBool());  // the delete is visible in `after`

  // The audit JSON renders before as null for a create.
  JsonOut o;
  WriteAuditRow(o, *rows[0]);
  auto json = ParseDoc(o.Take());
  CHECK(json["before"].IsNull());
  CHECK(json["after"].IsObject());
  CHECK(Str(json, "actor_type") == "staff");
  CHECK(Int(json, "actor_id") == manager_id);
  CHECK(Str(json, "session_type") == "SESSION_MANAGER");
}

TEST_CASE("templates: the actor of an admin's change is the admin session") {
  Harness h;
  SessionPtr admin = h.Admin();
  REQUIRE(h.Run("MngAddKycStepTemplate", R"({"brand":"b","code":"c","name":"n"})", admin)
              .status.ok());
  auto row = h.core().kyc().audit().Get(1);
  REQUIRE(row);
  CHECK(row->actor.session_type == "SESSION_ADMIN");
  CHECK(row->actor.id == admin->manager_id);
}

}  // namespace
}  // namespace kyc
