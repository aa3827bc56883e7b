// A latency histogram with log-linear buckets (about 1% resolution from 1 µs to
// minutes), cheap enough to record every request of a load run.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace kyc::bench {

class Histogram {
 public:
  Histogram() : counts_(kBuckets, 0) {}

  void Record(uint64_t micros) {
    ++counts_[Bucket(micros)];
    ++total_;
    max_ = std::max(max_, micros);
  }
  void Merge(const Histogram& o) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
    total_ += o.total_;
    max_ = std::max(max_, o.max_);
  }
  uint64_t count() const { return total_; }
  uint64_t max() const { return max_; }

  // The value below which `q` (0..1) of the recordings fall, in microseconds.
  uint64_t Percentile(double q) const {
    if (total_ == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(Upper(i), max_);
    }
    return max_;
  }

 private:
  // 64 sub-buckets per power of two.
  static constexpr int kSub = 64;
  static constexpr size_t kBuckets = 64 * kSub;

  static size_t Bucket(uint64_t v) {
    if (v < kSub) return static_cast<size_t>(v);
    int msb = 63 - __builtin_clzll(v);             // v in [2^msb, 2^(msb+1))
    int shift = msb - 6;                            // keep 6 bits below the top bit
    uint64_t sub = (v >> shift) - kSub;             // 0..63
    return static_cast<size_t>((msb - 5) * kSub + sub);
  }
  static uint64_t Upper(size_t b) {
    if (b < kSub) return b;
    int msb = static_cast<int>(b / kSub) + 5;
    uint64_t sub = b % kSub;
    int shift = msb - 6;
    return ((kSub + sub + 1) << shift) - 1;
  }

  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
  uint64_t max_ = 0;
};

}  // namespace kyc::bench
