#include "funds/withdrawals.h"

#include "tables/pages.h"

#include <charconv>

namespace kyc {

std::optional<WithdrawalStatus> ParseWithdrawalStatus(std::string_view name) {
  for (size_t i = 0; i < kWithdrawalStatusNames.size(); ++i) {
    if (kWithdrawalStatusNames[i] == name) return static_cast<WithdrawalStatus>(i);
  }
  return std::nullopt;
}

void WriteWithdrawal(JsonOut& o, const Withdrawal& w) {
  o.BeginObject();
  o.Key("id").Int(w.id);
  o.Key("customer_id").Int(w.customer_id);
  o.Key("brand").Str(w.brand);
  o.Key("channel").Str(w.channel);
  o.Key("currency").Str(w.currency);
  o.Key("amount").Str(w.amount.ToString(2));
  o.Key("eur_amount").Str(w.eur_amount.ToString(2));
  o.Key("status").Str(Name(w.status));
  o.Key("approval_level").Int(w.approval_level);
  o.Key("approvers").BeginArray();
  for (int64_t id : w.approvers) o.Int(id);
  o.EndArray();
  o.Key("requested_by").OptInt(w.requested_by);
  o.Key("voucher");
  w.voucher.empty() ? o.Null() : o.Str(w.voucher);
  o.Key("failure_code");
  w.failure_code.empty() ? o.Null() : o.Str(w.failure_code);
  o.Key("note");
  w.note.empty() ? o.Null() : o.Str(w.note);
  o.Key("transaction_id").OptInt(w.transaction_id);
  o.Key("bank_account_id").OptInt(w.bank_account_id);
  o.Key("created_at").Int(w.created_at);
  o.Key("updated_at").Int(w.updated_at);
  o.EndObject();
}

std::string WithdrawalJson(const Withdrawal& w) {
  JsonOut o;
  WriteWithdrawal(o, w);
  return o.Take();
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

std::vector<int64_t> SplitIds(std::string_view text) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    int64_t id = 0;
    if (std::from_chars(part.data(), part.data() + part.size(), id).ec == std::errc()) {
      out.push_back(id);
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

RowPage<Withdrawal> WithdrawalSet::List(const WithdrawalFilter& f) const {
  std::vector<Ptr> all;
  Scan([&](const Ptr& w) {
    if (f.Matches(*w)) all.push_back(w);
    return true;
  });
  return NewestFirst<Withdrawal>(all, f.offset, f.limit);
}

}  // namespace kyc
