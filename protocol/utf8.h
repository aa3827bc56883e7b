// Text rules below the JSON parser. UTF-8 checks for text that did not come through the JSON parser (which validates its
// own input): URL paths and query strings, file names, CSV cells. Nothing the server
// writes into JSON may be invalid UTF-8 (issue 17: "never echoed broken into JSON").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kyc {

// Well-formed UTF-8: no overlong forms, no surrogates, at most U+10FFFF.
bool IsValidUtf8(std::string_view s);

// `text` as an error message may quote it: kept when it is valid UTF-8 without control
// characters, otherwise every byte outside printable ASCII becomes '?'; cut at `max` bytes
// (on a character boundary) with "…" when longer.
std::string ForMessage(std::string_view text, size_t max = 200);

// A copy with ASCII letters lower-cased and every other byte kept (header names, file
// extensions, e-mail addresses, provider status words).
std::string AsciiLower(std::string_view text);

}  // namespace kyc
