#include "core/account_txn.h"

#include <shared_mutex>

namespace kyc {

std::string AccountStatusJson(const ClientRecord& r) {
  JsonOut o;
  o.BeginObject();
  o.Key("status").Str(Name(r.account_status));
  o.Key("reason");
  r.account_status_reason.empty() ? o.Null() : o.Str(r.account_status_reason);
  o.Key("hold").Str(r.account_hold == StaffHold::kNone         ? "none"
                    : r.account_hold == StaffHold::kRestricted ? "restricted"
                                                               : "closed");
  o.EndObject();
  return o.Take();
}

AccountState AccountStateNow(KycBase& kyc, const AccountOptions& options, int64_t customer_id,
                             const std::string& brand) {
  if (auto r = kyc.clients().clients().Find(customer_id, brand)) {
    return {r->account_status, r->account_status_reason};
  }
  std::shared_lock snapshot(kyc.snapshot_mutex());
  auto profile = kyc.profiles().Find(customer_id, brand);
  if (!profile) return DeriveAccountStatus(nullptr, {}, {}, false, 1);
  auto steps = kyc.steps().OfProfile(profile->id);
  auto docs = kyc.documents().OfProfile(profile->id);
  std::vector<const Step*> sp;
  std::vector<const Document*> dp;
  for (const auto& s : steps) sp.push_back(s.get());
  for (const auto& d : docs) dp.push_back(d.get());
  return DeriveAccountStatus(profile.get(), sp, dp,
                             kyc.clients().alerts().HasOpen(customer_id, brand),
                             options.ApprovalLevel(brand));
}

AccountState AccountTxn::Derived(int64_t customer_id, const std::string& brand) const {
  auto profile = kyc_.ProfileOf(customer_id, brand);
  if (!profile) return DeriveAccountStatus(nullptr, {}, {}, false, 1);
  auto steps = kyc_.StepsOf(profile->id);
  auto docs = kyc_.DocumentsOf(profile->id);
  std::vector<const Step*> sp;
  std::vector<const Document*> dp;
  for (const auto& s : steps) sp.push_back(s.get());
  for (const auto& d : docs) dp.push_back(d.get());
  const bool hold =
      kyc_.kyc().staged_clients().staged_alerts().StagedHasOpen(customer_id, brand);
  return DeriveAccountStatus(profile.get(), sp, dp, hold,
                             kyc_.accounts().ApprovalLevel(brand));
}

void AccountTxn::Initialize(ClientRecord& record) const {
  AccountState derived = Derived(record.customer_id, record.brand);
  record.account_status = derived.status;
  record.account_status_reason = std::move(derived.reason);
  record.account_status_at = kyc_.now();
}

Status AccountTxn::Follow(const Profile& profile, const AccountState& derived) {
  auto before = kyc_.kyc().staged_clients().staged_clients().StagedFind(profile.customer_id,
                                                                         profile.brand);
  if (!before || before->account_hold != StaffHold::kNone) return Status::Ok();
  if (before->account_status == derived.status && before->account_status_reason == derived.reason) {
    return Status::Ok();
  }
  auto after = std::make_shared<ClientRecord>(*before);
  after->account_status = derived.status;
  after->account_status_reason = derived.reason;
  return Save(before, std::move(after), "kyc", derived.reason);
}

Result<std::shared_ptr<const ClientRecord>> AccountTxn::SetStatus(
    const std::shared_ptr<const ClientRecord>& before, std::string_view status,
    const std::string& reason) {
  if (before->account_hold == StaffHold::kClosed) {
    return Error(Code::kConflict, "account of customer {} of brand '{}' is closed; closing is final",
                 before->customer_id, before->brand);
  }
  auto after = std::make_shared<ClientRecord>(*before);
  if (status == "active") {
    if (before->account_hold != StaffHold::kRestricted) {
      return Error(Code::kConflict,
                   "account of customer {} of brand '{}' is not restricted (it is {})",
                   before->customer_id, before->brand, Name(before->account_status));
    }
    AccountState derived = Derived(before->customer_id, before->brand);
    after->account_hold = StaffHold::kNone;
    after->account_hold_reason.clear();
    after->account_status = derived.status;
    after->account_status_reason = std::move(derived.reason);
  } else {
    const StaffHold hold = status == "closed" ? StaffHold::kClosed : StaffHold::kRestricted;
    if (before->account_hold == hold) {
      return Error(Code::kConflict, "account of customer {} of brand '{}' is already {}",
                   before->customer_id, before->brand, status);
    }
    after->account_hold = hold;
    after->account_hold_reason = reason;
    after->account_status = hold == StaffHold::kClosed ? AccountStatus::kClosed
                                                       : AccountStatus::kRestricted;
    after->account_status_reason = reason;
  }
  after->updated_at = kyc_.now();
  auto out = std::shared_ptr<const ClientRecord>(after);
  if (Status s = Save(before, after, "staff", reason); !s.ok()) return s;
  return out;
}

Status AccountTxn::Save(const std::shared_ptr<const ClientRecord>& before,
                        std::shared_ptr<ClientRecord> after, std::string_view source,
                        std::string_view reason) {
  after->account_status_at = kyc_.now();
  AuditRow row = kyc_.AuditOf(fmt::format("account.{}", source),  // account.kyc | account.staff
                              "account", after->id, after->customer_id, after->brand,
                              before ? AccountStatusJson(*before) : "", AccountStatusJson(*after),
                              reason);
  if (Status s = kyc_.kyc().staged_clients().Put(kyc_.batch(), std::move(after)); !s.ok()) return s;
  return kyc_.kyc().AppendAudit(kyc_.batch(), std::move(row));
}

}  // namespace kyc
