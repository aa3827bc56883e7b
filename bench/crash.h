// Crash-safety checking for bench/crash.sh: a writer that streams acknowledged KYC
// changes and logs each one only after its acknowledgement, and a checker that opens the
// bases after a kill -9 and restart and verifies every logged change is there and no
// change is half there.
#pragma once

#include <string>

#include "protocol/status.h"

namespace kyc::bench {

struct CrashWriterOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7400;
  std::string login = "admin";
  std::string password;
  int connections = 4;
  // The HTTP port for the provider's callbacks; 0: no fund workflow.
  uint16_t http_port = 0;
  // appended: "require <customer> <step>", "approve <step>", "customer <customer>",
  // "tx <customer> <external_id> <eur>", and with http_port "deposit <customer> <id>",
  // "credit <customer> <deposit> <eur>", "hold <customer> <withdrawal> <eur>",
  // "paid <customer> <withdrawal>"
  std::string log;
  int64_t first_customer = 1;
};

// Runs until the server goes away; returns the number of acknowledged changes logged.
Result<int64_t> RunCrashWriter(const CrashWriterOptions& options);

struct CrashCheck {
  int64_t logged = 0;        // acknowledged changes in the log
  int64_t steps = 0;         // steps checked for whole changes
  int64_t profiles = 0;      // profiles whose status/level were recomputed and compared
  int64_t transactions = 0;  // acknowledged transactions found
  int64_t totals = 0;        // client records whose totals equal their transactions' sums
  int64_t money = 0;         // acknowledged deposits, credits, holds and payouts found
  int64_t balances = 0;      // balances equal to the sum of what their ledger records
};

// Opens the bases of `data_dir` (server stopped). not_found / conflict describe the
// first acknowledged change that is missing or half there.
Result<CrashCheck> CheckCrash(const std::string& data_dir, const std::string& log);

}  // namespace kyc::bench
