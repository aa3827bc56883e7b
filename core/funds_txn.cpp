#include "core/funds_txn.h"

#include "core/operation_check.h"
#include "core/record_open.h"

namespace kyc {

Result<DepositPtr> FundsTxn::RequestDeposit(const NewDeposit& d) {
  KycTxn& kyc = client_.kyc();
  FundsStore& funds = kyc.kyc().staged_funds();
  auto channel = funds.staged_channels().StagedFindCode(d.channel);
  if (Status s = CheckChannel(channel.get(), d.channel, d.brand, Direction::kDeposit, d.currency,
                              d.amount);
      !s.ok()) {
    return s;
  }
  auto weight = EurWeight(d.currency, d.amount, d.eur_amount);
  if (!weight.ok()) return weight.status();
  const Decimal eur = *weight;
  auto record = client_.Record(d.customer_id, d.brand);
  if (!record) {
    return Error(Code::kConflict, "customer {} of brand '{}' has no client record", d.customer_id,
                 d.brand);
  }
  OperationCheck check = CheckOperationStaged(kyc, policy_, d.customer_id, d.brand, "deposit", eur,
                                              DayOf(kyc.now()));
  if (!check.verdict.allowed) {
    return Error(Code::kConflict, "deposit not allowed: {}", check.verdict.reason);
  }
  auto dep = std::make_shared<Deposit>();
  dep->id = funds.staged_deposits().StagedNextId();
  dep->customer_id = d.customer_id;
  dep->brand = d.brand;
  dep->channel = d.channel;
  dep->currency = d.currency;
  dep->amount = d.amount;
  dep->eur_amount = eur;
  dep->created_at = dep->updated_at = kyc.now();
  DepositPtr out = dep;
  if (Status s = Save(nullptr, dep, "deposit.create", ""); !s.ok()) return s;
  return out;
}

Result<FundsTxn::Applied> FundsTxn::ApplyCallback(const PaymentChannel& channel,
                                                  const PspCallback& cb) {
  KycTxn& kyc = client_.kyc();
  FundsStore& funds = kyc.kyc().staged_funds();
  auto before = funds.staged_deposits().StagedGet(cb.deposit_id);
  if (!before || before->channel != channel.code) {
    return Error(Code::kNotFound, "deposit {} of channel '{}' not found", cb.deposit_id,
                 channel.code);
  }
  // An order belongs to one deposit: its first callback binds them.
  auto bound = funds.staged_psp_events().StagedDepositOf(channel.code, cb.psp_order_id);
  if (bound && *bound != before->id) {
    return Error(Code::kConflict, "psp_order_id '{}' of channel '{}' belongs to deposit {}, not {}",
                 cb.psp_order_id, channel.code, *bound, before->id);
  }
  if (funds.staged_psp_events().StagedHas(channel.code, cb.psp_order_id, cb.status)) {
    return Applied{before, true};
  }
  if (!before->psp_order_id.empty() && before->psp_order_id != cb.psp_order_id) {
    return Error(Code::kConflict, "deposit {} belongs to psp_order_id '{}', not '{}'", before->id,
                 before->psp_order_id, cb.psp_order_id);
  }
  auto event = std::make_shared<PspEvent>();
  event->id = funds.staged_psp_events().StagedNextId();
  event->channel = channel.code;
  event->psp_order_id = cb.psp_order_id;
  event->status = cb.status;
  event->deposit_id = before->id;
  event->at = kyc.now();
  if (Status s = funds.Put(kyc.batch(), event); !s.ok()) return s;
  auto after = std::make_shared<Deposit>(*before);
  after->psp_status = cb.status;  // finance sees the provider's latest word
  after->updated_at = kyc.now();
  // A final deposit, or one finance holds in review, is not moved by the provider again.
  if (IsFinal(before->status) || before->status == DepositStatus::kReview) {
    DepositPtr out = after;
    if (Status s = Save(before, after, "deposit.psp_status", cb.status); !s.ok()) return s;
    return Applied{out, false};
  }
  after->psp_order_id = cb.psp_order_id;
  if (!cb.payer_name.empty()) after->payer_name = cb.payer_name;
  after->updated_at = kyc.now();
  std::string_view action = "deposit.pending";
  if (cb.status == "pending") {
    after->status = DepositStatus::kPending;
  } else if (cb.status == "failed") {
    after->status = DepositStatus::kFailed;
    after->failure_code = cb.failure_code.empty() ? "unspecified" : cb.failure_code;
    action = "deposit.fail";
  } else {  // succeeded
    after->paid_amount = cb.amount;
    after->paid_currency = cb.currency;
    auto record = client_.Record(after->customer_id, after->brand);
    if (cb.currency != after->currency || cb.amount != after->amount) {
      after->status = DepositStatus::kReview;
      after->note = fmt::format("amount differs: asked {} {}, paid {} {}", after->amount.ToString(2),
                                after->currency, cb.amount.ToString(2), cb.currency);
    } else if (!record || !PayerMatches(after->payer_name, *record)) {
      after->status = DepositStatus::kReview;
      after->note = fmt::format("payer '{}' is not the account holder", after->payer_name);
    } else if (Status s = Credit(*after); !s.ok()) {
      if (s.code() != Code::kConflict) return s;
      // The money arrived but may not be booked now (the account was restricted meanwhile):
      // finance decides.
      after->status = DepositStatus::kReview;
      after->note = s.message();
    } else {
      after->status = DepositStatus::kSucceeded;
    }
    action = after->status == DepositStatus::kReview ? "deposit.review" : "deposit.succeed";
  }
  DepositPtr out = after;
  if (Status s = Save(before, after, action, after->note); !s.ok()) return s;
  return Applied{out, false};
}

Result<DepositPtr> FundsTxn::ConfirmDeposit(int64_t id, const std::string& comment,
                                            std::optional<Decimal> eur_amount) {
  FundsStore& funds = client_.kyc().kyc().staged_funds();
  auto before = funds.staged_deposits().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "deposit {} not found", id);
  if (before->status != DepositStatus::kReview) {
    return Error(Code::kConflict, "deposit {} is {}; only a deposit in review can be confirmed", id,
                 Name(before->status));
  }
  if (before->psp_status == "failed") {
    return Error(Code::kConflict, "deposit {}: the provider reported it failed; it cannot be credited",
                 id);
  }
  auto after = std::make_shared<Deposit>(*before);
  // What the paid amount weighs in EUR: as asked when it is what was asked, the amount
  // itself in EUR, else finance says.
  const Decimal paid = before->paid_amount.value_or(before->amount);
  if (eur_amount) {
    after->eur_amount = *eur_amount;
  } else if (paid != before->amount) {
    if (before->currency != "EUR") {
      return Error(Code::kBadRequest,
                   "field 'eur_amount' is required: {} {} was paid, {} asked", paid.ToString(2),
                   before->currency, before->amount.ToString(2));
    }
    after->eur_amount = paid;
  }
  if (Status s = Credit(*after); !s.ok()) return s;
  after->status = DepositStatus::kSucceeded;
  after->note = comment;
  after->updated_at = client_.kyc().now();
  DepositPtr out = after;
  if (Status s = Save(before, after, "deposit.confirm", comment); !s.ok()) return s;
  return out;
}

