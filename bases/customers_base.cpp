#include "bases/customers_base.h"

#include <array>

namespace kyc {
namespace {

const std::string kCustomersSchemaV1 = R"sql(
CREATE TABLE customers(
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  brand TEXT NOT NULL,
  kyc_status INTEGER NOT NULL,
  kyc_level INTEGER NOT NULL,
  kyc_risk_level INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(customer_id, brand)
);
)sql";

}  // namespace

void WriteCustomer(JsonOut& o, const Customer& c) {
  o.BeginObject();
  o.Key("customer_id").Int(c.customer_id);
  o.Key("brand").Str(c.brand);
  o.Key("kyc_status").Int(int64_t(c.kyc_status));
  o.Key("kyc_status_name").Str(Name(c.kyc_status));
  o.Key("kyc_level").Int(c.kyc_level);
  o.Key("kyc_risk_level").Int(int64_t(c.kyc_risk_level));
  o.Key("kyc_risk_level_name").Str(Name(c.kyc_risk_level));
  o.Key("updated_at").Int(c.updated_at);
  o.EndObject();
}

CustomerSet::Ptr CustomerSet::Find(int64_t customer_id, std::string_view brand) const {
  std::shared_lock lock(mutex());
  return FindOfCustomer(by_customer_, customer_id, brand, [&](int64_t id) { return LockedGet(id); });
}

CustomerSet::Ptr CustomerSet::StagedFind(int64_t customer_id, std::string_view brand) const {
  Ptr found;
  ForEachStaged([&](const Ptr& c) {
    if (c->customer_id == customer_id && c->brand == brand) found = c;
  });
  if (found) return found;
  return FindOfCustomer(by_customer_, customer_id, brand, [&](int64_t id) { return StagedGet(id); });
}

void CustomerSet::Index(const Customer* before, const Customer* after) {
  // A row's customer and brand never change after it is created: index it once.
  if (!before && after) by_customer_[after->customer_id].Insert(after->id);
}

Result<std::unique_ptr<CustomersBase>> CustomersBase::Open(const std::string& path,
                                                           boost::asio::any_io_executor writers,
                                                           const BaseOptions& options) {
  std::unique_ptr<CustomersBase> base(new CustomersBase());
  const std::array<std::string_view, 1> migrations{kCustomersSchemaV1};
  if (Status s = base->OpenFile(path, migrations, "customers", std::move(writers), options); !s.ok()) {
    return s;
  }
  return base;
}

Status CustomersBase::Load() {
  auto put = db_->Prepare(UpsertSql("customers", {"id", "customer_id", "brand", "kyc_status",
                                                  "kyc_level", "kyc_risk_level", "updated_at"}));
  if (!put.ok()) return put.status();
  put_ = std::move(put.value());
  auto q = db_->Prepare(
      "SELECT id, customer_id, brand, kyc_status, kyc_level, kyc_risk_level, updated_at"
      " FROM customers ORDER BY id");
  if (!q.ok()) return q.status();
  Status loaded = q->ForEachRow([&]() -> Status {
    auto c = std::make_shared<Customer>();
    c->id = q->Int(0);
    c->customer_id = q->Int(1);
    c->brand = q->Text(2);
    c->kyc_status = static_cast<ProfileStatus>(q->Int(3));
    c->kyc_level = q->Int(4);
    c->kyc_risk_level = static_cast<RiskLevel>(q->Int(5));
    c->updated_at = q->Int(6);
    customers_.Load(std::move(c));
    return Status::Ok();
  });
  if (!loaded.ok()) return loaded;
  return Status::Ok();
}

Status CustomersBase::PutKycAggregate(WriteBatch& batch, int64_t customer_id,
                                      const std::string& brand, ProfileStatus status, int64_t level,
                                      RiskLevel risk, int64_t now) {
  auto before = customers_.StagedFind(customer_id, brand);
  if (before && before->kyc_status == status && before->kyc_level == level &&
      before->kyc_risk_level == risk) {
    return Status::Ok();
  }
  auto c = before ? std::make_shared<Customer>(*before) : std::make_shared<Customer>();
  if (!before) {
    c->id = customers_.StagedNextId();
    c->customer_id = customer_id;
    c->brand = brand;
  }
  c->kyc_status = status;
  c->kyc_level = level;
  c->kyc_risk_level = risk;
  c->updated_at = now;
  put_.Bind(1, c->id).Bind(2, c->customer_id).Bind(3, c->brand).Bind(4, int64_t(status));
  put_.Bind(5, level).Bind(6, int64_t(risk)).Bind(7, now);
  if (Status s = put_.Exec(); !s.ok()) return s;
  customers_.Stage(batch, std::move(c));
  return Status::Ok();
}

}  // namespace kyc
