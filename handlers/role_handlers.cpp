// Staff roles (issue 15): MngSetRole and MngGetRoles (SESSION_ADMIN, staff.manage). A
// role's holders are staff accounts whose `roles` name it; changing the permissions of a
// held role waits for a second admin (four eyes), then ends its holders' sessions, so the
// next login carries the new permissions.
#include <algorithm>

#include "handlers/handlers.h"
#include "handlers/kyc_params.h"

namespace kyc::handlers {

Result<std::string> MngSetRole(Call& c) {
  ParamReader p(c.params);
  std::string name = p.String("name", 64);
  auto listed = ReadNames<Perm>(p, "permissions", ParsePerm, "the permissions MngGetRoles lists",
                                true);
  if (Status s = p.Finish(); !s.ok()) return s;
  PermMask perms = 0;
  for (Perm perm : *listed) perms |= PermBit(perm);
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

Result<std::optional<ApprovalNeed>> FourEyesMngSetRole(const Call& c) {
  ParamReader p(c.params);
  std::string name = p.String("name", 64);
  auto listed = ReadNames<Perm>(p, "permissions", ParsePerm, "the permissions MngGetRoles lists",
                                true);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto& staff = c.core.staff();
  auto role = c.batch ? staff.staged_roles().StagedFind(name) : staff.roles().Find(name);
  if (!role) return std::optional<ApprovalNeed>();  // a new role: nobody holds it yet
  PermMask perms = 0;
  for (Perm perm : *listed) perms |= PermBit(perm);
  if (perms == role->permissions) return std::optional<ApprovalNeed>();
  // Changing what a held role grants changes what its holders may do: four eyes.
  int64_t holders = 0;
  auto count = [&](const ManagerSet::Ptr& m) {
    if (std::find(m->roles.begin(), m->roles.end(), name) != m->roles.end()) ++holders;
  };
  if (c.batch) {
    staff.staged_managers().StagedScan(count);
  } else {
    staff.managers().Scan([&](const ManagerSet::Ptr& m) {
      count(m);
      return true;
    });
  }
  if (holders == 0) return std::optional<ApprovalNeed>();
  return std::optional<ApprovalNeed>(ApprovalNeed{
      .summary = fmt::format("change role '{}' held by {} account(s)", name, holders),
      .target = fmt::format("{} updated {}", RoleJson(*role), role->updated_at)});
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
