#include <doctest/doctest.h>

#include <optional>
#include <utility>
#include <vector>

#include "kyc/child_index.h"

using kyc::ChildIndex;
using kyc::IdList;

namespace {
std::vector<int64_t> V(std::span<const int64_t> s) { return {s.begin(), s.end()}; }
}  // namespace

TEST_CASE("id list: sorted inserts in place and on the heap, erase, move") {
  IdList l;
  CHECK(l.empty());
  for (int64_t id : {5, 1, 3}) l.Insert(id);  // fits in place
  CHECK(V(l.ids()) == std::vector<int64_t>{1, 3, 5});
  for (int64_t id : {4, 9, 2, 0}) l.Insert(id);  // spills to the heap, grows twice
  CHECK(V(l.ids()) == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 9});
  l.Erase(3);
  l.Erase(42);  // absent: no change
  CHECK(V(l.ids()) == std::vector<int64_t>{0, 1, 2, 4, 5, 9});

  IdList moved(std::move(l));
  CHECK(V(moved.ids()) == std::vector<int64_t>{0, 1, 2, 4, 5, 9});
  CHECK(l.empty());
  IdList small;
  small.Insert(7);
  moved = std::move(small);  // heap list replaced by an in-place one
  CHECK(V(moved.ids()) == std::vector<int64_t>{7});
}

TEST_CASE("child index: move between parents, absent parents, growth") {
  ChildIndex idx;
  CHECK(idx.Of(1).empty());
  CHECK(idx.Of(-1).empty());
  idx.Move(std::nullopt, 2, 20);
  idx.Move(std::nullopt, 2, 10);
  idx.Move(std::nullopt, 1000, 30);  // grows past the end
  CHECK(V(idx.Of(2)) == std::vector<int64_t>{10, 20});
  CHECK(V(idx.Of(1000)) == std::vector<int64_t>{30});
  CHECK(idx.Of(999).empty());
  idx.Move(2, 3, 20);
  CHECK(V(idx.Of(2)) == std::vector<int64_t>{10});
  CHECK(V(idx.Of(3)) == std::vector<int64_t>{20});
  idx.Move(3, std::nullopt, 20);
  CHECK(idx.Of(3).empty());
  idx.Move(2, 2, 10);  // same parent: nothing to do
  CHECK(V(idx.Of(2)) == std::vector<int64_t>{10});
}

TEST_CASE("child index: a parent id outside the dense range (a hand-edited base) still indexes") {
  ChildIndex index;
  const int64_t far = int64_t{1} << 40;
  index.Move(std::nullopt, far, 7);
  index.Move(std::nullopt, -3, 8);
  CHECK(V(index.Of(far)) == std::vector<int64_t>{7});
  CHECK(V(index.Of(-3)) == std::vector<int64_t>{8});
  index.Move(far, 1, 7);
  CHECK(index.Of(far).empty());
  CHECK(V(index.Of(1)) == std::vector<int64_t>{7});
}
