// Four eyes (issue 15): MngGetApprovalRequests, MngApproveRequest, MngRejectRequest.
//
// Approving runs the stored command through its own handler, on its own base's writer, as
// the initiator with the approver recorded (Call::approved_by): the audit row of the change
// names both. The target is checked again in that same transaction: a request whose target
// changed since it was made (the customer was unblocked meanwhile) is a conflict. A command
// of the kyc base and the approval's mark commit together; a staff-base command commits
// first and the mark follows (its changed target refuses a second approval meanwhile).
#include "core/approvals.h"
#include "handlers/command_table.h"
#include "handlers/dispatch.h"
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"

namespace kyc::handlers {
namespace {

// forbidden unless `approver` may approve `r`: another person, allowed to call the
// command, holding its permission.
Status CheckApprover(const ApprovalRequest& r, const CommandSpec& spec, const Session& approver) {
  if (approver.manager_id == r.initiator_id) {
    return Error(Code::kForbidden,
                 "approval request {} was made by you; a second person must approve it", r.id);
  }
  if (!Allows(spec.access, approver.type)) {
    return Error(Code::kForbidden, "approving request {} needs a session that may call {}; {} may not",
                 r.id, spec.name, SessionTypeName(approver.type));
  }
  if (!Grants(approver.permissions, spec.permission)) {
    return Error(Code::kForbidden, "approving request {} ({}) needs permission '{}': account '{}' lacks it",
                 r.id, spec.name, Name(spec.permission), approver.login);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> MngGetApprovalRequests(Call& c) {
  ParamReader p(c.params);
  ApprovalFilter f;
  if (auto status = p.OptString("status", 16)) {
    f.status = ParseApprovalStatus(*status);
    if (!f.status) {
      p.Fail(Status(Code::kBadRequest,
                    "field 'status' must be one of pending, approved, rejected, expired"));
    }
  }
  f.command = p.OptString("command", 64);
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  auto result = c.core.kyc().accounts().approvals().List(f, c.now);
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  for (const auto& r : result.items) WriteApproval(o, *r, c.now);
  o.EndArray().Key("total").Int(result.total).EndObject();
  return o.Take();
}

Result<std::string> MngApproveRequest(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string comment = p.OptString("comment", 2000).value_or("");
  if (Status s = p.Finish(); !s.ok()) return s;
  Core& core = c.core;
  auto request = core.kyc().accounts().approvals().Get(id);
  if (!request) return Error(Code::kNotFound, "approval request {} not found", id);
  if (Status s = CheckPending(*request, c.now); !s.ok()) return s;
  const CommandSpec* spec = FindCommand(request->command);
  if (!spec || !(spec->flags & kWrite)) {
    return Error(Code::kInternal, "approval request {} names no write command ('{}')", id,
                 request->command);
  }
  if (Status s = CheckApprover(*request, *spec, *c.session); !s.ok()) return s;
  // The initiator as it is now: an account disabled, demoted or stripped of the
  // permission since cannot have the change made in its name.
  auto initiator = core.staff().managers().Get(request->initiator_id);
  if (!initiator || initiator->disabled) {
    return Error(Code::kConflict, "approval request {}: its initiator's account is {}", id,
                 initiator ? "disabled" : "gone");
  }
  const auto roles = initiator->roles.empty() ? DefaultRoles(initiator->session_type)
                                              : initiator->roles;
  const PermMask initiator_perms = PermissionsOf(roles, core.staff().roles());
  if (!Allows(spec->access, initiator->session_type) || !Grants(initiator_perms, spec->permission)) {
    return Error(Code::kConflict,
                 "approval request {}: its initiator '{}' may no longer call {} (needs "
                 "permission '{}'); nothing was done",
                 id, initiator->login, spec->name, Name(spec->permission));
  }
  auto params = ParseParams(request->params, core.options().max_json_depth);
  if (!params.ok()) return params.status();
  // The fields that came as URL text read as they did then ("7" as an integer).
  for (std::string_view rest = request->text_fields; !rest.empty();) {
    const size_t comma = rest.find(',');
    params->text_fields.emplace_back(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }

  // The command runs as the initiator did it, with the approver recorded.
  Session as_initiator;
  as_initiator.type = initiator->session_type;
  as_initiator.manager_id = initiator->id;
  as_initiator.login = initiator->login;
  as_initiator.permissions = initiator_perms;
  as_initiator.roles = JoinRoles(roles);
  Call run{core, &as_initiator, *params, c.peer, nullptr, c.now};
  run.approved_by = c.session->manager_id;
  const HandlerBinding& binding = BindingOf(*spec);
  const bool on_kyc = spec->base == BaseId::kKyc;
  const Session& approver = *c.session;

  // A command of another base (managers.db) cannot commit with the request's mark: the
  // request is claimed first (a second approver, a rejection or the expiry then finds it
  // decided), and put back when the command fails.
  if (!on_kyc) {
    auto claimed = core.WriterFor(BaseId::kKyc)->SubmitAndWait(
        [&](WriteBatch& batch) -> Result<std::string> {
          auto decided = DecideApprovalRequest(core, batch, id, ApprovalStatus::kApproved, approver,
                                               comment, core.clock().Now());
          if (!decided.ok()) return decided.status();
          return std::string();
        });
    if (!claimed.ok()) return claimed.status();
  }
  auto result = core.WriterFor(spec->base)->SubmitAndWait(
      [&](WriteBatch& batch) -> Result<std::string> {
        run.batch = &batch;
        run.now = core.clock().Now();
        if (on_kyc) {
          auto staged = core.kyc().staged_accounts().staged_approvals().StagedGet(id);
          if (Status s = CheckPending(*staged, run.now); !s.ok()) return s;
        }
        // A request from approvals.require has no target to compare (empty).
        if (binding.four_eyes && !request->target.empty()) {
          auto need = binding.four_eyes(run);
          if (!need.ok()) return need.status();
          if (!*need || (*need)->target != request->target) {
            return Error(Code::kConflict,
                         "approval request {}: its target changed since it was made ({}); "
                         "nothing was done",
                         id, request->summary);
          }
        }
        auto r = binding.run(run);
        if (!r.ok()) return r;
        if (on_kyc) {
          auto decided = DecideApprovalRequest(core, batch, id, ApprovalStatus::kApproved, approver,
                                               comment, run.now);
          if (!decided.ok()) return decided.status();
        }
        return r;
      });
  if (!result.ok()) {
    if (!on_kyc) {
      auto reopened = core.WriterFor(BaseId::kKyc)->SubmitAndWait(
          [&](WriteBatch& batch) -> Result<std::string> {
            if (Status s = ReopenApprovalRequest(core, batch, id, approver,
                                                 result.status().message(), core.clock().Now());
                !s.ok()) {
              return s;
            }
            return std::string();
          });
      if (!reopened.ok()) return reopened.status();
    }
    return result.status();
  }
  auto decided = core.kyc().accounts().approvals().Get(id);
  JsonOut o;
  o.BeginObject().Key("request");
  WriteApproval(o, *decided, core.clock().Now());
  o.Key("result").Raw(*result).EndObject();
  return o.Take();
}

Result<std::string> MngRejectRequest(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto request = c.core.kyc().staged_accounts().staged_approvals().StagedGet(id);
  if (!request) return Error(Code::kNotFound, "approval request {} not found", id);
  // The initiator may withdraw a request; anyone else must be one who could approve it.
  if (c.session->manager_id != request->initiator_id) {
    const CommandSpec* spec = FindCommand(request->command);
    if (!spec || !Allows(spec->access, c.session->type) ||
        !Grants(c.session->permissions, spec->permission)) {
      return Error(Code::kForbidden,
                   "rejecting request {} ({}) needs a session that may call it, with permission '{}'",
                   id, request->command, spec ? Name(spec->permission) : "?");
    }
  }
  auto decided = DecideApprovalRequest(c.core, *c.batch, id, ApprovalStatus::kRejected, *c.session,
                                       reason, c.now);
  if (!decided.ok()) return decided.status();
  return ApprovalJson(**decided, c.now);
}

}  // namespace kyc::handlers
