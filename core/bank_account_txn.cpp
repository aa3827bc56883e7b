#include "core/bank_account_txn.h"

#include "core/record_open.h"
#include "funds/deposits.h"

namespace kyc {

Result<BankAccountPtr> BankAccountTxn::Add(const NewBankAccount& a) {
  auto record = client_.Record(a.customer_id, a.brand);
  if (Status s = CheckRecordOpen(record.get(), a.customer_id, a.brand); !s.ok()) return s;
  KycTxn& kyc = client_.kyc();
  auto& accounts = kyc.kyc().staged_funds().staged_bank_accounts();
  for (const auto& existing : accounts.StagedWithNumber(a.account_number)) {
    if (existing->status == BankAccountStatus::kRejected) continue;
    if (existing->customer_id == a.customer_id && existing->brand == a.brand) {
      return Error(Code::kConflict, "bank account {} already has the number {} ({})",
                   existing->id, a.account_number, Name(existing->status));
    }
    // One person's account: another customer paying out to it is a mule's pattern. Staff
    // learn whose it is; a client only that it cannot be added.
    if (a.added_by) {
      return Error(Code::kConflict,
                   "the account number {} is bank account {} of customer {} of brand '{}' ({})",
                   a.account_number, existing->id, existing->customer_id, existing->brand,
                   Name(existing->status));
    }
    return Status(Code::kConflict,
                  "this account number cannot be added to your account; contact support");
  }
  auto out = std::make_shared<BankAccount>();
  out->id = accounts.StagedNextId();
  out->customer_id = a.customer_id;
  out->brand = a.brand;
  out->bank_name = a.bank_name;
  out->account_name = a.account_name;
  out->account_number = a.account_number;
  out->photo_file_id = a.photo_file_id;
  out->name_match = PayerMatches(a.account_name, *record);
  out->added_by = a.added_by;
  out->created_at = out->updated_at = kyc.now();
  BankAccountPtr result = out;
  if (Status s = Save(nullptr, out, "bank_account.add",
                      result->name_match ? "" : "the account name is not the KYC identity's");
      !s.ok()) {
    return s;
  }
  return result;
}

Result<std::shared_ptr<BankAccount>> BankAccountTxn::Open(int64_t id) {
  auto a = client_.kyc().kyc().staged_funds().staged_bank_accounts().StagedGet(id);
  if (!a) return Error(Code::kNotFound, "bank account {} not found", id);
  auto record = client_.Record(a->customer_id, a->brand);
  if (Status s = CheckRecordOpen(record.get(), a->customer_id, a->brand); !s.ok()) return s;
  return std::make_shared<BankAccount>(*a);
}

Result<BankAccountPtr> BankAccountTxn::Verify(int64_t id, int64_t manager,
                                              const std::string& comment) {
  auto opened = Open(id);
  if (!opened.ok()) return opened.status();
  auto& after = *opened;
  if (after->status != BankAccountStatus::kPending) {
    return Error(Code::kConflict, "bank account {} is {}; only a pending one can be verified", id,
                 Name(after->status));
  }
  if (after->added_by == manager) {
    return Error(Code::kForbidden, "bank account {} was added by you; another person verifies it",
                 id);
  }
  if (!after->name_match && comment.empty()) {
    return Error(Code::kBadRequest,
                 "field 'comment' is required: the account name '{}' does not match the KYC "
                 "identity; say why it is accepted, or reject it",
                 after->account_name);
  }
  auto before = client_.kyc().kyc().staged_funds().staged_bank_accounts().StagedGet(id);
  after->status = BankAccountStatus::kVerified;
  after->reason = comment;
  after->decided_by = manager;
  after->updated_at = client_.kyc().now();
  BankAccountPtr out = after;
  if (Status s = Save(before, after, "bank_account.verify", comment); !s.ok()) return s;
  return out;
}

Result<BankAccountPtr> BankAccountTxn::Reject(int64_t id, int64_t manager,
                                              const std::string& reason) {
  auto opened = Open(id);
  if (!opened.ok()) return opened.status();
  auto& after = *opened;
  if (after->status == BankAccountStatus::kRejected) {
    return Error(Code::kConflict, "bank account {} is rejected already", id);
  }
  auto before = client_.kyc().kyc().staged_funds().staged_bank_accounts().StagedGet(id);
  after->status = BankAccountStatus::kRejected;
  after->reason = reason;
  after->decided_by = manager;
  after->updated_at = client_.kyc().now();
  BankAccountPtr out = after;
  if (Status s = Save(before, after, "bank_account.reject", reason); !s.ok()) return s;
  return out;
}

Status BankAccountTxn::Save(const BankAccountPtr& before, std::shared_ptr<BankAccount> after,
                            std::string_view action, std::string_view reason) {
  KycTxn& kyc = client_.kyc();
  FundsStore& funds = kyc.kyc().staged_funds();
  AuditRow row = kyc.AuditOf(action, "bank_account", after->id, after->customer_id, after->brand,
                             before ? BankAccountJson(*before) : "", BankAccountJson(*after),
                             reason);
  const int64_t customer_id = after->customer_id;
  const std::string brand = after->brand;
  if (Status s = funds.Put(kyc.batch(), std::move(after)); !s.ok()) return s;
  if (Status s = kyc.kyc().AppendAudit(kyc.batch(), std::move(row)); !s.ok()) return s;
  // The record's summary, as this batch now sees the customer's accounts.
  auto record = client_.Record(customer_id, brand);
  if (!record) {
    return Error(Code::kConflict, "customer {} of brand '{}' has no client record", customer_id,
                 brand);
  }
  const BankAccountState summary =
      SummaryOf(funds.staged_bank_accounts().StagedOf(customer_id, brand));
  if (record->bank_account_status == summary) return Status::Ok();
  auto changed = std::make_shared<ClientRecord>(*record);
  changed->bank_account_status = summary;  // derived: updated_at (a four-eyes target) stays
  return kyc.kyc().staged_clients().Put(kyc.batch(), std::move(changed));
}

}  // namespace kyc
