// ChildIndex: the ids of the rows under each parent (steps by profile, documents by
// profile and by step), kept sorted.
//
// Parents are rows of another table, whose ids are dense (handed out in order), so the
// index is an IdVector indexed by the parent id rather than a hash map: no node per parent.
// Each parent holds a handful of children (a profile's steps, a step's documents), so an
// IdList keeps up to three ids in place and only a longer list goes to the heap. At a
// million profiles this is ~32 bytes per parent instead of ~100 and two allocations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "tables/id_vector.h"

namespace kyc {

// A sorted list of ids; the first kInline live inside the object.
class IdList {
 public:
  IdList() = default;
  IdList(IdList&& o) noexcept;
  IdList& operator=(IdList&& o) noexcept;
  IdList(const IdList&) = delete;
  IdList& operator=(const IdList&) = delete;
  ~IdList();

  void Insert(int64_t id);  // keeps the order; a duplicate is inserted again
  void Erase(int64_t id);   // every occurrence
  std::span<const int64_t> ids() const { return {data(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Calls fn(id) for the ids from position `offset` on; fn returns false to stop (as IdSet).
  template <typename Fn>
  void ForEachFrom(size_t offset, Fn&& fn) const {
    for (size_t i = offset; i < size_; ++i) {
      if (!fn(data()[i])) return;
    }
  }

 private:
  static constexpr uint32_t kInline = 3;
  bool on_heap() const { return cap_ > kInline; }
  int64_t* data() { return on_heap() ? heap_ : inline_; }
  const int64_t* data() const { return on_heap() ? heap_ : inline_; }

  uint32_t size_ = 0;
  uint32_t cap_ = kInline;
  union {
    int64_t inline_[kInline];
    int64_t* heap_;
  };
};

// The row of `customer_id` with this brand, among the ids `by_customer` lists for it, each
// row read by get(id) (committed or staged); null when there is none.
template <typename ByCustomer, typename Get>
auto FindOfCustomer(const ByCustomer& by_customer, int64_t customer_id, std::string_view brand,
                    Get&& get) -> decltype(get(int64_t{})) {
  auto it = by_customer.find(customer_id);
  if (it == by_customer.end()) return nullptr;
  for (int64_t id : it->second.ids()) {
    if (auto row = get(id); row && row->brand == brand) return row;
  }
  return nullptr;
}

class ChildIndex {
 public:
  // Moves `id` from parent `before` to parent `after` (either may be absent).
  void Move(std::optional<int64_t> before, std::optional<int64_t> after, int64_t id);
  // The children of `parent` in id order; empty when it has none.
  std::span<const int64_t> Of(int64_t parent) const;

 private:
  IdVector<IdList> by_parent_;
};

}  // namespace kyc
