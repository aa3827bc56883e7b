#include "handlers/command_table.h"

#include <unordered_map>

#include <fmt/format.h>

#include "handlers/handlers.h"

namespace kyc {
namespace {

using namespace handlers;

// clang-format off
constexpr CommandSpec kCommands[] = {
  {"Ping", Ping, kNoSession, kRead, BaseId::kNone,
   {{{"GET", "/ping"}}}, "{} → {time}", "Liveness check; server time in unix seconds"},
  {"Login", Login, kNoSession, kSlow | kSessionChange, BaseId::kNone,
   {{{"POST", "/auth/login"}}}, "{login, password} → {token, session_type, manager_id, expires_at}",
   "Staff login; on TCP the connection is then authenticated"},
  {"Auth", Auth, kNoSession, kSessionChange, BaseId::kNone,
   {}, "{token} → session, as Login returns", "Attach an existing token to this TCP connection"},
  {"Logout", Logout, kStaffOrClient, kSessionChange, BaseId::kNone,
   {{{"POST", "/auth/logout"}}}, "{} → {}", "End the session"},
  {"MngAddKycStepTemplate", MngAddKycStepTemplate, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/templates"}}},
   "{brand, code, name, level?, description?, required?, active?, form_schema?} → Template",
   "Create a KYC step template"},
  {"MngUpdateKycStepTemplate", MngUpdateKycStepTemplate, kStaff, kWrite, BaseId::kKyc,
   {{{"PUT", "/manager/kyc/templates/{id}"}, {"PATCH", "/manager/kyc/templates/{id}"}}},
   "{id, …fields} → Template", "Update a KYC step template"},
  {"MngDeleteKycStepTemplate", MngDeleteKycStepTemplate, kStaff, kWrite, BaseId::kKyc,
   {{{"DELETE", "/manager/kyc/templates/{id}"}}}, "{id} → {id, deleted:true}",
   "Soft-delete a KYC step template; attached steps are kept"},
  {"MngGetKycStepTemplates", MngGetKycStepTemplates, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/templates"}}},
   "{brand?, active?, level?, offset?, limit?} → {items:[Template], total}",
   "List KYC step templates"},
  {"MngGetKycStepTemplate", MngGetKycStepTemplate, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/templates/{id}"}}}, "{id} → Template", "Get one KYC step template"},
  {"MngGetKycProfile", MngGetKycProfile, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/profiles/{id}"}}}, "{id} | {customer_id, brand} → Profile",
   "Get a KYC profile with its steps and documents"},
  {"MngGetKycProfiles", MngGetKycProfiles, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/profiles"}}},
   "{brand?, status?, risk_level?, customer_id?, offset?, limit?} → {items, total}",
   "List KYC profiles (without steps and documents)"},
  {"MngGetKycStep", MngGetKycStep, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/steps/{id}"}}}, "{id} → Step + {documents, history}",
   "Get one KYC step with its documents and its submission/decision history"},
  {"MngRequireKycStep", MngRequireKycStep, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/steps/require"}}},
   "{customer_id, brand, template_id | code, comment?} → {profile_id, step, created}",
   "Attach a required step to a customer profile (created on demand)"},
  {"MngSetKycRequiredLevel", MngSetKycRequiredLevel, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/required-level"}}},
   "{customer_id, brand, level} → {profile, attached:[step ids]}",
   "Raise the required KYC level; attaches the brand's required templates up to it"},
  {"MngApproveKycStep", MngApproveKycStep, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/steps/{id}/approve"}}}, "{id, comment?} → Step",
   "Approve a pending (or required) step"},
  {"MngRejectKycStep", MngRejectKycStep, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/steps/{id}/reject"}}}, "{id, reason} → Step",
   "Reject a pending step (final)"},
  {"MngRequestKycStepRevision", MngRequestKycStepRevision, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/steps/{id}/revision"}}}, "{id, comment} → Step",
   "Send a pending step back to required with a comment; revision_count + 1"},
  {"MngAddKycDocument", MngAddKycDocument, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/documents"}}},
   "{file_id, doc_type, profile_id | (customer_id, brand), step_id?, doc_number?, expires_at?} "
   "→ Document",
   "Attach a stored file to a KYC profile"},
  {"MngGetKycDocuments", MngGetKycDocuments, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/documents"}}},
   "{profile_id?, customer_id?, step_id?, status?, expires_before?, offset?, limit?} → "
   "{items, total}",
   "List KYC documents"},
  {"MngApproveKycDocument", MngApproveKycDocument, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/documents/{id}/approve"}}}, "{id, comment?} → Document",
   "Approve a document"},
  {"MngRejectKycDocument", MngRejectKycDocument, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/documents/{id}/reject"}}}, "{id, reason} → Document",
   "Reject a document"},
  {"MngSetKycRiskLevel", MngSetKycRiskLevel, kStaff, kWrite, BaseId::kKyc,
   {{{"POST", "/manager/kyc/profiles/{id}/risk"}}}, "{id, risk_level, reason} → Profile",
   "Set a profile's risk level"},
  {"MngGetKycAudit", MngGetKycAudit, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/audit"}}},
   "{customer_id?, entity?, entity_id?, action?, from?, to?, after_id?, limit?} → "
   "{items, last_id}",
   "Read KYC audit rows, ascending by id"},
  {"MngCheckKycOperation", MngCheckKycOperation, kStaff, kRead, BaseId::kNone,
   {{{"POST", "/manager/kyc/check"}}},
   "{customer_id, brand, operation} → {allowed, reason, …}",
   "May this customer open_real_account, deposit, withdrawal or trade?"},
  {"MngGetKycCustomer", MngGetKycCustomer, kStaff, kRead, BaseId::kNone,
   {{{"GET", "/manager/kyc/customer"}}},
   "{customer_id, brand} → {customer_id, brand, kyc_status, kyc_level, kyc_risk_level, …}",
   "The customer's KYC aggregate fields"},
  {"MngCreateClientSession", MngCreateClientSession, kStaff, kRead, BaseId::kNone,
   {{{"POST", "/manager/sessions/client"}}}, "{customer_id, brand, ttl?} → {token, expires_at}",
   "Mint a SESSION_CLIENT token bound to (customer_id, brand)"},
  {"MngAddManager", MngAddManager, kAdminOnly, kWrite, BaseId::kStaff,
   {{{"POST", "/manager/managers"}}}, "{login, password, session_type, name?, disabled?} → Manager",
   "Create a staff account"},
  {"MngUpdateManager", MngUpdateManager, kAdminOnly, kWrite, BaseId::kStaff,
   {{{"PATCH", "/manager/managers/{id}"}, {"PUT", "/manager/managers/{id}"}}},
   "{id, password?, session_type?, name?, disabled?} → Manager",
   "Change a staff account: disable, password, type or name"},
  {"MngGetManagers", MngGetManagers, kAdminOnly, kRead, BaseId::kNone,
   {{{"GET", "/manager/managers"}}}, "{offset?, limit?} → {items:[Manager], total}",
   "List staff accounts"},
  {"KycGetProfile", KycGetProfile, kClient, kRead, BaseId::kNone,
   {{{"GET", "/client/kyc/profile"}}}, "{} → own Profile", "The client's own KYC profile"},
  {"KycSubmitStep", KycSubmitStep, kClient, kWrite, BaseId::kKyc,
   {{{"POST", "/client/kyc/steps/{id}/submit"}}}, "{id, answers} → Step",
   "Submit answers for a required step (validated against its form_schema)"},
  {"KycAddDocument", KycAddDocument, kClient, kWrite, BaseId::kKyc,
   {{{"POST", "/client/kyc/documents"}}},
   "{file_id, doc_type, step_id?, doc_number?, expires_at?} → Document",
   "Attach one of the client's uploaded files to its profile"},
  {"Upload", handlers::Upload, kStaffOrClient, kWrite | kUpload, BaseId::kStorage,
   {{{"POST", "/upload"}}},
   "multipart/form-data field `file` → {file_id, file_name, content_type, file_size, checksum}",
   "Store a file (pdf, png, jpg/jpeg; HTTP only)"},
};
// clang-format on

}  // namespace

std::span<const CommandSpec> Commands() { return kCommands; }

const CommandSpec* FindCommand(std::string_view name) {
  static const auto* const kByName = [] {
    auto* m = new std::unordered_map<std::string_view, const CommandSpec*>();
    for (const auto& c : kCommands) m->emplace(c.name, &c);
    return m;
  }();
  auto it = kByName->find(name);
  return it == kByName->end() ? nullptr : it->second;
}

OrderKey OrderingOf(std::string_view command) {
  const CommandSpec* spec = FindCommand(command);
  if (!spec) return {};
  if (spec->flags & kSessionChange) return {Ordering::kBarrier, BaseId::kNone};
  if (spec->flags & kWrite) return {Ordering::kWrite, spec->base};
  return {};
}

std::string CommandListMarkdown() {
  std::string out =
      "| command | access | REST route | params → result | summary |\n"
      "|---|---|---|---|---|\n";
  for (const auto& c : kCommands) {
    std::string routes;
    for (const auto& r : c.routes) {
      if (r.method.empty()) continue;
      if (!routes.empty()) routes += ", ";
      routes += fmt::format("`{} {}`", r.method, r.path);
    }
    if (routes.empty()) routes = "— (TCP only)";
    std::string params;
    for (char ch : c.params) {
      if (ch == '|') params += '\\';  // a pipe would end the Markdown cell
      params += ch;
    }
    out += fmt::format("| `{}` | {} | {} | `{}` | {} |\n", c.name, AccessLabel(c.access), routes,
                       params, c.summary);
  }
  return out;
}

}  // namespace kyc
