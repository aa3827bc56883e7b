#include "bases/audit_store.h"

#include <sodium.h>

#include <vector>

namespace kyc {

std::string AuditRowHash(std::string_view prev_hash, const AuditRow& row) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string input = AuditHashInput(row);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(prev_hash.data()),
                            prev_hash.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(input.data()),
                            input.size());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

AuditChainCheck VerifyAuditChain(const AuditLog& log, int64_t from_id, int64_t to_id) {
  AuditChainCheck out;
  std::string prev;
  bool have_prev = false;
  // The row before the range gives the first link.
  if (from_id > 1) {
    if (auto before = log.Get(from_id - 1)) {
      prev = before->hash;
      have_prev = true;
    }
  }
  log.ScanRange(from_id, to_id + 1, [&](const AuditLog::Ptr& r) {
    if (!out.ok) return;  // the first break is the answer
    ++out.checked;
    const bool linked = !have_prev || r->prev_hash == prev;
    if (!linked || r->hash != AuditRowHash(r->prev_hash, *r)) {
      out.ok = false;
      out.first_broken_id = r->id;
      return;
    }
    prev = r->hash;
    have_prev = true;
  });
  return out;
}

Status AuditStore::Open(Db& db) {
  auto ins = db.Prepare(
      "INSERT INTO audit(id, at, actor_type, actor_id, session_type, action, entity, entity_id,"
      " customer_id, brand, before, after, reason, approved_by, prev_hash, hash)"
      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  insert_ = std::move(ins.value());

  auto q = db.Prepare(
      "SELECT id, at, actor_type, actor_id, session_type, action, entity, entity_id, customer_id,"
      " brand, before, after, reason, approved_by, prev_hash, hash FROM audit ORDER BY id");
  if (!q.ok()) return q.status();
  std::vector<std::shared_ptr<AuditRow>> unchained;  // written before the chain
  std::string last_hash;
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
    r->prev_hash = q->Text(14);
    r->hash = q->Text(15);
    if (r->hash.empty()) {
      r->prev_hash = last_hash;
      r->hash = AuditRowHash(r->prev_hash, *r);
      unchained.push_back(r);
    }
    last_hash = r->hash;
    log_.Load(std::move(r));
    return Status::Ok();
  });
  if (!loaded.ok()) return loaded;
  if (unchained.empty()) return Status::Ok();
  auto set = db.Prepare("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?");
  if (!set.ok()) return set.status();
  if (Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  for (const auto& r : unchained) {
    set->Bind(1, r->prev_hash).Bind(2, r->hash).Bind(3, r->id);
    if (Status s = set->Exec(); !s.ok()) {
      (void)db.Exec("ROLLBACK");
      return s;
    }
  }
  return db.Exec("COMMIT");
}

Status AuditStore::Append(WriteBatch& batch, AuditRow row, AuditLog::Ptr* staged) {
  row.id = log_.StagedNextId();
  // Ids are dense (a discarded batch gives its ids back): the row before is id - 1.
  auto before = row.id > 1 ? log_.StagedGet(row.id - 1) : nullptr;
  row.prev_hash = before ? before->hash : std::string();
  row.hash = AuditRowHash(row.prev_hash, row);
  insert_.Bind(1, row.id).Bind(2, row.at).Bind(3, row.actor.type).Bind(4, row.actor.id);
  insert_.Bind(5, row.actor.session_type).Bind(6, row.action).Bind(7, row.entity);
  insert_.Bind(8, row.entity_id).Bind(9, row.customer_id).Bind(10, row.brand);
  insert_.Bind(11, row.before).Bind(12, row.after).Bind(13, row.reason);
  insert_.Bind(14, row.actor.approved_by).Bind(15, row.prev_hash).Bind(16, row.hash);
  if (Status s = insert_.Exec(); !s.ok()) return s;
  auto ptr = std::make_shared<const AuditRow>(std::move(row));
  if (staged) *staged = ptr;
  log_.Stage(batch, std::move(ptr));
  return Status::Ok();
}

}  // namespace kyc
