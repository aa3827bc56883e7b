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
  int64_t offset = 0;
  int64_t limit = 100;
};

class ClientSet : public StagedTable<ClientRecord> {
 public:
  struct Page {
    std::vector<Ptr> items;
    int64_t total = 0;
  };

  // Any thread.
  Ptr Find(int64_t customer_id, std::string_view brand) const;
  Ptr FindUuid(std::string_view uuid) const;
  // In id order. With a query: the union of the records whose first, last or full name
  // starts with it (folded), whose document number or e-mail is it, or whose customer_id
  // it is, each from its index; without one, every record.
  Page Search(const ClientFilter& f) const;

  // Writer strand: as this batch sees them.
  Ptr StagedFind(int64_t customer_id, std::string_view brand) const;
  // Records holding a document whose normalized number is `number`.
  std::vector<Ptr> StagedWithDocNumber(const std::string& number) const;

 protected:
  void Index(const ClientRecord* before, const ClientRecord* after) override;

 private:
  using Key = std::pair<int64_t, std::string>;
  std::map<Key, int64_t> by_key_;
  std::unordered_map<std::string, int64_t> by_uuid_;
  std::set<std::pair<std::string, int64_t>> names_;  // folded first, last and full name
  std::unordered_multimap<std::string, int64_t> emails_;       // lower case
  std::unordered_multimap<std::string, int64_t> doc_numbers_;  // normalized
};

// The keys a record is found by in the name index: its folded first, last and full name.
std::vector<std::string> NameKeys(const ClientRecord& r);

}  // namespace kyc
