#include "kyc/audit.h"

namespace kyc {

void WriteAuditRow(JsonOut& o, const AuditRow& r) {
  o.BeginObject();
  o.Key("id").Int(r.id);
  o.Key("at").Int(r.at);
  o.Key("actor_type").Str(r.actor.type);
  o.Key("actor_id").OptInt(r.actor.id);
  o.Key("session_type");
  r.actor.session_type.empty() ? o.Null() : o.Str(r.actor.session_type);
  o.Key("action").Str(r.action);
  o.Key("entity").Str(r.entity);
  o.Key("entity_id").Int(r.entity_id);
  o.Key("customer_id").OptInt(r.customer_id);
  o.Key("brand").Str(r.brand);
  o.Key("before");
  r.before.empty() ? o.Null() : o.Raw(r.before);
  o.Key("after");
  r.after.empty() ? o.Null() : o.Raw(r.after);
  o.Key("reason");
  r.reason.empty() ? o.Null() : o.Str(r.reason);
  o.EndObject();
}

}  // namespace kyc
