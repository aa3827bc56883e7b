#include "customers/clients.h"

#include <algorithm>
#include <charconv>

#include "customers/field_rules.h"
#include "customers/search_text.h"

namespace kyc {
namespace {

template <typename Map, typename K>
void Erase(Map& m, const K& key, int64_t id) {
  auto [first, last] = m.equal_range(key);
  for (auto it = first; it != last; ++it) {
    if (it->second == id) {
      m.erase(it);
      return;
    }
  }
}

std::vector<std::string> DocKeys(const ClientRecord& r) {
  std::vector<std::string> keys;
  for (const auto& d : r.documents) {
    std::string n = NormalizeDocNumber(d.number);
    if (!n.empty() && std::find(keys.begin(), keys.end(), n) == keys.end()) keys.push_back(n);
  }
  return keys;
}

}  // namespace

std::vector<std::string> NameKeys(const ClientRecord& r) {
  std::vector<std::string> keys;
  auto add = [&](std::string_view text) {
    auto folded = FoldForSearch(text);
    if (folded && !folded->empty() && std::find(keys.begin(), keys.end(), *folded) == keys.end()) {
      keys.push_back(std::move(*folded));
    }
  };
  add(r.first_name);
  add(r.last_name);
  if (!r.first_name.empty() && !r.last_name.empty()) add(r.first_name + " " + r.last_name);
  return keys;
}

ClientSet::Ptr ClientSet::Find(int64_t customer_id, std::string_view brand) const {
  std::shared_lock lock(mutex());
  auto it = by_key_.find(Key(customer_id, std::string(brand)));
  return it == by_key_.end() ? nullptr : LockedGet(it->second);
}

ClientSet::Ptr ClientSet::FindUuid(std::string_view uuid) const {
  std::shared_lock lock(mutex());
  auto it = by_uuid_.find(std::string(uuid));
  return it == by_uuid_.end() ? nullptr : LockedGet(it->second);
}

ClientSet::Page ClientSet::Search(const ClientFilter& f) const {
  Page page;
  auto keep = [&](const ClientRecord& r) {
    return (!f.type || r.type == *f.type) && (!f.brand || r.brand == *f.brand) &&
           (!f.blocked || r.is_blocked == *f.blocked);
  };
  auto take = [&](const Ptr& r) {
    if (!r || !keep(*r)) return;
    if (page.total >= f.offset && int64_t(page.items.size()) < f.limit) page.items.push_back(r);
    ++page.total;
  };
  std::shared_lock lock(mutex());
  if (!f.query) {
    LockedScanFrom(0, [&](const Ptr& r) {
      take(r);
      return true;
    });
    return page;
  }
  std::vector<int64_t> ids;
  const std::string& q = *f.query;
  if (auto folded = FoldForSearch(q); folded && !folded->empty()) {
    for (auto it = names_.lower_bound({*folded, 0});
         it != names_.end() && it->first.compare(0, folded->size(), *folded) == 0; ++it) {
      ids.push_back(it->second);
    }
  }
  if (std::string number = NormalizeDocNumber(q); !number.empty()) {
    auto [first, last] = doc_numbers_.equal_range(number);
    for (auto it = first; it != last; ++it) ids.push_back(it->second);
  }
  {
    auto [first, last] = emails_.equal_range(AsciiLower(q));
    for (auto it = first; it != last; ++it) ids.push_back(it->second);
  }
  int64_t customer_id = 0;
  if (auto [end, ec] = std::from_chars(q.data(), q.data() + q.size(), customer_id);
      ec == std::errc() && end == q.data() + q.size()) {
    for (auto it = by_key_.lower_bound(Key(customer_id, ""));
         it != by_key_.end() && it->first.first == customer_id; ++it) {
      ids.push_back(it->second);
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (int64_t id : ids) take(LockedGet(id));
  return page;
}

ClientSet::Ptr ClientSet::StagedFind(int64_t customer_id, std::string_view brand) const {
  Ptr found;
  ForEachStaged([&](const Ptr& r) {
    if (r->customer_id == customer_id && r->brand == brand) found = r;
  });
  if (found) return found;
  auto it = by_key_.find(Key(customer_id, std::string(brand)));
  return it == by_key_.end() ? nullptr : StagedGet(it->second);
}

std::vector<ClientSet::Ptr> ClientSet::StagedWithDocNumber(const std::string& number) const {
  std::vector<Ptr> out;
  auto holds = [&](const ClientRecord& r) {
    return std::any_of(r.documents.begin(), r.documents.end(),
                       [&](const IdentityDocument& d) { return NormalizeDocNumber(d.number) == number; });
  };
  auto [first, last] = doc_numbers_.equal_range(number);
  for (auto it = first; it != last; ++it) {
    if (IsStaged(it->second)) continue;  // its staged version is visited below
    if (auto r = StagedGet(it->second); r && holds(*r)) out.push_back(r);
  }
  ForEachStaged([&](const Ptr& r) {
    if (holds(*r)) out.push_back(r);
  });
  return out;
}

void ClientSet::Index(const ClientRecord* before, const ClientRecord* after) {
  if (!before && after) {
    by_key_[Key(after->customer_id, after->brand)] = after->id;
    by_uuid_[after->uuid] = after->id;
  }
  const int64_t id = after ? after->id : before->id;
  if (before) {
    for (const auto& k : NameKeys(*before)) names_.erase({k, id});
    if (!before->email.empty()) Erase(emails_, AsciiLower(before->email), id);
    for (const auto& k : DocKeys(*before)) Erase(doc_numbers_, k, id);
  }
  if (after) {
    for (auto& k : NameKeys(*after)) names_.emplace(std::move(k), id);
    if (!after->email.empty()) emails_.emplace(AsciiLower(after->email), id);
    for (auto& k : DocKeys(*after)) doc_numbers_.emplace(std::move(k), id);
  }
}

}  // namespace kyc
