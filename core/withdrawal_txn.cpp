#include "core/withdrawal_txn.h"

#include "core/funds_txn.h"
#include "core/operation_check.h"
#include "funds/rules.h"

namespace kyc {

Result<WithdrawalPtr> WithdrawalTxn::Request(const NewWithdrawal& w) {
  KycTxn& kyc = client_.kyc();
  KycBase& base = kyc.kyc();
  FundsStore& funds = base.staged_funds();
  auto channel = funds.staged_channels().StagedFindCode(w.channel);
  if (Status s = CheckChannel(channel.get(), w.channel, w.brand, Direction::kWithdrawal, w.currency,
                              w.amount);
      !s.ok()) {
    return s;
  }
  auto weight = EurWeight(w.currency, w.amount, w.eur_amount);
  if (!weight.ok()) return weight.status();
  const Decimal eur = *weight;
  auto record = client_.Record(w.customer_id, w.brand);
  if (!record) {
    return Error(Code::kConflict, "customer {} of brand '{}' has no client record", w.customer_id,
                 w.brand);
  }
  OperationCheck check = CheckOperationStaged(kyc, policy_, w.customer_id, w.brand, "withdrawal",
                                              eur, DayOf(kyc.now()));
  if (!check.verdict.allowed) {
    return Error(Code::kConflict, "withdrawal not allowed: {}", check.verdict.reason);
  }
  if (base.staged_clients().staged_alerts().StagedHasOpen(w.customer_id, w.brand)) {
    return Status(Code::kConflict, "withdrawal not allowed: an open duplicate-identity alert");
  }
  AmlAlertFilter open_aml;
  open_aml.brand = w.brand;
  open_aml.customer_id = w.customer_id;
  open_aml.limit = 1000;
  for (const auto& a : base.aml().alerts().List(open_aml).items) {
    if (a->is_open() || a->resolution == "escalated") {
      return Error(Code::kConflict, "withdrawal not allowed: AML alert {} ({}) is {}", a->id,
                   a->flag, a->is_open() ? "open" : "escalated");
    }
  }
  auto pays_to = PaysTo(w, *channel);
  if (!pays_to.ok()) return pays_to.status();
  // The available balance, as this batch sees it: earlier holds of the same batch count.
  const Decimal available = StagedAvailable(funds, w.customer_id, w.brand, w.currency);
  if (available < w.amount) {
    return Error(Code::kConflict, "insufficient available balance: {} {} available, {} asked",
                 available.ToString(2), w.currency, w.amount.ToString(2));
  }
  auto out = std::make_shared<Withdrawal>();
  out->id = funds.staged_withdrawals().StagedNextId();
  out->customer_id = w.customer_id;
  out->brand = w.brand;
  out->channel = w.channel;
  out->currency = w.currency;
  out->amount = w.amount;
  out->eur_amount = eur;
  out->requested_by = w.requested_by;
  out->bank_account_id = *pays_to;
  auto profile = kyc.ProfileOf(w.customer_id, w.brand);
  out->approval_level =
      ApprovalLevelOf(eur, profile ? profile->risk_level : RiskLevel::kUnknown, *channel);
  out->status = out->approval_level == 0 ? WithdrawalStatus::kApproved
                                         : WithdrawalStatus::kPendingApproval;
  out->created_at = out->updated_at = kyc.now();
  auto hold = std::make_shared<Hold>();
  hold->id = funds.staged_holds().StagedNextId();
  hold->customer_id = w.customer_id;
  hold->brand = w.brand;
  hold->currency = w.currency;
  hold->amount = w.amount;
  hold->ref = fmt::format("withdrawal:{}", out->id);
  hold->created_at = hold->updated_at = kyc.now();
  out->hold_id = hold->id;
  if (Status s = funds.Put(kyc.batch(), hold); !s.ok()) return s;
  WithdrawalPtr result = out;
  if (Status s = Save(nullptr, out, "withdrawal.create",
                      fmt::format("approval level {}", result->approval_level));
      !s.ok()) {
    return s;
  }
  return result;
}

Result<std::optional<int64_t>> WithdrawalTxn::PaysTo(const NewWithdrawal& w,
                                                     const PaymentChannel& channel) {
  if (!w.bank_account_id && !channel.requires_bank_account) return std::optional<int64_t>();
  auto accounts = client_.kyc().kyc().staged_funds().staged_bank_accounts().StagedOf(
      w.customer_id, w.brand);
  const BankAccount* chosen = nullptr;
  for (const auto& a : accounts) {
    if (w.bank_account_id ? a->id == *w.bank_account_id
                          : a->status == BankAccountStatus::kVerified) {
      chosen = a.get();  // by id order: the newest verified one wins
    }
  }
  if (w.bank_account_id && !chosen) {
    return Error(Code::kNotFound, "bank account {} of customer {} of brand '{}' not found",
                 *w.bank_account_id, w.customer_id, w.brand);
  }
  if (!chosen) {
    return Error(Code::kConflict,
                 "withdrawal not allowed: channel '{}' pays only to a verified bank account, and "
                 "the customer has none (bank_account_status {})",
                 w.channel, Name(SummaryOf(accounts)));
  }
  if (chosen->status != BankAccountStatus::kVerified) {
    return Error(Code::kConflict, "withdrawal not allowed: bank account {} is {}, not verified",
                 chosen->id, Name(chosen->status));
  }
  return std::optional<int64_t>(chosen->id);
}

Status WithdrawalTxn::CheckPayee(const Withdrawal& w) {
  if (!w.bank_account_id) return Status::Ok();
  auto a = client_.kyc().kyc().staged_funds().staged_bank_accounts().StagedGet(*w.bank_account_id);
  if (!a || a->status != BankAccountStatus::kVerified) {
    return Error(Code::kConflict,
                 "withdrawal {} pays to bank account {}, which is {}; reject or fail it",
                 w.id, *w.bank_account_id, a ? Name(a->status) : "gone");
  }
  return Status::Ok();
}

Result<std::shared_ptr<Withdrawal>> WithdrawalTxn::Open(int64_t id) {
  auto w = client_.kyc().kyc().staged_funds().staged_withdrawals().StagedGet(id);
  if (!w) return Error(Code::kNotFound, "withdrawal {} not found", id);
  return std::make_shared<Withdrawal>(*w);
}

Result<WithdrawalPtr> WithdrawalTxn::Approve(int64_t id, int64_t approver) {
  auto w = Open(id);
  if (!w.ok()) return w.status();
  auto& after = *w;
  if (after->status != WithdrawalStatus::kPendingApproval) {
    return Error(Code::kConflict, "withdrawal {} is {}; only one pending approval can be approved",
                 id, Name(after->status));
  }
  if (after->requested_by == approver) {
    return Error(Code::kForbidden, "withdrawal {} was requested by you; another person approves it", id);
  }
  if (std::find(after->approvers.begin(), after->approvers.end(), approver) != after->approvers.end()) {
    return Error(Code::kForbidden, "withdrawal {}: you approved it already; level {} needs {} different people",
                 id, after->approval_level, after->approval_level);
  }
  if (Status s = CheckPayee(*after); !s.ok()) return s;
  auto before = client_.kyc().kyc().staged_funds().staged_withdrawals().StagedGet(id);
  after->approvers.push_back(approver);
  if (static_cast<int>(after->approvers.size()) >= after->approval_level) {
    after->status = WithdrawalStatus::kApproved;
  }
  after->updated_at = client_.kyc().now();
  WithdrawalPtr out = after;
  if (Status s = Save(before, after, "withdrawal.approve", ""); !s.ok()) return s;
  return out;
}

Result<WithdrawalPtr> WithdrawalTxn::Reject(int64_t id, const std::string& reason) {
  auto w = Open(id);
  if (!w.ok()) return w.status();
  auto& after = *w;
  if (after->status != WithdrawalStatus::kPendingApproval && after->status != WithdrawalStatus::kApproved) {
    return Error(Code::kConflict, "withdrawal {} is {}; it can no longer be rejected", id,
                 Name(after->status));
  }
  auto before = client_.kyc().kyc().staged_funds().staged_withdrawals().StagedGet(id);
  if (Status s = SetHold(*after, HoldStatus::kReleased); !s.ok()) return s;
  after->status = WithdrawalStatus::kRejected;
  after->note = reason;
  after->updated_at = client_.kyc().now();
  WithdrawalPtr out = after;
  if (Status s = Save(before, after, "withdrawal.reject", reason); !s.ok()) return s;
  return out;
}

Result<WithdrawalPtr> WithdrawalTxn::MarkPaid(int64_t id, const std::string& voucher) {
  auto w = Open(id);
  if (!w.ok()) return w.status();
  auto& after = *w;
  if (after->status != WithdrawalStatus::kApproved) {
    return Error(Code::kConflict, "withdrawal {} is {}; only an approved one can be paid", id,
                 Name(after->status));
  }
  if (Status s = CheckPayee(*after); !s.ok()) return s;
  KycTxn& kyc = client_.kyc();
  auto before = kyc.kyc().staged_funds().staged_withdrawals().StagedGet(id);
  auto booked = BookMoney(client_, policy_, after->customer_id, after->brand, TxType::kWithdrawal,
                          after->amount, after->currency, after->eur_amount,
                          fmt::format("withdrawal:{}", id));
  if (!booked.ok()) return booked.status();
  if (Status s = SetHold(*after, HoldStatus::kSettled); !s.ok()) return s;
  after->status = WithdrawalStatus::kPaid;
  after->voucher = voucher;
  after->transaction_id = *booked;
  after->updated_at = kyc.now();
  WithdrawalPtr out = after;
  if (Status s = Save(before, after, "withdrawal.pay", voucher); !s.ok()) return s;
  return out;
}

Result<WithdrawalPtr> WithdrawalTxn::Fail(int64_t id, const std::string& failure_code) {
  auto w = Open(id);
  if (!w.ok()) return w.status();
  auto& after = *w;
  if (after->status != WithdrawalStatus::kPendingApproval && after->status != WithdrawalStatus::kApproved) {
    return Error(Code::kConflict, "withdrawal {} is {}; it can no longer fail", id, Name(after->status));
  }
  auto before = client_.kyc().kyc().staged_funds().staged_withdrawals().StagedGet(id);
  if (Status s = SetHold(*after, HoldStatus::kReleased); !s.ok()) return s;
  after->status = WithdrawalStatus::kFailed;
  after->failure_code = failure_code;
  after->updated_at = client_.kyc().now();
  WithdrawalPtr out = after;
  if (Status s = Save(before, after, "withdrawal.fail", failure_code); !s.ok()) return s;
  return out;
}

Status WithdrawalTxn::SetHold(const Withdrawal& w, HoldStatus status) {
  FundsStore& funds = client_.kyc().kyc().staged_funds();
  auto before = funds.staged_holds().StagedGet(w.hold_id);
  if (!before) return Error(Code::kInternal, "withdrawal {} has no hold", w.id);
  auto after = std::make_shared<Hold>(*before);
  after->status = status;
  after->updated_at = client_.kyc().now();
  return funds.Put(client_.kyc().batch(), std::move(after));
}

Status WithdrawalTxn::Save(const WithdrawalPtr& before, std::shared_ptr<Withdrawal> after,
                           std::string_view action, std::string_view reason) {
  KycTxn& kyc = client_.kyc();
  AuditRow row = kyc.AuditOf(action, "withdrawal", after->id, after->customer_id, after->brand,
                             before ? WithdrawalJson(*before) : "", WithdrawalJson(*after), reason);
  if (Status s = kyc.kyc().staged_funds().Put(kyc.batch(), std::move(after)); !s.ok()) return s;
  return kyc.kyc().AppendAudit(kyc.batch(), std::move(row));
}

}  // namespace kyc
