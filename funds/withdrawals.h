// Withdrawals (issue 16, the seed's withdrawal process): asked for by the client or staff,
// held against the available balance at once, approved at the level its amount, the
// customer's risk and the channel give (0: at once, 1: one finance approver, 2: two
// different ones), paid with a voucher (the ledger debited, the transaction recorded) or
// rejected / failed (the hold released).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "funds/filter.h"
#include "money/decimal.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

enum class WithdrawalStatus : uint8_t {
  kPendingApproval = 0, kApproved = 1, kRejected = 2, kPaid = 3, kFailed = 4,
};
inline constexpr std::array<std::string_view, 5> kWithdrawalStatusNames{
    "pending_approval", "approved", "rejected", "paid", "failed"};
inline std::string_view Name(WithdrawalStatus s) { return kWithdrawalStatusNames[size_t(s)]; }
std::optional<WithdrawalStatus> ParseWithdrawalStatus(std::string_view name);

struct Withdrawal {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string brand;
  std::string channel;
  std::string currency;
  Decimal amount;
  Decimal eur_amount;
  WithdrawalStatus status = WithdrawalStatus::kPendingApproval;
  int approval_level = 2;
  std::vector<int64_t> approvers;        // manager ids, in order
  std::optional<int64_t> requested_by;   // the staff member who asked (none: the client)
  int64_t hold_id = 0;
  std::string voucher;
  std::string failure_code;
  std::string note;  // a rejection's reason, a failure's
  std::optional<int64_t> transaction_id;
  std::optional<int64_t> bank_account_id;  // the verified account it pays to
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
void WriteWithdrawal(JsonOut& o, const Withdrawal& w);
std::string WithdrawalJson(const Withdrawal& w);
// Approvers as stored ("3,7") and back.
std::string JoinIds(const std::vector<int64_t>& ids);
std::vector<int64_t> SplitIds(std::string_view text);

using WithdrawalFilter = MoneyFilter<WithdrawalStatus>;

class WithdrawalSet : public StagedTable<Withdrawal> {
 public:
  RowPage<Withdrawal> List(const WithdrawalFilter& f) const;  // any thread, newest first
};

}  // namespace kyc
