// The questionnaire schema rules of PROTOCOL.md §3, one test case per rule.
#include <string>

#include <doctest/doctest.h>

#include "kyc/form_schema.h"
#include "protocol/json.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

using test::Contains;

Status CheckSchema(std::string_view json) {
  rapidjson::Document doc;
  Status parsed = ParseJson(json, doc);
  REQUIRE_MESSAGE(parsed.ok(), parsed.message());
  return ValidateFormSchema(doc);
}

// Expects bad_request whose message contains every one of `parts`.
void ExpectBad(std::string_view json, std::initializer_list<std::string_view> parts) {
  Status s = CheckSchema(json);
  CAPTURE(json);
  CAPTURE(s.message());
  CHECK(s.code() == Code::kBadRequest);
  for (auto part : parts) CHECK_MESSAGE(Contains(s.message(), part), "expected '", part, "'");
}

// A schema with one section holding `field`.
std::string OneField(std::string_view field) {
  return R"({"sections":[{"title":"S","fields":[)" + std::string(field) + "]}]}";
}

// The example of the seed documentation ("Questionnaire Schema").
constexpr std::string_view kSeedExample = R"({
  "sections": [
    {
      "title": "Identity",
      "fields": [
        {"name": "first_name", "type": "text", "required": true},
        {"name": "country", "type": "country", "required": true},
        {"name": "employment_status", "type": "select", "required": true,
         "options": [
           {"value": "employed", "label": "Employed"},
           {"value": "self_employed", "label": "Self employed"}
         ]}
      ]
    }
  ]
})";

TEST_CASE("form_schema: the schema must be a JSON object") {
  for (std::string_view bad : {"[]", "\"x\"", "1", "null", "true"}) {
    ExpectBad(bad, {"form_schema must be a JSON object"});
  }
}

TEST_CASE("form_schema: sections, when present, must be an array") {
  ExpectBad(R"({"sections":{}})", {"form_schema.sections must be an array"});
  ExpectBad(R"({"sections":"a"})", {"form_schema.sections must be an array"});
  CHECK(CheckSchema("{}").ok());  // absent is fine
  CHECK(CheckSchema(R"({"sections":[]})").ok());
}

TEST_CASE("form_schema: every section must be an object") {
  ExpectBad(R"({"sections":[{"fields":[]},1]})", {"form_schema.sections[1] must be an object"});
  ExpectBad(R"({"sections":[[]]})", {"form_schema.sections[0] must be an object"});
}

TEST_CASE("form_schema: a section's fields, when present, must be an array") {
  ExpectBad(R"({"sections":[{"fields":{}}]})", {"form_schema.sections[0].fields must be an array"});
  ExpectBad(R"({"sections":[{"title":"a"},{"fields":"x"}]})",
            {"form_schema.sections[1].fields must be an array"});
  CHECK(CheckSchema(R"({"sections":[{"title":"no fields"}]})").ok());
}

TEST_CASE("form_schema: every field must be an object") {
  ExpectBad(OneField(R"({"name":"a","type":"text"},"b")"),
            {"form_schema.sections[0].fields[1] must be an object"});
}

TEST_CASE("form_schema: every field has a non-empty string name") {
  const auto kMessage = "form_schema.sections[0].fields[0].name must be a non-empty string";
  ExpectBad(OneField(R"({"type":"text"})"), {kMessage});           // missing
  ExpectBad(OneField(R"({"name":"","type":"text"})"), {kMessage});  // empty
  ExpectBad(OneField(R"({"name":7,"type":"text"})"), {kMessage});   // not a string
  ExpectBad(OneField(R"({"name":null,"type":"text"})"), {kMessage});
}

TEST_CASE("form_schema: field names are unique across the whole schema") {
  ExpectBad(R"({"sections":[
      {"fields":[{"name":"first_name","type":"text"}]},
      {"fields":[{"name":"dob","type":"date"},{"name":"first_name","type":"textarea"}]}]})",
            {"form_schema.sections[1].fields[1].name", "'first_name'", "unique"});
  ExpectBad(OneField(R"({"name":"a","type":"text"},{"name":"a","type":"text"})"),
            {"form_schema.sections[0].fields[1].name", "'a'"});
}

TEST_CASE("form_schema: required, when present, must be a boolean") {
  ExpectBad(OneField(R"({"name":"age","type":"number","required":"yes"})"),
            {"form_schema.sections[0].fields[0].required", "'age'", "boolean"});
  ExpectBad(OneField(R"({"name":"age","type":"number","required":1})"), {"'age'", "boolean"});
  CHECK(CheckSchema(OneField(R"({"name":"age","type":"number","required":false})")).ok());
}

TEST_CASE("form_schema: select and multi_select options, when present, must be an array") {
  ExpectBad(OneField(R"({"name":"job","type":"select","options":{"a":1}})"),
            {"form_schema.sections[0].fields[0].options", "'job'", "array"});
  ExpectBad(OneField(R"({"name":"langs","type":"multi_select","options":"en,de"})"),
            {"form_schema.sections[0].fields[0].options", "'langs'", "array"});
  CHECK(CheckSchema(OneField(R"({"name":"job","type":"select"})")).ok());  // absent is fine
  CHECK(CheckSchema(OneField(R"({"name":"l","type":"multi_select","options":[]})")).ok());
}

TEST_CASE("form_schema: options are ignored on types other than select and multi_select") {
  for (std::string_view type : {"text", "textarea", "date", "country", "file_reference", "number",
                                "boolean"}) {
    std::string field = R"({"name":"f","type":")" + std::string(type) + R"(","options":"x"})";
    CAPTURE(type);
    CHECK(CheckSchema(OneField(field)).ok());
  }
}

TEST_CASE("form_schema: an unknown type is rejected naming the field and the allowed types") {
  ExpectBad(OneField(R"({"name":"email","type":"email"})"),
            {"form_schema.sections[0].fields[0].type", "'email'", "text, textarea, date"});
  ExpectBad(OneField(R"({"name":"e","type":"Text"})"), {".type", "'e'"});  // case matters
  ExpectBad(OneField(R"({"name":"e","type":1})"), {".type", "'e'"});
  for (std::string_view type : {"text", "textarea", "date", "country", "file_reference", "number",
                                "boolean", "select", "multi_select"}) {
    CHECK(IsFieldType(type));
  }
  CHECK_FALSE(IsFieldType("email"));
  CHECK_FALSE(IsFieldType(""));
}

TEST_CASE("form_schema: a field without a type is rejected") {
  ExpectBad(OneField(R"({"name":"nickname"})"),
            {"form_schema.sections[0].fields[0].type", "'nickname'"});
}

TEST_CASE("form_schema: the seed's example passes, with every field type") {
  CHECK(CheckSchema(kSeedExample).ok());
  CHECK(CheckSchema(R"({"title":"extra keys are fine","sections":[{"fields":[
      {"name":"a","type":"text"},{"name":"b","type":"textarea"},{"name":"c","type":"date"},
      {"name":"d","type":"country"},{"name":"e","type":"file_reference"},
      {"name":"f","type":"number"},{"name":"g","type":"boolean"},
      {"name":"h","type":"select","options":[{"value":"x"}]},
      {"name":"i","type":"multi_select","options":[]}]}]})")
            .ok());
}

}  // namespace
}  // namespace kyc
