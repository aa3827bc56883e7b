#include "kyc/json_cache.h"

#include <unordered_set>

namespace kyc {

JsonCache::JsonCache(size_t max_bytes)
    : per_stripe_(max_bytes / kStripes), chunks_(new std::atomic<Chunk*>[kChunks]) {
  for (size_t i = 0; i < kChunks; ++i) chunks_[i].store(nullptr, std::memory_order_relaxed);
}

JsonCache::~JsonCache() {
  for (size_t i = 0; i < kChunks; ++i) delete chunks_[i].load(std::memory_order_relaxed);
}

const JsonCache::Json* JsonCache::Slot(int64_t id) const {
  if (id < 1 || id > kMaxId) return nullptr;
  auto u = static_cast<uint64_t>(id);
  Chunk* c = chunks_[u >> kChunkBits].load(std::memory_order_acquire);
  return c ? &c->slots[u & (kChunkSlots - 1)] : nullptr;
}

JsonCache::Json* JsonCache::Slot(int64_t id, bool make) {
  if (auto* slot = static_cast<const JsonCache*>(this)->Slot(id)) return const_cast<Json*>(slot);
  if (!make || id < 1 || id > kMaxId) return nullptr;
  auto u = static_cast<uint64_t>(id);
  std::lock_guard lock(grow_mu_);
  auto& cell = chunks_[u >> kChunkBits];
  Chunk* c = cell.load(std::memory_order_acquire);
  if (!c) {
    c = new Chunk();
    cell.store(c, std::memory_order_release);
  }
  return &c->slots[u & (kChunkSlots - 1)];
}

JsonCache::Json JsonCache::Get(int64_t id) const {
  const Json* slot = Slot(id);
  if (!slot) return nullptr;
  const Stripe& s = stripes_[StripeOf(id)];
  std::lock_guard lock(s.mu);
  return *slot;
}

void JsonCache::Drop(Stripe& s, Json& slot) {
  if (!slot) return;
  s.bytes -= Cost(*slot);
  --s.live;
  slot.reset();
}

void JsonCache::Put(int64_t id, Json json) {
  if (!json || per_stripe_ == 0) return;
  Json* slot = Slot(id, /*make=*/true);
  if (!slot) return;
  size_t cost = Cost(*json);
  Stripe& s = stripes_[StripeOf(id)];
  Json old;  // released after the lock
  std::lock_guard lock(s.mu);
  if (*slot) {
    s.bytes -= Cost(**slot);
    old = std::move(*slot);
  } else {
    ++s.live;
    s.order.push_back(id);
  }
  *slot = std::move(json);
  s.bytes += cost;
  while (s.bytes > per_stripe_ && !s.order.empty()) {
    int64_t victim = s.order.front();
    s.order.pop_front();
    Drop(s, *Slot(victim, false));
  }
  // Invalidated ids stay in `order` until they reach its front; keep it from growing
  // without bound when entries are dropped and put again faster than they are evicted.
  if (s.order.size() > 2 * s.live + 1024) Compact(s);
}

void JsonCache::Compact(Stripe& s) {
  std::deque<int64_t> kept;
  std::unordered_set<int64_t> seen;
  for (int64_t id : s.order) {
    const Json* slot = Slot(id);
    if (slot && *slot && seen.insert(id).second) kept.push_back(id);
  }
  s.order.swap(kept);
}

void JsonCache::Invalidate(int64_t id) {
  Json* slot = Slot(id, false);
  if (!slot) return;
  Stripe& s = stripes_[StripeOf(id)];
  Json old;
  std::lock_guard lock(s.mu);
  old = std::move(*slot);
  if (old) {
    s.bytes -= Cost(*old);
    --s.live;
  }
}

size_t JsonCache::bytes() const {
  size_t total = 0;
  for (const Stripe& s : stripes_) {
    std::lock_guard lock(s.mu);
    total += s.bytes;
  }
  return total;
}

}  // namespace kyc
