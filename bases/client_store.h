// The client record's tables in kyc.db (issue 13): records, transactions, lifetime and
// daily totals, tiers, compliance rules, duplicate alerts. They live in the KYC base so
// that a record, the profile it shares a key with and a duplicate alert change in one
// SQLite transaction on one writer. Loaded into memory at start, like every table.
#pragma once

#include <string_view>

#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "customers/clients.h"
#include "customers/duplicates.h"
#include "customers/limits.h"
#include "customers/transactions.h"

namespace kyc {

// Schema version 4 of kyc.db.
extern const std::string_view kClientSchema;

class ClientStore {
 public:
  // Prepares the write statements on the writer's connection `db`.
  [[nodiscard]] Status Prepare(Db& db);
  // Loads every table through `db` (the writer's connection, or a loader thread's own).
  [[nodiscard]] Status Load(Db& db);

  const ClientSet& clients() const { return clients_; }
  const TransactionSet& transactions() const { return transactions_; }
  const LifetimeTotalsSet& lifetime() const { return lifetime_; }
  const DailyTotalsSet& daily() const { return daily_; }
  const TierSet& tiers() const { return tiers_; }
  const RuleSet& rules() const { return rules_; }
  const AlertSet& alerts() const { return alerts_; }

  // Writer strand only: staged lookups, next ids and stage-and-write.
  ClientSet& staged_clients() { return clients_; }
  TransactionSet& staged_transactions() { return transactions_; }
  LifetimeTotalsSet& staged_lifetime() { return lifetime_; }
  DailyTotalsSet& staged_daily() { return daily_; }
  TierSet& staged_tiers() { return tiers_; }
  RuleSet& staged_rules() { return rules_; }
  AlertSet& staged_alerts() { return alerts_; }
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const ClientRecord> r);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Transaction> t);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const LifetimeTotals> t);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const DailyTotals> t);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Tier> t);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const ComplianceRule> r);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const DuplicateAlert> a);

 private:
  Status LoadClients(Db& db);
  Status LoadTransactions(Db& db);
  Status LoadTotals(Db& db);
  Status LoadSettings(Db& db);  // tiers, rules, alerts

  ClientSet clients_;
  TransactionSet transactions_;
  LifetimeTotalsSet lifetime_;
  DailyTotalsSet daily_;
  TierSet tiers_;
  RuleSet rules_;
  AlertSet alerts_;
  Stmt put_client_, put_transaction_, put_lifetime_, put_daily_, put_tier_, put_rule_, put_alert_;
};

}  // namespace kyc
