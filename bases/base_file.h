// What every base is: one SQLite file (or ":memory:" for tests) with its schema migrated,
// its rows loaded into memory, and the one writer queue through which it changes.
#pragma once

#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "kyc/json_cache.h"

namespace kyc {

struct BaseOptions {
  bool group_commit = true;  // false: one transaction per write (for comparison)
  bool full_sync = true;     // synchronous=FULL
  size_t profile_cache_bytes = JsonCache::kDefaultBytes;  // rendered profiles kept (kyc.db)
};

class BaseFile {
 public:
  virtual ~BaseFile() = default;
  WriterQueue& writer() { return *writer_; }

 protected:
  // Opens (or creates) `path`, applies `migrations` (one per PRAGMA user_version), calls
  // Load(), then starts the writer queue `name` on a strand of `writers`. `publish_mutex`
  // is held while a batch is published (see WriterQueue).
  [[nodiscard]] Status OpenFile(const std::string& path,
                                std::span<const std::string_view> migrations, std::string name,
                                boost::asio::any_io_executor writers, const BaseOptions& options,
                                std::shared_mutex* publish_mutex = nullptr) {
    auto db = Db::OpenMigrated(path, DbOptions{options.full_sync}, migrations);
    if (!db.ok()) return db.status();
    db_ = std::move(db.value());
    if (Status s = Load(); !s.ok()) return s;
    writer_ = std::make_unique<WriterQueue>(std::move(name), std::move(writers), *db_,
                                            options.group_commit, publish_mutex);
    return Status::Ok();
  }
  // Reads the base's rows into memory (start-up, before any write).
  virtual Status Load() = 0;

  // Declared first: the derived base's statements and tables go before its connection.
  std::unique_ptr<Db> db_;
  std::unique_ptr<WriterQueue> writer_;
};

}  // namespace kyc
