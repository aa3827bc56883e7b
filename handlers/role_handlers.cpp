// Staff roles (issue 15): MngSetRole and MngGetRoles (SESSION_ADMIN, staff.manage). A
// role's holders are staff accounts whose `roles` name it; changing its permissions ends
// their sessions, so the next login carries the new permissions.
#include "handlers/handlers.h"

namespace kyc::handlers {

Result<std::string> MngSetRole(Call& c) {
  ParamReader p(c.params);
  std::string name = p.String("name", 64);
  PermMask perms = 0;
  const rapidjson::Value* list = p.Raw("permissions");
  if (!list) {
    p.Fail(Status(Code::kBadRequest, "field 'permissions' is required"));
  } else if (!list->IsArray()) {
    p.Fail(Status(Code::kBadRequest, "field 'permissions' must be an array of permission names"));
  } else {
    for (const auto& v : list->GetArray()) {
      auto perm = v.IsString() ? ParsePerm(v.GetString()) : std::nullopt;
      if (!perm) {
        p.Fail(Error(Code::kBadRequest,
                     "field 'permissions' names an unknown permission {} (MngGetRoles lists them)",
                     ToJsonText(v)));
        break;
      }
      perms |= PermBit(*perm);
    }
  }
  if (Status s = p.Finish(); !s.ok()) return s;
  if (!IsValidRoleName(name)) {
    return Status(Code::kBadRequest, "field 'name' must match [a-z0-9_.-]{1,64}");
  }
  if (FindBuiltinRole(name)) {
    return Error(Code::kConflict, "role '{}' is built in; its permissions cannot be changed", name);
  }
  auto& staff = c.core.staff();
  auto before = staff.staged_roles().StagedFind(name);
  auto after = std::make_shared<Role>();
  after->id = before ? before->id : staff.staged_roles().StagedNextId();
  after->name = name;
  after->permissions = perms;
  after->created_at = before ? before->created_at : c.now;
  after->updated_at = c.now;
  std::string json = RoleJson(*after);
  AuditRow row{.at = c.now, .actor = c.actor(), .action = before ? "role.update" : "role.create",
               .entity = "role", .entity_id = after->id, .before = before ? RoleJson(*before) : "",
               .after = json};
  if (Status s = staff.PutRole(*c.batch, after); !s.ok()) return s;
  if (Status s = staff.AppendAudit(*c.batch, std::move(row)); !s.ok()) return s;
  c.batch->AfterCommit([&sessions = c.core.sessions(), name] { sessions.RevokeRole(name); });
  return json;
}

Result<std::string> MngGetRoles(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  int64_t total = 0;
  for (const auto& b : BuiltinRoles()) {
    o.BeginObject();
    o.Key("name").Str(b.name).Key("builtin").Bool(true).Key("summary").Str(b.summary);
    o.Key("permissions");
    WritePermissions(o, b.permissions);
    o.EndObject();
    ++total;
  }
  c.core.staff().roles().Scan([&](const RoleSet::Ptr& r) {
    o.Raw(RoleJson(*r));
    ++total;
    return true;
  });
  o.EndArray();
  o.Key("permissions");
  WritePermissions(o, kAllPerms);
  o.Key("total").Int(total).EndObject();
  return o.Take();
}

}  // namespace kyc::handlers
