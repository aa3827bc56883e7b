#include "funds/rules.h"

#include <sodium.h>

#include <array>
#include <string>

namespace kyc {

int ApprovalLevelOf(const Decimal& eur_amount, RiskLevel risk, const PaymentChannel& channel) {
  const bool low_risk = risk == RiskLevel::kUnknown || risk == RiskLevel::kLow;
  if (low_risk && channel.auto_below_eur && eur_amount < *channel.auto_below_eur) return 0;
  if (risk < RiskLevel::kHigh && channel.one_approver_below_eur &&
      eur_amount < *channel.one_approver_below_eur) {
    return 1;
  }
  return 2;
}

std::string CallbackSignature(std::string_view secret, std::string_view body) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  return std::string(hex.data());
}

bool VerifyCallbackSignature(std::string_view secret, std::string_view body,
                             std::string_view signature) {
  if (secret.empty() || signature.size() != crypto_auth_hmacsha256_BYTES * 2) return false;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> given{};
  size_t len = 0;
  if (sodium_hex2bin(given.data(), given.size(), signature.data(), signature.size(), nullptr, &len,
                     nullptr) != 0 ||
      len != given.size()) {
    return false;
  }
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  return sodium_memcmp(mac.data(), given.data(), mac.size()) == 0;
}

}  // namespace kyc
