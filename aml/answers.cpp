#include "aml/answers.h"

#include <charconv>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kyc {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseNumbersAsStringsFlag;


bool ParseObject(std::string_view json, rapidjson::Document& d) {
  if (json.empty()) return false;
  return !d.Parse<kParseFlags>(json.data(), json.size()).HasParseError() && d.IsObject();
}

std::string JsonText(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// Numbers arrive as their own text (kParseNumbersAsStringsFlag): never through a double.
std::string ValueText(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(StringView(v));
  return JsonText(v);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<AmlQuestion> ParseAmlQuestion(std::string_view name) {
  for (size_t i = 0; i < kAmlQuestions.size(); ++i) {
    if (kAmlQuestions[i].name == name) return AmlQuestion(i);
  }
  return std::nullopt;
}

void WriteAmlQuestionMap(JsonOut& o, const AmlQuestionMap& m) {
  o.BeginObject();
  for (size_t i = 0; i < kAmlQuestions.size(); ++i) {
    o.Key(kAmlQuestions[i].name).Str(m.AnswerName(AmlQuestion(i)));
  }
  o.EndObject();
}

std::string AmlQuestionMapJson(const AmlQuestionMap& m) {
  JsonOut o;
  o.BeginObject().Key("brand").Str(m.brand).Key("map");
  WriteAmlQuestionMap(o, m);
  o.EndObject();
  return o.Take();
}

std::string AmlQuestionOverridesJson(const AmlQuestionMap& m) {
  JsonOut o;
  o.BeginObject();
  for (size_t i = 0; i < kAmlQuestions.size(); ++i) {
    if (!m.names[i].empty()) o.Key(kAmlQuestions[i].name).Str(m.names[i]);
  }
  o.EndObject();
  return o.Take();
}

void ReadAmlQuestionOverrides(std::string_view json, AmlQuestionMap& m) {
  rapidjson::Document d;
  if (!ParseObject(json, d)) return;
  for (const auto& member : d.GetObject()) {
    auto q = ParseAmlQuestion(StringView(member.name));
    if (q && member.value.IsString()) m.names[size_t(*q)] = std::string(StringView(member.value));
  }
}

AmlAnswers GatherAmlAnswers(const AmlQuestionMap& map, const std::vector<AnswerSource>& sources) {
  AmlAnswers out;
  rapidjson::Document doc, times;
  for (const AnswerSource& src : sources) {
    if (!ParseObject(src.json, doc)) continue;
    const bool has_times = ParseObject(src.times, times);
    for (size_t i = 0; i < kAmlQuestionCount; ++i) {
      std::string_view name = map.AnswerName(AmlQuestion(i));
      auto it = doc.FindMember(rapidjson::StringRef(name.data(), name.size()));
      if (it == doc.MemberEnd() || it->value.IsNull()) continue;
      int64_t at = src.at;
      if (has_times) {
        auto t = times.FindMember(rapidjson::StringRef(name.data(), name.size()));
        if (t != times.MemberEnd() && t->value.IsString()) {
          std::string_view s = StringView(t->value);
          std::from_chars(s.data(), s.data() + s.size(), at);
        }
      }
      if (out[i] && out[i]->at > at) continue;
      out[i] = AmlAnswer{std::string(name), ValueText(it->value), at};
    }
  }
  return out;
}

std::optional<Decimal> ParseAmountAnswer(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.front() == '-') return std::nullopt;
  auto d = Decimal::Parse(text);
  if (!d || *d > Decimal::MaxAmount()) return std::nullopt;
  return d;
}

std::optional<Decimal> ParseRangeUpper(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.back() == '+') return ParseAmountAnswer(text.substr(0, text.size() - 1));
  size_t dash = text.find('-', 1);
  if (dash == std::string_view::npos) return ParseAmountAnswer(text);
  auto low = ParseAmountAnswer(text.substr(0, dash));
  auto high = ParseAmountAnswer(text.substr(dash + 1));
  if (!low || !high || *high < *low) return std::nullopt;
  return high;
}

std::optional<int64_t> ParseCountAnswer(std::string_view text) {
  auto d = ParseAmountAnswer(text);
  if (!d || d->FractionDigits() != 0 || *d > Decimal::FromInt(1'000'000'000)) return std::nullopt;
  return int64_t(d->units() / Decimal::FromInt(1).units());
}

std::string StampAnswerTimes(std::string_view before, std::string_view before_times,
                             int64_t before_at, std::string_view after, int64_t now) {
  rapidjson::Document old_answers, old_times, new_answers;
  const bool had = ParseObject(before, old_answers);
  const bool had_times = ParseObject(before_times, old_times);
  if (!ParseObject(after, new_answers)) return {};
  JsonOut o;
  o.BeginObject();
  for (const auto& m : new_answers.GetObject()) {
    int64_t at = now;
    if (had) {
      auto it = old_answers.FindMember(m.name);
      if (it != old_answers.MemberEnd() && it->value == m.value) {
        at = before_at;
        if (had_times) {
          auto t = old_times.FindMember(m.name);
          if (t != old_times.MemberEnd() && t->value.IsString()) {
            std::string_view s = StringView(t->value);
            std::from_chars(s.data(), s.data() + s.size(), at);
          }
        }
      }
    }
    o.Key(StringView(m.name)).Str(std::to_string(at));
  }
  o.EndObject();
  return o.Take();
}

}  // namespace kyc
