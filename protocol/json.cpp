#include "protocol/json.h"

#include <algorithm>
#include <charconv>

#include <rapidjson/error/en.h>

namespace kyc {

bool Params::IsTextField(std::string_view name) const {
  return std::find(text_fields.begin(), text_fields.end(), name) != text_fields.end();
}

void Params::SetText(std::string_view name, std::string_view value) {
  auto& a = doc.GetAllocator();
  rapidjson::Value v(value.data(), static_cast<rapidjson::SizeType>(value.size()), a);
  auto it = doc.FindMember(rapidjson::StringRef(name.data(), name.size()));
  if (it != doc.MemberEnd()) {
    it->value = std::move(v);
  } else {
    doc.AddMember(rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size()), a),
                  std::move(v), a);
  }
  if (!IsTextField(name)) text_fields.emplace_back(name);
}

size_t JsonDepth(std::string_view json) {
  size_t depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '{':
      case '[': max_depth = std::max(max_depth, ++depth); break;
      case '}':
      case ']': if (depth > 0) --depth; break;
      default: break;
    }
  }
  return max_depth;
}

Status ParseJson(std::string_view json, rapidjson::Document& doc, size_t max_depth) {
  // Checked before parsing: RapidJSON's DOM parser recurses, so depth is also a stack guard.
  if (size_t d = JsonDepth(json); d > max_depth) {
    return Error(Code::kBadRequest, "JSON nesting depth {} is over the limit of {}", d, max_depth);
  }
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    return Error(Code::kBadRequest, "invalid JSON at offset {}: {}", doc.GetErrorOffset(),
                 rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return Status::Ok();
}

Result<Params> ParseParams(std::string_view json, size_t max_depth) {
  Params p;
  bool blank = std::all_of(json.begin(), json.end(),
                           [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
  if (blank) return p;
  if (Status s = ParseJson(json, p.doc, max_depth); !s.ok()) return s;
  if (!p.doc.IsObject()) return Status(Code::kBadRequest, "params must be a JSON object");
  return p;
}

std::string ToJsonText(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

const rapidjson::Value* ParamReader::Find(std::string_view name) {
  seen_.push_back(name);
  auto it = params_.doc.FindMember(rapidjson::StringRef(name.data(), name.size()));
  if (it == params_.doc.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

void ParamReader::Fail(Status status) {
  if (status_.ok()) status_ = std::move(status);
}

bool ParamReader::Has(std::string_view name) { return Find(name) != nullptr; }

const rapidjson::Value* ParamReader::Raw(std::string_view name) {
  seen_.push_back(name);
  auto it = params_.doc.FindMember(rapidjson::StringRef(name.data(), name.size()));
  return it == params_.doc.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> ParamReader::OptString(std::string_view name, size_t max_len) {
  const auto* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->IsString()) {
    Fail(Error(Code::kBadRequest, "field '{}' must be a string", name));
    return std::nullopt;
  }
  if (v->GetStringLength() > max_len) {
    Fail(Error(Code::kBadRequest, "field '{}' is longer than {} bytes", name, max_len));
    return std::nullopt;
  }
  return std::string(v->GetString(), v->GetStringLength());
}

std::string ParamReader::String(std::string_view name, size_t max_len) {
  auto s = OptString(name, max_len);
  if (!s || s->empty()) {
    if (ok()) Fail(Error(Code::kBadRequest, "field '{}' is required", name));
    return {};
  }
  return *s;
}

std::optional<int64_t> ParamReader::OptInt(std::string_view name) {
  const auto* v = Find(name);
  if (!v) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsString() && params_.IsTextField(name)) {
    std::string_view s(v->GetString(), v->GetStringLength());
    int64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return out;
  }
  Fail(Error(Code::kBadRequest, "field '{}' must be an integer", name));
  return std::nullopt;
}

int64_t ParamReader::Int(std::string_view name) {
  auto v = OptInt(name);
  if (!v) {
    if (ok()) Fail(Error(Code::kBadRequest, "field '{}' is required", name));
    return 0;
  }
  return *v;
}

std::optional<bool> ParamReader::OptBool(std::string_view name) {
  const auto* v = Find(name);
  if (!v) return std::nullopt;
  if (v->IsBool()) return v->GetBool();
  if (v->IsString() && params_.IsTextField(name)) {
    std::string_view s(v->GetString(), v->GetStringLength());
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
  }
  Fail(Error(Code::kBadRequest, "field '{}' must be a boolean", name));
  return std::nullopt;
}

const rapidjson::Value* ParamReader::OptObject(std::string_view name) {
  const auto* v = Find(name);
  if (!v) return nullptr;
  if (!v->IsObject()) {
    Fail(Error(Code::kBadRequest, "field '{}' must be a JSON object", name));
    return nullptr;
  }
  return v;
}

Status ParamReader::Finish() {
  if (!status_.ok()) return status_;
  for (const auto& m : params_.doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) {
      return Error(Code::kBadRequest, "unknown field '{}'", key);
    }
  }
  return Status::Ok();
}

}  // namespace kyc
