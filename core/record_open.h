// Money and bank accounts need a client record that is not closed (issue 16): one check
// and one wording for the workflows and the four-eyes gate that ask it.
#pragma once

#include <cstdint>
#include <string>

#include "customers/record.h"
#include "protocol/status.h"

namespace kyc {

// conflict naming the customer when `record` is missing or its account closed.
inline Status CheckRecordOpen(const ClientRecord* record, int64_t customer_id,
                              const std::string& brand) {
  if (!record) {
    return Error(Code::kConflict, "customer {} of brand '{}' has no client record", customer_id,
                 brand);
  }
  if (record->account_hold == StaffHold::kClosed) {
    return Error(Code::kConflict, "customer {} of brand '{}': the account is closed", customer_id,
                 brand);
  }
  return Status::Ok();
}

}  // namespace kyc
