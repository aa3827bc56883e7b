#include "protocol/commands.h"

#include <unordered_map>

#include <fmt/format.h>

namespace kyc {

const CommandSpec* FindCommand(std::string_view name) {
  static const auto* const kByName = [] {
    auto* m = new std::unordered_map<std::string_view, const CommandSpec*>();
    for (const auto& c : kCommandSpecs) m->emplace(c.name, &c);
    return m;
  }();
  auto it = kByName->find(name);
  return it == kByName->end() ? nullptr : it->second;
}

OrderKey OrderingOf(const CommandSpec* spec) {
  if (!spec) return {};
  if (spec->flags & kSessionChange) return {Ordering::kBarrier, BaseId::kNone};
  // A write with a prepare stage reaches its writer queue only after that stage: a later
  // write of the same connection must not overtake it, so it waits for it.
  if ((spec->flags & kWrite) && (spec->flags & kSlow)) return {Ordering::kBarrier, spec->base};
  if (spec->flags & kWrite) return {Ordering::kWrite, spec->base};
  return {};
}

namespace {

// What a row's flags say it changes, for the docs.
std::string ChangesLabel(const CommandSpec& c) {
  std::string out;
  auto add = [&out](std::string_view what) {
    if (!out.empty()) out += ", ";
    out += what;
  };
  if (c.flags & kWrite) {
    switch (c.base) {
      case BaseId::kKyc: add("`kyc.db`"); break;
      case BaseId::kStaff: add("`managers.db`"); break;
      case BaseId::kStorage: add("`storage.db` + `storage/`"); break;
      case BaseId::kNone: add("?"); break;
    }
  }
  if (c.flags & kSessionChange) add("the connection's session");
  if (c.flags & kCreatesSession) add("a new session");
  if (out.empty()) out = "—";
  if (c.flags & kSlow) out += (c.flags & kWrite) ? " (hashing or file first)" : " (blocking pool)";
  if (c.flags & kSigned) out += " (signed body)";
  return out;
}

}  // namespace

std::string PermissionLabel(const CommandSpec& c) {
  std::string out;
  if (c.permission != Perm::kNone) out = fmt::format("`{}`", Name(c.permission));
  if (c.client_op != AccountOp::kNone) {
    if (!out.empty()) out += "; ";
    out += fmt::format("client: `{}`", Name(c.client_op));
  }
  return out.empty() ? "—" : out;
}

std::string CommandListMarkdown() {
  std::string out =
      "| command | access | permission | changes | REST route | params → result | summary |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& c : kCommandSpecs) {
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
    out += fmt::format("| `{}` | {} | {} | {} | {} | `{}` | {} |\n", c.name,
                       AccessLabel(c.access), PermissionLabel(c), ChangesLabel(c), routes, params,
                       c.summary);
  }
  return out;
}

}  // namespace kyc
