// The customer mirror: KYC aggregates reach the customers base shortly after the change,
// the newest per customer, many updates in one transaction.
#include <chrono>
#include <thread>

#include <boost/asio/thread_pool.hpp>
#include <doctest/doctest.h>

#include "bases/customers_base.h"
#include "core/customer_mirror.h"

namespace kyc {
namespace {

Profile MakeProfile(int64_t customer_id, ProfileStatus status, int64_t level) {
  Profile p;
  p.customer_id = customer_id;
  p.brand = "acme";
  p.status = status;
  p.level = level;
  return p;
}

// Waits for an event; the deadline only keeps a broken build from hanging.
template <typename F>
bool Eventually(F done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

TEST_CASE("updates arrive together, the newest per customer") {
  boost::asio::thread_pool pool(1);
  auto base = CustomersBase::Open(":memory:", pool.get_executor(), BaseOptions{});
  REQUIRE_MESSAGE(base.ok(), base.status().message());
  {
    // A long delay: every update below is queued before the first flush.
    CustomerMirror mirror(**base, pool.get_executor(), std::chrono::milliseconds(200));
    mirror.Update(MakeProfile(1, ProfileStatus::kPending, 0), 100);
    mirror.Update(MakeProfile(2, ProfileStatus::kPending, 0), 100);
    mirror.Update(MakeProfile(1, ProfileStatus::kApproved, 2), 101);  // replaces the first
    CHECK(Eventually([&] { return (*base)->customers().Find(2, "acme") != nullptr; }));
    auto one = (*base)->customers().Find(1, "acme");
    REQUIRE(one);
    CHECK(one->kyc_status == ProfileStatus::kApproved);
    CHECK(one->kyc_level == 2);
    // The writer counts a batch after it has published the rows: wait for the count too.
    const auto& stats = (*base)->writer().stats();
    CHECK(Eventually([&] { return stats.transactions.load() >= 1 && stats.writes.load() >= 1; }));
    CHECK(stats.transactions.load() == 1);
    CHECK(stats.writes.load() == 1);
  }
  pool.join();
}

TEST_CASE("a mirror destroyed before its flush drops what waits and touches nothing") {
  boost::asio::thread_pool pool(1);
  auto base = CustomersBase::Open(":memory:", pool.get_executor(), BaseOptions{});
  REQUIRE(base.ok());
  {
    CustomerMirror mirror(**base, pool.get_executor(), std::chrono::hours(1));
    mirror.Update(MakeProfile(3, ProfileStatus::kPending, 0), 100);
  }
  pool.join();  // the cancelled timer's handler has run by now
  CHECK((*base)->customers().Find(3, "acme") == nullptr);
  CHECK((*base)->writer().stats().transactions.load() == 0);
}

}  // namespace
}  // namespace kyc
