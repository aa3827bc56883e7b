// Which KYC a business operation needs (MngCheckKycOperation): a per-brand policy from
// the config file, and the check that answers a dealer's terminal with a readable reason.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kyc/profiles.h"

namespace kyc {

// The operations a policy covers.
bool IsOperation(std::string_view operation);
inline constexpr std::string_view kOperationList =
    "open_real_account, deposit, withdrawal, exchange, trade, client_area, upload_documents, "
    "open_position, close_position";

struct OperationRule {
  int64_t min_level = 1;  // the profile's level must be at least this
};

// An operation of level 1 or more needs a profile whose status is neither rejected nor
// expired, a risk level below prohibited, and at least the rule's level. One of level 0
// (the client area, uploading documents, closing a position) needs no KYC: a customer
// with an expired document must still be able to send a new one.
struct KycPolicy {
  // Defaults: open_real_account 1, deposit 1, withdrawal 2, exchange 1, trade 1,
  // client_area 0, upload_documents 0, open_position 1, close_position 0.
  std::map<std::string, OperationRule, std::less<>> defaults = {
      {"open_real_account", {1}}, {"deposit", {1}},          {"withdrawal", {2}},
      {"exchange", {1}},          {"trade", {1}},            {"client_area", {0}},
      {"upload_documents", {0}},  {"open_position", {1}},    {"close_position", {0}}};
  // brand → operation → rule; an operation a brand does not name uses the default.
  std::map<std::string, std::map<std::string, OperationRule, std::less<>>, std::less<>> brands;

  const OperationRule& Rule(std::string_view brand, std::string_view operation) const;
};

struct CheckResult {
  bool allowed = false;
  std::string reason;  // "KYC level 1 of 2: proof_address pending"
  int64_t level = 0;
  ProfileStatus status = ProfileStatus::kNone;
};

CheckResult CheckOperation(const OperationRule& rule, std::string_view operation,
                           int64_t customer_id, std::string_view brand, const Profile* profile,
                           const std::vector<std::shared_ptr<const Step>>& steps);

}  // namespace kyc
