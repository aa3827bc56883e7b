#include "bases/sqlite.h"

#include <fmt/format.h>

namespace kyc {

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

static void Keep(int& first, int rc) {
  if (first == SQLITE_OK && rc != SQLITE_OK) first = rc;
}

Stmt& Stmt::Bind(int i, int64_t v) {
  Keep(bind_rc_, sqlite3_bind_int64(stmt_, i, v));
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  Keep(bind_rc_, sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  return *this;
}

Stmt& Stmt::Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }

Stmt& Stmt::BindNull(int i) {
  Keep(bind_rc_, sqlite3_bind_null(stmt_, i));
  return *this;
}

Stmt& Stmt::BindTextOrNull(int i, std::string_view v) {
  return v.empty() ? BindNull(i) : Bind(i, v);
}

Result<bool> Stmt::Step() {
  if (bind_rc_ != SQLITE_OK) {
    int rc = bind_rc_;
    Reset();
    return Error(Code::kInternal, "sqlite bind failed: {}", sqlite3_errstr(rc));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status s = Error(Code::kInternal, "sqlite step failed: {} ({})", sqlite3_errmsg(db_->handle()),
                   sqlite3_sql(stmt_));
  Reset();
  return s;
}

Status Stmt::Exec() {
  auto r = Step();
  Reset();
  return r.ok() ? Status::Ok() : r.status();
}

Status Stmt::ForEachRow(const std::function<Status()>& on_row) {
  while (true) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (Status s = on_row(); !s.ok()) {
      Reset();
      return s;
    }
  }
  Reset();
  return Status::Ok();
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::string Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const DbOptions& options) {
  sqlite3* h = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &h,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status s = Error(Code::kInternal, "cannot open {}: {}", path, h ? sqlite3_errmsg(h) : "oom");
    sqlite3_close(h);
    return s;
  }
  std::unique_ptr<Db> db(new Db(h, path));
  sqlite3_busy_timeout(h, 5000);
  std::string pragmas = fmt::format(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous={}; PRAGMA foreign_keys=ON;",
      options.full_sync ? "FULL" : "NORMAL");
  if (Status s = db->Exec(pragmas); !s.ok()) return s;
  return db;
}

Result<std::unique_ptr<Db>> Db::OpenMigrated(const std::string& path, const DbOptions& options,
                                             std::span<const std::string_view> migrations) {
  auto db = Open(path, options);
  if (!db.ok()) return db.status();
  if (Status s = (*db)->Migrate(migrations); !s.ok()) return s;
  return db;
}

Db::~Db() {
  cached_.clear();  // finalized before the connection closes
  sqlite3_close_v2(db_);
}

Status Db::ExecCached(std::string_view sql) {
  auto it = cached_.find(std::string(sql));
  if (it == cached_.end()) {
    auto st = Prepare(sql);
    if (!st.ok()) return st.status();
    it = cached_.emplace(std::string(sql), std::move(*st)).first;
  }
  return it->second.Exec();
}

Status Db::ErrorStatus(std::string_view what) const {
  return Error(Code::kInternal, "{}: {} ({})", what, sqlite3_errmsg(db_), path_);
}

Status Db::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status st = Error(Code::kInternal, "sqlite exec failed: {} ({})", err ? err : "?", path_);
    sqlite3_free(err);
    return st;
  }
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(fmt::format("prepare '{}'", sql));
  return Stmt(this, s);
}

Status Db::Migrate(std::span<const std::string_view> migrations) {
  auto q = Prepare("PRAGMA user_version");
  if (!q.ok()) return q.status();
  auto row = q->Step();
  if (!row.ok()) return row.status();
  int64_t version = q->Int(0);
  q->Reset();
  if (version > static_cast<int64_t>(migrations.size())) {
    return Error(Code::kInternal, "{} has schema version {}, newer than this build knows ({})",
                 path_, version, migrations.size());
  }
  for (size_t v = static_cast<size_t>(version); v < migrations.size(); ++v) {
    Txn txn(*this);
    if (!txn.begin_status().ok()) return txn.begin_status();
    if (Status s = Exec(migrations[v]); !s.ok()) return s;
    if (Status s = Exec(fmt::format("PRAGMA user_version={}", v + 1)); !s.ok()) return s;
    if (Status s = txn.Commit(); !s.ok()) return s;
  }
  return Status::Ok();
}

std::string UpsertSql(std::string_view table, std::initializer_list<std::string_view> columns) {
  std::string cols, marks, sets;
  bool first = true;
  for (auto c : columns) {
    if (!first) {
      cols += ", ";
      marks += ",";
      if (!sets.empty()) sets += ", ";
      sets += fmt::format("{0}=excluded.{0}", c);
    }
    cols += c;
    marks += "?";
    first = false;
  }
  return fmt::format("INSERT INTO {}({}) VALUES({}) ON CONFLICT({}) DO UPDATE SET {}", table, cols,
                     marks, *columns.begin(), sets);
}

Txn::Txn(Db& db) : db_(db) {
  begin_ = db_.ExecCached("BEGIN IMMEDIATE");
  open_ = begin_.ok();
}

Txn::~Txn() {
  if (open_) (void)db_.ExecCached("ROLLBACK");
}

Status Txn::Commit() {
  if (!open_) return Status(Code::kInternal, "commit without an open transaction");
  Status s = db_.ExecCached("COMMIT");
  // A failed COMMIT may leave the transaction open; the destructor rolls it back.
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace kyc
