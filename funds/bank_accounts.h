// Bank accounts (issue 16, seed 003 section 5): a customer's account for payouts, with the
// bank's name, the name on the account (it must be the KYC identity's), its number and a
// photo of the bank book. Staff verify or reject it; the customer record carries the
// summary (`bank_account_status`), and channels that pay only to a bank account need a
// verified one.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "customers/record.h"
#include "funds/filter.h"
#include "funds/ledger.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

enum class BankAccountStatus : uint8_t { kPending = 0, kVerified = 1, kRejected = 2 };
inline constexpr std::array<std::string_view, 3> kBankAccountStatusNames{"pending", "verified",
                                                                         "rejected"};
inline std::string_view Name(BankAccountStatus s) { return kBankAccountStatusNames[size_t(s)]; }
std::optional<BankAccountStatus> ParseBankAccountStatus(std::string_view name);

struct BankAccount {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string brand;
  std::string bank_name;
  std::string account_name;
  std::string account_number;  // normalized: A-Z and 0-9 only
  std::string photo_file_id;
  BankAccountStatus status = BankAccountStatus::kPending;
  bool name_match = false;     // account_name is the KYC identity's (when it was added)
  std::string reason;          // a rejection's reason, a verification's comment
  std::optional<int64_t> added_by;    // staff who added it (none: the client)
  std::optional<int64_t> decided_by;  // staff who verified or rejected it
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // MoneyFilter compares channels; a bank account has none.
  std::string channel;
};
void WriteBankAccount(JsonOut& o, const BankAccount& a);
std::string BankAccountJson(const BankAccount& a);

// "DE89 3704-0044 0532 0130 00" → "DE89370400440532013000": letters (upper-cased) and
// digits, spaces and dashes dropped; 5 to 34 characters (an IBAN's most). nullopt if not.
std::optional<std::string> NormalizeAccountNumber(std::string_view text);

// What the record shows of a customer's bank accounts: verified if one is, else pending if
// one is, else rejected if any exists, else none.
BankAccountState SummaryOf(const std::vector<std::shared_ptr<const BankAccount>>& accounts);

using BankAccountFilter = MoneyFilter<BankAccountStatus>;

class BankAccountSet : public StagedTable<BankAccount> {
 public:
  std::vector<Ptr> Of(int64_t customer_id, std::string_view brand) const;        // any thread
  std::vector<Ptr> StagedOf(int64_t customer_id, std::string_view brand) const;  // writer strand
  // Writer strand: every customer's accounts with this (normalized) number.
  std::vector<Ptr> StagedWithNumber(const std::string& number) const;
  RowPage<BankAccount> List(const BankAccountFilter& f) const;  // any thread, newest first

 protected:
  void Index(const BankAccount* before, const BankAccount* after) override;

 private:
  CustomerIndex by_customer_;
  std::map<std::string, std::vector<int64_t>, std::less<>> by_number_;
};

}  // namespace kyc
