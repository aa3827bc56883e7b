// The fund workflows' tables in kyc.db (issue 16): payment channels, the ledger and the
// holds beside it. In the KYC base so that a ledger entry commits with the transaction
// (totals, rules, AML real-time flags) and the deposit or withdrawal it records.
#pragma once

#include <string_view>

#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "funds/channels.h"
#include "funds/ledger.h"

namespace kyc {

// Schema version 7 of kyc.db.
extern const std::string_view kFundsSchema;

class FundsStore {
 public:
  [[nodiscard]] Status Prepare(Db& db);
  [[nodiscard]] Status Load(Db& db);

  const ChannelSet& channels() const { return channels_; }
  const LedgerSet& ledger() const { return ledger_; }
  const HoldSet& holds() const { return holds_; }

  // Writer strand only.
  ChannelSet& staged_channels() { return channels_; }
  LedgerSet& staged_ledger() { return ledger_; }
  HoldSet& staged_holds() { return holds_; }
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const PaymentChannel> c);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const LedgerEntry> e);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Hold> h);

 private:
  ChannelSet channels_;
  LedgerSet ledger_;
  HoldSet holds_;
  Stmt put_channel_, put_entry_, put_hold_;
};

}  // namespace kyc
