// The TCP frame codec (PROTOCOL.md §1): incremental decoding, errors, and the encoder.
#include <cstdint>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "protocol/frame.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

using test::Contains;

// A raw header, so tests can write fields the encoder would never produce.
std::string Header(std::string_view magic, uint32_t length, uint32_t request_id,
                   uint16_t name_len, uint8_t kind = 0, uint8_t status = 0) {
  std::string h(magic);
  for (uint32_t v : {length, request_id}) {
    for (int i = 0; i < 4; ++i) h.push_back(static_cast<char>(v >> (8 * i) & 0xff));
  }
  h.push_back(static_cast<char>(name_len & 0xff));
  h.push_back(static_cast<char>(name_len >> 8));
  h.push_back(static_cast<char>(kind));
  h.push_back(static_cast<char>(status));
  return h;
}

TEST_CASE("frame: the encoder writes the little-endian header of §1") {
  std::string f = EncodeFrame(0x01020304, FrameKind::kResponse, 5, "Ping", R"({"a":1})");
  REQUIRE(f.size() == kFrameHeaderSize + 4 + 7);
  CHECK(f.substr(0, 4) == "KYC1");
  CHECK(f.substr(4, 4) == std::string("\x0b\x00\x00\x00", 4));  // length = 4 + 7
  CHECK(f.substr(8, 4) == std::string("\x04\x03\x02\x01", 4));  // request_id
  CHECK(f.substr(12, 2) == std::string("\x04\x00", 2));         // name_len
  CHECK(f[14] == 1);                                             // kind: response
  CHECK(f[15] == 5);                                             // status
  CHECK(f.substr(16) == R"(Ping{"a":1})");
  CHECK(f == Header("KYC1", 11, 0x01020304, 4, 1, 5) + R"(Ping{"a":1})");
}

TEST_CASE("frame: encode then decode round-trips every field") {
  std::string f = EncodeFrame(0xfffffffe, FrameKind::kEvent, 9, "MngGetManagers", R"({"x":[1,2]})");
  DecodeResult d = DecodeFrame(f);
  REQUIRE(d.state == DecodeState::kFrame);
  CHECK(d.consumed == f.size());
  CHECK(d.frame.request_id == 0xfffffffe);
  CHECK(d.frame.kind == FrameKind::kEvent);
  CHECK(d.frame.status == 9);
  CHECK(d.frame.name == "MngGetManagers");
  CHECK(d.frame.json == R"({"x":[1,2]})");

  // AppendFrame gathers several frames into one buffer.
  std::string out;
  AppendFrame(out, 1, FrameKind::kResponse, 0, "A", "{}");
  AppendFrame(out, 2, FrameKind::kResponse, 0, "B", "{}");
  CHECK(out == EncodeFrame(1, FrameKind::kResponse, 0, "A", "{}") +
                   EncodeFrame(2, FrameKind::kResponse, 0, "B", "{}"));
}

TEST_CASE("frame: a frame fed byte by byte needs more until it is complete") {
  std::string f = EncodeFrame(77, FrameKind::kRequest, 0, "Login", R"({"login":"a"})");
  for (size_t n = 0; n < f.size(); ++n) {
    DecodeResult d = DecodeFrame(std::string_view(f).substr(0, n));
    CHECK_MESSAGE(d.state == DecodeState::kNeedMore, "prefix of ", n, " bytes");
    CHECK(d.consumed == 0);
  }
  DecodeResult d = DecodeFrame(f);
  REQUIRE(d.state == DecodeState::kFrame);
  CHECK(d.consumed == f.size());
  CHECK(d.frame.request_id == 77);
  CHECK(d.frame.name == "Login");
  CHECK(d.frame.json == R"({"login":"a"})");
}

TEST_CASE("frame: pipelined frames in one buffer are decoded one at a time") {
  std::vector<std::string> frames = {
      EncodeFrame(1, FrameKind::kRequest, 0, "Ping", ""),
      EncodeFrame(2, FrameKind::kRequest, 0, "Login", R"({"login":"x","password":"y"})"),
      EncodeFrame(3, FrameKind::kRequest, 0, "Logout", "{}"),
  };
  std::string next = EncodeFrame(4, FrameKind::kRequest, 0, "Ping", "{}");
  std::string buf = frames[0] + frames[1] + frames[2] + next.substr(0, 10);

  std::string_view rest = buf;
  for (size_t i = 0; i < frames.size(); ++i) {
    DecodeResult d = DecodeFrame(rest);
    REQUIRE(d.state == DecodeState::kFrame);
    CHECK(d.consumed == frames[i].size());
    CHECK(d.frame.request_id == i + 1);
    rest.remove_prefix(d.consumed);
  }
  CHECK(rest.size() == 10);
  CHECK(DecodeFrame(rest).state == DecodeState::kNeedMore);
}

TEST_CASE("frame: an empty JSON part decodes as an empty view (meaning {})") {
  std::string f = EncodeFrame(5, FrameKind::kRequest, 0, "Ping", "");
  CHECK(f.size() == kFrameHeaderSize + 4);
  DecodeResult d = DecodeFrame(f);
  REQUIRE(d.state == DecodeState::kFrame);
  CHECK(d.frame.name == "Ping");
  CHECK(d.frame.json.empty());
  CHECK(d.consumed == f.size());
}