Result<DepositPtr> FundsTxn::FailDeposit(int64_t id, const std::string& failure_code,
                                         const std::string& reason) {
  FundsStore& funds = client_.kyc().kyc().staged_funds();
  auto before = funds.staged_deposits().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "deposit {} not found", id);
  if (IsFinal(before->status)) {
    return Error(Code::kConflict, "deposit {} is already {}", id, Name(before->status));
  }
  auto after = std::make_shared<Deposit>(*before);
  after->status = DepositStatus::kFailed;
  after->failure_code = failure_code;
  after->note = reason;
  after->updated_at = client_.kyc().now();
  DepositPtr out = after;
  if (Status s = Save(before, after, "deposit.fail", reason); !s.ok()) return s;
  return out;
}

Status FundsTxn::Credit(Deposit& d) {
  if (!d.paid_currency.empty() && d.paid_currency != d.currency) {
    return Error(Code::kConflict, "deposit {} was paid in {}, not {}: fail it and refund", d.id,
                 d.paid_currency, d.currency);
  }
  auto booked = BookMoney(client_, policy_, d.customer_id, d.brand, TxType::kDeposit,
                          d.paid_amount.value_or(d.amount), d.currency, d.eur_amount,
                          fmt::format("deposit:{}", d.id));
  if (!booked.ok()) return booked.status();
  d.transaction_id = *booked;
  return Status::Ok();
}

