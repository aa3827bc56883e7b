#include "core/data_dir.h"

#include <sys/stat.h>

#include <filesystem>

namespace kyc {

namespace fs = std::filesystem;

Status SecureDataDir(const std::string& dir) {
  std::error_code ec;
  const fs::path root(dir);
  if (fs::exists(root, ec)) {
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0) {
      return Error(Code::kUnavailable, "cannot read the mode of the data directory {}", dir);
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
      return Error(Code::kUnavailable,
                   "the data directory {} is writable by its group or others (mode {:04o}); "
                   "it holds KYC data and password hashes: chmod 700 {}",
                   dir, st.st_mode & 07777, dir);
    }
  }
  for (const fs::path& d : {root, root / "bases", root / "storage"}) {
    fs::create_directories(d, ec);
    if (ec) return Error(Code::kUnavailable, "cannot create {}: {}", d.string(), ec.message());
    fs::permissions(d, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return Error(Code::kUnavailable, "cannot chmod 700 {}: {}", d.string(), ec.message());
  }
  for (const fs::path& d : {root / "bases", root / "storage"}) {
    for (const auto& entry : fs::directory_iterator(d, ec)) {
      if (!entry.is_regular_file(ec)) continue;
      fs::permissions(entry.path(), fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace, ec);
      if (ec) {
        return Error(Code::kUnavailable, "cannot chmod 600 {}: {}", entry.path().string(),
                     ec.message());
      }
    }
    if (ec) return Error(Code::kUnavailable, "cannot list {}: {}", d.string(), ec.message());
  }
  return Status::Ok();
}

}  // namespace kyc
