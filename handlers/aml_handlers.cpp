// The AML Manager (issue 14, seed 004): question maps, flag subscriptions, runs and dry
// runs, alerts and their cases.
#include <algorithm>

#include "core/aml_run.h"
#include "core/aml_txn.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {


const AmlFlagInfo* ReadFlag(ParamReader& p) {
  std::string id = p.String("flag", 8);
  if (!p.ok()) return nullptr;
  const AmlFlagInfo* flag = FindAmlFlag(id);
  if (!flag) {
    p.Fail(Error(Code::kBadRequest,
                 "field 'flag' must be one of 1.1, 1.2, 1.3, 2.1, 2.2, 3.1–3.6, 4.1, 4.2 (got "
                 "'{}')",
                 id));
  }
  return flag;
}

// A run's date: 2000-01-01 (the oldest transaction) to a year from now.
int64_t ReadDate(ParamReader& p, int64_t now) {
  std::string text = p.String("date", 16);
  if (!p.ok()) return 0;
  auto day = ParseDay(text);
  if (!day || *day < *ParseDay("2000-01-01") || *day > DayOf(now) + 366) {
    p.Fail(Status(Code::kBadRequest,
                  "field 'date' must be a date YYYY-MM-DD from 2000-01-01 to a year from now"));
    return 0;
  }
  return *day;
}

// One parameter: a decimal string or a whole JSON number (no binary float near money).
std::optional<Decimal> ParamDecimal(ParamReader& p, const rapidjson::Value& v,
                                    std::string_view name) {
  std::optional<Decimal> d;
  if (v.IsString()) d = Decimal::Parse(StringView(v), 2);
  else if (v.IsInt64()) d = Decimal::FromInt(v.GetInt64());
  if (!d || *d > Decimal::MaxAmount()) {
    p.Fail(Error(Code::kBadRequest,
                 "field 'params.{}' must be a decimal string with at most 2 fraction digits "
                 "(\"50000.00\") or a whole number",
                 name));
  }
  return d;
}

// `params` {x?, percent?, months?}: a key given sets, null clears, absent keeps.
void ReadParams(ParamReader& p, AmlSubscription& s) {
  const rapidjson::Value* v = p.Raw("params");
  if (!v || !p.ok() || v->IsNull()) return;
  if (!v->IsObject()) return p.Fail(Status(Code::kBadRequest, "field 'params' must be an object"));
  for (const auto& m : v->GetObject()) {
    std::string_view key = StringView(m.name);
    if (key == "x") {
      s.x = m.value.IsNull() ? std::nullopt : ParamDecimal(p, m.value, key);
    } else if (key == "percent") {
      s.percent = m.value.IsNull() ? std::nullopt : ParamDecimal(p, m.value, key);
    } else if (key == "months") {
      if (m.value.IsNull()) {
        s.months.reset();
      } else if (m.value.IsInt64()) {
        s.months = m.value.GetInt64();
      } else {
        p.Fail(Status(Code::kBadRequest, "field 'params.months' must be a whole number"));
      }
    } else {
      p.Fail(Error(Code::kBadRequest, "field 'params.{}' is not known (x, percent, months)",
                   key.substr(0, 32)));
    }
    if (!p.ok()) return;
  }
}

// `customer_types`: null or [] for every customer, else a list of regular, vip, corporate.
void ReadCustomerTypes(ParamReader& p, AmlSubscription& s) {
  const rapidjson::Value* v = p.Raw("customer_types");
  if (!v || !p.ok()) return;
  s.customer_types.clear();
  if (v->IsNull()) return;
  if (!v->IsArray()) {
    return p.Fail(Status(Code::kBadRequest, "field 'customer_types' must be an array"));
  }
  for (const auto& t : v->GetArray()) {
    auto type = t.IsString() ? ParseClientType(StringView(t)) : std::nullopt;
    if (!type) {
      return p.Fail(
          Status(Code::kBadRequest, "field 'customer_types' must list regular, vip or corporate"));
    }
    if (!s.Covers(*type) || s.customer_types.empty()) s.customer_types.push_back(*type);
  }
}

void WriteFlag(JsonOut& o, const AmlFlagInfo& f, const AmlSubscription* s) {
  o.BeginObject().Key("flag").Str(f.id).Key("group").Int(f.group);
  o.Key("description").Str(f.description).Key("schedule").Str(AmlSchedule(f.group));
  o.Key("params_needed").BeginArray();
  if (f.params & kParamX) o.Str("x");
  if (f.params & kParamPercent) o.Str("percent");
  if (f.params & kParamMonths) o.Str("months");
  o.EndArray();
  o.Key("x_unit").Str(f.params & kParamX ? (f.x_is_count ? "withdrawals" : "EUR") : "");
  o.Key("realtime_allowed").Bool(f.realtime);
  o.Key("enabled").Bool(s && s->enabled).Key("params");
  if (s) {
    WriteAmlParams(o, *s);
  } else {
    o.BeginObject().EndObject();
  }
  o.Key("customer_types").BeginArray();
  if (s) {
    for (ClientType t : s->customer_types) o.Str(Name(t));
  }
  o.EndArray().Key("realtime").Bool(s && s->realtime);
  o.Key("updated_at").OptInt(s ? std::optional<int64_t>(s->updated_at) : std::nullopt);
  o.EndObject();
}

