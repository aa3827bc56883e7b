// The pure KYC rules of kyc/rules.h: profile status (§3, in its order), level, step and
// document transitions, and answer validation against a form schema.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "kyc/rules.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

using test::Contains;
using test::ParseDoc;

using SS = StepStatus;
using DS = DocStatus;
using PS = ProfileStatus;

Step MakeStep(int64_t id, std::string code, int64_t level, StepStatus status) {
  Step s;
  s.id = id;
  s.profile_id = 1;
  s.code = std::move(code);
  s.level = level;
  s.status = status;
  return s;
}

Document MakeDoc(int64_t id, std::optional<int64_t> step_id, DocStatus status) {
  Document d;
  d.id = id;
  d.profile_id = 1;
  d.step_id = step_id;
  d.status = status;
  return d;
}

ProfileStatus StatusOf(const std::vector<Step>& steps, const std::vector<Document>& docs) {
  std::vector<const Step*> sp;
  std::vector<const Document*> dp;
  for (const auto& s : steps) sp.push_back(&s);
  for (const auto& d : docs) dp.push_back(&d);
  return ComputeProfileStatus(sp, dp);
}

int64_t LevelOf(const std::vector<Step>& steps) {
  std::vector<const Step*> sp;
  for (const auto& s : steps) sp.push_back(&s);
  return ComputeLevel(sp);
}

std::string N(ProfileStatus s) { return std::string(Name(s)); }

// ---- ComputeProfileStatus ---------------------------------------------------------------

struct StatusRow {
  const char* what;
  std::vector<Step> steps;
  std::vector<Document> docs;
  ProfileStatus want;
};

