#include "core/approvals.h"

namespace kyc {
namespace {

Actor StaffActor(const Session& s) {
  return Actor{"staff", s.manager_id, std::string(SessionTypeName(s.type))};
}

AuditRow ApprovalRow(const ApprovalRequest& r, const Actor& actor, std::string_view action,
                     std::string before, int64_t now, std::string_view reason) {
  AuditRow row;
  row.at = now;
  row.actor = actor;
  row.action = std::string(action);
  row.entity = "approval_request";
  row.entity_id = r.id;
  row.customer_id = r.customer_id;
  row.brand = r.brand;
  row.before = std::move(before);
  row.after = ApprovalJson(r, now);
  row.reason = std::string(reason);
  return row;
}

}  // namespace

Status CheckPending(const ApprovalRequest& r, int64_t now) {
  const ApprovalStatus status = r.StatusAt(now);
  if (status == ApprovalStatus::kPending) return Status::Ok();
  return Error(Code::kConflict, "approval request {} is {}{}", r.id, Name(status),
               status == ApprovalStatus::kExpired ? "; make the change again to ask anew" : "");
}

Result<std::string> RecordApprovalRequest(Core& core, WriteBatch& batch, const Session& initiator,
                                          std::string_view command, const Params& params,
                                          const ApprovalNeed& need, int64_t now) {
  AccountStore& store = core.kyc().staged_accounts();
  auto r = std::make_shared<ApprovalRequest>();
  r->id = store.staged_approvals().StagedNextId();
  r->command = std::string(command);
  r->params = ToJsonText(params.doc);
  for (const auto& name : params.text_fields) {
    if (!r->text_fields.empty()) r->text_fields += ',';
    r->text_fields += name;
  }
  r->brand = need.brand;
  r->customer_id = need.customer_id;
  r->summary = need.summary;
  r->target = need.target;
  r->initiator_id = initiator.manager_id.value_or(0);
  r->initiator_login = initiator.login;
  r->initiator_type = initiator.type;
  r->reason = need.reason;
  r->created_at = now;
  r->expires_at = now + core.options().approvals.ttl;
  AuditRow row = ApprovalRow(*r, StaffActor(initiator), "approval.request", "", now, need.reason);
  std::string json = ApprovalJson(*r, now);
  if (Status s = store.Put(batch, std::move(r)); !s.ok()) return s;
  if (Status s = core.kyc().AppendAudit(batch, std::move(row)); !s.ok()) return s;
  return R"({"pending_approval":true,"request":)" + json + "}";
}

Status ReopenApprovalRequest(Core& core, WriteBatch& batch, int64_t id, const Session& decider,
                             const std::string& why, int64_t now) {
  AccountStore& store = core.kyc().staged_accounts();
  auto before = store.staged_approvals().StagedGet(id);
  if (!before || before->status != ApprovalStatus::kApproved) return Status::Ok();
  auto after = std::make_shared<ApprovalRequest>(*before);
  after->status = ApprovalStatus::kPending;
  after->decided_by.reset();
  after->decided_by_login.clear();
  after->decision_comment.clear();
  after->decided_at.reset();
  AuditRow row = ApprovalRow(*after, StaffActor(decider), "approval.reopen",
                             ApprovalJson(*before, now), now, why);
  if (Status s = store.Put(batch, std::move(after)); !s.ok()) return s;
  return core.kyc().AppendAudit(batch, std::move(row));
}

Result<std::shared_ptr<const ApprovalRequest>> DecideApprovalRequest(
    Core& core, WriteBatch& batch, int64_t id, ApprovalStatus decision, const Session& decider,
    const std::string& comment, int64_t now) {
  AccountStore& store = core.kyc().staged_accounts();
  auto before = store.staged_approvals().StagedGet(id);
  if (!before) return Error(Code::kNotFound, "approval request {} not found", id);
  if (Status s = CheckPending(*before, now); !s.ok()) return s;
  auto after = std::make_shared<ApprovalRequest>(*before);
  after->status = decision;
  after->decided_by = decider.manager_id;
  after->decided_by_login = decider.login;
  after->decision_comment = comment;
  after->decided_at = now;
  AuditRow row = ApprovalRow(*after, StaffActor(decider),
                             decision == ApprovalStatus::kApproved ? "approval.approve"
                                                                   : "approval.reject",
                             ApprovalJson(*before, now), now, comment);
  std::shared_ptr<const ApprovalRequest> out = after;
  if (Status s = store.Put(batch, std::move(after)); !s.ok()) return s;
  if (Status s = core.kyc().AppendAudit(batch, std::move(row)); !s.ok()) return s;
  return out;
}

}  // namespace kyc
