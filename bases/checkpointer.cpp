#include "bases/checkpointer.h"

#include <spdlog/spdlog.h>

namespace kyc {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Attach(Db& writer,
                                                           const DbOptions& db_options,
                                                           CheckpointOptions options) {
  if (writer.is_private()) {
    return std::unique_ptr<Checkpointer>();
  }
  auto own = Db::Open(writer.path(), db_options);
  if (!own.ok()) return own.status();
  return std::unique_ptr<Checkpointer>(new Checkpointer(writer, std::move(*own), options));
}

Checkpointer::Checkpointer(Db& writer, std::unique_ptr<Db> own, CheckpointOptions options)
    : writer_(writer), own_(std::move(own)), options_(options) {
  // Replaces the automatic checkpoint of the writer's connection (sqlite3_wal_autocheckpoint
  // is itself a WAL hook).
  sqlite3_wal_hook(writer_.handle(), &Checkpointer::OnCommit, this);
  thread_ = std::thread([this] { Loop(); });
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

// Runs inside each commit of the writer, on its strand: keep it cheap.
int Checkpointer::OnCommit(void* arg, sqlite3* db, const char* schema, int wal_pages) {
  auto* self = static_cast<Checkpointer*>(arg);
  if (wal_pages >= self->options_.hard_limit) {
    // The writer is the only one adding frames, so this checkpoint can copy them all and
    // the next transaction starts the WAL over.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  if (wal_pages >= self->options_.pages) {
    bool wake = false;
    {
      std::lock_guard lock(self->mu_);
      wake = !self->wanted_;
      self->wanted_ = true;
    }
    if (wake) self->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return wanted_ || stop_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                                       &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("checkpoint of {}: {}", own_->path(), sqlite3_errmsg(own_->handle()));
    }
    lock.lock();
    ++done_;
  }
}

uint64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return done_;
}

}  // namespace kyc