TEST_CASE("rules: ComputeProfileStatus, one row per rule of §3 and rows proving the order") {
  const std::vector<StatusRow> rows = {
      // -- each rule on its own --
      {"no steps → none", {}, {}, PS::kNone},
      {"no steps, documents alone → none", {}, {MakeDoc(1, std::nullopt, DS::kExpired)}, PS::kNone},
      {"a required step → draft", {MakeStep(1, "id", 1, SS::kRequired)}, {}, PS::kDraft},
      {"a pending step → pending", {MakeStep(1, "id", 1, SS::kPending)}, {}, PS::kPending},
      {"all approved → approved",
       {MakeStep(1, "id", 1, SS::kApproved), MakeStep(2, "addr", 2, SS::kApproved)}, {},
       PS::kApproved},
      {"all skipped → approved", {MakeStep(1, "id", 1, SS::kSkipped)}, {}, PS::kApproved},
      {"approved and skipped → approved",
       {MakeStep(1, "id", 1, SS::kApproved), MakeStep(2, "addr", 1, SS::kSkipped)}, {},
       PS::kApproved},
      {"a rejected step → rejected", {MakeStep(1, "id", 1, SS::kRejected)}, {}, PS::kRejected},
      {"an expired step → expired", {MakeStep(1, "id", 1, SS::kExpired)}, {}, PS::kExpired},
      {"an approved step with an expired document → expired",
       {MakeStep(1, "id", 1, SS::kApproved)}, {MakeDoc(1, 1, DS::kExpired)}, PS::kExpired},
      {"a pending step with an expired document → expired",
       {MakeStep(1, "id", 1, SS::kPending)}, {MakeDoc(1, 1, DS::kExpired)}, PS::kExpired},
      {"a required step with an expired document → expired",
       {MakeStep(1, "id", 1, SS::kRequired)}, {MakeDoc(1, 1, DS::kExpired)}, PS::kExpired},
      {"an approved step with a rejected document → review_required",
       {MakeStep(1, "id", 1, SS::kApproved)}, {MakeDoc(1, 1, DS::kRejected)},
       PS::kReviewRequired},
      {"an approved step with a deleted document → review_required",
       {MakeStep(1, "id", 1, SS::kApproved)}, {MakeDoc(1, 1, DS::kDeleted)},
       PS::kReviewRequired},
      {"an approved step with approved/pending/uploaded documents → approved",
       {MakeStep(1, "id", 1, SS::kApproved)},
       {MakeDoc(1, 1, DS::kApproved), MakeDoc(2, 1, DS::kPending), MakeDoc(3, 1, DS::kUploaded)},
       PS::kApproved},

      // -- the order --
      {"expired step beats review_required",
       {MakeStep(1, "id", 1, SS::kExpired), MakeStep(2, "addr", 1, SS::kApproved)},
       {MakeDoc(1, 2, DS::kRejected)}, PS::kExpired},
      {"an expired document beats a rejected document on another approved step",
       {MakeStep(1, "id", 1, SS::kApproved), MakeStep(2, "addr", 1, SS::kApproved)},
       {MakeDoc(1, 2, DS::kRejected), MakeDoc(2, 1, DS::kExpired)}, PS::kExpired},
      {"expired beats rejected",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "addr", 1, SS::kExpired)}, {},
       PS::kExpired},
      {"review_required beats rejected",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "addr", 1, SS::kApproved)},
       {MakeDoc(1, 2, DS::kDeleted)}, PS::kReviewRequired},
      {"rejected beats pending",
       {MakeStep(1, "id", 1, SS::kPending), MakeStep(2, "addr", 1, SS::kRejected)}, {},
       PS::kRejected},
      {"pending beats draft",
       {MakeStep(1, "id", 1, SS::kRequired), MakeStep(2, "addr", 1, SS::kPending)}, {},
       PS::kPending},
      {"draft beats approved",
       {MakeStep(1, "id", 1, SS::kApproved), MakeStep(2, "addr", 1, SS::kRequired)}, {},
       PS::kDraft},
      {"every rule at once: expired wins",
       {MakeStep(1, "a", 1, SS::kExpired), MakeStep(2, "b", 1, SS::kApproved),
        MakeStep(3, "c", 1, SS::kRejected), MakeStep(4, "d", 1, SS::kPending),
        MakeStep(5, "e", 1, SS::kRequired)},
       {MakeDoc(1, 2, DS::kRejected)}, PS::kExpired},
      {"every rule but expiry: review_required wins",
       {MakeStep(2, "b", 1, SS::kApproved), MakeStep(3, "c", 1, SS::kRejected),
        MakeStep(4, "d", 1, SS::kPending), MakeStep(5, "e", 1, SS::kRequired)},
       {MakeDoc(1, 2, DS::kRejected)}, PS::kReviewRequired},

      // -- replaced steps --
      {"a rejected step replaced by a required step of its code → draft",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "id", 1, SS::kRequired)}, {},
       PS::kDraft},
      {"a rejected step replaced by a pending step of its code → pending",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "id", 1, SS::kPending)}, {},
       PS::kPending},
      {"a rejected step replaced by an approved step of its code → approved",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "id", 1, SS::kApproved)}, {},
       PS::kApproved},
      {"a rejected step next to an active step of another code stays rejected",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "addr", 1, SS::kApproved)}, {},
       PS::kRejected},
      {"a rejected step 'replaced' only by a skipped step stays rejected",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "id", 1, SS::kSkipped)}, {},
       PS::kRejected},
      {"two rejected steps of one code stay rejected",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "id", 1, SS::kRejected)}, {},
       PS::kRejected},
      {"an expired step replaced by a required step of its code → draft",
       {MakeStep(1, "id", 1, SS::kExpired), MakeStep(2, "id", 1, SS::kRequired)}, {},
       PS::kDraft},
      {"an expired step replaced by an approved step of its code → approved",
       {MakeStep(1, "id", 1, SS::kExpired), MakeStep(2, "id", 1, SS::kApproved)}, {},
       PS::kApproved},
      {"an expired step next to an active step of another code stays expired",
       {MakeStep(1, "id", 1, SS::kExpired), MakeStep(2, "addr", 1, SS::kApproved)}, {},
       PS::kExpired},

      // -- documents that do not count --
      {"an expired document without a step does not count",
       {MakeStep(1, "id", 1, SS::kApproved)}, {MakeDoc(1, std::nullopt, DS::kExpired)},
       PS::kApproved},
      {"a rejected document without a step does not count",
       {MakeStep(1, "id", 1, SS::kApproved)}, {MakeDoc(1, std::nullopt, DS::kRejected)},
       PS::kApproved},
      {"a document of an unknown step does not count",
       {MakeStep(1, "id", 1, SS::kApproved)},
       {MakeDoc(1, 99, DS::kExpired), MakeDoc(2, 98, DS::kRejected)}, PS::kApproved},
      {"an expired document of a rejected step is not 'expired'",
       {MakeStep(1, "id", 1, SS::kRejected)}, {MakeDoc(1, 1, DS::kExpired)}, PS::kRejected},
      {"an expired document of a replaced rejected step does not count",
       {MakeStep(1, "id", 1, SS::kRejected), MakeStep(2, "id", 1, SS::kApproved)},
       {MakeDoc(1, 1, DS::kExpired)}, PS::kApproved},
      {"a rejected document of a pending step is not review_required",
       {MakeStep(1, "id", 1, SS::kPending)}, {MakeDoc(1, 1, DS::kRejected)}, PS::kPending},
      {"a deleted document of a required step is not review_required",
       {MakeStep(1, "id", 1, SS::kRequired)}, {MakeDoc(1, 1, DS::kDeleted)}, PS::kDraft},
  };
  for (const auto& row : rows) {
    CAPTURE(row.what);
    CHECK(N(StatusOf(row.steps, row.docs)) == N(row.want));
  }
  // The status does not depend on the order the steps are given in.
  for (const auto& row : rows) {
    CAPTURE(row.what);
    std::vector<Step> reversed(row.steps.rbegin(), row.steps.rend());
    std::vector<Document> docs(row.docs.rbegin(), row.docs.rend());
    CHECK(N(StatusOf(reversed, docs)) == N(row.want));
  }
}

