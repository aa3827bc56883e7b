// The uploaded files on disk: `<data>/storage/<file_id>.<ext>`, where file_id is a random
// UUID v4. The client's file name never becomes a path (PROTOCOL.md §5).
//
// A file appears whole or not at all: Write puts the bytes in `<dir>/.tmp-<file_id>`,
// fsyncs it, renames it to its final name and fsyncs the directory. A crash leaves at
// most a `.tmp-*` file, which RemoveStaleTemp deletes at the next start.
//
// Order with the metadata (bases/storage.db): write the file first, then commit its row;
// if the commit fails, Remove the file. A file without a row is garbage; a row without a
// file never happens.
//
// Thread-safety: every method may be called from any thread; distinct file ids never
// touch the same path.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "env/env.h"
#include "protocol/status.h"

namespace kyc {

// Lowercase hex SHA-256 of `bytes` (libsodium crypto_hash_sha256): 64 characters.
std::string Sha256Hex(std::string_view bytes);

// True for a lowercase UUID string 8-4-4-4-12 (hex digits a-f, 0-9).
bool IsValidFileId(std::string_view file_id);

class FileStore {
 public:
  // `dir` is `<data>/storage`; `random` must outlive the store.
  FileStore(std::string dir, Random& random);

  // Creates the directory (and its parents) when missing. internal naming the path on
  // failure.
  [[nodiscard]] Status EnsureDir();

  // A new random UUID v4, lowercase, 8-4-4-4-12, from the injected Random.
  Result<std::string> NewFileId();

  // Writes `bytes` as `<dir>/<file_id>.<ext>` durably (temp file, fsync, rename, fsync of
  // the directory). On any failure nothing is left behind and the error is internal,
  // naming the path. A file_id that is not a UUID or an ext that is not [a-z0-9]{1,8} is
  // internal too (a programming error: callers pass NewFileId() and CheckUpload's ext).
  [[nodiscard]] Status Write(const std::string& file_id, std::string_view ext,
                             std::string_view bytes);

  // Deletes `<dir>/<file_id>.<ext>` if present; errors are logged, never returned.
  void Remove(const std::string& file_id, std::string_view ext);
  // The stored bytes of a file (not_found when missing from disk, internal on a read error).
  Result<std::string> Read(const std::string& file_id, std::string_view ext) const;

  // `<dir>/<file_id>.<ext>`.
  std::string PathOf(const std::string& file_id, std::string_view ext) const;

  // Start-up: deletes the `.tmp-*` files an interrupted Write left behind. Returns how many
  // were deleted (0 when the directory does not exist).
  size_t RemoveStaleTemp();

  const std::string& dir() const { return dir_; }

 private:
  std::string TempPathOf(const std::string& file_id) const;

  std::string dir_;
  Random& random_;
};

}  // namespace kyc
