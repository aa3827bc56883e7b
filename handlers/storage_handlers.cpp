// Upload: POST /upload stores a file and its metadata. The file is written under a
// temporary name, fsynced and renamed before its metadata commits; a failed commit
// removes it again, so a rejected upload leaves nothing behind.
#include "handlers/handlers.h"
#include "storage/file_store.h"
#include "storage/file_types.h"

namespace kyc::handlers {

Result<std::string> Upload(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!c.upload) {
    return Status(Code::kBadRequest,
                  "Upload is HTTP only: POST /upload as multipart/form-data with a field 'file'");
  }
  auto name = CleanOriginalName(c.upload->file_name);
  if (!name.ok()) return name.status();
  auto type = CheckUpload(*name, c.upload->data, c.core.options().max_upload_bytes);
  if (!type.ok()) return type.status();

  FileStore& store = c.core.file_store();
  auto file_id = store.NewFileId();
  if (!file_id.ok()) return Status(Code::kUnavailable, file_id.status().message());
  auto f = std::make_shared<StoredFile>();
  f->id = c.core.storage().staged_files().StagedNextId();
  f->file_id = *file_id;
  f->original_name = *name;
  f->ext = type->ext;
  f->content_type = type->content_type;
  f->size = static_cast<int64_t>(c.upload->data.size());
  f->sha256 = Sha256Hex(c.upload->data);
  if (c.session->type == SessionType::kClient) {
    f->owner_type = std::string(kOwnerClient);
    f->owner_id = c.session->customer_id;
    f->owner_brand = c.session->brand;
  } else {
    f->owner_type = std::string(kOwnerStaff);
    f->owner_id = c.session->manager_id;
  }
  f->created_at = c.now;
  // The bytes are durable before the metadata commits; a rollback removes them.
  // A disk failure is `unavailable`, not `internal`: it must not stop the storage base.
  if (Status s = store.Write(f->file_id, f->ext, c.upload->data); !s.ok()) {
    return Status(Code::kUnavailable, "the file could not be stored: " + s.message());
  }
  c.batch->OnRollback([&store, id = f->file_id, ext = f->ext] { store.Remove(id, ext); });
  std::string json = StoredFileJson(*f);
  if (Status s = c.core.storage().PutFile(*c.batch, f); !s.ok()) return s;
  return json;
}

}  // namespace kyc::handlers
