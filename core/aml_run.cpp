#include "core/aml_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "core/aml_txn.h"

namespace kyc {
namespace {

using SubPtr = std::shared_ptr<const AmlSubscription>;

struct Check {
  const AmlFlagInfo* flag;
  SubPtr sub;
  AmlPeriod period;  // what the flag covers on the run's date
};

// A brand's enabled subscriptions that a run evaluates, by what they read.
struct BrandChecks {
  AmlQuestionMap map;
  std::vector<Check> on_answers;  // groups 1 and 2
  std::vector<Check> on_period;   // groups 3 and 4
  int64_t max_months = 12;
  bool period_reads_answers = false;
};
using ChecksByBrand = std::map<std::string, BrandChecks, std::less<>>;

ChecksByBrand ChecksOf(const KycBase& kyc, const std::vector<SubPtr>& subs, int64_t date,
                       bool due_only) {
  ChecksByBrand out;
  for (const SubPtr& s : subs) {
    const AmlFlagInfo* flag = FindAmlFlag(s->flag);
    if (!flag || (due_only && !IsAmlDue(flag->group, date))) continue;
    auto [it, fresh] = out.try_emplace(s->brand);
    BrandChecks& b = it->second;
    if (fresh) b.map = kyc.aml().question_maps().Of(s->brand);
    const AmlPeriod period = AmlPeriodOf(*flag, *s, date);
    if (flag->group <= 2) {
      b.on_answers.push_back({flag, s, period});
    } else {
      b.on_period.push_back({flag, s, period});
      if (s->months) b.max_months = std::max(b.max_months, *s->months);
      if (AmlFlagReadsAnswers(*flag)) b.period_reads_answers = true;
    }
  }
  return out;
}

// The answers of (customer_id, brand) from committed memory: its submitted steps, then its
// record's own kyc_answers.
AmlAnswers AnswersOf(const KycBase& kyc, const AmlQuestionMap& map, int64_t customer_id,
                     std::string_view brand, const ClientRecord* rec) {
  std::vector<AnswerSource> sources;
  std::vector<std::shared_ptr<const Step>> steps;  // keeps the answers' text alive
  if (auto p = kyc.profiles().Find(customer_id, brand)) steps = kyc.steps().OfProfile(p->id);
  for (const auto& s : steps) {
    if (s->submitted_at && !s->answers.view().empty()) {
      sources.push_back({s->answers.view(), *s->submitted_at, {}});
    }
  }
  if (rec && !rec->kyc_answers.empty()) {
    sources.push_back({rec->kyc_answers, rec->updated_at, rec->kyc_answers_at});
  }
  return GatherAmlAnswers(map, sources);
}

AmlCustomer CustomerOf(int64_t customer_id, std::string_view brand, const ClientRecord* rec) {
  AmlCustomer c;
  c.customer_id = customer_id;
  c.brand = std::string(brand);
  if (rec) {
    c.type = rec->type;
    c.is_pep = rec->is_pep;
  }
  return c;
}

struct Found {
  std::vector<AmlHit> hits;
  std::vector<AmlSkip> skips;
  int64_t checked = 0;
};

// Hits handed from the evaluating threads to the thread that writes them, so that the
// writes (bound by their commits) overlap the evaluation (bound by the CPU).
class HitQueue {
 public:
  void Push(std::vector<AmlHit>& hits) {
    if (hits.empty()) return;
    {
      std::lock_guard lock(mu_);
      std::move(hits.begin(), hits.end(), std::back_inserter(hits_));
    }
    hits.clear();
    ready_.notify_one();
  }
  void Finish() {
    {
      std::lock_guard lock(mu_);
      finished_ = true;
    }
    ready_.notify_one();
  }
  // Waits for `n` hits (or the end) and takes up to `n`; empty once all are taken.
  std::vector<AmlHit> Take(size_t n) {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return finished_ || hits_.size() >= n; });
    const size_t k = std::min(n, hits_.size());
    std::vector<AmlHit> out(std::make_move_iterator(hits_.begin()),
                            std::make_move_iterator(hits_.begin() + std::ptrdiff_t(k)));
    hits_.erase(hits_.begin(), hits_.begin() + std::ptrdiff_t(k));
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<AmlHit> hits_;
  bool finished_ = false;
};

// Evaluates `checks` for one customer. With `raised`, a key already raised for (customer,
// flag) is left out (a run); without, earlier hits are ignored (a dry run).
void Evaluate(const std::vector<Check>& checks, const AmlCustomer& c, const AmlHitKeySet* raised,
              Found& out) {
  for (const Check& k : checks) {
    if (!k.sub->Covers(c.type)) continue;
    AmlSeen seen;
    if (raised) {
      seen = [&](std::string_view key) {
        return raised->Seen(c.brand, c.customer_id, k.flag->id, key);
      };
    }
    EvaluateAmlFlag(*k.flag, *k.sub, c, k.period, seen, out.hits, out.skips);
  }
}

// Groups 1 and 2: the customers whose answers changed the day before `date`.
void EvaluateAnswerChanges(const KycBase& kyc, const ChecksByBrand& checks, int64_t date,
                           const AmlHitKeySet* raised, Found& out,
                           std::set<std::pair<int64_t, std::string>>& done) {
  for (const auto& change : kyc.aml().answer_changes().OnDay(date - 1)) {
    auto b = checks.find(change->brand);
    if (b == checks.end() || b->second.on_answers.empty()) continue;
    if (!done.emplace(change->customer_id, change->brand).second) continue;
    auto rec = kyc.clients().clients().Find(change->customer_id, change->brand);
    AmlCustomer c = CustomerOf(change->customer_id, change->brand, rec.get());
    c.answers = AnswersOf(kyc, b->second.map, c.customer_id, c.brand, rec.get());
    Evaluate(b->second.on_answers, c, raised, out);
    ++out.checked;
  }
}

// Groups 3 and 4: every client record of a brand with such checks, in slices of ids over
// `threads` threads. A customer also checked for its answers is not counted twice.
// With `sink`, each slice's hits go there as soon as it is done; without, into `out`.
Status EvaluatePeriods(const KycBase& kyc, const ChecksByBrand& checks, int64_t date,
                       const AmlHitKeySet* raised, int threads,
                       const std::set<std::pair<int64_t, std::string>>& done, HitQueue* sink,
                       Found& out) {
  bool any = false;
  for (const auto& [brand, b] : checks) any = any || !b.on_period.empty();
  if (!any) return Status::Ok();
  const auto& records = kyc.clients().clients();
  const auto& transactions = kyc.clients().transactions();
  const int64_t end = records.EndId();
  constexpr int64_t kSlice = 4096;
  std::atomic<int64_t> next{0};
  std::vector<Found> found(size_t(std::max(1, threads)));
  std::vector<Status> failed(found.size(), Status::Ok());

  auto work = [&](size_t worker) {
    // A run is batch work: at nice 10 it takes the cores only when requests leave them
    // idle, so reads keep their latency while it runs (Linux: nice is per thread).
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
    Found& mine = found[worker];
    std::vector<std::shared_ptr<const ClientRecord>> slice;
    try {
      for (int64_t first = next.fetch_add(kSlice); first < end; first = next.fetch_add(kSlice)) {
        slice.clear();
        records.ScanRange(first, first + kSlice, [&](const auto& r) { slice.push_back(r); });
        for (const auto& rec : slice) {
          auto b = checks.find(rec->brand);
          if (b == checks.end() || b->second.on_period.empty()) continue;
          const BrandChecks& bc = b->second;
          const AmlPeriod window = AmlTransactionWindow(date, bc.max_months);
          AmlCustomer c = CustomerOf(rec->customer_id, rec->brand, rec.get());
          transactions.ForClient(rec->id, [&](const Transaction& t) {
            const int64_t day = DayOf(t.at);
            if (t.type == TxType::kExchange || day < window.from || day > window.to) return;
            c.txs.push_back({t.id, day, t.type, t.eur_amount});
          });
          if (done.empty() || !done.count(std::pair(rec->customer_id, rec->brand))) ++mine.checked;
          if (c.txs.empty()) continue;  // no check of groups 3 and 4 hits without transactions
          if (bc.period_reads_answers) {
            c.answers = AnswersOf(kyc, bc.map, c.customer_id, c.brand, rec.get());
          }
          Evaluate(bc.on_period, c, raised, mine);
        }
        if (sink) sink->Push(mine.hits);
      }
    } catch (const std::exception& e) {
      failed[worker] = Error(Code::kInternal, "AML run: {}", e.what());
    }
  };
  // Every slice is evaluated on threads of its own (the caller's thread, from the blocking
  // pool, keeps its priority).
  std::vector<std::jthread> workers;
  for (size_t i = 0; i < found.size(); ++i) workers.emplace_back(work, i);
  workers.clear();  // joins
  for (size_t i = 0; i < found.size(); ++i) {
    if (!failed[i].ok()) return failed[i];
    out.checked += found[i].checked;
    std::move(found[i].hits.begin(), found[i].hits.end(), std::back_inserter(out.hits));
    std::move(found[i].skips.begin(), found[i].skips.end(), std::back_inserter(out.skips));
  }
  return Status::Ok();
}

std::vector<SubPtr> EnabledOf(const KycBase& kyc, const std::optional<std::string>& brand) {
  if (brand) return kyc.aml().subscriptions().Enabled(std::string_view(*brand));
  return kyc.aml().subscriptions().Enabled();
}


}  // namespace

