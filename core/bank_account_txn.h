// Bank accounts on the kyc writer strand (issue 16, seed 003 section 5): added by the
// client or staff, verified or rejected by staff, each change an audit row (entity
// "bank_account") and the record's `bank_account_status` updated in the same commit.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/client_txn.h"
#include "funds/bank_accounts.h"

namespace kyc {

using BankAccountPtr = std::shared_ptr<const BankAccount>;

struct NewBankAccount {
  int64_t customer_id = 0;
  std::string brand;
  std::string bank_name;
  std::string account_name;
  std::string account_number;  // normalized (NormalizeAccountNumber)
  std::string photo_file_id;   // checked by the caller: an image or PDF of this customer
  std::optional<int64_t> added_by;  // staff (none: the client)
};

class BankAccountTxn {
 public:
  explicit BankAccountTxn(ClientTxn& client) : client_(client) {}

  // conflict without a client record, on a closed account, or when the customer has this
  // number already (pending or verified). `name_match` compares the account name with the
  // record's identity (the company name for a corporate customer).
  Result<BankAccountPtr> Add(const NewBankAccount& a);
  // Pending → verified. forbidden for the staff member who added it; bad_request without a
  // comment when the name does not match (the comment says why it is accepted anyway).
  Result<BankAccountPtr> Verify(int64_t id, int64_t manager, const std::string& comment);
  // Pending or verified → rejected, with the reason.
  Result<BankAccountPtr> Reject(int64_t id, int64_t manager, const std::string& reason);

 private:
  Result<std::shared_ptr<BankAccount>> Open(int64_t id);
  // Writes `after`, its audit row and, when the summary moved, the record's summary.
  Status Save(const BankAccountPtr& before, std::shared_ptr<BankAccount> after,
              std::string_view action, std::string_view reason);

  ClientTxn& client_;
};

}  // namespace kyc
