// Small helpers shared by the unit tests: printing Codes, parsing JSON bodies, substring checks.
#pragma once

#include <string>
#include <string_view>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "protocol/json.h"
#include "protocol/status.h"

namespace doctest {
template <>
struct StringMaker<kyc::Code> {
  static String convert(kyc::Code code) {
    std::string s = code == kyc::Code::kOk ? std::string("ok") : std::string(kyc::CodeName(code));
    return String(s.c_str());
  }
};
}  // namespace doctest

namespace kyc::test {

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Parses JSON text that the code under test produced; fails the test when it is not JSON.
inline rapidjson::Document ParseDoc(std::string_view json) {
  rapidjson::Document doc;
  Status s = ParseJson(json, doc);
  REQUIRE_MESSAGE(s.ok(), "not JSON: ", std::string(json), " (", s.message(), ")");
  return doc;
}

inline std::string Str(const rapidjson::Value& obj, const char* key) {
  REQUIRE_MESSAGE(obj.HasMember(key), "missing member ", key);
  REQUIRE_MESSAGE(obj[key].IsString(), "member ", key, " is not a string");
  return std::string(obj[key].GetString(), obj[key].GetStringLength());
}

inline int64_t Int(const rapidjson::Value& obj, const char* key) {
  REQUIRE_MESSAGE(obj.HasMember(key), "missing member ", key);
  REQUIRE_MESSAGE(obj[key].IsInt64(), "member ", key, " is not an integer");
  return obj[key].GetInt64();
}

inline bool Bool(const rapidjson::Value& obj, const char* key) {
  REQUIRE_MESSAGE(obj.HasMember(key), "missing member ", key);
  REQUIRE_MESSAGE(obj[key].IsBool(), "member ", key, " is not a boolean");
  return obj[key].GetBool();
}

}  // namespace kyc::test
