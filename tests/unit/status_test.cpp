// The status table of PROTOCOL.md §1: frame status, HTTP status and error.code per Code.
#include <string>

#include <doctest/doctest.h>

#include "protocol/status.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

struct Row {
  Code code;
  int frame_status;
  int http;
  std::string_view name;
};

// Copied from the table in PROTOCOL.md §1, not from the code.
constexpr Row kContract[] = {
    {Code::kOk, 0, 200, ""},
    {Code::kBadRequest, 1, 400, "bad_request"},
    {Code::kUnauthorized, 2, 401, "unauthorized"},
    {Code::kForbidden, 3, 403, "forbidden"},
    {Code::kNotFound, 4, 404, "not_found"},
    {Code::kConflict, 5, 409, "conflict"},
    {Code::kTooLarge, 6, 413, "too_large"},
    {Code::kRateLimited, 7, 429, "rate_limited"},
    {Code::kUnknownCommand, 8, 400, "unknown_command"},
    {Code::kInternal, 9, 500, "internal"},
    {Code::kUnavailable, 10, 503, "unavailable"},
};

TEST_CASE("status: every code maps to the frame status, HTTP status and error.code of §1") {
  for (const Row& row : kContract) {
    CAPTURE(row.frame_status);
    CHECK(FrameStatus(row.code) == row.frame_status);
    CHECK(HttpStatus(row.code) == row.http);
    CHECK(CodeName(row.code) == row.name);
    CHECK(Info(row.code).code == row.code);
    // And back: the frame byte and the name identify the code.
    CHECK(CodeFromFrameStatus(static_cast<uint8_t>(row.frame_status)) == row.code);
    if (!row.name.empty()) CHECK(CodeFromName(row.name) == row.code);
  }
}

TEST_CASE("status: unknown frame bytes and names map to internal") {
  CHECK(CodeFromFrameStatus(11) == Code::kInternal);
  CHECK(CodeFromFrameStatus(255) == Code::kInternal);
  CHECK(CodeFromName("no_such_code") == Code::kInternal);
  CHECK(CodeFromName("Conflict") == Code::kInternal);  // names are exact
}

TEST_CASE("status: Status values") {
  Status ok;
  CHECK(ok.ok());
  CHECK(ok.code() == Code::kOk);
  CHECK(Status::Ok().ok());

  Status s = Error(Code::kConflict, "step {} is {}", 17, "approved");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == Code::kConflict);
  CHECK(s.message() == "step 17 is approved");

  Result<int> good(5);
  CHECK(good.ok());
  CHECK(good.value() == 5);
  CHECK(good.status().ok());
  Result<int> bad(Status(Code::kNotFound, "gone"));
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kNotFound);
}

TEST_CASE("status: ToJson is {\"error\":{\"code\",\"message\"}} and escapes the message") {
  Status s(Code::kConflict, "step 17 is \"approved\"; only a pending step can be approved");
  CHECK(s.ToJson() == R"({"error":{"code":"conflict","message":"step 17 is \"approved\"; only a )"
                      R"(pending step can be approved"}})");

  for (const Row& row : kContract) {
    if (row.code == Code::kOk) continue;
    auto doc = test::ParseDoc(Status(row.code, "m\n\\").ToJson());
    REQUIRE(doc.IsObject());
    CHECK(doc.MemberCount() == 1);
    REQUIRE(doc.HasMember("error"));
    const auto& e = doc["error"];
    REQUIRE(e.IsObject());
    CHECK(e.MemberCount() == 2);
    CHECK(test::Str(e, "code") == row.name);
    CHECK(test::Str(e, "message") == "m\n\\");
  }
}

}  // namespace
}  // namespace kyc
