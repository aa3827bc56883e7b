#include "bases/kyc_base.h"

#include <array>
#include <thread>

namespace kyc {
namespace {

// One entry per schema version; never edit a released entry, append a new one.
const std::string kKycSchemaV1 = std::string(R"sql(
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

const std::string kKycSchemaV2 = R"sql(
CREATE TABLE profiles(
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  status INTEGER NOT NULL,
  required_level INTEGER NOT NULL,
  level INTEGER NOT NULL,
  risk_level INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(customer_id, brand)
);
CREATE TABLE steps(
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL REFERENCES profiles(id),
  template_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  level INTEGER NOT NULL,
  status INTEGER NOT NULL,
  answers TEXT NOT NULL,
  comment TEXT NOT NULL,
  reject_reason TEXT NOT NULL,
  revision_count INTEGER NOT NULL,
  submitted_at INTEGER,
  reviewed_at INTEGER,
  reviewed_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE documents(
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL REFERENCES profiles(id),
  step_id INTEGER REFERENCES steps(id),
  file_id TEXT NOT NULL,
  doc_type TEXT NOT NULL,
  doc_number TEXT NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  checksum TEXT NOT NULL,
  status INTEGER NOT NULL,
  reject_reason TEXT NOT NULL,
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

// Foreign keys are checked through these; the loader and the writer never need them.
const std::string kKycSchemaV3 = R"sql(
CREATE INDEX steps_profile ON steps(profile_id);
CREATE INDEX documents_profile ON documents(profile_id);
CREATE INDEX documents_step ON documents(step_id);
)sql";

}  // namespace

Result<std::unique_ptr<KycBase>> KycBase::Open(const std::string& path,
                                               boost::asio::any_io_executor writers,
                                               const BaseOptions& options) {
  std::unique_ptr<KycBase> base(new KycBase());
  base->profile_json_.set_max_bytes(options.profile_cache_bytes);
  const std::array<std::string_view, 10> migrations{
      kKycSchemaV1,  kKycSchemaV2,    kKycSchemaV3,   kClientSchema,    kAmlSchema,
      kAccountSchema, kFundsSchema, kBankingSchema, kAuditChainSchema, kWebhookSchema};
  if (Status s = base->OpenFile(path, migrations, "kyc", std::move(writers), options,
                                &base->snapshot_mu_);
      !s.ok()) {
    return s;
  }
  auto invalidate = [cache = &base->profile_json_](int64_t id) { cache->Invalidate(id); };
  base->profiles_.OnChange(invalidate);
  base->steps_.OnChange(invalidate);
  base->documents_.OnChange(invalidate);
  return base;
}

Status KycBase::Load() {
  // The write statements are prepared on the writer's connection, here, before any
  // loader thread runs: a Db is used by one thread at a time.
  auto put = db_->Prepare(
      UpsertSql("templates", {"id", "brand", "code", "name", "description", "level", "required",
                              "active", "deleted", "form_schema", "created_at", "updated_at"}));
  if (!put.ok()) return put.status();
  put_template_ = std::move(put.value());
  put = db_->Prepare(UpsertSql("profiles", {"id", "customer_id", "brand", "status",
                                            "required_level", "level", "risk_level", "created_at",
                                            "updated_at"}));
  if (!put.ok()) return put.status();
  put_profile_ = std::move(put.value());
  put = db_->Prepare(
      UpsertSql("steps", {"id", "profile_id", "template_id", "code", "name", "level", "status",
                          "answers", "comment", "reject_reason", "revision_count", "submitted_at",
                          "reviewed_at", "reviewed_by", "created_at", "updated_at"}));
  if (!put.ok()) return put.status();
  put_step_ = std::move(put.value());
  put = db_->Prepare(
      UpsertSql("documents", {"id", "profile_id", "step_id", "file_id", "doc_type", "doc_number",
                              "issuing_country", "file_name", "content_type", "file_size", "checksum", "status",
                              "reject_reason", "expires_at", "created_at", "updated_at"}));
  if (!put.ok()) return put.status();
  put_document_ = std::move(put.value());

  // Steps and documents are most of a large base and fill separate tables, so documents
  // load on a thread of their own through a second (reading) connection while this
  // thread loads the rest. A ":memory:" base is private to its connection: one thread.
  // Exceptions (out of memory) become a Status on each thread, and the loader thread is
  // always joined before this returns.
  auto guarded = [](auto&& load) -> Status {
    try {
      return load();
    } catch (const std::exception& e) {
      return Error(Code::kInternal, "loading the KYC base: {}", e.what());
    }
  };
  if (Status s = clients_.Prepare(*db_); !s.ok()) return s;
  if (Status s = aml_.Prepare(*db_); !s.ok()) return s;
  if (Status s = accounts_.Prepare(*db_); !s.ok()) return s;
  if (Status s = funds_.Prepare(*db_); !s.ok()) return s;
  if (Status s = webhooks_.Prepare(*db_); !s.ok()) return s;
  // The client records (issue 13) load on a third thread: a million of them take as long
  // as the steps.
  Status documents_loaded = Status::Ok(), clients_loaded = Status::Ok();
  std::jthread documents_loader, clients_loader;
  if (!db_->is_private()) {
    documents_loader = std::jthread([this, &documents_loaded, guarded] {
      documents_loaded = guarded([this] {
        auto reader = Db::Open(db_->path());
        return reader.ok() ? LoadDocuments(**reader) : reader.status();
      });
    });
    clients_loader = std::jthread([this, &clients_loaded, guarded] {
      clients_loaded = guarded([this] {
        auto reader = Db::Open(db_->path());
        return reader.ok() ? clients_.Load(**reader) : reader.status();
      });
    });
  }
  Status loaded = guarded([this] {
    Status s = LoadTemplates(*db_);
    if (s.ok()) s = LoadProfiles(*db_);
    if (s.ok()) s = LoadSteps(*db_);
    return s;
  });
  if (documents_loader.joinable()) {
    documents_loader.join();
    clients_loader.join();
  } else if (loaded.ok()) {
    loaded = guarded([this] { return LoadDocuments(*db_); });
    if (loaded.ok()) loaded = guarded([this] { return clients_.Load(*db_); });
  }
  if (!loaded.ok()) return loaded;
  if (!documents_loaded.ok()) return documents_loaded;
  if (!clients_loaded.ok()) return clients_loaded;
  if (Status s = guarded([this] { return aml_.Load(*db_); }); !s.ok()) return s;
  if (Status s = guarded([this] { return accounts_.Load(*db_); }); !s.ok()) return s;
  if (Status s = guarded([this] { return funds_.Load(*db_); }); !s.ok()) return s;
  if (Status s = guarded([this] { return webhooks_.Load(*db_); }); !s.ok()) return s;
  return audit_.Open(*db_);
}

Status KycBase::LoadTemplates(Db& db) {
  auto q = db.Prepare(
      "SELECT id, brand, code, name, description, level, required, active, deleted, form_schema,"
      " created_at, updated_at FROM templates ORDER BY id");
  if (!q.ok()) return q.status();
  return q->ForEachRow([&]() -> Status {
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
    return Status::Ok();
  });
}

Status KycBase::LoadProfiles(Db& db) {
  auto q = db.Prepare(
      "SELECT id, customer_id, brand, status, required_level, level, risk_level, created_at,"
      " updated_at FROM profiles ORDER BY id");
  if (!q.ok()) return q.status();
  return q->ForEachRow([&]() -> Status {
    auto p = std::make_shared<Profile>();
    p->id = q->Int(0);
    p->customer_id = q->Int(1);
    p->brand = q->Text(2);
    p->status = static_cast<ProfileStatus>(q->Int(3));
    p->required_level = q->Int(4);
    p->level = q->Int(5);
    p->risk_level = static_cast<RiskLevel>(q->Int(6));
    p->created_at = q->Int(7);
    p->updated_at = q->Int(8);
    profiles_.Load(std::move(p));
    return Status::Ok();
  });
}

Status KycBase::LoadSteps(Db& db) {
  auto q = db.Prepare(
      "SELECT id, profile_id, template_id, code, name, level, status, answers, comment,"
      " reject_reason, revision_count, submitted_at, reviewed_at, reviewed_by, created_at,"
      " updated_at FROM steps ORDER BY id");
  if (!q.ok()) return q.status();
  TextInterner codes, names, answers, comments, reasons;
  return q->ForEachRow([&]() -> Status {
    auto s = std::make_shared<Step>();
    s->id = q->Int(0);
    s->profile_id = q->Int(1);
    s->template_id = q->Int(2);
    s->code = codes.Get(q->Text(3));
    s->name = names.Get(q->Text(4));
    s->level = q->Int(5);
    s->status = static_cast<StepStatus>(q->Int(6));
    s->answers = answers.Get(q->Text(7));
    s->comment = comments.Get(q->Text(8));
    s->reject_reason = reasons.Get(q->Text(9));
    s->revision_count = q->Int(10);
    s->submitted_at = q->OptInt(11);
    s->reviewed_at = q->OptInt(12);
    s->reviewed_by = q->OptInt(13);
    s->created_at = q->Int(14);
    s->updated_at = q->Int(15);
    steps_.Load(std::move(s));
    return Status::Ok();
  });
}

Status KycBase::LoadDocuments(Db& db) {
  auto q = db.Prepare(
      "SELECT id, profile_id, step_id, file_id, doc_type, doc_number, file_name, content_type,"
      " file_size, checksum, status, reject_reason, expires_at, created_at, updated_at,"
      " issuing_country FROM documents ORDER BY id");
  if (!q.ok()) return q.status();
  TextInterner doc_types, doc_numbers, file_names, content_types, checksums, reasons, countries;
  return q->ForEachRow([&]() -> Status {
    auto d = std::make_shared<Document>();
    d->id = q->Int(0);
    d->profile_id = q->Int(1);
    d->step_id = q->OptInt(2);
    d->file_id = q->Text(3);  // unique per document: nothing to share;
    d->doc_type = doc_types.Get(q->Text(4));
    d->doc_number = doc_numbers.Get(q->Text(5));
    d->file_name = file_names.Get(q->Text(6));
    d->content_type = content_types.Get(q->Text(7));
    d->file_size = q->Int(8);
    d->checksum = checksums.Get(q->Text(9));
    d->status = static_cast<DocStatus>(q->Int(10));
    d->reject_reason = reasons.Get(q->Text(11));
    d->expires_at = q->OptInt(12);
    d->created_at = q->Int(13);
    d->updated_at = q->Int(14);
    d->issuing_country = countries.Get(q->Text(15));
    documents_.Load(std::move(d));
    return Status::Ok();
  });
}

Status KycBase::PutProfile(WriteBatch& batch, std::shared_ptr<const Profile> p) {
  auto& q = put_profile_;
  q.Bind(1, p->id).Bind(2, p->customer_id).Bind(3, p->brand).Bind(4, int64_t(p->status));
  q.Bind(5, p->required_level).Bind(6, p->level).Bind(7, int64_t(p->risk_level));
  q.Bind(8, p->created_at).Bind(9, p->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  profiles_.Stage(batch, std::move(p));
  return Status::Ok();
}

Status KycBase::PutStep(WriteBatch& batch, std::shared_ptr<const Step> s) {
  auto& q = put_step_;
  q.Bind(1, s->id).Bind(2, s->profile_id).Bind(3, s->template_id).Bind(4, s->code.view());
  q.Bind(5, s->name.view()).Bind(6, s->level).Bind(7, int64_t(s->status)).Bind(8, s->answers.view());
  q.Bind(9, s->comment.view()).Bind(10, s->reject_reason.view()).Bind(11, s->revision_count);
  q.Bind(12, s->submitted_at).Bind(13, s->reviewed_at).Bind(14, s->reviewed_by);
  q.Bind(15, s->created_at).Bind(16, s->updated_at);
  if (Status st = q.Exec(); !st.ok()) return st;
  steps_.Stage(batch, std::move(s));
  return Status::Ok();
}

Status KycBase::PutDocument(WriteBatch& batch, std::shared_ptr<const Document> d) {
  auto& q = put_document_;
  q.Bind(1, d->id).Bind(2, d->profile_id).Bind(3, d->step_id).Bind(4, d->file_id.view());
  q.Bind(5, d->doc_type.view()).Bind(6, d->doc_number.view()).Bind(7, d->issuing_country.view());
  q.Bind(8, d->file_name.view()).Bind(9, d->content_type.view());
  q.Bind(10, d->file_size).Bind(11, d->checksum.view()).Bind(12, int64_t(d->status));
  q.Bind(13, d->reject_reason.view()).Bind(14, d->expires_at).Bind(15, d->created_at);
  q.Bind(16, d->updated_at);
  if (Status st = q.Exec(); !st.ok()) return st;
  documents_.Stage(batch, std::move(d));
  return Status::Ok();
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
