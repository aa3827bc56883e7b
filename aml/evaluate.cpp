#include "aml/evaluate.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace kyc {
namespace {

std::string Money(Decimal d) { return d.ToGrouped(); }

// Reads the answers one flag needs; an answer given but not parsable is recorded as a
// skip and fails the flag for this customer (never read as zero).
class AnswerReader {
 public:
  AnswerReader(const AmlFlagInfo& flag, const AmlCustomer& c, std::vector<AmlSkip>& skips)
      : flag_(flag), c_(c), skips_(skips) {}

  bool failed() const { return failed_; }
  const std::optional<AmlAnswer>& Raw(AmlQuestion q) const { return c_.answers[size_t(q)]; }

  std::optional<Decimal> Amount(AmlQuestion q) { return Read(q, ParseAmountAnswer); }
  std::optional<Decimal> RangeUpper(AmlQuestion q) { return Read(q, ParseRangeUpper); }
  std::optional<int64_t> Count(AmlQuestion q) { return Read(q, ParseCountAnswer); }

 private:
  template <typename Parse>
  auto Read(AmlQuestion q, Parse parse) -> decltype(parse(std::string_view())) {
    const auto& a = Raw(q);
    if (!a) return std::nullopt;
    auto v = parse(a->value);
    if (!v) {
      failed_ = true;
      skips_.push_back({c_.customer_id, c_.brand, std::string(flag_.id), a->name, a->value});
    }
    return v;
  }

  const AmlFlagInfo& flag_;
  const AmlCustomer& c_;
  std::vector<AmlSkip>& skips_;
  bool failed_ = false;
};

// The evidence object: flag, period, params, the answers read, computed values.
// Written only once a flag hits: most evaluations do not.
class Evidence {
 public:
  Evidence(const AmlFlagInfo& flag, const AmlSubscription& s, AmlPeriod period)
      : flag_(flag), s_(s), period_(period) {}
  Evidence& Answer(AmlQuestion q, const AmlAnswer& a) {
    Begin();
    if (!answers_open_) {
      o_.Key("answers").BeginObject();
      answers_open_ = true;
    }
    o_.Key(Info(q).name).BeginObject().Key("name").Str(a.name).Key("value").Str(a.value);
    o_.Key("at").Int(a.at).EndObject();
    return *this;
  }
  Evidence& Value(std::string_view key, Decimal d) {
    Close();
    o_.Key(key).Str(d.ToString());
    return *this;
  }
  Evidence& Count(std::string_view key, int64_t n) {
    Close();
    o_.Key(key).Int(n);
    return *this;
  }
  // The transactions summed by a hit, by id (MngGetTransactions shows them): the first 100,
  // `transactions_total` counts all. A run raises many such hits: ids keep each small.
  Evidence& TransactionIds(const std::vector<const AmlTx*>& txs) {
    Close();
    constexpr size_t kMaxListed = 100;
    o_.Key("transactions_total").Int(int64_t(txs.size()));
    o_.Key("transaction_ids").BeginArray();
    for (size_t i = 0; i < txs.size() && i < kMaxListed; ++i) o_.Int(txs[i]->id);
    o_.EndArray();
    return *this;
  }
  // The deposits a hit is about (3.5, 3.6), each in full: the first 100.
  Evidence& Transactions(const std::vector<const AmlTx*>& txs) {
    Close();
    constexpr size_t kMaxListed = 100;
    o_.Key("transactions_total").Int(int64_t(txs.size()));
    o_.Key("transactions").BeginArray();
    for (size_t i = 0; i < txs.size() && i < kMaxListed; ++i) {
      const AmlTx* t = txs[i];
      o_.BeginObject().Key("id").Int(t->id).Key("day").Str(DayText(t->day));
      o_.Key("type").Str(Name(t->type)).Key("eur_amount").Str(t->eur.ToString()).EndObject();
    }
    o_.EndArray();
    return *this;
  }
  JsonOut& out() {
    Close();
    return o_;
  }
  std::string Take() {
    Close();
    o_.EndObject();
    return o_.Take();
  }

