// MngGetKycAudit: the KYC audit trail, ascending by id, paged by after_id.
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
  auto rows = c.core.kyc().audit().List(f);
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
