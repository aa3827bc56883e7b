// A brand's AML settings (subscriptions, question map), the log of days on which a
// customer's answers changed (what groups 1 and 2 read), and the scheduler's runs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aml/answers.h"
#include "aml/flags.h"
#include "tables/staged_table.h"

namespace kyc {

class AmlSubscriptionSet : public StagedTable<AmlSubscription> {
 public:
  Ptr Find(std::string_view brand, std::string_view flag) const;        // any thread
  Ptr StagedFind(std::string_view brand, std::string_view flag) const;  // writer strand
  // Any thread: the enabled subscriptions (of `brand` when given).
  std::vector<Ptr> Enabled(std::optional<std::string_view> brand = std::nullopt) const;

 protected:
  void Index(const AmlSubscription* before, const AmlSubscription* after) override;

 private:
  std::map<std::pair<std::string, std::string>, int64_t, std::less<>> by_key_;
};

class AmlQuestionMapSet : public StagedTable<AmlQuestionMap> {
 public:
  // Any thread: the brand's map (the defaults when it set none).
  AmlQuestionMap Of(std::string_view brand) const;
  Ptr StagedFind(std::string_view brand) const;  // writer strand

 protected:
  void Index(const AmlQuestionMap* before, const AmlQuestionMap* after) override;

 private:
  std::map<std::string, int64_t, std::less<>> by_brand_;
};

// (customer, brand) changed its answers on `day`: groups 1 and 2 check it the day after.
struct AnswerChange {
  int64_t id = 0;
  int64_t day = 0;
  int64_t customer_id = 0;
  std::string brand;
};

class AnswerChangeSet : public StagedTable<AnswerChange> {
 public:
  bool InSnapshot() const override { return false; }  // read on its own
  // Any thread: who changed answers on `day`.
  std::vector<Ptr> OnDay(int64_t day) const;
  // Writer strand: already logged for that day?
  bool StagedHas(int64_t day, int64_t customer_id, std::string_view brand) const;

 protected:
  void Index(const AnswerChange* before, const AnswerChange* after) override;
  void StagedIndex(const AnswerChange& c) override {
    staged_keys_.insert({c.day, c.customer_id, c.brand});
  }
  void StagedIndexCleared() override { staged_keys_.clear(); }

 private:
  std::set<std::tuple<int64_t, int64_t, std::string>> keys_;
  std::set<std::tuple<int64_t, int64_t, std::string>> staged_keys_;  // writer strand
  std::multimap<int64_t, int64_t> by_day_;
};

// A day the AML checks ran for: what a run answered.
struct AmlRun {
  int64_t id = 0;
  int64_t date = 0;  // the day run for
  std::string brand;  // empty: every brand
  bool scheduled = false;  // by the server's scheduler (not MngRunAmlChecks)
  int64_t customers_checked = 0;
  int64_t alerts_created = 0;
  int64_t alerts_updated = 0;
  int64_t skipped = 0;
  int64_t elapsed_ms = 0;
  int64_t started_at = 0;
};

class AmlRunSet : public StagedTable<AmlRun> {
 public:
  bool InSnapshot() const override { return false; }  // read on its own
  // Any thread: the latest date the scheduler ran, if any.
  std::optional<int64_t> LastScheduled() const;

 protected:
  void Index(const AmlRun* before, const AmlRun* after) override;

 private:
  std::optional<int64_t> last_scheduled_;
};

}  // namespace kyc
