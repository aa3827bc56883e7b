// bases/customers.db: the customer record, keyed by (customer_id, brand). For now it
// carries the KYC aggregate fields, updated after every profile recalculation; a later
// area grows it into the full client record.
//
// The aggregates are derived from the profiles in kyc.db. They are written through this
// base's own queue after the KYC change committed, and reconciled from the profiles at
// start, so a crash between the two commits heals itself on restart.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "bases/base_file.h"
#include "bases/kyc_base.h"
#include "kyc/child_index.h"
#include "kyc/enums.h"

namespace kyc {

struct Customer {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string brand;
  ProfileStatus kyc_status = ProfileStatus::kNone;
  int64_t kyc_level = 0;
  RiskLevel kyc_risk_level = RiskLevel::kUnknown;
  int64_t updated_at = 0;
};

void WriteCustomer(JsonOut& o, const Customer& c);

class CustomerSet : public StagedTable<Customer> {
 public:
  Ptr Find(int64_t customer_id, std::string_view brand) const;        // any thread
  Ptr StagedFind(int64_t customer_id, std::string_view brand) const;  // writer strand

 protected:
  void Index(const Customer* before, const Customer* after) override;

 private:
  // A customer has a record per brand, a handful: Find looks at each one's brand.
  std::unordered_map<int64_t, IdList> by_customer_;
};

class CustomersBase : public BaseFile {
 public:
  static Result<std::unique_ptr<CustomersBase>> Open(const std::string& path,
                                                    boost::asio::any_io_executor writers,
                                                    const BaseOptions& options);
  const CustomerSet& customers() const { return customers_; }

  // Writer strand only: sets the KYC aggregate of (customer_id, brand), creating the
  // customer when needed. No-op when nothing changed.
  [[nodiscard]] Status PutKycAggregate(WriteBatch& batch, int64_t customer_id,
                                       const std::string& brand, ProfileStatus status,
                                       int64_t level, RiskLevel risk, int64_t now);

 private:
  CustomersBase() = default;
  Status Load() override;

  CustomerSet customers_;
  Stmt put_;
};

}  // namespace kyc
