// Rules for staff accounts, shared by MngAddManager and the bootstrap admin.
#pragma once

#include <string>

#include "handlers/core.h"

namespace kyc {

struct NewManager {
  std::string login;
  std::string password;
  SessionType type = SessionType::kManager;
  std::string name;
  bool disabled = false;
};

// Writer strand of the staff base only. Validates, hashes the password, writes the
// account and its audit row; returns the account JSON. conflict when the login is taken.
Result<std::string> AddManager(Core& core, WriteBatch& batch, const NewManager& m,
                               const Actor& actor);

// bad_request unless the password length is within the configured bounds.
Status CheckPassword(const Core& core, std::string_view password);

}  // namespace kyc