void WriteSkips(JsonOut& o, const std::vector<AmlSkip>& skips) {
  o.BeginArray();
  for (const AmlSkip& s : skips) {
    o.BeginObject().Key("customer_id").Int(s.customer_id).Key("brand").Str(s.brand);
    o.Key("flag").Str(s.flag).Key("answer").Str(s.answer).Key("value").Str(s.value).EndObject();
  }
  o.EndArray();
}

}  // namespace

Result<std::string> MngSetAmlQuestionMap(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  const rapidjson::Value* map = p.OptObject("map");
  if (p.ok() && !map) p.Fail(Status(Code::kBadRequest, "field 'map' is required"));
  if (Status s = p.Finish(); !s.ok()) return s;

  KycTxn kyc = KycTxnOf(c);
  AmlTxn aml(kyc);
  auto before = aml.store().staged_question_maps().StagedFind(brand);
  AmlQuestionMap next;
  if (before) next = *before;
  for (const auto& m : map->GetObject()) {
    std::string_view name = StringView(m.name);
    auto q = ParseAmlQuestion(name);
    if (!q) {
      return Error(Code::kBadRequest,
                   "field 'map.{}' is not an AML question (gross_monthly_income, "
                   "monthly_savings, capital_to_invest, investment_per_time, starting_amount, "
                   "total_assets, annual_deposit, annual_deposit_count)",
                   name.substr(0, 64));
    }
    if (m.value.IsNull()) {
      next.names[size_t(*q)].clear();
      continue;
    }
    if (!m.value.IsString() || !IsAnswerName(StringView(m.value))) {
      return Error(Code::kBadRequest,
                   "field 'map.{}' must be an answer name [A-Za-z0-9_]{{1,64}} or null (the "
                   "default)",
                   name);
    }
    next.names[size_t(*q)] = std::string(StringView(m.value));
  }
  auto after = std::make_shared<AmlQuestionMap>(next);
  after->id = before ? before->id : aml.store().staged_question_maps().StagedNextId();
  after->brand = brand;
  after->updated_at = c.now;
  std::string json = AmlQuestionMapJson(*after);
  if (Status s = aml.SaveQuestionMap(before, after); !s.ok()) return s;
  return json;
}

Result<std::string> MngGetAmlQuestionMap(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  return AmlQuestionMapJson(c.core.kyc().aml().question_maps().Of(brand));
}

Result<std::string> MngSetAmlFlag(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  const AmlFlagInfo* flag = ReadFlag(p);
  auto enabled = p.OptBool("enabled");
  if (p.ok() && !enabled) p.Fail(Status(Code::kBadRequest, "field 'enabled' is required (true or false)"));
  if (!p.ok()) return p.Finish();

  KycTxn kyc = KycTxnOf(c);
  AmlTxn aml(kyc);
  auto before = aml.store().staged_subscriptions().StagedFind(brand, flag->id);
  auto after = before ? std::make_shared<AmlSubscription>(*before) : std::make_shared<AmlSubscription>();
  after->enabled = *enabled;
  ReadParams(p, *after);
  ReadCustomerTypes(p, *after);
  if (auto realtime = p.OptBool("realtime")) after->realtime = *realtime;
  if (Status s = p.Finish(); !s.ok()) return s;
  if (Status s = CheckAmlSubscription(*flag, *after); !s.ok()) return s;
  if (!before) after->id = aml.store().staged_subscriptions().StagedNextId();
  after->brand = brand;
  after->flag = std::string(flag->id);
  after->updated_at = c.now;
  after->updated_by = c.actor().id;
  JsonOut o;
  WriteFlag(o, *flag, after.get());
  if (Status s = aml.SaveSubscription(before, after); !s.ok()) return s;
  return o.Take();
}

