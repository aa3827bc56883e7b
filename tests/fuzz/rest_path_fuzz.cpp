// libFuzzer: the whole REST path in process. Raw HTTP bytes go to the real gateway
// (Beast's parser, the smuggling checks, router, bearer token, body limits, multipart,
// params merge, dispatch). "$TOKEN" in the input becomes a live admin token and
// "$CLIENT_TOKEN" a client's, so the seed requests (tests/fuzz/corpus/rest_path) reach
// the handlers behind the access check.
// Every answer must be an HTTP/1.1 response whose JSON body is valid.
#include <cstddef>
#include <cstdint>
#include <string>

#include <rapidjson/document.h>

#include "protocol/json.h"
#include "tests/fuzz/in_process_server.h"

namespace {

// Splits the answers (each with Content-Length; the gateway never chunks) and checks each.
void CheckAnswers(std::string_view rest) {
  while (!rest.empty()) {
    if (rest.substr(0, 9) != "HTTP/1.1 ") __builtin_trap();
    size_t end = rest.find("\r\n\r\n");
    if (end == std::string_view::npos) __builtin_trap();
    std::string_view head = rest.substr(0, end);
    size_t cl = head.find("Content-Length: ");
    size_t length = 0;
    if (cl != std::string_view::npos) length = std::strtoul(head.data() + cl + 16, nullptr, 10);
    if (rest.size() < end + 4 + length) __builtin_trap();
    std::string_view body = rest.substr(end + 4, length);
    // 100 Continue has no body; every other answer is JSON.
    if (head.substr(9, 3) != "100") {
      rapidjson::Document doc;
      if (!kyc::ParseJson(body, doc, 1000).ok()) __builtin_trap();
    }
    rest.remove_prefix(end + 4 + length);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& server = kyc::fuzz::InProcessServer::Get();
  server.NextInput();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  for (auto [mark, token] : {std::pair<std::string_view, std::string_view>{"$CLIENT_TOKEN",
                                                                          server.client_token()},
                             {"$TOKEN", server.admin_token()}}) {
    for (size_t at = bytes.find(mark); at != std::string::npos;
         at = bytes.find(mark, at + token.size())) {
      bytes.replace(at, mark.size(), token);
    }
  }
  CheckAnswers(server.Exchange(server.http_port(), bytes));
  return 0;
}
