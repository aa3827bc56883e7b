#include "funds/ledger.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace kyc {

void WriteLedgerEntry(JsonOut& o, const LedgerEntry& e) {
  o.BeginObject();
  o.Key("id").Int(e.id);
  o.Key("customer_id").Int(e.customer_id);
  o.Key("brand").Str(e.brand);
  o.Key("currency").Str(e.currency);
  o.Key("amount").Str(e.amount.ToString(2));
  o.Key("kind").Str(e.kind);
  o.Key("ref").Str(e.ref);
  o.Key("at").Int(e.at);
  o.EndObject();
}

void WriteBalance(JsonOut& o, const Balance& b) {
  o.BeginObject();
  o.Key("currency").Str(b.currency);
  o.Key("balance").Str(b.balance.ToString(2));
  o.Key("held").Str(b.held.ToString(2));
  o.Key("available").Str(b.available.ToString(2));
  o.EndObject();
}

std::vector<Balance> ComputeBalances(const std::vector<const LedgerEntry*>& entries,
                                     const std::vector<const Hold*>& holds) {
  std::map<std::string, Balance> by_currency;
  auto at = [&](const std::string& currency) -> Balance& {
    Balance& b = by_currency[currency];
    b.currency = currency;
    return b;
  };
  for (const LedgerEntry* e : entries) at(e->currency).balance += e->amount;
  for (const Hold* h : holds) {
    if (h->status == HoldStatus::kHeld) at(h->currency).held += h->amount;
  }
  std::vector<Balance> out;
  for (auto& [currency, b] : by_currency) {
    b.available = b.balance - b.held;
    out.push_back(b);
  }
  return out;
}

void CustomerIndex::Add(int64_t customer_id, const std::string& brand, int64_t id) {
  auto& v = ids_[std::pair(customer_id, brand)];
  v.insert(std::upper_bound(v.begin(), v.end(), id), id);
}

const std::vector<int64_t>* CustomerIndex::Of(int64_t customer_id, std::string_view brand) const {
  auto it = ids_.find(std::pair(customer_id, std::string(brand)));
  return it == ids_.end() ? nullptr : &it->second;
}

namespace {

// Committed rows of `ids` (the caller holds the table's lock).
template <typename Set>
std::vector<typename Set::Ptr> Rows(const Set& set, const std::vector<int64_t>* ids,
                                    const std::function<typename Set::Ptr(int64_t)>& get) {
  std::vector<typename Set::Ptr> out;
  if (!ids) return out;
  for (int64_t id : *ids) {
    if (auto r = get(id)) out.push_back(r);
  }
  return out;
}

// The committed rows of a customer plus what this batch staged for it, by id.
template <typename Ptr, typename Committed, typename Staged>
std::vector<Ptr> Merge(Committed committed, Staged for_each_staged, int64_t customer_id,
                       std::string_view brand) {
  std::map<int64_t, Ptr> rows;
  for (auto& r : committed) rows[r->id] = r;
  for_each_staged([&](const Ptr& r) {
    if (r->customer_id == customer_id && r->brand == brand) rows[r->id] = r;
  });
  std::vector<Ptr> out;
  for (auto& [id, r] : rows) out.push_back(r);
  return out;
}

}  // namespace

std::vector<LedgerSet::Ptr> LedgerSet::Of(int64_t customer_id, std::string_view brand) const {
  std::shared_lock lock(mutex());
  return Rows<LedgerSet>(*this, by_customer_.Of(customer_id, brand),
                         [&](int64_t id) { return LockedGet(id); });
}

RowPage<LedgerEntry> LedgerSet::List(int64_t customer_id, std::string_view brand,
                                     const LedgerFilter& f) const {
  RowPage<LedgerEntry> page;
  auto all = Of(customer_id, brand);
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    const LedgerEntry& e = **it;
    if ((f.currency && e.currency != *f.currency) || (f.from && e.at < *f.from) ||
        (f.to && e.at > *f.to)) {
      continue;
    }
    if (page.total >= f.offset && page.total - f.offset < f.limit) page.items.push_back(*it);
    ++page.total;
  }
  return page;
}

std::vector<LedgerSet::Ptr> LedgerSet::StagedOf(int64_t customer_id, std::string_view brand) const {
  auto committed = Rows<LedgerSet>(*this, by_customer_.Of(customer_id, brand),
                                   [&](int64_t id) { return LockedGet(id); });
  return Merge<Ptr>(committed, [&](auto fn) { ForEachStaged(fn); }, customer_id, brand);
}

void LedgerSet::Index(const LedgerEntry* before, const LedgerEntry* after) {
  if (!before && after) by_customer_.Add(after->customer_id, after->brand, after->id);
}

std::vector<HoldSet::Ptr> HoldSet::Of(int64_t customer_id, std::string_view brand) const {
  std::shared_lock lock(mutex());
  return Rows<HoldSet>(*this, by_customer_.Of(customer_id, brand),
                       [&](int64_t id) { return LockedGet(id); });
}

std::vector<HoldSet::Ptr> HoldSet::StagedOf(int64_t customer_id, std::string_view brand) const {
  auto committed = Rows<HoldSet>(*this, by_customer_.Of(customer_id, brand),
                                 [&](int64_t id) { return LockedGet(id); });
  return Merge<Ptr>(committed, [&](auto fn) { ForEachStaged(fn); }, customer_id, brand);
}

void HoldSet::Index(const Hold* before, const Hold* after) {
  if (!before && after) by_customer_.Add(after->customer_id, after->brand, after->id);
}

}  // namespace kyc
