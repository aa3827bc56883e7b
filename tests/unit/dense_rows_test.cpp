#include <doctest/doctest.h>

#include <limits>
#include <memory>
#include <vector>

#include "tables/dense_rows.h"

using kyc::DenseRows;
using Ptr = std::shared_ptr<const int>;

namespace {
std::vector<int> From(const DenseRows<Ptr>& rows, int64_t first) {
  std::vector<int> out;
  rows.ForEachFrom(first, [&](const Ptr& p) {
    out.push_back(*p);
    return true;
  });
  return out;
}
}  // namespace

TEST_CASE("dense rows: set, find, replace, size") {
  DenseRows<Ptr> rows;
  CHECK(rows.Find(1) == nullptr);
  CHECK(rows.Find(-1) == nullptr);
  rows.Set(3, std::make_shared<const int>(30));
  rows.Set(1, std::make_shared<const int>(10));
  CHECK(rows.size() == 2);
  REQUIRE(rows.Find(3) != nullptr);
  CHECK(**rows.Find(3) == 30);
  CHECK(rows.Find(2) == nullptr);  // a gap is absent, not a row
  CHECK(rows.Find(4) == nullptr);  // past the end
  rows.Set(3, std::make_shared<const int>(31));
  CHECK(rows.size() == 2);  // replacing does not count twice
  CHECK(**rows.Find(3) == 31);
}

TEST_CASE("dense rows: ordered walk from an id, stopping early") {
  DenseRows<Ptr> rows;
  for (int id : {5, 2, 8, 1, 9000}) rows.Set(id, std::make_shared<const int>(id));  // 2 blocks
  CHECK(From(rows, 0) == std::vector<int>{1, 2, 5, 8, 9000});
  CHECK(From(rows, 3) == std::vector<int>{5, 8, 9000});
  CHECK(From(rows, 9) == std::vector<int>{9000});
  CHECK(From(rows, 9001).empty());
  CHECK(From(rows, -4) == std::vector<int>{1, 2, 5, 8, 9000});
  CHECK(rows.Find(8999) == nullptr);
  REQUIRE(rows.Find(9000) != nullptr);
  CHECK(rows.size() == 5);
  std::vector<int> seen;
  rows.ForEachFrom(0, [&](const Ptr& p) {
    seen.push_back(*p);
    return seen.size() < 2;
  });
  CHECK(seen == std::vector<int>{1, 2});
}

TEST_CASE("id vector: grows by blocks, default elements, absent past the end") {
  kyc::IdVector<int> v;
  CHECK(v.size() == 0);
  CHECK(v.Find(0) == nullptr);
  v.At(3) = 30;
  CHECK(v.size() == 4);
  REQUIRE(v.Find(3) != nullptr);
  CHECK(*v.Find(3) == 30);
  CHECK(*v.Find(1) == 0);  // filled with default elements
  CHECK(v.Find(4) == nullptr);
  CHECK(v.Find(-1) == nullptr);
  const int* three = v.Find(3);
  v.At(100000) = 7;  // many blocks later: earlier elements stay where they were
  CHECK(v.Find(3) == three);
  CHECK(*v.Find(100000) == 7);
  CHECK(v.size() == 100001);
}

TEST_CASE("dense rows: ids a hand-edited base may hold (negative, past the dense range)") {
  // SQLite accepts any 64-bit key; such a row must load without slots up to its id.
  DenseRows<Ptr> rows;
  const int64_t far = int64_t{1} << 40;
  rows.Set(far, std::make_shared<const int>(4));
  rows.Set(2, std::make_shared<const int>(2));
  rows.Set(-5, std::make_shared<const int>(-5));
  rows.Set(kyc::IdVector<Ptr>::kDenseLimit, std::make_shared<const int>(3));
  CHECK(rows.size() == 4);
  REQUIRE(rows.Find(far) != nullptr);
  CHECK(**rows.Find(far) == 4);
  REQUIRE(rows.Find(-5) != nullptr);
  CHECK(**rows.Find(-5) == -5);
  CHECK(rows.Find(far + 1) == nullptr);
  // In id order: negative first, then the slots, then the far ids.
  CHECK(From(rows, std::numeric_limits<int64_t>::min()) == std::vector<int>{-5, 2, 3, 4});
  CHECK(From(rows, 0) == std::vector<int>{2, 3, 4});
  CHECK(From(rows, 3) == std::vector<int>{3, 4});
  CHECK(From(rows, far) == std::vector<int>{4});
  rows.Set(far, std::make_shared<const int>(40));  // replaced in place
  CHECK(rows.size() == 4);
  CHECK(**rows.Find(far) == 40);
}
