// Withdrawals (issue 16): asked for by the client or staff, approved at their level by
// finance, paid with a voucher, rejected or failed. Writes on the kyc writer strand
// (core/withdrawal_txn.h): the checks, the hold and the approval level in one commit.
#include "core/withdrawal_txn.h"
#include "customers/field_rules.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/money_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {

Result<NewWithdrawal> ReadWithdrawal(ParamReader& p, NewWithdrawal w, bool staff) {
  w.channel = p.String("channel", 64);
  auto amount = OptDecimal(p, "amount", 8, true);
  w.currency = p.String("currency", 16);
  if (staff) w.eur_amount = OptDecimal(p, "eur_amount", 2, true);
  w.bank_account_id = p.OptInt("bank_account_id");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!amount) return Status(Code::kBadRequest, "field 'amount' is required");
  if (!IsCurrencyCode(w.currency)) {
    return Error(Code::kBadRequest, "field 'currency' must be an ISO 4217 code (got '{}')", w.currency);
  }
  if (!staff && w.currency != "EUR") {
    return Error(Code::kBadRequest,
                 "field 'currency': a client withdrawal is in EUR; one in {} is asked by staff "
                 "(MngAddWithdrawal with eur_amount)",
                 w.currency);
  }
  w.amount = *amount;
  return w;
}

Result<std::string> Requested(Call& c, const NewWithdrawal& w) {
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  auto r = WithdrawalTxn(client, c.core.options().policy).Request(w);
  if (!r.ok()) return r.status();
  JsonOut o;
  o.BeginObject().Key("withdrawal");
  WriteWithdrawal(o, **r);
  o.Key("approval_level").Int((*r)->approval_level).EndObject();
  return o.Take();
}

using WithdrawalStep = Result<WithdrawalPtr> (WithdrawalTxn::*)(int64_t, const std::string&);

// A finance step on one withdrawal taking one text field.
Result<std::string> DecideWithdrawal(Call& c, std::string_view field, bool free_text, WithdrawalStep step) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string text = free_text ? ReadText(p, field) : p.String(field, 128);
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  WithdrawalTxn txn(client, c.core.options().policy);
  auto r = (txn.*step)(id, text);
  if (!r.ok()) return r.status();
  return WithdrawalJson(**r);
}


}  // namespace

Result<std::string> MngAddWithdrawal(Call& c) {
  ParamReader p(c.params);
  NewWithdrawal w;
  CustomerKey key = ReadCustomer(p);
  w.customer_id = key.customer_id;
  w.brand = key.brand;
  w.requested_by = c.session->manager_id;
  auto read = ReadWithdrawal(p, w, true);
  if (!read.ok()) return read.status();
  return Requested(c, *read);
}

Result<std::string> KycRequestWithdrawal(Call& c) {
  ParamReader p(c.params);
  NewWithdrawal w;
  w.customer_id = *c.session->customer_id;
  w.brand = c.session->brand;
  auto read = ReadWithdrawal(p, w, false);
  if (!read.ok()) return read.status();
  return Requested(c, *read);
}

Result<std::string> MngApproveWithdrawal(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn client(kyc);
  auto r = WithdrawalTxn(client, c.core.options().policy).Approve(id, *c.session->manager_id);
  if (!r.ok()) return r.status();
  return WithdrawalJson(**r);
}

Result<std::string> MngRejectWithdrawal(Call& c) {
  return DecideWithdrawal(c, "reason", true, &WithdrawalTxn::Reject);
}

Result<std::string> MngMarkWithdrawalPaid(Call& c) {
  return DecideWithdrawal(c, "voucher", false, &WithdrawalTxn::MarkPaid);
}

Result<std::string> MngFailWithdrawal(Call& c) {
  return DecideWithdrawal(c, "failure_code", false, &WithdrawalTxn::Fail);
}

Result<std::string> MngGetWithdrawals(Call& c) {
  auto f = ReadMoneyFilter(c.params, ParseWithdrawalStatus, kWithdrawalStatusNames);
  if (!f.ok()) return f.status();
  return PageJson(c.core.kyc().funds().withdrawals().List(*f),
                  [](JsonOut& o, const Withdrawal& w) { WriteWithdrawal(o, w); });
}

Result<std::string> KycGetWithdrawals(Call& c) {
  auto f = OwnMoneyFilter<WithdrawalStatus>(c);
  if (!f.ok()) return f.status();
  return PageJson(c.core.kyc().funds().withdrawals().List(*f),
                  [](JsonOut& o, const Withdrawal& w) { WriteWithdrawal(o, w); });
}

}  // namespace kyc::handlers
