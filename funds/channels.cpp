#include "funds/channels.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace kyc {

bool IsChannelKind(std::string_view kind) {
  return std::find(kChannelKinds.begin(), kChannelKinds.end(), kind) != kChannelKinds.end();
}

bool IsChannelCode(std::string_view code) {
  return !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
         });
}

bool PaymentChannel::Accepts(std::string_view currency) const {
  return std::find(currencies.begin(), currencies.end(), currency) != currencies.end();
}

Status CheckChannel(const PaymentChannel* channel, std::string_view code, std::string_view brand,
                    Direction direction, std::string_view currency, const Decimal& amount) {
  if (!channel || channel->brand != brand) {
    return Error(Code::kNotFound, "payment channel '{}' of brand '{}' not found", code, brand);
  }
  if (direction == Direction::kDeposit ? !channel->deposits : !channel->withdrawals) {
    return Error(Code::kConflict, "channel '{}' takes no {}", code,
                 direction == Direction::kDeposit ? "deposits" : "withdrawals");
  }
  if (!channel->Accepts(currency)) {
    return Error(Code::kBadRequest, "field 'currency': channel '{}' takes {}, not {}", code,
                 JoinCurrencies(channel->currencies), currency);
  }
  if (amount < channel->min_amount || amount > channel->max_amount) {
    return Error(Code::kBadRequest, "field 'amount' must be between {} and {} {} on channel '{}'",
                 channel->min_amount.ToString(2), channel->max_amount.ToString(2), currency, code);
  }
  return Status::Ok();
}

Result<Decimal> EurWeight(std::string_view currency, const Decimal& amount,
                          const std::optional<Decimal>& eur_amount) {
  if (eur_amount) return *eur_amount;
  if (currency == "EUR") return amount;
  return Error(Code::kBadRequest, "field 'eur_amount' is required for an amount in {}", currency);
}

void WriteChannel(JsonOut& o, const PaymentChannel& c) {
  o.BeginObject();
  o.Key("id").Int(c.id);
  o.Key("brand").Str(c.brand);
  o.Key("code").Str(c.code);
  o.Key("name").Str(c.name);
  o.Key("kind").Str(c.kind);
  o.Key("currencies").BeginArray();
  for (const auto& cur : c.currencies) o.Str(cur);
  o.EndArray();
  o.Key("min_amount").Str(c.min_amount.ToString(2));
  o.Key("max_amount").Str(c.max_amount.ToString(2));
  o.Key("deposits").Bool(c.deposits);
  o.Key("withdrawals").Bool(c.withdrawals);
  o.Key("requires_bank_account").Bool(c.requires_bank_account);
  o.Key("approval").BeginObject();
  o.Key("auto_below_eur");
  c.auto_below_eur ? o.Str(c.auto_below_eur->ToString(2)) : o.Null();
  o.Key("one_approver_below_eur");
  c.one_approver_below_eur ? o.Str(c.one_approver_below_eur->ToString(2)) : o.Null();
  o.EndObject();
  o.Key("has_callback_secret").Bool(!c.callback_secret.empty());
  o.Key("created_at").Int(c.created_at);
  o.Key("updated_at").Int(c.updated_at);
  o.EndObject();
}

std::string ChannelJson(const PaymentChannel& c) {
  JsonOut o;
  WriteChannel(o, c);
  return o.Take();
}

std::string JoinCurrencies(const std::vector<std::string>& currencies) {
  std::string out;
  for (const auto& c : currencies) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

std::vector<std::string> SplitCurrencies(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

ChannelSet::Ptr ChannelSet::FindCode(std::string_view code) const {
  std::shared_lock lock(mutex());
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : LockedGet(it->second);
}

ChannelSet::Ptr ChannelSet::StagedFindCode(std::string_view code) const {
  Ptr found;
  ForEachStaged([&](const Ptr& c) {
    if (c->code == code) found = c;
  });
  if (found) return found;
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : StagedGet(it->second);
}

std::vector<ChannelSet::Ptr> ChannelSet::OfBrand(std::string_view brand) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  for (const auto& [code, id] : by_code_) {
    auto c = LockedGet(id);
    if (c && c->brand == brand) out.push_back(c);
  }
  return out;
}

void ChannelSet::Index(const PaymentChannel* before, const PaymentChannel* after) {
  if (before) by_code_.erase(before->code);
  if (after) by_code_[after->code] = after->id;
}

}  // namespace kyc
