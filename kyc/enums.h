// The enums of PROTOCOL.md §3, sent as the integer of the seed table and a `*_name`.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc {

enum class ProfileStatus : uint8_t {
  kNone = 0, kDraft = 1, kPending = 2, kApproved = 3, kRejected = 4, kExpired = 5,
  kReviewRequired = 6,
};
enum class StepStatus : uint8_t {
  kRequired = 0, kPending = 1, kApproved = 2, kRejected = 3, kExpired = 4, kSkipped = 5,
};
enum class DocStatus : uint8_t {
  kUploaded = 0, kPending = 1, kApproved = 2, kRejected = 3, kExpired = 4, kDeleted = 5,
};
enum class RiskLevel : uint8_t { kUnknown = 0, kLow = 1, kMedium = 2, kHigh = 3, kProhibited = 4 };

inline constexpr std::array<std::string_view, 7> kProfileStatusNames{
    "none", "draft", "pending", "approved", "rejected", "expired", "review_required"};
inline constexpr std::array<std::string_view, 6> kStepStatusNames{
    "required", "pending", "approved", "rejected", "expired", "skipped"};
inline constexpr std::array<std::string_view, 6> kDocStatusNames{
    "uploaded", "pending", "approved", "rejected", "expired", "deleted"};
inline constexpr std::array<std::string_view, 5> kRiskLevelNames{
    "unknown", "low", "medium", "high", "prohibited"};

inline std::string_view Name(ProfileStatus s) { return kProfileStatusNames[size_t(s)]; }
inline std::string_view Name(StepStatus s) { return kStepStatusNames[size_t(s)]; }
inline std::string_view Name(DocStatus s) { return kDocStatusNames[size_t(s)]; }
inline std::string_view Name(RiskLevel r) { return kRiskLevelNames[size_t(r)]; }

// Converts a wire integer; nullopt when out of range.
template <typename E, size_t N>
std::optional<E> EnumFromInt(int64_t v, const std::array<std::string_view, N>&) {
  if (v < 0 || v >= static_cast<int64_t>(N)) return std::nullopt;
  return static_cast<E>(v);
}

// A step is active while it is required, pending or approved (§3).
inline bool IsActive(StepStatus s) {
  return s == StepStatus::kRequired || s == StepStatus::kPending || s == StepStatus::kApproved;
}

}  // namespace kyc
