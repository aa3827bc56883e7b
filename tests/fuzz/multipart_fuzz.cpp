// libFuzzer: a multipart/form-data body (the upload path) with a fixed boundary, and the
// Content-Type header's boundary parameter.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/file_types.h"
#include "storage/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)kyc::MultipartBoundary(bytes.substr(0, 200));
  auto parts = kyc::ParseMultipart("kyc-fuzz-boundary", bytes);
  if (parts.ok()) {
    for (const auto& p : *parts) {
      if (p.data.data() < bytes.data() || p.data.data() + p.data.size() > bytes.data() + bytes.size()) {
        __builtin_trap();  // a part points into the body
      }
      (void)kyc::CheckUpload(p.filename, p.data, 1 << 20);
    }
  }
  return 0;
}
