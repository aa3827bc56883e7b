#include "customers/search_text.h"

#include <cstdlib>
#include <memory>

#include <utf8proc.h>

namespace kyc {

std::optional<std::string> FoldForSearch(std::string_view text) {
  utf8proc_uint8_t* folded = nullptr;
  const auto options = utf8proc_option_t(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                         UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    utf8proc_ssize_t(text.size()), &folded, options);
  if (n < 0) return std::nullopt;
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(folded, &std::free);
  std::string out;
  out.reserve(size_t(n));
  bool space = false;
  for (utf8proc_ssize_t i = 0; i < n; ++i) {
    const char c = char(folded[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace kyc