// ---- ComputeLevel ----------------------------------------------------------------------

struct LevelRow {
  const char* what;
  std::vector<Step> steps;
  int64_t want;
};

TEST_CASE("rules: ComputeLevel") {
  const std::vector<LevelRow> rows = {
      {"no steps → 0", {}, 0},
      {"one required level-1 step → 0", {MakeStep(1, "a", 1, SS::kRequired)}, 0},
      {"one approved level-1 step → 1", {MakeStep(1, "a", 1, SS::kApproved)}, 1},
      {"levels 1 and 2 approved, 3 pending → 2",
       {MakeStep(1, "a", 1, SS::kApproved), MakeStep(2, "b", 2, SS::kApproved),
        MakeStep(3, "c", 3, SS::kPending)},
       2},
      {"two level-1 steps, one pending → 0",
       {MakeStep(1, "a", 1, SS::kApproved), MakeStep(2, "b", 1, SS::kPending)}, 0},
      {"level gap: 1 and 3 approved, no level 2 → 3",
       {MakeStep(1, "a", 1, SS::kApproved), MakeStep(2, "c", 3, SS::kApproved)}, 3},
      {"level gap: only a level-3 step, approved → 3", {MakeStep(1, "c", 3, SS::kApproved)}, 3},
      {"level gap: 1 approved, 5 required → 1",
       {MakeStep(1, "a", 1, SS::kApproved), MakeStep(2, "e", 5, SS::kRequired)}, 1},
      {"a pending level-1 step gives 0 even if level 2 is approved",
       {MakeStep(1, "a", 1, SS::kPending), MakeStep(2, "b", 2, SS::kApproved)}, 0},
      {"a rejected level-1 step gives 0 even if level 2 is approved",
       {MakeStep(1, "a", 1, SS::kRejected), MakeStep(2, "b", 2, SS::kApproved)}, 0},
      {"an expired level-1 step gives 0",
       {MakeStep(1, "a", 1, SS::kExpired), MakeStep(2, "b", 2, SS::kApproved)}, 0},
      {"skipped steps are ignored",
       {MakeStep(1, "a", 1, SS::kSkipped), MakeStep(2, "b", 2, SS::kApproved)}, 2},
      {"a skipped level-2 step between approved 1 and 3 → 3",
       {MakeStep(1, "a", 1, SS::kApproved), MakeStep(2, "b", 2, SS::kSkipped),
        MakeStep(3, "c", 3, SS::kApproved)},
       3},
      {"only skipped steps → 0", {MakeStep(1, "a", 1, SS::kSkipped)}, 0},
      {"a rejected step replaced by an approved step of its code is ignored",
       {MakeStep(1, "a", 1, SS::kRejected), MakeStep(2, "a", 1, SS::kApproved)}, 1},
      {"a rejected step replaced by a required step of its code: the new one counts",
       {MakeStep(1, "a", 1, SS::kRejected), MakeStep(2, "a", 1, SS::kRequired),
        MakeStep(3, "b", 2, SS::kApproved)},
       0},
      {"an expired step replaced by an approved step is ignored",
       {MakeStep(1, "a", 1, SS::kExpired), MakeStep(2, "a", 1, SS::kApproved),
        MakeStep(3, "b", 2, SS::kApproved)},
       2},
  };
  for (const auto& row : rows) {
    CAPTURE(row.what);
    CHECK(LevelOf(row.steps) == row.want);
    std::vector<Step> reversed(row.steps.rbegin(), row.steps.rend());
    CHECK(LevelOf(reversed) == row.want);
  }
}