TEST_CASE("frame: a bad magic is fatal bad_request, even before 16 bytes arrived") {
  SUBCASE("another protocol, a few bytes") {
    DecodeResult d = DecodeFrame("GET ");
    REQUIRE(d.state == DecodeState::kError);
    CHECK(d.fatal);
    CHECK(d.error.code() == Code::kBadRequest);
    CHECK(Contains(d.error.message(), "magic"));
    CHECK_FALSE(d.request_id.has_value());
  }
  SUBCASE("one wrong byte") {
    DecodeResult d = DecodeFrame("X");
    REQUIRE(d.state == DecodeState::kError);
    CHECK(d.fatal);
    CHECK(d.error.code() == Code::kBadRequest);
  }
  SUBCASE("a right prefix still needs more") {
    CHECK(DecodeFrame("KYC").state == DecodeState::kNeedMore);
    CHECK(DecodeFrame(std::string_view()).state == DecodeState::kNeedMore);
  }
  SUBCASE("a complete header with a wrong magic echoes its request_id") {
    std::string f = Header("KYC2", 4, 4242, 4) + "Ping";
    DecodeResult d = DecodeFrame(f);
    REQUIRE(d.state == DecodeState::kError);
    CHECK(d.fatal);
    CHECK(d.error.code() == Code::kBadRequest);
    REQUIRE(d.request_id.has_value());
    CHECK(*d.request_id == 4242);
  }
}

TEST_CASE("frame: an over-limit length is fatal too_large and echoes the request_id") {
  // The header alone is enough: the server must not wait for a body it will not read.
  std::string h = Header("KYC1", (1u << 20) + 1, 31337, 4);
  DecodeResult d = DecodeFrame(h);
  REQUIRE(d.state == DecodeState::kError);
  CHECK(d.fatal);
  CHECK(d.error.code() == Code::kTooLarge);
  REQUIRE(d.request_id.has_value());
  CHECK(*d.request_id == 31337);
  CHECK(Contains(d.error.message(), "1048577"));

  // Exactly at the default limit is fine: it just needs the body.
  CHECK(DecodeFrame(Header("KYC1", 1u << 20, 1, 4)).state == DecodeState::kNeedMore);
}

TEST_CASE("frame: the body limit is configurable") {
  FrameLimits limits{10};
  std::string ok = EncodeFrame(1, FrameKind::kRequest, 0, "Ping", R"({"a":1})");  // 4 + 7 = 11
  DecodeResult d = DecodeFrame(ok, limits);
  REQUIRE(d.state == DecodeState::kError);
  CHECK(d.error.code() == Code::kTooLarge);
  CHECK(d.fatal);

  std::string small = EncodeFrame(2, FrameKind::kRequest, 0, "Ping", "{}");  // 6 bytes
  CHECK(DecodeFrame(small, limits).state == DecodeState::kFrame);
  CHECK(DecodeFrame(ok, FrameLimits{11}).state == DecodeState::kFrame);
  CHECK(DecodeFrame(ok).state == DecodeState::kFrame);  // the default limit is 1 MiB
}

TEST_CASE("frame: name_len larger than length is non-fatal and consumes the whole frame") {
  std::string bad = Header("KYC1", 3, 12, 5) + "abc";
  std::string good = EncodeFrame(13, FrameKind::kRequest, 0, "Ping", "{}");
  std::string buf = bad + good;
  DecodeResult d = DecodeFrame(buf);
  REQUIRE(d.state == DecodeState::kError);
  CHECK_FALSE(d.fatal);
  CHECK(d.error.code() == Code::kBadRequest);
  CHECK(Contains(d.error.message(), "name_len"));
  CHECK(d.consumed == bad.size());
  REQUIRE(d.request_id.has_value());
  CHECK(*d.request_id == 12);

  // The stream is still framed: the next frame decodes.
  DecodeResult next = DecodeFrame(std::string_view(buf).substr(d.consumed));
  REQUIRE(next.state == DecodeState::kFrame);
  CHECK(next.frame.request_id == 13);
}

TEST_CASE("frame: a command name that is not printable ASCII is non-fatal bad_request") {
  for (std::string name : {std::string("Pi\xc3\xa9ng"), std::string("Pi ng"), std::string(""),
                           std::string("Ping\n")}) {
    CAPTURE(name);
    std::string f = EncodeFrame(8, FrameKind::kRequest, 0, name, "{}");
    DecodeResult d = DecodeFrame(f + EncodeFrame(9, FrameKind::kRequest, 0, "Ping", ""));
    REQUIRE(d.state == DecodeState::kError);
    CHECK_FALSE(d.fatal);
    CHECK(d.error.code() == Code::kBadRequest);
    CHECK(d.consumed == f.size());
    REQUIRE(d.request_id.has_value());
    CHECK(*d.request_id == 8);
  }
}

TEST_CASE("frame: a response may have an empty name (the answer to an unreadable frame)") {
  std::string f = EncodeFrame(0, FrameKind::kResponse, 1, "", R"({"error":{}})");
  DecodeResult d = DecodeFrame(f);
  REQUIRE(d.state == DecodeState::kFrame);
  CHECK(d.frame.kind == FrameKind::kResponse);
  CHECK(d.frame.name.empty());
  CHECK(d.frame.status == 1);
  // A request still needs a name.
  CHECK(DecodeFrame(EncodeFrame(0, FrameKind::kRequest, 0, "", "{}")).state == DecodeState::kError);
}

TEST_CASE("frame: an unknown kind is non-fatal and keeps the command name") {
  std::string f = Header("KYC1", 6, 21, 4, /*kind=*/3) + "Ping{}";
  DecodeResult d = DecodeFrame(f);
  REQUIRE(d.state == DecodeState::kError);
  CHECK_FALSE(d.fatal);
  CHECK(d.error.code() == Code::kBadRequest);
  CHECK(d.consumed == f.size());
  CHECK(d.name == "Ping");
  CHECK(*d.request_id == 21);
}

}  // namespace
}  // namespace kyc
