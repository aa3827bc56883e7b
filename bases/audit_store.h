// The audit table of a base: rows appended in the same transaction as the change they
// describe, and kept in memory for reads.
#pragma once

#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "kyc/audit.h"

namespace kyc {

// The CREATE TABLE statement each base with an audit table includes in its schema; a
// later migration of each adds `approved_by INTEGER` (the second person of a four-eyes
// change, issue 15).
inline constexpr std::string_view kAuditSchema = R"sql(
CREATE TABLE audit(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id INTEGER,
  session_type TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  customer_id INTEGER,
  brand TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  reason TEXT NOT NULL
);
)sql";

class AuditStore {
 public:
  // Prepares statements and loads every row into memory.
  [[nodiscard]] Status Open(Db& db);
  // Writer strand only: assigns the next id, writes the row, stages it in memory.
  [[nodiscard]] Status Append(WriteBatch& batch, AuditRow row);
  const AuditLog& log() const { return log_; }

 private:
  AuditLog log_;
  Stmt insert_;
};

}  // namespace kyc
