// The data set of kyc-bench: N customers, each with a profile of 3 steps and 2 documents,
// written straight into the bases of a data directory (the server must be stopped).
//
// Layout (so the load generator can address rows without asking):
//   customer c (1..N): profile id c, brand SeedBrand(c % kSeedBrands);
//   steps 3c-2 (level 1, approved), 3c-1 (level 2, approved or pending), 3c (level 3,
//   required, or approved for every fifth customer); documents 2c-1 and 2c on the first
//   two steps. Templates: proof_id, proof_address, source_of_funds per brand.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/status.h"

namespace kyc::bench {

inline constexpr int kSeedBrands = 4;
std::string SeedBrand(int i);
std::string SeedBrandOf(int64_t customer);
// Customers whose level-3 step is still required (the write mix uses those).
bool SeedHasRequiredStep(int64_t customer);
inline int64_t SeedRequiredStep(int64_t customer) { return 3 * customer; }

// The client record of customer c (with --records): a name made of syllables (about
// 30,000 last names, 900 first names), an e-mail and a passport number the search mix
// looks up, and one earlier deposit with its lifetime and daily totals.
std::string SeedFirstName(int64_t customer);
std::string SeedLastName(int64_t customer);
std::string SeedEmail(int64_t customer);
std::string SeedPassport(int64_t customer);

struct SeedOptions {
  std::string data_dir = "./data";
  int64_t profiles = 10000;
  int64_t batch = 20000;  // profiles per transaction
  bool records = false;   // also a client record per customer (the customers mixes)
  // Transactions per record: 1 is one deposit at the seed time; more spread deposits and
  // withdrawals over the twelve months before 2026-10-01 and give the record the KYC
  // answers the AML flags read (bench/aml.sh).
  int64_t transactions = 1;
  bool progress = true;
};

Status SeedDirect(const SeedOptions& options);

}  // namespace kyc::bench
