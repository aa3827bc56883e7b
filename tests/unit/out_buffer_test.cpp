// The TCP output buffer: shared texts referenced in place come out, in order, exactly as
// the same frames appended by copy.
#include <doctest/doctest.h>

#include "protocol/frame.h"
#include "server/out_buffer.h"

namespace kyc {
namespace {

std::string Gather(OutBuffer& out) {
  std::string all;
  for (const auto& b : out.Buffers()) all.append(static_cast<const char*>(b.data()), b.size());
  return all;
}

}  // namespace

TEST_SUITE_BEGIN("out_buffer");

TEST_CASE("out_buffer: shared bodies between copied frames come out in order, byte for byte") {
  auto big = std::make_shared<const std::string>(std::string(3000, 'p'));
  auto other = std::make_shared<const std::string>(std::string(700, 'q'));
  OutBuffer out;
  std::string expected;
  AppendFrame(out.bytes(), 1, FrameKind::kResponse, 0, "Ping", R"({"time":1})");
  AppendFrame(expected, 1, FrameKind::kResponse, 0, "Ping", R"({"time":1})");
  AppendFrameHead(out.bytes(), 2, FrameKind::kResponse, 0, "MngGetKycProfile", big->size());
  out.AppendShared(big);
  AppendFrame(expected, 2, FrameKind::kResponse, 0, "MngGetKycProfile", *big);
  AppendFrameHead(out.bytes(), 3, FrameKind::kResponse, 0, "KycGetProfile", other->size());
  out.AppendShared(other);  // two shared bodies in a row: a header between them
  AppendFrame(expected, 3, FrameKind::kResponse, 0, "KycGetProfile", *other);
  AppendFrame(out.bytes(), 4, FrameKind::kResponse, 5, "X", "{}");
  AppendFrame(expected, 4, FrameKind::kResponse, 5, "X", "{}");

  CHECK(out.size() == expected.size());
  CHECK(Gather(out) == expected);
  // Each frame decodes whole from the gathered bytes.
  std::string all = Gather(out);
  auto d = DecodeFrame(std::string_view(all).substr(DecodeFrame(all).consumed));
  REQUIRE(d.state == DecodeState::kFrame);
  CHECK(d.frame.request_id == 2);
  CHECK(d.frame.json == *big);
}

TEST_CASE("out_buffer: a buffer that ends with a shared body, swap and clear") {
  auto body = std::make_shared<const std::string>(std::string(1000, 'z'));
  OutBuffer a, b;
  AppendFrameHead(a.bytes(), 9, FrameKind::kResponse, 0, "P", body->size());
  a.AppendShared(body);
  CHECK(a.Buffers().size() == 2);
  CHECK(body.use_count() == 2);  // the buffer keeps the text alive
  a.swap(b);
  CHECK(a.empty());
  CHECK(Gather(b) == EncodeFrame(9, FrameKind::kResponse, 0, "P", *body));
  b.clear();
  CHECK(b.empty());
  CHECK(b.size() == 0);
  CHECK(body.use_count() == 1);
}

TEST_SUITE_END();

}  // namespace kyc
