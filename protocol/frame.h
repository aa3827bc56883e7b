// The TCP frame codec (PROTOCOL.md §1): a pure incremental decoder and an encoder.
//
// No I/O here. The decoder looks at the bytes received so far and says: a complete
// frame (and how many bytes it used), need more bytes, or an error. Fatal errors
// (bad magic, over-limit length) mean the stream can no longer be framed; the caller
// answers once and closes. Non-fatal errors consume the whole bad frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/status.h"

namespace kyc {

inline constexpr size_t kFrameHeaderSize = 16;
inline constexpr std::string_view kFrameMagic = "KYC1";

enum class FrameKind : uint8_t { kRequest = 0, kResponse = 1, kEvent = 2 };

struct FrameLimits {
  size_t max_body = 1 << 20;  // `length` limit: 1 MiB
};

// A decoded frame. `name` and `json` point into the caller's buffer.
struct FrameView {
  uint32_t request_id = 0;
  FrameKind kind = FrameKind::kRequest;
  uint8_t status = 0;
  std::string_view name;
  std::string_view json;  // empty means {}
};

enum class DecodeState { kFrame, kNeedMore, kError };

struct DecodeResult {
  DecodeState state = DecodeState::kNeedMore;
  size_t consumed = 0;           // bytes to drop from the buffer front
  FrameView frame;               // valid when state == kFrame
  Status error;                  // valid when state == kError
  bool fatal = false;            // kError only: the stream cannot be framed any more
  std::optional<uint32_t> request_id;  // kError only: echo it when it could be read
  std::string_view name;         // kError only: command name when it could be read
};

// Decodes at most one frame from the front of `bytes`.
DecodeResult DecodeFrame(std::string_view bytes, const FrameLimits& limits = {});

// Appends the header and name of a frame whose JSON body, `json_size` bytes, the caller
// sends right after (a shared text written by reference).
void AppendFrameHead(std::string& out, uint32_t request_id, FrameKind kind, uint8_t status,
                     std::string_view name, size_t json_size);

// Appends one encoded frame to `out` (so many responses gather into one write).
void AppendFrame(std::string& out, uint32_t request_id, FrameKind kind, uint8_t status,
                 std::string_view name, std::string_view json);

std::string EncodeFrame(uint32_t request_id, FrameKind kind, uint8_t status, std::string_view name,
                        std::string_view json);

}  // namespace kyc
