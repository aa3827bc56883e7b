// Four-eyes approval requests (seed 001, step four; issue 15): a sensitive command made
// by one staff member waits here until a second one approves it (it then runs, with the
// initiator as actor and the approver recorded) or rejects it. A pending request past
// its expiry reads as expired.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json.h"
#include "protocol/session_type.h"
#include "tables/staged_table.h"

namespace kyc {

// [approvals] ttl and require, [approvals.brands.<brand>] require: how long a request
// waits, and the commands beyond the built-in sensitive ones that need a second person
// (for every brand, or when the params name this brand).
struct ApprovalOptions {
  int64_t ttl = 86400;
  std::vector<std::string> require;
  std::map<std::string, std::vector<std::string>, std::less<>> brands;

  bool Requires(std::string_view command, std::string_view brand) const {
    auto listed = [&](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), command) != v.end();
    };
    if (listed(require)) return true;
    auto it = brands.find(brand);
    return it != brands.end() && listed(it->second);
  }
};

enum class ApprovalStatus : uint8_t { kPending = 0, kApproved = 1, kRejected = 2, kExpired = 3 };
inline constexpr std::array<std::string_view, 4> kApprovalStatusNames{"pending", "approved",
                                                                      "rejected", "expired"};
inline std::string_view Name(ApprovalStatus s) { return kApprovalStatusNames[size_t(s)]; }
std::optional<ApprovalStatus> ParseApprovalStatus(std::string_view name);

// What a sensitive call would change, as its command's four-eyes check sees it: enough
// to list the request and to tell on approval whether the target changed meanwhile.
struct ApprovalNeed {
  std::string summary;  // "unblock customer 42 of acme"
  std::string target;   // the target's state now; compared again on approval
  std::string brand;
  std::optional<int64_t> customer_id;
  std::string reason;   // the initiator's
};

struct ApprovalRequest {
  int64_t id = 0;
  std::string command;
  std::string params;   // the JSON object the command runs with on approval
  // Params that came as URL text (REST path or query: "7" for an integer), as the
  // ParamReader reads them: comma-separated names.
  std::string text_fields;
  std::string brand;    // from the params, when they name one
  std::optional<int64_t> customer_id;
  std::string summary;  // "unblock customer 42 of acme"
  // What the target looked like when the request was made ("blocked since 1767225600"):
  // an approval finds it changed → conflict. Empty: nothing to compare.
  std::string target;
  int64_t initiator_id = 0;
  std::string initiator_login;
  SessionType initiator_type = SessionType::kManager;
  std::string reason;  // the initiator's, from the params
  ApprovalStatus status = ApprovalStatus::kPending;  // stored: pending, approved or rejected
  std::optional<int64_t> decided_by;
  std::string decided_by_login;
  std::string decision_comment;  // the approver's comment, or the rejection's reason
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> decided_at;

  // Stored status, with a pending request past its expiry read as expired.
  ApprovalStatus StatusAt(int64_t now) const {
    return status == ApprovalStatus::kPending && now >= expires_at ? ApprovalStatus::kExpired
                                                                   : status;
  }
};

void WriteApproval(JsonOut& o, const ApprovalRequest& r, int64_t now);
std::string ApprovalJson(const ApprovalRequest& r, int64_t now);

struct ApprovalFilter {
  std::optional<ApprovalStatus> status;
  std::optional<std::string> command;
  int64_t offset = 0;
  int64_t limit = 100;
};

class ApprovalSet : public StagedTable<ApprovalRequest> {
 public:
  // Any thread: newest first.
  RowPage<ApprovalRequest> List(const ApprovalFilter& f, int64_t now) const;
};

}  // namespace kyc
