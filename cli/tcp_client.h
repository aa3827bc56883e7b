// A blocking client of the TCP command protocol, for kycctl, the tests and the benches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/frame.h"
#include "protocol/status.h"

namespace kyc {

struct Reply {
  Code code = Code::kOk;   // from the frame status
  std::string name;        // command name echoed by the server
  uint32_t request_id = 0;
  std::string body;        // result JSON, or the error JSON (an event: the event)
  bool event = false;      // an event frame (kind 2): `name` is its topic
  bool ok() const { return code == Code::kOk; }
};

class TcpClient {
 public:
  TcpClient();
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  // Connects (with a timeout in seconds applied to every later read as well).
  [[nodiscard]] Status Connect(const std::string& host, uint16_t port, int timeout_seconds = 30);
  // Sends one request and waits for its response. A transport failure is `unavailable`.
  [[nodiscard]] Result<Reply> Call(std::string_view command, std::string_view json = "{}");
  // Low level, for pipelining tests: send raw bytes, read one response frame.
  [[nodiscard]] Status SendRaw(std::string_view bytes);
  [[nodiscard]] Result<Reply> ReadReply();  // event frames met meanwhile are kept
  // The next event frame (Subscribe): one kept by ReadReply, or the next read.
  [[nodiscard]] Result<Reply> ReadEvent();
  // True when the server closed the connection (reads EOF within `timeout_ms`).
  bool ClosedByPeer(int timeout_ms = 2000);
  void Close();

 private:
  Result<Reply> ReadFrame();  // the next frame of any kind
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint32_t next_id_ = 1;
};

}  // namespace kyc
