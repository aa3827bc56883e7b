#include "kyc/child_index.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

namespace kyc {

IdList::IdList(IdList&& o) noexcept : size_(o.size_), cap_(o.cap_) {
  if (o.on_heap()) {
    heap_ = o.heap_;
  } else {
    std::memcpy(inline_, o.inline_, sizeof(inline_));
  }
  o.size_ = 0;
  o.cap_ = kInline;
}

IdList& IdList::operator=(IdList&& o) noexcept {
  if (this != &o) {
    this->~IdList();
    new (this) IdList(std::move(o));
  }
  return *this;
}

IdList::~IdList() {
  if (on_heap()) delete[] heap_;
}

void IdList::Insert(int64_t id) {
  if (size_ == cap_) {
    uint32_t cap = cap_ * 2;
    auto* grown = new int64_t[cap];
    std::memcpy(grown, data(), size_ * sizeof(int64_t));
    if (on_heap()) delete[] heap_;
    heap_ = grown;
    cap_ = cap;
  }
  int64_t* begin = data();
  int64_t* at = std::upper_bound(begin, begin + size_, id);
  std::memmove(at + 1, at, (begin + size_ - at) * sizeof(int64_t));
  *at = id;
  ++size_;
}

void IdList::Erase(int64_t id) {
  int64_t* begin = data();
  size_ = static_cast<uint32_t>(std::remove(begin, begin + size_, id) - begin);
}

void ChildIndex::Move(std::optional<int64_t> before, std::optional<int64_t> after, int64_t id) {
  if (before == after) return;
  if (before) {
    if (IdList* of = by_parent_.Find(*before)) of->Erase(id);
  }
  if (after) by_parent_.At(*after).Insert(id);
}

std::span<const int64_t> ChildIndex::Of(int64_t parent) const {
  const IdList* of = by_parent_.Find(parent);
  return of ? of->ids() : std::span<const int64_t>();
}

}  // namespace kyc
