// A thin RAII layer over SQLite: a connection, prepared statements, transactions and
// schema migrations. Every failure is a Status (code internal) naming the SQL at fault.
//
// Thread-safety: a Db is used by one thread at a time (its writer strand, or the
// loader at start-up).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "protocol/status.h"

namespace kyc {

class Db;

// A prepared statement. Bind, then Step; the statement resets itself on Reset() and
// before each new execution, so one prepared statement is reused for the base's life.
class Stmt {
 public:
  Stmt() = default;
  Stmt(Db* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binds parameter `i` (1-based). Bindings are checked when the statement runs.
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const std::optional<int64_t>& v);
  Stmt& BindNull(int i);
  // Empty text as NULL (optional text columns; NULL reads back as empty).
  Stmt& BindTextOrNull(int i, std::string_view v);

  // Runs a statement that returns no rows, then resets it.
  [[nodiscard]] Status Exec();
  // Steps once: true with a row available, false when done.
  [[nodiscard]] Result<bool> Step();
  // Steps through every row, calling `on_row` with the statement positioned on it; stops
  // at the first error (of SQLite or of `on_row`), then resets.
  [[nodiscard]] Status ForEachRow(const std::function<Status()>& on_row);
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<int64_t> OptInt(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

struct DbOptions {
  bool full_sync = true;  // synchronous=FULL: a committed transaction survives power loss
};

class Db {
 public:
  // Opens (creating if needed) a database file; ":memory:" gives a private test base.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const DbOptions& options = {});
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  [[nodiscard]] Status Exec(std::string_view sql);
  [[nodiscard]] Result<Stmt> Prepare(std::string_view sql);
  // Exec for a statement run over and over (BEGIN, COMMIT, SAVEPOINT …): prepared on first
  // use and kept, instead of parsed again each time (a tenth of the KYC writer's time).
  [[nodiscard]] Status ExecCached(std::string_view sql);

  // Open() followed by Migrate(): how every base opens its file.
  static Result<std::unique_ptr<Db>> OpenMigrated(const std::string& path,
                                                  const DbOptions& options,
                                                  std::span<const std::string_view> migrations);

  // Applies migrations[user_version..] each in its own transaction, bumping
  // PRAGMA user_version, so a base created by an older build is brought up to date.
  [[nodiscard]] Status Migrate(std::span<const std::string_view> migrations);

  // An in-memory or temporary base: private to this connection, so a second connection
  // to the same path would open a different, empty database.
  bool is_private() const { return path_.empty() || path_ == ":memory:"; }

  Status ErrorStatus(std::string_view what) const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, Stmt> cached_;
};

// `INSERT INTO table(id, c1, …) VALUES(?, …) ON CONFLICT(id) DO UPDATE SET c1=excluded.c1, …`.
// An upsert on the primary key changes the row in place: unlike INSERT OR REPLACE it never
// deletes a row (which would make SQLite scan child tables for foreign keys, or silently
// drop another row that holds a unique value). `columns` starts with the key.
std::string UpsertSql(std::string_view table, std::initializer_list<std::string_view> columns);

// Start-up loads: runs `sql` and calls load(stmt) for each row.
template <typename Load>
Status LoadRows(Db& db, std::string_view sql, Load&& load) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.status();
  Stmt& stmt = q.value();
  return stmt.ForEachRow([&]() -> Status {
    load(stmt);
    return Status::Ok();
  });
}

// BEGIN IMMEDIATE on construction; rolls back on destruction unless committed.
class Txn {
 public:
  explicit Txn(Db& db);
  ~Txn();
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  const Status& begin_status() const { return begin_; }
  [[nodiscard]] Status Commit();

 private:
  Db& db_;
  Status begin_;
  bool open_ = false;
};

}  // namespace kyc
