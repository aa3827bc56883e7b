// The Customer object of the wire: the record's own fields plus the KYC aggregate derived
// from its profile and the max_loan of the tier of the profile's level.
#pragma once

#include <string>
#include <vector>

#include "customers/limits.h"
#include "customers/record.h"
#include "kyc/profiles.h"
#include "protocol/json.h"

namespace kyc {

inline void WriteClient(JsonOut& o, const ClientRecord& r, const Profile* p,
                        const std::vector<std::shared_ptr<const Tier>>& tiers) {
  o.BeginObject();
  WriteRecordFields(o, r);
  const ProfileStatus status = p ? p->status : ProfileStatus::kNone;
  const RiskLevel risk = p ? p->risk_level : RiskLevel::kUnknown;
  const int64_t level = p ? p->level : 0;
  o.Key("kyc_status").Int(int64_t(status)).Key("kyc_status_name").Str(Name(status));
  o.Key("kyc_level").Int(level);
  o.Key("kyc_risk_level").Int(int64_t(risk)).Key("kyc_risk_level_name").Str(Name(risk));
  o.Key("max_loan");
  const Tier* tier = nullptr;
  for (const auto& t : tiers) {
    if (t->level == level) tier = t.get();
  }
  if (tier && tier->max_loan) o.Str(tier->max_loan->ToString(2));
  else o.Null();
  o.EndObject();
}

}  // namespace kyc
