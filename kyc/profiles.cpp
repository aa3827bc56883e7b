#include "kyc/profiles.h"

#include "kyc/rules.h"

#include <algorithm>

namespace kyc {
namespace {

template <typename E>
void Enum(JsonOut& o, std::string_view key, std::string_view name_key, E v) {
  o.Key(key).Int(static_cast<int64_t>(v));
  o.Key(name_key).Str(Name(v));
}

void OptText(JsonOut& o, std::string_view key, const Text& v) {
  o.Key(key);
  v.empty() ? o.Null() : o.Str(v.view());
}

// Calls fn(id) for the ids of an index (IdSet, IdList) from position `offset` on.
template <typename Ids, typename Fn>
void WalkFrom(const Ids& ids, size_t offset, Fn&& fn) {
  ids.ForEachFrom(offset, fn);
}
template <typename Fn>
void WalkFrom(const std::set<int64_t>& ids, size_t offset, Fn&& fn) {
  auto it = ids.begin();
  std::advance(it, offset);
  for (; it != ids.end(); ++it) {
    if (!fn(*it)) return;
  }
}

// Walks `ids` (sorted) and collects a page of rows that pass `keep`.
template <typename T, typename Ids, typename Get, typename Keep>
void CollectPage(const Ids& ids, Get get, Keep keep, int64_t offset, int64_t limit,
                 RowPage<T>& page, bool all_match) {
  if (all_match) {
    // Every id matches: the total is the index size and the page is a walk to `offset`.
    page.total = static_cast<int64_t>(ids.size());
    if (offset >= page.total) return;
    WalkFrom(ids, static_cast<size_t>(std::max<int64_t>(offset, 0)), [&](int64_t id) {
      if (static_cast<int64_t>(page.items.size()) >= limit) return false;
      if (auto row = get(id)) page.items.push_back(std::move(row));
      return true;
    });
    return;
  }
  WalkFrom(ids, 0, [&](int64_t id) {
    auto row = get(id);
    if (!row || !keep(*row)) return true;
    if (page.total >= offset && static_cast<int64_t>(page.items.size()) < limit) {
      page.items.push_back(row);
    }
    ++page.total;
    return true;
  });
}

}  // namespace

void WriteProfileFields(JsonOut& o, const Profile& p) {
  o.Key("id").Int(p.id);
  o.Key("customer_id").Int(p.customer_id);
  o.Key("brand").Str(p.brand);
  Enum(o, "status", "status_name", p.status);
  o.Key("required_level").Int(p.required_level);
  o.Key("level").Int(p.level);
  Enum(o, "risk_level", "risk_level_name", p.risk_level);
  o.Key("created_at").Int(p.created_at);
  o.Key("updated_at").Int(p.updated_at);
}

std::string ProfileJson(const Profile& p) {
  JsonOut o;
  o.BeginObject();
  WriteProfileFields(o, p);
  o.EndObject();
  return o.Take();
}

void WriteStep(JsonOut& o, const Step& s) {
  o.BeginObject();
  WriteStepFields(o, s);
  o.EndObject();
}

void WriteStepFields(JsonOut& o, const Step& s) {
  o.Key("id").Int(s.id);
  o.Key("profile_id").Int(s.profile_id);
  o.Key("template_id").Int(s.template_id);
  o.Key("code").Str(s.code.view());
  o.Key("name").Str(s.name.view());
  o.Key("level").Int(s.level);
  Enum(o, "status", "status_name", s.status);
  o.Key("answers");
  s.answers.empty() ? o.Null() : o.Raw(s.answers.view());
  OptText(o, "comment", s.comment);
  OptText(o, "reject_reason", s.reject_reason);
  o.Key("revision_count").Int(s.revision_count);
  o.Key("submitted_at").OptInt(s.submitted_at);
  o.Key("reviewed_at").OptInt(s.reviewed_at);
  o.Key("reviewed_by").OptInt(s.reviewed_by);
  o.Key("created_at").Int(s.created_at);
  o.Key("updated_at").Int(s.updated_at);
}

std::string StepJson(const Step& s) {
  JsonOut o;
  WriteStep(o, s);
  return o.Take();
}

void WriteDocument(JsonOut& o, const Document& d) {
  o.BeginObject();
  o.Key("id").Int(d.id);
  o.Key("profile_id").Int(d.profile_id);
  o.Key("step_id").OptInt(d.step_id);
  o.Key("file_id").Str(d.file_id.view());
  o.Key("doc_type").Str(d.doc_type.view());
  OptText(o, "doc_number", d.doc_number);
  OptText(o, "issuing_country", d.issuing_country);
  o.Key("file_name").Str(d.file_name.view());
  o.Key("content_type").Str(d.content_type.view());
  o.Key("file_size").Int(d.file_size);
  o.Key("checksum").Str(d.checksum.view());
  Enum(o, "status", "status_name", d.status);
  OptText(o, "reject_reason", d.reject_reason);
  o.Key("expires_at").OptInt(d.expires_at);
  o.Key("created_at").Int(d.created_at);
  o.Key("updated_at").Int(d.updated_at);
  o.EndObject();
}

std::string DocumentJson(const Document& d) {
  JsonOut o;
  WriteDocument(o, d);
  return o.Take();
}

// ---- ProfileSet ----

ProfileSet::Ptr ProfileSet::Find(int64_t customer_id, std::string_view brand) const {
  std::shared_lock lock(mutex());
  return FindOfCustomer(by_customer_, customer_id, brand, [&](int64_t id) { return LockedGet(id); });
}

ProfileSet::Ptr ProfileSet::StagedFind(int64_t customer_id, std::string_view brand) const {
  Ptr found;
  ForEachStaged([&](const Ptr& p) {
    if (p->customer_id == customer_id && p->brand == brand) found = p;
  });
  if (found) return found;
  return FindOfCustomer(by_customer_, customer_id, brand, [&](int64_t id) { return StagedGet(id); });
}

std::vector<int64_t> ProfileSet::AllIds() const {
  std::vector<int64_t> ids;
  std::shared_lock lock(mutex());
  LockedScanFrom(0, [&](const Ptr& p) {
    ids.push_back(p->id);
    return true;
  });
  return ids;
}

RowPage<Profile> ProfileSet::List(const ProfileFilter& f) const {
  RowPage<Profile> page;
  auto keep = [&](const Profile& p) {
    return (!f.brand || p.brand == *f.brand) && (!f.status || p.status == *f.status) &&
           (!f.risk_level || p.risk_level == *f.risk_level) &&
           (!f.customer_id || p.customer_id == *f.customer_id);
  };
  auto get = [&](int64_t id) { return LockedGet(id); };
  static const IdSet kEmpty;
  static const IdList kNoProfiles{};
  std::shared_lock lock(mutex());
  if (f.customer_id) {
    auto it = by_customer_.find(*f.customer_id);
    CollectPage(it == by_customer_.end() ? kNoProfiles : it->second, get, keep, f.offset, f.limit,
                page, false);
  } else if (f.brand && f.status) {
    auto it = by_brand_status_.find({*f.brand, static_cast<int>(*f.status)});
    CollectPage(it == by_brand_status_.end() ? kEmpty : it->second, get, keep, f.offset, f.limit,
                page, !f.risk_level);
  } else if (f.brand) {
    auto it = by_brand_.find(*f.brand);
    CollectPage(it == by_brand_.end() ? kEmpty : it->second, get, keep, f.offset, f.limit, page,
                !f.risk_level);
  } else if (f.status) {
    auto it = by_status_.find(static_cast<int>(*f.status));
    CollectPage(it == by_status_.end() ? kEmpty : it->second, get, keep, f.offset, f.limit, page,
                !f.risk_level);
  } else {
    LockedScanFrom(0, [&](const Ptr& p) {
      if (keep(*p)) {
        if (page.total >= f.offset && static_cast<int64_t>(page.items.size()) < f.limit) {
          page.items.push_back(p);
        }
        ++page.total;
      }
      return true;
    });
  }
  return page;
}

void ProfileSet::Index(const Profile* before, const Profile* after) {
  if (changed_ && after) changed_(after->id);
  if (before) {
    by_brand_status_[{before->brand, static_cast<int>(before->status)}].Erase(before->id);
    by_status_[static_cast<int>(before->status)].Erase(before->id);
  }
  if (!before && after) {
    // A profile's customer and brand never change after it is created: indexed once.
    by_customer_[after->customer_id].Insert(after->id);
    by_brand_[after->brand].Insert(after->id);
  }
  if (after) {
    by_brand_status_[{after->brand, static_cast<int>(after->status)}].Insert(after->id);
    by_status_[static_cast<int>(after->status)].Insert(after->id);
  }
}

// ---- StepSet ----

std::vector<StepSet::Ptr> StepSet::OfProfile(int64_t profile_id) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  for (int64_t id : by_profile_.Of(profile_id)) out.push_back(LockedGet(id));
  return out;
}

