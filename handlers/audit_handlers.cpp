// MngGetKycAudit: one audit query for every entity, ascending by id, paged by after_id.
// Staff accounts and roles change in managers.db, so their rows are in that base's trail
// (written in the same transaction as the change); `entity` "manager" or "role" (or, with
// no entity, an action "manager.*" or "role.*") reads it, everything else kyc.db's. Each
// trail numbers its rows on its own.
#include "bases/audit_store.h"
#include "handlers/handlers.h"
#include "handlers/paging.h"

namespace kyc::handlers {

Result<std::string> MngGetKycAudit(Call& c) {
  ParamReader p(c.params);
  AuditFilter f;
  f.customer_id = p.OptInt("customer_id");
  f.entity = p.OptString("entity", 64);
  f.entity_id = p.OptInt("entity_id");
  f.action = p.OptString("action", 64);
  f.from = p.OptInt("from");
  f.to = p.OptInt("to");
  f.after_id = p.OptInt("after_id").value_or(0);
  if (auto limit = p.OptInt("limit")) {
    if (*limit < 1 || *limit > kMaxPageLimit) {
      p.Fail(Error(Code::kBadRequest, "field 'limit' must be between 1 and {}", kMaxPageLimit));
    }
    f.limit = *limit;
  }
  if (Status s = p.Finish(); !s.ok()) return s;
  const bool staff_trail =
      (f.entity && (*f.entity == "manager" || *f.entity == "role")) ||
      (!f.entity && f.action && (f.action->starts_with("manager.") || f.action->starts_with("role.")));
  auto rows = staff_trail ? c.core.staff().audit().List(f) : c.core.kyc().audit().List(f);
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  for (const auto& r : rows) WriteAuditRow(o, *r);
  o.EndArray();
  // Where the next page starts: pass it back as after_id.
  o.Key("last_id").Int(rows.empty() ? f.after_id : rows.back()->id);
  o.EndObject();
  return o.Take();
}

// MngVerifyAudit (issue 17): recomputes the hash chain of kyc.db's trail, managers.db's or
// both over [from_id, to_id], and names the first row whose hash or link is wrong — a row
// changed by hand in the base (the server never changes one).
Result<std::string> MngVerifyAudit(Call& c) {
  ParamReader p(c.params);
  const int64_t from = p.OptInt("from_id").value_or(1);
  auto to = p.OptInt("to_id");
  auto base = p.OptString("base", 16);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (base && *base != "kyc" && *base != "managers") {
    return Error(Code::kBadRequest, "field 'base' must be kyc or managers (got '{}')", *base);
  }
  if (from < 1 || (to && *to < from)) {
    return Status(Code::kBadRequest, "fields 'from_id' and 'to_id' must satisfy 1 <= from_id <= to_id");
  }
  struct Trail {
    std::string_view name;
    const AuditLog& log;
  };
  std::vector<Trail> trails;
  if (!base || *base == "kyc") trails.push_back({"kyc", c.core.kyc().audit()});
  if (!base || *base == "managers") trails.push_back({"managers", c.core.staff().audit()});
  JsonOut o;
  o.BeginObject();
  bool ok = true;
  int64_t checked = 0;
  std::optional<int64_t> broken;
  std::string_view broken_base;
  for (const Trail& t : trails) {
    AuditChainCheck r = VerifyAuditChain(t.log, from, to.value_or(t.log.EndId() - 1));
    checked += r.checked;
    if (!r.ok && ok) {
      ok = false;
      broken = r.first_broken_id;
      broken_base = t.name;
    }
  }
  o.Key("ok").Bool(ok).Key("checked").Int(checked);
  if (broken) o.Key("first_broken_id").Int(*broken).Key("base").Str(broken_base);
  o.EndObject();
  return o.Take();
}

}  // namespace kyc::handlers
