// Rules for staff accounts, shared by MngAddManager and the bootstrap admin.
#pragma once

#include <string>

#include "core/core.h"

namespace kyc {

struct NewManager {
  std::string login;
  std::string password_hash;  // argon2id, made before the write (Core::HashPassword)
  SessionType type = SessionType::kManager;
  std::string name;
  bool disabled = false;
  std::vector<std::string> roles;  // empty: the defaults of its session type
};

// Writer strand of the staff base only. Writes the account (its login already checked by
// the caller, its password already hashed: no slow work in a writer transaction) and its
// audit row; returns the account JSON. conflict when the login is taken.
Result<std::string> AddManager(Core& core, WriteBatch& batch, const NewManager& m,
                               const Actor& actor);

// bad_request unless the password length is within the configured bounds.
Status CheckPassword(const Core& core, std::string_view password);

}  // namespace kyc
