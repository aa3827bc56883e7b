#include "core/core.h"
#include "core/data_dir.h"

#include "core/account_txn.h"

#include <sodium.h>

#include <filesystem>
#include <future>
#include <set>

#include "core/kyc_txn.h"
#include "core/staff_rules.h"

namespace kyc {

Core::Core(const CoreOptions& options, const Clock& clock, Random& random,
           boost::asio::any_io_executor blocking)
    : options_(options),
      clock_(clock),
      random_(random),
      blocking_(std::move(blocking)),
      sessions_(clock, random),
      throttle_(clock, options.throttle) {}

Result<std::unique_ptr<Core>> Core::Open(const CoreOptions& options, const Clock& clock,
                                         Random& random, boost::asio::any_io_executor writers,
                                         boost::asio::any_io_executor blocking) {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium failed to initialize");
  std::unique_ptr<Core> core(new Core(options, clock, random, blocking));

  std::string kyc_path = ":memory:", staff_path = ":memory:", storage_path = ":memory:",
              customers_path = ":memory:";
  std::string storage_dir = options.data_dir + "/storage";
  if (!options.in_memory) {
    namespace fs = std::filesystem;
    if (Status s = SecureDataDir(options.data_dir); !s.ok()) return s;
    fs::path bases = fs::path(options.data_dir) / "bases";
    kyc_path = (bases / "kyc.db").string();
    staff_path = (bases / "managers.db").string();
    storage_path = (bases / "storage.db").string();
    customers_path = (bases / "customers.db").string();
  }
  // customers.db needs nothing from kyc.db until ReconcileCustomers below, so it loads on
  // a thread of its own while kyc.db (most of the start-up) loads here.
  auto customers_opened = std::async(std::launch::async, [&] {
    return CustomersBase::Open(customers_path, writers, options.bases);
  });
  auto kyc = KycBase::Open(kyc_path, writers, options.bases);
  auto customers = customers_opened.get();
  if (!kyc.ok()) return kyc.status();
  core->kyc_ = std::move(kyc.value());
  core->kyc_->OnAuditCommitted([hub = &core->events_](const AuditRow& row) { hub->Publish(row); });
  auto staff = StaffBase::Open(staff_path, writers, options.bases);
  if (!staff.ok()) return staff.status();
  core->staff_ = std::move(staff.value());
  auto storage = StorageBase::Open(storage_path, writers, options.bases);
  if (!storage.ok()) return storage.status();
  core->storage_ = std::move(storage.value());
  if (!customers.ok()) return customers.status();
  core->customers_ = std::move(customers.value());
  core->mirror_ = std::make_unique<CustomerMirror>(*core->customers_, writers);
  core->file_store_ = std::make_unique<FileStore>(storage_dir, random);
  if (!options.in_memory) core->file_store_->RemoveStaleTemp();
  if (Status s = core->ReconcileCustomers(); !s.ok()) return s;
  if (Status s = core->ReconcileAccounts(); !s.ok()) return s;

  auto dummy = core->HashPassword("not a password: equalizes timing for unknown logins");
  if (!dummy.ok()) return dummy.status();
  core->dummy_hash_ = std::move(dummy.value());
  core->RegisterMetrics();  // once every base is open
  return core;
}

WriterQueue* Core::WriterFor(BaseId base) {
  switch (base) {
    case BaseId::kKyc: return &kyc_->writer();
    case BaseId::kStaff: return &staff_->writer();
    case BaseId::kStorage: return &storage_->writer();
    case BaseId::kNone: break;
  }
  return nullptr;
}

Result<std::string> Core::HashPassword(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), options_.password_hash.ops_limit,
                            options_.password_hash.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(Code::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool Core::VerifyPassword(const std::string& hash, std::string_view password) const {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Result<bool> Core::BootstrapAdmin(const std::string& password) {
  if (staff_->managers().size() > 0) return false;
  if (Status s = CheckPassword(*this, password); !s.ok()) return s;
  auto hash = HashPassword(password);  // before the writer: no slow work in a transaction
  if (!hash.ok()) return hash.status();
  auto r = staff_->writer().SubmitAndWait(
      [this, m = NewManager{"admin", std::move(hash.value()), SessionType::kAdmin,
                            "Administrator"}](WriteBatch& batch) -> Result<std::string> {
        return AddManager(*this, batch, m, Actor{"system", std::nullopt, ""});
      });
  if (!r.ok()) return r.status();
  return true;
}

// Stamped with each profile's own time, not the clock: an aggregate whose flush a crash
// cut off comes back exactly as it would have been written (start-up is idempotent).
Status Core::ReconcileCustomers() {
  auto r = customers_->writer().SubmitAndWait(
      [this](WriteBatch& batch) -> Result<std::string> {
        // Every profile in id order; copied out so the profiles' lock is not held while
        // the customers base writes.
        std::vector<std::shared_ptr<const Profile>> profiles;
        profiles.reserve(kyc_->profiles().size());
        kyc_->profiles().Scan([&](const auto& p) {
          profiles.push_back(p);
          return true;
        });
        for (const auto& p : profiles) {
          Status s = customers_->PutKycAggregate(batch, p->customer_id, p->brand, p->status,
                                                 p->level, p->risk_level, p->updated_at);
          if (!s.ok()) return s;
        }
        return std::string("{}");
      });
  return r.ok() ? Status::Ok() : r.status();
}

Status Core::ReconcileAccounts() {
  auto r = kyc_->writer().SubmitAndWait([this](WriteBatch& batch) -> Result<std::string> {
    KycTxn txn(*kyc_, batch, Actor{"system", std::nullopt, ""}, clock_.Now(), *mirror_,
               options_.accounts);
    AccountTxn accounts(txn);
    std::vector<std::shared_ptr<const ClientRecord>> records;
    kyc_->clients().clients().Scan([&](const auto& rec) {
      if (rec->account_hold == StaffHold::kNone) records.push_back(rec);
      return true;
    });
    for (const auto& rec : records) {
      auto profile = txn.ProfileOf(rec->customer_id, rec->brand);
      Profile none;
      none.customer_id = rec->customer_id;
      none.brand = rec->brand;
      if (Status s = accounts.Follow(profile ? *profile : none,
                                     accounts.Derived(rec->customer_id, rec->brand));
          !s.ok()) {
        return s;
      }
    }
    return std::string("{}");
  });
  return r.ok() ? Status::Ok() : r.status();
}

void Core::ExpireDocuments(std::function<void(Result<int64_t>)> done) {
  auto count = std::make_shared<int64_t>(0);
  kyc_->writer().Submit(
      [this, count](WriteBatch& batch) -> Result<std::string> {
        const int64_t now = clock_.Now();
        KycTxn txn(*kyc_, batch, Actor{"system", std::nullopt, ""}, now, *mirror_,
                   options_.accounts);
        std::set<int64_t> profiles;
        for (int64_t id : kyc_->staged_documents().StagedDueForExpiry(now)) {
          auto before = txn.Document(id);
          if (!before || !CanExpire(*before)) continue;
          auto after = std::make_shared<Document>(*before);
          after->status = DocStatus::kExpired;
          after->updated_at = now;
          if (Status s = txn.SaveDocument(before, after, "document.expire"); !s.ok()) return s;
          profiles.insert(after->profile_id);
          ++*count;
        }
        for (int64_t p : profiles) {
          if (auto r = txn.Recalculate(p); !r.ok()) return r.status();
        }
        return std::string("{}");
      },
      [count, done = std::move(done)](Result<std::string> r) {
        if (!r.ok()) return done(r.status());
        done(*count);
      });
}

}  // namespace kyc

namespace kyc {

void Core::RegisterMetrics() {
  Metrics& m = metrics_;
  const std::pair<const char*, BaseFile*> bases[] = {
      {"kyc", kyc_.get()}, {"managers", staff_.get()}, {"storage", storage_.get()},
      {"customers", customers_.get()}};
  for (const auto& entry : bases) {
    BaseFile* base = entry.second;  // a plain variable: clang 14 captures no structured binding
    const char* name = entry.first;
    m.AddGauge("kyc_writer_queue_depth", "Writes queued for a base's writer, not yet in a batch.",
               fmt::format("base=\"{}\"", name),
               [base] { return static_cast<double>(base->writer().depth()); });
  }
  m.AddGauge("kyc_sessions", "Sessions in the session store (staff and clients).", "",
             [this] { return static_cast<double>(sessions_.size()); });
  m.AddGauge("kyc_profile_cache_bytes", "Bytes of rendered profiles kept for reads.", "",
             [this] { return static_cast<double>(kyc_->profile_json().bytes()); });
  m.AddGauge("kyc_profiles", "KYC profiles in memory.", "",
             [this] { return static_cast<double>(kyc_->profiles().size()); });
  m.AddGauge("kyc_customers", "Client records in memory.", "",
             [this] { return static_cast<double>(kyc_->clients().clients().size()); });
  m.AddGauge("kyc_audit_rows", "Rows of the KYC audit trail in memory.", "",
             [this] { return static_cast<double>(kyc_->audit().size()); });
  m.AddGauge("kyc_event_subscribers", "TCP connections subscribed to events.", "",
             [this] { return static_cast<double>(events_.subscribers()); });
  m.AddGauge("kyc_events_published_total", "Events published since the start.", "",
             [this] { return static_cast<double>(events_.published()); });
  m.AddSection([this, bases](std::string& out) {
    // One histogram per base from its writer's counters.
    auto per_base = [&](std::string_view name, std::string_view help, std::span<const double> bounds,
                        auto counters, auto sum) {
      out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name, help, name);
      for (auto [base_name, base] : bases) {
        const WriterStats& st = base->writer().stats();
        std::vector<uint64_t> counts;
        for (const auto& c : counters(st)) counts.push_back(c.load(std::memory_order_relaxed));
        RenderHistogram(out, name, fmt::format("base=\"{}\"", base_name), bounds, counts, sum(st));
      }
    };
    per_base("kyc_commit_batch_writes", "Writes per committed batch (group commit).",
             kBatchSizeBounds, [](const WriterStats& st) -> const auto& { return st.batch_sizes; },
             [](const WriterStats& st) {
               return static_cast<double>(st.writes.load(std::memory_order_relaxed));
             });
    per_base("kyc_commit_seconds", "Time of each COMMIT, its fsync included.",
             kCommitSecondsBounds,
             [](const WriterStats& st) -> const auto& { return st.commit_seconds; },
             [](const WriterStats& st) {
               return static_cast<double>(st.commit_nanos.load(std::memory_order_relaxed)) / 1e9;
             });
    // AML runs (issue 14): each run's duration, from the runs kept in the base.
    std::vector<uint64_t> counts(kAmlRunSecondsBounds.size() + 1, 0);
    double sum = 0;
    kyc_->aml().runs().Scan([&](const std::shared_ptr<const AmlRun>& r) {
      const double seconds = static_cast<double>(r->elapsed_ms) / 1000.0;
      size_t i = 0;
      while (i < kAmlRunSecondsBounds.size() && seconds > kAmlRunSecondsBounds[i]) ++i;
      ++counts[i];
      sum += seconds;
      return true;
    });
    out += "# HELP kyc_aml_run_seconds Duration of each AML run (scheduled or MngRunAmlChecks).\n"
           "# TYPE kyc_aml_run_seconds histogram\n";
    RenderHistogram(out, "kyc_aml_run_seconds", "", kAmlRunSecondsBounds, counts, sum);
  });
}

}  // namespace kyc
