// The KYC fields of each customer record (status, level, risk level) mirror its profile.
//
// They are derived data: Core::ReconcileCustomers recomputes every one of them at
// start-up, so the mirror never needs a commit of its own to be safe. Updates wait up to
// `delay` and then go to the customers base together, the newest per customer, in one
// write. A busy KYC writer so no longer drives a second base's fsync per change (that
// second commit stream cost the KYC writer about a tenth of its throughput).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bases/customers_base.h"
#include "kyc/profiles.h"

namespace kyc {

class CustomerMirror {
 public:
  static constexpr std::chrono::milliseconds kDefaultDelay{10};

  CustomerMirror(CustomersBase& customers, boost::asio::any_io_executor executor,
                 std::chrono::milliseconds delay = kDefaultDelay);
  // Updates still waiting are dropped: the next start-up reconciles them.
  ~CustomerMirror();
  CustomerMirror(const CustomerMirror&) = delete;
  CustomerMirror& operator=(const CustomerMirror&) = delete;

  // Any thread: queues the aggregate of `p` as of `now`.
  void Update(const Profile& p, int64_t now);

 private:
  struct Aggregate {
    ProfileStatus status;
    int64_t level;
    RiskLevel risk;
    int64_t at;
  };
  using Key = std::pair<int64_t, std::string>;  // customer id, brand
  // Shared with the timer's handler, which may run after the mirror is gone.
  struct State {
    std::mutex mu;
    std::map<Key, Aggregate> pending;
    bool scheduled = false;
    bool closed = false;
  };

  void Flush();

  CustomersBase& customers_;
  std::chrono::milliseconds delay_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
  boost::asio::steady_timer timer_;  // guarded by state_->mu
};

}  // namespace kyc
