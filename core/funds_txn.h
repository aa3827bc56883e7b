// The deposit workflow on the kyc writer strand (issue 16): a deposit asked for, the
// provider's callbacks applied once each, a success credited to the ledger together with
// its transaction (totals, rules, AML real-time flags) in one commit, finance's review.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/client_txn.h"
#include "funds/channels.h"
#include "funds/deposits.h"

namespace kyc {

using DepositPtr = std::shared_ptr<const Deposit>;

struct NewDeposit {
  int64_t customer_id = 0;
  std::string brand;
  std::string channel;
  Decimal amount;
  std::string currency;
  std::optional<Decimal> eur_amount;  // required unless the currency is EUR
};

struct PspCallback {
  int64_t deposit_id = 0;
  std::string psp_order_id;
  std::string status;  // pending | succeeded | failed
  Decimal amount;
  std::string currency;
  std::string payer_name;
  std::string failure_code;
};

// Books money moved for a customer, as deposits and paid withdrawals do: the transaction
// (totals, rules, AML real-time flags; external id `ref`, e.g. "deposit:12") and its
// ledger entry (+amount for a deposit, −amount for a withdrawal), in the caller's batch.
// conflict with the reason when the transaction is refused, or when `ref` is already
// another transaction's (nothing is written then). Returns the transaction's id.
Result<int64_t> BookMoney(ClientTxn& client, const KycPolicy& policy, int64_t customer_id,
                          const std::string& brand, TxType type, const Decimal& amount,
                          const std::string& currency, const Decimal& eur_amount,
                          const std::string& ref);

// The available amount of a currency for (customer_id, brand) as this batch sees it:
// earlier holds and entries of the same batch count. Writer strand.
Decimal StagedAvailable(FundsStore& funds, int64_t customer_id, const std::string& brand,
                        const std::string& currency);

class FundsTxn {
 public:
  FundsTxn(ClientTxn& client, const KycPolicy& policy) : client_(client), policy_(policy) {}

  // Refused (conflict, with the reason) when the channel, the currency, the limits, the
  // account status or the KYC check does not allow it; bad_request for a bad amount.
  Result<DepositPtr> RequestDeposit(const NewDeposit& d);

  // Applies one callback of `channel`. A repeat of (channel, psp_order_id, status) changes
  // nothing and answers the deposit as it is (`repeat` set).
  struct Applied {
    DepositPtr deposit;
    bool repeat = false;
  };
  Result<Applied> ApplyCallback(const PaymentChannel& channel, const PspCallback& cb);

  // Finance: a deposit in review credited (its transaction recorded), or failed.
  // `eur_amount`: what the paid amount weighs in EUR, needed when it differs from the
  // amount asked in another currency.
  Result<DepositPtr> ConfirmDeposit(int64_t id, const std::string& comment,
                                    std::optional<Decimal> eur_amount);
  Result<DepositPtr> FailDeposit(int64_t id, const std::string& failure_code,
                                 const std::string& reason);

  // MngAdjustBalance (always with a second person's approval): a correction entry (kind
  // "adjustment", signed) with its reason in the audit row. conflict without a client
  // record, on a closed account, or when it would leave less than nothing available.
  Result<std::shared_ptr<const LedgerEntry>> AdjustBalance(int64_t customer_id,
                                                           const std::string& brand,
                                                           const std::string& currency,
                                                           const Decimal& amount,
                                                           const std::string& reason);

 private:
  // Credits `d` (paid amount, ledger entry, transaction): `d` gets its transaction id.
  Status Credit(Deposit& d);
  Status Save(const DepositPtr& before, std::shared_ptr<Deposit> after, std::string_view action,
              std::string_view reason);

  ClientTxn& client_;
  const KycPolicy& policy_;
};

}  // namespace kyc
