// bases/storage.db: the metadata of uploaded files, loaded into memory at start. The bytes
// live in `<data>/storage/<file_id>.<ext>` (storage/file_store.h); this base only says
// what they are and who uploaded them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bases/base_file.h"
#include "bases/kyc_base.h"
#include "bases/sqlite.h"
#include "tables/staged_table.h"
#include "bases/writer_queue.h"
#include "protocol/json.h"

namespace kyc {

inline constexpr std::string_view kOwnerStaff = "staff";
inline constexpr std::string_view kOwnerClient = "client";

struct StoredFile {
  int64_t id = 0;
  std::string file_id;        // UUID v4, lowercase; the name on disk is `<file_id>.<ext>`
  std::string original_name;  // the client's base name: metadata only, never a path
  std::string ext;            // "pdf", "png", "jpg", "jpeg"
  std::string content_type;   // "application/pdf", "image/png", "image/jpeg"
  int64_t size = 0;           // bytes
  std::string sha256;         // lowercase hex
  std::string owner_type;     // "staff" | "client"
  std::optional<int64_t> owner_id;  // manager id (staff) or customer id (client)
  std::string owner_brand;          // client uploads: the client's brand; else empty
  int64_t created_at = 0;
};

// The /upload answer: {file_id, file_name, content_type, file_size, checksum, created_at}.
void WriteStoredFile(JsonOut& out, const StoredFile& f);
std::string StoredFileJson(const StoredFile& f);

class FileSet : public StagedTable<StoredFile> {
 public:
  // Any thread: the file with this file_id, or nullptr.
  Ptr FindFileId(std::string_view file_id) const;
  // Writer strand only: the file as this batch sees it (staged rows included).
  Ptr StagedFindFileId(std::string_view file_id) const;

  // Writer strand only: stages a row and keeps the staged file_id index in step. Hides
  // StagedTable::Stage so every staged file is indexed.
  void Stage(WriteBatch& batch, Ptr row);

  void Publish() override;
  void Discard() override;

 protected:
  void Index(const StoredFile* before, const StoredFile* after) override;

 private:
  // file_id → id of committed rows; guarded by mutex() (written under the exclusive lock
  // in Index, read under the shared lock; the writer strand may read it without a lock).
  std::unordered_map<std::string, int64_t> by_file_id_;
  // file_id → id of rows staged by the open batch; writer strand only.
  std::unordered_map<std::string, int64_t> staged_by_file_id_;
};

class StorageBase : public BaseFile {
 public:
  // Opens (or creates) the base at `path` (":memory:" for tests), brings its schema up
  // to date and loads it. Writes run on a strand of `writers`.
  static Result<std::unique_ptr<StorageBase>> Open(const std::string& path,
                                                  boost::asio::any_io_executor writers,
                                                  const BaseOptions& options);

  const FileSet& files() const { return files_; }

  // Writer strand only. Writes the row inside the open transaction and stages it.
  // conflict (nothing written) when another row already holds its file_id.
  FileSet& staged_files() { return files_; }
  [[nodiscard]] Status PutFile(WriteBatch& batch, std::shared_ptr<const StoredFile> f);

 private:
  StorageBase() = default;
  Status Load() override;

  FileSet files_;
  Stmt put_file_;
};

}  // namespace kyc
