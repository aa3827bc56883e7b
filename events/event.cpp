#include "events/event.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "protocol/json.h"
#include "protocol/utf8.h"

namespace kyc {

namespace {

constexpr std::array<TopicInfo, 12> kTopics{{
    {"kyc.step.submitted", Perm::kKycRead, "a client submitted answers for a step"},
    {"kyc.step.decided", Perm::kKycRead,
     "staff approved or rejected a step, or asked for a revision"},
    {"kyc.profile.status", Perm::kKycRead, "a KYC profile's status changed"},
    {"customer.blocked", Perm::kCustomersRead, "a customer was blocked"},
    {"customer.unblocked", Perm::kCustomersRead, "a customer was unblocked"},
    {"aml.alert", Perm::kAmlRead, "an AML alert was opened"},
    {"approval.request", Perm::kApprovals, "a change waits for a second person (four eyes)"},
    {"funds.deposit", Perm::kFundsRead, "a deposit was created or moved on"},
    {"funds.withdrawal", Perm::kFundsRead, "a withdrawal was created or moved on"},
    {"funds.balance", Perm::kFundsRead, "a balance was adjusted by staff"},
    {"funds.bank_account", Perm::kFundsRead, "a bank account was added, verified or rejected"},
    {"client.notification", Perm::kKycRead,
     "what the client is told: a revision request or a decision on its step"},
}};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The topic of an audit action, or empty.
std::string_view TopicOfAction(std::string_view action) {
  if (action == "step.submit") return "kyc.step.submitted";
  if (action == "step.approve" || action == "step.reject" || action == "step.revision") {
    return "kyc.step.decided";
  }
  if (action == "customer.block") return "customer.blocked";
  if (action == "customer.unblock") return "customer.unblocked";
  if (action == "aml_alert.open") return "aml.alert";
  if (action == "approval.request") return "approval.request";
  if (StartsWith(action, "deposit.")) return "funds.deposit";
  if (StartsWith(action, "withdrawal.")) return "funds.withdrawal";
  if (action == "balance.adjust") return "funds.balance";
  if (StartsWith(action, "bank_account.")) return "funds.bank_account";
  return {};
}

// The "status" member of an object's JSON text, or nullopt.
std::optional<int64_t> StatusOf(std::string_view json) {
  if (json.empty()) return std::nullopt;
  rapidjson::Document d;
  if (!ParseJson(json, d).ok() || !d.IsObject()) return std::nullopt;
  auto it = d.FindMember("status");
  if (it == d.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

// A string member of a parsed object ("" when absent or not a string).
std::string TextOf(const rapidjson::Document& d, std::string_view key) {
  if (!d.IsObject()) return {};
  auto it = d.FindMember(rapidjson::StringRef(key.data(), key.size()));
  if (it == d.MemberEnd() || !it->value.IsString()) return {};
  return std::string(StringView(it->value));
}

Event Make(const AuditRow& row, int n, std::string_view topic, const std::string& data) {
  Event e;
  e.audit_id = row.id;
  e.n = n;
  e.id = fmt::format("{}.{}", row.id, n);
  e.topic = std::string(topic);
  e.brand = row.brand;
  e.customer_id = row.customer_id;
  e.at = row.at;
  JsonOut o;
  o.BeginObject();
  o.Key("event_id").Str(e.id).Key("topic").Str(e.topic).Key("at").Int(e.at);
  o.Key("brand").Str(e.brand).Key("customer_id").OptInt(e.customer_id);
  o.Key("data").Raw(data);
  o.EndObject();
  e.json = o.Take();
  return e;
}

// What a change says: the audit row's action, object and reason.
std::string ChangeData(const AuditRow& row) {
  JsonOut o;
  o.BeginObject();
  o.Key("action").Str(row.action).Key("entity").Str(row.entity).Key("entity_id").Int(row.entity_id);
  o.Key("object");
  row.after.empty() ? o.Null() : o.Raw(row.after);
  if (!row.reason.empty()) o.Key("reason").Str(row.reason);
  o.Key("actor_type").Str(row.actor.type).Key("actor_id").OptInt(row.actor.id);
  o.EndObject();
  return o.Take();
}

// The client's side of a decision (seed 003: "System sends email + in-app notification").
std::string NotificationData(const AuditRow& row) {
  rapidjson::Document step;  // the step after the decision, parsed once
  if (!ParseJson(row.after, step).ok()) step.SetObject();
  const std::string name = TextOf(step, "name");
  std::string kind, message, comment;
  if (row.action == "step.approve") {
    kind = "step.approved";
    comment = TextOf(step, "comment");
    message = fmt::format("Your '{}' step was approved.", name);
  } else if (row.action == "step.reject") {
    kind = "step.rejected";
    comment = TextOf(step, "reject_reason");
    message = fmt::format("Your '{}' step was rejected: {}", name, comment);
  } else {
    kind = "step.revision_requested";
    comment = TextOf(step, "comment");
    message = fmt::format("Please revise your '{}' step: {}", name, comment);
  }
  JsonOut o;
  o.BeginObject();
  o.Key("kind").Str(kind).Key("step_id").Int(row.entity_id);
  o.Key("code").Str(TextOf(step, "code")).Key("name").Str(name);
  o.Key("comment").Str(comment).Key("message").Str(message);
  o.EndObject();
  return o.Take();
}

}  // namespace

std::span<const TopicInfo> Topics() { return kTopics; }

const TopicInfo* FindTopic(std::string_view name) {
  for (const auto& t : kTopics) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::vector<Event> EventsOf(const AuditRow& row) {
  std::vector<Event> out;
  if (StartsWith(row.action, "profile.")) {
    // A profile's status moved (its recalculation, a risk level that blocks it).
    auto before = StatusOf(row.before), after = StatusOf(row.after);
    if (after && before != after) out.push_back(Make(row, 0, "kyc.profile.status", ChangeData(row)));
    return out;
  }
  std::string_view topic = TopicOfAction(row.action);
  if (topic.empty()) return out;
  out.push_back(Make(row, 0, topic, ChangeData(row)));
  if (topic == "kyc.step.decided") {
    out.push_back(Make(row, 1, "client.notification", NotificationData(row)));
  }
  return out;
}

std::vector<const TopicInfo*> TopicsOf(std::string_view pattern) {
  std::vector<const TopicInfo*> out;
  for (const auto& t : kTopics) {
    if (pattern == "*" || t.name == pattern ||
        (pattern.size() > 2 && pattern.substr(pattern.size() - 2) == ".*" &&
         StartsWith(t.name, pattern.substr(0, pattern.size() - 1)))) {
      out.push_back(&t);
    }
  }
  return out;
}

Status CheckTopicPatterns(const std::vector<std::string>& patterns, std::string_view field) {
  if (patterns.empty()) {
    return Error(Code::kBadRequest, "field '{}' must name at least one topic", field);
  }
  for (const auto& p : patterns) {
    if (TopicsOf(p).empty()) {
      std::string known;
      for (const auto& t : kTopics) known += (known.empty() ? "" : ", ") + std::string(t.name);
      return Error(Code::kBadRequest,
                   "field '{}': '{}' is no topic; topics are {} (or a prefix such as 'funds.*', or "
                   "'*')",
                   field, ForMessage(p), known);
    }
  }
  return Status::Ok();
}

bool EventFilter::Matches(const Event& e) const {
  if (!brands.empty() && std::find(brands.begin(), brands.end(), e.brand) == brands.end()) {
    return false;
  }
  for (const auto& p : topics) {
    if (p == "*" || p == e.topic) return true;
    if (p.size() > 2 && p.substr(p.size() - 2) == ".*" &&
        StartsWith(e.topic, std::string_view(p).substr(0, p.size() - 1))) {
      return true;
    }
  }
  return false;
}

}  // namespace kyc
