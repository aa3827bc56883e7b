// The core: everything a handler may use. Memory, bases, sessions, clock and the
// executors writes and slow work run on. It owns no sockets.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "bases/customers_base.h"
#include "core/customer_mirror.h"
#include "bases/kyc_base.h"
#include "bases/staff_base.h"
#include "bases/storage_base.h"
#include "accounts/status.h"
#include "kyc/policy.h"
#include "staff/approvals.h"
#include "protocol/commands.h"
#include "storage/file_store.h"
#include "env/env.h"
#include "core/sessions.h"
#include "core/event_hub.h"
#include "core/metrics.h"

namespace kyc {

struct PasswordHashOptions {
  // libsodium argon2id cost. The defaults are crypto_pwhash_*_INTERACTIVE; tests lower them.
  uint64_t ops_limit = 2;
  size_t mem_limit = 64u << 20;
};

struct CoreOptions {
  std::string data_dir = "./data";  // holds bases/ and storage/
  bool in_memory = false;            // ":memory:" bases, for in-process tests
  BaseOptions bases;
  int64_t staff_session_ttl = 8 * 3600;          // seconds
  int64_t client_session_ttl = 3600;             // default for MngCreateClientSession
  int64_t client_session_max_ttl = 7 * 86400;    // upper bound of its `ttl`
  ThrottleOptions throttle;
  PasswordHashOptions password_hash;
  size_t max_json_depth = 64;
  size_t min_password_length = 8;
  size_t max_upload_bytes = 10u << 20;  // POST /upload file size limit
  int64_t expiry_interval = 60;          // seconds between document expiry sweeps
  KycPolicy policy;                      // what MngCheckKycOperation requires per brand
  int aml_threads = 2;                   // threads an AML run evaluates on
  AccountOptions accounts;               // approval_level per brand (issue 15)
  ApprovalOptions approvals;             // four eyes: ttl, commands that need a second person
  bool webhooks_deny_private = false;    // webhooks.deny_private: no loopback/private URLs
};

class Core {
 public:
  // Opens every base under options.data_dir (creating directories), loads memory.
  // `writers` runs the bases' writer strands; `blocking` runs slow work (password hashing).
  static Result<std::unique_ptr<Core>> Open(const CoreOptions& options, const Clock& clock,
                                            Random& random, boost::asio::any_io_executor writers,
                                            boost::asio::any_io_executor blocking);

  // When the staff base has no account, creates `admin` (SESSION_ADMIN) with this password.
  // Blocks until committed. Returns false (ok) when accounts already exist.
  Result<bool> BootstrapAdmin(const std::string& password);

  const CoreOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }
  Random& random() { return random_; }
  KycBase& kyc() { return *kyc_; }
  StaffBase& staff() { return *staff_; }
  StorageBase& storage() { return *storage_; }
  CustomersBase& customers() { return *customers_; }
  FileStore& file_store() { return *file_store_; }
  CustomerMirror& customer_mirror() { return *mirror_; }
  // The writer queue of the base a command row names; nullptr for kNone (or a base with no
  // queue), which the dispatcher's start-up check refuses.
  WriterQueue* WriterFor(BaseId base);

  // Start-up: sets every customer's aggregate from its profile (heals a crash between
  // the kyc commit and the customers commit). Blocks until committed.
  Status ReconcileCustomers();
  // Start-up: every client record's account status follows its KYC as it stands (after an
  // upgrade, or a changed approval_level). Changes are audited as the system's. Blocks.
  Status ReconcileAccounts();
  // Marks documents whose expires_at has passed as expired (audit actor: system) and
  // recalculates their profiles. `done` gets the number of documents expired.
  void ExpireDocuments(std::function<void(Result<int64_t>)> done);
  // Held by an AML run (core/aml_run.h): runs go one at a time.
  std::mutex& aml_mutex() { return aml_mutex_; }
  SessionStore& sessions() { return sessions_; }
  // Events of committed KYC changes, live (issue 18).
  EventHub& events() { return events_; }
  // Counters and histograms for GET /metrics (issue 18).
  Metrics& metrics() { return metrics_; }
  LoginThrottle& throttle() { return throttle_; }
  boost::asio::any_io_executor blocking() { return blocking_; }

  // argon2id via libsodium; internal on failure (out of memory).
  Result<std::string> HashPassword(std::string_view password) const;
  bool VerifyPassword(const std::string& hash, std::string_view password) const;
  // A hash to verify against when the login is unknown, so timing does not tell.
  const std::string& dummy_hash() const { return dummy_hash_; }
  // The gauges and histograms of the bases, caches, sessions and events (GET /metrics).
  void RegisterMetrics();

 private:
  Core(const CoreOptions& options, const Clock& clock, Random& random,
       boost::asio::any_io_executor blocking);

  CoreOptions options_;
  const Clock& clock_;
  Random& random_;
  boost::asio::any_io_executor blocking_;
  // Before the bases: their writers publish into these until they are gone.
  EventHub events_;
  Metrics metrics_;
  std::unique_ptr<KycBase> kyc_;
  std::unique_ptr<StaffBase> staff_;
  std::unique_ptr<StorageBase> storage_;
  std::unique_ptr<CustomersBase> customers_;
  std::unique_ptr<CustomerMirror> mirror_;  // after customers_: destroyed before it
  std::unique_ptr<FileStore> file_store_;
  SessionStore sessions_;
  LoginThrottle throttle_;
  std::string dummy_hash_;
  std::mutex aml_mutex_;
};

}  // namespace kyc
