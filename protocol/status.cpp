#include "protocol/status.h"

#include <array>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kyc {
namespace {

constexpr std::array<CodeInfo, 11> kStatusTable{{
    {Code::kOk, 200, ""},
    {Code::kBadRequest, 400, "bad_request"},
    {Code::kUnauthorized, 401, "unauthorized"},
    {Code::kForbidden, 403, "forbidden"},
    {Code::kNotFound, 404, "not_found"},
    {Code::kConflict, 409, "conflict"},
    {Code::kTooLarge, 413, "too_large"},
    {Code::kRateLimited, 429, "rate_limited"},
    {Code::kUnknownCommand, 400, "unknown_command"},
    {Code::kInternal, 500, "internal"},
    {Code::kUnavailable, 503, "unavailable"},
}};

}  // namespace

const CodeInfo& Info(Code code) {
  auto i = static_cast<size_t>(code);
  return i < kStatusTable.size() ? kStatusTable[i] : kStatusTable[static_cast<size_t>(Code::kInternal)];
}

Code CodeFromFrameStatus(uint8_t status) {
  return status < kStatusTable.size() ? static_cast<Code>(status) : Code::kInternal;
}

Code CodeFromName(std::string_view name) {
  for (const auto& row : kStatusTable) {
    if (row.name == name) return row.code;
  }
  return Code::kInternal;
}

std::string Status::ToJson() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("code");
  auto name = CodeName(code_);
  w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  w.Key("message");
  w.String(message_.data(), static_cast<rapidjson::SizeType>(message_.size()));
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace kyc
