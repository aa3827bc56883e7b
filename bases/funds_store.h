// The fund workflows' tables in kyc.db (issue 16): payment channels, the ledger and the
// holds beside it. In the KYC base so that a ledger entry commits with the transaction
// (totals, rules, AML real-time flags) and the deposit or withdrawal it records.
#pragma once

#include <string_view>

#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "funds/bank_accounts.h"
#include "funds/channels.h"
#include "funds/deposits.h"
#include "funds/ledger.h"
#include "funds/reconciliation.h"
#include "funds/withdrawals.h"

namespace kyc {

// Schema version 7 of kyc.db.
extern const std::string_view kFundsSchema;
// Schema version 8: bank accounts (with the record's summary), reconciliations, the bank
// account a withdrawal pays to.
extern const std::string_view kBankingSchema;

class FundsStore {
 public:
  [[nodiscard]] Status Prepare(Db& db);
  [[nodiscard]] Status Load(Db& db);

  const ChannelSet& channels() const { return channels_; }
  const LedgerSet& ledger() const { return ledger_; }
  const HoldSet& holds() const { return holds_; }
  const DepositSet& deposits() const { return deposits_; }
  const WithdrawalSet& withdrawals() const { return withdrawals_; }
  const BankAccountSet& bank_accounts() const { return bank_accounts_; }
  const ReconciliationSet& reconciliations() const { return reconciliations_; }

  // Writer strand only.
  ChannelSet& staged_channels() { return channels_; }
  LedgerSet& staged_ledger() { return ledger_; }
  HoldSet& staged_holds() { return holds_; }
  DepositSet& staged_deposits() { return deposits_; }
  PspEventSet& staged_psp_events() { return psp_events_; }
  WithdrawalSet& staged_withdrawals() { return withdrawals_; }
  BankAccountSet& staged_bank_accounts() { return bank_accounts_; }
  ReconciliationSet& staged_reconciliations() { return reconciliations_; }
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const PaymentChannel> c);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const LedgerEntry> e);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Hold> h);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Deposit> d);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const PspEvent> e);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Withdrawal> w);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const BankAccount> a);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Reconciliation> r);

 private:
  ChannelSet channels_;
  LedgerSet ledger_;
  HoldSet holds_;
  DepositSet deposits_;
  PspEventSet psp_events_;
  WithdrawalSet withdrawals_;
  BankAccountSet bank_accounts_;
  ReconciliationSet reconciliations_;
  Stmt put_channel_, put_entry_, put_hold_, put_deposit_, put_psp_event_, put_withdrawal_,
      put_bank_account_, put_reconciliation_;
};

}  // namespace kyc
