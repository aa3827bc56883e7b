#include "protocol/permissions.h"

namespace kyc {

std::optional<Perm> ParsePerm(std::string_view name) {
  for (size_t i = 1; i < kPermNames.size(); ++i) {
    if (kPermNames[i] == name) return static_cast<Perm>(i);
  }
  return std::nullopt;
}

std::optional<AccountOp> ParseAccountOp(std::string_view name) {
  for (size_t i = 1; i < kAccountOpNames.size(); ++i) {
    if (kAccountOpNames[i] == name) return static_cast<AccountOp>(i);
  }
  return std::nullopt;
}

}  // namespace kyc
