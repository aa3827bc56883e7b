#include "customers/duplicates.h"

#include <algorithm>

namespace kyc {

bool SameIdentity(const Identity& a, const Identity& b) {
  return a.type == b.type && a.number == b.number &&
         (a.issuing_country.empty() || b.issuing_country.empty() ||
          a.issuing_country == b.issuing_country);
}

void WriteAlert(JsonOut& o, const DuplicateAlert& a) {
  o.BeginObject();
  o.Key("id").Int(a.id).Key("status").Str(kAlertStatusNames[size_t(a.status)]);
  o.Key("document").BeginObject().Key("type").Str(a.identity.type);
  o.Key("issuing_country");
  if (a.identity.issuing_country.empty()) o.Null();
  else o.Str(a.identity.issuing_country);
  o.Key("number").Str(a.identity.number).EndObject();
  o.Key("source").Str(a.source);
  o.Key("customer_id").Int(a.customer_id).Key("brand").Str(a.brand);
  o.Key("other_customer_id").Int(a.other_customer_id).Key("other_brand").Str(a.other_brand);
  o.Key("created_at").Int(a.created_at);
  o.Key("resolved_at").OptInt(a.resolved_at).Key("resolved_by").OptInt(a.resolved_by);
  o.Key("resolution");
  if (a.resolution.empty()) o.Null();
  else o.Str(a.resolution);
  o.EndObject();
}

std::string AlertJson(const DuplicateAlert& a) {
  JsonOut o;
  WriteAlert(o, a);
  return o.Take();
}

RowPage<DuplicateAlert> AlertSet::List(const AlertFilter& f) const {
  std::vector<Ptr> rows;
  Scan([&](const Ptr& a) {
    if ((!f.status || a->status == *f.status) &&
        (!f.customer_id || a->customer_id == *f.customer_id ||
         a->other_customer_id == *f.customer_id)) {
      rows.push_back(a);
    }
    return true;
  });
  RowPage<DuplicateAlert> page;
  page.total = int64_t(rows.size());
  for (int64_t i = page.total - 1 - f.offset; i >= 0 && int64_t(page.items.size()) < f.limit; --i) {
    page.items.push_back(rows[size_t(i)]);
  }
  return page;
}

bool AlertSet::HasOpen(int64_t customer_id, std::string_view brand) const {
  std::shared_lock lock(mutex());
  auto [first, last] = by_customer_.equal_range(Key(customer_id, std::string(brand)));
  for (auto it = first; it != last; ++it) {
    if (auto a = LockedGet(it->second); a && a->status == AlertStatus::kOpen) return true;
  }
  return false;
}

std::vector<AlertSet::Ptr> AlertSet::StagedOf(const Key& key) const {
  std::vector<Ptr> out;
  auto [first, last] = by_customer_.equal_range(key);
  for (auto it = first; it != last; ++it) {
    if (!IsStaged(it->second)) out.push_back(StagedGet(it->second));
  }
  ForEachStaged([&](const Ptr& a) {
    if (Key(a->customer_id, a->brand) == key || Key(a->other_customer_id, a->other_brand) == key) {
      out.push_back(a);
    }
  });
  return out;
}

bool AlertSet::StagedHasOpen(int64_t customer_id, std::string_view brand) const {
  for (const auto& a : StagedOf(Key(customer_id, std::string(brand)))) {
    if (a->status == AlertStatus::kOpen) return true;
  }
  return false;
}

AlertSet::Ptr AlertSet::StagedFindOpen(const DuplicateAlert& like) const {
  for (const auto& a : StagedOf(Key(like.customer_id, like.brand))) {
    const bool same_pair = (a->customer_id == like.customer_id && a->brand == like.brand &&
                            a->other_customer_id == like.other_customer_id &&
                            a->other_brand == like.other_brand) ||
                           (a->customer_id == like.other_customer_id &&
                            a->brand == like.other_brand && a->other_customer_id == like.customer_id &&
                            a->other_brand == like.brand);
    if (a->status == AlertStatus::kOpen && same_pair && SameIdentity(a->identity, like.identity)) {
      return a;
    }
  }
  return nullptr;
}

void AlertSet::Index(const DuplicateAlert* before, const DuplicateAlert* after) {
  if (before || !after) return;  // the pair never changes: indexed once
  by_customer_.emplace(Key(after->customer_id, after->brand), after->id);
  by_customer_.emplace(Key(after->other_customer_id, after->other_brand), after->id);
}

}  // namespace kyc
