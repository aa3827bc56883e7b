#include "kyc/rules.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

namespace kyc {
namespace {

// Codes of steps that are active (required, pending or approved).
std::set<std::string_view> ActiveCodes(std::span<const Step* const> steps) {
  std::set<std::string_view> codes;
  for (const Step* s : steps) {
    if (IsActive(s->status)) codes.insert(s->code.view());
  }
  return codes;
}

bool Replaced(const Step& s, const std::set<std::string_view>& active_codes) {
  return !IsActive(s.status) && active_codes.count(s.code.view()) != 0;
}

}  // namespace

ProfileStatus ComputeProfileStatus(std::span<const Step* const> steps,
                                   std::span<const Document* const> docs) {
  if (steps.empty()) return ProfileStatus::kNone;
  const auto active_codes = ActiveCodes(steps);
  std::map<int64_t, const Step*> by_id;
  for (const Step* s : steps) by_id[s->id] = s;
  auto step_of = [&](const Document* d) -> const Step* {
    if (!d->step_id) return nullptr;
    auto it = by_id.find(*d->step_id);
    return it == by_id.end() ? nullptr : it->second;
  };

  for (const Step* s : steps) {
    if (s->status == StepStatus::kExpired && !Replaced(*s, active_codes)) {
      return ProfileStatus::kExpired;
    }
  }
  for (const Document* d : docs) {
    const Step* s = step_of(d);
    if (s && IsActive(s->status) && d->status == DocStatus::kExpired) {
      return ProfileStatus::kExpired;
    }
  }
  for (const Document* d : docs) {
    const Step* s = step_of(d);
    if (s && s->status == StepStatus::kApproved &&
        (d->status == DocStatus::kRejected || d->status == DocStatus::kDeleted ||
         d->status == DocStatus::kExpired)) {
      return ProfileStatus::kReviewRequired;
    }
  }
  for (const Step* s : steps) {
    if (s->status == StepStatus::kRejected && !Replaced(*s, active_codes)) {
      return ProfileStatus::kRejected;
    }
  }
  auto any = [&](StepStatus st) {
    return std::any_of(steps.begin(), steps.end(), [&](const Step* s) { return s->status == st; });
  };
  if (any(StepStatus::kPending)) return ProfileStatus::kPending;
  if (any(StepStatus::kRequired)) return ProfileStatus::kDraft;
  return ProfileStatus::kApproved;
}

int64_t ComputeLevel(std::span<const Step* const> steps) {
  const auto active_codes = ActiveCodes(steps);
  // For each level: are all current, non-skipped steps of that level approved?
  std::map<int64_t, bool> level_ok;
  for (const Step* s : steps) {
    if (s->status == StepStatus::kSkipped || Replaced(*s, active_codes)) continue;
    auto [it, fresh] = level_ok.emplace(s->level, true);
    it->second = it->second && s->status == StepStatus::kApproved;
  }
  int64_t level = 0;
  for (const auto& [l, ok] : level_ok) {
    if (!ok) break;
    level = l;
  }
  return level;
}

Status CheckStepTransition(const Step& s, StepAction action) {
  const auto st = s.status;
  switch (action) {
    case StepAction::kApprove:
      if (st == StepStatus::kPending || st == StepStatus::kRequired) return Status::Ok();
      return Error(Code::kConflict, "step {} is {}; only a pending or required step can be approved",
                   s.id, Name(st));
    case StepAction::kReject:
      if (st == StepStatus::kPending) return Status::Ok();
      return Error(Code::kConflict, "step {} is {}; only a pending step can be rejected", s.id,
                   Name(st));
    case StepAction::kRevision:
      if (st == StepStatus::kPending) return Status::Ok();
      return Error(Code::kConflict,
                   "step {} is {}; a revision can be requested only for a pending step", s.id,
                   Name(st));
    case StepAction::kSubmit:
      if (st == StepStatus::kRequired) return Status::Ok();
      return Error(Code::kConflict, "step {} is {}; only a required step can be submitted", s.id,
                   Name(st));
  }
  return Status(Code::kInternal, "unknown step action");
}

Status CheckDocTransition(const Document& d, DocAction action) {
  if (d.status == DocStatus::kUploaded || d.status == DocStatus::kPending) return Status::Ok();
  // Revoking (issue 15): an approved document found false later is rejected with a reason.
  if (action == DocAction::kReject && d.status == DocStatus::kApproved) return Status::Ok();
  return Error(Code::kConflict, "document {} is {}; only an uploaded or pending document can be {}",
               d.id, Name(d.status),
               action == DocAction::kApprove ? "approved" : "rejected (or an approved one revoked)");
}

std::string NormalizeDocNumber(std::string_view number) {
  std::string out;
  out.reserve(number.size());
  for (char c : number) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) out.push_back(c);
    else if (c >= 'a' && c <= 'z') out.push_back(char(c - 'a' + 'A'));
  }
  return out;
}

