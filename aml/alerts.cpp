#include "aml/alerts.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "customers/transactions.h"

namespace kyc {

std::optional<AmlAlertStatus> ParseAmlAlertStatus(std::string_view name) {
  for (size_t i = 0; i < kAmlAlertStatusNames.size(); ++i) {
    if (kAmlAlertStatusNames[i] == name) return AmlAlertStatus(i);
  }
  return std::nullopt;
}

bool IsAmlResolution(std::string_view r) {
  return std::find(kAmlResolutions.begin(), kAmlResolutions.end(), r) != kAmlResolutions.end();
}

namespace {

void WriteAlert(JsonOut& o, const AmlAlert& a, bool all_evidence) {
  o.BeginObject().Key("id").Int(a.id).Key("brand").Str(a.brand);
  o.Key("customer_id").Int(a.customer_id).Key("flag").Str(a.flag).Key("group").Int(a.group);
  o.Key("status").Str(kAmlAlertStatusNames[size_t(a.status)]);
  o.Key("period_from").Str(DayText(a.period_from)).Key("period_to").Str(DayText(a.period_to));
  o.Key("explanation").Str(a.explanation);
  if (all_evidence) {
    o.Key("evidence").BeginArray();
    for (const std::string& hit : a.evidence) o.Raw(hit);
    o.EndArray();
  }
  o.Key("hits").Int(a.hits);
  o.Key("assigned_to").OptInt(a.assigned_to);
  o.Key("resolution");
  a.resolution.empty() ? o.Null() : o.Str(a.resolution);
  o.Key("resolution_reason");
  a.resolution_reason.empty() ? o.Null() : o.Str(a.resolution_reason);
  o.Key("resolved_by").OptInt(a.resolved_by);
  o.Key("created_at").Int(a.created_at).Key("updated_at").Int(a.updated_at).EndObject();
}

}  // namespace

void WriteAmlAlert(JsonOut& o, const AmlAlert& a) { WriteAlert(o, a, true); }

std::string AmlAlertJson(const AmlAlert& a) {
  JsonOut o;
  WriteAlert(o, a, true);
  return o.Take();
}

std::string AmlAlertAuditJson(const AmlAlert& a) {
  JsonOut o;
  WriteAlert(o, a, false);
  return o.Take();
}

std::string EvidenceJson(const std::vector<std::string>& hits) {
  JsonOut o;
  o.BeginArray();
  for (const std::string& h : hits) o.Raw(h);
  o.EndArray();
  return o.Take();
}

std::vector<std::string> EvidenceFromJson(std::string_view json) {
  std::vector<std::string> out;
  rapidjson::Document d;
  if (d.Parse(json.data(), json.size()).HasParseError() || !d.IsArray()) return out;
  for (const auto& hit : d.GetArray()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    hit.Accept(w);
    out.emplace_back(buf.GetString(), buf.GetSize());
  }
  return out;
}

RowPage<AmlAlert> AmlAlertSet::List(const AmlAlertFilter& f) const {
  RowPage<AmlAlert> page;
  std::shared_lock lock(mutex());
  auto matches = [&](const AmlAlert& a) {
    return (!f.brand || a.brand == *f.brand) && (!f.status || a.status == *f.status) &&
           (!f.flag || a.flag == *f.flag) && (!f.customer_id || a.customer_id == *f.customer_id);
  };
  auto take = [&](const Ptr& a) {
    if (!matches(*a)) return;
    if (page.total >= f.offset && int64_t(page.items.size()) < f.limit) page.items.push_back(a);
    ++page.total;
  };
  if (f.customer_id) {
    // Newest first: ids ascend with time, so walk the customer's ids backwards.
    auto [first, last] = by_customer_.equal_range(*f.customer_id);
    std::vector<int64_t> ids;
    for (auto it = first; it != last; ++it) ids.push_back(it->second);
    std::sort(ids.rbegin(), ids.rend());
    for (int64_t id : ids) {
      if (auto a = LockedGet(id)) take(a);
    }
    return page;
  }
  // Newest first: ids ascend with time.
  for (int64_t id = LockedEndId() - 1; id >= 1; --id) {
    if (auto a = LockedGet(id)) take(a);
  }
  return page;
}

AmlAlertSet::Ptr AmlAlertSet::StagedFindOpen(std::string_view brand, int64_t customer_id,
                                             std::string_view flag) const {
  const Key key(std::string(brand), customer_id, std::string(flag));
  if (auto staged = staged_by_key_.find(key); staged != staged_by_key_.end()) {
    auto a = StagedGet(staged->second);
    if (a && a->is_open()) return a;
  }
  auto it = open_.find(key);
  if (it == open_.end()) return nullptr;
  // Committed open, but a staged version of this batch may have closed it.
  auto a = StagedGet(it->second);
  return a && a->is_open() ? a : nullptr;
}

void AmlAlertSet::StagedIndex(const AmlAlert& a) {
  // The newest staged alert of a key is the one a later hit of the batch may join.
  int64_t& id = staged_by_key_[Key(a.brand, a.customer_id, a.flag)];
  if (a.is_open() || id == a.id) id = a.id;
}

void AmlAlertSet::Index(const AmlAlert* before, const AmlAlert* after) {
  if (before && before->is_open()) open_.erase(Key(before->brand, before->customer_id, before->flag));
  if (after && after->is_open()) open_[Key(after->brand, after->customer_id, after->flag)] = after->id;
  if (!before && after) by_customer_.emplace(after->customer_id, after->id);
}

std::string AmlHitKeySet::Join(std::string_view brand, int64_t customer_id, std::string_view flag,
                               std::string_view key) {
  std::string out;
  out.reserve(brand.size() + flag.size() + key.size() + 24);
  out.append(brand).push_back('\0');
  out.append(std::to_string(customer_id)).push_back('\0');
  out.append(flag).push_back('\0');
  out.append(key);
  return out;
}

bool AmlHitKeySet::Seen(std::string_view brand, int64_t customer_id, std::string_view flag,
                        std::string_view key) const {
  const std::string joined = Join(brand, customer_id, flag, key);
  std::shared_lock lock(mutex());
  return keys_.count(joined) != 0;
}

bool AmlHitKeySet::StagedSeen(std::string_view brand, int64_t customer_id, std::string_view flag,
                              std::string_view key) const {
  const std::string joined = Join(brand, customer_id, flag, key);
  return keys_.count(joined) != 0 || staged_keys_.count(joined) != 0;
}

void AmlHitKeySet::StagedIndex(const AmlHitKey& h) {
  staged_keys_.insert(Join(h.brand, h.customer_id, h.flag, h.key));
}

void AmlHitKeySet::Index(const AmlHitKey* before, const AmlHitKey* after) {
  if (before) keys_.erase(Join(before->brand, before->customer_id, before->flag, before->key));
  if (after) keys_.insert(Join(after->brand, after->customer_id, after->flag, after->key));
}

}  // namespace kyc
