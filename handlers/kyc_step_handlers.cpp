// Steps: get one (with documents and history), approve, reject, request a revision.
#include "handlers/handlers.h"
#include "handlers/kyc_params.h"
#include "handlers/paging.h"
#include "core/kyc_txn.h"
#include "kyc/rules.h"

namespace kyc::handlers {
namespace {

// The step's history: every submission and every decision, from the audit trail.
void WriteHistory(JsonOut& o, const AuditLog& audit, int64_t step_id) {
  AuditFilter f;
  f.entity = "step";
  f.entity_id = step_id;
  f.limit = 100000;
  o.Key("history").BeginArray();
  for (const auto& row : audit.List(f)) {
    o.BeginObject();
    o.Key("audit_id").Int(row->id);
    o.Key("at").Int(row->at);
    o.Key("action").Str(row->action);
    o.Key("actor_type").Str(row->actor.type);
    o.Key("actor_id").OptInt(row->actor.id);
    o.Key("reason");
    row->reason.empty() ? o.Null() : o.Str(row->reason);
    o.Key("step");
    row->after.empty() ? o.Null() : o.Raw(row->after);
    o.EndObject();
  }
  o.EndArray();
}

// Applies a staff decision to a pending (or, for approve, required) step.
Result<std::string> Decide(Call& c, int64_t id, StepAction action, const std::string& text) {
  KycTxn txn = KycTxnOf(c);
  auto before = txn.Step(id);
  if (!before) return Error(Code::kNotFound, "step {} not found", id);
  if (Status s = CheckStepTransition(*before, action); !s.ok()) return s;
  auto after = std::make_shared<Step>(*before);
  after->reviewed_at = c.now;
  after->reviewed_by = c.session ? c.session->manager_id : std::nullopt;
  after->updated_at = c.now;
  std::string_view audit_action;
  switch (action) {
    case StepAction::kApprove:
      after->status = StepStatus::kApproved;
      if (!text.empty()) after->comment = text;
      audit_action = "step.approve";
      break;
    case StepAction::kReject:
      after->status = StepStatus::kRejected;
      after->reject_reason = text;
      audit_action = "step.reject";
      break;
    case StepAction::kRevision:
      after->status = StepStatus::kRequired;
      after->comment = text;
      after->revision_count += 1;
      audit_action = "step.revision";
      break;
    case StepAction::kSubmit:
      return Status(Code::kInternal, "submit is not a staff decision");
  }
  std::string json = StepJson(*after);
  if (Status s = txn.SaveStep(before, after, audit_action, text); !s.ok()) return s;
  if (auto r = txn.Recalculate(after->profile_id); !r.ok()) return r.status();
  return json;
}

}  // namespace

Result<std::string> MngGetKycStep(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  if (Status s = p.Finish(); !s.ok()) return s;
  auto& kyc = c.core.kyc();
  std::shared_lock snapshot(kyc.snapshot_mutex());
  auto step = kyc.steps().Get(id);
  if (!step) return Error(Code::kNotFound, "step {} not found", id);
  JsonOut o;
  o.BeginObject();
  WriteStepFields(o, *step);
  o.Key("documents").BeginArray();
  for (const auto& doc : kyc.documents().OfStep(id)) WriteDocument(o, *doc);
  o.EndArray();
  WriteHistory(o, kyc.audit(), id);
  o.EndObject();
  return o.Take();
}

Result<std::string> MngGetKycReviewQueue(Call& c) {
  ParamReader p(c.params);
  auto brand = p.OptString("brand", 64);
  auto level = p.OptInt("level");
  auto code = p.OptString("code", 64);
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto& kyc = c.core.kyc();
  std::vector<StepPtr> steps;
  const int64_t total = kyc.steps().Pending(
      [&](const Step& s) {
        if (level && s.level != *level) return false;
        if (code && s.code.view() != *code) return false;
        if (brand) {
          auto profile = kyc.profiles().Get(s.profile_id);
          if (!profile || profile->brand != *brand) return false;
        }
        return true;
      },
      page.offset, page.limit, &steps);
  JsonOut o;
  o.BeginObject().Key("items").BeginArray();
  for (const auto& s : steps) {
    auto profile = kyc.profiles().Get(s->profile_id);
    o.BeginObject();
    o.Key("step_id").Int(s->id).Key("profile_id").Int(s->profile_id);
    o.Key("customer_id").OptInt(profile ? std::optional<int64_t>(profile->customer_id) : std::nullopt);
    o.Key("brand").Str(profile ? std::string_view(profile->brand) : std::string_view());
    o.Key("code").Str(s->code.view()).Key("name").Str(s->name.view()).Key("level").Int(s->level);
    o.Key("status").Int(static_cast<int64_t>(s->status)).Key("status_name").Str("pending");
    o.Key("submitted_at").OptInt(s->submitted_at).Key("revision_count").Int(s->revision_count);
    o.EndObject();
  }
  o.EndArray().Key("total").Int(total).EndObject();
  return o.Take();
}

Result<std::string> MngApproveKycStep(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string comment = p.OptString("comment", 2000).value_or("");
  if (Status s = p.Finish(); !s.ok()) return s;
  return Decide(c, id, StepAction::kApprove, comment);
}

Result<std::string> MngRejectKycStep(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  return Decide(c, id, StepAction::kReject, reason);
}

Result<std::string> MngRequestKycStepRevision(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string comment = ReadText(p, "comment");
  if (Status s = p.Finish(); !s.ok()) return s;
  return Decide(c, id, StepAction::kRevision, comment);
}

}  // namespace kyc::handlers
