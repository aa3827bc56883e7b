#include "storage/file_store.h"

#include "protocol/utf8.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

namespace kyc {
namespace {

constexpr std::string_view kTempPrefix = ".tmp-";
constexpr char kHex[] = "0123456789abcdef";

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

bool IsValidExt(std::string_view ext) {
  return !ext.empty() && ext.size() <= 8 && std::all_of(ext.begin(), ext.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

// Closes `fd` when it goes out of scope unless released.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports close's own error (0 or an errno).
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes all of `bytes`, retrying short writes and EINTR. 0 or an errno.
int WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

int FsyncRetry(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

int FsyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return errno;
  if (int err = FsyncRetry(fd.get())) return err;
  return fd.Close();
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

bool IsValidFileId(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

FileStore::FileStore(std::string dir, Random& random) : dir_(std::move(dir)), random_(random) {}

Status FileStore::EnsureDir() {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    return Error(Code::kInternal, "cannot create the storage directory {}: {}", dir_,
                 ec.message());
  }
  if (!std::filesystem::is_directory(dir_, ec)) {
    return Error(Code::kInternal, "the storage path {} is not a directory", dir_);
  }
  return Status::Ok();
}

Result<std::string> FileStore::NewFileId() { return NewUuidV4(random_); }

std::string FileStore::PathOf(const std::string& file_id, std::string_view ext) const {
  std::string path = dir_;
  path += '/';
  path += file_id;
  path += '.';
  path += ext;
  return path;
}

std::string FileStore::TempPathOf(const std::string& file_id) const {
  return dir_ + "/" + std::string(kTempPrefix) + file_id;
}

Status FileStore::Write(const std::string& file_id, std::string_view ext,
                        std::string_view bytes) {
  if (!IsValidFileId(file_id) || !IsValidExt(ext)) {
    return Error(Code::kInternal, "refusing to store a file as '{}.{}': not a file id and type",
                 file_id, ext);
  }
  const std::string tmp = TempPathOf(file_id);
  const std::string path = PathOf(file_id, ext);

  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    // O_EXCL: never truncate or remove a temp file another writer owns.
    return Error(Code::kInternal, "cannot create {}: {}", tmp, ErrnoText(errno));
  }
  auto fail = [&](std::string_view step, const std::string& at, int err) {
    ::unlink(tmp.c_str());
    return Error(Code::kInternal, "cannot {} {}: {}", step, at, ErrnoText(err));
  };
  if (int err = WriteAll(fd.get(), bytes)) return fail("write", tmp, err);
  if (int err = FsyncRetry(fd.get())) return fail("fsync", tmp, err);
  if (int err = fd.Close()) return fail("close", tmp, err);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename to", path, errno);
  if (int err = FsyncDir(dir_)) {
    // The rename may not be durable: take the file back so no row is written for it.
    ::unlink(path.c_str());
    return Error(Code::kInternal, "cannot fsync the directory {} after writing {}: {}", dir_,
                 path, ErrnoText(err));
  }
  return Status::Ok();
}

Result<std::string> FileStore::Read(const std::string& file_id, std::string_view ext) const {
  if (!IsValidFileId(file_id) || !IsValidExt(ext)) {
    return Error(Code::kBadRequest, "'{}.{}' is not a stored file's name", ForMessage(file_id),
                 ForMessage(ext));
  }
  const std::string path = PathOf(file_id, ext);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Error(Code::kNotFound, "file {} is missing from storage", file_id);
    return Error(Code::kInternal, "cannot open {}: {}", path, ErrnoText(errno));
  }
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error(Code::kInternal, "cannot read {}: {}", path, ErrnoText(errno));
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

void FileStore::Remove(const std::string& file_id, std::string_view ext) {
  if (!IsValidFileId(file_id) || !IsValidExt(ext)) {
    spdlog::error("storage: refusing to remove '{}.{}': not a file id and type", file_id, ext);
    return;
  }
  const std::string path = PathOf(file_id, ext);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    spdlog::error("storage: cannot remove {}: {}", path, ErrnoText(errno));
  }
}

size_t FileStore::RemoveStaleTemp() {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec);
  if (ec) {
    if (ec != std::errc::no_such_file_or_directory) {
      spdlog::warn("storage: cannot list {}: {}", dir_, ec.message());
    }
    return 0;
  }
  size_t removed = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) {
      spdlog::warn("storage: cannot list {}: {}", dir_, ec.message());
      break;
    }
    const std::string name = it->path().filename().string();
    if (!name.starts_with(kTempPrefix)) continue;
    std::error_code rm;
    if (std::filesystem::remove(it->path(), rm)) {
      ++removed;
    } else if (rm) {
      spdlog::warn("storage: cannot remove {}: {}", it->path().string(), rm.message());
    }
  }
  if (removed > 0) spdlog::info("storage: removed {} unfinished upload(s) from {}", removed, dir_);
  return removed;
}

}  // namespace kyc
