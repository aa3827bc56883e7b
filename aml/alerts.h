// AML alerts and the hits behind them (issue 14). At most one open (open or assigned)
// alert per (brand, customer, flag): a later hit adds its period and evidence to it. A hit
// is remembered by its keys, so a run repeated raises nothing twice.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

enum class AmlAlertStatus : uint8_t { kOpen = 0, kAssigned = 1, kClosed = 2 };
inline constexpr std::array<std::string_view, 3> kAmlAlertStatusNames{"open", "assigned", "closed"};
std::optional<AmlAlertStatus> ParseAmlAlertStatus(std::string_view name);

inline constexpr std::array<std::string_view, 4> kAmlResolutions{
    "false_positive", "accepted_risk", "escalated", "reported"};
bool IsAmlResolution(std::string_view r);
// escalated and reported raise the profile's risk level to at least high.
inline bool RaisesRisk(std::string_view r) { return r == "escalated" || r == "reported"; }

struct AmlAlert {
  int64_t id = 0;
  std::string brand;
  int64_t customer_id = 0;
  std::string flag;
  int group = 0;
  AmlAlertStatus status = AmlAlertStatus::kOpen;
  int64_t period_from = 0;  // days (DayOf)
  int64_t period_to = 0;
  std::string explanation;  // of the latest hit
  // One JSON object per hit, oldest first: the last kMaxEvidence hits (an alert left open
  // for years must not grow without bound); `hits` counts them all.
  std::vector<std::string> evidence;
  int64_t hits = 0;
  std::optional<int64_t> assigned_to;  // manager id
  std::string resolution;
  std::string resolution_reason;
  std::optional<int64_t> resolved_by;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  bool is_open() const { return status != AmlAlertStatus::kClosed; }
};
inline constexpr size_t kMaxEvidence = 12;
void WriteAmlAlert(JsonOut& o, const AmlAlert& a);
std::string AmlAlertJson(const AmlAlert& a);
// What the audit trail stores: the alert without its evidence (kept in the alert itself;
// the explanation says what each hit found), so that a run's audit rows stay small.
std::string AmlAlertAuditJson(const AmlAlert& a);
// The evidence column: a JSON array of the hits, and back.
std::string EvidenceJson(const std::vector<std::string>& hits);
std::vector<std::string> EvidenceFromJson(std::string_view json);

struct AmlAlertFilter {
  std::optional<std::string> brand;
  std::optional<AmlAlertStatus> status;
  std::optional<std::string> flag;
  std::optional<int64_t> customer_id;
  int64_t offset = 0;
  int64_t limit = 100;
};

class AmlAlertSet : public StagedTable<AmlAlert> {
 public:
  bool InSnapshot() const override { return false; }  // read on its own
  RowPage<AmlAlert> List(const AmlAlertFilter& f) const;  // any thread, newest first
  // Writer strand: the open alert of (brand, customer, flag), or null.
  Ptr StagedFindOpen(std::string_view brand, int64_t customer_id, std::string_view flag) const;

 protected:
  void Index(const AmlAlert* before, const AmlAlert* after) override;
  void StagedIndex(const AmlAlert& a) override;
  void StagedIndexCleared() override { staged_by_key_.clear(); }

 private:
  using Key = std::tuple<std::string, int64_t, std::string>;
  std::map<Key, int64_t> open_;           // committed open alerts
  std::map<Key, int64_t> staged_by_key_;  // writer strand: staged alerts (open or not)
  std::multimap<int64_t, int64_t> by_customer_;
};

// One key of one hit, with the alert it went to.
struct AmlHitKey {
  int64_t id = 0;
  std::string brand;
  int64_t customer_id = 0;
  std::string flag;
  std::string key;  // "answers:2026-10-31", "month:2026-10", "tx:17", …
  int64_t alert_id = 0;
  int64_t at = 0;
};

class AmlHitKeySet : public StagedTable<AmlHitKey> {
 public:
  bool InSnapshot() const override { return false; }  // read on its own
  // Any thread / writer strand: has (brand, customer, flag, key) been raised?
  bool Seen(std::string_view brand, int64_t customer_id, std::string_view flag,
            std::string_view key) const;
  bool StagedSeen(std::string_view brand, int64_t customer_id, std::string_view flag,
                  std::string_view key) const;

 protected:
  void Index(const AmlHitKey* before, const AmlHitKey* after) override;
  void StagedIndex(const AmlHitKey& h) override;
  void StagedIndexCleared() override { staged_keys_.clear(); }

 private:
  static std::string Join(std::string_view brand, int64_t customer_id, std::string_view flag,
                          std::string_view key);
  std::unordered_set<std::string> keys_;
  std::unordered_set<std::string> staged_keys_;  // writer strand
};

}  // namespace kyc
