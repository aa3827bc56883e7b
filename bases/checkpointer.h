// WAL checkpoints off the commit path.
//
// SQLite's automatic checkpoint runs inside the commit that crosses the threshold: that
// writer copies the WAL into the database file and fsyncs it while every request of its
// batch waits. Here the writer's connection only counts WAL pages (a WAL hook replaces the
// automatic checkpoint) and wakes a thread of its own, which checkpoints through a second
// connection while the writer goes on committing. Only if the WAL outgrows `hard_limit`
// (the background thread cannot keep up) does the writer checkpoint itself, so the file
// stays bounded.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "bases/sqlite.h"

namespace kyc {

struct CheckpointOptions {
  int pages = 1000;        // wake the checkpointer when the WAL holds this many pages
  int hard_limit = 16384;  // the writer checkpoints itself past this (64 MiB of 4 KiB pages)
};

class Checkpointer {
 public:
  // Attaches to `writer` (the base's only writing connection) and opens a second
  // connection to its file. For an in-memory base (no WAL) it does nothing.
  static Result<std::unique_ptr<Checkpointer>> Attach(Db& writer, const DbOptions& db_options,
                                                      CheckpointOptions options = {});
  ~Checkpointer();  // detaches the hook and joins the thread
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  uint64_t checkpoints() const;  // background checkpoints run so far (tests)

 private:
  Checkpointer(Db& writer, std::unique_ptr<Db> own, CheckpointOptions options);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();

  Db& writer_;
  std::unique_ptr<Db> own_;
  CheckpointOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool wanted_ = false;  // guarded by mu_
  bool stop_ = false;    // guarded by mu_
  uint64_t done_ = 0;    // guarded by mu_
  std::thread thread_;
};

}  // namespace kyc
