// JSON params: parsing with the depth limit, and ParamReader's typed fields.
#include <string>

#include <doctest/doctest.h>

#include "protocol/json.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

using test::Contains;

// An object nested `depth` levels deep: {"a":[[...]]}.
std::string Nested(size_t depth) {
  return R"({"a":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

Params Parsed(std::string_view json) {
  auto p = ParseParams(json);
  REQUIRE_MESSAGE(p.ok(), p.status().message());
  return std::move(p.value());
}

TEST_CASE("json: nesting depth 64 is accepted and 65 is rejected") {
  CHECK(JsonDepth(Nested(64)) == 64);
  CHECK(JsonDepth(Nested(65)) == 65);
  CHECK(ParseParams(Nested(64)).ok());

  auto deep = ParseParams(Nested(65));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().code() == Code::kBadRequest);
  CHECK(Contains(deep.status().message(), "depth 65"));

  // The limit is a parameter (the server takes it from its config).
  CHECK_FALSE(ParseParams(Nested(10), 9).ok());
  CHECK(ParseParams(Nested(10), 10).ok());

  // Far deeper than the stack could take: rejected before RapidJSON recurses.
  auto huge = ParseParams(std::string(100000, '['));
  CHECK(huge.status().code() == Code::kBadRequest);
}

TEST_CASE("json: brackets inside strings do not count towards the depth") {
  std::string s = R"({"a":")" + std::string(200, '[') + std::string(100, '{') + R"("})";
  CHECK(JsonDepth(s) == 1);
  CHECK(ParseParams(s).ok());
  // An escaped quote does not end the string.
  std::string e = R"({"a":"\"[[[[[[","b":{"c":[]}})";
  CHECK(JsonDepth(e) == 3);
  CHECK(JsonDepth(R"({"a":"\\","b":[[1]]})") == 3);  // an escaped backslash ends the escape
}

TEST_CASE("json: invalid JSON is bad_request naming the offset") {
  for (std::string_view bad : {R"({"a":})", R"({"a":1)", R"({'a':1})", "{\"a\":1} x", "nul"}) {
    CAPTURE(bad);
    auto p = ParseParams(bad);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Code::kBadRequest);
    CHECK(Contains(p.status().message(), "invalid JSON at offset"));
  }
}

TEST_CASE("json: params that are not an object are bad_request") {
  for (std::string_view bad : {"[]", "[1]", "1", R"("x")", "null", "true"}) {
    CAPTURE(bad);
    auto p = ParseParams(bad);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Code::kBadRequest);
    CHECK(p.status().message() == "params must be a JSON object");
  }
}

TEST_CASE("json: empty or blank text means {}") {
  for (std::string_view blank : {"", " ", "\r\n\t "}) {
    Params p = Parsed(blank);
    CHECK(p.doc.IsObject());
    CHECK(p.doc.MemberCount() == 0);
  }
}

TEST_CASE("json: invalid UTF-8 is rejected") {
  auto p = ParseParams("{\"name\":\"caf\xe9\"}");  // Latin-1 é
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == Code::kBadRequest);
  CHECK_FALSE(ParseParams("{\"n\":\"\xc3\x28\"}").ok());       // bad continuation byte
  CHECK(ParseParams("{\"n\":\"caf\xc3\xa9 \xe2\x82\xac\"}").ok());  // valid UTF-8
}

TEST_CASE("json: ParamReader reads required and optional fields") {
  Params p = Parsed(R"({"s":"abc","i":-7,"b":false,"o":{"k":1},"n":null})");
  ParamReader r(p);
  CHECK(r.String("s") == "abc");
  CHECK(r.Int("i") == -7);
  CHECK(r.OptBool("b") == false);
  REQUIRE(r.OptObject("o") != nullptr);
  CHECK(r.OptString("n") == std::nullopt);  // null is absent
  CHECK(r.OptString("missing") == std::nullopt);
  CHECK(r.OptInt("missing2") == std::nullopt);
  CHECK(r.OptBool("missing3") == std::nullopt);
  CHECK_FALSE(r.Has("missing4"));
  CHECK(r.Finish().ok());
}

TEST_CASE("json: a missing or empty required field is bad_request naming it") {
  SUBCASE("missing string") {
    Params p = Parsed("{}");
    ParamReader r(p);
    (void)r.String("login");
    Status s = r.Finish();
    CHECK(s.code() == Code::kBadRequest);
    CHECK(s.message() == "field 'login' is required");
  }
  SUBCASE("empty string") {
    Params p = Parsed(R"({"login":""})");
    ParamReader r(p);
    (void)r.String("login");
    CHECK(r.Finish().message() == "field 'login' is required");
  }
  SUBCASE("missing integer") {
    Params p = Parsed("{}");
    ParamReader r(p);
    (void)r.Int("id");
    CHECK(r.Finish().message() == "field 'id' is required");
  }
}

