#include "staff/approvals.h"

#include "tables/pages.h"

#include <shared_mutex>

namespace kyc {

std::optional<ApprovalStatus> ParseApprovalStatus(std::string_view name) {
  for (size_t i = 0; i < kApprovalStatusNames.size(); ++i) {
    if (kApprovalStatusNames[i] == name) return static_cast<ApprovalStatus>(i);
  }
  return std::nullopt;
}

void WriteApproval(JsonOut& o, const ApprovalRequest& r, int64_t now) {
  o.BeginObject();
  o.Key("id").Int(r.id);
  o.Key("command").Str(r.command);
  o.Key("params").Raw(r.params.empty() ? std::string_view("{}") : std::string_view(r.params));
  o.Key("summary").Str(r.summary);
  o.Key("brand");
  r.brand.empty() ? o.Null() : o.Str(r.brand);
  o.Key("customer_id").OptInt(r.customer_id);
  o.Key("reason");
  r.reason.empty() ? o.Null() : o.Str(r.reason);
  o.Key("status").Str(Name(r.StatusAt(now)));
  o.Key("initiator").BeginObject();
  o.Key("manager_id").Int(r.initiator_id);
  o.Key("login").Str(r.initiator_login);
  o.Key("session_type").Str(SessionTypeName(r.initiator_type));
  o.EndObject();
  o.Key("decided_by");
  if (r.decided_by) {
    o.BeginObject().Key("manager_id").Int(*r.decided_by).Key("login").Str(r.decided_by_login);
    o.EndObject();
  } else {
    o.Null();
  }
  o.Key("decision_comment");
  r.decision_comment.empty() ? o.Null() : o.Str(r.decision_comment);
  o.Key("created_at").Int(r.created_at);
  o.Key("expires_at").Int(r.expires_at);
  o.Key("decided_at").OptInt(r.decided_at);
  o.EndObject();
}

std::string ApprovalJson(const ApprovalRequest& r, int64_t now) {
  JsonOut o;
  WriteApproval(o, r, now);
  return o.Take();
}

RowPage<ApprovalRequest> ApprovalSet::List(const ApprovalFilter& f, int64_t now) const {
  std::vector<Ptr> all;
  Scan([&](const Ptr& r) {
    if ((!f.status || r->StatusAt(now) == *f.status) && (!f.command || r->command == *f.command)) {
      all.push_back(r);
    }
    return true;
  });
  return NewestFirst<ApprovalRequest>(all, f.offset, f.limit);
}

}  // namespace kyc
