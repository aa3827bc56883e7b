// Audit rows (PROTOCOL.md §3): one for every change, written in the change's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "tables/staged_table.h"
#include "protocol/json.h"

namespace kyc {

struct Actor {
  std::string type;                 // "staff" | "client" | "system"
  std::optional<int64_t> id;        // manager id, customer id, or none for system
  std::string session_type;         // "SESSION_*" or empty for system
  // A four-eyes change (issue 15): the staff member who approved it; `id` made it.
  std::optional<int64_t> approved_by;
};

struct AuditRow {
  int64_t id = 0;
  int64_t at = 0;
  Actor actor;
  std::string action;               // e.g. "template.create"
  std::string entity;               // e.g. "template"
  int64_t entity_id = 0;
  std::optional<int64_t> customer_id;
  std::string brand;
  std::string before;               // JSON text of the object before; empty = null
  std::string after;                // JSON text after; empty = null
  std::string reason;
  // The hash chain (issue 17): hash = SHA-256 (hex) over prev_hash and AuditHashInput,
  // prev_hash the previous row's hash ("" for the first). Set by the audit store.
  std::string prev_hash;
  std::string hash;
};

void WriteAuditRow(JsonOut& out, const AuditRow& row);
// The row's canonical JSON for its hash: every field but the two hashes, in a fixed order,
// texts as strings. Changing any byte of a stored row changes it.
std::string AuditHashInput(const AuditRow& row);

struct AuditFilter {
  std::optional<int64_t> customer_id;
  std::optional<std::string> entity;
  std::optional<int64_t> entity_id;
  std::optional<std::string> action;
  std::optional<int64_t> from;      // at >= from
  std::optional<int64_t> to;        // at <= to
  int64_t after_id = 0;             // rows with id > after_id
  int64_t limit = 100;
};

// Committed audit rows in id order; appended through the writer queue. Indexed by
// customer and by (entity, entity_id) so a customer's or an object's history is read
// without walking the whole trail.
class AuditLog : public StagedTable<AuditRow> {
 public:
  bool InSnapshot() const override { return false; }  // read on its own
  // Any thread: matching rows in ascending id order, at most f.limit of them.
  std::vector<Ptr> List(const AuditFilter& f) const;

 protected:
  void Index(const AuditRow* before, const AuditRow* after) override;

 private:
  std::unordered_map<int64_t, std::vector<int64_t>> by_customer_;
  std::map<std::pair<std::string, int64_t>, std::vector<int64_t>> by_entity_;
};

}  // namespace kyc
