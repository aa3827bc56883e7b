// What a caller needs beyond its session type (issue 15): the permission a staff
// account's roles must grant for a command, and the account operation a client's account
// status must permit. Every command row names one of each (protocol/commands.h); the
// dispatcher tests a bit of the session, no lookup.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc {

// A staff permission. kNone: any staff account of an allowed session type may call.
enum class Perm : uint8_t {
  kNone = 0,
  kKycRead,         // templates, profiles, steps, documents, tiers, rules, checks
  kKycReview,       // decide steps and documents, require steps, attach documents, uploads
  kKycConfig,       // templates, tiers, compliance rules, AML flags and question maps
  kCustomersRead,   // client records, account status and its history
  kCustomersWrite,  // create and change client records
  kCustomersBlock,  // block and unblock
  kAccountsStatus,  // restrict, close, lift a restriction
  kRiskSet,         // a profile's risk level
  kFundsRead,       // transactions and totals
  kFundsWrite,      // record transactions
  kAmlRead,         // AML alerts, flags, question maps
  kAmlReview,       // assign and resolve alerts, run and test checks
  kAuditRead,       // the audit trail
  kClientSessions,  // mint a client session
  kApprovals,       // see, approve and reject four-eyes requests
  kStaffManage,     // staff accounts and roles
  kConfigWrite,     // status permissions per brand
  kWebhooks,        // add, list and delete webhooks; read their deliveries (issue 18)
  kMetricsRead,     // GET /metrics (issue 18)
};
inline constexpr int kPermCount = 20;
inline constexpr std::array<std::string_view, kPermCount> kPermNames{
    "",              "kyc.read",        "kyc.review",       "kyc.config",   "customers.read",
    "customers.write", "customers.block", "accounts.status", "risk.set",     "funds.read",
    "funds.write",   "aml.read",        "aml.review",       "audit.read",   "clients.session",
    "approvals",     "staff.manage",    "config.write",  "webhooks",     "metrics.read"};
inline std::string_view Name(Perm p) { return kPermNames[size_t(p)]; }
std::optional<Perm> ParsePerm(std::string_view name);

// A set of permissions, as a session carries it.
using PermMask = uint64_t;
constexpr PermMask PermBit(Perm p) { return p == Perm::kNone ? 0 : PermMask{1} << size_t(p); }
inline constexpr PermMask kAllPerms = ((PermMask{1} << kPermCount) - 1) & ~PermMask{1};
inline bool Grants(PermMask mask, Perm p) { return p == Perm::kNone || (mask & PermBit(p)) != 0; }

// What a customer may do in a given account status (seed 001, "each status should
// correspond to clear permissions"). MngCheckKycOperation asks about these; client
// commands need client_area (reads) or upload_documents (submissions, uploads).
enum class AccountOp : uint8_t {
  kNone = 0,  // not a client command
  kClientArea,
  kUploadDocuments,
  kDeposit,
  kWithdrawal,
  kOpenPosition,
  kClosePosition,
};
inline constexpr int kAccountOpCount = 7;
inline constexpr std::array<std::string_view, kAccountOpCount> kAccountOpNames{
    "", "client_area", "upload_documents", "deposit", "withdrawal", "open_position",
    "close_position"};
inline std::string_view Name(AccountOp op) { return kAccountOpNames[size_t(op)]; }
std::optional<AccountOp> ParseAccountOp(std::string_view name);
using AccountOpMask = uint8_t;
constexpr AccountOpMask OpBit(AccountOp op) { return AccountOpMask(1u << size_t(op)); }
inline constexpr AccountOpMask kAllAccountOps = AccountOpMask(((1u << kAccountOpCount) - 1) & ~1u);

}  // namespace kyc
