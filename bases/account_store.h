// The back office's tables in kyc.db (issue 15): the account status columns of the client
// records, each brand's permissions per status, and the four-eyes approval requests. In
// the KYC base so that a status follows the profile in the same commit, and an approved
// request runs and is marked in one.
#pragma once

#include <string_view>

#include "accounts/status_permissions.h"
#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "staff/approvals.h"

namespace kyc {

// Schema version 6 of kyc.db.
extern const std::string_view kAccountSchema;

class AccountStore {
 public:
  [[nodiscard]] Status Prepare(Db& db);
  [[nodiscard]] Status Load(Db& db);

  const StatusPermissionSet& status_permissions() const { return status_permissions_; }
  const ApprovalSet& approvals() const { return approvals_; }

  // Writer strand only.
  StatusPermissionSet& staged_status_permissions() { return status_permissions_; }
  ApprovalSet& staged_approvals() { return approvals_; }
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const StatusPermissions> p);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const ApprovalRequest> r);

 private:
  StatusPermissionSet status_permissions_;
  ApprovalSet approvals_;
  Stmt put_status_permissions_, put_approval_;
};

}  // namespace kyc
