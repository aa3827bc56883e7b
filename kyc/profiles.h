// KYC profiles, steps and documents (PROTOCOL.md §3) and their in-memory sets with the
// indexes that serve filtered lists without scanning everything.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tables/staged_table.h"
#include "kyc/child_index.h"
#include "kyc/enums.h"
#include "kyc/id_set.h"
#include "kyc/text.h"
#include "protocol/json.h"

namespace kyc {

struct Profile {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string brand;
  ProfileStatus status = ProfileStatus::kNone;
  int64_t required_level = 0;
  int64_t level = 0;
  RiskLevel risk_level = RiskLevel::kUnknown;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Step and Document hold their text as Text (kyc/text.h): a million profiles carry five
// million of these rows, most of their text empty or repeated.
struct Step {
  int64_t id = 0;
  int64_t profile_id = 0;
  int64_t template_id = 0;
  Text code;
  Text name;
  int64_t level = 1;
  StepStatus status = StepStatus::kRequired;
  Text answers;        // JSON object text of the last submission; empty = null
  Text comment;        // staff comment (require, approve, revision request)
  Text reject_reason;
  int64_t revision_count = 0;
  std::optional<int64_t> submitted_at;
  std::optional<int64_t> reviewed_at;
  std::optional<int64_t> reviewed_by;  // manager id
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Document {
  int64_t id = 0;
  int64_t profile_id = 0;
  std::optional<int64_t> step_id;
  Text file_id;
  Text doc_type;
  Text doc_number;
  Text issuing_country;  // ISO 3166-1 alpha-2 of an identity document, or empty
  Text file_name;
  Text content_type;
  int64_t file_size = 0;
  Text checksum;
  DocStatus status = DocStatus::kPending;
  Text reject_reason;
  std::optional<int64_t> expires_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

void WriteProfileFields(JsonOut& o, const Profile& p);  // without braces, steps or documents
void WriteStepFields(JsonOut& o, const Step& s);        // without braces
void WriteStep(JsonOut& o, const Step& s);
void WriteDocument(JsonOut& o, const Document& d);
std::string ProfileJson(const Profile& p);  // the list form: no steps, no documents
std::string StepJson(const Step& s);
std::string DocumentJson(const Document& d);

struct ProfileFilter {
  std::optional<std::string> brand;
  std::optional<ProfileStatus> status;
  std::optional<RiskLevel> risk_level;
  std::optional<int64_t> customer_id;
  int64_t offset = 0;
  int64_t limit = 100;
};

// Called under the table's exclusive lock with the profile a published change touched.
using ProfileChanged = std::function<void(int64_t profile_id)>;

class ProfileSet : public StagedTable<Profile> {
 public:
  void OnChange(ProfileChanged fn) { changed_ = std::move(fn); }
  // Any thread.
  Ptr Find(int64_t customer_id, std::string_view brand) const;
  // Served from the narrowest index the filter allows; never a scan of every profile when
  // a brand, status or customer is given.
  RowPage<Profile> List(const ProfileFilter& f) const;
  // Writer strand only.
  Ptr StagedFind(int64_t customer_id, std::string_view brand) const;
  // Writer strand only: every profile id (kyc-bench crash-check walks them).
  std::vector<int64_t> AllIds() const;

 protected:
  void Index(const Profile* before, const Profile* after) override;

 private:
  // A customer has a profile per brand, a handful: Find looks at each one's brand, so no
  // separate (customer, brand) map is needed.
  std::unordered_map<int64_t, IdList> by_customer_;
  std::unordered_map<std::string, IdSet> by_brand_;
  std::map<std::pair<std::string, int>, IdSet> by_brand_status_;
  std::unordered_map<int, IdSet> by_status_;
  ProfileChanged changed_;
};

class StepSet : public StagedTable<Step> {
 public:
  void OnChange(ProfileChanged fn) { changed_ = std::move(fn); }
  std::vector<Ptr> OfProfile(int64_t profile_id) const;        // any thread, id order
  std::vector<Ptr> StagedOfProfile(int64_t profile_id) const;  // writer strand
  // Any thread: the steps waiting for review (pending), oldest submission first; `keep`
  // filters, and `offset`/`limit` page what it keeps. Returns the count it kept in all.
  int64_t Pending(const std::function<bool(const Step&)>& keep, int64_t offset, int64_t limit,
                  std::vector<Ptr>* page) const;

 protected:
  void Index(const Step* before, const Step* after) override;

 private:
  ChildIndex by_profile_;
  ProfileChanged changed_;
  std::set<std::pair<int64_t, int64_t>> pending_;  // (submitted_at, id) of pending steps
};

struct DocumentFilter {
  std::optional<int64_t> profile_id;
  std::vector<int64_t> profile_ids;  // from customer_id: any of these profiles
  bool by_customer = false;
  std::optional<int64_t> step_id;
  std::optional<DocStatus> status;
  std::optional<int64_t> expires_before;
  int64_t offset = 0;
  int64_t limit = 100;
};

class DocumentSet : public StagedTable<Document> {
 public:
  void OnChange(ProfileChanged fn) { changed_ = std::move(fn); }
  std::vector<Ptr> OfProfile(int64_t profile_id) const;        // any thread, id order
  std::vector<Ptr> OfStep(int64_t step_id) const;
  RowPage<Document> List(const DocumentFilter& f) const;
  std::vector<Ptr> StagedOfProfile(int64_t profile_id) const;  // writer strand
  // Writer strand: live documents whose expires_at <= now (the expiry scheduler's work).
  std::vector<int64_t> StagedDueForExpiry(int64_t now) const;
  // Writer strand: documents (as this batch sees them) whose number, normalized
  // (NormalizeDocNumber), is `number`: the duplicate-identity check.
  std::vector<Ptr> StagedWithNumber(const std::string& number) const;

 protected:
  void Index(const Document* before, const Document* after) override;

 private:
  std::unordered_multimap<std::string, int64_t> by_number_;  // normalized doc_number → id
  ChildIndex by_profile_;
  ChildIndex by_step_;
  std::multimap<int64_t, int64_t> expiring_;  // expires_at → id, for documents that can expire
  ProfileChanged changed_;
};

// A document can still expire while it is uploaded, pending or approved.
inline bool CanExpire(const Document& d) {
  return d.expires_at && (d.status == DocStatus::kUploaded || d.status == DocStatus::kPending ||
                          d.status == DocStatus::kApproved);
}

}  // namespace kyc
