#include "bases/client_store.h"

#include <algorithm>

#include <rapidjson/document.h>

namespace kyc {

// No REFERENCES on the transaction and totals tables: a client record is never deleted,
// and a foreign-key check would read a random page of `clients` three times per
// MngAddTransaction (perf: the parent lookups, not the writes, made it 3.5× slower than a
// profile write). The writer checks the record exists before it writes.
const std::string_view kClientSchema = R"sql(
ALTER TABLE documents ADD COLUMN issuing_country TEXT NOT NULL DEFAULT '';
CREATE TABLE clients(
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  type TEXT NOT NULL,
  first_name TEXT, last_name TEXT,
  birth_date TEXT, birth_country TEXT, birth_city TEXT, nationality TEXT, gender TEXT,
  documents TEXT NOT NULL,
  address TEXT,
  phone TEXT, email TEXT, tax_residence_country TEXT, tin TEXT,
  source_of_funds TEXT, profession_category TEXT, annual_income_bracket TEXT,
  is_pep INTEGER NOT NULL, pep_details TEXT,
  risk_score_ai TEXT,
  kyc_answers TEXT,
  is_blocked INTEGER NOT NULL, block_reason TEXT, blocked_by INTEGER, blocked_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(customer_id, brand)
);
CREATE TABLE transactions(
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  type TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  eur_amount TEXT NOT NULL,
  external_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER
);
CREATE TABLE client_lifetime_totals(
  client_id INTEGER PRIMARY KEY,
  eur_volume TEXT NOT NULL, count INTEGER NOT NULL,
  deposits_eur TEXT NOT NULL, deposits_count INTEGER NOT NULL,
  withdrawals_eur TEXT NOT NULL, withdrawals_count INTEGER NOT NULL,
  exchanges_eur TEXT NOT NULL, exchanges_count INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE tx_daily_totals(
  day TEXT NOT NULL,
  client_id INTEGER NOT NULL,
  eur_volume TEXT NOT NULL, count INTEGER NOT NULL,
  deposits_eur TEXT NOT NULL, deposits_count INTEGER NOT NULL,
  withdrawals_eur TEXT NOT NULL, withdrawals_count INTEGER NOT NULL,
  exchanges_eur TEXT NOT NULL, exchanges_count INTEGER NOT NULL,
  PRIMARY KEY(day, client_id)
) WITHOUT ROWID;
CREATE TABLE kyc_tiers(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  level INTEGER NOT NULL,
  name TEXT NOT NULL,
  max_single_eur TEXT, max_daily_eur TEXT, max_lifetime_eur TEXT, max_loan TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(brand, level)
);
CREATE TABLE compliance_rules(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  name TEXT NOT NULL,
  operation TEXT NOT NULL,
  scope TEXT NOT NULL,
  threshold_eur TEXT NOT NULL,
  when_is_pep INTEGER, when_min_risk_score_ai TEXT, when_types TEXT NOT NULL,
  effect TEXT NOT NULL,
  fields TEXT NOT NULL,
  level INTEGER,
  deleted INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE duplicate_alerts(
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  doc_type TEXT NOT NULL, issuing_country TEXT, number TEXT NOT NULL,
  source TEXT NOT NULL,
  customer_id INTEGER NOT NULL, brand TEXT NOT NULL,
  other_customer_id INTEGER NOT NULL, other_brand TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER, resolved_by INTEGER, resolution TEXT
);
)sql";

namespace {

void BindDecimal(Stmt& q, int i, const std::optional<Decimal>& d) {
  if (d) q.Bind(i, d->ToString(2));
  else q.BindNull(i);
}
std::optional<Decimal> OptDecimal(const Stmt& q, int col) {
  std::string t = q.Text(col);
  if (t.empty()) return std::nullopt;
  return Decimal::Parse(t);
}
Decimal DecimalAt(const Stmt& q, int col) { return OptDecimal(q, col).value_or(Decimal{}); }

// A JSON array of strings stored in a TEXT column.
std::string StringsJson(const std::vector<std::string>& v) {
  JsonOut o;
  o.BeginArray();
  for (const auto& s : v) o.Str(s);
  o.EndArray();
  return o.Take();
}
std::vector<std::string> StringsFromJson(const std::string& json) {
  std::vector<std::string> out;
  rapidjson::Document d;
  if (d.Parse(json.data(), json.size()).HasParseError() || !d.IsArray()) return out;
  for (const auto& v : d.GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

// Binds the nine totals columns from `first`.
void BindTotals(Stmt& q, int first, const Totals& t) {
  q.Bind(first, t.all.eur.ToString(2)).Bind(first + 1, t.all.count);
  q.Bind(first + 2, t.deposits.eur.ToString(2)).Bind(first + 3, t.deposits.count);
  q.Bind(first + 4, t.withdrawals.eur.ToString(2)).Bind(first + 5, t.withdrawals.count);
  q.Bind(first + 6, t.exchanges.eur.ToString(2)).Bind(first + 7, t.exchanges.count);
}
Totals TotalsAt(const Stmt& q, int first) {
  Totals t;
  t.all = {DecimalAt(q, first), q.Int(first + 1)};
  t.deposits = {DecimalAt(q, first + 2), q.Int(first + 3)};
  t.withdrawals = {DecimalAt(q, first + 4), q.Int(first + 5)};
  t.exchanges = {DecimalAt(q, first + 6), q.Int(first + 7)};
  return t;
}

constexpr std::string_view kTotalsColumns =
    "eur_volume, count, deposits_eur, deposits_count, withdrawals_eur, withdrawals_count,"
    " exchanges_eur, exchanges_count";

}  // namespace

Status ClientStore::Load(Db& db) {
  if (Status s = LoadClients(db); !s.ok()) return s;
  if (Status s = LoadTransactions(db); !s.ok()) return s;
  if (Status s = LoadTotals(db); !s.ok()) return s;
  return LoadSettings(db);
}

Status ClientStore::Prepare(Db& db) {
  struct Entry {
    Stmt* stmt;
    std::string sql;
  };
  const Entry entries[] = {
      {&put_client_,
       UpsertSql("clients",
                 {"id", "uuid", "customer_id", "brand", "type", "first_name", "last_name",
                  "birth_date", "birth_country", "birth_city", "nationality", "gender",
                  "documents", "address", "phone", "email", "tax_residence_country", "tin",
                  "source_of_funds", "profession_category", "annual_income_bracket", "is_pep",
                  "pep_details", "risk_score_ai", "kyc_answers", "is_blocked", "block_reason",
                  "blocked_by", "blocked_at", "created_at", "updated_at", "kyc_answers_at",
                  "account_status", "account_status_reason", "account_status_at",
                  "account_hold", "account_hold_reason", "bank_account_status"})},
      {&put_transaction_,
       "INSERT INTO transactions(id, client_id, customer_id, brand, type, amount, currency,"
       " eur_amount, external_id, at, created_at, created_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"},
      {&put_lifetime_,
       UpsertSql("client_lifetime_totals",
                 {"client_id", "eur_volume", "count", "deposits_eur", "deposits_count",
                  "withdrawals_eur", "withdrawals_count", "exchanges_eur", "exchanges_count",
                  "updated_at"})},
      {&put_daily_,
       fmt::format("INSERT INTO tx_daily_totals(day, client_id, {0}) VALUES(?,?,?,?,?,?,?,?,?,?)"
                   " ON CONFLICT(day, client_id) DO UPDATE SET eur_volume=excluded.eur_volume,"
                   " count=excluded.count, deposits_eur=excluded.deposits_eur,"
                   " deposits_count=excluded.deposits_count,"
                   " withdrawals_eur=excluded.withdrawals_eur,"
                   " withdrawals_count=excluded.withdrawals_count,"
                   " exchanges_eur=excluded.exchanges_eur, exchanges_count=excluded.exchanges_count",
                   kTotalsColumns)},
      {&put_tier_,
       UpsertSql("kyc_tiers", {"id", "brand", "level", "name", "max_single_eur", "max_daily_eur",
                               "max_lifetime_eur", "max_loan", "created_at", "updated_at"})},
      {&put_rule_,
       UpsertSql("compliance_rules",
                 {"id", "brand", "name", "operation", "scope", "threshold_eur", "when_is_pep",
                  "when_min_risk_score_ai", "when_types", "effect", "fields", "level",
                  "deleted", "created_at", "updated_at"})},
      {&put_alert_,
       UpsertSql("duplicate_alerts",
                 {"id", "status", "doc_type", "issuing_country", "number", "source",
                  "customer_id", "brand", "other_customer_id", "other_brand", "created_at",
                  "resolved_at", "resolved_by", "resolution"})},
  };
  for (const auto& e : entries) {
    auto stmt = db.Prepare(e.sql);
    if (!stmt.ok()) return stmt.status();
    *e.stmt = std::move(stmt.value());
  }
  return Status::Ok();
}

Status ClientStore::LoadClients(Db& db) {
  auto q = db.Prepare(
      "SELECT id, uuid, customer_id, brand, type, first_name, last_name, birth_date,"
      " birth_country, birth_city, nationality, gender, documents, address, phone, email,"
      " tax_residence_country, tin, source_of_funds, profession_category,"
      " annual_income_bracket, is_pep, pep_details, risk_score_ai, kyc_answers, is_blocked,"
      " block_reason, blocked_by, blocked_at, created_at, updated_at, kyc_answers_at,"
      " account_status, account_status_reason, account_status_at, account_hold,"
      " account_hold_reason, bank_account_status FROM clients"
      " ORDER BY id");
  if (!q.ok()) return q.status();
  return q->ForEachRow([&]() -> Status {
    auto r = std::make_shared<ClientRecord>();
    r->id = q->Int(0);
    r->uuid = q->Text(1);
    r->customer_id = q->Int(2);
    r->brand = q->Text(3);
    r->type = ParseClientType(q->Text(4)).value_or(ClientType::kRegular);
    r->first_name = q->Text(5);
    r->last_name = q->Text(6);
    r->birth_date = q->Text(7);
    r->birth_country = q->Text(8);
    r->birth_city = q->Text(9);
    r->nationality = q->Text(10);
    r->gender = q->Text(11);
    r->documents = DocumentsFromJson(q->Text(12));
    r->address = AddressFromJson(q->Text(13));
    r->phone = q->Text(14);
    r->email = q->Text(15);
    r->tax_residence_country = q->Text(16);
    r->tin = q->Text(17);
    r->source_of_funds = q->Text(18);
    r->profession_category = q->Text(19);
    r->annual_income_bracket = q->Text(20);
    r->is_pep = q->Int(21) != 0;
    r->pep_details = q->Text(22);
    r->risk_score_ai = OptDecimal(*q, 23);
    r->kyc_answers = q->Text(24);
    r->is_blocked = q->Int(25) != 0;
    r->block_reason = q->Text(26);
    r->blocked_by = q->OptInt(27);
    r->blocked_at = q->OptInt(28);
    r->created_at = q->Int(29);
    r->updated_at = q->Int(30);
    r->kyc_answers_at = q->Text(31);
    r->account_status = ParseAccountStatus(q->Text(32)).value_or(AccountStatus::kRegistered);
    r->account_status_reason = q->Text(33);
    r->account_status_at = q->Int(34);
    r->account_hold = static_cast<StaffHold>(std::clamp<int64_t>(q->Int(35), 0, 2));
    r->account_hold_reason = q->Text(36);
    r->bank_account_status = ParseBankAccountState(q->Text(37)).value_or(BankAccountState::kNone);
    clients_.Load(std::move(r));
    return Status::Ok();
  });
}

Status ClientStore::LoadTransactions(Db& db) {
  auto q = db.Prepare(
      "SELECT id, client_id, customer_id, brand, type, amount, currency, eur_amount,"
      " external_id, at, created_at, created_by FROM transactions ORDER BY id");
  if (!q.ok()) return q.status();
  return q->ForEachRow([&]() -> Status {
    auto t = std::make_shared<Transaction>();
    t->id = q->Int(0);
    t->client_id = q->Int(1);
    t->customer_id = q->Int(2);
    t->brand = q->Text(3);
    t->type = ParseTxType(q->Text(4)).value_or(TxType::kDeposit);
    t->amount = DecimalAt(*q, 5);
    t->currency = q->Text(6);
    t->eur_amount = DecimalAt(*q, 7);
    t->external_id = q->Text(8);
    t->at = q->Int(9);
    t->created_at = q->Int(10);
    t->created_by = q->OptInt(11);
    transactions_.Load(std::move(t));
    return Status::Ok();
  });
}

Status ClientStore::LoadTotals(Db& db) {
  auto q = db.Prepare(fmt::format(
      "SELECT client_id, {}, updated_at FROM client_lifetime_totals ORDER BY client_id",
      kTotalsColumns));
  if (!q.ok()) return q.status();
  Status s = q->ForEachRow([&]() -> Status {
    auto t = std::make_shared<LifetimeTotals>();
    t->id = q->Int(0);
    t->totals = TotalsAt(*q, 1);
    t->updated_at = q->Int(9);
    lifetime_.Load(std::move(t));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto d = db.Prepare(fmt::format(
      "SELECT client_id, day, {} FROM tx_daily_totals ORDER BY day, client_id", kTotalsColumns));
  if (!d.ok()) return d.status();
  int64_t next_id = 0;  // in memory only: the base keys a row by (day, client_id)
  return d->ForEachRow([&]() -> Status {
    auto t = std::make_shared<DailyTotals>();
    t->id = ++next_id;
    t->client_id = d->Int(0);
    t->day = ParseDay(d->Text(1)).value_or(0);
    t->totals = TotalsAt(*d, 2);
    daily_.Load(std::move(t));
    return Status::Ok();
  });
}

Status ClientStore::LoadSettings(Db& db) {
  auto t = db.Prepare(
      "SELECT id, brand, level, name, max_single_eur, max_daily_eur, max_lifetime_eur,"
      " max_loan, created_at, updated_at FROM kyc_tiers ORDER BY id");
  if (!t.ok()) return t.status();
  Status s = t->ForEachRow([&]() -> Status {
    auto tier = std::make_shared<Tier>();
    tier->id = t->Int(0);
    tier->brand = t->Text(1);
    tier->level = t->Int(2);
    tier->name = t->Text(3);
    tier->max_single_eur = OptDecimal(*t, 4);
    tier->max_daily_eur = OptDecimal(*t, 5);
    tier->max_lifetime_eur = OptDecimal(*t, 6);
    tier->max_loan = OptDecimal(*t, 7);
    tier->created_at = t->Int(8);
    tier->updated_at = t->Int(9);
    tiers_.Load(std::move(tier));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto r = db.Prepare(
      "SELECT id, brand, name, operation, scope, threshold_eur, when_is_pep,"
      " when_min_risk_score_ai, when_types, effect, fields, level, deleted, created_at,"
      " updated_at FROM compliance_rules ORDER BY id");
  if (!r.ok()) return r.status();
  s = r->ForEachRow([&]() -> Status {
    auto rule = std::make_shared<ComplianceRule>();
    rule->id = r->Int(0);
    rule->brand = r->Text(1);
    rule->name = r->Text(2);
    rule->operation = r->Text(3);
    rule->scope = r->Text(4);
    rule->threshold_eur = DecimalAt(*r, 5);
    if (auto pep = r->OptInt(6)) rule->when_is_pep = *pep != 0;
    rule->when_min_risk_score_ai = OptDecimal(*r, 7);
    rule->when_types = StringsFromJson(r->Text(8));
    rule->effect = r->Text(9);
    rule->fields = StringsFromJson(r->Text(10));
    rule->level = r->OptInt(11);
    rule->deleted = r->Int(12) != 0;
    rule->created_at = r->Int(13);
    rule->updated_at = r->Int(14);
    rules_.Load(std::move(rule));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto a = db.Prepare(
      "SELECT id, status, doc_type, issuing_country, number, source, customer_id, brand,"
      " other_customer_id, other_brand, created_at, resolved_at, resolved_by, resolution"
      " FROM duplicate_alerts ORDER BY id");
  if (!a.ok()) return a.status();
  return a->ForEachRow([&]() -> Status {
    auto alert = std::make_shared<DuplicateAlert>();
    alert->id = a->Int(0);
    alert->status = a->Text(1) == "resolved" ? AlertStatus::kResolved : AlertStatus::kOpen;
    alert->identity = {a->Text(2), a->Text(3), a->Text(4)};
    alert->source = a->Text(5);
    alert->customer_id = a->Int(6);
    alert->brand = a->Text(7);
    alert->other_customer_id = a->Int(8);
    alert->other_brand = a->Text(9);
    alert->created_at = a->Int(10);
    alert->resolved_at = a->OptInt(11);
    alert->resolved_by = a->OptInt(12);
    alert->resolution = a->Text(13);
    alerts_.Load(std::move(alert));
    return Status::Ok();
  });
}

Status ClientStore::Put(WriteBatch& batch, std::shared_ptr<const ClientRecord> r) {
  Stmt& q = put_client_;
  q.Bind(1, r->id).Bind(2, r->uuid).Bind(3, r->customer_id).Bind(4, r->brand);
  q.Bind(5, Name(r->type));
  q.BindTextOrNull(6, r->first_name);
  q.BindTextOrNull(7, r->last_name);
  q.BindTextOrNull(8, r->birth_date);
  q.BindTextOrNull(9, r->birth_country);
  q.BindTextOrNull(10, r->birth_city);
  q.BindTextOrNull(11, r->nationality);
  q.BindTextOrNull(12, r->gender);
  q.Bind(13, DocumentsJson(r->documents));
  q.BindTextOrNull(14, r->address.empty() ? std::string() : AddressJson(r->address));
  q.BindTextOrNull(15, r->phone);
  q.BindTextOrNull(16, r->email);
  q.BindTextOrNull(17, r->tax_residence_country);
  q.BindTextOrNull(18, r->tin);
  q.BindTextOrNull(19, r->source_of_funds);
  q.BindTextOrNull(20, r->profession_category);
  q.BindTextOrNull(21, r->annual_income_bracket);
  q.Bind(22, int64_t{r->is_pep});
  q.BindTextOrNull(23, r->pep_details);
  BindDecimal(q, 24, r->risk_score_ai);
  q.BindTextOrNull(25, r->kyc_answers);
  q.Bind(26, int64_t{r->is_blocked});
  q.BindTextOrNull(27, r->block_reason);
  q.Bind(28, r->blocked_by).Bind(29, r->blocked_at);
  q.Bind(30, r->created_at).Bind(31, r->updated_at);
  q.BindTextOrNull(32, r->kyc_answers_at);
  q.Bind(33, Name(r->account_status));
  q.BindTextOrNull(34, r->account_status_reason);
  q.Bind(35, r->account_status_at).Bind(36, int64_t(r->account_hold));
  q.BindTextOrNull(37, r->account_hold_reason);
  q.Bind(38, Name(r->bank_account_status));
  if (Status s = q.Exec(); !s.ok()) return s;
  clients_.Stage(batch, std::move(r));
  return Status::Ok();
}

Status ClientStore::Put(WriteBatch& batch, std::shared_ptr<const Transaction> t) {
  Stmt& q = put_transaction_;
  q.Bind(1, t->id).Bind(2, t->client_id).Bind(3, t->customer_id).Bind(4, t->brand);
  q.Bind(5, Name(t->type)).Bind(6, t->amount.ToString(2)).Bind(7, t->currency);
  q.Bind(8, t->eur_amount.ToString(2)).Bind(9, t->external_id).Bind(10, t->at);
  q.Bind(11, t->created_at).Bind(12, t->created_by);
  if (Status s = q.Exec(); !s.ok()) return s;
  transactions_.Stage(batch, std::move(t));
  return Status::Ok();
}

Status ClientStore::Put(WriteBatch& batch, std::shared_ptr<const LifetimeTotals> t) {
  Stmt& q = put_lifetime_;
  q.Bind(1, t->id);
  BindTotals(q, 2, t->totals);
  q.Bind(10, t->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  lifetime_.Stage(batch, std::move(t));
  return Status::Ok();
}

Status ClientStore::Put(WriteBatch& batch, std::shared_ptr<const DailyTotals> t) {
  Stmt& q = put_daily_;
  q.Bind(1, DayText(t->day)).Bind(2, t->client_id);
  BindTotals(q, 3, t->totals);
  if (Status s = q.Exec(); !s.ok()) return s;
  daily_.Stage(batch, std::move(t));
  return Status::Ok();
}

Status ClientStore::Put(WriteBatch& batch, std::shared_ptr<const Tier> t) {
  Stmt& q = put_tier_;
  q.Bind(1, t->id).Bind(2, t->brand).Bind(3, t->level).Bind(4, t->name);
  BindDecimal(q, 5, t->max_single_eur);
  BindDecimal(q, 6, t->max_daily_eur);
  BindDecimal(q, 7, t->max_lifetime_eur);
  BindDecimal(q, 8, t->max_loan);
  q.Bind(9, t->created_at).Bind(10, t->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  tiers_.Stage(batch, std::move(t));
  return Status::Ok();
}

Status ClientStore::Put(WriteBatch& batch, std::shared_ptr<const ComplianceRule> r) {
  Stmt& q = put_rule_;
  q.Bind(1, r->id).Bind(2, r->brand).Bind(3, r->name).Bind(4, r->operation).Bind(5, r->scope);
  q.Bind(6, r->threshold_eur.ToString(2));
  q.Bind(7, r->when_is_pep ? std::optional<int64_t>(*r->when_is_pep) : std::nullopt);
  BindDecimal(q, 8, r->when_min_risk_score_ai);
  q.Bind(9, StringsJson(r->when_types)).Bind(10, r->effect).Bind(11, StringsJson(r->fields));
  q.Bind(12, r->level).Bind(13, int64_t{r->deleted}).Bind(14, r->created_at);
  q.Bind(15, r->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  rules_.Stage(batch, std::move(r));
  return Status::Ok();
}

Status ClientStore::Put(WriteBatch& batch, std::shared_ptr<const DuplicateAlert> a) {
  Stmt& q = put_alert_;
  q.Bind(1, a->id).Bind(2, kAlertStatusNames[size_t(a->status)]).Bind(3, a->identity.type);
  q.BindTextOrNull(4, a->identity.issuing_country);
  q.Bind(5, a->identity.number).Bind(6, a->source).Bind(7, a->customer_id).Bind(8, a->brand);
  q.Bind(9, a->other_customer_id).Bind(10, a->other_brand).Bind(11, a->created_at);
  q.Bind(12, a->resolved_at).Bind(13, a->resolved_by);
  q.BindTextOrNull(14, a->resolution);
  if (Status s = q.Exec(); !s.ok()) return s;
  alerts_.Stage(batch, std::move(a));
  return Status::Ok();
}

}  // namespace kyc