TEST_CASE("json: wrong types are bad_request naming the field, the first error wins") {
  Params p = Parsed(R"({"s":5,"i":"5","f":1.5,"g":1.0,"b":"true","o":[],"big":1e30})");
  auto check = [&](auto read, std::string_view message) {
    ParamReader r(p);
    read(r);
    Status s = r.Finish();
    CHECK(s.code() == Code::kBadRequest);
    CHECK(s.message() == message);
  };
  check([](ParamReader& r) { (void)r.String("s"); }, "field 's' must be a string");
  check([](ParamReader& r) { (void)r.Int("i"); }, "field 'i' must be an integer");
  check([](ParamReader& r) { (void)r.OptInt("f"); }, "field 'f' must be an integer");
  check([](ParamReader& r) { (void)r.OptInt("g"); }, "field 'g' must be an integer");
  check([](ParamReader& r) { (void)r.OptInt("big"); }, "field 'big' must be an integer");
  check([](ParamReader& r) { (void)r.OptBool("b"); }, "field 'b' must be a boolean");
  check([](ParamReader& r) { (void)r.OptObject("o"); }, "field 'o' must be a JSON object");
  check(
      [](ParamReader& r) {
        (void)r.OptInt("i");
        (void)r.OptBool("b");
      },
      "field 'i' must be an integer");
}

TEST_CASE("json: strings over their length limit are bad_request") {
  Params p = Parsed(R"({"code":"abcdef"})");
  ParamReader ok(p);
  CHECK(ok.String("code", 6) == "abcdef");
  ParamReader r(p);
  (void)r.String("code", 5);
  CHECK(r.Finish().message() == "field 'code' is longer than 5 bytes");
}

TEST_CASE("json: Finish reports a field no reader asked for") {
  Params p = Parsed(R"({"login":"a","passwrd":"b"})");
  ParamReader r(p);
  CHECK(r.String("login") == "a");
  (void)r.OptString("password");
  Status s = r.Finish();
  CHECK(s.code() == Code::kBadRequest);
  CHECK(s.message() == "unknown field 'passwrd'");
}

TEST_CASE("json: URL text fields are parsed as integers and booleans, JSON strings are not") {
  Params p;
  p.SetText("id", "17");
  p.SetText("neg", "-3");
  p.SetText("t", "true");
  p.SetText("one", "1");
  p.SetText("f", "false");
  p.SetText("zero", "0");
  CHECK(p.IsTextField("id"));
  CHECK_FALSE(p.IsTextField("other"));
  ParamReader r(p);
  CHECK(r.Int("id") == 17);
  CHECK(r.OptInt("neg") == -3);
  CHECK(r.OptBool("t") == true);
  CHECK(r.OptBool("one") == true);
  CHECK(r.OptBool("f") == false);
  CHECK(r.OptBool("zero") == false);
  CHECK(r.Finish().ok());

  // Malformed text is still a type error.
  for (std::string_view bad : {"17x", "", " 1", "1.0", "99999999999999999999"}) {
    Params q;
    q.SetText("id", bad);
    ParamReader rq(q);
    CAPTURE(bad);
    CHECK_FALSE(rq.OptInt("id").has_value());
    CHECK(rq.Finish().message() == "field 'id' must be an integer");
  }
  for (std::string_view bad : {"yes", "TRUE", "2", ""}) {
    Params q;
    q.SetText("flag", bad);
    ParamReader rq(q);
    CAPTURE(bad);
    CHECK_FALSE(rq.OptBool("flag").has_value());
    CHECK(rq.Finish().message() == "field 'flag' must be a boolean");
  }

  // The same strings in a JSON body are not URL text: no parsing.
  Params body = Parsed(R"({"id":"17","t":"true"})");
  ParamReader rb(body);
  CHECK_FALSE(rb.OptInt("id").has_value());
  CHECK(rb.Finish().message() == "field 'id' must be an integer");
  ParamReader rb2(body);
  CHECK_FALSE(rb2.OptBool("t").has_value());
  CHECK(rb2.Finish().message() == "field 't' must be a boolean");
}

TEST_CASE("json: SetText replaces a body value and a text field is still read as a string") {
  Params p = Parsed(R"({"brand":"body","id":5})");
  p.SetText("brand", "query");
  p.SetText("id", "6");
  CHECK(p.doc.MemberCount() == 2);
  ParamReader r(p);
  CHECK(r.String("brand") == "query");
  CHECK(r.Int("id") == 6);
  CHECK(r.Finish().ok());
}

TEST_CASE("json: JsonOut writes compact JSON") {
  JsonOut o;
  o.BeginObject().Key("a").Int(-1).Key("b").Str("x\"y").Key("c").Bool(true).Key("d").Null();
  o.Key("e").OptInt(std::nullopt).Key("f").OptInt(3).Key("g").Raw(R"({"k":[1]})");
  o.Key("h").BeginArray().Int(1).EndArray().EndObject();
  CHECK(o.Take() ==
        R"({"a":-1,"b":"x\"y","c":true,"d":null,"e":null,"f":3,"g":{"k":[1]},"h":[1]})");
}

}  // namespace
}  // namespace kyc
