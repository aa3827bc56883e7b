// Audit rows (PROTOCOL.md §3): one for every change, written in the change's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bases/staged_table.h"
#include "protocol/json.h"

namespace kyc {

struct Actor {
  std::string type;                 // "staff" | "client" | "system"
  std::optional<int64_t> id;        // manager id, customer id, or none for system
  std::string session_type;         // "SESSION_*" or empty for system
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
};

void WriteAuditRow(JsonOut& out, const AuditRow& row);

// Committed audit rows in id order; appended through the writer queue.
using AuditLog = StagedTable<AuditRow>;

}  // namespace kyc
