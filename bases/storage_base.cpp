#include "bases/storage_base.h"

#include <array>
#include <mutex>
#include <shared_mutex>

namespace kyc {
namespace {

// One entry per schema version; never edit a released entry, append a new one.
constexpr std::string_view kStorageSchemaV1 = R"sql(
CREATE TABLE files(
  id INTEGER PRIMARY KEY,
  file_id TEXT NOT NULL UNIQUE,
  original_name TEXT NOT NULL,
  ext TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  owner_type TEXT NOT NULL,
  owner_id INTEGER,
  owner_brand TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql";

}  // namespace

void WriteStoredFile(JsonOut& o, const StoredFile& f) {
  o.BeginObject();
  o.Key("file_id").Str(f.file_id);
  o.Key("file_name").Str(f.original_name);
  o.Key("content_type").Str(f.content_type);
  o.Key("file_size").Int(f.size);
  o.Key("checksum").Str(f.sha256);
  o.Key("created_at").Int(f.created_at);
  o.EndObject();
}

std::string StoredFileJson(const StoredFile& f) {
  JsonOut o;
  WriteStoredFile(o, f);
  return o.Take();
}

FileSet::Ptr FileSet::FindFileId(std::string_view file_id) const {
  std::shared_lock lock(mutex());
  auto it = by_file_id_.find(std::string(file_id));
  return it == by_file_id_.end() ? nullptr : LockedGet(it->second);
}

FileSet::Ptr FileSet::StagedFindFileId(std::string_view file_id) const {
  const std::string key(file_id);
  auto staged = staged_by_file_id_.find(key);
  if (staged != staged_by_file_id_.end()) return StagedGet(staged->second);
  auto it = by_file_id_.find(key);  // the writer is the only mutator: no lock needed to read
  if (it == by_file_id_.end()) return nullptr;
  Ptr f = StagedGet(it->second);
  return f && f->file_id == file_id ? f : nullptr;  // a staged version may have moved it
}

void FileSet::Stage(WriteBatch& batch, Ptr row) {
  staged_by_file_id_[row->file_id] = row->id;
  StagedTable<StoredFile>::Stage(batch, std::move(row));
}

void FileSet::Publish() {
  StagedTable<StoredFile>::Publish();
  staged_by_file_id_.clear();
}

void FileSet::Discard() {
  StagedTable<StoredFile>::Discard();
  staged_by_file_id_.clear();
}

void FileSet::Index(const StoredFile* before, const StoredFile* after) {
  if (before) {
    auto it = by_file_id_.find(before->file_id);
    if (it != by_file_id_.end() && it->second == before->id) by_file_id_.erase(it);
  }
  if (after) by_file_id_[after->file_id] = after->id;
}

Result<std::unique_ptr<StorageBase>> StorageBase::Open(const std::string& path,
                                                       boost::asio::any_io_executor writers,
                                                       const BaseOptions& options) {
  std::unique_ptr<StorageBase> base(new StorageBase());
  const std::array<std::string_view, 1> migrations{kStorageSchemaV1};
  if (Status s = base->OpenFile(path, migrations, "storage", std::move(writers), options); !s.ok()) {
    return s;
  }
  return base;
}

Status StorageBase::Load() {
  // An upsert on id: a row that would take another row's file_id fails instead of
  // silently replacing it (INSERT OR REPLACE would delete the other row).
  auto put = db_->Prepare(
      "INSERT INTO files(id, file_id, original_name, ext, content_type, size, sha256, owner_type,"
      " owner_id, owner_brand, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)"
      " ON CONFLICT(id) DO UPDATE SET file_id=excluded.file_id,"
      " original_name=excluded.original_name, ext=excluded.ext,"
      " content_type=excluded.content_type, size=excluded.size, sha256=excluded.sha256,"
      " owner_type=excluded.owner_type, owner_id=excluded.owner_id,"
      " owner_brand=excluded.owner_brand, created_at=excluded.created_at");
  if (!put.ok()) return put.status();
  put_file_ = std::move(put.value());

  auto q = db_->Prepare(
      "SELECT id, file_id, original_name, ext, content_type, size, sha256, owner_type, owner_id,"
      " owner_brand, created_at FROM files ORDER BY id");
  if (!q.ok()) return q.status();
  Status loaded = q->ForEachRow([&]() -> Status {
    auto f = std::make_shared<StoredFile>();
    f->id = q->Int(0);
    f->file_id = q->Text(1);
    f->original_name = q->Text(2);
    f->ext = q->Text(3);
    f->content_type = q->Text(4);
    f->size = q->Int(5);
    f->sha256 = q->Text(6);
    f->owner_type = q->Text(7);
    if (f->owner_type != kOwnerStaff && f->owner_type != kOwnerClient) {
      return Error(Code::kInternal, "file {} has an unknown owner type '{}'", f->id, f->owner_type);
    }
    f->owner_id = q->OptInt(8);
    f->owner_brand = q->Text(9);
    f->created_at = q->Int(10);
    files_.Load(std::move(f));
    return Status::Ok();
  });
  if (!loaded.ok()) return loaded;
  return Status::Ok();
}

Status StorageBase::PutFile(WriteBatch& batch, std::shared_ptr<const StoredFile> f) {
  if (auto held = files_.StagedFindFileId(f->file_id); held && held->id != f->id) {
    return Error(Code::kConflict, "file_id {} is already stored as file {}", f->file_id, held->id);
  }
  put_file_.Bind(1, f->id).Bind(2, f->file_id).Bind(3, f->original_name).Bind(4, f->ext);
  put_file_.Bind(5, f->content_type).Bind(6, f->size).Bind(7, f->sha256);
  put_file_.Bind(8, f->owner_type).Bind(9, f->owner_id).Bind(10, f->owner_brand);
  put_file_.Bind(11, f->created_at);
  if (Status s = put_file_.Exec(); !s.ok()) return s;
  files_.Stage(batch, std::move(f));
  return Status::Ok();
}

}  // namespace kyc
