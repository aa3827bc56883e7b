#include "bases/funds_store.h"

#include <algorithm>

namespace kyc {

const std::string_view kFundsSchema = R"sql(
CREATE TABLE payment_channels(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  currencies TEXT NOT NULL,
  min_amount TEXT NOT NULL,
  max_amount TEXT NOT NULL,
  deposits INTEGER NOT NULL,
  withdrawals INTEGER NOT NULL,
  requires_bank_account INTEGER NOT NULL,
  auto_below_eur TEXT,
  one_approver_below_eur TEXT,
  callback_secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE ledger(
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX ledger_customer ON ledger(customer_id, brand);
CREATE TABLE holds(
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount TEXT NOT NULL,
  ref TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE deposits(
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  channel TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount TEXT NOT NULL,
  eur_amount TEXT NOT NULL,
  status TEXT NOT NULL,
  psp_order_id TEXT NOT NULL,
  payer_name TEXT NOT NULL,
  paid_amount TEXT,
  paid_currency TEXT NOT NULL,
  psp_status TEXT NOT NULL,
  failure_code TEXT NOT NULL,
  note TEXT NOT NULL,
  transaction_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE psp_events(
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  psp_order_id TEXT NOT NULL,
  status TEXT NOT NULL,
  deposit_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  UNIQUE(channel, psp_order_id, status)
);
CREATE TABLE withdrawals(
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  channel TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount TEXT NOT NULL,
  eur_amount TEXT NOT NULL,
  status TEXT NOT NULL,
  approval_level INTEGER NOT NULL,
  approvers TEXT NOT NULL,
  requested_by INTEGER,
  hold_id INTEGER NOT NULL,
  voucher TEXT NOT NULL,
  failure_code TEXT NOT NULL,
  note TEXT NOT NULL,
  transaction_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

const std::string_view kBankingSchema = R"sql(
ALTER TABLE clients ADD COLUMN bank_account_status TEXT NOT NULL DEFAULT 'none';
ALTER TABLE withdrawals ADD COLUMN bank_account_id INTEGER;
CREATE TABLE bank_accounts(
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  bank_name TEXT NOT NULL,
  account_name TEXT NOT NULL,
  account_number TEXT NOT NULL,
  photo_file_id TEXT NOT NULL,
  status TEXT NOT NULL,
  name_match INTEGER NOT NULL,
  reason TEXT NOT NULL,
  added_by INTEGER,
  decided_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE reconciliations(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  channel TEXT NOT NULL,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  period_from INTEGER NOT NULL,
  period_to INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  matched INTEGER NOT NULL,
  missing_in_back_office INTEGER NOT NULL,
  missing_in_statement INTEGER NOT NULL,
  amount_mismatch INTEGER NOT NULL,
  status_mismatch INTEGER NOT NULL,
  matched_rows TEXT NOT NULL,
  missing_in_back_office_rows TEXT NOT NULL,
  missing_in_statement_rows TEXT NOT NULL,
  amount_mismatch_rows TEXT NOT NULL,
  status_mismatch_rows TEXT NOT NULL
);
)sql";

namespace {

Decimal DecimalOf(const std::string& text) { return Decimal::Parse(text).value_or(Decimal{}); }

std::optional<Decimal> OptDecimalOf(Stmt& q, int col) {
  if (q.IsNull(col)) return std::nullopt;
  return Decimal::Parse(q.Text(col));
}

void BindOpt(Stmt& q, int i, const std::optional<Decimal>& d) {
  if (d) q.Bind(i, d->ToString(2));
  else q.BindNull(i);
}

HoldStatus HoldStatusOf(std::string_view name) {
  for (size_t i = 0; i < kHoldStatusNames.size(); ++i) {
    if (kHoldStatusNames[i] == name) return static_cast<HoldStatus>(i);
  }
  return HoldStatus::kHeld;
}

}  // namespace

Status FundsStore::Prepare(Db& db) {
  auto put = db.Prepare(UpsertSql(
      "payment_channels",
      {"id", "brand", "code", "name", "kind", "currencies", "min_amount", "max_amount", "deposits",
       "withdrawals", "requires_bank_account", "auto_below_eur", "one_approver_below_eur",
       "callback_secret", "created_at", "updated_at"}));
  if (!put.ok()) return put.status();
  put_channel_ = std::move(put.value());
  put = db.Prepare(
      "INSERT INTO ledger(id, customer_id, brand, currency, amount, kind, ref, at)"
      " VALUES(?,?,?,?,?,?,?,?)");
  if (!put.ok()) return put.status();
  put_entry_ = std::move(put.value());
  put = db.Prepare(UpsertSql("holds", {"id", "customer_id", "brand", "currency", "amount", "ref",
                                       "status", "created_at", "updated_at"}));
  if (!put.ok()) return put.status();
  put_hold_ = std::move(put.value());
  put = db.Prepare(UpsertSql(
      "deposits", {"id", "customer_id", "brand", "channel", "currency", "amount", "eur_amount",
                   "status", "psp_order_id", "payer_name", "paid_amount", "paid_currency",
                   "psp_status", "failure_code", "note",
                   "transaction_id", "created_at", "updated_at"}));
  if (!put.ok()) return put.status();
  put_deposit_ = std::move(put.value());
  put = db.Prepare(
      "INSERT INTO psp_events(id, channel, psp_order_id, status, deposit_id, at) VALUES(?,?,?,?,?,?)");
  if (!put.ok()) return put.status();
  put_psp_event_ = std::move(put.value());
  put = db.Prepare(UpsertSql(
      "withdrawals", {"id", "customer_id", "brand", "channel", "currency", "amount", "eur_amount",
                      "status", "approval_level", "approvers", "requested_by", "hold_id", "voucher",
                      "failure_code", "note", "transaction_id", "created_at", "updated_at",
                      "bank_account_id"}));
  if (!put.ok()) return put.status();
  put_withdrawal_ = std::move(put.value());
  put = db.Prepare(UpsertSql(
      "bank_accounts", {"id", "customer_id", "brand", "bank_name", "account_name", "account_number",
                        "photo_file_id", "status", "name_match", "reason", "added_by",
                        "decided_by", "created_at", "updated_at"}));
  if (!put.ok()) return put.status();
  put_bank_account_ = std::move(put.value());
  put = db.Prepare(
      "INSERT INTO reconciliations(id, brand, channel, created_by, created_at, period_from,"
      " period_to, rows, matched, missing_in_back_office, missing_in_statement, amount_mismatch,"
      " status_mismatch, matched_rows, missing_in_back_office_rows, missing_in_statement_rows,"
      " amount_mismatch_rows, status_mismatch_rows) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!put.ok()) return put.status();
  put_reconciliation_ = std::move(put.value());
  return Status::Ok();
}

Status FundsStore::Load(Db& db) {
  auto c = db.Prepare(
      "SELECT id, brand, code, name, kind, currencies, min_amount, max_amount, deposits,"
      " withdrawals, requires_bank_account, auto_below_eur, one_approver_below_eur,"
      " callback_secret, created_at, updated_at FROM payment_channels ORDER BY id");
  if (!c.ok()) return c.status();
  Status s = c->ForEachRow([&]() -> Status {
    auto ch = std::make_shared<PaymentChannel>();
    ch->id = c->Int(0);
    ch->brand = c->Text(1);
    ch->code = c->Text(2);
    ch->name = c->Text(3);
    ch->kind = c->Text(4);
    ch->currencies = SplitCurrencies(c->Text(5));
    ch->min_amount = DecimalOf(c->Text(6));
    ch->max_amount = DecimalOf(c->Text(7));
    ch->deposits = c->Int(8) != 0;
    ch->withdrawals = c->Int(9) != 0;
    ch->requires_bank_account = c->Int(10) != 0;
    ch->auto_below_eur = OptDecimalOf(*c, 11);
    ch->one_approver_below_eur = OptDecimalOf(*c, 12);
    ch->callback_secret = c->Text(13);
    ch->created_at = c->Int(14);
    ch->updated_at = c->Int(15);
    channels_.Load(std::move(ch));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto e = db.Prepare(
      "SELECT id, customer_id, brand, currency, amount, kind, ref, at FROM ledger ORDER BY id");
  if (!e.ok()) return e.status();
  s = e->ForEachRow([&]() -> Status {
    auto row = std::make_shared<LedgerEntry>();
    row->id = e->Int(0);
    row->customer_id = e->Int(1);
    row->brand = e->Text(2);
    row->currency = e->Text(3);
    row->amount = DecimalOf(e->Text(4));
    row->kind = e->Text(5);
    row->ref = e->Text(6);
    row->at = e->Int(7);
    ledger_.Load(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto h = db.Prepare(
      "SELECT id, customer_id, brand, currency, amount, ref, status, created_at, updated_at"
      " FROM holds ORDER BY id");
  if (!h.ok()) return h.status();
  s = h->ForEachRow([&]() -> Status {
    auto row = std::make_shared<Hold>();
    row->id = h->Int(0);
    row->customer_id = h->Int(1);
    row->brand = h->Text(2);
    row->currency = h->Text(3);
    row->amount = DecimalOf(h->Text(4));
    row->ref = h->Text(5);
    row->status = HoldStatusOf(h->Text(6));
    row->created_at = h->Int(7);
    row->updated_at = h->Int(8);
    holds_.Load(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto d = db.Prepare(
      "SELECT id, customer_id, brand, channel, currency, amount, eur_amount, status, psp_order_id,"
      " payer_name, paid_amount, paid_currency, psp_status, failure_code, note, transaction_id,"
      " created_at, updated_at"
      " FROM deposits ORDER BY id");
  if (!d.ok()) return d.status();
  s = d->ForEachRow([&]() -> Status {
    auto row = std::make_shared<Deposit>();
    row->id = d->Int(0);
    row->customer_id = d->Int(1);
    row->brand = d->Text(2);
    row->channel = d->Text(3);
    row->currency = d->Text(4);
    row->amount = DecimalOf(d->Text(5));
    row->eur_amount = DecimalOf(d->Text(6));
    row->status = ParseDepositStatus(d->Text(7)).value_or(DepositStatus::kCreated);
    row->psp_order_id = d->Text(8);
    row->payer_name = d->Text(9);
    row->paid_amount = OptDecimalOf(*d, 10);
    row->paid_currency = d->Text(11);
    row->psp_status = d->Text(12);
    row->failure_code = d->Text(13);
    row->note = d->Text(14);
    row->transaction_id = d->OptInt(15);
    row->created_at = d->Int(16);
    row->updated_at = d->Int(17);
    deposits_.Load(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto ev = db.Prepare(
      "SELECT id, channel, psp_order_id, status, deposit_id, at FROM psp_events ORDER BY id");
  if (!ev.ok()) return ev.status();
  s = ev->ForEachRow([&]() -> Status {
    auto row = std::make_shared<PspEvent>();
    row->id = ev->Int(0);
    row->channel = ev->Text(1);
    row->psp_order_id = ev->Text(2);
    row->status = ev->Text(3);
    row->deposit_id = ev->Int(4);
    row->at = ev->Int(5);
    psp_events_.Load(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto w = db.Prepare(
      "SELECT id, customer_id, brand, channel, currency, amount, eur_amount, status, approval_level,"
      " approvers, requested_by, hold_id, voucher, failure_code, note, transaction_id, created_at,"
      " updated_at, bank_account_id FROM withdrawals ORDER BY id");
  if (!w.ok()) return w.status();
  s = w->ForEachRow([&]() -> Status {
    auto row = std::make_shared<Withdrawal>();
    row->id = w->Int(0);
    row->customer_id = w->Int(1);
    row->brand = w->Text(2);
    row->channel = w->Text(3);
    row->currency = w->Text(4);
    row->amount = DecimalOf(w->Text(5));
    row->eur_amount = DecimalOf(w->Text(6));
    row->status = ParseWithdrawalStatus(w->Text(7)).value_or(WithdrawalStatus::kPendingApproval);
    row->approval_level = static_cast<int>(w->Int(8));
    row->approvers = SplitIds(w->Text(9));
    row->requested_by = w->OptInt(10);
    row->hold_id = w->Int(11);
    row->voucher = w->Text(12);
    row->failure_code = w->Text(13);
    row->note = w->Text(14);
    row->transaction_id = w->OptInt(15);
    row->created_at = w->Int(16);
    row->updated_at = w->Int(17);
    row->bank_account_id = w->OptInt(18);
    withdrawals_.Load(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto b = db.Prepare(
      "SELECT id, customer_id, brand, bank_name, account_name, account_number, photo_file_id,"
      " status, name_match, reason, added_by, decided_by, created_at, updated_at"
      " FROM bank_accounts ORDER BY id");
  if (!b.ok()) return b.status();
  s = b->ForEachRow([&]() -> Status {
    auto row = std::make_shared<BankAccount>();
    row->id = b->Int(0);
    row->customer_id = b->Int(1);
    row->brand = b->Text(2);
    row->bank_name = b->Text(3);
    row->account_name = b->Text(4);
    row->account_number = b->Text(5);
    row->photo_file_id = b->Text(6);
    row->status = ParseBankAccountStatus(b->Text(7)).value_or(BankAccountStatus::kPending);
    row->name_match = b->Int(8) != 0;
    row->reason = b->Text(9);
    row->added_by = b->OptInt(10);
    row->decided_by = b->OptInt(11);
    row->created_at = b->Int(12);
    row->updated_at = b->Int(13);
    bank_accounts_.Load(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto r = db.Prepare(
      "SELECT id, brand, channel, created_by, created_at, period_from, period_to, rows, matched,"
      " missing_in_back_office, missing_in_statement, amount_mismatch, status_mismatch,"
      " matched_rows, missing_in_back_office_rows, missing_in_statement_rows,"
      " amount_mismatch_rows, status_mismatch_rows FROM reconciliations ORDER BY id");
  if (!r.ok()) return r.status();
  return r->ForEachRow([&]() -> Status {
    auto row = std::make_shared<Reconciliation>();
    row->id = r->Int(0);
    row->brand = r->Text(1);
    row->channel = r->Text(2);
    row->created_by = r->OptInt(3);
    row->created_at = r->Int(4);
    row->period_from = r->Int(5);
    row->period_to = r->Int(6);
    row->rows = r->Int(7);
    row->matched = r->Int(8);
    row->missing_in_back_office = r->Int(9);
    row->missing_in_statement = r->Int(10);
    row->amount_mismatch = r->Int(11);
    row->status_mismatch = r->Int(12);
    for (int i = 0; i < 5; ++i) row->lists[size_t(i)] = r->Text(13 + i);
    reconciliations_.Load(std::move(row));
    return Status::Ok();
  });
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const PaymentChannel> c) {
  Stmt& q = put_channel_;
  q.Bind(1, c->id).Bind(2, c->brand).Bind(3, c->code).Bind(4, c->name).Bind(5, c->kind);
  q.Bind(6, JoinCurrencies(c->currencies)).Bind(7, c->min_amount.ToString(2));
  q.Bind(8, c->max_amount.ToString(2)).Bind(9, int64_t{c->deposits});
  q.Bind(10, int64_t{c->withdrawals}).Bind(11, int64_t{c->requires_bank_account});
  BindOpt(q, 12, c->auto_below_eur);
  BindOpt(q, 13, c->one_approver_below_eur);
  q.Bind(14, c->callback_secret).Bind(15, c->created_at).Bind(16, c->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  channels_.Stage(batch, std::move(c));
  return Status::Ok();
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const LedgerEntry> e) {
  Stmt& q = put_entry_;
  q.Bind(1, e->id).Bind(2, e->customer_id).Bind(3, e->brand).Bind(4, e->currency);
  q.Bind(5, e->amount.ToString(2)).Bind(6, e->kind).Bind(7, e->ref).Bind(8, e->at);
  if (Status s = q.Exec(); !s.ok()) return s;
  ledger_.Stage(batch, std::move(e));
  return Status::Ok();
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const Hold> h) {
  Stmt& q = put_hold_;
  q.Bind(1, h->id).Bind(2, h->customer_id).Bind(3, h->brand).Bind(4, h->currency);
  q.Bind(5, h->amount.ToString(2)).Bind(6, h->ref).Bind(7, kHoldStatusNames[size_t(h->status)]);
  q.Bind(8, h->created_at).Bind(9, h->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  holds_.Stage(batch, std::move(h));
  return Status::Ok();
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const Deposit> d) {
  Stmt& q = put_deposit_;
  q.Bind(1, d->id).Bind(2, d->customer_id).Bind(3, d->brand).Bind(4, d->channel);
  q.Bind(5, d->currency).Bind(6, d->amount.ToString(2)).Bind(7, d->eur_amount.ToString(2));
  q.Bind(8, Name(d->status)).Bind(9, d->psp_order_id).Bind(10, d->payer_name);
  BindOpt(q, 11, d->paid_amount);
  q.Bind(12, d->paid_currency).Bind(13, d->psp_status);
  q.Bind(14, d->failure_code).Bind(15, d->note).Bind(16, d->transaction_id);
  q.Bind(17, d->created_at).Bind(18, d->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  deposits_.Stage(batch, std::move(d));
  return Status::Ok();
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const PspEvent> e) {
  Stmt& q = put_psp_event_;
  q.Bind(1, e->id).Bind(2, e->channel).Bind(3, e->psp_order_id).Bind(4, e->status);
  q.Bind(5, e->deposit_id).Bind(6, e->at);
  if (Status s = q.Exec(); !s.ok()) return s;
  psp_events_.Stage(batch, std::move(e));
  return Status::Ok();
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const Withdrawal> w) {
  Stmt& q = put_withdrawal_;
  q.Bind(1, w->id).Bind(2, w->customer_id).Bind(3, w->brand).Bind(4, w->channel);
  q.Bind(5, w->currency).Bind(6, w->amount.ToString(2)).Bind(7, w->eur_amount.ToString(2));
  q.Bind(8, Name(w->status)).Bind(9, int64_t{w->approval_level}).Bind(10, JoinIds(w->approvers));
  q.Bind(11, w->requested_by).Bind(12, w->hold_id).Bind(13, w->voucher);
  q.Bind(14, w->failure_code).Bind(15, w->note).Bind(16, w->transaction_id);
  q.Bind(17, w->created_at).Bind(18, w->updated_at).Bind(19, w->bank_account_id);
  if (Status s = q.Exec(); !s.ok()) return s;
  withdrawals_.Stage(batch, std::move(w));
  return Status::Ok();
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const BankAccount> a) {
  Stmt& q = put_bank_account_;
  q.Bind(1, a->id).Bind(2, a->customer_id).Bind(3, a->brand).Bind(4, a->bank_name);
  q.Bind(5, a->account_name).Bind(6, a->account_number).Bind(7, a->photo_file_id);
  q.Bind(8, Name(a->status)).Bind(9, int64_t{a->name_match}).Bind(10, a->reason);
  q.Bind(11, a->added_by).Bind(12, a->decided_by).Bind(13, a->created_at).Bind(14, a->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  bank_accounts_.Stage(batch, std::move(a));
  return Status::Ok();
}

Status FundsStore::Put(WriteBatch& batch, std::shared_ptr<const Reconciliation> r) {
  Stmt& q = put_reconciliation_;
  q.Bind(1, r->id).Bind(2, r->brand).Bind(3, r->channel).Bind(4, r->created_by);
  q.Bind(5, r->created_at).Bind(6, r->period_from).Bind(7, r->period_to).Bind(8, r->rows);
  q.Bind(9, r->matched).Bind(10, r->missing_in_back_office).Bind(11, r->missing_in_statement);
  q.Bind(12, r->amount_mismatch).Bind(13, r->status_mismatch);
  for (int i = 0; i < 5; ++i) q.Bind(14 + i, r->lists[size_t(i)]);
  if (Status s = q.Exec(); !s.ok()) return s;
  reconciliations_.Stage(batch, std::move(r));
  return Status::Ok();
}

}  // namespace kyc