Result<std::string> MngGetAmlFlags(Call& c) {
  ParamReader p(c.params);
  std::string brand = ReadBrand(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  const auto& subs = c.core.kyc().aml().subscriptions();
  JsonOut o;
  o.BeginObject().Key("brand").Str(brand).Key("items").BeginArray();
  for (const AmlFlagInfo& f : kAmlFlags) {
    auto s = subs.Find(brand, f.id);
    WriteFlag(o, f, s.get());
  }
  o.EndArray().Key("total").Int(int64_t(kAmlFlags.size())).EndObject();
  return o.Take();
}

Result<std::string> MngRunAmlChecks(Call& c) {
  ParamReader p(c.params);
  AmlRunRequest request;
  request.date = ReadDate(p, c.now);
  if (p.Has("brand")) request.brand = ReadBrand(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  request.actor = c.actor();
  request.wait = false;
  auto r = RunAmlChecks(c.core, request);
  if (!r.ok()) return r.status();
  const AmlRunResult& run = *r;
  JsonOut o;
  o.BeginObject().Key("date").Str(DayText(run.date)).Key("brand");
  request.brand ? o.Str(*request.brand) : o.Null();
  o.Key("customers_checked").Int(run.customers_checked);
  o.Key("alerts_created").Int(run.alerts_created).Key("alerts_updated").Int(run.alerts_updated);
  o.Key("skipped");
  WriteSkips(o, run.skipped);
  o.Key("skipped_total").Int(run.skipped_total).Key("elapsed_ms").Int(run.elapsed_ms);
  o.EndObject();
  return o.Take();
}

Result<std::string> MngTestAmlFlag(Call& c) {
  ParamReader p(c.params);
  AmlSubscription sub;
  sub.brand = ReadBrand(p);
  const AmlFlagInfo* flag = ReadFlag(p);
  const int64_t date = ReadDate(p, c.now);
  ReadParams(p, sub);
  ReadCustomerTypes(p, sub);
  if (Status s = p.Finish(); !s.ok()) return s;
  sub.flag = std::string(flag->id);
  sub.enabled = true;
  if (Status s = CheckAmlSubscription(*flag, sub); !s.ok()) return s;
  auto r = TestAmlFlag(c.core, sub, date);
  if (!r.ok()) return r.status();
  constexpr size_t kMaxListed = 1000;
  JsonOut o;
  o.BeginObject().Key("flag").Str(flag->id).Key("date").Str(DayText(date));
  const AmlPeriod period = AmlPeriodOf(*flag, sub, date);
  o.Key("period_from").Str(DayText(period.from)).Key("period_to").Str(DayText(period.to));
  o.Key("hits").BeginArray();
  for (size_t i = 0; i < r->hits.size() && i < kMaxListed; ++i) {
    const AmlHit& h = r->hits[i];
    o.BeginObject().Key("customer_id").Int(h.customer_id).Key("brand").Str(h.brand);
    o.Key("explanation").Str(h.explanation).Key("evidence").Raw(h.evidence).EndObject();
  }
  o.EndArray().Key("hits_total").Int(int64_t(r->hits.size()));
  o.Key("customers_checked").Int(r->customers_checked).Key("skipped");
  std::vector<AmlSkip> listed(r->skipped.begin(),
                              r->skipped.begin() + std::min(r->skipped.size(), kMaxListed));
  WriteSkips(o, listed);
  o.Key("skipped_total").Int(int64_t(r->skipped.size())).EndObject();
  return o.Take();
}

Result<std::string> MngGetAmlAlerts(Call& c) {
  ParamReader p(c.params);
  AmlAlertFilter f;
  if (p.Has("brand")) f.brand = ReadBrand(p);
  if (auto status = p.OptString("status", 16)) {
    f.status = ParseAmlAlertStatus(*status);
    if (!f.status) p.Fail(Status(Code::kBadRequest, "field 'status' must be open, assigned or closed"));
  }
  if (p.Has("flag")) {
    if (const AmlFlagInfo* flag = ReadFlag(p)) f.flag = std::string(flag->id);
  }
  f.customer_id = p.OptInt("customer_id");
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  auto result = c.core.kyc().aml().alerts().List(f);
  return ItemsJson(result.items, result.total, WriteAmlAlert);
}

Result<std::string> MngGetAmlAlert(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto a = c.core.kyc().aml().alerts().Get(id);
  if (!a) return Error(Code::kNotFound, "AML alert {} not found", id);
  return AmlAlertJson(*a);
}

Result<std::string> MngAssignAmlAlert(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  int64_t manager_id = p.Int("manager_id");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto m = c.core.staff().managers().Get(manager_id);
  if (!m || m->disabled ||
      (m->session_type != SessionType::kAdmin && m->session_type != SessionType::kManager)) {
    return Error(Code::kBadRequest,
                 "field 'manager_id': {} is not an active admin or manager account (who "
                 "could resolve the alert)",
                 manager_id);
  }
  KycTxn kyc = KycTxnOf(c);
  auto a = AmlTxn(kyc).Assign(id, manager_id);
  if (!a.ok()) return a.status();
  return AmlAlertJson(**a);
}

Result<std::string> MngResolveAmlAlert(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string resolution = p.String("resolution", 32);
  if (p.ok() && !IsAmlResolution(resolution)) {
    p.Fail(Status(Code::kBadRequest,
                  "field 'resolution' must be false_positive, accepted_risk, escalated or reported"));
  }
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  KycTxn kyc = KycTxnOf(c);
  auto a = AmlTxn(kyc).Resolve(id, resolution, reason);
  if (!a.ok()) return a.status();
  return AmlAlertJson(**a);
}

}  // namespace kyc::handlers