Result<AmlRunResult> RunAmlChecks(Core& core, const AmlRunRequest& request) {
  std::unique_lock run_lock(core.aml_mutex(), std::defer_lock);
  if (request.wait) {
    run_lock.lock();
  } else if (!run_lock.try_lock()) {
    return Status(Code::kUnavailable, "an AML run is in progress; try again when it has finished");
  }
  const auto started = std::chrono::steady_clock::now();
  const int64_t started_at = core.clock().Now();
  KycBase& kyc = core.kyc();
  const ChecksByBrand checks = ChecksOf(kyc, EnabledOf(kyc, request.brand), request.date, true);

  Found found;
  std::set<std::pair<int64_t, std::string>> done;
  const AmlHitKeySet* raised = &kyc.aml().hit_keys();
  EvaluateAnswerChanges(kyc, checks, request.date, raised, found, done);
  HitQueue queue;
  queue.Push(found.hits);
  Status evaluated = Status::Ok();
  std::jthread evaluator([&] {
    evaluated = EvaluatePeriods(kyc, checks, request.date, raised, core.options().aml_threads,
                                done, &queue, found);
    queue.Finish();
  });

  AmlRunResult result;
  result.date = request.date;
  // Short writes: 1,000 hits per writer transaction, so other writes interleave; each
  // batch in (brand, customer, flag) order.
  constexpr size_t kHitsPerWrite = 1000;
  Status written = Status::Ok();
  for (auto hits = queue.Take(kHitsPerWrite); !hits.empty(); hits = queue.Take(kHitsPerWrite)) {
    if (!written.ok()) continue;  // drain: the evaluation finishes, nothing more is written
    std::sort(hits.begin(), hits.end(), [](const AmlHit& a, const AmlHit& b) {
      return std::tie(a.brand, a.customer_id, a.flag->id) <
             std::tie(b.brand, b.customer_id, b.flag->id);
    });
    AmlApplied applied;
    auto r = kyc.writer().SubmitAndWait([&](WriteBatch& batch) -> Result<std::string> {
      KycTxn txn(kyc, batch, request.actor, core.clock().Now(), core.customer_mirror(),
                 core.options().accounts);
      AmlTxn aml(txn);
      applied = {};
      for (const AmlHit& hit : hits) {
        if (Status s = aml.ApplyHit(hit, applied); !s.ok()) return s;
      }
      return std::string();
    });
    written = r.status();
    result.alerts_created += applied.created;
    result.alerts_updated += applied.updated;
  }
  evaluator.join();
  if (!evaluated.ok()) return evaluated;
  if (!written.ok()) return written;
  result.customers_checked = found.checked;
  result.skipped_total = int64_t(found.skips.size());
  if (found.skips.size() > kMaxListedSkips) found.skips.resize(kMaxListedSkips);
  result.skipped = std::move(found.skips);
  result.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();

  auto run = std::make_shared<AmlRun>();
  run->date = request.date;
  run->brand = request.brand.value_or("");
  run->scheduled = request.scheduled;
  run->customers_checked = result.customers_checked;
  run->alerts_created = result.alerts_created;
  run->alerts_updated = result.alerts_updated;
  run->skipped = result.skipped_total;
  run->elapsed_ms = result.elapsed_ms;
  run->started_at = started_at;
  auto r = kyc.writer().SubmitAndWait([&](WriteBatch& batch) -> Result<std::string> {
    KycTxn txn(kyc, batch, request.actor, core.clock().Now(), core.customer_mirror(),
                 core.options().accounts);
    if (Status s = AmlTxn(txn).RecordRun(run); !s.ok()) return s;
    return std::string();
  });
  if (!r.ok()) return r.status();
  return result;
}