// ---- transitions ------------------------------------------------------------------------

TEST_CASE("rules: CheckStepTransition, every step status × every action") {
  constexpr StepStatus kAll[] = {SS::kRequired, SS::kPending,  SS::kApproved,
                                 SS::kRejected, SS::kExpired,  SS::kSkipped};
  struct Action {
    StepAction action;
    const char* name;
    std::vector<StepStatus> allowed_from;
  };
  const Action actions[] = {
      {StepAction::kApprove, "approve", {SS::kPending, SS::kRequired}},
      {StepAction::kReject, "reject", {SS::kPending}},
      {StepAction::kRevision, "revision", {SS::kPending}},
      {StepAction::kSubmit, "submit", {SS::kRequired}},
  };
  int allowed = 0, refused = 0;
  for (const auto& a : actions) {
    for (StepStatus st : kAll) {
      Step s = MakeStep(17, "id", 1, st);
      std::string status_name(Name(st));
      CAPTURE(a.name);
      CAPTURE(status_name);
      Status r = CheckStepTransition(s, a.action);
      bool want = std::find(a.allowed_from.begin(), a.allowed_from.end(), st) !=
                  a.allowed_from.end();
      if (want) {
        CHECK(r.ok());
        ++allowed;
      } else {
        CHECK(r.code() == Code::kConflict);
        CHECK(Contains(r.message(), fmt::format("step 17 is {}", status_name)));
        ++refused;
      }
    }
  }
  CHECK(allowed == 5);
  CHECK(refused == 19);
  // The exact wording of one, as the contract's example.
  CHECK(CheckStepTransition(MakeStep(17, "id", 1, SS::kApproved), StepAction::kReject).message() ==
        "step 17 is approved; only a pending step can be rejected");
}

TEST_CASE("rules: CheckDocTransition, every document status × both actions") {
  constexpr DocStatus kAll[] = {DS::kUploaded, DS::kPending, DS::kApproved,
                                DS::kRejected, DS::kExpired, DS::kDeleted};
  for (DocAction action : {DocAction::kApprove, DocAction::kReject}) {
    for (DocStatus st : kAll) {
      Document d = MakeDoc(9, 1, st);
      std::string status_name(Name(st));
      CAPTURE(status_name);
      CAPTURE(action == DocAction::kApprove);
      Status r = CheckDocTransition(d, action);
      // Rejecting an approved document revokes it (issue 15).
      if (st == DS::kUploaded || st == DS::kPending ||
          (st == DS::kApproved && action == DocAction::kReject)) {
        CHECK(r.ok());
      } else {
        CHECK(r.code() == Code::kConflict);
        CHECK(Contains(r.message(), fmt::format("document 9 is {}", status_name)));
        CHECK(Contains(r.message(), action == DocAction::kApprove ? "approved" : "rejected"));
      }
    }
  }
}

// ---- IsCountryCode / IsIsoDate ----------------------------------------------------------

TEST_CASE("rules: IsCountryCode") {
  for (const char* ok : {"DE", "US", "GB", "FR", "CY", "AX", "ZW", "SS"}) {
    CAPTURE(ok);
    CHECK(IsCountryCode(ok));
  }
  for (const char* bad : {"de", "De", "dE", "XX", "UK", "ZZ", "", "D", "DEU", "D1", " DE", "EU"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsCountryCode(bad));
  }
}

