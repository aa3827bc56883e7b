#include "core/operation_check.h"

#include "core/account_txn.h"

#include <algorithm>
#include <shared_mutex>

namespace kyc {
namespace {

template <typename Rows>
auto Raw(const Rows& rows) {
  std::vector<const typename Rows::value_type::element_type*> out;
  for (const auto& r : rows) out.push_back(r.get());
  return out;
}

OperationCheck Weigh(const KycPolicy& policy, int64_t customer_id, const std::string& brand,
                     std::string_view operation, std::optional<Decimal> amount,
                     const ClientRecord* record, const Profile* profile,
                     const std::vector<std::shared_ptr<const Step>>& steps,
                     const AccountState& account, AccountOpMask permitted, OperationInputs& in) {
  const OperationRule& rule = policy.Rule(brand, operation);
  CheckResult kyc = CheckOperation(rule, operation, customer_id, brand, profile, steps);
  in.operation = operation;
  in.record = record;
  in.account_refusal = StatusRefusal(account, permitted, operation, AccountOpOf(operation));
  in.kyc_allowed = kyc.allowed;
  in.kyc_reason = kyc.reason;
  in.level = kyc.level;
  in.policy_level = rule.min_level;
  in.amount = amount;
  OperationCheck out;
  out.verdict = WeighOperation(in);
  out.level = kyc.level;
  out.status = kyc.status;
  out.has_record = record != nullptr;
  out.account = account;
  return out;
}

}  // namespace

OperationCheck CheckOperationNow(KycBase& kyc, const KycPolicy& policy,
                                 const AccountOptions& accounts, int64_t customer_id,
                                 const std::string& brand, std::string_view operation,
                                 std::optional<Decimal> amount, int64_t now) {
  const AccountState account = AccountStateNow(kyc, accounts, customer_id, brand);
  const AccountOpMask permitted = kyc.accounts().status_permissions().Of(brand, account.status);
  const ClientStore& store = kyc.clients();
  std::shared_lock snapshot(kyc.snapshot_mutex());
  auto record = store.clients().Find(customer_id, brand);
  auto profile = kyc.profiles().Find(customer_id, brand);
  std::vector<std::shared_ptr<const Step>> steps;
  if (profile) steps = kyc.steps().OfProfile(profile->id);
  auto tiers = store.tiers().OfBrand(brand);
  auto rules = store.rules().OfBrand(brand);
  OperationInputs in;
  in.tiers = Raw(tiers);
  in.rules = Raw(rules);
  if (record) {
    if (auto life = store.lifetime().Get(record->id)) in.lifetime = life->totals;
    if (auto today = store.daily().Find(record->id, DayOf(now))) in.today = today->totals;
  }
  return Weigh(policy, customer_id, brand, operation, amount, record.get(), profile.get(), steps,
               account, permitted, in);
}

OperationCheck CheckOperationStaged(KycTxn& txn, const KycPolicy& policy, int64_t customer_id,
                                    const std::string& brand, std::string_view operation,
                                    std::optional<Decimal> amount, int64_t day) {
  ClientStore& store = txn.kyc().staged_clients();
  auto record = store.staged_clients().StagedFind(customer_id, brand);
  const AccountState account = record ? AccountState{record->account_status,
                                                     record->account_status_reason}
                                      : AccountTxn(txn).Derived(customer_id, brand);
  auto permissions = txn.kyc().staged_accounts().staged_status_permissions().StagedFind(
      brand, account.status);
  const AccountOpMask permitted =
      permissions ? permissions->operations : DefaultStatusPermissions(account.status);
  auto profile = txn.ProfileOf(customer_id, brand);
  std::vector<std::shared_ptr<const Step>> steps;
  if (profile) steps = txn.StepsOf(profile->id);
  auto tiers = store.staged_tiers().StagedOfBrand(brand);
  std::vector<std::shared_ptr<const ComplianceRule>> rules;
  store.staged_rules().StagedScan([&](const std::shared_ptr<const ComplianceRule>& r) {
    if (r->brand == brand && !r->deleted) rules.push_back(r);
  });
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
  OperationInputs in;
  in.tiers = Raw(tiers);
  in.rules = Raw(rules);
  if (record) {
    if (auto life = store.staged_lifetime().StagedGet(record->id)) in.lifetime = life->totals;
    if (auto today = store.staged_daily().StagedFind(record->id, day)) in.today = today->totals;
  }
  return Weigh(policy, customer_id, brand, operation, amount, record.get(), profile.get(), steps,
               account, permitted, in);
}

}  // namespace kyc
