// What an upload may be: the accepted file types, checked by extension and by the real
// signature of the bytes, and the original file name kept as metadata. Pure; no I/O.
//
// Accepted (PROTOCOL.md §5):
//   pdf        starts with "%PDF-"                    application/pdf
//   png        starts with 89 50 4E 47 0D 0A 1A 0A    image/png
//   jpg, jpeg  starts with FF D8 FF                   image/jpeg
// The extension must agree with the signature. The original name never becomes a path:
// files are stored as `<uuid>.<ext>` (see file_store.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/status.h"

namespace kyc {

inline constexpr size_t kDefaultMaxUploadSize = 10 * 1024 * 1024;  // 10 MiB
inline constexpr size_t kMaxFileNameBytes = 255;

struct FileType {
  std::string ext;           // lowercased, as the client named it: "pdf", "png", "jpg", "jpeg"
  std::string content_type;  // "application/pdf", "image/png", "image/jpeg"
};

// Checks an upload and tells its type. In this order:
//   empty bytes                                  → bad_request
//   bytes.size() > max_size                      → too_large
//   no extension, or one not accepted            → bad_request naming the extension
//   the signature disagrees with the extension   → bad_request, e.g. "file 'a.png' is not
//     a PNG image: its content does not start with the PNG signature"
// The extension is the part after the last '.' of the base name (after the last '/' or
// '\\'), lowercased.
Result<FileType> CheckUpload(std::string_view original_name, std::string_view bytes,
                             size_t max_size);

// The original name as stored metadata: the base name after the last '/' or '\\'.
// bad_request (naming the field 'file') when it is empty, "." or "..", contains a control
// character or NUL, is not valid UTF-8, or is longer than kMaxFileNameBytes bytes.
// "../../etc/passwd.png" → "passwd.png".
Result<std::string> CleanOriginalName(std::string_view name);

// The part of `name` after the last '/' or '\\' (all of it when there is none).
std::string_view BaseName(std::string_view name);

}  // namespace kyc
