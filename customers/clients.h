// The client records in memory, with the indexes the counter's search and the duplicate
// check use: by key, by uuid, folded names (prefix), e-mail, normalized document number.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "customers/record.h"
#include "tables/staged_table.h"

namespace kyc {

struct ClientFilter {
  std::optional<std::string> query;  // name prefix | document number | e-mail | customer_id
  std::optional<ClientType> type;
  std::optional<std::string> brand;
  std::optional<bool> blocked;
  std::optional<AccountStatus> account_status;
  int64_t offset = 0;
  int64_t limit = 100;
};

class ClientSet : public StagedTable<ClientRecord> {
 public:
  // A query visits at most this many candidate records (its matches before filters and
  // de-duplication): a broad prefix ("a", "mar") answers at once, with `total` counting
  // only the matches among them and `capped` set: a counter operator then types more.
  static constexpr int64_t kMaxCandidates = 1000;
  struct Page : RowPage<ClientRecord> {
    bool capped = false;  // more records match than `total` counts
  };

  // Any thread.
  Ptr Find(int64_t customer_id, std::string_view brand) const;
  Ptr FindUuid(std::string_view uuid) const;
  // With a query: first the records whose customer_id, document number or e-mail it is
  // (in id order), then those whose last, first or full name starts with it (folded), by
  // name and then id; each record once. Only the names under the query's prefix are
  // visited, never the whole set. Without a query: every record, in id order.
  Page Search(const ClientFilter& f) const;

  // Writer strand: as this batch sees them.
  Ptr StagedFind(int64_t customer_id, std::string_view brand) const;
  // Records holding a document whose normalized number is `number`.
  std::vector<Ptr> StagedWithDocNumber(const std::string& number) const;

 protected:
  void Index(const ClientRecord* before, const ClientRecord* after) override;

 private:
  using Key = std::pair<int64_t, std::string>;
  // A folded name → the ids of the records that carry it, ascending. One map per part,
  // so a query without a space never walks the full names (its matches there are its
  // matches among the first names).
  using NameIndex = std::map<std::string, std::vector<int64_t>, std::less<>>;
  std::map<Key, int64_t> by_key_;
  std::unordered_map<std::string, int64_t> by_uuid_;
  NameIndex first_names_, last_names_, full_names_;
  std::unordered_multimap<std::string, int64_t> emails_;       // lower case
  std::unordered_multimap<std::string, int64_t> doc_numbers_;  // normalized
};

// A record's folded first, last and full name ("first last"); empty when not given.
struct NameKeys {
  std::string first, last, full;
};
NameKeys NameKeysOf(const ClientRecord& r);

}  // namespace kyc
