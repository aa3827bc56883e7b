#include "bases/kyc_base.h"

#include <array>

namespace kyc {
namespace {

// One entry per schema version; never edit a released entry, append a new one.
const std::string kSchemaV1 = std::string(R"sql(
CREATE TABLE templates(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  level INTEGER NOT NULL,
  required INTEGER NOT NULL,
  active INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  form_schema TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql") + std::string(kAuditSchema);

}  // namespace

Result<std::unique_ptr<KycBase>> KycBase::Open(const std::string& path,
                                              boost::asio::any_io_executor writers,
                                              const BaseOptions& options) {
  std::unique_ptr<KycBase> base(new KycBase());
  auto db = Db::Open(path, DbOptions{options.full_sync});
  if (!db.ok()) return db.status();
  base->db_ = std::move(db.value());
  const std::array<std::string_view, 1> migrations{kSchemaV1};
  if (Status s = base->db_->Migrate(migrations); !s.ok()) return s;
  if (Status s = base->Load(); !s.ok()) return s;
  base->writer_ = std::make_unique<WriterQueue>("kyc", writers, *base->db_, options.group_commit);
  return base;
}

Status KycBase::Load() {
  auto put = db_->Prepare(
      "INSERT OR REPLACE INTO templates(id, brand, code, name, description, level, required,"
      " active, deleted, form_schema, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!put.ok()) return put.status();
  put_template_ = std::move(put.value());

  auto q = db_->Prepare(
      "SELECT id, brand, code, name, description, level, required, active, deleted, form_schema,"
      " created_at, updated_at FROM templates ORDER BY id");
  if (!q.ok()) return q.status();
  while (true) {
    auto row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto t = std::make_shared<Template>();
    t->id = q->Int(0);
    t->brand = q->Text(1);
    t->code = q->Text(2);
    t->name = q->Text(3);
    t->description = q->Text(4);
    t->level = q->Int(5);
    t->required = q->Int(6) != 0;
    t->active = q->Int(7) != 0;
    t->deleted = q->Int(8) != 0;
    t->form_schema = q->Text(9);
    t->created_at = q->Int(10);
    t->updated_at = q->Int(11);
    templates_.Load(std::move(t));
  }
  return audit_.Open(*db_);
}

Status KycBase::PutTemplate(WriteBatch& batch, std::shared_ptr<const Template> t) {
  put_template_.Bind(1, t->id).Bind(2, t->brand).Bind(3, t->code).Bind(4, t->name);
  put_template_.Bind(5, t->description).Bind(6, t->level).Bind(7, int64_t{t->required});
  put_template_.Bind(8, int64_t{t->active}).Bind(9, int64_t{t->deleted}).Bind(10, t->form_schema);
  put_template_.Bind(11, t->created_at).Bind(12, t->updated_at);
  if (Status s = put_template_.Exec(); !s.ok()) return s;
  templates_.Stage(batch, std::move(t));
  return Status::Ok();
}

}  // namespace kyc
