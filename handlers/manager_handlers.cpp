// Staff accounts: MngAddManager, MngUpdateManager, MngGetManagers (SESSION_ADMIN only).
#include "handlers/handlers.h"
#include "handlers/paging.h"
#include "handlers/staff_rules.h"

namespace kyc {

Status CheckPassword(const Core& core, std::string_view password) {
  const size_t min = core.options().min_password_length;
  if (password.size() < min || password.size() > 1024) {
    return Error(Code::kBadRequest, "field 'password' must be {} to 1024 characters long", min);
  }
  return Status::Ok();
}

static Status CheckStaffType(std::string_view name, SessionType* out) {
  auto t = ParseSessionType(name);
  if (!t || !IsStaff(*t)) {
    return Error(Code::kBadRequest,
                 "field 'session_type' must be one of SESSION_ADMIN, SESSION_MANAGER, "
                 "SESSION_DEALER, SESSION_CRM_ADMIN, SESSION_CRM_MANAGER (got '{}')",
                 name);
  }
  *out = *t;
  return Status::Ok();
}

Result<std::string> AddManager(Core& core, WriteBatch& batch, const NewManager& n,
                               const Actor& actor) {
  if (!IsValidLogin(n.login)) {
    return Status(Code::kBadRequest, "field 'login' must match [A-Za-z0-9._@-]{1,64}");
  }
  if (Status s = CheckPassword(core, n.password); !s.ok()) return s;
  auto& staff = core.staff();
  if (staff.staged_managers().StagedFindLogin(n.login)) {
    return Error(Code::kConflict, "login '{}' is already taken", n.login);
  }
  auto hash = core.HashPassword(n.password);
  if (!hash.ok()) return hash.status();

  auto m = std::make_shared<Manager>();
  m->id = staff.staged_managers().StagedNextId();
  m->login = n.login;
  m->password_hash = std::move(hash.value());
  m->session_type = n.type;
  m->name = n.name;
  m->disabled = n.disabled;
  m->created_at = m->updated_at = core.clock().Now();
  std::string json = ManagerJson(*m);
  AuditRow row{.at = m->created_at, .actor = actor, .action = "manager.create",
               .entity = "manager", .entity_id = m->id, .after = json};
  if (Status s = staff.PutManager(batch, m); !s.ok()) return s;
  if (Status s = staff.AppendAudit(batch, std::move(row)); !s.ok()) return s;
  return json;
}

namespace handlers {

Result<std::string> MngAddManager(Call& c) {
  ParamReader p(c.params);
  NewManager n;
  n.login = p.String("login", 64);
  n.password = p.String("password", 1024);
  std::string type = p.String("session_type", 64);
  n.name = p.OptString("name", 200).value_or("");
  n.disabled = p.OptBool("disabled").value_or(false);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (Status s = CheckStaffType(type, &n.type); !s.ok()) return s;
  return AddManager(c.core, *c.batch, n, c.actor());
}

Result<std::string> MngUpdateManager(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  auto password = p.OptString("password", 1024);
  auto type_name = p.OptString("session_type", 64);
  auto name = p.OptString("name", 200);
  auto disabled = p.OptBool("disabled");
  if (Status s = p.Finish(); !s.ok()) return s;

  auto& staff = c.core.staff();
  auto before = staff.staged_managers().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "manager {} not found", id);
  auto m = std::make_shared<Manager>(*before);
  if (type_name) {
    if (Status s = CheckStaffType(*type_name, &m->session_type); !s.ok()) return s;
  }
  if (name) m->name = *name;
  if (disabled) m->disabled = *disabled;
  if (password) {
    if (Status s = CheckPassword(c.core, *password); !s.ok()) return s;
  }
  // Never leave the server without an enabled admin who could repair it.
  bool was_admin = before->session_type == SessionType::kAdmin && !before->disabled;
  bool is_admin = m->session_type == SessionType::kAdmin && !m->disabled;
  if (was_admin && !is_admin) {
    int admins = 0;
    staff.staged_managers().StagedScan([&](const ManagerSet::Ptr& x) {
      if (x->session_type == SessionType::kAdmin && !x->disabled) ++admins;
    });
    if (admins <= 1) {
      return Error(Code::kConflict, "manager {} is the last enabled admin; it cannot be {}", id,
                   m->disabled ? "disabled" : "demoted");
    }
  }
  if (password) {
    auto hash = c.core.HashPassword(*password);
    if (!hash.ok()) return hash.status();
    m->password_hash = std::move(hash.value());
  }
  m->updated_at = c.now;
  std::string json = ManagerJson(*m);
  AuditRow row{.at = c.now, .actor = c.actor(), .action = "manager.update", .entity = "manager",
               .entity_id = id, .before = ManagerJson(*before), .after = json,
               .reason = password ? "password changed" : ""};
  if (Status s = staff.PutManager(*c.batch, m); !s.ok()) return s;
  if (Status s = staff.AppendAudit(*c.batch, std::move(row)); !s.ok()) return s;
  // A disabled account, a new type or a new password ends the account's open sessions.
  if (m->disabled || m->session_type != before->session_type || password) {
    c.batch->AfterCommit([&sessions = c.core.sessions(), id] { sessions.RevokeManager(id); });
  }
  return json;
}

Result<std::string> MngGetManagers(Call& c) {
  ParamReader p(c.params);
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  int64_t total = 0;
  c.core.staff().managers().Scan([&](const ManagerSet::Ptr& m) {
    if (total >= page.offset && total - page.offset < page.limit) WriteManager(o, *m);
    ++total;
    return true;
  });
  o.EndArray().Key("total").Int(total).EndObject();
  return o.Take();
}

}  // namespace handlers
}  // namespace kyc
