#include "storage/file_types.h"

#include "protocol/utf8.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace kyc {
namespace {

struct Accepted {
  std::string_view ext;
  std::string_view content_type;
  std::string_view signature;
  std::string_view what;            // "a PDF document"
  std::string_view signature_name;  // "%PDF-"
};

using namespace std::string_view_literals;

constexpr std::string_view kPdfSig = "%PDF-"sv;
constexpr std::string_view kPngSig = "\x89PNG\r\n\x1a\n"sv;
constexpr std::string_view kJpegSig = "\xFF\xD8\xFF"sv;

// A CSV statement (reconciliation) has no signature: its content must be text instead.
constexpr std::array<Accepted, 5> kAccepted{{
    {"pdf", "application/pdf", kPdfSig, "a PDF document", "%PDF-"},
    {"png", "image/png", kPngSig, "a PNG image", "the PNG signature"},
    {"jpg", "image/jpeg", kJpegSig, "a JPEG image", "the JPEG signature"},
    {"jpeg", "image/jpeg", kJpegSig, "a JPEG image", "the JPEG signature"},
    {"csv", "text/csv", ""sv, "a CSV text", ""},
}};

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7F;
  });
}

// The name as error messages quote it (protocol/utf8.h), at most kMaxFileNameBytes.
std::string QuotedName(std::string_view name) {
  return ForMessage(name.substr(0, kMaxFileNameBytes), kMaxFileNameBytes);
}

}  // namespace

std::string_view BaseName(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

Result<FileType> CheckUpload(std::string_view original_name, std::string_view bytes,
                             size_t max_size) {
  const std::string base = QuotedName(BaseName(original_name));
  if (bytes.empty()) return Error(Code::kBadRequest, "file '{}' is empty", base);
  if (bytes.size() > max_size) {
    return Error(Code::kTooLarge, "file '{}' is {} bytes, over the upload limit of {} bytes", base,
                 bytes.size(), max_size);
  }
  std::string_view raw = BaseName(original_name);
  size_t dot = raw.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == raw.size()) {
    return Error(Code::kBadRequest,
                 "file '{}' has no extension; accepted types are pdf, png, jpg, jpeg and csv",
                 base);
  }
  std::string ext = AsciiLower(raw.substr(dot + 1));
  for (const Accepted& a : kAccepted) {
    if (a.ext != ext) continue;
    if (a.signature.empty()) {  // text: UTF-8 with no control character but tab and newlines
      const bool binary = std::any_of(bytes.begin(), bytes.end(), [](char ch) {
        auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F;
      });
      if (binary || !IsValidUtf8(bytes)) {
        return Error(Code::kBadRequest, "file '{}' is not {}: it holds binary data", base, a.what);
      }
      return FileType{std::move(ext), std::string(a.content_type)};
    }
    if (!bytes.starts_with(a.signature)) {
      return Error(Code::kBadRequest, "file '{}' is not {}: its content does not start with {}",
                   base, a.what, a.signature_name);
    }
    return FileType{std::move(ext), std::string(a.content_type)};
  }
  return Error(Code::kBadRequest,
               "file '{}' has the extension '{}', which is not accepted; accepted types are pdf, "
               "png, jpg, jpeg and csv",
               base, QuotedName(ext));
}

Result<std::string> CleanOriginalName(std::string_view name) {
  std::string_view base = BaseName(name);
  if (base.empty()) return Error(Code::kBadRequest, "field 'file': the filename is empty");
  if (base == "." || base == "..") {
    return Error(Code::kBadRequest, "field 'file': the filename '{}' is not a file name", base);
  }
  if (base.size() > kMaxFileNameBytes) {
    return Error(Code::kBadRequest, "field 'file': the filename is longer than {} bytes",
                 kMaxFileNameBytes);
  }
  if (HasControl(base)) {
    return Error(Code::kBadRequest, "field 'file': the filename contains a control character");
  }
  if (!IsValidUtf8(base)) {
    return Error(Code::kBadRequest, "field 'file': the filename is not valid UTF-8");
  }
  return std::string(base);
}

}  // namespace kyc
