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

TEST_CASE("json cache: memory stays bounded, a dropped entry is only a miss") {
  JsonCache cache(/*max_bytes=*/64 * 100);  // 100 bytes per stripe: room for one entry
  cache.Put(1, std::make_shared<const std::string>("a"));
  cache.Put(65, std::make_shared<const std::string>("b"));  // same shard as 1: evicts it
  CHECK(cache.Get(1) == nullptr);
  REQUIRE(cache.Get(65) != nullptr);
  CHECK(*cache.Get(65) == "b");
}

TEST_CASE("json cache: a full shard evicts one entry, not the whole shard") {
  JsonCache cache(/*max_bytes=*/64 * 1000);  // ~1000 bytes per shard
  std::string doc(200, 'x');                // ~300 bytes each with overhead: 3 fit
  for (int64_t id : {1, 65, 129, 193}) cache.Put(id, std::make_shared<const std::string>(doc));
  int kept = 0;
  for (int64_t id : {1, 65, 129, 193}) kept += cache.Get(id) != nullptr;
  CHECK(kept == 3);
  CHECK(cache.Get(193) != nullptr);  // the newest entry is never the victim
  CHECK(cache.bytes() <= 1000);
}

TEST_CASE("json cache: replacing and invalidating keep the byte count true") {
  JsonCache cache;
  cache.Put(3, std::make_shared<const std::string>(std::string(1000, 'a')));
  size_t one = cache.bytes();
  CHECK(one >= 1000);
  cache.Put(3, std::make_shared<const std::string>(std::string(1000, 'b')));
  CHECK(cache.bytes() == one);
  cache.Invalidate(3);
  CHECK(cache.bytes() == 0);
}

TEST_CASE("json cache: a budget of zero keeps nothing") {
  JsonCache cache(0);
  cache.Put(1, std::make_shared<const std::string>("x"));
  CHECK(cache.Get(1) == nullptr);
  CHECK(cache.bytes() == 0);
}

TEST_CASE("json cache: ids outside 1..kMaxId are never cached") {
  JsonCache cache;
  for (int64_t id : {int64_t{0}, int64_t{-5}, JsonCache::kMaxId + 1}) {
    cache.Put(id, std::make_shared<const std::string>("x"));
    CHECK(cache.Get(id) == nullptr);
    cache.Invalidate(id);
  }
  cache.Put(JsonCache::kMaxId, std::make_shared<const std::string>("top"));
  REQUIRE(cache.Get(JsonCache::kMaxId) != nullptr);
  CHECK(*cache.Get(JsonCache::kMaxId) == "top");
  CHECK(cache.bytes() > 0);
}

TEST_CASE("json cache: put and invalidate in a loop keeps memory and answers right") {
  JsonCache cache(64 * 10'000);
  for (int round = 0; round < 5000; ++round) {
    cache.Put(7, std::make_shared<const std::string>(std::to_string(round)));
    if (round % 2 == 0) cache.Invalidate(7);
  }
  REQUIRE(cache.Get(7) != nullptr);
  CHECK(*cache.Get(7) == "4999");
  cache.Put(71, std::make_shared<const std::string>("other"));  // same stripe as 7
  CHECK(*cache.Get(71) == "other");
  CHECK(*cache.Get(7) == "4999");
}
