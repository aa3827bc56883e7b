#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "kyc/id_set.h"

using kyc::IdSet;

namespace {
std::vector<int64_t> From(const IdSet& s, size_t offset) {
  std::vector<int64_t> out;
  s.ForEachFrom(offset, [&](int64_t id) {
    out.push_back(id);
    return true;
  });
  return out;
}
}  // namespace

TEST_CASE("id set: insert, erase, contains, duplicates") {
  IdSet s;
  CHECK(s.empty());
  CHECK(!s.Erase(1));
  CHECK(!s.Contains(1));
  CHECK(s.Insert(5));
  CHECK(s.Insert(1));
  CHECK(!s.Insert(5));  // already there
  CHECK(s.size() == 2);
  CHECK(s.Contains(5));
  CHECK(From(s, 0) == std::vector<int64_t>{1, 5});
  CHECK(s.Erase(1));
  CHECK(!s.Erase(1));
  CHECK(From(s, 0) == std::vector<int64_t>{5});
  CHECK(s.Erase(5));
  CHECK(s.empty());
  CHECK(From(s, 0).empty());
}

TEST_CASE("id set: agrees with std::set across many blocks, in any order") {
  IdSet s;
  std::set<int64_t> want;
  // In order (the loader), then random inserts and erases that split and empty blocks.
  for (int64_t id = 1; id <= 3000; ++id) {
    s.Insert(id * 2);
    want.insert(id * 2);
  }
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    int64_t id = static_cast<int64_t>(rng() % 8000);
    if (rng() % 3 == 0) {
      CHECK(s.Erase(id) == (want.erase(id) == 1));
    } else {
      CHECK(s.Insert(id) == want.insert(id).second);
    }
  }
  REQUIRE(s.size() == want.size());
  CHECK(From(s, 0) == std::vector<int64_t>(want.begin(), want.end()));
  for (size_t offset : {size_t{0}, size_t{1}, size_t{511}, size_t{512}, size_t{2999}, want.size()}) {
    auto it = want.begin();
    std::advance(it, std::min(offset, want.size()));
    CHECK(From(s, offset) == std::vector<int64_t>(it, want.end()));
  }
  for (int64_t id = 0; id < 8000; ++id) CHECK(s.Contains(id) == (want.count(id) == 1));
}

TEST_CASE("id set: a walk stops when told") {
  IdSet s;
  for (int64_t id = 1; id <= 1000; ++id) s.Insert(id);
  std::vector<int64_t> seen;
  s.ForEachFrom(600, [&](int64_t id) {
    seen.push_back(id);
    return seen.size() < 3;
  });
  CHECK(seen == std::vector<int64_t>{601, 602, 603});
}
