#include "bases/writer_queue.h"

#include <algorithm>
#include <chrono>
#include <future>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace kyc {

void WriteBatch::Touch(Staged* s) {
  if (std::find(touched_.begin(), touched_.end(), s) == touched_.end()) {
    s->BeginWrite();  // first touch in this batch: nothing of it is staged yet
    touched_.push_back(s);
  }
}

Status WriteBatch::BeginWrite() {
  for (auto* s : touched_) s->BeginWrite();
  write_after_commit_ = after_commit_.size();
  write_on_rollback_ = on_rollback_.size();
  return db_.ExecCached("SAVEPOINT write");
}

Status WriteBatch::EndWrite(bool ok) {
  if (ok) return db_.ExecCached("RELEASE write");
  for (auto* s : touched_) s->UndoWrite();
  after_commit_.resize(write_after_commit_);
  for (size_t i = on_rollback_.size(); i > write_on_rollback_; --i) on_rollback_[i - 1]();
  on_rollback_.resize(write_on_rollback_);
  Status s = db_.ExecCached("ROLLBACK TO write");
  if (!s.ok()) return s;
  return db_.ExecCached("RELEASE write");
}

void WriteBatch::Publish(std::shared_mutex* snapshot) {
  const bool any = std::any_of(touched_.begin(), touched_.end(),
                               [](const Staged* s) { return s->InSnapshot(); });
  if (any) {  // a batch of audit or AML rows alone never waits for the readers
    std::unique_lock<std::shared_mutex> lock;
    if (snapshot) lock = std::unique_lock(*snapshot);
    for (auto* s : touched_) {
      if (s->InSnapshot()) s->Publish();
    }
  }
  for (auto* s : touched_) {
    if (!s->InSnapshot()) s->Publish();
  }
  touched_.clear();
  on_rollback_.clear();
}

void WriteBatch::RunAfterCommit() {
  for (auto& fn : after_commit_) fn();
  after_commit_.clear();
}

void WriteBatch::Discard() {
  for (auto* s : touched_) s->Discard();
  touched_.clear();
  after_commit_.clear();
  for (auto& fn : on_rollback_) fn();
  on_rollback_.clear();
}

WriterQueue::WriterQueue(std::string name, boost::asio::any_io_executor executor, Db& db,
                         bool group_commit, std::shared_mutex* publish_mutex)
    : name_(std::move(name)),
      strand_(boost::asio::make_strand(std::move(executor))),
      db_(db),
      group_commit_(group_commit),
      publish_mutex_(publish_mutex) {
  // Commits stay short when the WAL is copied back into the database elsewhere; without
  // a second connection SQLite's automatic checkpoint still does it, only in the commit.
  auto cp = Checkpointer::Attach(db_, DbOptions{});
  if (cp.ok()) {
    checkpointer_ = std::move(*cp);
  } else {
    spdlog::warn("base {}: checkpoints stay in the commit path: {}", name_, cp.status().message());
  }
}

WriterQueue::~WriterQueue() {
  uint64_t txns = stats_.transactions.load(), writes = stats_.writes.load();
  if (txns > 0) {
    spdlog::info("base {}: {} writes in {} transactions ({:.1f} per commit)", name_, writes, txns,
                 static_cast<double>(writes) / static_cast<double>(txns));
  }
}

void WriterQueue::Submit(WriteFn fn, WriteDone done) {
  std::lock_guard lock(mu_);
  queue_.push_back(Item{std::move(fn), std::move(done)});
  if (!scheduled_) {
    scheduled_ = true;
    boost::asio::post(strand_, [this] { Drain(); });
  }
}

Result<std::string> WriterQueue::SubmitAndWait(WriteFn fn) {
  std::promise<Result<std::string>> done;
  auto result = done.get_future();
  Submit(std::move(fn), [&done](Result<std::string> r) { done.set_value(std::move(r)); });
  return result.get();
}

void WriterQueue::Drain() {
  std::vector<Item> items;
  {
    std::lock_guard lock(mu_);
    size_t n = group_commit_ ? queue_.size() : std::min<size_t>(1, queue_.size());
    items.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      items.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  if (!items.empty()) RunBatch(items);
  std::lock_guard lock(mu_);
  if (queue_.empty()) {
    scheduled_ = false;
  } else {
    boost::asio::post(strand_, [this] { Drain(); });
  }
}

void WriterQueue::RecordBatch(size_t writes, int64_t commit_nanos) {
  auto bucket = [](const auto& bounds, double v) {
    size_t i = 0;
    while (i < bounds.size() && v > bounds[i]) ++i;
    return i;
  };
  stats_.batch_sizes[bucket(kBatchSizeBounds, static_cast<double>(writes))].fetch_add(
      1, std::memory_order_relaxed);
  stats_.commit_seconds[bucket(kCommitSecondsBounds, static_cast<double>(commit_nanos) / 1e9)]
      .fetch_add(1, std::memory_order_relaxed);
  stats_.commit_nanos.fetch_add(static_cast<uint64_t>(commit_nanos), std::memory_order_relaxed);
}

void WriterQueue::FailAll(std::vector<Item>& items, const Status& why) {
  for (auto& item : items) item.done(why);
}

void WriterQueue::RunBatch(std::vector<Item>& items) {
  static const Status kRefused(Code::kInternal,
                               "this base refuses writes after a failed commit; restart the server");
  if (failed_) return FailAll(items, kRefused);

  auto fail = [&](WriteBatch* batch, const Status& why) {
    spdlog::error("base {}: write batch of {} failed: {}", name_, items.size(), why.message());
    if (batch) batch->Discard();
    failed_ = true;
    FailAll(items, Status(Code::kInternal, "the change could not be saved; nothing was changed"));
  };

  Txn txn(db_);
  if (!txn.begin_status().ok()) return fail(nullptr, txn.begin_status());
  WriteBatch batch(db_);
  std::vector<Result<std::string>> results;
  results.reserve(items.size());
  for (auto& item : items) {
    if (Status s = batch.BeginWrite(); !s.ok()) return fail(&batch, s);
    Result<std::string> r = [&]() -> Result<std::string> {
      try {
        return item.fn(batch);
      } catch (const std::exception& e) {
        return Error(Code::kInternal, "write failed: {}", e.what());
      }
    }();
    if (!r.ok() && r.status().code() == Code::kInternal) {
      spdlog::error("base {}: write failed and was undone: {}", name_, r.status().message());
    }
    // An error undoes this write alone; if even that fails, the batch cannot be trusted.
    if (Status s = batch.EndWrite(r.ok()); !s.ok()) return fail(&batch, s);
    results.push_back(std::move(r));
  }
  if (fault_) {
    if (Status s = fault_(); !s.ok()) return fail(&batch, s);
  }
  const auto commit_start = std::chrono::steady_clock::now();
  if (Status s = txn.Commit(); !s.ok()) return fail(&batch, s);
  const auto commit_nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now() - commit_start)
                                .count();
  RecordBatch(items.size(), commit_nanos);
  batch.Publish(publish_mutex_);
  batch.RunAfterCommit();
  stats_.transactions.fetch_add(1, std::memory_order_relaxed);
  stats_.writes.fetch_add(items.size(), std::memory_order_relaxed);
  for (size_t i = 0; i < items.size(); ++i) items[i].done(std::move(results[i]));
}

}  // namespace kyc
