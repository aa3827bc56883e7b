// The account lifecycle (issue 15): MngSetAccountStatus, MngGetAccountStatusHistory,
// MngSetStatusPermissions, MngGetStatusPermissions. Writes run on the kyc writer strand
// (core/account_txn.h), so a status and its audit row commit with the record.
#include <rapidjson/document.h>

#include "core/account_txn.h"
#include "core/client_txn.h"
#include "handlers/customer_json.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"

namespace kyc::handlers {
namespace {

struct StatusChange {
  CustomerKey key;
  std::string status;  // restricted | closed | active
  std::string reason;
};

Result<StatusChange> ReadStatusChange(const Call& c) {
  ParamReader p(c.params);
  StatusChange s;
  s.key = ReadCustomer(p);
  s.status = p.String("status", 32);
  s.reason = ReadText(p, "reason");
  if (Status st = p.Finish(); !st.ok()) return st;
  if (s.status != "restricted" && s.status != "closed" && s.status != "active") {
    return Error(Code::kBadRequest,
                 "field 'status' must be restricted, closed or active (got '{}'); the other "
                 "statuses follow the customer's KYC",
                 s.status);
  }
  return s;
}

AccountStatus ReadStatus(ParamReader& p) {
  std::string name = p.String("status", 32);
  auto status = ParseAccountStatus(name);
  if (p.ok() && !status) {
    p.Fail(Error(Code::kBadRequest,
                 "field 'status' must be one of registered, pending_review, pending_documents, "
                 "approved, restricted, closed (got '{}')",
                 name));
  }
  return status.value_or(AccountStatus::kRegistered);
}

void WriteBrandPermissions(JsonOut& o, const StatusPermissionSet& set, const std::string& brand,
                           bool staged) {
  o.BeginObject().Key("brand").Str(brand).Key("items").BeginArray();
  for (int i = 0; i < kAccountStatusCount; ++i) {
    const auto status = AccountStatus(i);
    auto p = staged ? set.StagedFind(brand, status) : set.Find(brand, status);
    WriteStatusPermissions(o, status, p ? p->operations : DefaultStatusPermissions(status), !p);
  }
  o.EndArray().EndObject();
}

}  // namespace

Result<std::string> MngSetAccountStatus(Call& c) {
  auto change = ReadStatusChange(c);
  if (!change.ok()) return change.status();
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  auto before = txn.Record(change->key.customer_id, change->key.brand);
  if (!before) {
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", change->key.customer_id,
                 change->key.brand);
  }
  auto after = AccountTxn(kyc).SetStatus(before, change->status, change->reason);
  if (!after.ok()) return after.status();
  auto profile = kyc.ProfileOf(before->customer_id, before->brand);
  auto tiers = kyc.kyc().staged_clients().staged_tiers().StagedOfBrand(before->brand);
  JsonOut o;
  WriteClient(o, **after, profile.get(), tiers);
  return o.Take();
}

Result<std::optional<ApprovalNeed>> FourEyesMngSetAccountStatus(const Call& c) {
  auto change = ReadStatusChange(c);
  if (!change.ok()) return change.status();
  auto& clients = c.core.kyc().staged_clients().staged_clients();
  auto r = c.batch ? clients.StagedFind(change->key.customer_id, change->key.brand)
                   : clients.Find(change->key.customer_id, change->key.brand);
  // Closing and lifting a restriction need a second person; restricting does not.
  const bool closes = change->status == "closed" && r && r->account_hold != StaffHold::kClosed;
  const bool lifts = change->status == "active" && r && r->account_hold == StaffHold::kRestricted;
  if (!closes && !lifts) return std::optional<ApprovalNeed>();
  return std::optional<ApprovalNeed>(ApprovalNeed{
      .summary = fmt::format("{} customer {} of {}",
                             closes ? "close the account of" : "lift the restriction of",
                             r->customer_id, r->brand),
      .target = fmt::format("{} since {}: {} (record updated {})", Name(r->account_status),
                            r->account_status_at, r->account_hold_reason, r->updated_at),
      .brand = r->brand,
      .customer_id = r->customer_id,
      .reason = change->reason});
}

