// Session types as they appear on the wire, and access masks built from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc {

enum class SessionType : uint8_t {
  kAdmin = 0,
  kManager = 1,
  kDealer = 2,
  kCrmAdmin = 3,
  kCrmManager = 4,
  kClient = 5,
};
inline constexpr int kSessionTypeCount = 6;

std::string_view SessionTypeName(SessionType t);  // "SESSION_ADMIN", ...
std::optional<SessionType> ParseSessionType(std::string_view name);
inline bool IsStaff(SessionType t) { return t != SessionType::kClient; }

// A set of session types allowed to call a command.
using AccessMask = uint8_t;
constexpr AccessMask Bit(SessionType t) { return AccessMask(1u << static_cast<int>(t)); }
inline constexpr AccessMask kNoSession = 0;  // the command needs no session at all
inline constexpr AccessMask kAdminOnly = Bit(SessionType::kAdmin);
inline constexpr AccessMask kStaff = Bit(SessionType::kAdmin) | Bit(SessionType::kManager) |
                                     Bit(SessionType::kDealer) | Bit(SessionType::kCrmAdmin) |
                                     Bit(SessionType::kCrmManager);
inline constexpr AccessMask kClient = Bit(SessionType::kClient);
// Blocking a customer and changing a brand's tiers and compliance rules (issue 13).
inline constexpr AccessMask kAdminOrManager = Bit(SessionType::kAdmin) | Bit(SessionType::kManager);
inline constexpr AccessMask kStaffOrClient = kStaff | kClient;

inline bool Allows(AccessMask mask, SessionType t) { return (mask & Bit(t)) != 0; }
// "S", "A", "C", "S C" or "—", as the command list in PROTOCOL.md writes it.
std::string_view AccessLabel(AccessMask mask);

}  // namespace kyc
