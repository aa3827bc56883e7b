// The KYC workflow on the kyc base's writer strand: staged lookups, saving a changed
// profile, step or document together with its audit row, and the recalculation of the
// profile that follows every change (PROTOCOL.md §3). Handlers call this; it holds the
// rules of "what else changes when X changes", so no handler repeats them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "accounts/status.h"
#include "bases/kyc_base.h"
#include "bases/writer_queue.h"
#include "core/customer_mirror.h"
#include "kyc/audit.h"
#include "kyc/json_cache.h"
#include "kyc/profiles.h"
#include "kyc/templates.h"

namespace kyc {

using ProfilePtr = std::shared_ptr<const Profile>;
using StepPtr = std::shared_ptr<const Step>;
using DocPtr = std::shared_ptr<const Document>;

class KycTxn {
 public:
  // `batch` must be an open batch of `kyc`'s writer; `actor` is named in every audit row,
  // `now` stamps every change; `mirror` takes the customers' aggregates after the commit;
  // `accounts` says at which level an account is approved.
  KycTxn(KycBase& kyc, WriteBatch& batch, Actor actor, int64_t now, CustomerMirror& mirror,
         const AccountOptions& accounts);

  ProfilePtr Profile(int64_t id) const;
  ProfilePtr ProfileOf(int64_t customer_id, const std::string& brand) const;
  // The profile of (customer_id, brand), created (status none, level 0) when missing.
  Result<ProfilePtr> GetOrCreateProfile(int64_t customer_id, const std::string& brand);
  StepPtr Step(int64_t id) const;
  DocPtr Document(int64_t id) const;
  std::vector<StepPtr> StepsOf(int64_t profile_id) const;
  std::vector<DocPtr> DocumentsOf(int64_t profile_id) const;

  // Attaches a new required step made from template `t` to `profile`.
  Result<StepPtr> AttachStep(const ProfilePtr& profile, const Template& t,
                             const std::string& comment);

  // Writes the new version of an object and its audit row (action e.g. "step.approve").
  Status SaveProfile(const ProfilePtr& before, ProfilePtr after, std::string_view action,
                     std::string_view reason = {});
  Status SaveStep(const StepPtr& before, StepPtr after, std::string_view action,
                  std::string_view reason = {});
  Status SaveDocument(const DocPtr& before, DocPtr after, std::string_view action,
                      std::string_view reason = {});

  // Recomputes status and level of the profile from its steps and documents as this
  // batch sees them; saves it when either changed (audit "profile.recalculate"); after the
  // commit, the customer's aggregate fields follow. The client record's account status
  // follows in this batch (core/account_txn.h). Returns the profile as it now is.
  Result<ProfilePtr> Recalculate(int64_t profile_id);

  // After the commit, sets the customer's aggregate fields from `p` (no-op if unchanged).
  void SyncCustomer(const ProfilePtr& p);

  // An audit row of this transaction (its actor, its time) about an object of
  // (customer_id, brand): the client record's, a deposit's, a withdrawal's.
  AuditRow AuditOf(std::string_view action, std::string_view entity, int64_t entity_id,
                   int64_t customer_id, std::string_view brand, std::string before,
                   std::string after, std::string_view reason) const;

  // Full JSON of a profile as this batch sees it: fields, steps, documents.
  std::string ProfileJsonWithChildren(const ProfilePtr& p) const;

  KycBase& kyc() { return kyc_; }
  WriteBatch& batch() { return batch_; }
  const Actor& actor() const { return actor_; }
  int64_t now() const { return now_; }
  CustomerMirror& mirror() { return mirror_; }
  const AccountOptions& accounts() const { return accounts_; }

 private:
  AuditRow Row(std::string_view action, std::string_view entity, int64_t entity_id,
               const kyc::Profile& owner, std::string before, std::string after,
               std::string_view reason) const;

  KycBase& kyc_;
  WriteBatch& batch_;
  Actor actor_;
  int64_t now_;
  CustomerMirror& mirror_;
  const AccountOptions& accounts_;
};

// Any thread: the full profile JSON (fields, steps, documents) from committed memory,
// read at one commit; shared with the profile cache, never null.
JsonCache::Json ProfileJsonShared(KycBase& kyc, const Profile& p);

}  // namespace kyc
