#include "protocol/openapi.h"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "protocol/commands.h"
#include "protocol/json.h"
#include "protocol/status.h"

namespace kyc {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// Splits at `sep` outside (), [] and {}.
std::vector<std::string_view> SplitTop(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == sep && depth == 0) {
      out.push_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(Trim(s.substr(start)));
  return out;
}

void AddParam(std::vector<DocParam>& out, DocParam p) {
  for (auto& have : out) {
    if (have.name == p.name) {
      have.required = have.required && p.required;
      return;
    }
  }
  out.push_back(std::move(p));
}

// One item of a params list: "name", "name?", "name (a|b)", "name?:{…}", "a | b".
void ParseItem(std::string_view item, bool optional, std::vector<DocParam>& out) {
  if (item.empty() || item.substr(0, 3) == "\u2026") return;  // "…fields"
  auto alternatives = SplitTop(item, '|');
  if (alternatives.size() > 1) {
    for (auto alt : alternatives) {
      if (!alt.empty() && alt.front() == '(' && alt.back() == ')') alt = alt.substr(1, alt.size() - 2);
      for (auto part : SplitTop(alt, ',')) ParseItem(part, true, out);
    }
    return;
  }
  size_t n = 0;
  while (n < item.size() && IsNameChar(item[n])) ++n;
  if (n == 0) return;
  DocParam p;
  p.name = std::string(item.substr(0, n));
  p.required = !optional;
  std::string_view rest = item.substr(n);
  if (!rest.empty() && rest.front() == '?') {
    p.required = false;
    rest.remove_prefix(1);
  }
  rest = Trim(rest);
  // "(a|b|c)" or "(a|b; note)": an enumeration when every choice is a plain word.
  if (!rest.empty() && rest.front() == '(') {
    std::string_view inner = rest.substr(1, rest.find(')') - 1);
    inner = inner.substr(0, inner.find(';'));
    auto choices = SplitTop(inner, '|');
    bool words = choices.size() > 1;
    for (auto c : choices) {
      words = words && !c.empty() && std::all_of(c.begin(), c.end(), IsNameChar);
    }
    if (words) {
      for (auto c : choices) p.values.emplace_back(c);
    }
  }
  AddParam(out, std::move(p));
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

std::string_view ResultText(std::string_view params) {
  size_t arrow = params.find("\u2192");
  return arrow == std::string_view::npos ? std::string_view() : Trim(params.substr(arrow + 3));
}

std::string Tag(std::string_view path) {
  // "/manager/kyc/steps/{id}" → "manager kyc"; "/client/…" → "client"; "/ping" → "system".
  std::vector<std::string_view> segs;
  for (auto s : SplitTop(path.substr(1), '/')) {
    if (!s.empty() && s.front() != '{') segs.push_back(s);
  }
  if (segs.empty()) return "system";
  if (segs[0] == "manager" && segs.size() > 1) return fmt::format("manager/{}", segs[1]);
  if (segs.size() == 1) return "system";
  return std::string(segs[0]);
}

std::vector<std::string> PathParams(std::string_view path) {
  std::vector<std::string> out;
  for (size_t i = path.find('{'); i != std::string_view::npos; i = path.find('{', i + 1)) {
    out.emplace_back(path.substr(i + 1, path.find('}', i) - i - 1));
  }
  return out;
}

void WriteSchema(JsonOut& o, const DocParam& p) {
  if (p.values.empty()) {
    o.Raw(SchemaOfField(p.name));
    return;
  }
  o.BeginObject().Key("enum").BeginArray();
  for (const auto& v : p.values) o.Str(v);
  o.EndArray().EndObject();
}

constexpr std::array<Code, 9> kErrorCodes{Code::kBadRequest, Code::kUnauthorized,
                                          Code::kForbidden,  Code::kNotFound,
                                          Code::kConflict,   Code::kTooLarge,
                                          Code::kRateLimited, Code::kInternal,
                                          Code::kUnavailable};

void WriteOperation(JsonOut& o, const CommandSpec& c, const RestRoute& r, bool second) {
  o.Key(fmt::format("{}", [&] {
     std::string m(r.method);
     std::transform(m.begin(), m.end(), m.begin(), [](char ch) { return char(ch - 'A' + 'a'); });
     return m;
   }()));
  o.BeginObject();
  o.Key("operationId").Str(second ? fmt::format("{}_{}", c.name, r.method) : std::string(c.name));
  o.Key("summary").Str(c.summary);
  o.Key("description").Str(fmt::format("Command `{}` (also on TCP). Params: `{}`. Permission: {}.",
                                       c.name, c.params, PermissionLabel(c)));
  o.Key("tags").BeginArray().Str(Tag(r.path)).EndArray();
  o.Key("x-command").Str(c.name);
  if (c.access == kNoSession || (c.flags & kSigned)) {
    o.Key("security").BeginArray().EndArray();
  }
  const auto path_params = PathParams(r.path);
  const auto params = ParamsOfText(c.params);
  const bool body_method = r.method == "POST" || r.method == "PUT" || r.method == "PATCH";
  o.Key("parameters").BeginArray();
  for (const auto& name : path_params) {
    o.BeginObject().Key("name").Str(name).Key("in").Str("path").Key("required").Bool(true);
    o.Key("schema").Raw(SchemaOfField(name)).EndObject();
  }
  if (params && !body_method) {
    for (const auto& p : *params) {
      if (std::find(path_params.begin(), path_params.end(), p.name) != path_params.end()) continue;
      o.BeginObject().Key("name").Str(p.name).Key("in").Str("query");
      o.Key("required").Bool(p.required).Key("schema");
      WriteSchema(o, p);
      o.EndObject();
    }
  }
  if (c.flags & kSigned) {
    o.BeginObject().Key("name").Str("X-Signature").Key("in").Str("header");
    o.Key("required").Bool(true).Key("description").Str("hex HMAC-SHA256 of the body with the channel's callback_secret");
    o.Key("schema").BeginObject().Key("type").Str("string").EndObject().EndObject();
  }
  o.EndArray();
  if (body_method) {
    o.Key("requestBody").BeginObject().Key("required").Bool(params && !params->empty());
    o.Key("content").BeginObject();
    if (c.flags & kUpload) {
      o.Key("multipart/form-data").BeginObject().Key("schema").BeginObject();
      o.Key("type").Str("object").Key("required").BeginArray().Str("file").EndArray();
      o.Key("properties").BeginObject().Key("file").BeginObject();
      o.Key("type").Str("string").Key("format").Str("binary").EndObject().EndObject();
      o.EndObject().EndObject();
    } else {
      o.Key("application/json").BeginObject().Key("schema").BeginObject();
      o.Key("type").Str("object");
      if (params) {
        std::vector<std::string> required;
        o.Key("properties").BeginObject();
        for (const auto& p : *params) {
          if (std::find(path_params.begin(), path_params.end(), p.name) != path_params.end()) continue;
          o.Key(p.name);
          WriteSchema(o, p);
          if (p.required) required.push_back(p.name);
        }
        o.EndObject();
        if (!required.empty()) {
          o.Key("required").BeginArray();
          for (const auto& n : required) o.Str(n);
          o.EndArray();
        }
      }
      o.EndObject().EndObject();
    }
    o.EndObject().EndObject();
  }
  o.Key("responses").BeginObject();
  o.Key("200").BeginObject();
  const std::string_view result = ResultText(c.params);
  o.Key("description").Str(result.empty() ? std::string_view("the result") : result);
  o.Key("content").BeginObject();
  if (c.name == "GetMetrics") {
    o.Key("text/plain").BeginObject().Key("schema").BeginObject().Key("type").Str("string");
    o.EndObject().EndObject();
  } else if (c.flags & kRawBody) {
    for (std::string_view type : {"application/pdf", "image/png", "image/jpeg", "text/csv"}) {
      o.Key(type).BeginObject().Key("schema").BeginObject();
      o.Key("type").Str("string").Key("format").Str("binary").EndObject().EndObject();
    }
  } else {
    o.Key("application/json").BeginObject().Key("schema").BeginObject().Key("type").Str("object");
    // A result written as an object ("{items:[Template], total}") names its fields; one
    // written as a name ("Profile") is described by the text above.
    auto fields = result.empty() || result.front() != '{' ? std::nullopt : ParamsOfText(result);
    if (fields && !fields->empty()) {
      o.Key("properties").BeginObject();
      for (const auto& f : *fields) {
        o.Key(f.name);
        WriteSchema(o, f);
      }
      o.EndObject();
    }
    o.EndObject().EndObject();
  }
  o.EndObject().EndObject();
  for (Code code : kErrorCodes) {
    if (code == Code::kUnauthorized && c.access == kNoSession) continue;
    o.Key(fmt::format("{}", HttpStatus(code))).BeginObject();
    o.Key("$ref").Str(fmt::format("#/components/responses/{}", CodeName(code))).EndObject();
  }
  o.EndObject();
  o.EndObject();
}

}  // namespace

std::optional<std::vector<DocParam>> ParamsOfText(std::string_view text) {
  std::string_view params = Trim(text.substr(0, text.find("\u2192")));
  if (params.empty() || params.front() != '{') return std::nullopt;
  std::vector<DocParam> out;
  auto shapes = SplitTop(params, '|');
  const bool alternatives = shapes.size() > 1;
  for (auto shape : shapes) {
    if (shape.size() < 2 || shape.front() != '{') continue;
    for (auto item : SplitTop(shape.substr(1, shape.size() - 2), ',')) {
      ParseItem(item, alternatives, out);
    }
  }
  return out;
}

std::string SchemaOfField(std::string_view n) {
  if (OneOf(n, {"file_id", "photo_file_id", "external_id", "psp_order_id", "uuid", "event_id"})) {
    return R"({"type":"string"})";
  }
  if (n == "id" || EndsWith(n, "_id") || OneOf(n, {"level", "offset", "limit", "ttl", "from", "to",
                                                     "at", "expires_at", "expires_before",
                                                     "required_level", "total", "checked",
                                                     "time"})) {
    return R"({"type":"integer","format":"int64"})";
  }
  if (OneOf(n, {"active", "required", "disabled", "enabled", "blocked", "realtime", "deposits",
                "withdrawals", "requires_bank_account", "ok", "deleted", "allowed", "created",
                "pending_approval"})) {
    return R"({"type":"boolean"})";
  }
  if (n == "amount" || EndsWith(n, "_amount") || EndsWith(n, "_eur") || n == "max_loan") {
    return R"({"type":"string","pattern":"^-?[0-9]+(\\.[0-9]+)?$","description":"exact decimal"})";
  }
  if (OneOf(n, {"answers", "form_schema", "map", "params", "approval"})) {
    return R"({"type":"object"})";
  }
  if (n == "items") return R"({"type":"array","items":{"type":"object"}})";
  if (OneOf(n, {"permissions", "operations", "currencies", "customer_types", "topics", "brands",
                "events", "roles"})) {
    return R"({"type":"array","items":{"type":"string"}})";
  }
  if (OneOf(n, {"brand", "code", "name", "login", "password", "reason", "comment", "url", "secret",
                "query", "currency", "channel", "date", "token", "description", "doc_type",
                "doc_number", "issuing_country", "from_day", "to_day", "voucher", "failure_code",
                "bank_name", "account_name", "account_number", "command", "entity", "action",
                "flag", "session_type", "statement", "kind", "operation", "resolution",
                "manager", "payer_name"})) {
    return R"({"type":"string"})";
  }
  return "{}";
}

std::string OpenApiJson(std::string_view version) {
  JsonOut o;
  o.BeginObject();
  o.Key("openapi").Str("3.1.0");
  o.Key("info").BeginObject().Key("title").Str("KYC Manager API").Key("version").Str(version);
  o.Key("description").Str(
      "Generated from the server's command table: every REST route is one command, the same "
      "one the binary TCP protocol (KYC1 frames) calls by name (x-command). Errors are "
      "{\"error\":{\"code\",\"message\"}}.");
  o.EndObject();
  o.Key("security").BeginArray().BeginObject().Key("bearerAuth").BeginArray().EndArray();
  o.EndObject().EndArray();
  // Paths: one entry per path, its methods from every row that routes there.
  std::vector<std::string_view> paths;
  for (const auto& c : Commands()) {
    for (const auto& r : c.routes) {
      if (!r.method.empty() && std::find(paths.begin(), paths.end(), r.path) == paths.end()) {
        paths.push_back(r.path);
      }
    }
  }
  o.Key("paths").BeginObject();
  for (auto path : paths) {
    o.Key(path).BeginObject();
    for (const auto& c : Commands()) {
      bool seen_name = false;
      for (const auto& r : c.routes) {
        if (r.method.empty()) continue;
        if (r.path == path) WriteOperation(o, c, r, seen_name);
        seen_name = true;
      }
    }
    o.EndObject();
  }
  o.EndObject();
  o.Key("components").BeginObject();
  o.Key("securitySchemes").BeginObject().Key("bearerAuth").BeginObject();
  o.Key("type").Str("http").Key("scheme").Str("bearer");
  o.Key("description").Str("A token from POST /auth/login (staff) or POST /manager/sessions/client (a client)");
  o.EndObject().EndObject();
  o.Key("schemas").BeginObject();
  o.Key("Error").Raw(
      R"({"type":"object","required":["error"],"properties":{"error":{"type":"object","required":["code","message"],"properties":{"code":{"type":"string"},"message":{"type":"string"}}}}})");
  o.Key("Event").Raw(
      R"({"type":"object","required":["event_id","topic","at","brand","data"],"properties":{"event_id":{"type":"string"},"topic":{"type":"string"},"at":{"type":"integer"},"brand":{"type":"string"},"customer_id":{"type":["integer","null"]},"data":{"type":"object"}}})");
  o.EndObject();
  o.Key("responses").BeginObject();
  for (Code code : kErrorCodes) {
    o.Key(CodeName(code)).BeginObject();
    o.Key("description").Str(fmt::format("error `{}`", CodeName(code)));
    o.Key("content").BeginObject().Key("application/json").BeginObject().Key("schema");
    o.BeginObject().Key("$ref").Str("#/components/schemas/Error").EndObject();
    o.EndObject().EndObject().EndObject();
  }
  o.EndObject();
  o.EndObject();
  o.EndObject();
  return o.Take();
}

}  // namespace kyc
