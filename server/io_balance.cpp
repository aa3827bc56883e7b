#include "server/io_balance.h"

#include <charconv>

namespace kyc {

bool OverflowPolicy::OnSample(const IoLoad& load) {
  const bool argues_for_change =
      overflowing_ ? load.all_busy <= kFitsInOne
                   : load.first_busy >= kSaturated && load.idle_cores >= kSpareCores;
  streak_ = argues_for_change ? streak_ + 1 : 0;
  if (streak_ >= (overflowing_ ? kSamplesToGather : kSamplesToSpread)) {
    overflowing_ = !overflowing_;
    streak_ = 0;
  }
  return overflowing_;
}

std::optional<uint64_t> IdleTicks(std::string_view proc_stat) {
  // "cpu  user nice system idle iowait irq softirq steal ..."
  constexpr std::string_view kPrefix = "cpu ";
  if (proc_stat.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const char* p = proc_stat.data() + kPrefix.size();
  const char* end = proc_stat.data() + proc_stat.size();
  uint64_t fields[5] = {};
  for (uint64_t& f : fields) {
    while (p < end && *p == ' ') ++p;
    auto [next, ec] = std::from_chars(p, end, f);
    if (ec != std::errc()) return std::nullopt;
    p = next;
  }
  return fields[3] + fields[4];
}

}  // namespace kyc
