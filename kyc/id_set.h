// IdSet: a sorted set of ids for the profile indexes (by brand, by status, by both).
//
// One of these sets can hold every profile, and a std::set spends a 48-byte node per id.
// Here the ids sit in sorted blocks of at most kBlock, found by binary search on each
// block's last id: 8 bytes per id, and ids arriving in order (the loader, new profiles)
// append to the last block. An erase moves at most one block's tail, never the whole set.
// Paging starts at an offset by skipping whole blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kyc {

class IdSet {
 public:
  bool Insert(int64_t id);  // false when already present
  bool Erase(int64_t id);   // false when absent
  bool Contains(int64_t id) const;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Calls fn(id) for the ids from position `offset` on, in order; fn returns false to stop.
  template <typename Fn>
  void ForEachFrom(size_t offset, Fn&& fn) const {
    for (const auto& block : blocks_) {
      if (offset >= block.size()) {
        offset -= block.size();
        continue;
      }
      for (size_t i = offset; i < block.size(); ++i) {
        if (!fn(block[i])) return;
      }
      offset = 0;
    }
  }

 private:
  static constexpr size_t kBlock = 512;
  size_t BlockFor(int64_t id) const;  // the block that holds or would hold `id`

  std::vector<std::vector<int64_t>> blocks_;  // each sorted and non-empty, in order
  size_t size_ = 0;
};

}  // namespace kyc
