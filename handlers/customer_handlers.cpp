// The client record (issue 13): add, update, get, search, block and unblock. Writes run on
// the kyc writer strand through ClientTxn, so a record, its audit row, a duplicate alert
// and the profiles it holds for review commit together.
#include <map>
#include <shared_mutex>

#include "core/account_txn.h"
#include "core/client_txn.h"
#include "customers/search_text.h"
#include "handlers/customer_json.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {

// The Customer JSON as this batch sees it (a write's answer).
std::string StagedClientJson(ClientTxn& txn, const ClientRecord& r) {
  auto profile = txn.kyc().ProfileOf(r.customer_id, r.brand);
  auto tiers = txn.kyc().kyc().staged_clients().staged_tiers().StagedOfBrand(r.brand);
  JsonOut o;
  WriteClient(o, r, profile.get(), tiers);
  return o.Take();
}

// The Customer JSON from committed memory (a read).
std::string ClientJson(KycBase& kyc, const ClientRecord& r) {
  auto profile = kyc.profiles().Find(r.customer_id, r.brand);
  auto tiers = kyc.clients().tiers().OfBrand(r.brand);
  JsonOut o;
  WriteClient(o, r, profile.get(), tiers);
  return o.Take();
}

// Identities of `after` that `before` did not hold: only a new or changed document is
// checked again (a resolved alert is not raised anew by an unrelated edit).
std::vector<Identity> NewIdentities(const ClientRecord* before, const ClientRecord& after) {
  std::vector<Identity> had = before ? IdentitiesOf(*before) : std::vector<Identity>{};
  std::vector<Identity> out;
  for (auto& id : IdentitiesOf(after)) {
    bool known = std::any_of(had.begin(), had.end(), [&](const Identity& h) {
      return h.type == id.type && h.number == id.number && h.issuing_country == id.issuing_country;
    });
    if (!known) out.push_back(std::move(id));
  }
  return out;
}

Result<std::string> SetBlocked(Call& c, bool blocked) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  auto before = txn.Record(key.customer_id, key.brand);
  if (!before) {
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", key.customer_id, key.brand);
  }
  if (before->is_blocked == blocked) {
    return Error(Code::kConflict, "customer {} of brand '{}' is {}", key.customer_id, key.brand,
                 blocked ? "already blocked" : "not blocked");
  }
  auto after = std::make_shared<ClientRecord>(*before);
  after->is_blocked = blocked;
  // Unblocking keeps who blocked and why out of the record; the audit trail keeps both.
  after->block_reason = blocked ? reason : "";
  after->blocked_by = blocked ? c.actor().id : std::nullopt;
  after->blocked_at = blocked ? std::optional<int64_t>(c.now) : std::nullopt;
  after->updated_at = c.now;
  if (Status s = txn.SaveRecord(before, after, blocked ? "customer.block" : "customer.unblock",
                                reason);
      !s.ok()) {
    return s;
  }
  return StagedClientJson(txn, *after);
}

}  // namespace

Result<std::string> MngAddCustomer(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  ClientRecord fields;
  ReadRecordFields(p, fields);
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  if (auto existing = txn.Record(key.customer_id, key.brand)) {
    return Error(Code::kConflict, "customer {} of brand '{}' already exists (uuid {})",
                 key.customer_id, key.brand, existing->uuid);
  }
  auto r = std::make_shared<ClientRecord>(std::move(fields));
  r->id = kyc.kyc().staged_clients().staged_clients().StagedNextId();
  r->uuid = NewUuidV4(c.core.random());
  r->customer_id = key.customer_id;
  r->brand = key.brand;
  r->created_at = r->updated_at = c.now;
  AccountTxn(kyc).Initialize(*r);
  if (Status s = txn.CheckIdentities(r->customer_id, r->brand, NewIdentities(nullptr, *r),
                                     "customer");
      !s.ok()) {
    return s;
  }
  if (Status s = txn.SaveRecord(nullptr, r, "customer.create"); !s.ok()) return s;
  return StagedClientJson(txn, *r);
}

