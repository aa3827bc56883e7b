// The filter of a list of deposits or withdrawals (MngGetDeposits, MngGetWithdrawals and
// the client's own lists): one shape for both, with their own status type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kyc {

template <typename StatusT>
struct MoneyFilter {
  std::optional<std::string> brand, channel;
  std::optional<StatusT> status;
  std::optional<int64_t> customer_id, from, to;  // created_at, inclusive
  int64_t offset = 0;
  int64_t limit = 100;

  template <typename Row>
  bool Matches(const Row& r) const {
    return (!brand || r.brand == *brand) && (!channel || r.channel == *channel) &&
           (!status || r.status == *status) && (!customer_id || r.customer_id == *customer_id) &&
           (!from || r.created_at >= *from) && (!to || r.created_at <= *to);
  }
};

}  // namespace kyc
