#include "aml/flags.h"

#include <algorithm>

#include <rapidjson/document.h>

namespace kyc {

const AmlFlagInfo* FindAmlFlag(std::string_view id) {
  for (const auto& f : kAmlFlags) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::string_view AmlSchedule(int group) {
  switch (group) {
    case 1:
    case 2:
      return "the day after new or updated KYC answers, once per update";
    case 3:
      return "the first day of each calendar month, for the previous calendar month";
    default:
      return "the first day of each calendar month, over the twelve calendar months before it";
  }
}

bool AmlSubscription::Covers(ClientType t) const {
  return customer_types.empty() ||
         std::find(customer_types.begin(), customer_types.end(), t) != customer_types.end();
}

Status CheckAmlSubscription(const AmlFlagInfo& flag, const AmlSubscription& s) {
  auto needs = [&](AmlParam p) { return (flag.params & p) != 0; };
  if (!needs(kParamX) && s.x) {
    return Error(Code::kBadRequest, "field 'params.x' is not a parameter of flag {}", flag.id);
  }
  if (!needs(kParamPercent) && s.percent) {
    return Error(Code::kBadRequest, "field 'params.percent' is not a parameter of flag {}", flag.id);
  }
  if (!needs(kParamMonths) && s.months) {
    return Error(Code::kBadRequest, "field 'params.months' is not a parameter of flag {}", flag.id);
  }
  if (s.realtime && !flag.realtime) {
    return Error(Code::kBadRequest, "field 'realtime' is only for flags 3.5 and 3.6, not {}",
                 flag.id);
  }
  if (s.x) {
    if (flag.x_is_count) {
      if (s.x->FractionDigits() != 0 || *s.x < Decimal::FromInt(1) ||
          *s.x > Decimal::FromInt(1'000'000)) {
        return Error(Code::kBadRequest,
                     "field 'params.x' of flag {} counts withdrawals: a whole number from 1 to "
                     "1000000",
                     flag.id);
      }
    } else if (s.x->is_negative() || s.x->FractionDigits() > 2 || *s.x > Decimal::MaxAmount()) {
      return Error(Code::kBadRequest,
                   "field 'params.x' of flag {} is an EUR amount: ≥ 0, at most 2 fraction "
                   "digits, at most 10^15",
                   flag.id);
    }
  }
  if (s.percent && (*s.percent <= Decimal{} || s.percent->FractionDigits() > 2 ||
                    *s.percent > Decimal::FromInt(10'000))) {
    return Status(Code::kBadRequest,
                  "field 'params.percent' must be > 0 and at most 10000, with at most 2 "
                  "fraction digits");
  }
  if (s.months && (*s.months < 1 || *s.months > 24)) {
    return Status(Code::kBadRequest, "field 'params.months' must be from 1 to 24");
  }
  if (s.enabled) {
    if (needs(kParamX) && !s.x) {
      return Error(Code::kBadRequest, "flag {} needs field 'params.x' to be enabled", flag.id);
    }
    if (needs(kParamPercent) && !s.percent) {
      return Error(Code::kBadRequest, "flag {} needs field 'params.percent' to be enabled",
                   flag.id);
    }
    if (needs(kParamMonths) && !s.months) {
      return Error(Code::kBadRequest, "flag {} needs field 'params.months' to be enabled", flag.id);
    }
  }
  return Status::Ok();
}

void WriteAmlParams(JsonOut& o, const AmlSubscription& s) {
  o.BeginObject();
  const AmlFlagInfo* flag = FindAmlFlag(s.flag);
  if (s.x) o.Key("x").Str(s.x->ToString(flag && flag->x_is_count ? 0 : 2));
  if (s.percent) o.Key("percent").Str(s.percent->ToString(0));
  if (s.months) o.Key("months").Int(*s.months);
  o.EndObject();
}

std::string AmlParamsJson(const AmlSubscription& s) {
  JsonOut o;
  WriteAmlParams(o, s);
  return o.Take();
}

void ReadAmlParamsJson(std::string_view json, AmlSubscription& s) {
  rapidjson::Document d;
  if (d.Parse(json.data(), json.size()).HasParseError() || !d.IsObject()) return;
  auto text = [](const rapidjson::Value& v) {
    return std::string_view(v.GetString(), v.GetStringLength());
  };
  if (auto it = d.FindMember("x"); it != d.MemberEnd() && it->value.IsString()) {
    s.x = Decimal::Parse(text(it->value));
  }
  if (auto it = d.FindMember("percent"); it != d.MemberEnd() && it->value.IsString()) {
    s.percent = Decimal::Parse(text(it->value));
  }
  if (auto it = d.FindMember("months"); it != d.MemberEnd() && it->value.IsInt64()) {
    s.months = it->value.GetInt64();
  }
}

std::string ClientTypesText(const std::vector<ClientType>& types) {
  std::string out;
  for (ClientType t : types) {
    if (!out.empty()) out += ',';
    out += Name(t);
  }
  return out;
}

std::vector<ClientType> ClientTypesFromText(std::string_view text) {
  std::vector<ClientType> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    if (auto t = ParseClientType(text.substr(0, comma))) out.push_back(*t);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string AmlSubscriptionJson(const AmlSubscription& s) {
  JsonOut o;
  o.BeginObject().Key("brand").Str(s.brand).Key("flag").Str(s.flag);
  o.Key("enabled").Bool(s.enabled).Key("params");
  WriteAmlParams(o, s);
  o.Key("customer_types").BeginArray();
  for (ClientType t : s.customer_types) o.Str(Name(t));
  o.EndArray().Key("realtime").Bool(s.realtime).EndObject();
  return o.Take();
}

}  // namespace kyc
