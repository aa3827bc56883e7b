#include "staff/roles.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace kyc {
namespace {

constexpr PermMask Mask(std::initializer_list<Perm> perms) {
  PermMask m = 0;
  for (Perm p : perms) m |= PermBit(p);
  return m;
}

}  // namespace

const std::vector<BuiltinRole>& BuiltinRoles() {
  using enum Perm;
  static const std::vector<BuiltinRole> kRoles = {
      {"support", Mask({kKycRead, kCustomersRead, kClientSessions}),
       "view account status and KYC progress, explain it to the customer"},
      {"compliance",
       Mask({kKycRead, kKycReview, kKycConfig, kCustomersRead, kCustomersWrite, kCustomersBlock,
             kAccountsStatus, kRiskSet, kAmlRead, kAmlReview, kAuditRead, kFundsRead,
             kClientSessions, kApprovals}),
       "review documents, set risk levels, restrict accounts, work AML alerts"},
      {"finance", Mask({kKycRead, kCustomersRead, kFundsRead, kFundsWrite, kAuditRead, kApprovals}),
       "deposits, withdrawals, refunds and transfers"},
      {"risk", Mask({kKycRead, kCustomersRead, kFundsRead, kAmlRead, kAuditRead, kApprovals}),
       "view trading risks, account anomalies and fund flows"},
      {"admin", kAllPerms, "configure the system; every permission"},
  };
  return kRoles;
}

const BuiltinRole* FindBuiltinRole(std::string_view name) {
  for (const auto& r : BuiltinRoles()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::vector<std::string> DefaultRoles(SessionType type) {
  switch (type) {
    case SessionType::kAdmin: return {"admin"};
    case SessionType::kManager: return {"compliance", "finance", "risk"};
    default: return {"support"};
  }
}

bool IsValidRoleName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
         });
}

void WritePermissions(JsonOut& o, PermMask mask) {
  o.BeginArray();
  for (int i = 1; i < kPermCount; ++i) {
    if (mask & PermBit(Perm(i))) o.Str(Name(Perm(i)));
  }
  o.EndArray();
}

std::string RoleJson(const Role& r) {
  JsonOut o;
  o.BeginObject();
  o.Key("name").Str(r.name);
  o.Key("builtin").Bool(false);
  o.Key("permissions");
  WritePermissions(o, r.permissions);
  o.Key("created_at").Int(r.created_at);
  o.Key("updated_at").Int(r.updated_at);
  o.EndObject();
  return o.Take();
}

RoleSet::Ptr RoleSet::Find(std::string_view name) const {
  std::shared_lock lock(mutex());
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : LockedGet(it->second);
}

RoleSet::Ptr RoleSet::StagedFind(std::string_view name) const {
  Ptr found;
  ForEachStaged([&](const Ptr& r) {
    if (r->name == name) found = r;
  });
  if (found) return found;
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : StagedGet(it->second);
}

void RoleSet::Index(const Role* before, const Role* after) {
  if (before) by_name_.erase(before->name);
  if (after) by_name_[after->name] = after->id;
}

PermMask PermissionsOf(const std::vector<std::string>& roles, const RoleSet& custom) {
  PermMask mask = 0;
  for (const auto& name : roles) {
    if (const BuiltinRole* b = FindBuiltinRole(name)) {
      mask |= b->permissions;
    } else if (auto r = custom.Find(name)) {
      mask |= r->permissions;
    }
  }
  return mask;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) {
    if (!out.empty()) out += ',';
    out += r;
  }
  return out;
}

std::vector<std::string> SplitRoles(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace kyc
