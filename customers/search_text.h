// How names are compared in the client search: case- and accent-insensitive, by Unicode
// (utf8proc: canonical decomposition, case folding, combining marks stripped), with runs
// of spaces collapsed. "  Müller-Lüdenscheidt " and "muller-ludenscheidt" fold alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kyc {

// nullopt when `text` is not valid UTF-8.
std::optional<std::string> FoldForSearch(std::string_view text);

}  // namespace kyc
