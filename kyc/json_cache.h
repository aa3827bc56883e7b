// Rendered JSON of objects that are read far more often than they change (a profile with
// its steps and documents), kept until a change to the object invalidates it.
// Thread-safe; sharded so readers on different cores rarely meet on one lock.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kyc {

class JsonCache {
 public:
  explicit JsonCache(size_t capacity = 200'000) : per_shard_(capacity / kShards + 1) {}

  std::shared_ptr<const std::string> Get(int64_t id) const {
    const Shard& s = shards_[Index(id)];
    std::lock_guard lock(s.mu);
    auto it = s.map.find(id);
    return it == s.map.end() ? nullptr : it->second;
  }
  void Put(int64_t id, std::shared_ptr<const std::string> json) {
    Shard& s = shards_[Index(id)];
    std::lock_guard lock(s.mu);
    if (s.map.size() >= per_shard_) s.map.clear();  // bounded memory; a miss only re-renders
    s.map[id] = std::move(json);
  }
  void Invalidate(int64_t id) {
    Shard& s = shards_[Index(id)];
    std::lock_guard lock(s.mu);
    s.map.erase(id);
  }

 private:
  static constexpr size_t kShards = 64;
  struct alignas(64) Shard {
    mutable std::mutex mu;
    std::unordered_map<int64_t, std::shared_ptr<const std::string>> map;
  };
  static size_t Index(int64_t id) { return static_cast<size_t>(id) % kShards; }

  size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace kyc
