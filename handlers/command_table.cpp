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
