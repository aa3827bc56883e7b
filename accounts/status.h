// The account lifecycle (seed 001, step one; issue 15): the six statuses, the status a
// customer's KYC gives until staff step in, and what each status lets a customer do.
// Pure rules: no base, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kyc/profiles.h"
#include "protocol/permissions.h"

namespace kyc {

enum class AccountStatus : uint8_t {
  kRegistered = 0,
  kPendingReview = 1,
  kPendingDocuments = 2,
  kApproved = 3,
  kRestricted = 4,
  kClosed = 5,
};
inline constexpr int kAccountStatusCount = 6;
inline constexpr std::array<std::string_view, kAccountStatusCount> kAccountStatusNames{
    "registered", "pending_review", "pending_documents", "approved", "restricted", "closed"};
inline std::string_view Name(AccountStatus s) { return kAccountStatusNames[size_t(s)]; }
std::optional<AccountStatus> ParseAccountStatus(std::string_view name);

// What staff set over the derived status: nothing, a restriction, or closure (final).
enum class StaffHold : uint8_t { kNone = 0, kRestricted = 1, kClosed = 2 };

// [accounts] approval_level and [accounts.brands.<brand>] approval_level: the KYC level
// at which a customer's account is approved.
struct AccountOptions {
  int64_t approval_level = 1;
  std::map<std::string, int64_t, std::less<>> brands;
  int64_t ApprovalLevel(std::string_view brand) const {
    auto it = brands.find(brand);
    return it == brands.end() ? approval_level : it->second;
  }
};

struct AccountState {
  AccountStatus status = AccountStatus::kRegistered;
  std::string reason;  // what a support agent reads out: "document proof_address expired"
};

// The status KYC gives, the first that applies:
//  1. an active step's document rejected or expired, an approved step's document deleted,
//     or an active step expired → pending_documents (even at the approval level: a
//     document revoked for fraud takes the approval back);
//  2. a duplicate-identity hold → pending_review (compliance looks);
//  3. the profile's level reaches `approval_level` → approved;
//  4. a step rejected, or a revision requested → pending_documents;
//  5. a step submitted and waiting → pending_review;
//  6. nothing ever submitted → registered;
//  7. otherwise (steps approved, the level still short) → pending_documents.
// `profile` may be null (no KYC yet: registered). `duplicate_hold`: an open duplicate
// alert holds the profile for review.
AccountState DeriveAccountStatus(const Profile* profile, std::span<const Step* const> steps,
                                 std::span<const Document* const> docs, bool duplicate_hold,
                                 int64_t approval_level);

// The status a customer is in: a staff hold wins over the derived status.
AccountState EffectiveAccountStatus(StaffHold hold, std::string_view hold_reason,
                                    const AccountState& derived);

// The seed's defaults: registered, pending_review and pending_documents → client_area,
// upload_documents; approved → all; restricted → client_area, close_position; closed → none.
AccountOpMask DefaultStatusPermissions(AccountStatus s);

// "client_area, upload_documents" (or "none").
std::string OpListText(AccountOpMask ops);

// The operations of MngCheckKycOperation that are not account operations themselves map
// onto one: trade, exchange and open_real_account → open_position.
AccountOp AccountOpOf(std::string_view operation);

// The refusal a support agent reads out: "account restricted (expired proof of address):
// withdrawal not allowed". Empty when `ops` permits `op`.
std::string StatusRefusal(const AccountState& state, AccountOpMask ops, std::string_view operation,
                          AccountOp op);

}  // namespace kyc
