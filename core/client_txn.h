// The client record's workflow on the kyc writer strand (issue 13): saving a record with
// its audit row, the duplicate-identity check, recording a transaction with its totals.
// It shares the KycTxn's batch, actor and time, so a record, a profile held for review
// and an alert commit together.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/kyc_txn.h"
#include "customers/duplicates.h"
#include "customers/record.h"
#include "customers/transactions.h"
#include "kyc/policy.h"

namespace kyc {

using RecordPtr = std::shared_ptr<const ClientRecord>;

// An identity document of a record's or a KYC document's: what the check compares.
std::vector<Identity> IdentitiesOf(const ClientRecord& r);

struct NewTransaction {
  int64_t customer_id = 0;
  std::string brand;
  TxType type = TxType::kDeposit;
  Decimal amount;
  std::string currency;
  Decimal eur_amount;
  std::string external_id;
  int64_t at = 0;
};

struct RecordedTransaction {
  std::shared_ptr<const Transaction> transaction;
  Totals lifetime;
  DailyTotals daily;
  bool duplicate = false;
};

class ClientTxn {
 public:
  explicit ClientTxn(KycTxn& kyc) : kyc_(kyc), store_(kyc.kyc().staged_clients()) {}

  RecordPtr Record(int64_t customer_id, const std::string& brand) const {
    return store_.staged_clients().StagedFind(customer_id, brand);
  }
  // Writes the new version and its audit row (entity "customer", before/after).
  Status SaveRecord(const RecordPtr& before, RecordPtr after, std::string_view action,
                    std::string_view reason = {});

  // Checks `identities` of (customer_id, brand) against every other customer's record
  // documents and identity KYC documents. Another customer of the same brand → conflict
  // naming it (nothing may be stored: the caller returns the error). Of another brand →
  // an alert naming both (once per pair and identity), and both profiles go to
  // review_required until it is resolved.
  Status CheckIdentities(int64_t customer_id, const std::string& brand,
                         const std::vector<Identity>& identities, std::string_view source);

  // Idempotent on (brand, external_id). Refused (conflict) when the customer has no
  // record, is blocked, or the operation check does not allow it.
  Result<RecordedTransaction> AddTransaction(const NewTransaction& t, const KycPolicy& policy);

  // Resolves an open alert and recalculates both customers' profiles.
  Result<std::shared_ptr<const DuplicateAlert>> ResolveAlert(int64_t id, const std::string& reason);

  // An audit row for a brand's setting (a tier, a compliance rule): no customer.
  Status AuditSetting(std::string_view action, std::string_view entity, int64_t entity_id,
                      std::string_view brand, std::string before, std::string after);

  KycTxn& kyc() { return kyc_; }
  ClientStore& store() { return store_; }

 private:
  Status AuditAlert(const DuplicateAlert* before, const DuplicateAlert& after, std::string_view action,
                    std::string_view reason);
  Status HoldProfile(int64_t customer_id, const std::string& brand);

  KycTxn& kyc_;
  ClientStore& store_;
};

}  // namespace kyc
