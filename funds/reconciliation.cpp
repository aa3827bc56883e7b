#include "funds/reconciliation.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <charconv>
#include <map>
#include <memory>
#include <unordered_map>

#include "customers/field_rules.h"
#include "protocol/utf8.h"
#include "tables/pages.h"

namespace kyc {
namespace {

// The provider's word for a payment's outcome, in ours.
std::optional<std::string> NormalizeStatus(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kWords{{
      {"succeeded", "succeeded"}, {"success", "succeeded"}, {"successful", "succeeded"},
      {"paid", "succeeded"},      {"completed", "succeeded"}, {"settled", "succeeded"},
      {"failed", "failed"},       {"failure", "failed"},     {"declined", "failed"},
      {"rejected", "failed"},     {"cancelled", "failed"},   {"canceled", "failed"},
      {"pending", "pending"},     {"processing", "pending"},
  }};
  const std::string word = AsciiLower(text);
  for (const auto& [from, to] : kWords) {
    if (word == from) return std::string(to);
  }
  return std::nullopt;
}

// A statement's cells as libcsv hands them over, with the line each row starts on.
struct Cells {
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
  std::vector<std::string> current;
  int64_t line = 0;        // the physical line being fed
  int64_t row_line = 0;    // where the current row started
  bool in_row = false;     // a field of the current row has been handed over
  bool too_many = false;
};

void OnField(void* text, size_t len, void* data) {
  auto* c = static_cast<Cells*>(data);
  c->in_row = true;
  c->current.emplace_back(static_cast<const char*>(text), len);
}

void OnRowEnd(int, void* data) {
  auto* c = static_cast<Cells*>(data);
  if (c->rows.size() > kMaxStatementRows) {
    c->too_many = true;
  } else {
    c->rows.push_back(std::move(c->current));
    c->lines.push_back(c->row_line);
  }
  c->current.clear();
  c->in_row = false;
}

constexpr std::array<std::string_view, 5> kColumns{"psp_order_id", "amount", "currency", "status",
                                                   "date"};

}  // namespace

std::optional<int64_t> ParseStatementDate(std::string_view text) {
  auto number = [&](size_t at, size_t len) -> std::optional<int> {
    if (at + len > text.size()) return std::nullopt;
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(unsigned(*m)),
                                        std::chrono::day(unsigned(*d))};
  if (!ymd.ok()) return std::nullopt;
  int64_t seconds = std::chrono::sys_days(ymd).time_since_epoch() / std::chrono::seconds(1);
  std::string_view rest = text.substr(10);
  if (rest.empty()) return seconds;
  if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
  auto hh = number(11, 2), mm = number(14, 2);
  if (!hh || !mm || text[13] != ':' || *hh > 23 || *mm > 59) return std::nullopt;
  size_t end = 16;
  int ss = 0;
  if (text.size() > end && text[end] == ':') {
    auto s = number(17, 2);
    if (!s || *s > 59) return std::nullopt;
    ss = *s;
    end = 19;
  }
  std::string_view zone = text.substr(std::min(end, text.size()));
  if (!zone.empty() && zone != "Z" && zone != "+00:00") return std::nullopt;
  return seconds + *hh * 3600 + *mm * 60 + ss;
}

Result<std::vector<StatementRow>> ParseStatement(std::string_view csv) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return Status(Code::kInternal, "the CSV parser could not start");
  }
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  Cells cells;
  // Fed line by line, so that a row is named by the line it starts on.
  std::string_view rest = csv;
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // a UTF-8 BOM (Excel's "CSV UTF-8")
  while (!rest.empty() && !cells.too_many) {
    ++cells.line;
    // Between rows (no field begun, not inside quotes), a row starting now starts here:
    // a first field spanning lines is still named by its first line.
    if (!cells.in_row && parser.pstate == 0) cells.row_line = cells.line;
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl == std::string_view::npos ? rest.size() : nl + 1);
    rest.remove_prefix(line.size());
    if (csv_parse(&parser, line.data(), line.size(), OnField, OnRowEnd, &cells) != line.size()) {
      return Error(Code::kBadRequest, "statement line {}: {} (a quote not closed or misplaced)",
                   cells.in_row ? cells.row_line : cells.line, csv_strerror(csv_error(&parser)));
    }
  }
  if (csv_fini(&parser, OnField, OnRowEnd, &cells) != 0) {
    return Error(Code::kBadRequest, "statement line {}: a quoted field is not closed",
                 cells.in_row ? cells.row_line : cells.line);
  }
  if (cells.too_many) {
    return Error(Code::kTooLarge, "statement: more than {} rows; split it by period",
                 kMaxStatementRows);
  }
  if (cells.rows.empty()) {
    return Status(Code::kBadRequest,
                  "field 'statement' is empty: a header line (psp_order_id, amount, currency, "
                  "status, date) is expected");
  }
  // The header: where each column is.
  std::array<size_t, kColumns.size()> at{};
  const auto& header = cells.rows[0];
  for (size_t k = 0; k < kColumns.size(); ++k) {
    auto it = std::find_if(header.begin(), header.end(),
                           [&](const std::string& h) { return AsciiLower(h) == kColumns[k]; });
    if (it == header.end()) {
      return Error(Code::kBadRequest,
                   "statement line {}: column '{}' is missing from the header (expected "
                   "psp_order_id, amount, currency, status, date)",
                   cells.lines[0], kColumns[k]);
    }
    at[k] = size_t(it - header.begin());
  }
  std::vector<StatementRow> out;
  std::unordered_map<std::string, int64_t> seen;  // psp_order_id → line
  for (size_t i = 1; i < cells.rows.size(); ++i) {
    const auto& row = cells.rows[i];
    const int64_t line = cells.lines[i];
    if (row.size() != header.size()) {
      return Error(Code::kBadRequest, "statement line {}: {} fields, the header has {}", line,
                   row.size(), header.size());
    }
    StatementRow r;
    r.line = line;
    r.psp_order_id = row[at[0]];
    if (r.psp_order_id.empty() || r.psp_order_id.size() > 128) {
      return Error(Code::kBadRequest, "statement line {}: field 'psp_order_id' must have 1 to 128 "
                   "characters", line);
    }
    auto amount = Decimal::Parse(row[at[1]]);
    if (!amount) {
      return Error(Code::kBadRequest,
                   "statement line {}: field 'amount' must be a decimal such as 100.50 (got '{}')",
                   line, ForMessage(row[at[1]], 64));
    }
    r.amount = *amount;
    r.currency = row[at[2]];
    if (!IsCurrencyCode(r.currency)) {
      return Error(Code::kBadRequest,
                   "statement line {}: field 'currency' must be an ISO 4217 code (got '{}')", line,
                   ForMessage(r.currency, 64));
    }
    auto status = NormalizeStatus(row[at[3]]);
    if (!status) {
      return Error(Code::kBadRequest,
                   "statement line {}: field 'status' must be succeeded, failed or pending (or "
                   "paid, completed, declined, …; got '{}')",
                   line, ForMessage(row[at[3]], 64));
    }
    r.status = *status;
    auto date = ParseStatementDate(row[at[4]]);
    if (!date) {
      return Error(Code::kBadRequest,
                   "statement line {}: field 'date' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ "
                   "(got '{}')",
                   line, ForMessage(row[at[4]], 64));
    }
    r.date = *date;
    if (auto [it, fresh] = seen.emplace(r.psp_order_id, line); !fresh) {
      return Error(Code::kBadRequest, "statement line {}: psp_order_id '{}' repeats line {}", line,
                   ForMessage(r.psp_order_id, 64), it->second);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<BackOfficePayment> BackOfficeOf(const std::vector<const Deposit*>& deposits,
                                            const std::vector<const Withdrawal*>& withdrawals) {
  std::vector<BackOfficePayment> out;
  for (const Deposit* d : deposits) {
    if (d->psp_order_id.empty()) continue;  // the provider never reported it
    BackOfficePayment p;
    p.kind = "deposit";
    p.id = d->id;
    p.reference = d->psp_order_id;
    p.amount = d->paid_amount.value_or(d->amount);
    p.currency = d->paid_currency.empty() ? d->currency : d->paid_currency;
    p.status = d->status == DepositStatus::kSucceeded ? "succeeded"
               : d->status == DepositStatus::kFailed  ? "failed"
                                                      : "pending";
    p.at = d->updated_at;
    out.push_back(std::move(p));
  }
  for (const Withdrawal* w : withdrawals) {
    if (w->status != WithdrawalStatus::kPaid || w->voucher.empty()) continue;
    BackOfficePayment p;
    p.kind = "withdrawal";
    p.id = w->id;
    p.reference = w->voucher;
    p.amount = w->amount;
    p.currency = w->currency;
    p.status = "succeeded";
    p.at = w->updated_at;
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

void WriteStatementSide(JsonOut& o, const StatementRow& r) {
  o.Key("line").Int(r.line);
  o.Key("psp_order_id").Str(r.psp_order_id);
  o.Key("statement").BeginObject();
  o.Key("amount").Str(r.amount.ToString(2)).Key("currency").Str(r.currency);
  o.Key("status").Str(r.status).Key("date").Int(r.date);
  o.EndObject();
}

void WriteBackOfficeSide(JsonOut& o, const BackOfficePayment& p) {
  o.Key("back_office").BeginObject();
  o.Key("kind").Str(p.kind).Key("id").Int(p.id);
  o.Key("amount").Str(p.amount.ToString(2)).Key("currency").Str(p.currency);
  o.Key("status").Str(p.status).Key("at").Int(p.at);
  o.EndObject();
}

Decimal Magnitude(const Decimal& d) { return d < Decimal() ? Decimal() - d : d; }

}  // namespace

void Reconcile(const std::vector<StatementRow>& rows,
               const std::vector<BackOfficePayment>& payments, std::optional<int64_t> from,
               std::optional<int64_t> to, Reconciliation& out) {
  // A reference may name more than one record (a voucher typed like an order id): a row
  // takes the one that agrees with it on amount and currency, else the first not taken.
  std::unordered_multimap<std::string_view, const BackOfficePayment*> by_reference;
  for (const auto& p : payments) by_reference.emplace(p.reference, &p);
  int64_t first = 0, last = -1;
  for (const auto& r : rows) {
    first = last < first ? r.date : std::min(first, r.date);
    last = std::max(last, r.date);
  }
  constexpr int64_t kDay = 86400;
  out.period_from = from.value_or(last < first ? 0 : first - ((first % kDay) + kDay) % kDay);
  out.period_to = to.value_or(last < first ? -1 : last - ((last % kDay) + kDay) % kDay + kDay - 1);
  out.rows = static_cast<int64_t>(rows.size());

  JsonOut matched, missing_bo, missing_st, amount, status;
  for (JsonOut* list : {&matched, &missing_bo, &missing_st, &amount, &status}) list->BeginArray();
  std::unordered_map<const BackOfficePayment*, bool> seen;
  auto pick = [&](const StatementRow& r) -> const BackOfficePayment* {
    const BackOfficePayment* first = nullptr;
    auto [from_it, to_it] = by_reference.equal_range(r.psp_order_id);
    for (auto it = from_it; it != to_it; ++it) {
      const BackOfficePayment* p = it->second;
      if (seen.count(p)) continue;
      if (Magnitude(r.amount) == Magnitude(p->amount) && r.currency == p->currency) return p;
      if (!first) first = p;
    }
    return first;
  };
  for (const auto& r : rows) {
    const BackOfficePayment* found = pick(r);
    if (!found) {
      missing_bo.BeginObject();
      WriteStatementSide(missing_bo, r);
      missing_bo.EndObject();
      ++out.missing_in_back_office;
      continue;
    }
    const BackOfficePayment& p = *found;
    seen[&p] = true;
    JsonOut* list = &matched;
    int64_t* count = &out.matched;
    if (Magnitude(r.amount) != Magnitude(p.amount) || r.currency != p.currency) {
      list = &amount;
      count = &out.amount_mismatch;
    } else if (r.status != p.status) {
      list = &status;
      count = &out.status_mismatch;
    }
    list->BeginObject();
    WriteStatementSide(*list, r);
    WriteBackOfficeSide(*list, p);
    list->EndObject();
    ++*count;
  }
  for (const auto& p : payments) {
    if (seen.count(&p) || p.status != "succeeded" || p.at < out.period_from || p.at > out.period_to) {
      continue;
    }
    missing_st.BeginObject();
    missing_st.Key("psp_order_id").Str(p.reference);
    WriteBackOfficeSide(missing_st, p);
    missing_st.EndObject();
    ++out.missing_in_statement;
  }
  JsonOut* lists[] = {&matched, &missing_bo, &missing_st, &amount, &status};
  for (size_t i = 0; i < out.lists.size(); ++i) {
    lists[i]->EndArray();
    out.lists[i] = lists[i]->Take();
  }
}

void WriteReconciliation(JsonOut& o, const Reconciliation& r, bool with_detail) {
  o.BeginObject();
  o.Key("id").Int(r.id);
  o.Key("brand").Str(r.brand);
  o.Key("channel").Str(r.channel);
  o.Key("created_by").OptInt(r.created_by);
  o.Key("created_at").Int(r.created_at);
  o.Key("period").BeginObject().Key("from").Int(r.period_from).Key("to").Int(r.period_to).EndObject();
  o.Key("rows").Int(r.rows);
  o.Key("counts").BeginObject();
  o.Key("matched").Int(r.matched);
  o.Key("missing_in_back_office").Int(r.missing_in_back_office);
  o.Key("missing_in_statement").Int(r.missing_in_statement);
  o.Key("amount_mismatch").Int(r.amount_mismatch);
  o.Key("status_mismatch").Int(r.status_mismatch);
  o.EndObject();
  if (with_detail) {
    for (size_t i = 0; i < r.lists.size(); ++i) {
      o.Key(kReconciliationLists[i]).Raw(r.lists[i].empty() ? std::string_view("[]") : r.lists[i]);
    }
  }
  o.EndObject();
}

RowPage<Reconciliation> ReconciliationSet::List(const ReconciliationFilter& f) const {
  std::vector<Ptr> all;
  Scan([&](const Ptr& r) {
    if ((!f.brand || r->brand == *f.brand) && (!f.channel || r->channel == *f.channel)) {
      all.push_back(r);
    }
    return true;
  });
  return NewestFirst<Reconciliation>(all, f.offset, f.limit);
}

}  // namespace kyc
