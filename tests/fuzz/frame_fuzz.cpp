// libFuzzer: the TCP frame decoder over any bytes, a stream of frames as the connection
// consumes it. Nothing may crash, read out of bounds, or consume more than it was given.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  kyc::FrameLimits limits;
  limits.max_body = 4096;
  while (!rest.empty()) {
    kyc::DecodeResult d = kyc::DecodeFrame(rest, limits);
    if (d.state == kyc::DecodeState::kNeedMore) break;
    if (d.state == kyc::DecodeState::kError && d.fatal) break;
    if (d.consumed == 0 || d.consumed > rest.size()) __builtin_trap();
    rest.remove_prefix(d.consumed);
  }
  return 0;
}
