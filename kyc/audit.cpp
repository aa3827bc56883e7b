#include "kyc/audit.h"

#include <algorithm>
#include <limits>

namespace kyc {

void WriteAuditRow(JsonOut& o, const AuditRow& r) {
  o.BeginObject();
  o.Key("id").Int(r.id);
  o.Key("at").Int(r.at);
  o.Key("actor_type").Str(r.actor.type);
  o.Key("actor_id").OptInt(r.actor.id);
  o.Key("session_type");
  r.actor.session_type.empty() ? o.Null() : o.Str(r.actor.session_type);
  o.Key("approved_by").OptInt(r.actor.approved_by);
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
  o.Key("prev_hash").Str(r.prev_hash);
  o.Key("hash").Str(r.hash);
  o.EndObject();
}

void AuditLog::Index(const AuditRow* before, const AuditRow* after) {
  if (before || !after) return;  // rows are only ever appended
  // A batch publishes its rows in no particular order: keep each list sorted by id.
  auto add = [id = after->id](std::vector<int64_t>& v) {
    v.insert(std::upper_bound(v.begin(), v.end(), id), id);
  };
  if (after->customer_id) add(by_customer_[*after->customer_id]);
  add(by_entity_[{after->entity, after->entity_id}]);
}

std::vector<AuditLog::Ptr> AuditLog::List(const AuditFilter& f) const {
  std::vector<Ptr> out;
  auto keep = [&](const AuditRow& r) {
    return r.id > f.after_id && (!f.customer_id || r.customer_id == *f.customer_id) &&
           (!f.entity || r.entity == *f.entity) && (!f.entity_id || r.entity_id == *f.entity_id) &&
           (!f.action || r.action == *f.action) && (!f.from || r.at >= *f.from) &&
           (!f.to || r.at <= *f.to);
  };
  auto take = [&](const Ptr& r) {
    if (r && keep(*r)) out.push_back(r);
    return static_cast<int64_t>(out.size()) < f.limit;
  };
  std::shared_lock lock(mutex());
  const std::vector<int64_t>* ids = nullptr;
  static const std::vector<int64_t> kNone;
  if (f.entity && f.entity_id) {
    auto it = by_entity_.find({*f.entity, *f.entity_id});
    ids = it == by_entity_.end() ? &kNone : &it->second;
  } else if (f.customer_id) {
    auto it = by_customer_.find(*f.customer_id);
    ids = it == by_customer_.end() ? &kNone : &it->second;
  }
  if (ids) {
    auto it = std::upper_bound(ids->begin(), ids->end(), f.after_id);
    for (; it != ids->end(); ++it) {
      if (!take(LockedGet(*it))) break;
    }
  } else {
    if (f.after_id == std::numeric_limits<int64_t>::max()) return out;
    LockedScanFrom(f.after_id + 1, take);
  }
  return out;
}

std::string AuditHashInput(const AuditRow& r) {
  JsonOut o;
  o.BeginObject();
  o.Key("id").Int(r.id).Key("at").Int(r.at);
  o.Key("actor_type").Str(r.actor.type).Key("actor_id").OptInt(r.actor.id);
  o.Key("session_type").Str(r.actor.session_type).Key("approved_by").OptInt(r.actor.approved_by);
  o.Key("action").Str(r.action).Key("entity").Str(r.entity).Key("entity_id").Int(r.entity_id);
  o.Key("customer_id").OptInt(r.customer_id).Key("brand").Str(r.brand);
  o.Key("before").Str(r.before).Key("after").Str(r.after).Key("reason").Str(r.reason);
  o.EndObject();
  return o.Take();
}

}  // namespace kyc
