// Staff roles by job function (seed 001, step four; issue 15): the five built-in roles,
// custom roles (MngSetRole), the default roles of an account without any, and the
// permission mask a session carries.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json.h"
#include "protocol/permissions.h"
#include "protocol/session_type.h"
#include "tables/staged_table.h"

namespace kyc {

struct BuiltinRole {
  std::string_view name;
  PermMask permissions;
  std::string_view summary;
};
// support, compliance, finance, risk, admin.
const std::vector<BuiltinRole>& BuiltinRoles();
const BuiltinRole* FindBuiltinRole(std::string_view name);

// An account with no roles of its own gets these: SESSION_ADMIN → admin; SESSION_MANAGER →
// compliance, finance, risk; the other staff types → support.
std::vector<std::string> DefaultRoles(SessionType type);

// A role name: [a-z0-9_.-]{1,64}.
bool IsValidRoleName(std::string_view name);

struct Role {  // a custom role
  int64_t id = 0;
  std::string name;
  PermMask permissions = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

void WritePermissions(JsonOut& o, PermMask mask);  // ["kyc.read", …]
std::string RoleJson(const Role& r);

class RoleSet : public StagedTable<Role> {
 public:
  Ptr Find(std::string_view name) const;        // any thread
  Ptr StagedFind(std::string_view name) const;  // writer strand

 protected:
  void Index(const Role* before, const Role* after) override;

 private:
  std::map<std::string, int64_t, std::less<>> by_name_;
};

// The permissions `roles` grant together (unknown names grant nothing).
PermMask PermissionsOf(const std::vector<std::string>& roles, const RoleSet& custom);

// Roles as the managers table stores them ("compliance,risk"), and back.
std::string JoinRoles(const std::vector<std::string>& roles);
std::vector<std::string> SplitRoles(std::string_view text);

}  // namespace kyc