std::vector<StepSet::Ptr> StepSet::StagedOfProfile(int64_t profile_id) const {
  std::map<int64_t, Ptr> rows;
  for (int64_t id : by_profile_.Of(profile_id)) rows[id] = StagedGet(id);
  ForEachStaged([&](const Ptr& s) {
    if (s->profile_id == profile_id) rows[s->id] = s;
  });
  std::vector<Ptr> out;
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  return out;
}

void StepSet::Index(const Step* before, const Step* after) {
  if (changed_ && after) changed_(after->profile_id);
  if (!before && after) by_profile_.Move(std::nullopt, after->profile_id, after->id);
  if (before && before->status == StepStatus::kPending) {
    pending_.erase({before->submitted_at.value_or(0), before->id});
  }
  if (after && after->status == StepStatus::kPending) {
    pending_.insert({after->submitted_at.value_or(0), after->id});
  }
}

int64_t StepSet::Pending(const std::function<bool(const Step&)>& keep, int64_t offset,
                         int64_t limit, std::vector<Ptr>* page) const {
  std::shared_lock lock(mutex());
  int64_t kept = 0;
  for (const auto& [at, id] : pending_) {
    Ptr step = LockedGet(id);
    if (!step || !keep(*step)) continue;
    if (kept >= offset && static_cast<int64_t>(page->size()) < limit) page->push_back(step);
    ++kept;
  }
  return kept;
}

