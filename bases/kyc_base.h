// bases/kyc.db: step templates and the KYC audit trail, loaded into memory at start.
#pragma once

#include <memory>
#include <string>

#include "bases/audit_store.h"
#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "kyc/templates.h"

namespace kyc {

struct BaseOptions {
  bool group_commit = true;  // false: one transaction per write (for comparison)
  bool full_sync = true;     // synchronous=FULL
};

class KycBase {
 public:
  // Opens (or creates) the base at `path` (":memory:" for tests), brings its schema up
  // to date and loads it. Writes run on a strand of `writers`.
  static Result<std::unique_ptr<KycBase>> Open(const std::string& path,
                                              boost::asio::any_io_executor writers,
                                              const BaseOptions& options);

  const TemplateSet& templates() const { return templates_; }
  const AuditLog& audit() const { return audit_.log(); }
  WriterQueue& writer() { return *writer_; }

  // Writer strand only. Stage-and-write helpers for write functions.
  TemplateSet& staged_templates() { return templates_; }
  [[nodiscard]] Status PutTemplate(WriteBatch& batch, std::shared_ptr<const Template> t);
  [[nodiscard]] Status AppendAudit(WriteBatch& batch, AuditRow row) {
    return audit_.Append(batch, std::move(row));
  }

 private:
  KycBase() = default;
  Status Load();

  std::unique_ptr<Db> db_;
  std::unique_ptr<WriterQueue> writer_;
  TemplateSet templates_;
  AuditStore audit_;
  Stmt put_template_;
};

}  // namespace kyc
