// Bank accounts (issue 16, seed 003 section 5): added by the client or staff with a photo
// of the bank book, verified or rejected by a reviewer. Writes on the kyc writer strand
// (core/bank_account_txn.h): the account, its audit row and the record's
// bank_account_status in one commit.
#include "core/bank_account_txn.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/money_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {

// {bank_name, account_name, account_number, photo_file_id}; the photo must be an image or
// a PDF this customer uploaded (or staff did).
Result<NewBankAccount> ReadBankAccount(Call& c, ParamReader& p, NewBankAccount a) {
  a.bank_name = ReadText(p, "bank_name", 200);
  a.account_name = ReadText(p, "account_name", 200);
  std::string number = p.String("account_number", 64);
  a.photo_file_id = p.String("photo_file_id", 64);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto normalized = NormalizeAccountNumber(number);
  if (!normalized) {
    return Status(Code::kBadRequest,
                  "field 'account_number' must have 5 to 34 letters and digits (spaces and "
                  "dashes are ignored)");
  }
  a.account_number = *normalized;
  auto file = c.core.storage().files().FindFileId(a.photo_file_id);
  if (!file) return Error(Code::kNotFound, "field 'photo_file_id': file '{}' not found", a.photo_file_id);
  const bool own = file->owner_type == kOwnerClient && file->owner_id == a.customer_id &&
                   file->owner_brand == a.brand;
  const bool staff_file = file->owner_type == kOwnerStaff && c.session->type != SessionType::kClient;
  if (!own && !staff_file) {
    return Error(Code::kForbidden, "field 'photo_file_id': file '{}' was uploaded by someone else",
                 a.photo_file_id);
  }
  if (file->ext != "png" && file->ext != "jpg" && file->ext != "jpeg" && file->ext != "pdf") {
    return Error(Code::kBadRequest,
                 "field 'photo_file_id': the bank book photo must be an image or a PDF (file '{}' "
                 "is {})",
                 a.photo_file_id, file->ext);
  }
  return a;
}

Result<std::string> Added(Call& c, const NewBankAccount& a) {
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  auto r = BankAccountTxn(client).Add(a);
  if (!r.ok()) return r.status();
  return BankAccountJson(**r);
}

using BankAccountStep = Result<BankAccountPtr> (BankAccountTxn::*)(int64_t, int64_t, const std::string&);

Result<std::string> DecideBankAccount(Call& c, std::string_view field, bool required, BankAccountStep step) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string text = required ? ReadText(p, field) : p.OptString(field, 2000).value_or("");
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  BankAccountTxn txn(client);
  auto r = (txn.*step)(id, *c.session->manager_id, text);
  if (!r.ok()) return r.status();
  return BankAccountJson(**r);
}

}  // namespace

Result<std::string> KycAddBankAccount(Call& c) {
  ParamReader p(c.params);
  NewBankAccount a;
  a.customer_id = *c.session->customer_id;
  a.brand = c.session->brand;
  auto read = ReadBankAccount(c, p, a);
  if (!read.ok()) return read.status();
  return Added(c, *read);
}

Result<std::string> MngAddBankAccount(Call& c) {
  ParamReader p(c.params);
  NewBankAccount a;
  CustomerKey key = ReadCustomer(p);
  a.customer_id = key.customer_id;
  a.brand = key.brand;
  a.added_by = c.session->manager_id;
  auto read = ReadBankAccount(c, p, a);
  if (!read.ok()) return read.status();
  return Added(c, *read);
}

Result<std::string> MngApproveBankAccount(Call& c) {
  return DecideBankAccount(c, "comment", false, &BankAccountTxn::Verify);
}

Result<std::string> MngRejectBankAccount(Call& c) {
  return DecideBankAccount(c, "reason", true, &BankAccountTxn::Reject);
}

Result<std::string> MngGetBankAccounts(Call& c) {
  auto f = ReadMoneyFilter(c.params, ParseBankAccountStatus, kBankAccountStatusNames,
                           /*channels=*/false);
  if (!f.ok()) return f.status();
  return PageJson(c.core.kyc().funds().bank_accounts().List(*f),
                  [](JsonOut& o, const BankAccount& a) { WriteBankAccount(o, a); });
}

Result<std::string> KycGetBankAccounts(Call& c) {
  auto f = OwnMoneyFilter<BankAccountStatus>(c);
  if (!f.ok()) return f.status();
  return PageJson(c.core.kyc().funds().bank_accounts().List(*f),
                  [](JsonOut& o, const BankAccount& a) { WriteBankAccount(o, a); });
}

}  // namespace kyc::handlers
