// Rendered JSON of objects that are read far more often than they change (a profile with
// its steps and documents), kept until a change to the object invalidates it.
//
// Ids are dense (the bases hand them out in order), so entries live in an array indexed by
// id rather than a hash map: a read costs one slot look-up, not a walk through buckets
// and nodes that each miss the CPU cache once the set outgrows it. Thread-safe; slots are
// guarded by striped locks so readers on different cores rarely meet.
//
// Bounded by bytes: when a stripe is over its share, its oldest entries leave first.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace kyc {

class JsonCache {
 public:
  using Json = std::shared_ptr<const std::string>;
  static constexpr size_t kDefaultBytes = size_t{512} << 20;

  explicit JsonCache(size_t max_bytes = kDefaultBytes);
  ~JsonCache();
  JsonCache(const JsonCache&) = delete;
  JsonCache& operator=(const JsonCache&) = delete;

  // Before use only (not thread-safe).
  void set_max_bytes(size_t max_bytes) { per_stripe_ = max_bytes / kStripes; }

  // Any thread. nullptr when not cached.
  Json Get(int64_t id) const;
  // Any thread. Ids outside [1, kMaxId] are not cached.
  void Put(int64_t id, Json json);
  void Invalidate(int64_t id);
  size_t bytes() const;

  static constexpr int64_t kMaxId = (int64_t{1} << 32) - 1;

 private:
  static constexpr size_t kChunkBits = 16;  // 65,536 slots (1 MiB) per chunk
  static constexpr size_t kChunkSlots = size_t{1} << kChunkBits;
  static constexpr size_t kChunks = size_t{1} << (32 - kChunkBits);
  static constexpr size_t kStripes = 64;

  struct Chunk {
    std::array<Json, kChunkSlots> slots;
  };
  struct alignas(64) Stripe {
    mutable std::mutex mu;
    size_t bytes = 0;
    size_t live = 0;
    std::deque<int64_t> order;  // ids in the order they were put; may hold stale ids
  };

  static size_t StripeOf(int64_t id) { return static_cast<size_t>(id) % kStripes; }
  // The string plus the shared_ptr control block and bookkeeping around it, roughly.
  static size_t Cost(const std::string& json) { return json.capacity() + 64; }
  // The slot of `id`, or nullptr when its chunk was never made (and `make` is false).
  Json* Slot(int64_t id, bool make);
  const Json* Slot(int64_t id) const;
  void Drop(Stripe& s, Json& slot);
  void Compact(Stripe& s);

  size_t per_stripe_;
  std::unique_ptr<std::atomic<Chunk*>[]> chunks_;
  std::mutex grow_mu_;
  std::array<Stripe, kStripes> stripes_;
};

}  // namespace kyc
