// The load generator of kyc-bench: N TCP connections, each keeping up to `pipeline`
// requests in flight, for a duration or a request count, with one of three mixes.
#pragma once

#include <cstdint>
#include <string>

#include "bench/histogram.h"
#include "protocol/status.h"

namespace kyc::bench {

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7400;
  std::string login = "admin";
  std::string password;
  int connections = 50;
  int pipeline = 1;
  double seconds = 10;       // run length, unless `requests` is set
  uint64_t requests = 0;     // stop after this many measured requests (0: use seconds)
  // read:  MngGetKycProfile of a random seeded profile
  // list:  MngGetKycProfiles page of 100 filtered by brand and status
  // write: KycSubmitStep of a required step as its customer, then MngApproveKycStep
  // search: MngGetCustomers, limit 20: a last-name prefix (4 letters) half the time, a
  //         passport number or an e-mail a quarter each (needs `seed --records`)
  // tx:     MngAddTransaction, a deposit of a random seeded customer (durable)
  // level:  MngSetKycRequiredLevel raising a customer's required level by one (durable;
  //         the reference write for tx)
  std::string mix = "read";
  bool progress = true;      // a progress line on stderr every second
  int64_t first_customer = 1;  // write mix: customers from here on (each is used once)
  // level mix: the first level this run sets. The server only ever raises a required
  // level, so a later run on the same data must start above what earlier runs set, or its
  // writes change nothing (and cost nothing).
  int64_t level_base = 4;
};

struct LoadReport {
  uint64_t ok = 0;
  uint64_t errors = 0;
  double seconds = 0;
  Histogram latency;         // microseconds per measured request
  double Throughput() const { return seconds > 0 ? double(ok) / seconds : 0; }
};

Result<LoadReport> RunLoad(const LoadOptions& options);

}  // namespace kyc::bench
