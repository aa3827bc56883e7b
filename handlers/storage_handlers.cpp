// Upload: POST /upload stores a file and its metadata. The prepare stage (blocking pool)
// checks the file and writes it durably (temp name, fsync, rename) before the metadata
// write is queued; the write only stages the row. If the row does not commit, the
// dispatcher runs the prepared undo, which removes the file: a rejected upload leaves
// nothing behind, and no storage transaction waits on a disk write.
#include "handlers/handlers.h"
#include "storage/file_store.h"
#include "storage/file_types.h"

namespace kyc::handlers {

Status PrepareUpload(Call& c) {
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
  // CSV statements are staff's (reconciliation); a client uploads documents only, so no
  // step answer or document of a customer can ever be a CSV.
  if (type->ext == "csv" && c.session->type == SessionType::kClient) {
    return Status(Code::kBadRequest,
                  "field 'file': a client uploads pdf, png, jpg or jpeg; csv is for staff statements");
  }

  FileStore& store = c.core.file_store();
  auto file_id = store.NewFileId();
  if (!file_id.ok()) return Status(Code::kUnavailable, file_id.status().message());
  auto f = std::make_shared<StoredFile>();
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
  // A disk failure is `unavailable`, not `internal`: it must not stop the storage base.
  if (Status s = store.Write(f->file_id, f->ext, c.upload->data); !s.ok()) {
    return Status(Code::kUnavailable, "the file could not be stored: " + s.message());
  }
  c.prepared.undo = [&store, id = f->file_id, ext = f->ext] { store.Remove(id, ext); };
  c.prepared.file = std::move(f);
  return Status::Ok();
}

Result<std::string> Upload(Call& c) {
  if (!c.prepared.file) return Status(Code::kInternal, "the upload was not prepared");
  auto f = std::make_shared<StoredFile>(*c.prepared.file);
  f->id = c.core.storage().staged_files().StagedNextId();
  f->created_at = c.now;
  std::string json = StoredFileJson(*f);
  if (Status s = c.core.storage().PutFile(*c.batch, f); !s.ok()) return s;
  return json;
}

Result<std::string> MngGetFile(Call& c) {
  ParamReader p(c.params);
  std::string file_id = p.String("file_id", 64);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!IsValidFileId(file_id)) {
    return Status(Code::kBadRequest, "field 'file_id' must be a file id (a UUID as /upload gave)");
  }
  auto f = c.core.storage().files().FindFileId(file_id);
  if (!f) return Error(Code::kNotFound, "file {} not found", file_id);
  auto bytes = c.core.file_store().Read(f->file_id, f->ext);
  if (!bytes.ok()) return bytes.status();
  c.content_type = f->content_type;
  // inline: the console shows it in place; the name is the client's, made header-safe.
  std::string name;
  for (char ch : f->original_name) {
    const auto u = static_cast<unsigned char>(ch);
    name += (u < 0x20 || u >= 0x7f || ch == '"' || ch == '\\') ? '_' : ch;
  }
  c.content_disposition = fmt::format("inline; filename=\"{}\"", name);
  return std::move(bytes.value());
}

}  // namespace kyc::handlers
