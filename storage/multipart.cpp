#include "storage/multipart.h"

#include <algorithm>
#include <optional>

#include "protocol/utf8.h"

namespace kyc {
namespace {

constexpr size_t kMaxBoundary = 70;  // RFC 2046 §5.1.1

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && (IsSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}


// Text from the request as an error message quotes it: at most 100 bytes, every byte
// outside printable ASCII shown as '?', so the error body stays valid JSON text.
std::string Quote(std::string_view s) {
  std::string out(s.substr(0, 100));
  for (char& c : out) {
    if (c < 0x20 || c >= 0x7F) c = '?';
  }
  return out;
}

// bchars of RFC 2046: DIGIT / ALPHA / ' ( ) + _ , - . / : = ? and space (not last).
bool IsBoundaryChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// A header value of the form `type; p1=v1; p2="v 2"`: the leading token and the
// parameters, names lowercased. A quoted value runs to the next '"'.
struct HeaderValue {
  std::string type;
  std::vector<std::pair<std::string, std::string>> params;

  const std::string* Param(std::string_view name) const {
    for (const auto& [k, v] : params) {
      if (k == name) return &v;
    }
    return nullptr;
  }
};

Result<HeaderValue> ParseHeaderValue(std::string_view header, std::string_view value) {
  HeaderValue out;
  size_t semi = value.find(';');
  out.type = AsciiLower(Trim(value.substr(0, semi)));
  size_t i = semi == std::string_view::npos ? value.size() : semi + 1;
  while (i < value.size()) {
    while (i < value.size() && (IsSpace(value[i]) || value[i] == ';')) ++i;
    if (i >= value.size()) break;
    size_t eq = value.find_first_of("=;", i);
    if (eq == std::string_view::npos || value[eq] == ';') {
      std::string_view bare = value.substr(i, eq == std::string_view::npos ? eq : eq - i);
      return Error(Code::kBadRequest, "multipart: {} has a parameter without a value: '{}'",
                   header, Quote(Trim(bare)));
    }
    std::string name = AsciiLower(Trim(value.substr(i, eq - i)));
    i = eq + 1;
    while (i < value.size() && IsSpace(value[i])) ++i;
    std::string param;
    if (i < value.size() && value[i] == '"') {
      size_t close = value.find('"', i + 1);
      if (close == std::string_view::npos) {
        return Error(Code::kBadRequest, "multipart: {} parameter '{}' has no closing quote",
                     header, Quote(name));
      }
      param = std::string(value.substr(i + 1, close - i - 1));
      i = close + 1;
      while (i < value.size() && IsSpace(value[i])) ++i;
      if (i < value.size() && value[i] != ';') {
        return Error(Code::kBadRequest, "multipart: {} parameter '{}' has text after its quote",
                     header, Quote(name));
      }
    } else {
      size_t end = value.find(';', i);
      param = std::string(Trim(value.substr(i, end == std::string_view::npos ? end : end - i)));
      i = end == std::string_view::npos ? value.size() : end;
    }
    out.params.emplace_back(std::move(name), std::move(param));
  }
  return out;
}

// Where a delimiter line starts at `p` (body[p..] begins with "--boundary"): kClose for
// "--boundary--", kOpen for "--boundary" + padding + line end, nullopt when what follows
// makes it no delimiter at all (the boundary is a prefix of other text).
enum class Delim { kOpen, kClose };

std::optional<Delim> DelimiterAt(std::string_view body, size_t p, std::string_view dash_boundary,
                                 size_t* line_end) {
  size_t i = p + dash_boundary.size();
  if (body.substr(i, 2) == "--") return Delim::kClose;
  while (i < body.size() && IsSpace(body[i])) ++i;
  if (body.substr(i, 2) == "\r\n") {
    *line_end = i + 2;
    return Delim::kOpen;
  }
  if (body.substr(i, 1) == "\n") {
    *line_end = i + 1;
    return Delim::kOpen;
  }
  return std::nullopt;
}

// The next delimiter at or after `from` that starts a line: the index of the '\n' before
// "--boundary", or npos.
size_t FindDelimiter(std::string_view body, size_t from, std::string_view dash_boundary) {
  std::string needle;
  needle.reserve(dash_boundary.size() + 1);
  needle.append(1, '\n').append(dash_boundary);
  while (true) {
    size_t q = body.find(needle, from);
    if (q == std::string_view::npos) return q;
    size_t unused;
    if (DelimiterAt(body, q + 1, dash_boundary, &unused)) return q;
    from = q + 1;
  }
}

struct RawHeader {
  std::string name;  // lowercased
  std::string value;
};

// Reads header lines from `*pos` up to and including the empty line that ends them.
Result<std::vector<RawHeader>> ReadHeaders(std::string_view body, size_t* pos) {
  std::vector<RawHeader> headers;
  while (true) {
    size_t nl = body.find('\n', *pos);
    if (nl == std::string_view::npos) {
      return Error(Code::kBadRequest,
                   "multipart: a part's headers are not ended by an empty line");
    }
    std::string_view line = body.substr(*pos, nl - *pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    *pos = nl + 1;
    if (line.empty()) return headers;
    if (IsSpace(line.front())) {  // obsolete line folding: continues the previous header
      if (headers.empty()) {
        return Error(Code::kBadRequest, "multipart: a part's headers start with a folded line");
      }
      headers.back().value += ' ';
      headers.back().value += Trim(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Error(Code::kBadRequest, "multipart: malformed part header line (no ':')");
    }
    headers.push_back(RawHeader{AsciiLower(Trim(line.substr(0, colon))),
                                std::string(Trim(line.substr(colon + 1)))});
  }
}

Result<MultipartPart> MakePart(const std::vector<RawHeader>& headers, size_t index) {
  MultipartPart part;
  bool has_disposition = false;
  for (const RawHeader& h : headers) {
    if (h.name == "content-type") {
      part.content_type = h.value;
    } else if (h.name == "content-disposition") {
      auto v = ParseHeaderValue("Content-Disposition", h.value);
      if (!v.ok()) return v.status();
      if (v->type != "form-data") {
        return Error(Code::kBadRequest,
                     "multipart: part {} has Content-Disposition '{}', expected form-data", index,
                     Quote(v->type));
      }
      const std::string* name = v->Param("name");
      if (!name) {
        return Error(Code::kBadRequest, "multipart: part {} has no name in Content-Disposition",
                     index);
      }
      part.name = *name;
      if (const std::string* filename = v->Param("filename")) {
        part.filename = *filename;
        part.has_filename = true;
      }
      has_disposition = true;
    }
  }
  if (!has_disposition) {
    return Error(Code::kBadRequest, "multipart: part {} has no Content-Disposition header", index);
  }
  return part;
}

}  // namespace

Result<std::string> MultipartBoundary(std::string_view content_type_header) {
  auto v = ParseHeaderValue("Content-Type", content_type_header);
  if (!v.ok()) return v.status();
  if (v->type != "multipart/form-data") {
    return Error(Code::kBadRequest, "Content-Type '{}' is not multipart/form-data",
                 Quote(v->type));
  }
  const std::string* boundary = v->Param("boundary");
  if (!boundary || boundary->empty()) {
    return Error(Code::kBadRequest, "Content-Type multipart/form-data has no boundary");
  }
  if (boundary->size() > kMaxBoundary || boundary->back() == ' ' ||
      !std::all_of(boundary->begin(), boundary->end(), IsBoundaryChar)) {
    return Error(Code::kBadRequest,
                 "Content-Type multipart/form-data has an invalid boundary (1 to 70 of "
                 "letters, digits and '()+_,-./:=? )");
  }
  return *boundary;
}

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view boundary,
                                                  std::string_view body) {
  if (boundary.empty()) return Error(Code::kBadRequest, "multipart: the boundary is empty");
  std::string dash_boundary;
  dash_boundary.reserve(boundary.size() + 2);
  dash_boundary.append("--").append(boundary);

  // The first delimiter: at the very start, or at the start of a line after a preamble.
  size_t pos;
  size_t line_end = 0;
  if (body.starts_with(dash_boundary) && DelimiterAt(body, 0, dash_boundary, &line_end)) {
    pos = 0;
  } else {
    size_t q = FindDelimiter(body, 0, dash_boundary);
    if (q == std::string_view::npos) {
      return Error(Code::kBadRequest, "multipart: the body does not contain the boundary");
    }
    pos = q + 1;
  }

  std::vector<MultipartPart> parts;
  while (true) {
    auto delim = DelimiterAt(body, pos, dash_boundary, &line_end);
    if (!delim) {
      return Error(Code::kBadRequest, "multipart: malformed boundary line");
    }
    if (*delim == Delim::kClose) return parts;  // the epilogue is ignored

    size_t cursor = line_end;
    auto headers = ReadHeaders(body, &cursor);
    if (!headers.ok()) return headers.status();
    auto part = MakePart(*headers, parts.size() + 1);
    if (!part.ok()) return part.status();

    // The data runs to the CRLF (or LF) before the next delimiter. Search from the '\n'
    // that ended the headers so that an empty part without its own line end is tolerated.
    const size_t data_start = cursor;
    size_t q = FindDelimiter(body, data_start - 1, dash_boundary);
    if (q == std::string_view::npos) {
      return Error(Code::kBadRequest, "multipart: the body has no closing boundary");
    }
    size_t data_end = q;
    if (data_end > 0 && body[data_end - 1] == '\r') --data_end;
    data_end = std::max(data_end, data_start);
    part->data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part.value()));
    pos = q + 1;
  }
}

}  // namespace kyc
