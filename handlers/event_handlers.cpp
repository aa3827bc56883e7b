// Events (issue 18): Subscribe / Unsubscribe change which events a TCP connection is sent
// (the connection applies Call::subscription), and KycGetNotifications reads a client's
// notifications back from the audit trail they are derived from.
#include <algorithm>

#include "events/event.h"
#include "handlers/handlers.h"
#include "protocol/utf8.h"

namespace kyc::handlers {

namespace {

// A list of short strings: absent → nullopt; anything but an array of strings → an error.
std::optional<std::vector<std::string>> ReadStrings(ParamReader& p, std::string_view field) {
  const rapidjson::Value* v = p.Raw(field);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  if (!v->IsArray() || v->Size() > 64) {
    p.Fail(Error(Code::kBadRequest, "field '{}' must be an array of at most 64 strings", field));
    return out;
  }
  for (const auto& item : v->GetArray()) {
    if (!item.IsString() || item.GetStringLength() == 0 || item.GetStringLength() > 64) {
      p.Fail(Error(Code::kBadRequest, "field '{}' must hold strings of 1 to 64 bytes", field));
      return out;
    }
    std::string s(StringView(item));
    if (s.find(',') != std::string::npos) {
      p.Fail(Error(Code::kBadRequest, "field '{}': '{}' has a comma", field, ForMessage(s)));
      return out;
    }
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

void WriteStrings(JsonOut& o, std::string_view key, const std::vector<std::string>& v) {
  o.Key(key).BeginArray();
  for (const auto& s : v) o.Str(s);
  o.EndArray();
}

}  // namespace

std::optional<std::vector<std::string>> ReadStringList(ParamReader& p, std::string_view field) {
  return ReadStrings(p, field);
}

Status CheckTopicsAllowed(const Session& session, const std::vector<std::string>& patterns) {
  for (const auto& pattern : patterns) {
    for (const TopicInfo* t : TopicsOf(pattern)) {
      if (!Grants(session.permissions, t->permission)) {
        return Error(Code::kForbidden,
                     "topic '{}' needs the permission '{}', which the roles of this account ({}) "
                     "do not grant",
                     t->name, Name(t->permission), session.roles.empty() ? "none" : session.roles);
      }
    }
  }
  return Status::Ok();
}

Result<std::string> Subscribe(Call& c) {
  ParamReader p(c.params);
  auto topics = ReadStrings(p, "topics");
  auto brands = ReadStrings(p, "brands");
  if (p.ok() && !topics) p.Fail(Status(Code::kBadRequest, "field 'topics' is required"));
  if (Status s = p.Finish(); !s.ok()) return s;
  if (Status s = CheckTopicPatterns(*topics, "topics"); !s.ok()) return s;
  if (Status s = CheckTopicsAllowed(*c.session, *topics); !s.ok()) return s;
  EventFilter filter;
  filter.topics = std::move(*topics);
  if (brands) filter.brands = std::move(*brands);
  JsonOut o;
  o.BeginObject();
  WriteStrings(o, "topics", filter.topics);
  WriteStrings(o, "brands", filter.brands);
  o.EndObject();
  c.subscription = std::move(filter);
  return o.Take();
}

Result<std::string> Unsubscribe(Call& c) {
  ParamReader p(c.params);
  auto topics = ReadStrings(p, "topics");
  if (Status s = p.Finish(); !s.ok()) return s;
  EventFilter filter = c.subscribed ? *c.subscribed : EventFilter{};
  if (topics) {
    std::erase_if(filter.topics, [&](const std::string& t) {
      return std::find(topics->begin(), topics->end(), t) != topics->end();
    });
  } else {
    filter.topics.clear();
  }
  JsonOut o;
  o.BeginObject();
  WriteStrings(o, "topics", filter.topics);
  o.EndObject();
  c.subscription = std::move(filter);
  return o.Take();
}

Result<std::string> KycGetNotifications(Call& c) {
  ParamReader p(c.params);
  int64_t after_id = p.OptInt("after_id").value_or(0);
  int64_t limit = p.OptInt("limit").value_or(100);
  if (limit < 1 || limit > 1000) p.Fail(Status(Code::kBadRequest, "field 'limit' must be 1 to 1000"));
  if (after_id < 0) p.Fail(Status(Code::kBadRequest, "field 'after_id' must be >= 0"));
  if (Status s = p.Finish(); !s.ok()) return s;
  const Session& session = *c.session;
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  int64_t last_id = after_id, taken = 0;
  AuditFilter f;
  f.customer_id = session.customer_id;
  f.after_id = after_id;
  f.limit = 500;
  for (;;) {
    auto rows = c.core.kyc().audit().List(f);
    for (const auto& row : rows) {
      f.after_id = row->id;
      if (row->brand != session.brand) continue;
      for (const Event& e : EventsOf(*row)) {
        if (e.topic != "client.notification" || taken >= limit) continue;
        rapidjson::Document d;
        if (!ParseJson(e.json, d).ok()) continue;
        const auto& data = d["data"];
        o.BeginObject();
        o.Key("id").Int(row->id).Key("event_id").Str(e.id);
        o.Key("kind").Str(StringView(data["kind"])).Key("step_id").Int(row->entity_id);
        o.Key("code").Str(StringView(data["code"])).Key("name").Str(StringView(data["name"]));
        o.Key("comment").Str(StringView(data["comment"]));
        o.Key("message").Str(StringView(data["message"])).Key("at").Int(row->at);
        o.EndObject();
        ++taken;
        last_id = row->id;
      }
      if (taken >= limit) break;
    }
    if (taken >= limit || static_cast<int64_t>(rows.size()) < f.limit) break;
  }
  o.EndArray().Key("last_id").Int(last_id).EndObject();
  return o.Take();
}

}  // namespace kyc::handlers
