#include "accounts/status.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace kyc {

std::optional<AccountStatus> ParseAccountStatus(std::string_view name) {
  for (size_t i = 0; i < kAccountStatusNames.size(); ++i) {
    if (kAccountStatusNames[i] == name) return static_cast<AccountStatus>(i);
  }
  return std::nullopt;
}

namespace {

// The first document that keeps the account from approval: an active step's document
// rejected or expired, or an approved step's document deleted (what makes the profile
// expired or review_required, kyc/rules.h, and a rejection the customer must answer).
const Document* DocumentProblem(std::span<const Step* const> steps,
                                std::span<const Document* const> docs) {
  for (const Document* d : docs) {
    if (!d->step_id) continue;
    auto s = std::find_if(steps.begin(), steps.end(),
                          [&](const Step* st) { return st->id == *d->step_id; });
    if (s == steps.end()) continue;
    if (IsActive((*s)->status) &&
        (d->status == DocStatus::kExpired || d->status == DocStatus::kRejected)) {
      return d;
    }
    if ((*s)->status == StepStatus::kApproved && d->status == DocStatus::kDeleted) return d;
  }
  return nullptr;
}

std::string DocProblemText(const Document& d) {
  if (d.status == DocStatus::kRejected) {
    return d.reject_reason.empty()
               ? fmt::format("document {} rejected", d.doc_type.view())
               : fmt::format("document {} rejected: {}", d.doc_type.view(), d.reject_reason.view());
  }
  return fmt::format("document {} {}", d.doc_type.view(), Name(d.status));
}

}  // namespace

AccountState DeriveAccountStatus(const Profile* profile, std::span<const Step* const> steps,
                                 std::span<const Document* const> docs, bool duplicate_hold,
                                 int64_t approval_level) {
  if (!profile || steps.empty()) return {AccountStatus::kRegistered, "no KYC step submitted yet"};
  std::set<std::string_view> active_codes;
  for (const Step* s : steps) {
    if (IsActive(s->status)) active_codes.insert(s->code.view());
  }
  auto replaced = [&](const Step* s) {
    return !IsActive(s->status) && active_codes.count(s->code.view()) != 0;
  };
  if (const Document* d = DocumentProblem(steps, docs)) {
    return {AccountStatus::kPendingDocuments, DocProblemText(*d)};
  }
  for (const Step* s : steps) {
    if (s->status == StepStatus::kExpired && !replaced(s)) {
      return {AccountStatus::kPendingDocuments, fmt::format("KYC step {} expired", s->code.view())};
    }
  }
  if (duplicate_hold) {
    return {AccountStatus::kPendingReview, "held for review: duplicate identity alert"};
  }
  if (profile->level >= approval_level) {
    return {AccountStatus::kApproved, fmt::format("KYC level {} reached", profile->level)};
  }
  for (const Step* s : steps) {
    if (s->status == StepStatus::kRejected && !replaced(s)) {
      return {AccountStatus::kPendingDocuments,
              s->reject_reason.empty()
                  ? fmt::format("KYC step {} rejected", s->code.view())
                  : fmt::format("KYC step {} rejected: {}", s->code.view(), s->reject_reason.view())};
    }
  }
  for (const Step* s : steps) {
    if (s->status == StepStatus::kRequired && s->revision_count > 0) {
      return {AccountStatus::kPendingDocuments,
              s->comment.empty()
                  ? fmt::format("revision requested for {}", s->code.view())
                  : fmt::format("revision requested for {}: {}", s->code.view(), s->comment.view())};
    }
  }
  for (const Step* s : steps) {
    if (s->status == StepStatus::kPending) {
      return {AccountStatus::kPendingReview, fmt::format("KYC step {} awaiting review", s->code.view())};
    }
  }
  const bool submitted = std::any_of(steps.begin(), steps.end(), [](const Step* s) {
    return s->submitted_at.has_value() || s->status == StepStatus::kApproved;
  });
  if (!submitted) return {AccountStatus::kRegistered, "no KYC step submitted yet"};
  return {AccountStatus::kPendingDocuments,
          fmt::format("KYC level {} of {}: more documents needed", profile->level, approval_level)};
}

AccountState EffectiveAccountStatus(StaffHold hold, std::string_view hold_reason,
                                    const AccountState& derived) {
  switch (hold) {
    case StaffHold::kNone: return derived;
    case StaffHold::kRestricted: return {AccountStatus::kRestricted, std::string(hold_reason)};
    case StaffHold::kClosed: return {AccountStatus::kClosed, std::string(hold_reason)};
  }
  return derived;
}

AccountOpMask DefaultStatusPermissions(AccountStatus s) {
  const AccountOpMask onboarding = OpBit(AccountOp::kClientArea) | OpBit(AccountOp::kUploadDocuments);
  switch (s) {
    case AccountStatus::kRegistered:
    case AccountStatus::kPendingReview:
    case AccountStatus::kPendingDocuments: return onboarding;
    case AccountStatus::kApproved: return kAllAccountOps;
    case AccountStatus::kRestricted:
      return OpBit(AccountOp::kClientArea) | OpBit(AccountOp::kClosePosition);
    case AccountStatus::kClosed: return 0;
  }
  return 0;
}

std::string OpListText(AccountOpMask ops) {
  std::string out;
  for (int i = 1; i < kAccountOpCount; ++i) {
    if (!(ops & OpBit(AccountOp(i)))) continue;
    if (!out.empty()) out += ", ";
    out += Name(AccountOp(i));
  }
  return out.empty() ? "none" : out;
}

AccountOp AccountOpOf(std::string_view operation) {
  if (auto op = ParseAccountOp(operation)) return *op;
  return AccountOp::kOpenPosition;  // trade, exchange, open_real_account
}

std::string StatusRefusal(const AccountState& state, AccountOpMask ops, std::string_view operation,
                          AccountOp op) {
  if (ops & OpBit(op)) return {};
  std::string status(Name(state.status));
  for (char& ch : status) {
    if (ch == '_') ch = ' ';
  }
  if (state.reason.empty()) return fmt::format("account {}: {} not allowed", status, operation);
  return fmt::format("account {} ({}): {} not allowed", status, state.reason, operation);
}

}  // namespace kyc