 private:
  void Begin() {
    if (started_) return;
    started_ = true;
    o_.BeginObject().Key("flag").Str(flag_.id).Key("group").Int(flag_.group);
    o_.Key("period_from").Str(DayText(period_.from)).Key("period_to").Str(DayText(period_.to));
    o_.Key("params");
    WriteAmlParams(o_, s_);
  }
  void Close() {
    Begin();
    if (answers_open_) o_.EndObject();
    answers_open_ = false;
  }
  const AmlFlagInfo& flag_;
  const AmlSubscription& s_;
  AmlPeriod period_;
  JsonOut o_;
  bool started_ = false;
  bool answers_open_ = false;
};

std::string PeriodText(AmlPeriod p) {
  if (p.from == p.to) return DayText(p.from);
  if (p.from == MonthStart(p.from) && p.to == AddMonths(MonthStart(p.from), 1) - 1) {
    return MonthText(p.from);
  }
  return fmt::format("{}..{}", MonthText(p.from), MonthText(p.to));
}

struct Sums {
  Decimal deposits;
  int64_t deposit_count = 0;
  int64_t withdrawal_count = 0;
};

Sums SumOver(const AmlCustomer& c, AmlPeriod p) {
  Sums s;
  for (const AmlTx& t : c.txs) {
    if (t.day < p.from || t.day > p.to) continue;
    if (t.type == TxType::kDeposit) {
      s.deposits += t.eur;
      ++s.deposit_count;
    } else if (t.type == TxType::kWithdrawal) {
      ++s.withdrawal_count;
    }
  }
  return s;
}

// The transactions of a type in a period, by day then id (for the evidence).
std::vector<const AmlTx*> OfType(const AmlCustomer& c, AmlPeriod p, TxType type) {
  std::vector<const AmlTx*> out;
  for (const AmlTx& t : c.txs) {
    if (t.type == type && t.day >= p.from && t.day <= p.to) out.push_back(&t);
  }
  std::sort(out.begin(), out.end(), [](const AmlTx* a, const AmlTx* b) {
    return a->day != b->day ? a->day < b->day : a->id < b->id;
  });
  return out;
}

int64_t Whole(Decimal d) { return int64_t(d.units() / Decimal::FromInt(1).units()); }

}  // namespace

int64_t MonthStart(int64_t day) {
  const CivilDate c = CivilOf(day);
  return DayFromCivil(c.year, c.month, 1);
}

int64_t AddMonths(int64_t month_start, int64_t n) {
  const CivilDate c = CivilOf(month_start);
  const int64_t months = c.year * 12 + (c.month - 1) + n;  // months since year 0
  const int64_t y = months >= 0 ? months / 12 : -((11 - months) / 12);
  return DayFromCivil(y, months - y * 12 + 1, 1);
}

std::string MonthText(int64_t day) { return DayText(day).substr(0, 7); }

bool IsFirstOfMonth(int64_t day) { return MonthStart(day) == day; }

bool IsAmlDue(int group, int64_t date) { return group <= 2 || IsFirstOfMonth(date); }

AmlPeriod AmlPeriodOf(const AmlFlagInfo& flag, const AmlSubscription& s, int64_t date) {
  const int64_t month = MonthStart(date);
  switch (flag.group) {
    case 1:
    case 2:
      return {date - 1, date - 1};
    case 3:
      if (flag.id == "3.4") return {AddMonths(month, -s.months.value_or(1)), month - 1};
      return {AddMonths(month, -1), month - 1};
    default:
      return {AddMonths(month, -12), month - 1};
  }
}

AmlPeriod AmlTransactionWindow(int64_t date, int64_t max_months) {
  const int64_t month = MonthStart(date);
  return {AddMonths(month, -std::max<int64_t>(12, max_months)), month - 1};
}

bool AmlFlagReadsAnswers(const AmlFlagInfo& flag) {
  return flag.group <= 2 || flag.group == 4 || flag.id == "3.1";
}

