#include "bench/seed.h"

#include <cstdio>
#include <filesystem>
#include <future>
#include <map>

#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>

#include "bases/customers_base.h"
#include "bases/kyc_base.h"
#include "kyc/rules.h"

namespace kyc::bench {
namespace {

constexpr int64_t kSeedTime = 1'790'000'000;

struct Code3 {
  const char* code;
  const char* name;
};
constexpr Code3 kSteps[3] = {{"proof_id", "Proof of identity"},
                             {"proof_address", "Proof of address"},
                             {"source_of_funds", "Source of funds"}};

Status Wait(WriterQueue& q, WriteFn fn) {
  auto r = q.SubmitAndWait(std::move(fn));
  return r.ok() ? Status::Ok() : r.status();
}

constexpr const char* kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ber",
                                      "dan", "el", "fon", "gar", "hil", "ior", "jan", "kos",
                                      "lin", "mar", "nov", "or", "pet", "quin", "ros", "sten",
                                      "tur", "ul", "var", "wen", "zel", "bro"};
constexpr int kSyl = sizeof(kSyllables) / sizeof(kSyllables[0]);

std::string Syllables(uint64_t x, int n) {
  std::string s;
  for (int i = 0; i < n; ++i, x /= kSyl) s += kSyllables[x % kSyl];
  s[0] = char(s[0] - 'a' + 'A');
  return s;
}
uint64_t Mix(uint64_t x) {  // splitmix64: customers' names spread over the name space
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

std::string SeedFirstName(int64_t c) { return Syllables(Mix(uint64_t(c)) % (kSyl * kSyl), 2); }
std::string SeedLastName(int64_t c) {
  return Syllables(Mix(uint64_t(c) + 1'000'000'007) % (kSyl * kSyl * kSyl), 3);
}
std::string SeedEmail(int64_t c) { return fmt::format("customer{}@bench.example", c); }
std::string SeedPassport(int64_t c) { return fmt::format("P{:08}", c); }

namespace {

// Customer c's client record (no id yet).
std::shared_ptr<ClientRecord> SeedRecord(int64_t c) {
  auto r = std::make_shared<ClientRecord>();
  r->customer_id = c;
  r->brand = SeedBrandOf(c);
  r->uuid = fmt::format("00000000-0000-4000-8000-{:012x}", c);
  r->type = c % 20 == 0 ? ClientType::kVip : c % 50 == 1 ? ClientType::kCorporate : ClientType::kRegular;
  r->first_name = SeedFirstName(c);
  r->last_name = SeedLastName(c);
  r->email = SeedEmail(c);
  r->birth_date = "1980-01-01";
  r->nationality = "CY";
  r->documents = {{"passport", SeedPassport(c), "CY", "2031-12-31"}};
  r->created_at = r->updated_at = kSeedTime;
  return r;
}

}  // namespace

std::string SeedBrand(int i) { return fmt::format("bench{}", i); }
std::string SeedBrandOf(int64_t customer) { return SeedBrand(int(customer % kSeedBrands)); }
bool SeedHasRequiredStep(int64_t customer) { return customer % 5 != 0; }

Status SeedDirect(const SeedOptions& o) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(o.data_dir) / "bases", ec);
  fs::create_directories(fs::path(o.data_dir) / "storage", ec);
  if (ec) return Error(Code::kInternal, "cannot create {}: {}", o.data_dir, ec.message());
  boost::asio::thread_pool pool(2);
  BaseOptions bo;
  bo.full_sync = false;  // a bulk load: durability is the final checkpoint's
  auto kyc = KycBase::Open(o.data_dir + "/bases/kyc.db", pool.get_executor(), bo);
  if (!kyc.ok()) return kyc.status();
  auto customers = CustomersBase::Open(o.data_dir + "/bases/customers.db", pool.get_executor(), bo);
  if (!customers.ok()) return customers.status();
  KycBase& k = **kyc;
  if (k.profiles().size() > 0) {
    return Error(Code::kConflict, "{} already holds profiles; seed an empty data directory",
                 o.data_dir);
  }

  Status s = Wait(k.writer(), [&](WriteBatch& b) -> Result<std::string> {
    for (int brand = 0; brand < kSeedBrands; ++brand) {
      for (int l = 0; l < 3; ++l) {
        auto t = std::make_shared<Template>();
        t->id = k.staged_templates().StagedNextId();
        t->brand = SeedBrand(brand);
        t->code = kSteps[l].code;
        t->name = kSteps[l].name;
        t->level = l + 1;
        t->created_at = t->updated_at = kSeedTime;
        if (Status st = k.PutTemplate(b, t); !st.ok()) return st;
      }
    }
    return std::string("{}");
  });
  if (!s.ok()) return s;

  for (int64_t first = 1; first <= o.profiles; first += o.batch) {
    int64_t last = std::min(o.profiles, first + o.batch - 1);
    std::vector<std::shared_ptr<const Profile>> made;
    s = Wait(k.writer(), [&](WriteBatch& b) -> Result<std::string> {
      for (int64_t c = first; c <= last; ++c) {
        std::string brand = SeedBrandOf(c);
        auto p = std::make_shared<Profile>();
        p->id = k.staged_profiles().StagedNextId();
        p->customer_id = c;
        p->brand = brand;
        p->required_level = 3;
        p->created_at = p->updated_at = kSeedTime;
        std::vector<std::shared_ptr<Step>> steps;
        for (int l = 0; l < 3; ++l) {
          auto st = std::make_shared<Step>();
          st->id = k.staged_steps().StagedNextId();
          st->profile_id = p->id;
          st->template_id = (c % kSeedBrands) * 3 + l + 1;
          st->code = kSteps[l].code;
          st->name = kSteps[l].name;
          st->level = l + 1;
          st->created_at = st->updated_at = kSeedTime;
          steps.push_back(st);
        }
        steps[0]->status = StepStatus::kApproved;
        steps[1]->status = c % 3 == 0 ? StepStatus::kPending : StepStatus::kApproved;
        steps[2]->status = SeedHasRequiredStep(c) ? StepStatus::kRequired : StepStatus::kApproved;
        if (!SeedHasRequiredStep(c)) steps[1]->status = StepStatus::kApproved;
        std::vector<std::shared_ptr<Document>> docs;
        for (int d = 0; d < 2; ++d) {
          auto doc = std::make_shared<Document>();
          doc->id = k.staged_documents().StagedNextId();
          doc->profile_id = p->id;
          doc->step_id = steps[d]->id;
          doc->file_id = fmt::format("00000000-0000-4000-8000-{:012x}", doc->id);
          doc->doc_type = d == 0 ? "passport" : "utility_bill";
          doc->file_name = d == 0 ? "passport.pdf" : "bill.png";
          doc->content_type = d == 0 ? "application/pdf" : "image/png";
          doc->file_size = 100000 + d;
          doc->checksum = std::string(64, 'a');
          doc->status = steps[d]->status == StepStatus::kApproved ? DocStatus::kApproved
                                                                   : DocStatus::kPending;
          doc->created_at = doc->updated_at = kSeedTime;
          docs.push_back(doc);
        }
        std::vector<const Step*> sp;
        std::vector<const Document*> dp;
        for (auto& st : steps) sp.push_back(st.get());
        for (auto& d : docs) dp.push_back(d.get());
        p->status = ComputeProfileStatus(sp, dp);
        p->level = ComputeLevel(sp);
        if (Status st = k.PutProfile(b, p); !st.ok()) return st;
        for (auto& st : steps) {
          if (Status e = k.PutStep(b, st); !e.ok()) return e;
        }
        for (auto& d : docs) {
          if (Status e = k.PutDocument(b, d); !e.ok()) return e;
        }
        made.push_back(p);
      }
      return std::string("{}");
    });
    if (!s.ok()) return s;
    if (o.records) {
      s = Wait(k.writer(), [&](WriteBatch& b) -> Result<std::string> {
        ClientStore& store = k.staged_clients();
        for (int64_t c = first; c <= last; ++c) {
          auto r = SeedRecord(c);
          r->id = store.staged_clients().StagedNextId();
          if (o.transactions > 1) {
            r->kyc_answers = fmt::format(
                R"({{"KYC_GrossMonthlyIncome":"{}","KYC_AnnualDeposit":"{}","KYC_NumberOfAnnualDeposits":"{}"}})",
                1000 + c % 5000, 15000 + c % 40000, 7 + c % 10);
          }
          if (Status e = store.Put(b, r); !e.ok()) return e;
          auto life = std::make_shared<LifetimeTotals>();
          life->id = r->id;
          life->updated_at = kSeedTime;
          std::map<int64_t, std::shared_ptr<DailyTotals>> days;
          for (int64_t i = 0; i < o.transactions; ++i) {
            // One transaction: with --transactions 1, one earlier deposit (a new transaction
            // then updates totals rows as a new KYC write updates a profile); with more, a
            // year of deposits and every fourth a withdrawal.
            auto t = std::make_shared<Transaction>();
            t->id = store.staged_transactions().StagedNextId();
            t->client_id = r->id;
            t->customer_id = c;
            t->brand = r->brand;
            t->type = o.transactions > 1 && i % 4 == 3 ? TxType::kWithdrawal : TxType::kDeposit;
            const int64_t cents = o.transactions > 1 ? 10000 + int64_t(Mix(uint64_t(c * 1000 + i)) % 300000) : 10000;
            t->amount = t->eur_amount = Decimal::FromUnits(__int128(cents) * 1'000'000);
            t->currency = "EUR";
            t->external_id = o.transactions > 1 ? fmt::format("s{}-{}", c, i) : fmt::format("seed-{}", c);
            t->at = kSeedTime - (o.transactions > 1 ? int64_t(Mix(uint64_t(c * 7 + i)) % (350 * 86400)) : 0);
            t->created_at = kSeedTime;
            life->totals.Add(t->type, t->eur_amount);
            auto& day = days[DayOf(t->at)];
            if (!day) {
              day = std::make_shared<DailyTotals>();
              day->id = store.staged_daily().StagedNextId();
              day->client_id = r->id;
              day->day = DayOf(t->at);
            }
            day->totals.Add(t->type, t->eur_amount);
            if (Status e = store.Put(b, t); !e.ok()) return e;
          }
          if (Status e = store.Put(b, life); !e.ok()) return e;
          for (auto& [d, day] : days) {
            if (Status e = store.Put(b, day); !e.ok()) return e;
          }
        }
        return std::string("{}");
      });
      if (!s.ok()) return s;
    }
    s = Wait((*customers)->writer(), [&](WriteBatch& b) -> Result<std::string> {
      for (const auto& p : made) {
        Status e = (*customers)->PutKycAggregate(b, p->customer_id, p->brand, p->status, p->level,
                                                 p->risk_level, kSeedTime);
        if (!e.ok()) return e;
      }
      return std::string("{}");
    });
    if (!s.ok()) return s;
    if (o.progress) {
      std::fprintf(stderr, "\r  seeded %lld of %lld profiles   ", (long long)last,
                   (long long)o.profiles);
    }
  }
  if (o.progress) std::fprintf(stderr, "\n");
  pool.join();
  return Status::Ok();
}

}  // namespace kyc::bench
