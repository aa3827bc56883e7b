#include "accounts/status_permissions.h"

#include <mutex>
#include <shared_mutex>

namespace kyc {

void WriteStatusPermissions(JsonOut& o, AccountStatus status, AccountOpMask ops, bool is_default) {
  o.BeginObject();
  o.Key("status").Str(Name(status));
  o.Key("operations").BeginArray();
  for (int i = 1; i < kAccountOpCount; ++i) {
    if (ops & OpBit(AccountOp(i))) o.Str(Name(AccountOp(i)));
  }
  o.EndArray();
  o.Key("default").Bool(is_default);
  o.EndObject();
}

std::string StatusPermissionsJson(const StatusPermissions& p) {
  JsonOut o;
  WriteStatusPermissions(o, p.status, p.operations, false);
  return o.Take();
}

AccountOpMask StatusPermissionSet::Of(std::string_view brand, AccountStatus status) const {
  auto p = Find(brand, status);
  return p ? p->operations : DefaultStatusPermissions(status);
}

StatusPermissionSet::Ptr StatusPermissionSet::Find(std::string_view brand,
                                                   AccountStatus status) const {
  std::shared_lock lock(mutex());
  auto it = by_key_.find(std::pair(std::string(brand), int(status)));
  return it == by_key_.end() ? nullptr : LockedGet(it->second);
}

StatusPermissionSet::Ptr StatusPermissionSet::StagedFind(std::string_view brand,
                                                         AccountStatus status) const {
  Ptr found;
  ForEachStaged([&](const Ptr& p) {
    if (p->brand == brand && p->status == status) found = p;
  });
  if (found) return found;
  auto it = by_key_.find(std::pair(std::string(brand), int(status)));
  return it == by_key_.end() ? nullptr : StagedGet(it->second);
}

void StatusPermissionSet::Index(const StatusPermissions* before, const StatusPermissions* after) {
  if (before) by_key_.erase(std::pair(before->brand, int(before->status)));
  if (after) by_key_[std::pair(after->brand, int(after->status))] = after->id;
}

}  // namespace kyc
