#include "kyc/form_schema.h"

#include <array>
#include <set>
#include <string>

namespace kyc {
namespace {

constexpr std::array<std::string_view, 9> kFieldTypes{
    "text", "textarea", "date", "country", "file_reference",
    "number", "boolean", "select", "multi_select"};

Status Bad(std::string message) { return Status(Code::kBadRequest, std::move(message)); }

Status ValidateField(const rapidjson::Value& f, const std::string& path,
                     std::set<std::string>& names) {
  if (!f.IsObject()) return Bad(path + " must be an object");
  auto name = f.FindMember("name");
  if (name == f.MemberEnd() || !name->value.IsString() || name->value.GetStringLength() == 0) {
    return Bad(path + ".name must be a non-empty string");
  }
  std::string n(name->value.GetString(), name->value.GetStringLength());
  if (!names.insert(n).second) {
    return Bad(fmt::format("{}.name '{}' is used by another field; names must be unique", path, n));
  }
  auto type = f.FindMember("type");
  if (type == f.MemberEnd() || !type->value.IsString() ||
      !IsFieldType({type->value.GetString(), type->value.GetStringLength()})) {
    return Bad(fmt::format(
        "{}.type of field '{}' must be one of text, textarea, date, country, file_reference, "
        "number, boolean, select, multi_select",
        path, n));
  }
  std::string_view t(type->value.GetString(), type->value.GetStringLength());
  if (auto req = f.FindMember("required"); req != f.MemberEnd() && !req->value.IsBool()) {
    return Bad(fmt::format("{}.required of field '{}' must be a boolean", path, n));
  }
  if (t == "select" || t == "multi_select") {
    if (auto opt = f.FindMember("options"); opt != f.MemberEnd() && !opt->value.IsArray()) {
      return Bad(fmt::format("{}.options of field '{}' must be an array", path, n));
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsFieldType(std::string_view type) {
  for (auto t : kFieldTypes) {
    if (t == type) return true;
  }
  return false;
}

Status ValidateFormSchema(const rapidjson::Value& schema) {
  if (!schema.IsObject()) return Bad("form_schema must be a JSON object");
  auto sections = schema.FindMember("sections");
  if (sections == schema.MemberEnd()) return Status::Ok();
  if (!sections->value.IsArray()) return Bad("form_schema.sections must be an array");
  std::set<std::string> names;
  const auto& secs = sections->value.GetArray();
  for (rapidjson::SizeType i = 0; i < secs.Size(); ++i) {
    std::string spath = fmt::format("form_schema.sections[{}]", i);
    if (!secs[i].IsObject()) return Bad(spath + " must be an object");
    auto fields = secs[i].FindMember("fields");
    if (fields == secs[i].MemberEnd()) continue;
    if (!fields->value.IsArray()) return Bad(spath + ".fields must be an array");
    const auto& fs = fields->value.GetArray();
    for (rapidjson::SizeType j = 0; j < fs.Size(); ++j) {
      if (Status s = ValidateField(fs[j], fmt::format("{}.fields[{}]", spath, j), names); !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

}  // namespace kyc
