// Duplicate identities (seed 003 section 6): an identity document whose normalized
// (type, issuing country, number) another customer already holds. Within one brand the
// change is refused; across brands it is stored and an alert names both customers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

// What is compared: a missing issuing country matches any country.
struct Identity {
  std::string type;
  std::string issuing_country;  // may be empty
  std::string number;           // normalized (NormalizeDocNumber)
};
bool SameIdentity(const Identity& a, const Identity& b);

enum class AlertStatus : uint8_t { kOpen = 0, kResolved = 1 };
inline constexpr std::array<std::string_view, 2> kAlertStatusNames{"open", "resolved"};

struct DuplicateAlert {
  int64_t id = 0;
  AlertStatus status = AlertStatus::kOpen;
  Identity identity;
  std::string source;  // "customer" (a client record's document) | "kyc_document"
  int64_t customer_id = 0;  // the customer whose change found the duplicate
  std::string brand;
  int64_t other_customer_id = 0;  // the customer who already held it
  std::string other_brand;
  int64_t created_at = 0;
  std::optional<int64_t> resolved_at;
  std::optional<int64_t> resolved_by;
  std::string resolution;
};
void WriteAlert(JsonOut& o, const DuplicateAlert& a);
std::string AlertJson(const DuplicateAlert& a);

struct AlertFilter {
  std::optional<AlertStatus> status;
  std::optional<int64_t> customer_id;  // either side
  int64_t offset = 0;
  int64_t limit = 100;
};

class AlertSet : public StagedTable<DuplicateAlert> {
 public:
  RowPage<DuplicateAlert> List(const AlertFilter& f) const;  // any thread, newest first
  // Any thread / writer strand: does (customer_id, brand) appear in an open alert?
  bool HasOpen(int64_t customer_id, std::string_view brand) const;
  bool StagedHasOpen(int64_t customer_id, std::string_view brand) const;
  // Writer strand: an open alert on the same pair and identity (not raised twice).
  Ptr StagedFindOpen(const DuplicateAlert& like) const;

 protected:
  void Index(const DuplicateAlert* before, const DuplicateAlert* after) override;

 private:
  using Key = std::pair<int64_t, std::string>;
  std::multimap<Key, int64_t> by_customer_;  // both sides of every alert
  std::vector<Ptr> StagedOf(const Key& key) const;
};

}  // namespace kyc
