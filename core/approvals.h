// Four-eyes approval requests on the kyc writer strand (issue 15): recording a sensitive
// call instead of running it, and deciding a request. Running an approved command is the
// dispatcher's business (handlers/approval_handlers.cpp): it knows the command table.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/core.h"
#include "core/sessions.h"
#include "protocol/json.h"
#include "staff/approvals.h"

namespace kyc {

// Stores a pending request for `command` with `params`, made by `initiator`, and its
// audit row (entity "approval_request", action "approval.request"). Returns the answer
// the initiator gets: {pending_approval:true, request}.
Result<std::string> RecordApprovalRequest(Core& core, WriteBatch& batch, const Session& initiator,
                                          std::string_view command, const Params& params,
                                          const ApprovalNeed& need, int64_t now);

// Marks a pending request approved or rejected by `decider`, with its audit row. conflict
// when it is no longer pending (decided, or expired).
Result<std::shared_ptr<const ApprovalRequest>> DecideApprovalRequest(
    Core& core, WriteBatch& batch, int64_t id, ApprovalStatus decision, const Session& decider,
    const std::string& comment, int64_t now);

// Puts an approved request back to pending: the staff-base command it claimed failed
// (`why`), so nothing ran. Audited as "approval.reopen".
Status ReopenApprovalRequest(Core& core, WriteBatch& batch, int64_t id, const Session& decider,
                             const std::string& why, int64_t now);

// conflict naming the request unless it is pending at `now`.
Status CheckPending(const ApprovalRequest& r, int64_t now);

}  // namespace kyc
