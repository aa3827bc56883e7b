#include "core/staff_rules.h"

namespace kyc {

Status CheckPassword(const Core& core, std::string_view password) {
  const size_t min = core.options().min_password_length;
  if (password.size() < min || password.size() > 1024) {
    return Error(Code::kBadRequest, "field 'password' must be {} to 1024 characters long", min);
  }
  return Status::Ok();
}

Result<std::string> AddManager(Core& core, WriteBatch& batch, const NewManager& n,
                               const Actor& actor) {
  if (n.password_hash.empty()) return Status(Code::kInternal, "the password was not hashed");
  auto& staff = core.staff();
  if (staff.staged_managers().StagedFindLogin(n.login)) {
    return Error(Code::kConflict, "login '{}' is already taken", n.login);
  }

  auto m = std::make_shared<Manager>();
  m->id = staff.staged_managers().StagedNextId();
  m->login = n.login;
  m->password_hash = n.password_hash;
  m->session_type = n.type;
  m->name = n.name;
  m->disabled = n.disabled;
  m->roles = n.roles;
  m->created_at = m->updated_at = core.clock().Now();
  std::string json = ManagerJson(*m);
  AuditRow row{.at = m->created_at, .actor = actor, .action = "manager.create",
               .entity = "manager", .entity_id = m->id, .after = json};
  if (Status s = staff.PutManager(batch, m); !s.ok()) return s;
  if (Status s = staff.AppendAudit(batch, std::move(row)); !s.ok()) return s;
  return json;
}

}  // namespace kyc
