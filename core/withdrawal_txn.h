// The withdrawal workflow on the kyc writer strand (issue 16). Every check and the hold
// happen in one transaction on the one writer, so requests against one balance, however
// many arrive at once, never hold more than is available.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/client_txn.h"
#include "core/sessions.h"
#include "funds/channels.h"
#include "funds/withdrawals.h"

namespace kyc {

using WithdrawalPtr = std::shared_ptr<const Withdrawal>;

struct NewWithdrawal {
  int64_t customer_id = 0;
  std::string brand;
  std::string channel;
  Decimal amount;
  std::string currency;
  std::optional<Decimal> eur_amount;       // required unless the currency is EUR
  std::optional<int64_t> requested_by;     // the staff member asking (none: the client)
  std::optional<int64_t> bank_account_id;  // none: the newest verified one, when needed
};

class WithdrawalTxn {
 public:
  WithdrawalTxn(ClientTxn& client, const KycPolicy& policy) : client_(client), policy_(policy) {}

  // conflict with the reason when the state of things refuses it (account status, KYC,
  // an open AML case or duplicate alert, the available balance, a bank account the
  // channel requires); bad_request for the channel's currency or limits.
  Result<WithdrawalPtr> Request(const NewWithdrawal& w);
  // One finance approval; forbidden for the requester or a second approval by the same
  // person. Approved once the level's count of different people is reached.
  Result<WithdrawalPtr> Approve(int64_t id, int64_t approver);
  Result<WithdrawalPtr> Reject(int64_t id, const std::string& reason);
  // Approved → paid: the hold settles, the ledger is debited and the transaction
  // recorded, in this commit.
  Result<WithdrawalPtr> MarkPaid(int64_t id, const std::string& voucher);
  Result<WithdrawalPtr> Fail(int64_t id, const std::string& failure_code);

 private:
  Result<std::shared_ptr<Withdrawal>> Open(int64_t id);  // a copy of a withdrawal to change
  Status SetHold(const Withdrawal& w, HoldStatus status);
  // The verified bank account `w` pays to: the one it names, or the channel's need met by
  // the newest verified one (nullopt when neither is asked). conflict with the reason.
  Result<std::optional<int64_t>> PaysTo(const NewWithdrawal& w, const PaymentChannel& channel);
  // conflict when the bank account `w` pays to is no longer verified (rejected since).
  Status CheckPayee(const Withdrawal& w);
  Status Save(const WithdrawalPtr& before, std::shared_ptr<Withdrawal> after,
              std::string_view action, std::string_view reason);

  ClientTxn& client_;
  const KycPolicy& policy_;
};

}  // namespace kyc
