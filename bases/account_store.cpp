#include "bases/account_store.h"

#include <algorithm>

namespace kyc {

const std::string_view kAccountSchema = R"sql(
ALTER TABLE clients ADD COLUMN account_status TEXT NOT NULL DEFAULT 'registered';
ALTER TABLE clients ADD COLUMN account_status_reason TEXT;
ALTER TABLE clients ADD COLUMN account_status_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN account_hold INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN account_hold_reason TEXT;
ALTER TABLE audit ADD COLUMN approved_by INTEGER;
CREATE TABLE status_permissions(
  id INTEGER PRIMARY KEY,
  brand TEXT NOT NULL,
  status TEXT NOT NULL,
  operations TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(brand, status)
);
CREATE TABLE approvals(
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL,
  params TEXT NOT NULL,
  text_fields TEXT NOT NULL,
  brand TEXT NOT NULL,
  customer_id INTEGER,
  summary TEXT NOT NULL,
  target TEXT NOT NULL,
  initiator_id INTEGER NOT NULL,
  initiator_login TEXT NOT NULL,
  initiator_type TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by INTEGER,
  decided_by_login TEXT NOT NULL,
  decision_comment TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  decided_at INTEGER
);
)sql";

namespace {

std::string OpsText(AccountOpMask ops) {
  std::string out;
  for (int i = 1; i < kAccountOpCount; ++i) {
    if (!(ops & OpBit(AccountOp(i)))) continue;
    if (!out.empty()) out += ',';
    out += Name(AccountOp(i));
  }
  return out;
}

AccountOpMask OpsFromText(std::string_view text) {
  AccountOpMask ops = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    if (auto op = ParseAccountOp(text.substr(0, comma))) ops |= OpBit(*op);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return ops;
}

}  // namespace

Status AccountStore::Prepare(Db& db) {
  auto put = db.Prepare(
      UpsertSql("status_permissions", {"id", "brand", "status", "operations", "updated_at"}));
  if (!put.ok()) return put.status();
  put_status_permissions_ = std::move(put.value());
  put = db.Prepare(UpsertSql(
      "approvals", {"id", "command", "params", "text_fields", "brand", "customer_id", "summary", "target",
                    "initiator_id", "initiator_login", "initiator_type", "reason", "status",
                    "decided_by", "decided_by_login", "decision_comment", "created_at",
                    "expires_at", "decided_at"}));
  if (!put.ok()) return put.status();
  put_approval_ = std::move(put.value());
  return Status::Ok();
}

Status AccountStore::Load(Db& db) {
  auto q = db.Prepare("SELECT id, brand, status, operations, updated_at FROM status_permissions"
                      " ORDER BY id");
  if (!q.ok()) return q.status();
  Status s = q->ForEachRow([&]() -> Status {
    auto p = std::make_shared<StatusPermissions>();
    p->id = q->Int(0);
    p->brand = q->Text(1);
    auto status = ParseAccountStatus(q->Text(2));
    if (!status) return Error(Code::kInternal, "status_permissions {}: unknown status", p->id);
    p->status = *status;
    p->operations = OpsFromText(q->Text(3));
    p->updated_at = q->Int(4);
    status_permissions_.Load(std::move(p));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  auto a = db.Prepare(
      "SELECT id, command, params, text_fields, brand, customer_id, summary, target, initiator_id,"
      " initiator_login, initiator_type, reason, status, decided_by, decided_by_login,"
      " decision_comment, created_at, expires_at, decided_at FROM approvals ORDER BY id");
  if (!a.ok()) return a.status();
  return a->ForEachRow([&]() -> Status {
    auto r = std::make_shared<ApprovalRequest>();
    r->id = a->Int(0);
    r->command = a->Text(1);
    r->params = a->Text(2);
    r->text_fields = a->Text(3);
    r->brand = a->Text(4);
    r->customer_id = a->OptInt(5);
    r->summary = a->Text(6);
    r->target = a->Text(7);
    r->initiator_id = a->Int(8);
    r->initiator_login = a->Text(9);
    r->initiator_type = ParseSessionType(a->Text(10)).value_or(SessionType::kManager);
    r->reason = a->Text(11);
    r->status = ParseApprovalStatus(a->Text(12)).value_or(ApprovalStatus::kPending);
    r->decided_by = a->OptInt(13);
    r->decided_by_login = a->Text(14);
    r->decision_comment = a->Text(15);
    r->created_at = a->Int(16);
    r->expires_at = a->Int(17);
    r->decided_at = a->OptInt(18);
    approvals_.Load(std::move(r));
    return Status::Ok();
  });
}

Status AccountStore::Put(WriteBatch& batch, std::shared_ptr<const StatusPermissions> p) {
  Stmt& q = put_status_permissions_;
  q.Bind(1, p->id).Bind(2, p->brand).Bind(3, Name(p->status)).Bind(4, OpsText(p->operations));
  q.Bind(5, p->updated_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  status_permissions_.Stage(batch, std::move(p));
  return Status::Ok();
}

Status AccountStore::Put(WriteBatch& batch, std::shared_ptr<const ApprovalRequest> r) {
  Stmt& q = put_approval_;
  q.Bind(1, r->id).Bind(2, r->command).Bind(3, r->params).Bind(4, r->text_fields);
  q.Bind(5, r->brand).Bind(6, r->customer_id).Bind(7, r->summary).Bind(8, r->target);
  q.Bind(9, r->initiator_id).Bind(10, r->initiator_login);
  q.Bind(11, SessionTypeName(r->initiator_type)).Bind(12, r->reason);
  q.Bind(13, Name(r->status)).Bind(14, r->decided_by).Bind(15, r->decided_by_login);
  q.Bind(16, r->decision_comment).Bind(17, r->created_at).Bind(18, r->expires_at);
  q.Bind(19, r->decided_at);
  if (Status s = q.Exec(); !s.ok()) return s;
  approvals_.Stage(batch, std::move(r));
  return Status::Ok();
}

}  // namespace kyc
