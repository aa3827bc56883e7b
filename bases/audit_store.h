// The audit table of a base: rows appended in the same transaction as the change they
// describe, and kept in memory for reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// A later migration of each adds the hash chain (issue 17) and makes the table
// append-only: no DELETE, and no UPDATE of a row once it has its hash (rows written before
// the chain get theirs once, at the first start: AuditStore::Open).
inline constexpr std::string_view kAuditChainSchema = R"sql(
ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN OLD.hash != ''
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
)sql";

// SHA-256 (hex) of `prev_hash` followed by the row's canonical JSON.
std::string AuditRowHash(std::string_view prev_hash, const AuditRow& row);

struct AuditChainCheck {
  bool ok = true;
  int64_t checked = 0;
  std::optional<int64_t> first_broken_id;  // the first row whose hash or link is wrong
};
// Recomputes the chain of `log` over ids [from_id, to_id] (committed rows): each row's
// hash, and its link to the row before it.
AuditChainCheck VerifyAuditChain(const AuditLog& log, int64_t from_id, int64_t to_id);

class AuditStore {
 public:
  // Prepares statements and loads every row into memory; rows without a hash (written
  // before the chain existed) get theirs now, in id order, in one transaction.
  [[nodiscard]] Status Open(Db& db);
  // Writer strand only: assigns the next id, writes the row, stages it in memory.
  // `staged`, when given, receives the row as staged.
  [[nodiscard]] Status Append(WriteBatch& batch, AuditRow row, AuditLog::Ptr* staged = nullptr);
  const AuditLog& log() const { return log_; }

 private:
  AuditLog log_;
  Stmt insert_;
};

}  // namespace kyc
