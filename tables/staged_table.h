// An in-memory table of immutable rows keyed by id, with a staging overlay for the
// writer queue (see bases/writer_queue.h and tables/staged.h).
//
// Readers on any thread take a shared lock just long enough to copy a shared_ptr, and
// render JSON outside the lock. The writer strand is the only mutator: it stages new
// row versions (visible to later writes of the same batch via Staged*()), and after the
// commit publishes them under a short exclusive lock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tables/dense_rows.h"
#include "tables/staged.h"

namespace kyc {

// A page of a list: the rows of the page and how many match in all.
template <typename T>
struct RowPage {
  std::vector<std::shared_ptr<const T>> items;
  int64_t total = 0;
};

template <typename T>
class StagedTable : public Staged {
 public:
  using Ptr = std::shared_ptr<const T>;

  // Any thread. nullptr when absent.
  Ptr Get(int64_t id) const {
    std::shared_lock lock(mu_);
    return LockedGet(id);
  }
  // Any thread: calls fn(row) for every committed row in id order, under the shared lock.
  // fn returns false to stop.
  void Scan(const std::function<bool(const Ptr&)>& fn) const {
    std::shared_lock lock(mu_);
    rows_.ForEachFrom(0, fn);
  }
  // Any thread: calls fn(row) for the committed rows with first_id <= id < end_id, under
  // the shared lock. Long walks go in slices so a writer's publish never waits long.
  template <typename Fn>
  void ScanRange(int64_t first_id, int64_t end_id, Fn&& fn) const {
    std::shared_lock lock(mu_);
    rows_.ForEachFrom(first_id, [&](const Ptr& row) {
      if (row->id >= end_id) return false;
      fn(row);
      return true;
    });
  }
  // Any thread: one past the largest id committed so far.
  int64_t EndId() const {
    std::shared_lock lock(mu_);
    return next_id_;
  }
  size_t size() const {
    std::shared_lock lock(mu_);
    return rows_.size();
  }

  // Writer strand only: the row as this batch sees it.
  Ptr StagedGet(int64_t id) const {
    if (auto it = staged_.find(id); it != staged_.end()) return it->second;
    return LockedGet(id);  // the writer is the only mutator: no lock needed to read
  }
  // Writer strand only: visits the rows as this batch sees them (staged versions win).
  void StagedScan(const std::function<void(const Ptr&)>& fn) const {
    rows_.ForEachFrom(0, [&](const Ptr& row) {
      if (!staged_.count(row->id)) fn(row);
      return true;
    });
    for (const auto& [id, row] : staged_) fn(row);
  }
  // Writer strand only: the rows this batch staged so far (not the committed ones).
  void ForEachStaged(const std::function<void(const Ptr&)>& fn) const {
    for (const auto& [id, row] : staged_) fn(row);
  }
  bool IsStaged(int64_t id) const { return staged_.count(id) != 0; }
  int64_t StagedNextId() { return staged_next_id_++; }
  // Writer strand only: the id the next staged row will get (nothing is taken).
  int64_t StagedEndId() const { return staged_next_id_; }
  void Stage(StagingBatch& batch, Ptr row) {
    batch.Touch(this);
    auto it = staged_.find(row->id);
    undo_.emplace_back(row->id, it == staged_.end() ? nullptr : it->second);
    StagedIndex(*row);
    staged_[row->id] = std::move(row);
  }

  // Start-up only (one thread per table): adds a row read from the base.
  void Load(Ptr row) {
    next_id_ = std::max(next_id_, row->id + 1);
    staged_next_id_ = next_id_;
    Index(nullptr, row.get());
    const int64_t id = row->id;  // read before the move below empties `row`
    rows_.Set(id, std::move(row));
  }

  void Publish() override {
    std::unique_lock lock(mu_);
    for (auto& [id, row] : staged_) {
      const Ptr* before = rows_.Find(id);
      Index(before ? before->get() : nullptr, row.get());
      rows_.Set(id, std::move(row));
    }
    staged_.clear();
    StagedIndexCleared();
    next_id_ = staged_next_id_;
  }
  void Discard() override {
    staged_.clear();
    StagedIndexCleared();
    staged_next_id_ = next_id_;
  }
  void BeginWrite() override {
    undo_.clear();
    write_next_id_ = staged_next_id_;
  }
  void UndoWrite() override {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
      if (it->second) {
        staged_[it->first] = it->second;
      } else {
        staged_.erase(it->first);
      }
    }
    undo_.clear();
    staged_next_id_ = write_next_id_;
    StagedIndexCleared();  // rebuilt from what the batch still stages
    for (const auto& [id, row] : staged_) StagedIndex(*row);
  }

 protected:
  // Writer strand: an index of the staged rows for lookups a long batch makes often (the
  // default keeps none). StagedIndex sees each staged version; StagedIndexCleared empties it.
  virtual void StagedIndex(const T& row) {}
  virtual void StagedIndexCleared() {}
  // Keeps secondary indexes in step; called under the exclusive lock (or at load).
  virtual void Index(const T* before, const T* after) {}
  std::shared_mutex& mutex() const { return mu_; }
  // The committed row; the caller holds mutex() (shared or exclusive), or is the writer.
  Ptr LockedGet(int64_t id) const {
    const Ptr* row = rows_.Find(id);
    return row ? *row : nullptr;
  }
  // The number of committed rows; the caller holds mutex().
  size_t LockedSize() const { return rows_.size(); }
  // One past the largest committed id; the caller holds mutex().
  int64_t LockedEndId() const { return next_id_; }
  // Committed rows from `first_id` on, in id order; the caller holds mutex().
  template <typename Fn>
  void LockedScanFrom(int64_t first_id, Fn&& fn) const {
    rows_.ForEachFrom(first_id, fn);
  }

 private:
  mutable std::shared_mutex mu_;
  DenseRows<Ptr> rows_;                     // committed, by id; guarded by mu_
  std::unordered_map<int64_t, Ptr> staged_;  // writer strand only
  int64_t next_id_ = 1;
  int64_t staged_next_id_ = 1;
  // The current write's changes to staged_: (id, the staged row it replaced or null).
  std::vector<std::pair<int64_t, Ptr>> undo_;
  int64_t write_next_id_ = 1;
};

}  // namespace kyc
