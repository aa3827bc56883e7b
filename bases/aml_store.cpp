#include "bases/aml_store.h"

#include "customers/transactions.h"

namespace kyc {

const std::string_view kAmlSchema = R"sql(
ALTER TABLE clients ADD COLUMN kyc_answers_at TEXT;
CREATE TABLE aml_subscriptions(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  flag TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  params TEXT NOT NULL,
  customer_types TEXT NOT NULL,
  realtime INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER,
  UNIQUE(brand, flag)
);
CREATE TABLE aml_question_maps(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL UNIQUE,
  map TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE aml_alerts(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  customer_id INTEGER NOT NULL,
  flag TEXT NOT NULL,
  flag_group INTEGER NOT NULL,
  status TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  explanation TEXT NOT NULL,
  evidence TEXT NOT NULL,
  hits INTEGER NOT NULL,
  assigned_to INTEGER,
  resolution TEXT,
  resolution_reason TEXT,
  resolved_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE aml_hit_keys(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  customer_id INTEGER NOT NULL,
  flag TEXT NOT NULL,
  key TEXT NOT NULL,
  alert_id INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE aml_answer_changes(
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL
);
CREATE TABLE aml_runs(
  id INTEGER PRIMARY KEY,
  date TEXT NOT NULL,
  brand TEXT,
  scheduled INTEGER NOT NULL,
  customers_checked INTEGER NOT NULL,
  alerts_created INTEGER NOT NULL,
  alerts_updated INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  elapsed_ms INTEGER NOT NULL,
  started_at INTEGER NOT NULL
);
)sql";

namespace {

int64_t DayAt(const Stmt& q, int col) { return ParseDay(q.Text(col)).value_or(0); }

}  // namespace

Status AmlStore::Prepare(Db& db) {
  struct Entry {
    Stmt* stmt;
    std::string sql;
  };
  const Entry entries[] = {
      {&put_subscription_,
       UpsertSql("aml_subscriptions", {"id", "brand", "flag", "enabled", "params",
                                       "customer_types", "realtime", "updated_at", "updated_by"})},
      {&put_question_map_, UpsertSql("aml_question_maps", {"id", "brand", "map", "updated_at"})},
      {&put_alert_,
       UpsertSql("aml_alerts", {"id", "brand", "customer_id", "flag", "flag_group", "status",
                                "period_from", "period_to", "explanation", "evidence",
                                "hits", "assigned_to", "resolution", "resolution_reason", "resolved_by",
                                "created_at", "updated_at"})},
      {&put_hit_key_,
       "INSERT INTO aml_hit_keys(id, brand, customer_id, flag, key, alert_id, at)"
       " VALUES(?,?,?,?,?,?,?)"},
      {&put_answer_change_,
       "INSERT INTO aml_answer_changes(id, day, customer_id, brand) VALUES(?,?,?,?)"},
      {&put_run_,
       "INSERT INTO aml_runs(id, date, brand, scheduled, customers_checked, alerts_created,"
       " alerts_updated, skipped, elapsed_ms, started_at) VALUES(?,?,?,?,?,?,?,?,?,?)"},
  };
  for (const auto& e : entries) {
    auto stmt = db.Prepare(e.sql);
    if (!stmt.ok()) return stmt.status();
    *e.stmt = std::move(stmt.value());
  }
  return Status::Ok();
}

Status AmlStore::Load(Db& db) {
  Status s = LoadRows(
      db,
      "SELECT id, brand, flag, enabled, params, customer_types, realtime, updated_at, updated_by"
      " FROM aml_subscriptions ORDER BY id",
      [&](const Stmt& q) {
        auto sub = std::make_shared<AmlSubscription>();
        sub->id = q.Int(0);
        sub->brand = q.Text(1);
        sub->flag = q.Text(2);
        sub->enabled = q.Int(3) != 0;
        ReadAmlParamsJson(q.Text(4), *sub);
        sub->customer_types = ClientTypesFromText(q.Text(5));
        sub->realtime = q.Int(6) != 0;
        sub->updated_at = q.Int(7);
        sub->updated_by = q.OptInt(8);
        subscriptions_.Load(std::move(sub));
      });
  if (!s.ok()) return s;
  s = LoadRows(db, "SELECT id, brand, map, updated_at FROM aml_question_maps ORDER BY id",
               [&](const Stmt& q) {
                 auto m = std::make_shared<AmlQuestionMap>();
                 m->id = q.Int(0);
                 m->brand = q.Text(1);
                 ReadAmlQuestionOverrides(q.Text(2), *m);
                 m->updated_at = q.Int(3);
                 question_maps_.Load(std::move(m));
               });
  if (!s.ok()) return s;
  s = LoadRows(
      db,
      "SELECT id, brand, customer_id, flag, flag_group, status, period_from, period_to,"
      " explanation, evidence, assigned_to, resolution, resolution_reason, resolved_by,"
      " created_at, updated_at, hits FROM aml_alerts ORDER BY id",
      [&](const Stmt& q) {
        auto a = std::make_shared<AmlAlert>();
        a->id = q.Int(0);
        a->brand = q.Text(1);
        a->customer_id = q.Int(2);
        a->flag = q.Text(3);
        a->group = int(q.Int(4));
        a->status = ParseAmlAlertStatus(q.Text(5)).value_or(AmlAlertStatus::kOpen);
        a->period_from = DayAt(q, 6);
        a->period_to = DayAt(q, 7);
        a->explanation = q.Text(8);
        a->evidence = EvidenceFromJson(q.Text(9));
        a->assigned_to = q.OptInt(10);
        a->resolution = q.Text(11);
        a->resolution_reason = q.Text(12);
        a->resolved_by = q.OptInt(13);
        a->created_at = q.Int(14);
        a->updated_at = q.Int(15);
        a->hits = q.Int(16);
        alerts_.Load(std::move(a));
      });
  if (!s.ok()) return s;
  s = LoadRows(db,
               "SELECT id, brand, customer_id, flag, key, alert_id, at FROM aml_hit_keys"
               " ORDER BY id",
               [&](const Stmt& q) {
                 auto h = std::make_shared<AmlHitKey>();
                 h->id = q.Int(0);
                 h->brand = q.Text(1);
                 h->customer_id = q.Int(2);
                 h->flag = q.Text(3);
                 h->key = q.Text(4);
                 h->alert_id = q.Int(5);
                 h->at = q.Int(6);
                 hit_keys_.Load(std::move(h));
               });
  if (!s.ok()) return s;
  s = LoadRows(db, "SELECT id, day, customer_id, brand FROM aml_answer_changes ORDER BY id",
               [&](const Stmt& q) {
                 auto c = std::make_shared<AnswerChange>();
                 c->id = q.Int(0);
                 c->day = DayAt(q, 1);
                 c->customer_id = q.Int(2);
                 c->brand = q.Text(3);
                 answer_changes_.Load(std::move(c));
               });
  if (!s.ok()) return s;
  return LoadRows(
      db,
      "SELECT id, date, brand, scheduled, customers_checked, alerts_created, alerts_updated,"
      " skipped, elapsed_ms, started_at FROM aml_runs ORDER BY id",
      [&](const Stmt& q) {
        auto r = std::make_shared<AmlRun>();
        r->id = q.Int(0);
        r->date = DayAt(q, 1);
        r->brand = q.Text(2);
        r->scheduled = q.Int(3) != 0;
        r->customers_checked = q.Int(4);
        r->alerts_created = q.Int(5);
        r->alerts_updated = q.Int(6);
        r->skipped = q.Int(7);
        r->elapsed_ms = q.Int(8);
        r->started_at = q.Int(9);
        runs_.Load(std::move(r));
      });
}

Status AmlStore::Put(WriteBatch& batch, std::shared_ptr<const AmlSubscription> sub) {
  Stmt& q = put_subscription_;
  q.Bind(1, sub->id).Bind(2, sub->brand).Bind(3, sub->flag).Bind(4, int64_t{sub->enabled});
  q.Bind(5, AmlParamsJson(*sub)).Bind(6, ClientTypesText(sub->customer_types));
  q.Bind(7, int64_t{sub->realtime}).Bind(8, sub->updated_at).Bind(9, sub->updated_by);
  if (Status s = q.Exec(); !s.ok()) return s;
  subscriptions_.Stage(batch, std::move(sub));
  return Status::Ok();
}

Status AmlStore::Put(WriteBatch& batch, std::shared_ptr<const AmlQuestionMap> m) {
  Stmt& q = put_question_map_;
  q.Bind(1, m->id).Bind(2, m->brand).Bind(3, AmlQuestionOverridesJson(*m)).Bind(4, m->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  question_maps_.Stage(batch, std::move(m));
  return Status::Ok();
}

Status AmlStore::Put(WriteBatch& batch, std::shared_ptr<const AmlAlert> a) {
  Stmt& q = put_alert_;
  q.Bind(1, a->id).Bind(2, a->brand).Bind(3, a->customer_id).Bind(4, a->flag);
  q.Bind(5, int64_t{a->group}).Bind(6, kAmlAlertStatusNames[size_t(a->status)]);
  q.Bind(7, DayText(a->period_from)).Bind(8, DayText(a->period_to));
  q.Bind(9, a->explanation).Bind(10, EvidenceJson(a->evidence)).Bind(11, a->hits);
  q.Bind(12, a->assigned_to);
  q.BindTextOrNull(13, a->resolution);
  q.BindTextOrNull(14, a->resolution_reason);
  q.Bind(15, a->resolved_by).Bind(16, a->created_at).Bind(17, a->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  alerts_.Stage(batch, std::move(a));
  return Status::Ok();
}

Status AmlStore::Put(WriteBatch& batch, std::shared_ptr<const AmlHitKey> h) {
  Stmt& q = put_hit_key_;
  q.Bind(1, h->id).Bind(2, h->brand).Bind(3, h->customer_id).Bind(4, h->flag).Bind(5, h->key);
  q.Bind(6, h->alert_id).Bind(7, h->at);
  if (Status s = q.Exec(); !s.ok()) return s;
  hit_keys_.Stage(batch, std::move(h));
  return Status::Ok();
}

Status AmlStore::Put(WriteBatch& batch, std::shared_ptr<const AnswerChange> c) {
  Stmt& q = put_answer_change_;
  q.Bind(1, c->id).Bind(2, DayText(c->day)).Bind(3, c->customer_id).Bind(4, c->brand);
  if (Status s = q.Exec(); !s.ok()) return s;
  answer_changes_.Stage(batch, std::move(c));
  return Status::Ok();
}

Status AmlStore::Put(WriteBatch& batch, std::shared_ptr<const AmlRun> r) {
  Stmt& q = put_run_;
  q.Bind(1, r->id).Bind(2, DayText(r->date));
  q.BindTextOrNull(3, r->brand);
  q.Bind(4, int64_t{r->scheduled}).Bind(5, r->customers_checked).Bind(6, r->alerts_created);
  q.Bind(7, r->alerts_updated).Bind(8, r->skipped).Bind(9, r->elapsed_ms).Bind(10, r->started_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  runs_.Stage(batch, std::move(r));
  return Status::Ok();
}

}  // namespace kyc
