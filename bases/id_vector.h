// IdVector<T>: elements indexed by a dense id, in fixed-size blocks.
//
// Tables hand out ids in order, so a slot per id is the cheapest map from id to row. The
// slots live in blocks of kBlock rather than one std::vector: growing never moves the
// elements already there, so adding the 3,000,001st step does not copy three million
// slots while the table's exclusive lock is held, and nothing needs sizing in advance.
//
// Not thread-safe: the owner guards it.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace kyc {

template <typename T>
class IdVector {
 public:
  // The element at `id`, or nullptr when `id` is negative or past every id reached.
  const T* Find(int64_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= size_) return nullptr;
    return &blocks_[static_cast<size_t>(id) >> kShift][static_cast<size_t>(id) & kMask];
  }
  T* Find(int64_t id) { return const_cast<T*>(std::as_const(*this).Find(id)); }
  // The element at `id` (>= 0), adding default elements up to it when needed.
  T& At(int64_t id) {
    assert(id >= 0);
    const auto i = static_cast<size_t>(id);
    while (i >= blocks_.size() * kBlock) blocks_.push_back(std::make_unique<T[]>(kBlock));
    if (i >= size_) size_ = i + 1;
    return blocks_[i >> kShift][i & kMask];
  }
  // One past the highest id reached.
  size_t size() const { return size_; }

 private:
  static constexpr size_t kShift = 12;
  static constexpr size_t kBlock = size_t{1} << kShift;  // 64 KiB of shared_ptrs
  static constexpr size_t kMask = kBlock - 1;

  std::vector<std::unique_ptr<T[]>> blocks_;
  size_t size_ = 0;
};

}  // namespace kyc
