// Staff accounts: MngAddManager, MngUpdateManager, MngGetManagers (SESSION_ADMIN only).
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"
#include "core/staff_rules.h"

namespace kyc {

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

namespace {

// `roles`: an array of role names, each built in or custom (as the batch sees them when
// `staged`). nullopt when absent.
std::optional<std::vector<std::string>> ReadRoles(ParamReader& p, Core& core, bool staged) {
  auto& custom = core.staff().staged_roles();
  auto known = [&](std::string_view name) -> std::optional<std::string> {
    const bool found = FindBuiltinRole(name) ||
                       (staged ? custom.StagedFind(name) : custom.Find(name)) != nullptr;
    return found ? std::optional<std::string>(name) : std::nullopt;
  };
  return ReadNames<std::string>(p, "roles", known,
                                "support, compliance, finance, risk, admin or a role made with "
                                "MngSetRole",
                                false, 16);
}

// MngAddManager's params, checked; the password as given (hashed by the prepare stage).
Result<NewManager> ReadNewManager(Call& c, std::string* password) {
  ParamReader p(c.params);
  NewManager n;
  n.login = p.String("login", 64);
  *password = p.String("password", 1024);
  std::string type = p.String("session_type", 64);
  n.name = p.OptString("name", 200).value_or("");
  n.disabled = p.OptBool("disabled").value_or(false);
  n.roles = ReadRoles(p, c.core, c.batch != nullptr).value_or(std::vector<std::string>{});
  if (Status s = p.Finish(); !s.ok()) return s;
  if (Status s = CheckStaffType(type, &n.type); !s.ok()) return s;
  if (!IsValidLogin(n.login)) {
    return Status(Code::kBadRequest, "field 'login' must match [A-Za-z0-9._@-]{1,64}");
  }
  if (Status s = CheckPassword(c.core, *password); !s.ok()) return s;
  return n;
}

struct ManagerChange {
  int64_t id = 0;
  std::optional<std::string> password, type_name, name;
  std::optional<bool> disabled;
  std::optional<std::vector<std::string>> roles;
};

Result<ManagerChange> ReadManagerChange(const Call& c) {
  ParamReader p(c.params);
  ManagerChange m;
  m.id = p.Int("id");
  m.password = p.OptString("password", 1024);
  m.type_name = p.OptString("session_type", 64);
  m.name = p.OptString("name", 200);
  m.disabled = p.OptBool("disabled");
  m.roles = ReadRoles(p, c.core, c.batch != nullptr);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (m.password) {
    if (Status s = CheckPassword(c.core, *m.password); !s.ok()) return s;
  }
  return m;
}

}  // namespace

namespace handlers {

Status PrepareMngAddManager(Call& c) {
  std::string password;
  auto n = ReadNewManager(c, &password);
  if (!n.ok()) return n.status();
  auto hash = c.core.HashPassword(password);
  if (!hash.ok()) return hash.status();
  c.prepared.password_hash = std::move(hash.value());
  return Status::Ok();
}

Result<std::string> MngAddManager(Call& c) {
  std::string password;
  auto n = ReadNewManager(c, &password);
  if (!n.ok()) return n.status();
  n->password_hash = std::move(c.prepared.password_hash);
  return AddManager(c.core, *c.batch, *n, c.actor());
}

bool ChangesPassword(const Params& params) { return params.doc.HasMember("password"); }

Status PrepareMngUpdateManager(Call& c) {
  auto change = ReadManagerChange(c);
  if (!change.ok()) return change.status();
  if (!change->password) return Status::Ok();
  auto hash = c.core.HashPassword(*change->password);
  if (!hash.ok()) return hash.status();
  c.prepared.password_hash = std::move(hash.value());
  return Status::Ok();
}

Result<std::string> MngUpdateManager(Call& c) {
  auto read = ReadManagerChange(c);
  if (!read.ok()) return read.status();
  const ManagerChange& change = *read;
  const int64_t id = change.id;

  auto& staff = c.core.staff();
  auto before = staff.staged_managers().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "manager {} not found", id);
  auto m = std::make_shared<Manager>(*before);
  if (change.type_name) {
    if (Status s = CheckStaffType(*change.type_name, &m->session_type); !s.ok()) return s;
  }
  if (change.name) m->name = *change.name;
  if (change.roles) m->roles = *change.roles;
  if (change.disabled) m->disabled = *change.disabled;
  // Never leave the server without an enabled admin who could repair it: a SESSION_ADMIN
  // whose roles grant staff.manage.
  auto repairs = [&](const Manager& x) {
    return x.session_type == SessionType::kAdmin && !x.disabled &&
           Grants(PermissionsOf(x.roles.empty() ? DefaultRoles(x.session_type) : x.roles,
                                staff.staged_roles()),
                  Perm::kStaffManage);
  };
  bool was_admin = repairs(*before);
  bool is_admin = repairs(*m);
  if (was_admin && !is_admin) {
    int admins = 0;
    staff.staged_managers().StagedScan([&](const ManagerSet::Ptr& x) {
      if (repairs(*x)) ++admins;
    });
    if (admins <= 1) {
      return Error(Code::kConflict, "manager {} is the last enabled admin; it cannot be {}", id,
                   m->disabled ? "disabled" : "demoted");
    }
  }
  if (change.password) {
    if (c.prepared.password_hash.empty()) {
      return Status(Code::kInternal, "the password was not hashed");
    }
    m->password_hash = std::move(c.prepared.password_hash);
  }
  m->updated_at = c.now;
  std::string json = ManagerJson(*m);
  AuditRow row{.at = c.now, .actor = c.actor(), .action = "manager.update", .entity = "manager",
               .entity_id = id, .before = ManagerJson(*before), .after = json,
               .reason = change.password ? "password changed" : ""};
  if (Status s = staff.PutManager(*c.batch, m); !s.ok()) return s;
  if (Status s = staff.AppendAudit(*c.batch, std::move(row)); !s.ok()) return s;
  // A disabled account, a new type, new roles or a new password ends the account's open
  // sessions.
  if (m->disabled || m->session_type != before->session_type || m->roles != before->roles ||
      change.password) {
    c.batch->AfterCommit([&sessions = c.core.sessions(), id] { sessions.RevokeManager(id); });
  }
  return json;
}

Result<std::optional<ApprovalNeed>> FourEyesMngUpdateManager(const Call& c) {
  auto change = ReadManagerChange(c);
  if (!change.ok()) return change.status();
  auto& managers = c.core.staff().staged_managers();
  auto m = c.batch ? managers.StagedGet(change->id) : managers.Get(change->id);
  if (!m) return std::optional<ApprovalNeed>();
  SessionType type = m->session_type;
  if (change->type_name) {
    if (Status s = CheckStaffType(*change->type_name, &type); !s.ok()) return s;
  }
  const bool new_type = type != m->session_type;
  const bool new_roles = change->roles && *change->roles != m->roles;
  if (!new_type && !new_roles) return std::optional<ApprovalNeed>();
  std::string what;
  if (new_roles) what = fmt::format("roles [{}] → [{}]", JoinRoles(m->roles), JoinRoles(*change->roles));
  if (new_type) {
    if (!what.empty()) what += ", ";
    what += fmt::format("{} → {}", SessionTypeName(m->session_type), SessionTypeName(type));
  }
  return std::optional<ApprovalNeed>(ApprovalNeed{
      .summary = fmt::format("change staff account '{}': {}", m->login, what),
      .target = fmt::format("{} [{}] disabled={} updated {}", SessionTypeName(m->session_type),
                            JoinRoles(m->roles), m->disabled, m->updated_at),
  });
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
