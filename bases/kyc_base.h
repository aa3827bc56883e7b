// bases/kyc.db: step templates, profiles, steps, documents and the KYC audit trail,
// loaded into memory at start.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>

#include "bases/account_store.h"
#include "bases/aml_store.h"
#include "bases/funds_store.h"
#include "bases/base_file.h"
#include "bases/audit_store.h"
#include "bases/client_store.h"
#include "bases/sqlite.h"
#include "bases/webhook_store.h"
#include "bases/writer_queue.h"
#include "kyc/json_cache.h"
#include "kyc/profiles.h"
#include "kyc/templates.h"

namespace kyc {

class KycBase : public BaseFile {
 public:
  // Opens (or creates) the base at `path` (":memory:" for tests), brings its schema up
  // to date and loads it. Writes run on a strand of `writers`.
  static Result<std::unique_ptr<KycBase>> Open(const std::string& path,
                                              boost::asio::any_io_executor writers,
                                              const BaseOptions& options);

  const TemplateSet& templates() const { return templates_; }
  const ProfileSet& profiles() const { return profiles_; }
  const StepSet& steps() const { return steps_; }
  const DocumentSet& documents() const { return documents_; }
  const AuditLog& audit() const { return audit_.log(); }
  // Client records, transactions, totals, tiers, compliance rules, duplicate alerts.
  const ClientStore& clients() const { return clients_; }
  // AML subscriptions, question maps, alerts, hit keys, answer changes, runs.
  const AmlStore& aml() const { return aml_; }
  // Permissions per account status, four-eyes approval requests.
  const AccountStore& accounts() const { return accounts_; }
  // Payment channels, the ledger and holds (issue 16).
  const FundsStore& funds() const { return funds_; }
  const WebhookStore& webhooks() const { return webhooks_; }
  // Held shared by readers that combine several tables (a profile with its steps and
  // documents); the writer holds it exclusively while it publishes a batch.
  std::shared_mutex& snapshot_mutex() { return snapshot_mu_; }
  // Rendered full profiles (fields, steps, documents), dropped when any of them changes.
  JsonCache& profile_json() { return profile_json_; }

  // Writer strand only. Stage-and-write helpers for write functions.
  TemplateSet& staged_templates() { return templates_; }
  ProfileSet& staged_profiles() { return profiles_; }
  StepSet& staged_steps() { return steps_; }
  DocumentSet& staged_documents() { return documents_; }
  [[nodiscard]] Status PutTemplate(WriteBatch& batch, std::shared_ptr<const Template> t);
  [[nodiscard]] Status PutProfile(WriteBatch& batch, std::shared_ptr<const Profile> p);
  [[nodiscard]] Status PutStep(WriteBatch& batch, std::shared_ptr<const Step> s);
  [[nodiscard]] Status PutDocument(WriteBatch& batch, std::shared_ptr<const Document> d);
  ClientStore& staged_clients() { return clients_; }
  AmlStore& staged_aml() { return aml_; }
  AccountStore& staged_accounts() { return accounts_; }
  FundsStore& staged_funds() { return funds_; }
  WebhookStore& staged_webhooks() { return webhooks_; }
  [[nodiscard]] Status AppendAudit(WriteBatch& batch, AuditRow row) {
    if (!on_audit_) return audit_.Append(batch, std::move(row));
    AuditLog::Ptr staged;
    if (Status s = audit_.Append(batch, std::move(row), &staged); !s.ok()) return s;
    // Events (issue 18) leave only once the row, and the change it records, committed.
    batch.AfterCommit([fn = &on_audit_, staged] { (*fn)(*staged); });
    return Status::Ok();
  }
  // Set once at start, before any write: called on the writer strand with each audit row
  // after its batch committed, in id order.
  void OnAuditCommitted(std::function<void(const AuditRow&)> fn) { on_audit_ = std::move(fn); }

 private:
  KycBase() = default;
  // Start-up: reads every table into memory. Each Load* reads through `db`, the writer's
  // connection or a loader thread's own.
  Status Load() override;
  Status LoadTemplates(Db& db);
  Status LoadProfiles(Db& db);
  Status LoadSteps(Db& db);
  Status LoadDocuments(Db& db);

  std::shared_mutex snapshot_mu_;
  JsonCache profile_json_;
  TemplateSet templates_;
  ProfileSet profiles_;
  StepSet steps_;
  DocumentSet documents_;
  AuditStore audit_;
  ClientStore clients_;
  AmlStore aml_;
  AccountStore accounts_;
  FundsStore funds_;
  WebhookStore webhooks_;
  Stmt put_template_, put_profile_, put_step_, put_document_;
  std::function<void(const AuditRow&)> on_audit_;
};

}  // namespace kyc