TEST_CASE("rules: IsIsoDate") {
  for (const char* ok : {"2024-02-29", "2000-02-29", "2023-02-28", "1999-12-31", "2023-01-01",
                         "2023-04-30", "0001-01-01"}) {
    CAPTURE(ok);
    CHECK(IsIsoDate(ok));
  }
  for (const char* bad :
       {"2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32",
        "2023-04-31", "0000-01-01", "2023-1-01", "2023/01/01", "20230101", "2023-01-01T00",
        "", "abcd-ef-gh", "2023-0a-01", " 2023-01-01", "+023-01-01", "2023--1-01"}) {
    CAPTURE(bad);
    CHECK_FALSE(IsIsoDate(bad));
  }
}

// ---- ValidateAnswers --------------------------------------------------------------------

const char* const kSchema = R"({"sections":[
  {"title":"About you","fields":[
    {"name":"full_name","type":"text","required":true},
    {"name":"notes","type":"textarea"},
    {"name":"dob","type":"date","required":true},
    {"name":"citizenship","type":"country"}]},
  {"fields":[
    {"name":"passport_scan","type":"file_reference"},
    {"name":"income","type":"number"},
    {"name":"pep","type":"boolean"},
    {"name":"employment","type":"select","options":[{"value":"employed","label":"Employed"},
                                                    {"value":"retired","label":"Retired"}]},
    {"name":"source","type":"select","options":["salary","savings",3]},
    {"name":"products","type":"multi_select","options":[{"value":"fx","label":"FX"},
                                                        {"value":"cfd","label":"CFDs"},"bonds"]},
    {"name":"tags","type":"multi_select","options":["a","b"],"required":true}]},
  {"title":"no fields here"}
]})";

// Builds answers: the required ones valid, plus `extra` members.
std::string Answers(std::string_view extra = "") {
  return fmt::format(R"({{"full_name":"Ann Lee","dob":"1990-05-17","tags":["a"]{}{}}})",
                     extra.empty() ? "" : ",", extra);
}

Status CheckAnswers(std::string_view answers, const char* schema = kSchema) {
  auto s = ParseDoc(schema);
  auto a = ParseDoc(answers);
  auto owns = [](std::string_view file_id) { return file_id == "mine-1"; };
  return ValidateAnswers(s, a, owns);
}

void CheckBad(std::string_view answers, std::string_view field) {
  CAPTURE(std::string(answers));
  Status s = CheckAnswers(answers);
  CHECK(s.code() == Code::kBadRequest);
  CHECK_MESSAGE(Contains(s.message(), fmt::format("answers.{}", field)), s.message());
}

TEST_CASE("rules: ValidateAnswers accepts valid answers of every field type") {
  CHECK(CheckAnswers(Answers()).ok());
  Status all = CheckAnswers(Answers(
      R"("notes":"long\ntext","citizenship":"DE","passport_scan":"mine-1","income":1234.5,)"
      R"("pep":false,"employment":"retired","source":"savings","products":["fx","bonds"])"));
  CHECK_MESSAGE(all.ok(), all.message());
  CHECK(CheckAnswers(Answers(R"("income":0)")).ok());
  CHECK(CheckAnswers(Answers(R"("income":-3)")).ok());
  CHECK(CheckAnswers(Answers(R"("pep":true)")).ok());
  CHECK(CheckAnswers(Answers(R"("source":3)")).ok());  // a plain non-string option
  CHECK(CheckAnswers(Answers(R"("products":[])")).ok());  // optional and empty: absent
  CHECK(CheckAnswers(Answers(R"("notes":"")")).ok());      // optional and empty
  CHECK(CheckAnswers(Answers(R"("citizenship":null)")).ok());  // optional null: absent
  CHECK(CheckAnswers(R"({"full_name":"x","dob":"2024-02-29","tags":["a","b"]})").ok());
}

