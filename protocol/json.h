// JSON helpers shared by both transports and the handlers: parsing params with a
// depth limit, reading typed fields with errors that name the field, and writing.
#pragma once

#include <cstdint>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "protocol/status.h"

namespace kyc {

inline constexpr size_t kDefaultMaxJsonDepth = 64;

// Request parameters: always a JSON object. Fields listed in `text_fields` arrived as
// URL text (REST path or query string); typed readers parse them as integers or
// booleans where the field is one.
struct Params {
  Params()
      : pool(std::make_unique<rapidjson::MemoryPoolAllocator<>>(kPoolChunk)),
        doc(rapidjson::kObjectType, pool.get()) {}
  Params(Params&&) = default;
  Params& operator=(Params&&) = default;

  // Params are a few fields; RapidJSON's own pool would take 64 KiB from malloc for every
  // request (and give it back), a cost perf showed on the read path.
  static constexpr size_t kPoolChunk = 512;
  std::unique_ptr<rapidjson::MemoryPoolAllocator<>> pool;  // before doc: doc allocates in it
  rapidjson::Document doc;
  std::vector<std::string> text_fields;

  bool IsTextField(std::string_view name) const;
  // Sets a string field (replacing any value) and marks it as URL text.
  void SetText(std::string_view name, std::string_view value);
};

// Maximum nesting of arrays and objects in `json` (strings are skipped correctly).
size_t JsonDepth(std::string_view json);

// Parses a params object. Empty text means {}. Errors are bad_request.
Result<Params> ParseParams(std::string_view json, size_t max_depth = kDefaultMaxJsonDepth);

// Parses any JSON value into `doc`; used by stores and tests.
Status ParseJson(std::string_view json, rapidjson::Document& doc,
                 size_t max_depth = kDefaultMaxJsonDepth);

std::string ToJsonText(const rapidjson::Value& v);

// A string value's bytes (it may hold NULs); `v` must be a string.
inline std::string_view StringView(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// Reads typed fields of a params object. The first error wins; Finish() also reports a
// field the command does not take, so a typo never goes unnoticed.
class ParamReader {
 public:
  explicit ParamReader(const Params& params) : params_(params) {}

  // Required string, non-empty, at most max_len bytes.
  std::string String(std::string_view name, size_t max_len = 256);
  std::optional<std::string> OptString(std::string_view name, size_t max_len = 256);
  int64_t Int(std::string_view name);
  std::optional<int64_t> OptInt(std::string_view name);
  std::optional<bool> OptBool(std::string_view name);
  // Any JSON object; nullptr when absent (or on error).
  const rapidjson::Value* OptObject(std::string_view name);
  // The field's value as sent, JSON null included (a partial update's "clear this");
  // nullptr when absent. The caller checks its type.
  const rapidjson::Value* Raw(std::string_view name);
  bool Has(std::string_view name);
  // True when the field arrived as URL text (a REST path or query string).
  bool IsText(std::string_view name) const { return params_.IsTextField(name); }

  // Records an error about a field (first one wins).
  void Fail(Status status);
  bool ok() const { return status_.ok(); }
  // The first error, or bad_request naming a field that no reader asked for.
  Status Finish();

 private:
  const rapidjson::Value* Find(std::string_view name);

  const Params& params_;
  std::vector<std::string_view> seen_;
  Status status_;
};

// A thin fluent wrapper over rapidjson::Writer for building response bodies.
class JsonOut {
 public:
  JsonOut() : w_(buf_) {}
  JsonOut& Key(std::string_view k) {
    w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    return *this;
  }
  JsonOut& Str(std::string_view s) {
    w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return *this;
  }
  JsonOut& Int(int64_t v) {
    w_.Int64(v);
    return *this;
  }
  JsonOut& Bool(bool v) {
    w_.Bool(v);
    return *this;
  }
  JsonOut& Null() {
    w_.Null();
    return *this;
  }
  JsonOut& OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
  // Embeds already-serialized JSON text (validated when it was stored).
  JsonOut& Raw(std::string_view json) {
    w_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return *this;
  }
  JsonOut& BeginObject() {
    w_.StartObject();
    return *this;
  }
  JsonOut& EndObject() {
    w_.EndObject();
    return *this;
  }
  JsonOut& BeginArray() {
    w_.StartArray();
    return *this;
  }
  JsonOut& EndArray() {
    w_.EndArray();
    return *this;
  }
  std::string Take() { return std::string(buf_.GetString(), buf_.GetSize()); }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

}  // namespace kyc
