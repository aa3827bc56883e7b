// libFuzzer: the whole TCP path in process. Any bytes, after an Auth frame that makes the
// connection a fresh admin session's, go to the real kyc-server listener (frame decoder, ordering,
// dispatch, handlers on ":memory:" bases with a fake clock). Every answer must be a
// well-formed response frame whose body is valid JSON: input never comes back broken.
#include <cstddef>
#include <cstdint>
#include <string>

#include <rapidjson/document.h>

#include "protocol/frame.h"
#include "protocol/json.h"
#include "tests/fuzz/in_process_server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& server = kyc::fuzz::InProcessServer::Get();
  server.NextInput();
  std::string bytes;
  kyc::AppendFrame(bytes, 0, kyc::FrameKind::kRequest, 0, "Auth",
                   R"({"token":")" + server.admin_token() + "\"}");
  bytes.append(reinterpret_cast<const char*>(data), size);
  const std::string answers = server.Exchange(server.tcp_port(), bytes);

  std::string_view rest(answers);
  kyc::FrameLimits limits;
  limits.max_body = 64u << 20;
  bool first = true;
  while (!rest.empty()) {
    kyc::DecodeResult d = kyc::DecodeFrame(rest, limits);
    // The server only ever sends whole, well-formed response frames.
    if (d.state != kyc::DecodeState::kFrame) __builtin_trap();
    if (d.frame.kind != kyc::FrameKind::kResponse) __builtin_trap();
    rapidjson::Document doc;
    if (!kyc::ParseJson(d.frame.json, doc, 1000).ok()) __builtin_trap();
    // The harness's own Auth comes first and succeeds: the input runs as the admin.
    if (first && (d.frame.name != "Auth" || d.frame.status != 0)) __builtin_trap();
    first = false;
    rest.remove_prefix(d.consumed);
  }
  if (first) __builtin_trap();  // not even the Auth was answered
  return 0;
}
