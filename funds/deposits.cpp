#include "funds/deposits.h"

#include "tables/pages.h"

#include <mutex>
#include <shared_mutex>

#include "customers/search_text.h"

namespace kyc {

std::optional<DepositStatus> ParseDepositStatus(std::string_view name) {
  for (size_t i = 0; i < kDepositStatusNames.size(); ++i) {
    if (kDepositStatusNames[i] == name) return static_cast<DepositStatus>(i);
  }
  return std::nullopt;
}

void WriteDeposit(JsonOut& o, const Deposit& d, bool staff) {
  o.BeginObject();
  o.Key("id").Int(d.id);
  o.Key("customer_id").Int(d.customer_id);
  o.Key("brand").Str(d.brand);
  o.Key("channel").Str(d.channel);
  o.Key("currency").Str(d.currency);
  o.Key("amount").Str(d.amount.ToString(2));
  o.Key("eur_amount").Str(d.eur_amount.ToString(2));
  o.Key("status").Str(Name(d.status));
  o.Key("psp_order_id");
  d.psp_order_id.empty() ? o.Null() : o.Str(d.psp_order_id);
  o.Key("payer_name");
  d.payer_name.empty() ? o.Null() : o.Str(d.payer_name);
  o.Key("paid_amount");
  d.paid_amount ? o.Str(d.paid_amount->ToString(2)) : o.Null();
  o.Key("paid_currency");
  d.paid_currency.empty() ? o.Null() : o.Str(d.paid_currency);
  o.Key("psp_status");
  d.psp_status.empty() ? o.Null() : o.Str(d.psp_status);
  o.Key("failure_code");
  d.failure_code.empty() ? o.Null() : o.Str(d.failure_code);
  if (staff) {
    o.Key("note");
    d.note.empty() ? o.Null() : o.Str(d.note);
  }
  o.Key("transaction_id").OptInt(d.transaction_id);
  o.Key("created_at").Int(d.created_at);
  o.Key("updated_at").Int(d.updated_at);
  o.EndObject();
}

std::string DepositJson(const Deposit& d) {
  JsonOut o;
  WriteDeposit(o, d);
  return o.Take();
}

RowPage<Deposit> DepositSet::List(const DepositFilter& f) const {
  std::vector<Ptr> all;
  Scan([&](const Ptr& d) {
    if (f.Matches(*d)) all.push_back(d);
    return true;
  });
  return NewestFirst<Deposit>(all, f.offset, f.limit);
}

bool PspEventSet::StagedHas(std::string_view channel, std::string_view order,
                            std::string_view status) const {
  Key key{std::string(channel), std::string(order), std::string(status)};
  return keys_.count(key) || staged_keys_.count(key);
}

std::optional<int64_t> PspEventSet::StagedDepositOf(std::string_view channel,
                                                    std::string_view order) const {
  Order key{std::string(channel), std::string(order)};
  if (auto it = staged_orders_.find(key); it != staged_orders_.end()) return it->second;
  if (auto it = orders_.find(key); it != orders_.end()) return it->second;
  return std::nullopt;
}

void PspEventSet::Index(const PspEvent* before, const PspEvent* after) {
  if (before || !after) return;
  keys_.insert({after->channel, after->psp_order_id, after->status});
  orders_.emplace(std::pair(after->channel, after->psp_order_id), after->deposit_id);
}

namespace {

// Letters and digits only, folded: "Lee, Ann-Marie" → "leeannmarie".
std::string NameKey(std::string_view text) {
  std::string folded = FoldForSearch(text).value_or(std::string(text));
  std::string out;
  for (char c : folded) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80) out += c;
  }
  return out;
}

}  // namespace

bool PayerMatches(std::string_view payer_name, const ClientRecord& holder) {
  const std::string payer = NameKey(payer_name);
  if (payer.empty()) return false;
  const std::string first = NameKey(holder.first_name), last = NameKey(holder.last_name);
  if (!first.empty() && !last.empty() && (payer == first + last || payer == last + first)) {
    return true;
  }
  if (holder.type == ClientType::kCorporate) {
    return (!first.empty() && payer == first) || (!last.empty() && payer == last) ||
           payer == first + last;
  }
  return false;
}

}  // namespace kyc
