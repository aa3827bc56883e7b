// Client commands (SESSION_CLIENT): each acts only on the session's own
// (customer_id, brand); another customer's object is not_found, never forbidden, so a
// client cannot even learn that it exists.
#include "handlers/handlers.h"
#include "handlers/kyc_documents.h"
#include "handlers/kyc_params.h"
#include "core/kyc_txn.h"
#include "kyc/rules.h"

namespace kyc::handlers {
namespace {

bool OwnsFile(const StoredFile& f, const Session& s) {
  return f.owner_type == kOwnerClient && f.owner_id == s.customer_id && f.owner_brand == s.brand;
}

}  // namespace

Result<std::string> KycGetProfile(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  auto prof = c.core.kyc().profiles().Find(*c.session->customer_id, c.session->brand);
  if (!prof) return Status(Code::kNotFound, "you have no KYC profile yet");
  return c.Share(ProfileJsonShared(c.core.kyc(), *prof));
}

Result<std::string> KycSubmitStep(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  const rapidjson::Value* answers = p.OptObject("answers");
  if (p.ok() && !answers) p.Fail(Status(Code::kBadRequest, "field 'answers' is required"));
  if (Status s = p.Finish(); !s.ok()) return s;

  KycTxn txn = KycTxnOf(c);
  auto before = txn.Step(id);
  auto profile = before ? txn.Profile(before->profile_id) : nullptr;
  if (!before || !profile || profile->customer_id != *c.session->customer_id ||
      profile->brand != c.session->brand) {
    return Error(Code::kNotFound, "step {} not found", id);
  }
  if (Status s = CheckStepTransition(*before, StepAction::kSubmit); !s.ok()) return s;
  // The template may have been deleted since the step was attached: it is kept for this.
  auto tmpl = c.core.kyc().staged_templates().StagedGet(before->template_id);
  rapidjson::Document schema;
  if (Status s = ParseJson(tmpl ? tmpl->form_schema : "{}", schema); !s.ok()) return s;
  auto& files = c.core.storage().files();
  const Session& session = *c.session;
  auto owns = [&](std::string_view file_id) {
    auto f = files.FindFileId(file_id);
    return f && OwnsFile(*f, session);
  };
  if (Status s = ValidateAnswers(schema, *answers, owns); !s.ok()) return s;

  auto after = std::make_shared<Step>(*before);
  after->status = StepStatus::kPending;
  after->answers = ToJsonText(*answers);
  after->submitted_at = c.now;
  after->updated_at = c.now;
  std::string json = StepJson(*after);
  if (Status s = txn.SaveStep(before, after, "step.submit"); !s.ok()) return s;
  if (auto r = txn.Recalculate(after->profile_id); !r.ok()) return r.status();
  return json;
}

Result<std::string> KycAddDocument(Call& c) {
  ParamReader p(c.params);
  DocumentRequest r = ReadDocumentRequest(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  const Session& session = *c.session;
  auto file = c.core.storage().files().FindFileId(r.file_id);
  if (!file || !OwnsFile(*file, session)) {
    return Error(Code::kNotFound, "file '{}' not found among your uploads", r.file_id);
  }
  KycTxn txn = KycTxnOf(c);
  auto profile = txn.ProfileOf(*session.customer_id, session.brand);
  if (!profile) return Status(Code::kNotFound, "you have no KYC profile yet");
  return AddDocument(txn, profile, r, *file);
}

}  // namespace kyc::handlers
