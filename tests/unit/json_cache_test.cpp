#include <doctest/doctest.h>

#include "kyc/json_cache.h"

using kyc::JsonCache;

TEST_CASE("json cache: put, get, invalidate") {
  JsonCache cache;
  CHECK(cache.Get(7) == nullptr);
  cache.Put(7, std::make_shared<const std::string>("{\"id\":7}"));
  REQUIRE(cache.Get(7) != nullptr);
  CHECK(*cache.Get(7) == "{\"id\":7}");
  CHECK(cache.Get(8) == nullptr);
  cache.Invalidate(7);
  CHECK(cache.Get(7) == nullptr);
}

TEST_CASE("json cache: memory stays bounded; a dropped entry is only a miss") {
  JsonCache cache(/*capacity=*/0);  // one entry per shard
  cache.Put(1, std::make_shared<const std::string>("a"));
  cache.Put(65, std::make_shared<const std::string>("b"));  // same shard as 1: evicts it
  CHECK(cache.Get(1) == nullptr);
  REQUIRE(cache.Get(65) != nullptr);
  CHECK(*cache.Get(65) == "b");
}
