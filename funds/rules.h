// The pure rules of the fund workflows (issue 16): a withdrawal's approval level, and the
// signature of a payment provider's callback.
#pragma once

#include <cstdint>
#include <string_view>

#include "funds/channels.h"
#include "kyc/enums.h"
#include "money/decimal.h"

namespace kyc {

// 0 (auto-approved), 1 (one finance approver) or 2 (two different approvers), from the
// seed's "amount, risk level and payment method": below the channel's auto_below_eur and
// of low or unknown risk → 0; below one_approver_below_eur and under high risk → 1;
// otherwise 2. A threshold the channel does not set never applies.
int ApprovalLevelOf(const Decimal& eur_amount, RiskLevel risk, const PaymentChannel& channel);

// hex(HMAC-SHA256(secret, body)), lower case.
std::string CallbackSignature(std::string_view secret, std::string_view body);
// Whether `signature` (hex, either case) is the body's HMAC under `secret`; compared in
// constant time. False for an empty secret or signature.
bool VerifyCallbackSignature(std::string_view secret, std::string_view body,
                             std::string_view signature);

}  // namespace kyc
