#include "customers/clients.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "customers/field_rules.h"
#include "customers/search_text.h"
#include "protocol/utf8.h"

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

NameKeys NameKeysOf(const ClientRecord& r) {
  NameKeys k;
  k.first = FoldForSearch(r.first_name).value_or("");
  k.last = FoldForSearch(r.last_name).value_or("");
  if (!k.first.empty() && !k.last.empty()) k.full = k.first + " " + k.last;
  return k;
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
  const bool filtered = f.type || f.brand || f.blocked || f.account_status;
  auto keep = [&](const ClientRecord& r) {
    return (!f.type || r.type == *f.type) && (!f.brand || r.brand == *f.brand) &&
           (!f.blocked || r.is_blocked == *f.blocked) &&
           (!f.account_status || r.account_status == *f.account_status);
  };
  // Counts a match and keeps it when it falls on the page; the record is read only when
  // a filter needs it or it is on the page.
  auto take = [&](int64_t id) {
    Ptr r;
    if (filtered) {
      r = LockedGet(id);
      if (!r || !keep(*r)) return;
    }
    if (page.total >= f.offset && int64_t(page.items.size()) < f.limit) {
      if (!r) r = LockedGet(id);
      if (r) page.items.push_back(std::move(r));
    }
    ++page.total;
  };
  std::shared_lock lock(mutex());
  if (!f.query && !filtered) {  // the page by position in id order (ids may have gaps)
    page.total = int64_t(LockedSize());
    if (f.offset >= page.total) return page;
    int64_t skip = f.offset;
    LockedScanFrom(0, [&](const Ptr& r) {
      if (skip > 0) return --skip, true;
      page.items.push_back(r);
      return int64_t(page.items.size()) < f.limit;
    });
    return page;
  }
  if (!f.query) {  // a back-office listing by type, brand or blocked: every record is read
    LockedScanFrom(0, [&](const Ptr& r) {
      take(r->id);
      return true;
    });
    return page;
  }
  // Each record once: the ids seen so far in a small open-addressing set per thread
  // (at most kMaxCandidates of them in twice as many slots: it stays in the L1/L2 cache,
  // where a mark per record id would miss it at a million records). A slot is free when
  // its tag is not this query's.
  static constexpr size_t kSlots = 2 * kMaxCandidates > 4096 ? 2 * kMaxCandidates : 4096;
  struct Seen {
    std::array<int64_t, kSlots> ids;
    std::array<uint32_t, kSlots> tags{};
    uint32_t query = 0;
  };
  thread_local Seen seen;
  if (++seen.query == 0) {
    seen.tags.fill(0);
    seen.query = 1;
  }
  int64_t candidates = 0;
  auto once = [&](int64_t id) {
    if (++candidates > kMaxCandidates) {
      page.capped = true;
      return;
    }
    size_t slot = size_t(uint64_t(id) * 0x9e3779b97f4a7c15ull >> 32) % kSlots;
    while (seen.tags[slot] == seen.query) {
      if (seen.ids[slot] == id) return;
      slot = (slot + 1) % kSlots;
    }
    seen.tags[slot] = seen.query;
    seen.ids[slot] = id;
    take(id);
  };

  const std::string& q = *f.query;
  std::vector<int64_t> exact;
  if (std::string number = NormalizeDocNumber(q); !number.empty()) {
    auto [first, last] = doc_numbers_.equal_range(number);
    for (auto it = first; it != last; ++it) exact.push_back(it->second);
  }
  {
    auto [first, last] = emails_.equal_range(AsciiLower(q));
    for (auto it = first; it != last; ++it) exact.push_back(it->second);
  }
  int64_t customer_id = 0;
  if (auto [end, ec] = std::from_chars(q.data(), q.data() + q.size(), customer_id);
      ec == std::errc() && end == q.data() + q.size()) {
    for (auto it = by_key_.lower_bound(Key(customer_id, ""));
         it != by_key_.end() && it->first.first == customer_id; ++it) {
      exact.push_back(it->second);
    }
  }
  std::sort(exact.begin(), exact.end());
  for (int64_t id : exact) once(id);

  auto folded = FoldForSearch(q);
  if (!folded || folded->empty()) return page;
  auto under_prefix = [&](const NameIndex& index) {
    for (auto it = index.lower_bound(*folded); !page.capped && it != index.end() &&
                                               it->first.compare(0, folded->size(), *folded) == 0;
         ++it) {
      for (int64_t id : it->second) once(id);
    }
  };
  under_prefix(last_names_);
  under_prefix(first_names_);
  if (folded->find(' ') != std::string::npos) under_prefix(full_names_);
  return page;
}

ClientSet::Ptr ClientSet::StagedFind(int64_t customer_id, std::string_view brand) const {
  if (auto it = by_key_.find(Key(customer_id, std::string(brand))); it != by_key_.end()) {
    return StagedGet(it->second);  // the key never changes: a committed row is the one
  }
  Ptr found;  // a record this batch made
  ForEachStaged([&](const Ptr& r) {
    if (r->customer_id == customer_id && r->brand == brand) found = r;
  });
  return found;
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
  auto unlink = [id](NameIndex& index, const std::string& key) {
    if (key.empty()) return;
    auto it = index.find(key);
    if (it == index.end()) return;
    auto& ids = it->second;
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    if (ids.empty()) index.erase(it);
  };
  auto link = [id](NameIndex& index, const std::string& key) {
    if (key.empty()) return;
    auto& ids = index[key];
    ids.insert(std::upper_bound(ids.begin(), ids.end(), id), id);  // new ids: at the end
  };
  if (before) {
    const NameKeys k = NameKeysOf(*before);
    unlink(first_names_, k.first);
    unlink(last_names_, k.last);
    unlink(full_names_, k.full);
    if (!before->email.empty()) Erase(emails_, AsciiLower(before->email), id);
    for (const auto& d : DocKeys(*before)) Erase(doc_numbers_, d, id);
  }
  if (after) {
    const NameKeys k = NameKeysOf(*after);
    link(first_names_, k.first);
    link(last_names_, k.last);
    link(full_names_, k.full);
    if (!after->email.empty()) emails_.emplace(AsciiLower(after->email), id);
    for (auto& d : DocKeys(*after)) doc_numbers_.emplace(std::move(d), id);
  }
}

}  // namespace kyc