void EvaluateAmlFlag(const AmlFlagInfo& flag, const AmlSubscription& s, const AmlCustomer& c,
                     AmlPeriod period, const AmlSeen& seen, std::vector<AmlHit>& hits,
                     std::vector<AmlSkip>& skips) {
  // Each branch decides first and returns when the flag does not hit; only a hit pays for
  // its keys, explanation and evidence.
  AnswerReader in(flag, c, skips);
  Evidence ev(flag, s, period);
  std::string explanation;
  std::vector<std::string> keys;
  using Q = AmlQuestion;
  // Keys of a hit about a period; false when every key was already raised (a repeat).
  auto fresh = [&](std::string key) {
    if (seen && seen(key)) return false;
    keys.push_back(std::move(key));
    return true;
  };
  // Groups 1 and 2 check exactly the answers changed on the day before the run: a flag is
  // raised only when one of its inputs was written that day (a submission that changed
  // other answers does not raise it again), once per day.
  auto answers_day = [&](std::initializer_list<Q> inputs) {
    bool changed = false;
    for (Q q : inputs) {
      if (const auto& a = in.Raw(q); a && DayOf(a->at) == period.to) changed = true;
    }
    return changed && fresh("answers:" + DayText(period.to));
  };
  auto when = [&] { return PeriodText(period); };

  const std::string_view id = flag.id;
  if (id == "1.1") {
    auto savings = in.Amount(Q::kMonthlySavings);
    auto income = in.Amount(Q::kGrossMonthlyIncome);
    if (in.failed() || !savings || !income || !(*savings > *income) ||
        !answers_day({Q::kMonthlySavings, Q::kGrossMonthlyIncome})) {
      return;
    }
    ev.Answer(Q::kMonthlySavings, *in.Raw(Q::kMonthlySavings))
        .Answer(Q::kGrossMonthlyIncome, *in.Raw(Q::kGrossMonthlyIncome));
    explanation = fmt::format("monthly savings {} > gross monthly income {} (answers of {})",
                              Money(*savings), Money(*income), when());
  } else if (id == "1.2") {
    auto savings = in.Amount(Q::kMonthlySavings);
    auto capital = in.RangeUpper(Q::kCapitalToInvest);
    if (in.failed() || !savings || !capital) return;
    const Decimal yearly = *savings * 12;
    if (!(*capital < yearly) || !answers_day({Q::kMonthlySavings, Q::kCapitalToInvest})) return;
    ev.Answer(Q::kMonthlySavings, *in.Raw(Q::kMonthlySavings))
        .Answer(Q::kCapitalToInvest, *in.Raw(Q::kCapitalToInvest));
    ev.Value("capital_to_invest_upper", *capital).Value("twelve_months_savings", yearly);
    explanation = fmt::format(
        "12 × monthly savings {} = {} > upper capital to invest {} (\"{}\"; answers of {})",
        Money(*savings), Money(yearly), Money(*capital), in.Raw(Q::kCapitalToInvest)->value,
        when());
  } else if (id == "1.3") {
    auto starting = in.Amount(Q::kStartingAmount);
    auto assets = in.Amount(Q::kTotalAssets);
    if (in.failed() || !starting || !assets || !s.percent) return;
    // starting > assets × percent / 100, compared exactly in whole units:
    // starting × 100 × 100 > assets × (percent × 100); percent has at most 2 fraction digits.
    const __int128 percent_hundredths = s.percent->units() / (Decimal::FromInt(1).units() / 100);
    if (!(starting->units() * 10000 > assets->units() * percent_hundredths) ||
        !answers_day({Q::kStartingAmount, Q::kTotalAssets})) {
      return;
    }
    ev.Answer(Q::kStartingAmount, *in.Raw(Q::kStartingAmount))
        .Answer(Q::kTotalAssets, *in.Raw(Q::kTotalAssets));
    const Decimal limit = Decimal::FromUnits(assets->units() * percent_hundredths / 10000);
    ev.Value("limit", limit);
    explanation = fmt::format("starting amount {} > {} % of total assets {} = {} (answers of {})",
                              Money(*starting), s.percent->ToString(0), Money(*assets),
                              Money(limit), when());
  } else if (id == "2.1" || id == "2.2") {
    const Q q = id == "2.1" ? Q::kMonthlySavings : Q::kStartingAmount;
    auto v = in.Amount(q);
    if (in.failed() || !v || !s.x || !(*v > *s.x) || !answers_day({q})) return;
    ev.Answer(q, *in.Raw(q));
    explanation = fmt::format("{} {} > X {} (answers of {})", Info(q).words, Money(*v),
                              Money(*s.x), when());
  } else if (id == "3.1" || id == "3.2") {
    if (!s.x) return;
    const Sums sums = SumOver(c, period);
    if (!(sums.deposits > *s.x)) return;  // never above max(X, …) when not above X
    std::optional<Decimal> income;
    if (id == "3.1") {
      income = in.Amount(Q::kGrossMonthlyIncome);
      if (in.failed()) return;
    }
    const Decimal six = income ? *income * 6 : Decimal{};
    const Decimal threshold = std::max(*s.x, six);
    if (!(sums.deposits > threshold) || !fresh("month:" + MonthText(period.from))) return;
    std::string against = fmt::format("X {}", Money(*s.x));
    if (income) {
      against = fmt::format("max(X {}, 6 × gross monthly income {} = {})", Money(*s.x),
                            Money(*income), Money(six));
      ev.Answer(Q::kGrossMonthlyIncome, *in.Raw(Q::kGrossMonthlyIncome));
      ev.Value("six_times_income", six);
    } else if (id == "3.1") {
      against += " (no gross monthly income answered)";
    }
    ev.Value("deposits_eur", sums.deposits).Count("deposits_count", sums.deposit_count);
    ev.Value("threshold", threshold).TransactionIds(OfType(c, period, TxType::kDeposit));
    explanation = fmt::format("deposits in {} EUR {} > {}", when(), Money(sums.deposits), against);
  } else if (id == "3.3") {
    if (!s.x) return;
    const Sums sums = SumOver(c, period);
    if (sums.withdrawal_count < Whole(*s.x) || !fresh("month:" + MonthText(period.from))) return;
    ev.Count("withdrawals_count", sums.withdrawal_count)
        .TransactionIds(OfType(c, period, TxType::kWithdrawal));
    explanation = fmt::format("withdrawals in {}: {} ≥ X {}", when(), sums.withdrawal_count,
                              Whole(*s.x));
  } else if (id == "3.4") {
    if (!s.x || !s.months) return;
    std::vector<std::pair<int64_t, int64_t>> per_month;  // (month start, withdrawals)
    for (int64_t m = MonthStart(period.from); m <= period.to; m = AddMonths(m, 1)) {
      const int64_t n = SumOver(c, {m, AddMonths(m, 1) - 1}).withdrawal_count;
      if (n < Whole(*s.x)) return;
      per_month.emplace_back(m, n);
    }
    if (!fresh("months:" + MonthText(period.from) + ".." + MonthText(period.to))) return;
    std::vector<std::string> months, counts;
    ev.out().Key("withdrawals_per_month").BeginObject();
    for (const auto& [m, n] : per_month) {
      ev.out().Key(MonthText(m)).Int(n);
      months.push_back(MonthText(m));
      counts.push_back(std::to_string(n));
    }
    ev.out().EndObject();
    explanation = fmt::format("withdrawals in each of {}: {} ≥ X {}", fmt::join(months, ", "),
                              fmt::join(counts, ", "), Whole(*s.x));
  } else if (id == "3.5" || id == "3.6") {
    if (id == "3.5" && !s.x) return;
    if (id == "3.6" && !c.is_pep) return;
    std::vector<const AmlTx*> found;
    Decimal total;
    for (const AmlTx& t : c.txs) {
      if (t.type != TxType::kDeposit || t.day < period.from || t.day > period.to) continue;
      if (id == "3.5" && !(t.eur > *s.x)) continue;
      if (!fresh("tx:" + std::to_string(t.id))) continue;
      found.push_back(&t);
      total += t.eur;
    }
    if (found.empty()) return;
    std::sort(found.begin(), found.end(), [](const AmlTx* a, const AmlTx* b) {
      return a->day != b->day ? a->day < b->day : a->id < b->id;
    });
    ev.Transactions(found).Value("deposits_eur", total);
    std::vector<std::string> each;
    for (const AmlTx* t : found) {
      each.push_back(fmt::format("EUR {} on {}", Money(t->eur), DayText(t->day)));
    }
    const std::string count =
        found.size() == 1 ? "a deposit" : std::to_string(found.size()) + " deposits";
    if (id == "3.5") {
      explanation = fmt::format("{} above X {}: {}", count, Money(*s.x), fmt::join(each, ", "));
    } else {
      ev.out().Key("is_pep").Bool(true);
      explanation = fmt::format("a politically exposed customer made {} in {}: {}", count, when(),
                                fmt::join(each, ", "));
    }
  } else if (id == "4.1" || id == "4.2") {
    const bool sum = id == "4.1";
    const Q q = sum ? Q::kAnnualDeposit : Q::kAnnualDepositCount;
    std::optional<Decimal> answered_sum;
    std::optional<int64_t> answered_count;
    if (sum) {
      answered_sum = in.Amount(q);
    } else {
      answered_count = in.Count(q);
    }
    if (in.failed() || (!answered_sum && !answered_count)) return;
    const Sums sums = SumOver(c, period);
    if (sum ? !(*answered_sum < sums.deposits) : !(*answered_count < sums.deposit_count)) return;
    if (!fresh("year:" + when())) return;
    ev.Answer(q, *in.Raw(q));
    ev.Value("deposits_eur", sums.deposits).Count("deposits_count", sums.deposit_count);
    ev.TransactionIds(OfType(c, period, TxType::kDeposit));
    explanation =
        sum ? fmt::format("deposits in {} EUR {} > yearly deposits answered {}", when(),
                          Money(sums.deposits), Money(*answered_sum))
            : fmt::format("deposits in {}: {} > number of yearly deposits answered {}", when(),
                          sums.deposit_count, *answered_count);
  } else {
    return;
  }
  ev.out().Key("explanation").Str(explanation);
  hits.push_back({c.customer_id, c.brand, &flag, period, std::move(explanation), ev.Take(),
                  std::move(keys)});
}

}  // namespace kyc
