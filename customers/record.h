// The client record (issue 13, seed 000): one per (customer_id, brand), the same key as
// the KYC profile. Immutable once published, like every row of a StagedTable; a change
// is a new version. Empty text means "not given" and is written as null.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/status.h"
#include "money/decimal.h"
#include "protocol/json.h"

namespace kyc {

enum class ClientType : uint8_t { kRegular = 0, kVip = 1, kCorporate = 2 };
inline constexpr std::array<std::string_view, 3> kClientTypeNames{"regular", "vip", "corporate"};
inline std::string_view Name(ClientType t) { return kClientTypeNames[size_t(t)]; }
std::optional<ClientType> ParseClientType(std::string_view name);

// The summary of a customer's bank accounts the record carries (seed 003 section 5), kept
// by the bank account workflow in the same commit as the account it summarises.
enum class BankAccountState : uint8_t { kNone = 0, kPending = 1, kVerified = 2, kRejected = 3 };
inline constexpr std::array<std::string_view, 4> kBankAccountStateNames{"none", "pending",
                                                                        "verified", "rejected"};
inline std::string_view Name(BankAccountState s) { return kBankAccountStateNames[size_t(s)]; }
std::optional<BankAccountState> ParseBankAccountState(std::string_view name);

inline constexpr std::array<std::string_view, 3> kGenderNames{"female", "male", "other"};

struct IdentityDocument {
  std::string type;             // passport, id_card, residence_permit, driving_licence, national_id
  std::string number;           // as entered
  std::string issuing_country;  // ISO 3166-1 alpha-2, or empty
  std::string expires_on;       // YYYY-MM-DD, or empty
};

struct Address {
  std::string line1, line2, city, postal_code, country;
  bool empty() const {
    return line1.empty() && line2.empty() && city.empty() && postal_code.empty() && country.empty();
  }
};

struct ClientRecord {
  int64_t id = 0;
  std::string uuid;  // RFC 4122 v4, made by the server, never changes
  int64_t customer_id = 0;
  std::string brand;
  ClientType type = ClientType::kRegular;
  std::string first_name, last_name;
  std::string birth_date, birth_country, birth_city, nationality, gender;
  std::vector<IdentityDocument> documents;  // at most two
  Address address;
  std::string phone, email, tax_residence_country, tin;
  std::string source_of_funds, profession_category, annual_income_bracket;
  bool is_pep = false;
  std::string pep_details;
  std::optional<Decimal> risk_score_ai;  // 0.00–999.99
  std::string kyc_answers;               // JSON object text; empty = {}
  // When each answer was last written: {"name": "unix seconds"} (AML: newer write wins
  // over a step's answer of the same name). Kept by ClientTxn::SaveRecord.
  std::string kyc_answers_at;
  bool is_blocked = false;
  std::string block_reason;
  std::optional<int64_t> blocked_by;  // manager id
  std::optional<int64_t> blocked_at;
  // The account lifecycle (issue 15): the status in force and why, since when, and what
  // staff set over the status KYC gives (a restriction, or closure). Kept by AccountTxn.
  AccountStatus account_status = AccountStatus::kRegistered;
  std::string account_status_reason;
  int64_t account_status_at = 0;
  StaffHold account_hold = StaffHold::kNone;
  std::string account_hold_reason;
  BankAccountState bank_account_status = BankAccountState::kNone;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // Whether a field a compliance rule may require (`tin`, `address`, "documents", …) is
  // filled. Unknown names are never filled.
  bool HasField(std::string_view name) const;
};

// An answer name of kyc_answers (and of an AML question map): [A-Za-z0-9_]{1,64}.
bool IsAnswerName(std::string_view name);

// The field names a compliance rule's require_fields may list.
bool IsRequirableField(std::string_view name);

// Reads every record field present in `p` into `rec` (create and partial update alike):
// a JSON null clears an optional field; each value is checked (bad_request naming the
// field). Key, uuid, blocking and timestamps are not read here.
void ReadRecordFields(ParamReader& p, ClientRecord& rec);

// The record's own fields, without braces (the KYC aggregate fields are added by the
// caller, who knows the profile).
void WriteRecordFields(JsonOut& o, const ClientRecord& rec);
// The record alone as an object: what the audit trail stores.
std::string RecordJson(const ClientRecord& rec);
void WriteDocuments(JsonOut& o, const std::vector<IdentityDocument>& docs);
void WriteAddress(JsonOut& o, const Address& a);
// Documents and address as stored in their TEXT columns, and back.
std::string DocumentsJson(const std::vector<IdentityDocument>& docs);
std::vector<IdentityDocument> DocumentsFromJson(std::string_view json);
std::string AddressJson(const Address& a);
Address AddressFromJson(std::string_view json);

}  // namespace kyc
