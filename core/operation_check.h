// MngCheckKycOperation and MngAddTransaction weigh an operation on the same inputs: the
// client record, the KYC profile and its steps, the policy, the brand's tiers and
// compliance rules, and the customer's totals. These gather them (from committed memory
// for a read, as the batch sees them for a write) and call the pure WeighOperation.
#pragma once

#include <optional>
#include <string>

#include "core/kyc_txn.h"
#include "customers/limits.h"
#include "kyc/policy.h"

namespace kyc {

struct OperationCheck {
  OperationVerdict verdict;
  int64_t level = 0;
  ProfileStatus status = ProfileStatus::kNone;
  bool has_record = false;
  AccountState account;  // the account status weighed (issue 15)
};

// Any thread: committed memory, read at one commit (the KYC snapshot lock).
OperationCheck CheckOperationNow(KycBase& kyc, const KycPolicy& policy,
                                 const AccountOptions& accounts, int64_t customer_id,
                                 const std::string& brand, std::string_view operation,
                                 std::optional<Decimal> amount, int64_t now);

// Writer strand: as the batch sees it; `day` is the UTC day the operation counts on.
OperationCheck CheckOperationStaged(KycTxn& txn, const KycPolicy& policy, int64_t customer_id,
                                    const std::string& brand, std::string_view operation,
                                    std::optional<Decimal> amount, int64_t day);

}  // namespace kyc
