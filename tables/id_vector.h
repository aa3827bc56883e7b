// IdVector<T>: elements indexed by a dense id, in fixed-size blocks.
//
// Tables hand out ids in order, so a slot per id is the cheapest map from id to row. The
// slots live in blocks of kBlock rather than one std::vector: growing never moves the
// elements already there, so adding the 3,000,001st step does not copy three million
// slots while the table's exclusive lock is held, and nothing needs sizing in advance.
//
// Ids outside [0, kDenseLimit) — only a hand-edited base has them: SQLite accepts any
// 64-bit key — go to a small ordered map instead, so one such row cannot make start-up
// allocate slots up to it. Where an id lives depends on the id alone, so negative far ids
// sort before every slot and the others after.
//
// Not thread-safe: the owner guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace kyc {

template <typename T>
class IdVector {
 public:
  static constexpr int64_t kDenseLimit = int64_t{1} << 28;  // 4 GiB of 16-byte slots at most
  static bool IsDense(int64_t id) { return id >= 0 && id < kDenseLimit; }

  // The element at `id`, or nullptr when nothing was ever put there.
  const T* Find(int64_t id) const {
    if (!IsDense(id)) {
      auto it = far_.find(id);
      return it == far_.end() ? nullptr : &it->second;
    }
    if (static_cast<size_t>(id) >= size_) return nullptr;
    return &blocks_[static_cast<size_t>(id) >> kShift][static_cast<size_t>(id) & kMask];
  }
  T* Find(int64_t id) { return const_cast<T*>(std::as_const(*this).Find(id)); }
  // The element at `id`, adding default elements up to it when needed.
  T& At(int64_t id) {
    if (!IsDense(id)) return far_[id];
    const auto i = static_cast<size_t>(id);
    while (i >= blocks_.size() * kBlock) blocks_.push_back(std::make_unique<T[]>(kBlock));
    if (i >= size_) size_ = i + 1;
    return blocks_[i >> kShift][i & kMask];
  }
  // One past the highest dense id reached.
  size_t size() const { return size_; }
  // The elements at ids outside the dense range, in id order.
  const std::map<int64_t, T>& far() const { return far_; }

 private:
  static constexpr size_t kShift = 12;
  static constexpr size_t kBlock = size_t{1} << kShift;  // 64 KiB of shared_ptrs
  static constexpr size_t kMask = kBlock - 1;

  std::vector<std::unique_ptr<T[]>> blocks_;
  size_t size_ = 0;
  std::map<int64_t, T> far_;
};

}  // namespace kyc
