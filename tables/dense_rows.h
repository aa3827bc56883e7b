// DenseRows<Ptr>: a table's committed rows keyed by id, a slot per id (IdVector).
//
// Every table hands out ids in order (StagedNextId), so ids are dense and a slot costs 16
// bytes where a std::map node cost ~64 plus an allocation. At a million profiles that is
// the difference between hundreds of MiB and tens, and start-up no longer spends its time
// balancing a tree. An empty slot holds nullptr.
//
// Not thread-safe: StagedTable guards it with its mutex.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "tables/id_vector.h"

namespace kyc {

template <typename Ptr>
class DenseRows {
 public:
  // nullptr when absent (including ids that were never handed out, or negative).
  const Ptr* Find(int64_t id) const {
    const Ptr* slot = slots_.Find(id);
    return slot && *slot ? slot : nullptr;
  }

  // Stores `row` (non-null) under `id`, replacing the row there.
  void Set(int64_t id, Ptr row) {
    assert(row);
    Ptr& slot = slots_.At(id);
    if (!slot) ++count_;
    slot = std::move(row);
  }

  size_t size() const { return count_; }

  // Calls fn(row) for every row with id >= first_id, in id order; fn returns false to stop.
  template <typename Fn>
  void ForEachFrom(int64_t first_id, Fn&& fn) const {
    const auto& far = slots_.far();
    auto it = far.lower_bound(first_id);
    for (; it != far.end() && it->first < 0; ++it) {  // negative ids sort first
      if (it->second && !fn(it->second)) return;
    }
    for (int64_t id = first_id < 0 ? 0 : first_id; static_cast<size_t>(id) < slots_.size(); ++id) {
      const Ptr& row = *slots_.Find(id);
      if (row && !fn(row)) return;
    }
    for (; it != far.end(); ++it) {  // then those past the dense range
      if (it->second && !fn(it->second)) return;
    }
  }

 private:
  IdVector<Ptr> slots_;
  size_t count_ = 0;
};

}  // namespace kyc
