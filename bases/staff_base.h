// bases/managers.db: staff accounts (argon2id password hashes) and their audit trail.
#pragma once

#include <memory>
#include <string>

#include "bases/base_file.h"
#include "bases/audit_store.h"
#include "bases/kyc_base.h"
#include "protocol/session_type.h"
#include "staff/roles.h"

namespace kyc {

struct Manager {
  int64_t id = 0;
  std::string login;
  std::string password_hash;  // libsodium crypto_pwhash_str (argon2id); never sent
  SessionType session_type = SessionType::kManager;
  std::string name;
  bool disabled = false;
  // Roles by job function (issue 15); empty: the default roles of the session type.
  std::vector<std::string> roles;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// The public view of an account (no hash): its roles as set, and `effective_roles` (the
// defaults of its session type when it has none).
void WriteManager(JsonOut& out, const Manager& m);
std::string ManagerJson(const Manager& m);
// `login`: [A-Za-z0-9._@-]{1,64}.
bool IsValidLogin(std::string_view login);

class ManagerSet : public StagedTable<Manager> {
 public:
  // Any thread: the account with this login, or nullptr.
  Ptr FindLogin(std::string_view login) const;
  // Writer strand only.
  Ptr StagedFindLogin(std::string_view login) const;
};

class StaffBase : public BaseFile {
 public:
  static Result<std::unique_ptr<StaffBase>> Open(const std::string& path,
                                                boost::asio::any_io_executor writers,
                                                const BaseOptions& options);

  const ManagerSet& managers() const { return managers_; }

  // Writer strand only.
  ManagerSet& staged_managers() { return managers_; }
  const RoleSet& roles() const { return roles_; }
  RoleSet& staged_roles() { return roles_; }
  [[nodiscard]] Status PutRole(WriteBatch& batch, std::shared_ptr<const Role> r);
  [[nodiscard]] Status PutManager(WriteBatch& batch, std::shared_ptr<const Manager> m);
  [[nodiscard]] Status AppendAudit(WriteBatch& batch, AuditRow row) {
    return audit_.Append(batch, std::move(row));
  }
  const AuditLog& audit() const { return audit_.log(); }

 private:
  StaffBase() = default;
  Status Load() override;

  ManagerSet managers_;
  RoleSet roles_;
  AuditStore audit_;
  Stmt put_manager_, put_role_;
};

}  // namespace kyc