bool IsCountryCode(std::string_view code) {
  // ISO 3166-1 alpha-2, officially assigned codes.
  static const std::set<std::string_view> kCodes = {
      "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
      "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
      "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
      "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
      "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
      "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
      "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
      "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
      "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
      "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
      "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
      "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
      "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
      "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
      "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
      "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
      "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"};
  return kCodes.count(code) != 0;
}

bool IsIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  int y = std::stoi(std::string(d.substr(0, 4)));
  int m = std::stoi(std::string(d.substr(5, 2)));
  int day = std::stoi(std::string(d.substr(8, 2)));
  if (y < 1 || m < 1 || m > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

namespace {

bool OptionMatches(const rapidjson::Value& option, const rapidjson::Value& v) {
  if (option.IsObject()) {
    auto it = option.FindMember("value");
    return it != option.MemberEnd() && it->value == v;
  }
  return option == v;
}

bool IsOption(const rapidjson::Value& field, const rapidjson::Value& v) {
  auto opts = field.FindMember("options");
  if (opts == field.MemberEnd() || !opts->value.IsArray()) return false;
  for (const auto& o : opts->value.GetArray()) {
    if (OptionMatches(o, v)) return true;
  }
  return false;
}

bool IsEmpty(const rapidjson::Value& v) {
  return v.IsNull() || (v.IsString() && v.GetStringLength() == 0) ||
         (v.IsArray() && v.Empty());
}

Status CheckValue(std::string_view name, std::string_view type, const rapidjson::Value& field,
                  const rapidjson::Value& v,
                  const std::function<bool(std::string_view)>& owns_file) {
  auto bad = [&](std::string_view what) {
    return Error(Code::kBadRequest, "answers.{} must be {}", name, what);
  };
  if (type == "text" || type == "textarea") {
    if (!v.IsString()) return bad("a string");
  } else if (type == "date") {
    if (!v.IsString() || !IsIsoDate({v.GetString(), v.GetStringLength()})) {
      return bad("a date written YYYY-MM-DD");
    }
  } else if (type == "country") {
    if (!v.IsString() || !IsCountryCode({v.GetString(), v.GetStringLength()})) {
      return bad("an ISO 3166-1 alpha-2 country code");
    }
  } else if (type == "file_reference") {
    if (!v.IsString()) return bad("a file_id");
    if (!owns_file({v.GetString(), v.GetStringLength()})) {
      return Error(Code::kBadRequest, "answers.{}: file '{}' is not one of your uploaded files",
                   name, v.GetString());
    }
  } else if (type == "number") {
    if (!v.IsNumber()) return bad("a number");
  } else if (type == "boolean") {
    if (!v.IsBool()) return bad("a boolean");
  } else if (type == "select") {
    if (!IsOption(field, v)) return bad("one of the field's option values");
  } else if (type == "multi_select") {
    if (!v.IsArray()) return bad("an array of the field's option values");
    for (const auto& item : v.GetArray()) {
      if (!IsOption(field, item)) return bad("an array of the field's option values");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateAnswers(const rapidjson::Value& schema, const rapidjson::Value& answers,
                       const std::function<bool(std::string_view)>& owns_file) {
  if (!answers.IsObject()) return Status(Code::kBadRequest, "field 'answers' must be a JSON object");
  std::map<std::string, const rapidjson::Value*> fields;
  if (auto secs = schema.FindMember("sections");
      secs != schema.MemberEnd() && secs->value.IsArray()) {
    for (const auto& sec : secs->value.GetArray()) {
      auto fs = sec.FindMember("fields");
      if (fs == sec.MemberEnd() || !fs->value.IsArray()) continue;
      for (const auto& f : fs->value.GetArray()) fields[f["name"].GetString()] = &f;
    }
  }
  for (const auto& m : answers.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    if (!fields.count(name)) {
      return Error(Code::kBadRequest, "answers.{} is not a field of this step's form", name);
    }
  }
  for (const auto& [name, field] : fields) {
    auto req = field->FindMember("required");
    bool required = req != field->MemberEnd() && req->value.IsBool() && req->value.GetBool();
    auto given = answers.FindMember(name.c_str());
    if (given == answers.MemberEnd() || IsEmpty(given->value)) {
      if (required) return Error(Code::kBadRequest, "answers.{} is required", name);
      continue;
    }
    std::string_view type((*field)["type"].GetString(), (*field)["type"].GetStringLength());
    if (Status s = CheckValue(name, type, *field, given->value, owns_file); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace kyc