// ---- DocumentSet ----

std::vector<DocumentSet::Ptr> DocumentSet::OfProfile(int64_t profile_id) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  for (int64_t id : by_profile_.Of(profile_id)) out.push_back(LockedGet(id));
  return out;
}

std::vector<DocumentSet::Ptr> DocumentSet::OfStep(int64_t step_id) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  for (int64_t id : by_step_.Of(step_id)) out.push_back(LockedGet(id));
  return out;
}

std::vector<DocumentSet::Ptr> DocumentSet::StagedOfProfile(int64_t profile_id) const {
  std::map<int64_t, Ptr> rows;
  for (int64_t id : by_profile_.Of(profile_id)) rows[id] = StagedGet(id);
  ForEachStaged([&](const Ptr& d) {
    if (d->profile_id == profile_id) rows[d->id] = d;
  });
  std::vector<Ptr> out;
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  return out;
}

std::vector<int64_t> DocumentSet::StagedDueForExpiry(int64_t now) const {
  std::vector<int64_t> due;
  for (auto it = expiring_.begin(); it != expiring_.end() && it->first <= now; ++it) {
    due.push_back(it->second);
  }
  ForEachStaged([&](const Ptr& d) {
    if (CanExpire(*d) && *d->expires_at <= now) due.push_back(d->id);
  });
  std::sort(due.begin(), due.end());
  due.erase(std::unique(due.begin(), due.end()), due.end());
  return due;
}

RowPage<Document> DocumentSet::List(const DocumentFilter& f) const {
  RowPage<Document> page;
  auto keep = [&](const Document& d) {
    return (!f.profile_id || d.profile_id == *f.profile_id) &&
           (!f.by_customer || std::find(f.profile_ids.begin(), f.profile_ids.end(),
                                        d.profile_id) != f.profile_ids.end()) &&
           (!f.step_id || d.step_id == *f.step_id) && (!f.status || d.status == *f.status) &&
           (!f.expires_before || (d.expires_at && *d.expires_at < *f.expires_before));
  };
  std::set<int64_t> ids;
  std::shared_lock lock(mutex());
  if (f.step_id) {
    auto v = by_step_.Of(*f.step_id);
    ids.insert(v.begin(), v.end());
  } else if (f.profile_id || f.by_customer) {
    std::vector<int64_t> profiles = f.profile_ids;
    if (f.profile_id) profiles.push_back(*f.profile_id);
    for (int64_t p : profiles) {
      auto v = by_profile_.Of(p);
      ids.insert(v.begin(), v.end());
    }
  } else {
    LockedScanFrom(0, [&](const Ptr& d) {
      ids.insert(d->id);
      return true;
    });
  }
  CollectPage(ids, [&](int64_t id) { return LockedGet(id); }, keep, f.offset, f.limit, page,
              false);
  return page;
}

std::vector<DocumentSet::Ptr> DocumentSet::StagedWithNumber(const std::string& number) const {
  std::vector<Ptr> out;
  auto [first, last] = by_number_.equal_range(number);
  for (auto it = first; it != last; ++it) {
    if (!IsStaged(it->second)) out.push_back(StagedGet(it->second));
  }
  ForEachStaged([&](const Ptr& d) {
    if (NormalizeDocNumber(d->doc_number.view()) == number) out.push_back(d);
  });
  return out;
}

void DocumentSet::Index(const Document* before, const Document* after) {
  if (changed_ && after) changed_(after->profile_id);
  if (!before && after) {
    if (std::string n = NormalizeDocNumber(after->doc_number.view()); !n.empty()) {
      by_number_.emplace(std::move(n), after->id);  // a number never changes
    }
    by_profile_.Move(std::nullopt, after->profile_id, after->id);
    if (after->step_id) by_step_.Move(std::nullopt, *after->step_id, after->id);
  }
  if (before && before->step_id != (after ? after->step_id : std::nullopt)) {
    by_step_.Move(before->step_id, after ? after->step_id : std::nullopt, before->id);
  }
  if (before && CanExpire(*before)) {
    auto range = expiring_.equal_range(*before->expires_at);
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second == before->id) {
        expiring_.erase(it);
        break;
      }
    }
  }
  if (after && CanExpire(*after)) expiring_.emplace(*after->expires_at, after->id);
}

}  // namespace kyc
