#include "bench/crash.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include "bases/kyc_base.h"
#include "cli/tcp_client.h"
#include "kyc/rules.h"
#include "protocol/json.h"

namespace kyc::bench {
namespace {

constexpr const char* kBrand = "crash";

int64_t IdOf(const std::string& body, const char* field, const char* inner = nullptr) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (!d.IsObject()) return 0;
  const rapidjson::Value* v = &d;
  if (inner) {
    if (!d.HasMember(inner)) return 0;
    v = &d[inner];
  }
  return v->HasMember(field) && (*v)[field].IsInt64() ? (*v)[field].GetInt64() : 0;
}

}  // namespace

Result<int64_t> RunCrashWriter(const CrashWriterOptions& o) {
  int fd = ::open(o.log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return Error(Code::kInternal, "cannot open {}", o.log);
  std::string login = fmt::format(R"({{"login":"{}","password":"{}"}})", o.login, o.password);
  {
    TcpClient c;
    if (Status s = c.Connect(o.host, o.port); !s.ok()) return s;
    if (auto r = c.Call("Login", login); !r.ok() || !r->ok()) {
      return Status(Code::kUnauthorized, "crash writer cannot log in");
    }
    // The template may exist from an earlier round: conflict is fine.
    (void)c.Call("MngAddKycStepTemplate",
                 fmt::format(R"({{"brand":"{}","code":"proof_id","name":"Identity"}})", kBrand));
  }
  std::atomic<int64_t> next{o.first_customer}, logged{0};
  std::mutex log_mu;
  auto log = [&](const std::string& line) {
    std::lock_guard lock(log_mu);
    (void)!::write(fd, line.data(), line.size());
    ++logged;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < o.connections; ++t) {
    threads.emplace_back([&] {
      TcpClient c;
      if (!c.Connect(o.host, o.port, 5).ok()) return;
      if (auto r = c.Call("Login", login); !r.ok() || !r->ok()) return;
      while (true) {
        int64_t customer = next++;
        auto req = c.Call("MngRequireKycStep",
                          fmt::format(R"({{"customer_id":{},"brand":"{}","code":"proof_id"}})",
                                      customer, kBrand));
        if (!req.ok()) return;  // the server is gone
        if (!req->ok()) continue;
        int64_t step = IdOf(req->body, "id", "step");
        log(fmt::format("require {} {}\n", customer, step));
        auto ap = c.Call("MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
        if (!ap.ok()) return;
        if (!ap->ok()) continue;
        log(fmt::format("approve {}\n", step));
        // Level 1 now: a client record and two deposits, whose totals the check re-adds.
        auto rec = c.Call("MngAddCustomer",
                          fmt::format(R"({{"customer_id":{},"brand":"{}","first_name":"Crash"}})",
                                      customer, kBrand));
        if (!rec.ok()) return;
        if (!rec->ok()) continue;
        log(fmt::format("customer {}\n", customer));
        for (int k = 0; k < 2; ++k) {
          const std::string ext = fmt::format("c{}-{}", customer, k);
          const std::string eur = fmt::format("{}.{:02}", 10 + k, customer % 100);
          auto tx = c.Call("MngAddTransaction",
                           fmt::format(R"({{"customer_id":{},"brand":"{}","type":"deposit","amount":"{}",)"
                                       R"("currency":"EUR","eur_amount":"{}","external_id":"{}"}})",
                                       customer, kBrand, eur, eur, ext));
          if (!tx.ok()) return;
          if (tx->ok()) log(fmt::format("tx {} {} {}\n", customer, ext, eur));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ::fsync(fd);
  ::close(fd);
  return logged.load();
}

Result<CrashCheck> CheckCrash(const std::string& data_dir, const std::string& log_path) {
  boost::asio::thread_pool pool(1);
  auto opened = KycBase::Open(data_dir + "/bases/kyc.db", pool.get_executor(), BaseOptions{});
  if (!opened.ok()) return opened.status();
  KycBase& k = **opened;
  CrashCheck out;

  // Every stored transaction by external id, and the sums the totals must equal.
  const ClientStore& store = k.clients();
  std::map<std::string, std::shared_ptr<const Transaction>> by_external;
  std::map<int64_t, Totals> lifetime_sum;
  std::map<std::pair<int64_t, int64_t>, Totals> daily_sum;
  store.transactions().Scan([&](const std::shared_ptr<const Transaction>& t) {
    by_external[t->external_id] = t;
    lifetime_sum[t->client_id].Add(t->type, t->eur_amount);
    daily_sum[{t->client_id, DayOf(t->at)}].Add(t->type, t->eur_amount);
    return true;
  });

  std::ifstream in(log_path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string what;
    words >> what;
    ++out.logged;
    if (what == "require") {
      int64_t customer = 0, step = 0;
      words >> customer >> step;
      auto s = k.steps().Get(step);
      auto p = s ? k.profiles().Get(s->profile_id) : nullptr;
      if (!s || !p || p->customer_id != customer) {
        return Error(Code::kNotFound, "acknowledged step {} of customer {} is missing", step,
                     customer);
      }
    } else if (what == "customer") {
      int64_t customer = 0;
      words >> customer;
      if (!store.clients().Find(customer, kBrand)) {
        return Error(Code::kNotFound, "acknowledged client record {} is missing", customer);
      }
    } else if (what == "tx") {
      int64_t customer = 0;
      std::string ext, eur;
      words >> customer >> ext >> eur;
      auto it = by_external.find(ext);
      if (it == by_external.end() || it->second->customer_id != customer ||
          it->second->eur_amount != *Decimal::Parse(eur)) {
        return Error(Code::kNotFound, "acknowledged transaction {} of customer {} is missing", ext,
                     customer);
      }
      ++out.transactions;
    } else if (what == "approve") {
      int64_t step = 0;
      words >> step;
      auto s = k.steps().Get(step);
      if (!s || s->status != StepStatus::kApproved) {
        return Error(Code::kNotFound, "acknowledged approval of step {} is missing", step);
      }
    }
  }

  // Totals equal the sums of the stored transactions, lifetime and per day.
  auto same = [](const Totals& a, const Totals& b) {
    return a.all.eur == b.all.eur && a.all.count == b.all.count &&
           a.deposits.eur == b.deposits.eur && a.withdrawals.eur == b.withdrawals.eur &&
           a.exchanges.eur == b.exchanges.eur;
  };
  Status totals = Status::Ok();
  store.clients().Scan([&](const std::shared_ptr<const ClientRecord>& r) {
    auto life = store.lifetime().Get(r->id);
    const Totals stored = life ? life->totals : Totals{};
    if (!same(stored, lifetime_sum[r->id])) {
      totals = Error(Code::kConflict,
                     "customer {}: lifetime EUR {} ({} transactions) but its transactions sum to "
                     "{} ({})",
                     r->customer_id, stored.all.eur.ToString(), stored.all.count,
                     lifetime_sum[r->id].all.eur.ToString(), lifetime_sum[r->id].all.count);
      return false;
    }
    ++out.totals;
    return true;
  });
  if (!totals.ok()) return totals;
  for (const auto& [key, sum] : daily_sum) {
    auto d = store.daily().Find(key.first, key.second);
    if (!d || !same(d->totals, sum)) {
      return Error(Code::kConflict, "client {} day {}: daily totals disagree with its transactions",
                   key.first, DayText(key.second));
    }
  }

  // No half changes: every step has the audit rows of its state, and every profile's
  // status and level are what its steps and documents say.
  std::vector<int64_t> ids = k.profiles().AllIds();
  for (int64_t pid : ids) {
    auto p = k.profiles().Get(pid);
    auto steps = k.steps().OfProfile(pid);
    auto docs = k.documents().OfProfile(pid);
    std::vector<const Step*> sp;
    std::vector<const Document*> dp;
    for (const auto& s : steps) {
      sp.push_back(s.get());
      ++out.steps;
      AuditFilter f;
      f.entity = "step";
      f.entity_id = s->id;
      f.limit = 1000;
      std::set<std::string> actions;
      for (const auto& row : k.audit().List(f)) actions.insert(row->action);
      if (!actions.count("step.require")) {
        return Error(Code::kConflict, "step {} has no step.require audit row", s->id);
      }
      if (s->status == StepStatus::kApproved && !actions.count("step.approve")) {
        return Error(Code::kConflict, "step {} is approved without its audit row", s->id);
      }
    }
    for (const auto& d : docs) dp.push_back(d.get());
    if (p->status != ComputeProfileStatus(sp, dp) || p->level != ComputeLevel(sp)) {
      return Error(Code::kConflict, "profile {} status/level disagree with its steps", pid);
    }
    ++out.profiles;
  }
  pool.join();
  return out;
}

}  // namespace kyc::bench
