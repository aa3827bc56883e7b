// Transactions and totals (issue 13): record one (idempotent on brand + external_id, its
// totals in the same SQLite transaction), list them, read the totals.
#include "core/client_txn.h"
#include "customers/field_rules.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {

constexpr int64_t kMaxTotalsDays = 3660;  // MngGetCustomerTotals: at most ten years a call
constexpr int64_t kEarliestAt = 946684800;  // MngAddTransaction `at`: 2000-01-01
constexpr int64_t kMaxClockSkew = 300;       // … and at most five minutes ahead of our clock

// A required positive decimal string field.
Decimal ReadAmount(ParamReader& p, std::string_view field, int digits) {
  auto d = OptDecimal(p, field, digits, true);
  if (!d && p.ok()) p.Fail(Error(Code::kBadRequest, "field '{}' is required", field));
  return d.value_or(Decimal{});
}

void WriteDaily(JsonOut& o, const DailyTotals& d) {
  o.BeginObject().Key("day").Str(DayText(d.day));
  WriteTotalsFields(o, d.totals);
  o.EndObject();
}

void WriteLifetime(JsonOut& o, const Totals& t) {
  o.BeginObject();
  WriteTotalsFields(o, t);
  o.EndObject();
}

std::optional<int64_t> ReadDay(ParamReader& p, std::string_view field) {
  auto text = p.OptString(field, 10);
  if (!text) return std::nullopt;
  auto day = ParseDay(*text);
  if (!day) p.Fail(Error(Code::kBadRequest, "field '{}' must be a date YYYY-MM-DD", field));
  return day;
}

}  // namespace

Result<std::string> MngAddTransaction(Call& c) {
  ParamReader p(c.params);
  NewTransaction t;
  CustomerKey key = ReadCustomer(p);
  t.customer_id = key.customer_id;
  t.brand = key.brand;
  std::string type = p.String("type", 16);
  if (p.ok()) {
    auto parsed = ParseTxType(type);
    if (!parsed) p.Fail(Status(Code::kBadRequest, "field 'type' must be one of deposit, withdrawal, exchange"));
    else t.type = *parsed;
  }
  t.amount = ReadAmount(p, "amount", 8);
  t.currency = p.String("currency", 8);
  if (p.ok() && !IsCurrencyCode(t.currency)) {
    p.Fail(Status(Code::kBadRequest, "field 'currency' must be an ISO 4217 code such as EUR"));
  }
  t.eur_amount = ReadAmount(p, "eur_amount", 2);
  t.external_id = p.String("external_id", 128);
  // The fund workflows book their own transactions under these (issue 16).
  if (t.external_id.starts_with("deposit:") || t.external_id.starts_with("withdrawal:")) {
    p.Fail(Status(Code::kBadRequest,
                  "field 'external_id' may not start with 'deposit:' or 'withdrawal:' (the fund "
                  "workflows' own)"));
  }
  t.at = p.OptInt("at").value_or(c.now);
  // Backdated is fine (recording a past operation); the future only within clock skew, so
  // that a daily limit cannot be dodged by dating operations on empty days.
  if (p.ok() && (t.at < kEarliestAt || t.at > c.now + kMaxClockSkew)) {
    p.Fail(Error(Code::kBadRequest,
                 "field 'at' must be a unix time in seconds from 2000-01-01 up to now (+{} s)",
                 kMaxClockSkew));
  }
  if (Status s = p.Finish(); !s.ok()) return s;

  KycTxn kyc = KycTxnOf(c);
  ClientTxn txn(kyc);
  auto done = txn.AddTransaction(t, c.core.options().policy);
  if (!done.ok()) return done.status();
  JsonOut o;
  o.BeginObject().Key("transaction");
  WriteTransaction(o, *done->transaction);
  o.Key("lifetime");
  WriteLifetime(o, done->lifetime);
  o.Key("daily");
  WriteDaily(o, done->daily);
  o.Key("duplicate").Bool(done->duplicate).EndObject();
  return o.Take();
}

Result<std::string> MngGetTransactions(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  TransactionFilter f;
  f.from = p.OptInt("from");
  f.to = p.OptInt("to");
  if (auto type = p.OptString("type", 16)) {
    f.type = ParseTxType(*type);
    if (!f.type) p.Fail(Status(Code::kBadRequest, "field 'type' must be one of deposit, withdrawal, exchange"));
  }
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto& store = c.core.kyc().clients();
  auto record = store.clients().Find(key.customer_id, key.brand);
  if (!record) {
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", key.customer_id, key.brand);
  }
  f.client_id = record->id;
  f.offset = page.offset;
  f.limit = page.limit;
  auto result = store.transactions().List(f);
  return ItemsJson(result.items, result.total, WriteTransaction);
}

Result<std::string> MngGetCustomerTotals(Call& c) {
  ParamReader p(c.params);
  CustomerKey key = ReadCustomer(p);
  auto from = ReadDay(p, "from_day");
  auto to = ReadDay(p, "to_day");
  if (Status s = p.Finish(); !s.ok()) return s;
  if (from && to && *from > *to) {
    return Status(Code::kBadRequest, "field 'from_day' must not be after 'to_day'");
  }
  if (from && to && *to - *from > kMaxTotalsDays) {
    return Error(Code::kBadRequest, "from_day to to_day spans more than {} days", kMaxTotalsDays);
  }
  auto& store = c.core.kyc().clients();
  auto record = store.clients().Find(key.customer_id, key.brand);
  if (!record) {
    return Error(Code::kNotFound, "customer {} of brand '{}' not found", key.customer_id, key.brand);
  }
  Totals lifetime;
  if (auto life = store.lifetime().Get(record->id)) lifetime = life->totals;
  // Default: the last 31 days, today included.
  // Default: the 31 days up to to_day (today), or from from_day on.
  const int64_t to_day = to.value_or(from ? std::min(*from + 30, DayOf(c.now)) : DayOf(c.now));
  const int64_t from_day = from.value_or(to_day - 30);
  JsonOut o;
  o.BeginObject().Key("customer_id").Int(key.customer_id).Key("brand").Str(key.brand);
  o.Key("lifetime");
  WriteLifetime(o, lifetime);
  o.Key("from_day").Str(DayText(from_day)).Key("to_day").Str(DayText(to_day));
  o.Key("daily").BeginArray();
  for (const auto& d : store.daily().Range(record->id, from_day, to_day)) WriteDaily(o, *d);
  o.EndArray().EndObject();
  return o.Take();
}

}  // namespace kyc::handlers
