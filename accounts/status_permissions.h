// A brand's permissions per account status (MngSetStatusPermissions): the operations a
// customer in that status may do. A status a brand never set uses the seed's defaults.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "accounts/status.h"
#include "protocol/json.h"
#include "tables/staged_table.h"

namespace kyc {

struct StatusPermissions {
  int64_t id = 0;
  std::string brand;
  AccountStatus status = AccountStatus::kRegistered;
  AccountOpMask operations = 0;
  int64_t updated_at = 0;
};

// {status, operations:[…], default:bool}
void WriteStatusPermissions(JsonOut& o, AccountStatus status, AccountOpMask ops, bool is_default);
std::string StatusPermissionsJson(const StatusPermissions& p);

class StatusPermissionSet : public StagedTable<StatusPermissions> {
 public:
  // Any thread: what `status` permits in `brand` (the default when the brand set none).
  AccountOpMask Of(std::string_view brand, AccountStatus status) const;
  Ptr Find(std::string_view brand, AccountStatus status) const;        // any thread
  Ptr StagedFind(std::string_view brand, AccountStatus status) const;  // writer strand

 protected:
  void Index(const StatusPermissions* before, const StatusPermissions* after) override;

 private:
  std::map<std::pair<std::string, int>, int64_t, std::less<>> by_key_;
};

}  // namespace kyc
