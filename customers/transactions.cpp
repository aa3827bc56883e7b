#include "customers/transactions.h"

#include <algorithm>

#include "kyc/rules.h"

namespace kyc {

std::optional<TxType> ParseTxType(std::string_view name) {
  for (size_t i = 0; i < kTxTypeNames.size(); ++i) {
    if (kTxTypeNames[i] == name) return TxType(i);
  }
  return std::nullopt;
}

void WriteTransaction(JsonOut& o, const Transaction& t) {
  o.BeginObject();
  o.Key("id").Int(t.id).Key("customer_id").Int(t.customer_id).Key("brand").Str(t.brand);
  o.Key("type").Str(Name(t.type)).Key("amount").Str(t.amount.ToString(2));
  o.Key("currency").Str(t.currency).Key("eur_amount").Str(t.eur_amount.ToString(2));
  o.Key("external_id").Str(t.external_id).Key("at").Int(t.at);
  o.Key("day").Str(DayText(DayOf(t.at))).Key("created_at").Int(t.created_at);
  o.Key("created_by").OptInt(t.created_by);
  o.EndObject();
}

void Totals::Add(TxType type, Decimal eur) {
  Volume& v = type == TxType::kDeposit ? deposits : type == TxType::kWithdrawal ? withdrawals
                                                                                : exchanges;
  v.eur += eur;
  ++v.count;
  all.eur += eur;
  ++all.count;
}

void WriteTotalsFields(JsonOut& o, const Totals& t) {
  o.Key("eur_volume").Str(t.all.eur.ToString(2)).Key("count").Int(t.all.count);
  o.Key("deposits_eur").Str(t.deposits.eur.ToString(2)).Key("deposits_count").Int(t.deposits.count);
  o.Key("withdrawals_eur").Str(t.withdrawals.eur.ToString(2));
  o.Key("withdrawals_count").Int(t.withdrawals.count);
  o.Key("exchanges_eur").Str(t.exchanges.eur.ToString(2)).Key("exchanges_count").Int(t.exchanges.count);
}

int64_t DayOf(int64_t s) { return s >= 0 ? s / 86400 : -((-s + 86399) / 86400); }

// Howard Hinnant's civil_from_days / days_from_civil.
CivilDate CivilOf(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2), m, d};
}

int64_t DayFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string DayText(int64_t z) {
  const CivilDate c = CivilOf(z);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::optional<int64_t> ParseDay(std::string_view text) {
  if (!IsIsoDate(text)) return std::nullopt;
  const int64_t y =
      (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const int64_t m = (text[5] - '0') * 10 + (text[6] - '0');
  const int64_t d = (text[8] - '0') * 10 + (text[9] - '0');
  return DayFromCivil(y, m, d);
}

RowPage<Transaction> TransactionSet::List(const TransactionFilter& f) const {
  std::vector<Ptr> rows;
  {
    std::shared_lock lock(mutex());
    auto it = by_client_.find(f.client_id);
    if (it != by_client_.end()) {
      for (int64_t id : it->second) {
        Ptr t = LockedGet(id);
        if (!t || (f.from && t->at < *f.from) || (f.to && t->at > *f.to) ||
            (f.type && t->type != *f.type)) {
          continue;
        }
        rows.push_back(std::move(t));
      }
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Ptr& a, const Ptr& b) {
    return a->at != b->at ? a->at > b->at : a->id > b->id;
  });
  RowPage<Transaction> page;
  page.total = int64_t(rows.size());
  for (int64_t i = f.offset; i < page.total && int64_t(page.items.size()) < f.limit; ++i) {
    page.items.push_back(rows[size_t(i)]);
  }
  return page;
}

std::string TransactionSet::ExternalKey(std::string_view brand, std::string_view external_id) {
  std::string key(brand);
  key.push_back('\0');
  key.append(external_id);
  return key;
}

TransactionSet::Ptr TransactionSet::StagedFindExternal(std::string_view brand,
                                                       std::string_view external_id) const {
  // Committed first (a hash look-up); the batch's own new rows only when that misses.
  if (auto it = by_external_.find(ExternalKey(brand, external_id)); it != by_external_.end()) {
    return StagedGet(it->second);
  }
  Ptr found;
  ForEachStaged([&](const Ptr& t) {
    if (t->brand == brand && t->external_id == external_id) found = t;
  });
  return found;
}

void TransactionSet::Index(const Transaction* before, const Transaction* after) {
  if (before || !after) return;  // transactions are immutable: indexed once
  by_client_[after->client_id].push_back(after->id);
  by_external_[ExternalKey(after->brand, after->external_id)] = after->id;
}

std::vector<DailyTotalsSet::Ptr> DailyTotalsSet::Range(int64_t client_id, int64_t from_day,
                                                       int64_t to_day) const {
  std::vector<Ptr> out;
  std::shared_lock lock(mutex());
  for (int64_t day = from_day; day <= to_day; ++day) {
    if (auto it = by_day_.find({client_id, day}); it != by_day_.end()) {
      out.push_back(LockedGet(it->second));
    }
  }
  return out;
}

DailyTotalsSet::Ptr DailyTotalsSet::Find(int64_t client_id, int64_t day) const {
  std::shared_lock lock(mutex());
  auto it = by_day_.find({client_id, day});
  return it == by_day_.end() ? nullptr : LockedGet(it->second);
}

DailyTotalsSet::Ptr DailyTotalsSet::StagedFind(int64_t client_id, int64_t day) const {
  if (auto it = by_day_.find({client_id, day}); it != by_day_.end()) return StagedGet(it->second);
  Ptr found;  // a row this batch made
  ForEachStaged([&](const Ptr& d) {
    if (d->client_id == client_id && d->day == day) found = d;
  });
  return found;
}

void DailyTotalsSet::Index(const DailyTotals* before, const DailyTotals* after) {
  if (!before && after) by_day_[{after->client_id, after->day}] = after->id;
}

}  // namespace kyc
