// Ping, Login, Auth, Logout and MngCreateClientSession.
#include "handlers/handlers.h"
#include "kyc/templates.h"

namespace kyc::handlers {
namespace {

std::string SessionJson(const Session& s) {
  JsonOut o;
  o.BeginObject();
  o.Key("token").Str(s.token);
  o.Key("session_type").Str(SessionTypeName(s.type));
  o.Key("manager_id").OptInt(s.manager_id);
  if (s.type == SessionType::kClient) {
    o.Key("customer_id").OptInt(s.customer_id);
    o.Key("brand").Str(s.brand);
  } else {
    o.Key("login").Str(s.login);
    o.Key("roles").BeginArray();
    for (const auto& r : SplitRoles(s.roles)) o.Str(r);
    o.EndArray();
    o.Key("permissions");
    WritePermissions(o, s.permissions);
  }
  o.Key("expires_at").Int(s.expires_at);
  o.EndObject();
  return o.Take();
}

}  // namespace

Result<std::string> Ping(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  JsonOut o;
  o.BeginObject().Key("time").Int(c.now).EndObject();
  return o.Take();
}

Result<std::string> Login(Call& c) {
  ParamReader p(c.params);
  std::string login = p.String("login", 64);
  std::string password = p.String("password", 1024);
  if (Status s = p.Finish(); !s.ok()) return s;

  auto& throttle = c.core.throttle();
  if (Status s = throttle.Check(login, c.peer); !s.ok()) {
    c.core.metrics().LoginFailed();
    return s;
  }
  auto m = c.core.staff().managers().FindLogin(login);
  // Verify even for an unknown login so the answer takes the same time either way.
  bool password_ok = c.core.VerifyPassword(m ? m->password_hash : c.core.dummy_hash(), password);
  if (!m || !password_ok) {
    throttle.Failed(login, c.peer);
    c.core.metrics().LoginFailed();
    return Status(Code::kUnauthorized, "wrong login or password");
  }
  if (m->disabled) {
    c.core.metrics().LoginFailed();
    return Error(Code::kUnauthorized, "account '{}' is disabled", login);
  }
  throttle.Succeeded(login);
  Session proto;
  proto.type = m->session_type;
  proto.manager_id = m->id;
  proto.login = m->login;
  const auto roles = m->roles.empty() ? DefaultRoles(m->session_type) : m->roles;
  proto.permissions = PermissionsOf(roles, c.core.staff().roles());
  proto.roles = JoinRoles(roles);
  auto session = c.core.sessions().Create(proto, c.core.options().staff_session_ttl);
  // The account may have been disabled or given a new password or type while the
  // password was being verified: its revocation ran before this session existed.
  // Likewise a custom role whose permissions changed (MngSetRole).
  if (c.core.staff().managers().Get(m->id) != m ||
      PermissionsOf(roles, c.core.staff().roles()) != proto.permissions) {
    c.core.sessions().Revoke(*session);
    return Status(Code::kUnauthorized, "the account changed during login; log in again");
  }
  c.attach = std::move(session);
  return SessionJson(*c.attach);
}

Result<std::string> Auth(Call& c) {
  ParamReader p(c.params);
  std::string token = p.String("token", 128);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto session = c.core.sessions().Find(token);
  if (!session) return Status(Code::kUnauthorized, "token is unknown, expired or revoked");
  c.attach = session;
  return SessionJson(*session);
}

Result<std::string> Logout(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  c.core.sessions().Revoke(*c.session);
  c.detach = true;
  return std::string("{}");
}

Result<std::string> MngCreateClientSession(Call& c) {
  ParamReader p(c.params);
  int64_t customer_id = p.Int("customer_id");
  std::string brand = p.String("brand", 64);
  int64_t ttl = p.OptInt("ttl").value_or(c.core.options().client_session_ttl);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (customer_id < 1) return Status(Code::kBadRequest, "field 'customer_id' must be >= 1");
  if (!IsValidBrand(brand)) {
    return Status(Code::kBadRequest, "field 'brand' must match [A-Za-z0-9_.-]{1,64}");
  }
  const int64_t max_ttl = c.core.options().client_session_max_ttl;
  if (ttl < 60 || ttl > max_ttl) {
    return Error(Code::kBadRequest, "field 'ttl' must be between 60 and {} seconds", max_ttl);
  }
  Session proto;
  proto.type = SessionType::kClient;
  proto.customer_id = customer_id;
  proto.brand = brand;
  auto s = c.core.sessions().Create(proto, ttl);
  JsonOut o;
  o.BeginObject();
  o.Key("token").Str(s->token);
  o.Key("session_type").Str(SessionTypeName(s->type));
  o.Key("customer_id").Int(customer_id);
  o.Key("brand").Str(brand);
  o.Key("expires_at").Int(s->expires_at);
  o.EndObject();
  return o.Take();
}

}  // namespace kyc::handlers
