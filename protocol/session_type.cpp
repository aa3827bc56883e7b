#include "protocol/session_type.h"

#include <array>

namespace kyc {
namespace {
constexpr std::array<std::string_view, kSessionTypeCount> kNames{
    "SESSION_ADMIN", "SESSION_MANAGER", "SESSION_DEALER",
    "SESSION_CRM_ADMIN", "SESSION_CRM_MANAGER", "SESSION_CLIENT"};
}  // namespace

std::string_view SessionTypeName(SessionType t) { return kNames[static_cast<size_t>(t)]; }

std::optional<SessionType> ParseSessionType(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<SessionType>(i);
  }
  return std::nullopt;
}

std::string_view AccessLabel(AccessMask mask) {
  if (mask == kNoSession) return "—";
  if (mask == kStaffOrClient) return "S C";
  if (mask == kStaff) return "S";
  if (mask == kAdminOnly) return "A";
  if (mask == kAdminOrManager) return "A M";
  if (mask == kClient) return "C";
  return "custom";
}

}  // namespace kyc
