// libFuzzer: reconciliation statements (CSV through libcsv, dates, decimals), then the
// comparison of whatever parsed with a few back-office payments.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "funds/reconciliation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view csv(reinterpret_cast<const char*>(data), size);
  auto rows = kyc::ParseStatement(csv);
  if (!rows.ok()) {
    if (rows.status().message().empty()) __builtin_trap();  // an error always says why
    return 0;
  }
  std::vector<kyc::BackOfficePayment> payments = {
      {"deposit", 1, "a", *kyc::Decimal::Parse("1"), "EUR", "succeeded", 0},
      {"withdrawal", 2, "a", *kyc::Decimal::Parse("2"), "EUR", "succeeded", 86400},
  };
  kyc::Reconciliation r;
  kyc::Reconcile(*rows, payments, std::nullopt, std::nullopt, r);
  if (r.matched + r.amount_mismatch + r.status_mismatch + r.missing_in_back_office != r.rows) {
    __builtin_trap();
  }
  return 0;
}