TEST_CASE("rules: ValidateAnswers refuses a wrong value, naming the field") {
  // text / textarea
  CheckBad(R"({"full_name":5,"dob":"1990-05-17","tags":["a"]})", "full_name");
  CheckBad(Answers(R"("notes":["x"])"), "notes");
  // date
  CheckBad(R"({"full_name":"A","dob":"2023-02-29","tags":["a"]})", "dob");
  CheckBad(R"({"full_name":"A","dob":"2023-13-01","tags":["a"]})", "dob");
  CheckBad(R"({"full_name":"A","dob":"17.05.1990","tags":["a"]})", "dob");
  CheckBad(R"({"full_name":"A","dob":19900517,"tags":["a"]})", "dob");
  // country
  CheckBad(Answers(R"("citizenship":"de")"), "citizenship");
  CheckBad(Answers(R"("citizenship":"XX")"), "citizenship");
  CheckBad(Answers(R"("citizenship":"DEU")"), "citizenship");
  CheckBad(Answers(R"("citizenship":49)"), "citizenship");
  // file_reference
  CheckBad(Answers(R"("passport_scan":"someone-elses")"), "passport_scan");
  CheckBad(Answers(R"("passport_scan":7)"), "passport_scan");
  CHECK(Contains(CheckAnswers(Answers(R"("passport_scan":"someone-elses")")).message(),
                 "someone-elses"));
  // number
  CheckBad(Answers(R"("income":"1000")"), "income");
  CheckBad(Answers(R"("income":true)"), "income");
  // boolean
  CheckBad(Answers(R"("pep":"false")"), "pep");
  CheckBad(Answers(R"("pep":0)"), "pep");
  // select with {value,label} options: the value, never the label
  CheckBad(Answers(R"("employment":"Employed")"), "employment");
  CheckBad(Answers(R"("employment":"student")"), "employment");
  CheckBad(Answers(R"("employment":["employed"])"), "employment");
  // select with plain options
  CheckBad(Answers(R"("source":"lottery")"), "source");
  CheckBad(Answers(R"("source":"3")"), "source");
  // multi_select: an array of option values, every one of them
  CheckBad(Answers(R"("products":"fx")"), "products");
  CheckBad(Answers(R"("products":["fx","crypto"])"), "products");
  CheckBad(Answers(R"("products":["FX"])"), "products");
  CheckBad(R"({"full_name":"A","dob":"1990-05-17","tags":["a","c"]})", "tags");
}

TEST_CASE("rules: ValidateAnswers: required fields, unknown fields, answers not an object") {
  // required missing
  CheckBad(R"({"dob":"1990-05-17","tags":["a"]})", "full_name");
  CHECK(CheckAnswers(R"({"dob":"1990-05-17","tags":["a"]})").message() ==
        "answers.full_name is required");
  // required but empty string, empty array, null
  CheckBad(R"({"full_name":"","dob":"1990-05-17","tags":["a"]})", "full_name");
  CheckBad(R"({"full_name":"A","dob":"1990-05-17","tags":[]})", "tags");
  CHECK(CheckAnswers(R"({"full_name":"A","dob":"1990-05-17","tags":[]})").message() ==
        "answers.tags is required");
  CheckBad(R"({"full_name":"A","dob":null,"tags":["a"]})", "dob");
  // optional absent is fine (all but the three required are absent in Answers())
  CHECK(CheckAnswers(Answers()).ok());
  // an unknown field
  CheckBad(Answers(R"("nickname":"x")"), "nickname");
  CHECK(Contains(CheckAnswers(Answers(R"("nickname":"x")")).message(), "not a field"));
  // answers must be an object
  for (const char* bad : {"[]", "\"x\"", "5", "null"}) {
    CAPTURE(bad);
    Status s = CheckAnswers(bad);
    CHECK(s.code() == Code::kBadRequest);
    CHECK(Contains(s.message(), "answers"));
  }
  // An empty schema takes only empty answers.
  CHECK(CheckAnswers("{}", "{}").ok());
  CHECK(CheckAnswers(R"({"a":1})", "{}").code() == Code::kBadRequest);
  CHECK(CheckAnswers("{}", R"({"sections":[]})").ok());
}

TEST_CASE("rules: ValidateAnswers asks owns_file only for file_reference values") {
  auto schema = ParseDoc(R"({"sections":[{"fields":[{"name":"scan","type":"file_reference",
                             "required":true},{"name":"t","type":"text"}]}]})");
  std::vector<std::string> asked;
  auto owns = [&](std::string_view id) {
    asked.emplace_back(id);
    return true;
  };
  auto a = ParseDoc(R"({"scan":"f-1","t":"f-2"})");
  CHECK(ValidateAnswers(schema, a, owns).ok());
  CHECK(asked == std::vector<std::string>{"f-1"});
  auto none = ParseDoc(R"({"t":"x"})");
  Status s = ValidateAnswers(schema, none, owns);
  CHECK(s.message() == "answers.scan is required");
}

}  // namespace
}  // namespace kyc