Result<std::string> MngGetAccountStatusHistory(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto& kyc = c.core.kyc();
  auto record = kyc.clients().clients().Find(key.customer_id, key.brand);
  if (!record) {
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", key.customer_id, key.brand);
  }
  AuditFilter f;
  f.customer_id = key.customer_id;
  f.entity = "account";
  f.limit = std::numeric_limits<int64_t>::max();
  JsonOut o;
  o.BeginObject();
  o.Key("customer_id").Int(key.customer_id).Key("brand").Str(key.brand);
  o.Key("account_status").Str(Name(record->account_status));
  o.Key("account_status_reason").Str(record->account_status_reason);
  o.Key("items").BeginArray();
  for (const auto& row : kyc.audit().List(f)) {
    if (row->brand != key.brand) continue;
    rapidjson::Document before, after;
    before.Parse(row->before.empty() ? "null" : row->before.c_str());
    after.Parse(row->after.c_str());
    auto status_of = [](const rapidjson::Document& d) -> std::string {
      return d.IsObject() && d.HasMember("status") && d["status"].IsString() ? d["status"].GetString()
                                                                           : "";
    };
    o.BeginObject();
    o.Key("status").Str(status_of(after));
    o.Key("previous");
    if (std::string prev = status_of(before); prev.empty()) o.Null();
    else o.Str(prev);
    o.Key("reason");
    row->reason.empty() ? o.Null() : o.Str(row->reason);
    o.Key("source").Str(row->action == "account.staff" ? "staff" : "kyc");
    o.Key("actor_type").Str(row->actor.type).Key("actor_id").OptInt(row->actor.id);
    o.Key("approved_by").OptInt(row->actor.approved_by);
    o.Key("audit_id").Int(row->id);
    o.Key("at").Int(row->at);
    o.EndObject();
  }
  o.EndArray().EndObject();
  return o.Take();
}

Result<std::string> MngSetStatusPermissions(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  AccountStatus status = ReadStatus(p);
  auto listed = ReadNames<AccountOp>(p, "operations", ParseAccountOp,
                                     "client_area, upload_documents, deposit, withdrawal, "
                                     "open_position, close_position",
                                     true);
  if (Status s = p.Finish(); !s.ok()) return s;
  AccountOpMask ops = 0;
  for (AccountOp op : *listed) ops |= OpBit(op);
  if (status == AccountStatus::kClosed && ops != 0) {
    return Status(Code::kBadRequest,
                  "field 'operations': a closed account permits nothing (closing is final)");
  }
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  AccountStore& store = kyc.kyc().staged_accounts();
  auto before = store.staged_status_permissions().StagedFind(brand, status);
  auto after = std::make_shared<StatusPermissions>();
  after->id = before ? before->id : store.staged_status_permissions().StagedNextId();
  after->brand = brand;
  after->status = status;
  after->operations = ops;
  after->updated_at = c.now;
  std::string json = StatusPermissionsJson(*after);
  if (Status s = store.Put(*c.batch, after); !s.ok()) return s;
  if (Status s = txn.AuditSetting(before ? "status_permissions.update" : "status_permissions.create",
                                  "status_permissions", after->id, brand,
                                  before ? StatusPermissionsJson(*before) : "", json);
      !s.ok()) {
    return s;
  }
  JsonOut o;
  WriteBrandPermissions(o, store.staged_status_permissions(), brand, true);
  return o.Take();
}

Result<std::string> MngGetStatusPermissions(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  JsonOut o;
  WriteBrandPermissions(o, c.core.kyc().accounts().status_permissions(), brand, false);
  return o.Take();
}

}  // namespace kyc::handlers
