#include "funds/bank_accounts.h"

#include <functional>
#include <map>
#include <shared_mutex>

#include "tables/pages.h"

namespace kyc {

std::optional<BankAccountStatus> ParseBankAccountStatus(std::string_view name) {
  for (size_t i = 0; i < kBankAccountStatusNames.size(); ++i) {
    if (kBankAccountStatusNames[i] == name) return static_cast<BankAccountStatus>(i);
  }
  return std::nullopt;
}

void WriteBankAccount(JsonOut& o, const BankAccount& a) {
  o.BeginObject();
  o.Key("id").Int(a.id);
  o.Key("customer_id").Int(a.customer_id);
  o.Key("brand").Str(a.brand);
  o.Key("bank_name").Str(a.bank_name);
  o.Key("account_name").Str(a.account_name);
  o.Key("account_number").Str(a.account_number);
  o.Key("photo_file_id").Str(a.photo_file_id);
  o.Key("status").Str(Name(a.status));
  o.Key("name_match").Bool(a.name_match);
  o.Key("reason");
  a.reason.empty() ? o.Null() : o.Str(a.reason);
  o.Key("added_by").OptInt(a.added_by);
  o.Key("decided_by").OptInt(a.decided_by);
  o.Key("created_at").Int(a.created_at);
  o.Key("updated_at").Int(a.updated_at);
  o.EndObject();
}

std::string BankAccountJson(const BankAccount& a) {
  JsonOut o;
  WriteBankAccount(o, a);
  return o.Take();
}

std::optional<std::string> NormalizeAccountNumber(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == ' ' || ch == '-') continue;
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) return std::nullopt;
    out += ch;
  }
  if (out.size() < 5 || out.size() > 34) return std::nullopt;
  return out;
}

BankAccountState SummaryOf(const std::vector<std::shared_ptr<const BankAccount>>& accounts) {
  BankAccountState out = BankAccountState::kNone;
  for (const auto& a : accounts) {
    if (a->status == BankAccountStatus::kVerified) return BankAccountState::kVerified;
    if (a->status == BankAccountStatus::kPending) out = BankAccountState::kPending;
    else if (out == BankAccountState::kNone) out = BankAccountState::kRejected;
  }
  return out;
}

std::vector<BankAccountSet::Ptr> BankAccountSet::Of(int64_t customer_id,
                                                    std::string_view brand) const {
  std::shared_lock lock(mutex());
  std::vector<Ptr> out;
  if (const auto* ids = by_customer_.Of(customer_id, brand)) {
    for (int64_t id : *ids) {
      if (auto a = LockedGet(id)) out.push_back(a);
    }
  }
  return out;
}

std::vector<BankAccountSet::Ptr> BankAccountSet::StagedOf(int64_t customer_id,
                                                          std::string_view brand) const {
  std::map<int64_t, Ptr> rows;
  if (const auto* ids = by_customer_.Of(customer_id, brand)) {
    for (int64_t id : *ids) {
      if (auto a = LockedGet(id)) rows[id] = a;
    }
  }
  ForEachStaged([&](const Ptr& a) {
    if (a->customer_id == customer_id && a->brand == brand) rows[a->id] = a;
  });
  std::vector<Ptr> out;
  for (auto& [id, a] : rows) out.push_back(a);
  return out;
}

RowPage<BankAccount> BankAccountSet::List(const BankAccountFilter& f) const {
  std::vector<Ptr> all;
  Scan([&](const Ptr& a) {
    if (f.Matches(*a)) all.push_back(a);
    return true;
  });
  return NewestFirst<BankAccount>(all, f.offset, f.limit);
}

std::vector<BankAccountSet::Ptr> BankAccountSet::StagedWithNumber(const std::string& number) const {
  std::map<int64_t, Ptr> rows;
  if (auto it = by_number_.find(number); it != by_number_.end()) {
    for (int64_t id : it->second) {
      if (auto a = LockedGet(id)) rows[id] = a;
    }
  }
  ForEachStaged([&](const Ptr& a) {
    if (a->account_number == number) rows[a->id] = a;
  });
  std::vector<Ptr> out;
  for (auto& [id, a] : rows) out.push_back(a);
  return out;
}

void BankAccountSet::Index(const BankAccount* before, const BankAccount* after) {
  if (!before && after) {  // customer and number never change
    by_customer_.Add(after->customer_id, after->brand, after->id);
    by_number_[after->account_number].push_back(after->id);
  }
}

}  // namespace kyc
