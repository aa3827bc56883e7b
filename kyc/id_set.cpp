#include "kyc/id_set.h"

#include <algorithm>
#include <utility>

namespace kyc {

size_t IdSet::BlockFor(int64_t id) const {
  auto it = std::lower_bound(blocks_.begin(), blocks_.end(), id,
                             [](const std::vector<int64_t>& b, int64_t v) { return b.back() < v; });
  return it == blocks_.end() ? blocks_.size() - 1 : static_cast<size_t>(it - blocks_.begin());
}

bool IdSet::Insert(int64_t id) {
  if (blocks_.empty()) {
    blocks_.push_back({id});
    ++size_;
    return true;
  }
  size_t b = BlockFor(id);
  std::vector<int64_t>* block = &blocks_[b];
  auto at = std::lower_bound(block->begin(), block->end(), id);
  if (at != block->end() && *at == id) return false;
  if (block->size() == kBlock) {
    if (at == block->end() && b + 1 == blocks_.size()) {
      blocks_.push_back({id});  // past the last id: a new block, the full one stays full
      ++size_;
      return true;
    }
    // Split the full block in half and insert into the half that covers `id`.
    std::vector<int64_t> upper(block->begin() + kBlock / 2, block->end());
    block->resize(kBlock / 2);
    bool lower = id < upper.front();
    blocks_.insert(blocks_.begin() + b + 1, std::move(upper));
    block = &blocks_[lower ? b : b + 1];
    at = std::lower_bound(block->begin(), block->end(), id);
  }
  block->insert(at, id);
  ++size_;
  return true;
}

bool IdSet::Erase(int64_t id) {
  if (blocks_.empty()) return false;
  size_t b = BlockFor(id);
  auto& block = blocks_[b];
  auto at = std::lower_bound(block.begin(), block.end(), id);
  if (at == block.end() || *at != id) return false;
  block.erase(at);
  --size_;
  if (block.empty()) blocks_.erase(blocks_.begin() + b);
  return true;
}

bool IdSet::Contains(int64_t id) const {
  if (blocks_.empty()) return false;
  const auto& block = blocks_[BlockFor(id)];
  return std::binary_search(block.begin(), block.end(), id);
}

}  // namespace kyc
