#include "aml/settings.h"

#include <mutex>
#include <shared_mutex>

namespace kyc {

AmlSubscriptionSet::Ptr AmlSubscriptionSet::Find(std::string_view brand,
                                                 std::string_view flag) const {
  std::shared_lock lock(mutex());
  auto it = by_key_.find(std::pair(std::string(brand), std::string(flag)));
  return it == by_key_.end() ? nullptr : LockedGet(it->second);
}

AmlSubscriptionSet::Ptr AmlSubscriptionSet::StagedFind(std::string_view brand,
                                                       std::string_view flag) const {
  Ptr found;
  ForEachStaged([&](const Ptr& s) {
    if (s->brand == brand && s->flag == flag) found = s;
  });
  if (found) return found;
  auto it = by_key_.find(std::pair(std::string(brand), std::string(flag)));
  return it == by_key_.end() ? nullptr : StagedGet(it->second);
}

std::vector<AmlSubscriptionSet::Ptr> AmlSubscriptionSet::Enabled(
    std::optional<std::string_view> brand) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  for (const auto& [key, id] : by_key_) {
    if (brand && key.first != *brand) continue;
    auto s = LockedGet(id);
    if (s && s->enabled) out.push_back(s);
  }
  return out;
}

void AmlSubscriptionSet::Index(const AmlSubscription* before, const AmlSubscription* after) {
  if (before) by_key_.erase(std::pair(before->brand, before->flag));
  if (after) by_key_[std::pair(after->brand, after->flag)] = after->id;
}

AmlQuestionMap AmlQuestionMapSet::Of(std::string_view brand) const {
  std::shared_lock lock(mutex());
  auto it = by_brand_.find(brand);
  if (it != by_brand_.end()) {
    if (auto m = LockedGet(it->second)) return *m;
  }
  AmlQuestionMap m;
  m.brand = std::string(brand);
  return m;
}

AmlQuestionMapSet::Ptr AmlQuestionMapSet::StagedFind(std::string_view brand) const {
  Ptr found;
  ForEachStaged([&](const Ptr& m) {
    if (m->brand == brand) found = m;
  });
  if (found) return found;
  auto it = by_brand_.find(brand);
  return it == by_brand_.end() ? nullptr : StagedGet(it->second);
}

void AmlQuestionMapSet::Index(const AmlQuestionMap* before, const AmlQuestionMap* after) {
  if (before) by_brand_.erase(before->brand);
  if (after) by_brand_[after->brand] = after->id;
}

std::vector<AnswerChangeSet::Ptr> AnswerChangeSet::OnDay(int64_t day) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  auto [first, last] = by_day_.equal_range(day);
  for (auto it = first; it != last; ++it) {
    if (auto c = LockedGet(it->second)) out.push_back(c);
  }
  return out;
}

bool AnswerChangeSet::StagedHas(int64_t day, int64_t customer_id, std::string_view brand) const {
  const std::tuple<int64_t, int64_t, std::string> key{day, customer_id, std::string(brand)};
  return keys_.count(key) != 0 || staged_keys_.count(key) != 0;
}

void AnswerChangeSet::Index(const AnswerChange* before, const AnswerChange* after) {
  if (before) return;  // a change is never rewritten
  if (after) {
    keys_.insert({after->day, after->customer_id, after->brand});
    by_day_.emplace(after->day, after->id);
  }
}

std::optional<int64_t> AmlRunSet::LastScheduled() const {
  std::shared_lock lock(mutex());
  return last_scheduled_;
}

void AmlRunSet::Index(const AmlRun*, const AmlRun* after) {
  if (after && after->scheduled && (!last_scheduled_ || after->date > *last_scheduled_)) {
    last_scheduled_ = after->date;
  }
}

}  // namespace kyc