Result<AmlTestResult> TestAmlFlag(Core& core, const AmlSubscription& sub, int64_t date) {
  std::unique_lock run_lock(core.aml_mutex(), std::try_to_lock);
  if (!run_lock) {
    return Status(Code::kUnavailable, "an AML run is in progress; try again when it has finished");
  }
  KycBase& kyc = core.kyc();
  auto shared = std::make_shared<const AmlSubscription>(sub);
  const ChecksByBrand checks = ChecksOf(kyc, {shared}, date, false);
  Found found;
  std::set<std::pair<int64_t, std::string>> done;
  EvaluateAnswerChanges(kyc, checks, date, nullptr, found, done);
  if (Status s = EvaluatePeriods(kyc, checks, date, nullptr, core.options().aml_threads, done,
                                 nullptr, found);
      !s.ok()) {
    return s;
  }
  std::sort(found.hits.begin(), found.hits.end(),
            [](const AmlHit& a, const AmlHit& b) { return a.customer_id < b.customer_id; });
  return AmlTestResult{std::move(found.hits), found.checked, std::move(found.skips)};
}

Result<std::vector<int64_t>> RunDueAmlChecks(Core& core, int64_t run_at_seconds) {
  const int64_t now = core.clock().Now();
  const int64_t today = DayOf(now);
  const int64_t due = now - today * 86400 >= run_at_seconds ? today : today - 1;
  const auto last = core.kyc().aml().runs().LastScheduled();
  std::vector<int64_t> dates;
  if (last && *last >= due) return dates;
  for (int64_t d = last ? std::max(*last + 1, due - 30) : due; d <= due; ++d) {
    AmlRunRequest request;
    request.date = d;
    request.scheduled = true;
    request.actor = Actor{"system", std::nullopt, ""};
    auto r = RunAmlChecks(core, request);
    if (!r.ok()) return r.status();
    dates.push_back(d);
  }
  return dates;
}

}  // namespace kyc
