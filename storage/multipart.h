// A small multipart/form-data parser (RFC 7578 over RFC 2046) for uploads. Pure: it
// reads a body already in memory and returns views into it. No I/O.
//
// Tolerated: CRLF or bare LF line ends, header names in any case, a preamble before the
// first boundary and an epilogue after the last, transport padding (spaces, tabs) after a
// boundary, folded header lines. Rejected with bad_request: no boundary in the body, a
// missing closing boundary, a part without headers terminated by an empty line, a header
// line without ':', a part without `Content-Disposition: form-data; name=...`.
//
// Parameter values of Content-Disposition follow the HTML form encoding: a quoted value
// runs to the next '"' (browsers send '"' as %22 and never escape with '\\', so a
// Windows path such as "C:\\x\\a.png" keeps its backslashes). Unknown parameters, such
// as filename*, are ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/status.h"

namespace kyc {

struct MultipartPart {
  std::string name;          // Content-Disposition name=
  std::string filename;      // Content-Disposition filename= (empty when absent)
  bool has_filename = false; // filename= was present (it may still be empty: no file chosen)
  std::string content_type;  // the part's Content-Type, trimmed; empty when absent
  std::string_view data;     // the part's bytes; points into the parsed body
};

// The boundary of a `Content-Type: multipart/form-data; boundary=...` header value. The
// media type is matched case-insensitively, the boundary may be quoted. bad_request when
// the type is not multipart/form-data, or the boundary is missing, empty, longer than 70
// characters or has characters RFC 2046 does not allow.
Result<std::string> MultipartBoundary(std::string_view content_type_header);

// Splits `body` into its parts, in order. The returned data views point into `body`,
// which must outlive them. A body with a closing boundary and no parts gives an empty
// vector.
Result<std::vector<MultipartPart>> ParseMultipart(std::string_view boundary,
                                                  std::string_view body);

}  // namespace kyc
