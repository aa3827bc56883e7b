#include "bases/staff_base.h"

#include <algorithm>
#include <array>

namespace kyc {
namespace {

const std::string kStaffSchemaV1 = std::string(R"sql(
CREATE TABLE managers(
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  session_type TEXT NOT NULL,
  name TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql") + std::string(kAuditSchema);

// Issue 15: roles by job function, and the approver of a four-eyes change in the audit.
constexpr std::string_view kStaffSchemaV2 = R"sql(
ALTER TABLE managers ADD COLUMN roles TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN approved_by INTEGER;
CREATE TABLE roles(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  permissions TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

std::string PermsText(PermMask mask) {
  std::string out;
  for (int i = 1; i < kPermCount; ++i) {
    if (!(mask & PermBit(Perm(i)))) continue;
    if (!out.empty()) out += ',';
    out += Name(Perm(i));
  }
  return out;
}

PermMask PermsFromText(std::string_view text) {
  PermMask mask = 0;
  for (const auto& name : SplitRoles(text)) {
    if (auto p = ParsePerm(name)) mask |= PermBit(*p);
  }
  return mask;
}

}  // namespace

void WriteManager(JsonOut& o, const Manager& m) {
  o.BeginObject();
  o.Key("id").Int(m.id);
  o.Key("login").Str(m.login);
  o.Key("name").Str(m.name);
  o.Key("session_type").Str(SessionTypeName(m.session_type));
  o.Key("disabled").Bool(m.disabled);
  o.Key("roles").BeginArray();
  for (const auto& r : m.roles) o.Str(r);
  o.EndArray();
  o.Key("effective_roles").BeginArray();
  for (const auto& r : m.roles.empty() ? DefaultRoles(m.session_type) : m.roles) o.Str(r);
  o.EndArray();
  o.Key("created_at").Int(m.created_at);
  o.Key("updated_at").Int(m.updated_at);
  o.EndObject();
}

std::string ManagerJson(const Manager& m) {
  JsonOut o;
  WriteManager(o, m);
  return o.Take();
}

bool IsValidLogin(std::string_view login) {
  return !login.empty() && login.size() <= 64 &&
         std::all_of(login.begin(), login.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-' || c == '@';
         });
}

ManagerSet::Ptr ManagerSet::FindLogin(std::string_view login) const {
  Ptr found;
  Scan([&](const Ptr& m) {
    if (m->login != login) return true;
    found = m;
    return false;
  });
  return found;
}

ManagerSet::Ptr ManagerSet::StagedFindLogin(std::string_view login) const {
  Ptr found;
  StagedScan([&](const Ptr& m) {
    if (m->login == login) found = m;
  });
  return found;
}

Result<std::unique_ptr<StaffBase>> StaffBase::Open(const std::string& path,
                                                   boost::asio::any_io_executor writers,
                                                   const BaseOptions& options) {
  std::unique_ptr<StaffBase> base(new StaffBase());
  const std::array<std::string_view, 3> migrations{kStaffSchemaV1, kStaffSchemaV2, kAuditChainSchema};
  if (Status s = base->OpenFile(path, migrations, "managers", std::move(writers), options); !s.ok()) {
    return s;
  }
  return base;
}

Status StaffBase::Load() {
  auto put = db_->Prepare(UpsertSql("managers", {"id", "login", "password_hash", "session_type",
                                                 "name", "disabled", "created_at", "updated_at",
                                                 "roles"}));
  if (!put.ok()) return put.status();
  put_manager_ = std::move(put.value());

  auto q = db_->Prepare(
      "SELECT id, login, password_hash, session_type, name, disabled, created_at, updated_at,"
      " roles FROM managers ORDER BY id");
  if (!q.ok()) return q.status();
  Status loaded = q->ForEachRow([&]() -> Status {
    auto m = std::make_shared<Manager>();
    m->id = q->Int(0);
    m->login = q->Text(1);
    m->password_hash = q->Text(2);
    auto type = ParseSessionType(q->Text(3));
    if (!type || *type == SessionType::kClient) {
      return Error(Code::kInternal, "manager {} has an unknown session type '{}'", m->id,
                   q->Text(3));
    }
    m->session_type = *type;
    m->name = q->Text(4);
    m->disabled = q->Int(5) != 0;
    m->created_at = q->Int(6);
    m->updated_at = q->Int(7);
    m->roles = SplitRoles(q->Text(8));
    managers_.Load(std::move(m));
    return Status::Ok();
  });
  if (!loaded.ok()) return loaded;
  auto put_role = db_->Prepare(
      UpsertSql("roles", {"id", "name", "permissions", "created_at", "updated_at"}));
  if (!put_role.ok()) return put_role.status();
  put_role_ = std::move(put_role.value());
  auto r = db_->Prepare("SELECT id, name, permissions, created_at, updated_at FROM roles ORDER BY id");
  if (!r.ok()) return r.status();
  loaded = r->ForEachRow([&]() -> Status {
    auto role = std::make_shared<Role>();
    role->id = r->Int(0);
    role->name = r->Text(1);
    role->permissions = PermsFromText(r->Text(2));
    role->created_at = r->Int(3);
    role->updated_at = r->Int(4);
    roles_.Load(std::move(role));
    return Status::Ok();
  });
  if (!loaded.ok()) return loaded;
  return audit_.Open(*db_);
}

Status StaffBase::PutManager(WriteBatch& batch, std::shared_ptr<const Manager> m) {
  put_manager_.Bind(1, m->id).Bind(2, m->login).Bind(3, m->password_hash);
  put_manager_.Bind(4, SessionTypeName(m->session_type)).Bind(5, m->name);
  put_manager_.Bind(6, int64_t{m->disabled}).Bind(7, m->created_at).Bind(8, m->updated_at);
  put_manager_.Bind(9, JoinRoles(m->roles));
  if (Status s = put_manager_.Exec(); !s.ok()) return s;
  managers_.Stage(batch, std::move(m));
  return Status::Ok();
}

}  // namespace kyc

namespace kyc {

Status StaffBase::PutRole(WriteBatch& batch, std::shared_ptr<const Role> r) {
  put_role_.Bind(1, r->id).Bind(2, r->name).Bind(3, PermsText(r->permissions));
  put_role_.Bind(4, r->created_at).Bind(5, r->updated_at);
  if (Status s = put_role_.Exec(); !s.ok()) return s;
  roles_.Stage(batch, std::move(r));
  return Status::Ok();
}

}  // namespace kyc
