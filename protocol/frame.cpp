#include "protocol/frame.h"

#include <cstring>

namespace kyc {
namespace {

uint32_t ReadU32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t(u[0]) | uint32_t(u[1]) << 8 | uint32_t(u[2]) << 16 | uint32_t(u[3]) << 24;
}

uint16_t ReadU16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint16_t(u[0] | u[1] << 8);
}

void PutU32(std::string& out, uint32_t v) {
  char b[4] = {char(v & 0xff), char(v >> 8 & 0xff), char(v >> 16 & 0xff), char(v >> 24 & 0xff)};
  out.append(b, 4);
}

bool IsCommandName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c < 0x21 || c > 0x7e) return false;  // printable ASCII, no spaces
  }
  return true;
}

DecodeResult Fail(Code code, std::string message, bool fatal, std::optional<uint32_t> rid,
                  size_t consumed = 0) {
  DecodeResult r;
  r.state = DecodeState::kError;
  r.error = Status(code, std::move(message));
  r.fatal = fatal;
  r.request_id = rid;
  r.consumed = consumed;
  return r;
}

}  // namespace

DecodeResult DecodeFrame(std::string_view bytes, const FrameLimits& limits) {
  // Reject a wrong magic as soon as the bytes seen so far disagree with it, so a
  // client speaking another protocol is answered without waiting for 16 bytes.
  size_t seen = std::min(bytes.size(), kFrameMagic.size());
  if (bytes.substr(0, seen) != kFrameMagic.substr(0, seen)) {
    // Echo the request_id when the header is complete (docs/PROTOCOL.md §8).
    std::optional<uint32_t> rid;
    if (bytes.size() >= kFrameHeaderSize) rid = ReadU32(bytes.data() + 8);
    return Fail(Code::kBadRequest, "bad frame magic: expected \"KYC1\"", true, rid);
  }
  if (bytes.size() < kFrameHeaderSize) return {};

  const char* h = bytes.data();
  const uint32_t length = ReadU32(h + 4);
  const uint32_t rid = ReadU32(h + 8);
  const uint16_t name_len = ReadU16(h + 12);
  const uint8_t kind = static_cast<uint8_t>(h[14]);
  const uint8_t status = static_cast<uint8_t>(h[15]);

  if (length > limits.max_body) {
    return Fail(Code::kTooLarge,
                fmt::format("frame length {} is over the limit of {} bytes", length, limits.max_body),
                true, rid);
  }
  const size_t total = kFrameHeaderSize + length;
  if (bytes.size() < total) return {};

  // From here the frame boundary is known: errors consume the frame and keep the stream.
  if (name_len > length) {
    return Fail(Code::kBadRequest,
                fmt::format("name_len {} is larger than the body length {}", name_len, length),
                false, rid, total);
  }
  std::string_view name = bytes.substr(kFrameHeaderSize, name_len);
  // A response to a frame whose name could not be read (bad magic, over-limit length)
  // carries an empty name: clients must still be able to read that answer.
  const bool nameless_response =
      name.empty() && kind == static_cast<uint8_t>(FrameKind::kResponse);
  if (!nameless_response && !IsCommandName(name)) {
    return Fail(Code::kBadRequest, "command name must be non-empty printable ASCII", false, rid,
                total);
  }
  if (kind > static_cast<uint8_t>(FrameKind::kEvent)) {
    auto r = Fail(Code::kBadRequest, fmt::format("unknown frame kind {}", kind), false, rid, total);
    r.name = name;
    return r;
  }

  DecodeResult r;
  r.state = DecodeState::kFrame;
  r.consumed = total;
  r.frame.request_id = rid;
  r.frame.kind = static_cast<FrameKind>(kind);
  r.frame.status = status;
  r.frame.name = name;
  r.frame.json = bytes.substr(kFrameHeaderSize + name_len, length - name_len);
  return r;
}

void AppendFrameHead(std::string& out, uint32_t request_id, FrameKind kind, uint8_t status,
                     std::string_view name, size_t json_size) {
  const size_t length = name.size() + json_size;
  out.append(kFrameMagic);
  PutU32(out, static_cast<uint32_t>(length));
  PutU32(out, request_id);
  out.push_back(char(name.size() & 0xff));
  out.push_back(char(name.size() >> 8 & 0xff));
  out.push_back(char(kind));
  out.push_back(char(status));
  out.append(name);
}

void AppendFrame(std::string& out, uint32_t request_id, FrameKind kind, uint8_t status,
                 std::string_view name, std::string_view json) {
  out.reserve(out.size() + kFrameHeaderSize + name.size() + json.size());
  AppendFrameHead(out, request_id, kind, status, name, json.size());
  out.append(json);
}

std::string EncodeFrame(uint32_t request_id, FrameKind kind, uint8_t status, std::string_view name,
                        std::string_view json) {
  std::string out;
  AppendFrame(out, request_id, kind, status, name, json);
  return out;
}

}  // namespace kyc