Result<int64_t> BookMoney(ClientTxn& client, const KycPolicy& policy, int64_t customer_id,
                          const std::string& brand, TxType type, const Decimal& amount,
                          const std::string& currency, const Decimal& eur_amount,
                          const std::string& ref) {
  KycTxn& kyc = client.kyc();
  NewTransaction t;
  t.customer_id = customer_id;
  t.brand = brand;
  t.type = type;
  t.amount = amount;
  t.currency = currency;
  t.eur_amount = eur_amount;
  t.external_id = ref;
  t.at = kyc.now();
  auto recorded = client.AddTransaction(t, policy);
  if (!recorded.ok()) return recorded.status();
  if (recorded->duplicate) {  // nothing was written: the id is another transaction's
    return Error(Code::kConflict, "external_id '{}' is already another transaction's", ref);
  }
  FundsStore& funds = kyc.kyc().staged_funds();
  auto entry = std::make_shared<LedgerEntry>();
  entry->id = funds.staged_ledger().StagedNextId();
  entry->customer_id = customer_id;
  entry->brand = brand;
  entry->currency = currency;
  entry->amount = type == TxType::kWithdrawal ? -amount : amount;
  entry->kind = std::string(Name(type));
  entry->ref = ref;
  entry->at = kyc.now();
  if (Status s = funds.Put(kyc.batch(), entry); !s.ok()) return s;
  return recorded->transaction->id;
}

Decimal StagedAvailable(FundsStore& funds, int64_t customer_id, const std::string& brand,
                        const std::string& currency) {
  auto entries = funds.staged_ledger().StagedOf(customer_id, brand);
  auto holds = funds.staged_holds().StagedOf(customer_id, brand);
  std::vector<const LedgerEntry*> ep;
  std::vector<const Hold*> hp;
  for (const auto& e : entries) ep.push_back(e.get());
  for (const auto& h : holds) hp.push_back(h.get());
  for (const auto& b : ComputeBalances(ep, hp)) {
    if (b.currency == currency) return b.available;
  }
  return Decimal();
}

Result<std::shared_ptr<const LedgerEntry>> FundsTxn::AdjustBalance(int64_t customer_id,
                                                                   const std::string& brand,
                                                                   const std::string& currency,
                                                                   const Decimal& amount,
                                                                   const std::string& reason) {
  KycTxn& kyc = client_.kyc();
  auto record = client_.Record(customer_id, brand);
  if (Status s = CheckRecordOpen(record.get(), customer_id, brand); !s.ok()) return s;
  FundsStore& funds = kyc.kyc().staged_funds();
  const Decimal available = StagedAvailable(funds, customer_id, brand, currency);
  if (available + amount < Decimal()) {
    return Error(Code::kConflict,
                 "the adjustment of {} {} would leave {} {} available; at most {} can be taken",
                 amount.ToString(2), currency, (available + amount).ToString(2), currency,
                 available.ToString(2));
  }
  auto entry = std::make_shared<LedgerEntry>();
  entry->id = funds.staged_ledger().StagedNextId();
  entry->customer_id = customer_id;
  entry->brand = brand;
  entry->currency = currency;
  entry->amount = amount;
  entry->kind = "adjustment";
  entry->ref = fmt::format("adjustment:{}", entry->id);
  entry->at = kyc.now();
  JsonOut after;
  WriteLedgerEntry(after, *entry);
  AuditRow row = kyc.AuditOf("balance.adjust", "ledger", entry->id, customer_id, brand, "",
                             after.Take(), reason);
  std::shared_ptr<const LedgerEntry> out = entry;
  if (Status s = funds.Put(kyc.batch(), std::move(entry)); !s.ok()) return s;
  if (Status s = kyc.kyc().AppendAudit(kyc.batch(), std::move(row)); !s.ok()) return s;
  return out;
}

Status FundsTxn::Save(const DepositPtr& before, std::shared_ptr<Deposit> after,
                      std::string_view action, std::string_view reason) {
  KycTxn& kyc = client_.kyc();
  AuditRow row = kyc.AuditOf(action, "deposit", after->id, after->customer_id, after->brand,
                             before ? DepositJson(*before) : "", DepositJson(*after), reason);
  if (Status s = kyc.kyc().staged_funds().Put(kyc.batch(), std::move(after)); !s.ok()) return s;
  return kyc.kyc().AppendAudit(kyc.batch(), std::move(row));
}

}  // namespace kyc