Result<std::string> MngUpdateCustomer(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  for (std::string_view fixed : {"id", "uuid", "is_blocked", "block_reason", "blocked_by",
                                 "blocked_at", "created_at", "updated_at", "account_status",
                                 "account_status_reason", "account_status_at",
                                 "bank_account_status"}) {
    if (p.Has(fixed)) {
      p.Fail(Error(Code::kBadRequest, "field '{}' cannot be changed here{}", fixed,
                   fixed == "is_blocked" || fixed == "block_reason"
                       ? " (use MngBlockCustomer / MngUnblockCustomer)"
                   : fixed.starts_with("account_status") ? " (use MngSetAccountStatus)"
                   : fixed == "bank_account_status"
                       ? " (it follows the bank accounts: MngApproveBankAccount, MngRejectBankAccount)"
                       : ""));
    }
  }
  if (!p.ok()) return p.Finish();
  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  auto before = txn.Record(key.customer_id, key.brand);
  if (!before) {
    // Read the params anyway so a bad field is named before "not found".
    ClientRecord scratch;
    ReadRecordFields(p, scratch);
    if (Status s = p.Finish(); !s.ok()) return s;
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", key.customer_id, key.brand);
  }
  auto after = std::make_shared<ClientRecord>(*before);
  ReadRecordFields(p, *after);
  if (Status s = p.Finish(); !s.ok()) return s;
  after->updated_at = c.now;
  if (Status s = txn.CheckIdentities(after->customer_id, after->brand,
                                     NewIdentities(before.get(), *after), "customer");
      !s.ok()) {
    return s;
  }
  if (Status s = txn.SaveRecord(before, after, "customer.update"); !s.ok()) return s;
  return StagedClientJson(txn, *after);
}

Result<std::string> MngGetCustomer(Call& c) {
  ParamReader p(c.params);
  auto uuid = p.OptString("uuid", 36);
  std::optional<CustomerKey> key;
  if (!uuid || p.Has("customer_id") || p.Has("brand")) key = ReadCustomer(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (uuid && key) return Status(Code::kBadRequest, "give either 'uuid' or 'customer_id' and 'brand'");
  auto& kyc = c.core.kyc();
  auto r = uuid ? kyc.clients().clients().FindUuid(*uuid)
                : kyc.clients().clients().Find(key->customer_id, key->brand);
  if (!r) {
    if (uuid) return Error(Code::kNotFound, "no customer with uuid '{}'", *uuid);
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", key->customer_id,
                 key->brand);
  }
  return ClientJson(kyc, *r);
}

Result<std::string> MngGetCustomers(Call& c) {
  ParamReader p(c.params);
  ClientFilter f;
  f.query = p.OptString("query", 254);
  if (auto type = p.OptString("type", 16)) {
    f.type = ParseClientType(*type);
    if (!f.type) p.Fail(Status(Code::kBadRequest, "field 'type' must be one of regular, vip, corporate"));
  }
  f.brand = p.OptString("brand", 64);
  f.blocked = p.OptBool("blocked");
  if (auto status = p.OptString("account_status", 32)) {
    f.account_status = ParseAccountStatus(*status);
    if (!f.account_status) {
      p.Fail(Status(Code::kBadRequest,
                    "field 'account_status' must be one of registered, pending_review, "
                    "pending_documents, approved, restricted, closed"));
    }
  }
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (f.query) {
    if (!FoldForSearch(*f.query)) return Status(Code::kBadRequest, "field 'query' must be valid UTF-8");
    if (f.query->find_first_not_of(" \t") == std::string::npos) {
      return Status(Code::kBadRequest, "field 'query' must not be blank");
    }
  }
  f.offset = page.offset;
  f.limit = page.limit;
  auto& kyc = c.core.kyc();
  auto result = kyc.clients().clients().Search(f);
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  std::map<std::string, std::vector<std::shared_ptr<const Tier>>, std::less<>> tiers;  // by brand
  for (const auto& r : result.items) {
    auto t = tiers.find(r->brand);
    if (t == tiers.end()) t = tiers.emplace(r->brand, kyc.clients().tiers().OfBrand(r->brand)).first;
    auto profile = kyc.profiles().Find(r->customer_id, r->brand);
    WriteClient(o, *r, profile.get(), t->second);
  }
  o.EndArray().Key("total").Int(result.total).Key("total_capped").Bool(result.capped).EndObject();
  return o.Take();
}

Result<std::string> MngBlockCustomer(Call& c) { return SetBlocked(c, true); }
Result<std::string> MngUnblockCustomer(Call& c) { return SetBlocked(c, false); }

Result<std::optional<ApprovalNeed>> FourEyesMngUnblockCustomer(const Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto& clients = c.core.kyc().staged_clients().staged_clients();
  auto r = c.batch ? clients.StagedFind(key.customer_id, key.brand)
                   : clients.Find(key.customer_id, key.brand);
  // Nothing to unblock: the handler names the error (on approval: the target changed).
  if (!r || !r->is_blocked) return std::optional<ApprovalNeed>();
  return std::optional<ApprovalNeed>(ApprovalNeed{
      .summary = fmt::format("unblock customer {} of {}", key.customer_id, key.brand),
      .target = fmt::format("blocked at {} by {}: {} (record updated {})", r->blocked_at.value_or(0),
                            r->blocked_by.value_or(0), r->block_reason, r->updated_at),
      .brand = key.brand,
      .customer_id = key.customer_id,
      .reason = reason});
}

}  // namespace kyc::handlers
