// MngGetKycAudit: one audit query for every entity, ascending by id, paged by after_id.
// Staff accounts and roles change in managers.db, so their rows are in that base's trail
// (written in the same transaction as the change); `entity` "manager" or "role" (or, with
// no entity, an action "manager.*" or "role.*") reads it, everything else kyc.db's. Each
// trail numbers its rows on its own.
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

}  // namespace kyc::handlers
