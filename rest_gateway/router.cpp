#include "rest_gateway/router.h"

#include "protocol/utf8.h"

namespace kyc {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Router::Router() {
  for (const auto& spec : Commands()) {
    for (const auto& r : spec.routes) {
      if (r.method.empty()) continue;
      Route route{std::string(r.method), {}, &spec};
      for (auto seg : SplitPath(r.path)) route.segments.emplace_back(seg);
      routes_.push_back(std::move(route));
    }
  }
}

bool Router::MatchPath(const Route& r, const std::vector<std::string_view>& segs,
                       std::vector<std::pair<std::string, std::string>>* params) {
  if (r.segments.size() != segs.size()) return false;
  std::vector<std::pair<std::string, std::string>> found;
  for (size_t i = 0; i < segs.size(); ++i) {
    const auto& want = r.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      std::string value;
      if (!UrlDecode(segs[i], value, false) || value.empty()) return false;
      found.emplace_back(want.substr(1, want.size() - 2), std::move(value));
    } else if (want != segs[i]) {
      return false;
    }
  }
  if (params) *params = std::move(found);
  return true;
}

RouteOutcome Router::Match(std::string_view method, std::string_view path, RouteMatch* out,
                           std::string* allow) const {
  auto segs = SplitPath(path);
  // Literal segments beat parameters: /steps/require is not /steps/{id}.
  const Route* best = nullptr;
  size_t best_literals = 0;
  std::vector<std::pair<std::string, std::string>> best_params;
  bool path_known = false;
  std::string methods;
  for (const auto& r : routes_) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!MatchPath(r, segs, &params)) continue;
    path_known = true;
    if (r.method != method) {
      if (methods.find(r.method) == std::string::npos) {
        if (!methods.empty()) methods += ", ";
        methods += r.method;
      }
      continue;
    }
    size_t literals = r.segments.size() - params.size();
    if (!best || literals > best_literals) {
      best = &r;
      best_literals = literals;
      best_params = std::move(params);
    }
  }
  if (best) {
    out->spec = best->spec;
    out->path_params = std::move(best_params);
    return RouteOutcome::kFound;
  }
  if (allow) *allow = methods;
  return path_known ? RouteOutcome::kMethodNotAllowed : RouteOutcome::kNotFound;
}

bool UrlDecode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;  // needs two hex digits
      int hi = Hex(in[i + 1]), lo = Hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

Result<Params> MergeParams(std::string_view body, std::string_view query,
                           const std::vector<std::pair<std::string, std::string>>& path_params,
                           size_t max_depth) {
  auto parsed = ParseParams(body, max_depth);
  if (!parsed.ok()) {
    return Status(Code::kBadRequest, "request body: " + parsed.status().message());
  }
  Params params = std::move(parsed.value());
  size_t i = 0;
  while (i < query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(i, amp - i);
    i = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!UrlDecode(pair.substr(0, eq), key, true) ||
        (eq != std::string_view::npos && !UrlDecode(pair.substr(eq + 1), value, true))) {
      return Status(Code::kBadRequest, "malformed percent-encoding in the query string");
    }
    if (key.empty()) return Status(Code::kBadRequest, "query string has a parameter without a name");
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) {
      return Error(Code::kBadRequest, "query parameter '{}' is not valid UTF-8", ForMessage(key, 64));
    }
    params.SetText(key, value);
  }
  for (const auto& [key, value] : path_params) {
    if (!IsValidUtf8(value)) {
      return Error(Code::kBadRequest, "path parameter '{}' is not valid UTF-8", key);
    }
    params.SetText(key, value);
  }
  return params;
}

}  // namespace kyc
