// Counters for GET /metrics (issue 18), in Prometheus' text format.
//
// The hot path takes no lock and shares no cache line: each thread that answers requests
// (an I/O thread) counts into a shard of its own, found through a thread_local pointer and
// updated with relaxed loads and stores that only that thread makes. A scrape sums every
// shard. Gauges that already live elsewhere (connections, queue depths, cache sizes) are
// read at scrape time through functions registered once at start.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace kyc {

enum class Transport : uint8_t { kTcp = 0, kHttp = 1 };
inline constexpr size_t kTransports = 2;

// Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
inline constexpr std::array<double, 14> kLatencyBounds{
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
    0.025,  0.05,    0.1,    0.25,  0.5,    1,     5};

inline constexpr std::array<double, 8> kAmlRunSecondsBounds{0.1, 0.5, 1, 5, 10, 30, 60, 300};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request of command row `command` (IndexOf), on the calling thread.
  void Request(Transport t, size_t command, bool error, int64_t nanos) {
    Shard::Cell& c = Mine().cells[size_t(t)][command];
    Bump(c.requests);
    if (error) Bump(c.errors);
    Bump(c.buckets[BucketOf(nanos)]);
    c.nanos.store(c.nanos.load(std::memory_order_relaxed) + uint64_t(nanos),
                  std::memory_order_relaxed);
  }
  // Requests taken / answered (the in-flight gauge), on the calling thread.
  void Started() { Add(Mine().in_flight, 1); }
  void Finished() { Add(Mine().in_flight, -1); }

  // Rare events, any thread.
  void LoginFailed() { login_failures_.fetch_add(1, std::memory_order_relaxed); }

  // A gauge read at scrape time: `name{labels} value()`. Register at start, before any
  // scrape; `labels` is "" or `key="value",…`.
  void AddGauge(std::string name, std::string help, std::string labels,
                std::function<double()> value);
  // Text added at scrape time (histograms kept elsewhere, e.g. per base).
  void AddSection(std::function<void(std::string&)> render);

  // The whole scrape.
  std::string Render() const;

 private:
  struct Shard {
    struct Cell {
      std::atomic<uint64_t> requests{0}, errors{0}, nanos{0};
      std::array<std::atomic<uint64_t>, kLatencyBounds.size() + 1> buckets{};
    };
    std::array<std::unique_ptr<Cell[]>, kTransports> cells;  // one per command row
    std::atomic<int64_t> in_flight{0};
  };
  struct Gauge {
    std::string name, help, labels;
    std::function<double()> value;
  };

  static void Bump(std::atomic<uint64_t>& a) {
    a.store(a.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  static void Add(std::atomic<int64_t>& a, int64_t d) {
    a.store(a.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
  }
  static size_t BucketOf(int64_t nanos);
  Shard& Mine() {
    // One Metrics per process in the server; tests make several, so the cache names its
    // owner by a number never reused (an address may be).
    thread_local uint64_t owner = 0;
    thread_local Shard* shard = nullptr;
    if (owner != id_) {
      shard = NewShard();
      owner = id_;
    }
    return *shard;
  }
  Shard* NewShard();

  const uint64_t id_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Shard>> shards_;  // guarded by mu_; never shrinks
  std::vector<Gauge> gauges_;                   // guarded by mu_
  std::vector<std::function<void(std::string&)>> sections_;
  std::atomic<uint64_t> login_failures_{0};
};

// Helpers for sections: one histogram in the text format.
void RenderHistogram(std::string& out, std::string_view name, std::string_view labels,
                     std::span<const double> bounds, std::span<const uint64_t> counts,
                     double sum);

}  // namespace kyc
