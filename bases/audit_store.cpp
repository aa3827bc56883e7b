#include "bases/audit_store.h"

namespace kyc {

Status AuditStore::Open(Db& db) {
  auto ins = db.Prepare(
      "INSERT INTO audit(id, at, actor_type, actor_id, session_type, action, entity, entity_id,"
      " customer_id, brand, before, after, reason, approved_by) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  insert_ = std::move(ins.value());

  auto q = db.Prepare(
      "SELECT id, at, actor_type, actor_id, session_type, action, entity, entity_id, customer_id,"
      " brand, before, after, reason, approved_by FROM audit ORDER BY id");
  if (!q.ok()) return q.status();
  Status loaded = q->ForEachRow([&]() -> Status {
    auto r = std::make_shared<AuditRow>();
    r->id = q->Int(0);
    r->at = q->Int(1);
    r->actor = Actor{q->Text(2), q->OptInt(3), q->Text(4)};
    r->action = q->Text(5);
    r->entity = q->Text(6);
    r->entity_id = q->Int(7);
    r->customer_id = q->OptInt(8);
    r->brand = q->Text(9);
    r->before = q->Text(10);
    r->after = q->Text(11);
    r->reason = q->Text(12);
    r->actor.approved_by = q->OptInt(13);
    log_.Load(std::move(r));
    return Status::Ok();
  });
  if (!loaded.ok()) return loaded;
  return Status::Ok();
}

Status AuditStore::Append(WriteBatch& batch, AuditRow row) {
  row.id = log_.StagedNextId();
  insert_.Bind(1, row.id).Bind(2, row.at).Bind(3, row.actor.type).Bind(4, row.actor.id);
  insert_.Bind(5, row.actor.session_type).Bind(6, row.action).Bind(7, row.entity);
  insert_.Bind(8, row.entity_id).Bind(9, row.customer_id).Bind(10, row.brand);
  insert_.Bind(11, row.before).Bind(12, row.after).Bind(13, row.reason);
  insert_.Bind(14, row.actor.approved_by);
  if (Status s = insert_.Exec(); !s.ok()) return s;
  log_.Stage(batch, std::make_shared<const AuditRow>(std::move(row)));
  return Status::Ok();
}

}  // namespace kyc
