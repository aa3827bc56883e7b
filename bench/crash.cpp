#include "bench/crash.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include "bases/kyc_base.h"
#include "cli/tcp_client.h"
#include "funds/rules.h"
#include "kyc/rules.h"
#include "protocol/json.h"

namespace kyc::bench {
namespace {

constexpr const char* kBrand = "crash";
constexpr const char* kChannel = "crash-card";
constexpr const char* kSecret = "crash-callback-secret-0123";

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

// The provider's signed callback over a plain HTTP/1.1 connection: the status code, or 0
// when the server is gone.
int PostCallback(const std::string& host, uint16_t port, const std::string& body) {
  namespace asio = boost::asio;
  try {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address(host), port});
    const std::string request = fmt::format(
        "POST /psp/{}/callback HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n"
        "X-Signature: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        kChannel, host, CallbackSignature(kSecret, body), body.size(), body);
    asio::write(socket, asio::buffer(request));
    std::string answer;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(answer), ec);  // until the server closes
    int status = 0;
    if (std::sscanf(answer.c_str(), "HTTP/1.1 %d", &status) != 1) return 0;
    return status;
  } catch (const std::exception&) {
    return 0;
  }
}

// A deposit asked and credited through its callback, then a withdrawal held and paid:
// each step logged once acknowledged. False when the server is gone.
bool MoveMoney(TcpClient& c, const CrashWriterOptions& o, int64_t customer,
               const std::function<void(const std::string&)>& log) {
  auto dep = c.Call("MngAddDeposit",
                    fmt::format(R"({{"customer_id":{},"brand":"{}","channel":"{}","amount":"100.00",)"
                                R"("currency":"EUR"}})", customer, kBrand, kChannel));
  if (!dep.ok()) return false;
  if (!dep->ok()) return true;
  const int64_t deposit = IdOf(dep->body, "id");
  log(fmt::format("deposit {} {}\n", customer, deposit));
  const int status = PostCallback(
      o.host, o.http_port,
      fmt::format(R"({{"deposit_id":{},"psp_order_id":"crash-{}","status":"succeeded",)"
                  R"("amount":"100.00","currency":"EUR","payer_name":"Crash Test"}})",
                  deposit, deposit));
  if (status == 0) return false;
  if (status != 200) return true;
  log(fmt::format("credit {} {} 100.00\n", customer, deposit));
  auto w = c.Call("MngAddWithdrawal",
                  fmt::format(R"({{"customer_id":{},"brand":"{}","channel":"{}","amount":"30.00",)"
                              R"("currency":"EUR"}})", customer, kBrand, kChannel));
  if (!w.ok()) return false;
  if (!w->ok()) return true;
  const int64_t withdrawal = IdOf(w->body, "id", "withdrawal");
  log(fmt::format("hold {} {} 30.00\n", customer, withdrawal));
  auto paid = c.Call("MngMarkWithdrawalPaid",
                     fmt::format(R"({{"id":{},"voucher":"v-{}"}})", withdrawal, withdrawal));
  if (!paid.ok()) return false;
  if (paid->ok()) log(fmt::format("paid {} {}\n", customer, withdrawal));
  return true;
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
    if (o.http_port) {  // a channel paying out at level 0 (no approver needed)
      (void)c.Call("MngSetPaymentChannel",
                   fmt::format(R"({{"brand":"{}","code":"{}","name":"Crash card","kind":"card",)"
                               R"("currencies":["EUR"],"min_amount":"1","max_amount":"100000",)"
                               R"("approval":{{"auto_below_eur":"100000","one_approver_below_eur":"100000"}},)"
                               R"("callback_secret":"{}"}})",
                               kBrand, kChannel, kSecret));
    }
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
                          fmt::format(R"({{"customer_id":{},"brand":"{}","first_name":"Crash",)"
                                      R"("last_name":"Test"}})",
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
        if (o.http_port && !MoveMoney(c, o, customer, log)) return;
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

  // The fund workflows' records: ledger entries by what they record.
  const FundsStore& funds = k.funds();
  std::map<std::string, std::vector<std::shared_ptr<const LedgerEntry>>> entries_of;
  funds.ledger().Scan([&](const std::shared_ptr<const LedgerEntry>& e) {
    entries_of[e->ref].push_back(e);
    return true;
  });
  auto one_entry = [&](const std::string& ref, const Decimal& amount) -> Status {
    auto it = entries_of.find(ref);
    if (it == entries_of.end() || it->second.size() != 1 || it->second[0]->amount != amount) {
      return Error(Code::kConflict, "{}: expected one ledger entry of {}, found {}", ref,
                   amount.ToString(2), it == entries_of.end() ? 0 : it->second.size());
    }
    if (!by_external.count(ref)) return Error(Code::kConflict, "{}: no transaction", ref);
    return Status::Ok();
  };

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
    } else if (what == "deposit" || what == "credit") {
      int64_t customer = 0, id = 0;
      std::string eur;
      words >> customer >> id >> eur;
      auto d = funds.deposits().Get(id);
      if (!d || d->customer_id != customer) {
        return Error(Code::kNotFound, "acknowledged deposit {} of customer {} is missing", id, customer);
      }
      if (what == "credit") {
        if (d->status != DepositStatus::kSucceeded) {
          return Error(Code::kNotFound, "acknowledged credit of deposit {} is missing ({})", id,
                       Name(d->status));
        }
        if (Status s = one_entry(fmt::format("deposit:{}", id), *Decimal::Parse(eur)); !s.ok()) return s;
      }
      ++out.money;
    } else if (what == "hold" || what == "paid") {
      int64_t customer = 0, id = 0;
      std::string eur;
      words >> customer >> id >> eur;
      auto w = funds.withdrawals().Get(id);
      auto h = w ? funds.holds().Get(w->hold_id) : nullptr;
      if (!w || w->customer_id != customer || !h || h->amount != w->amount ||
          h->status == HoldStatus::kReleased) {
        return Error(Code::kNotFound, "acknowledged withdrawal {} of customer {} or its hold is missing",
                     id, customer);
      }
      if (what == "paid") {
        if (w->status != WithdrawalStatus::kPaid || h->status != HoldStatus::kSettled) {
          return Error(Code::kNotFound, "acknowledged payout of withdrawal {} is missing", id);
        }
        if (Status s = one_entry(fmt::format("withdrawal:{}", id), -w->amount); !s.ok()) return s;
      }
      ++out.money;
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

  // No half money: a credited deposit and a paid withdrawal have their one entry and
  // transaction, nothing else has any, every hold follows its withdrawal, and each balance
  // is what its deposits, payouts and adjustments add up to, never less than it holds.
  using Key3 = std::tuple<int64_t, std::string, std::string>;
  std::map<Key3, Decimal> recorded, held;
  Status money = Status::Ok();
  funds.deposits().Scan([&](const std::shared_ptr<const Deposit>& d) {
    const std::string ref = fmt::format("deposit:{}", d->id);
    if (d->status == DepositStatus::kSucceeded) {
      const Decimal paid = d->paid_amount.value_or(d->amount);
      money = one_entry(ref, paid);
      recorded[{d->customer_id, d->brand, d->paid_currency.empty() ? d->currency : d->paid_currency}] += paid;
    } else if (entries_of.count(ref)) {
      money = Error(Code::kConflict, "{} is {} but has a ledger entry", ref, Name(d->status));
    }
    return money.ok();
  });
  if (!money.ok()) return money;
  funds.withdrawals().Scan([&](const std::shared_ptr<const Withdrawal>& w) {
    const std::string ref = fmt::format("withdrawal:{}", w->id);
    auto h = funds.holds().Get(w->hold_id);
    const HoldStatus expected = w->status == WithdrawalStatus::kPaid ? HoldStatus::kSettled
                                : (w->status == WithdrawalStatus::kRejected ||
                                   w->status == WithdrawalStatus::kFailed)
                                    ? HoldStatus::kReleased
                                    : HoldStatus::kHeld;
    if (!h || h->status != expected) {
      money = Error(Code::kConflict, "withdrawal {} is {} but its hold is not {}", w->id,
                    Name(w->status), kHoldStatusNames[size_t(expected)]);
    } else if (w->status == WithdrawalStatus::kPaid) {
      money = one_entry(ref, -w->amount);
      recorded[{w->customer_id, w->brand, w->currency}] -= w->amount;
    } else if (entries_of.count(ref)) {
      money = Error(Code::kConflict, "{} is {} but has a ledger entry", ref, Name(w->status));
    }
    return money.ok();
  });
  if (!money.ok()) return money;
  funds.holds().Scan([&](const std::shared_ptr<const Hold>& h) {
    if (h->status == HoldStatus::kHeld) held[{h->customer_id, h->brand, h->currency}] += h->amount;
    return true;
  });
  std::map<Key3, Decimal> balance;
  for (const auto& [ref, list] : entries_of) {
    for (const auto& e : list) {
      balance[{e->customer_id, e->brand, e->currency}] += e->amount;
      if (e->kind == "adjustment") recorded[{e->customer_id, e->brand, e->currency}] += e->amount;
    }
  }
  for (const auto& [key, sum] : balance) {
    if (sum != recorded[key] || sum < held[key]) {
      return Error(Code::kConflict,
                   "customer {} of {}: {} balance {} but its deposits, payouts and adjustments "
                   "add up to {} ({} held)",
                   std::get<0>(key), std::get<1>(key), std::get<2>(key), sum.ToString(2),
                   recorded[key].ToString(2), held[key].ToString(2));
    }
    ++out.balances;
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
