// One writer queue per base: every change to a base runs on that base's strand.
//
// A write is a pipeline of values (validate → stage → commit → publish):
//  1. the write function runs on the strand; it validates against memory (the
//     committed state plus what earlier writes of the same batch staged) and stages
//     its change: SQL executed inside the open transaction, memory kept aside;
//  2. the batch commits;
//  3. only then is the staged memory published and each request completed.
// Requests that queue while a batch is being written go into the next batch together
// (group commit). A failed commit publishes nothing, answers `internal` to every
// request of the batch, and the base refuses all later writes until restart: memory
// and disk can no longer be assumed to agree, so it does not guess.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include "bases/checkpointer.h"
#include "bases/sqlite.h"
#include "protocol/status.h"
#include "tables/staged.h"

namespace kyc {

// What a write function sees: the base inside an open transaction.
class WriteBatch final : public StagingBatch {
 public:
  explicit WriteBatch(Db& db) : db_(db) {}
  Db& db() { return db_; }
  // Registers memory the current write stages changes in.
  void Touch(Staged* s) override;
  // Runs `fn` on the writer strand after the batch committed and published (never when
  // it failed): effects outside the base, such as ending sessions, wait for the commit.
  void AfterCommit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }
  // Runs `fn` when the batch failed and was rolled back: undoes effects outside the base
  // made before the commit, such as a file already written to storage/.
  void OnRollback(std::function<void()> fn) { on_rollback_.push_back(std::move(fn)); }

  // One write of the batch: a SAVEPOINT in SQLite and an undo mark in memory, so a write
  // that fails part-way leaves the batch as it was before it.
  [[nodiscard]] Status BeginWrite();
  [[nodiscard]] Status EndWrite(bool ok);

  // After COMMIT: staged memory becomes visible; the tables InSnapshot() under
  // `snapshot` (held exclusively) when given, the others after it.
  void Publish(std::shared_mutex* snapshot = nullptr);
  void RunAfterCommit();   // then the AfterCommit functions
  void Discard();          // after a failure: staged memory and AfterCommit are dropped

 private:
  Db& db_;
  std::vector<Staged*> touched_;
  std::vector<std::function<void()>> after_commit_;
  std::vector<std::function<void()>> on_rollback_;
  size_t write_after_commit_ = 0;  // hooks registered before the current write
  size_t write_on_rollback_ = 0;
};

// A write returns the response body (JSON text) or an error. An error undoes what the
// write staged (its savepoint is rolled back); the other writes of the batch go on.
using WriteFn = std::function<Result<std::string>(WriteBatch&)>;
using WriteDone = std::function<void(Result<std::string>)>;

// Upper bounds of the histograms a writer keeps for GET /metrics (+Inf implied).
inline constexpr std::array<double, 9> kBatchSizeBounds{1, 2, 4, 8, 16, 32, 64, 128, 256};
inline constexpr std::array<double, 10> kCommitSecondsBounds{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                             0.025,  0.05,  0.1,    0.25,  1};

struct WriterStats {
  std::atomic<uint64_t> transactions{0};
  std::atomic<uint64_t> writes{0};
  // Writes per committed batch, and how long each COMMIT (with its fsync) took.
  std::array<std::atomic<uint64_t>, kBatchSizeBounds.size() + 1> batch_sizes{};
  std::array<std::atomic<uint64_t>, kCommitSecondsBounds.size() + 1> commit_seconds{};
  std::atomic<uint64_t> commit_nanos{0};
};

class WriterQueue {
 public:
  // `publish_mutex`, when given, is held exclusively while a committed batch is published,
  // so readers that hold it shared see every table of the base at one commit.
  WriterQueue(std::string name, boost::asio::any_io_executor executor, Db& db,
              bool group_commit = true, std::shared_mutex* publish_mutex = nullptr);
  ~WriterQueue();

  // Queues a write. `done` is called exactly once, on the writer strand, after commit.
  // Thread-safe.
  void Submit(WriteFn fn, WriteDone done);
  // Submit, then blocks until the write committed (or failed) and returns its result. Never
  // from the writer's own strand (it would wait for itself).
  Result<std::string> SubmitAndWait(WriteFn fn);

  // True once a commit has failed; later writes answer `internal` at once.
  bool failed() const { return failed_.load(); }
  const std::string& name() const { return name_; }
  const WriterStats& stats() const { return stats_; }
  // Writes queued and not yet taken into a batch (any thread).
  size_t depth() {
    std::lock_guard lock(mu_);
    return queue_.size();
  }
  // Test hook: runs just before COMMIT; a non-ok Status makes the commit fail.
  void SetCommitFaultForTesting(std::function<Status()> fault) { fault_ = std::move(fault); }

 private:
  struct Item {
    WriteFn fn;
    WriteDone done;
  };
  void Drain();
  void RunBatch(std::vector<Item>& items);
  void FailAll(std::vector<Item>& items, const Status& why);
  void RecordBatch(size_t writes, int64_t commit_nanos);

  std::string name_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Db& db_;
  bool group_commit_;
  std::shared_mutex* publish_mutex_;
  std::function<Status()> fault_;

  std::mutex mu_;
  std::deque<Item> queue_;   // guarded by mu_
  bool scheduled_ = false;   // guarded by mu_: a Drain is posted or running
  std::atomic<bool> failed_{false};
  WriterStats stats_;
  std::unique_ptr<Checkpointer> checkpointer_;  // null: SQLite's automatic checkpoint
};

}  // namespace kyc
