// Documents: add (staff and client), list, approve, reject. A document points at a file
// in storage by file_id; its file_name, content_type, file_size and checksum are copied
// from the storage metadata, never taken from the request.
#include "handlers/handlers.h"
#include "handlers/kyc_documents.h"
#include "handlers/kyc_params.h"
#include "core/kyc_txn.h"
#include "handlers/paging.h"
#include "kyc/rules.h"
#include "core/client_txn.h"
#include "customers/field_rules.h"

namespace kyc {

DocumentRequest ReadDocumentRequest(ParamReader& p) {
  DocumentRequest r;
  for (std::string_view copied : {"file_name", "content_type", "file_size", "checksum"}) {
    if (p.Has(copied)) {
      p.Fail(Error(Code::kBadRequest,
                   "field '{}' is copied from the stored file's metadata; do not send it",
                   copied));
    }
  }
  r.file_id = p.String("file_id", 64);
  r.doc_type = p.String("doc_type", 64);
  r.step_id = p.OptInt("step_id");
  r.doc_number = p.OptString("doc_number", 128).value_or("");
  r.issuing_country = p.OptString("issuing_country", 2).value_or("");
  if (p.ok() && !r.issuing_country.empty() && !IsCountryCode(r.issuing_country)) {
    p.Fail(Status(Code::kBadRequest, "field 'issuing_country' must be an ISO 3166-1 alpha-2 code"));
  }
  r.expires_at = p.OptInt("expires_at");
  if (p.ok() && r.expires_at && *r.expires_at <= 0) {
    p.Fail(Status(Code::kBadRequest, "field 'expires_at' must be a unix time in seconds"));
  }
  return r;
}

Result<std::string> AddDocument(KycTxn& txn, const std::shared_ptr<const Profile>& profile,
                                const DocumentRequest& r, const StoredFile& file) {
  if (file.ext == "csv") {  // uploads take CSV statements too (reconciliation)
    return Error(Code::kBadRequest,
                 "field 'file_id': file '{}' is a CSV text; a KYC document is an image or a PDF",
                 file.file_id);
  }
  auto d = std::make_shared<Document>();
  if (r.step_id) {
    auto step = txn.Step(*r.step_id);
    if (!step || step->profile_id != profile->id) {
      return Error(Code::kNotFound, "step {} not found in profile {}", *r.step_id, profile->id);
    }
  }
  auto& kyc = txn.kyc();
  d->id = kyc.staged_documents().StagedNextId();
  d->profile_id = profile->id;
  d->step_id = r.step_id;
  d->file_id = file.file_id;
  d->doc_type = r.doc_type;
  d->doc_number = r.doc_number;
  d->issuing_country = r.issuing_country;
  d->file_name = file.original_name;
  d->content_type = file.content_type;
  d->file_size = file.size;
  d->checksum = file.sha256;
  d->status = DocStatus::kPending;
  d->expires_at = r.expires_at;
  d->created_at = d->updated_at = txn.now();
  // An identity document with a number is checked against every other customer's
  // (issue 13): refused within the brand, alerted across brands.
  if (IsIdentityDocType(r.doc_type)) {
    if (std::string number = NormalizeDocNumber(r.doc_number); !number.empty()) {
      ClientTxn clients(txn);
      if (Status s = clients.CheckIdentities(profile->customer_id, profile->brand,
                                             {Identity{r.doc_type, r.issuing_country, number}},
                                             "kyc_document");
          !s.ok()) {
        return s;
      }
    }
  }
  std::string json = DocumentJson(*d);
  if (Status s = txn.SaveDocument(nullptr, d, "document.add"); !s.ok()) return s;
  if (auto p = txn.Recalculate(profile->id); !p.ok()) return p.status();
  return json;
}

namespace handlers {
namespace {

Result<std::string> DecideDocument(Call& c, int64_t id, DocAction action,
                                   const std::string& text) {
  KycTxn txn = KycTxnOf(c);
  auto before = txn.Document(id);
  if (!before) return Error(Code::kNotFound, "document {} not found", id);
  if (Status s = CheckDocTransition(*before, action); !s.ok()) return s;
  auto after = std::make_shared<Document>(*before);
  after->updated_at = c.now;
  if (action == DocAction::kApprove) {
    after->status = DocStatus::kApproved;
  } else {
    after->status = DocStatus::kRejected;
    after->reject_reason = text;
  }
  std::string json = DocumentJson(*after);
  auto audit_action = action == DocAction::kApprove         ? "document.approve"
                      : before->status == DocStatus::kApproved ? "document.revoke"
                                                               : "document.reject";
  if (Status s = txn.SaveDocument(before, after, audit_action, text); !s.ok()) return s;
  if (auto r = txn.Recalculate(after->profile_id); !r.ok()) return r.status();
  return json;
}

}  // namespace

Result<std::string> MngAddKycDocument(Call& c) {
  ParamReader p(c.params);
  DocumentRequest r = ReadDocumentRequest(p);
  auto profile_id = p.OptInt("profile_id");
  std::optional<CustomerKey> key;
  if (!profile_id || p.Has("customer_id") || p.Has("brand")) key = ReadCustomer(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  if (profile_id && key) {
    return Status(Code::kBadRequest,
                  "give either 'profile_id' or 'customer_id' and 'brand', not both");
  }
  auto file = c.core.storage().files().FindFileId(r.file_id);
  if (!file) return Error(Code::kNotFound, "file '{}' not found", r.file_id);

  KycTxn txn = KycTxnOf(c);
  std::shared_ptr<const Profile> profile;
  if (profile_id) {
    profile = txn.Profile(*profile_id);
    if (!profile) return Error(Code::kNotFound, "profile {} not found", *profile_id);
  } else {
    auto made = txn.GetOrCreateProfile(key->customer_id, key->brand);
    if (!made.ok()) return made.status();
    profile = *made;
  }
  // Staff may attach files staff uploaded, or files this customer uploaded.
  bool customer_file = file->owner_type == kOwnerClient &&
                       file->owner_id == profile->customer_id &&
                       file->owner_brand == profile->brand;
  if (file->owner_type != kOwnerStaff && !customer_file) {
    return Error(Code::kForbidden, "file '{}' was uploaded by another customer", r.file_id);
  }
  return AddDocument(txn, profile, r, *file);
}

Result<std::string> MngGetKycDocuments(Call& c) {
  ParamReader p(c.params);
  DocumentFilter f;
  f.profile_id = p.OptInt("profile_id");
  auto customer_id = p.OptInt("customer_id");
  f.step_id = p.OptInt("step_id");
  f.status = ReadEnum<DocStatus>(p, "status", kDocStatusNames);
  f.expires_before = p.OptInt("expires_before");
  Page page = ReadPage(p);
  if (Status s = p.Finish(); !s.ok()) return s;
  f.offset = page.offset;
  f.limit = page.limit;
  auto& kyc = c.core.kyc();
  if (customer_id) {
    f.by_customer = true;
    ProfileFilter pf;
    pf.customer_id = customer_id;
    pf.limit = 1000;
    for (const auto& prof : kyc.profiles().List(pf).items) f.profile_ids.push_back(prof->id);
  }
  auto result = kyc.documents().List(f);
  return ItemsJson(result.items, result.total,
                   [](JsonOut& o, const Document& d) { WriteDocument(o, d); });
}

Result<std::string> MngApproveKycDocument(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string comment = p.OptString("comment", 2000).value_or("");
  if (Status s = p.Finish(); !s.ok()) return s;
  return DecideDocument(c, id, DocAction::kApprove, comment);
}

Result<std::string> MngRejectKycDocument(Call& c) {
  ParamReader p(c.params);
  int64_t id = p.Int("id");
  std::string reason = ReadText(p, "reason");
  if (Status s = p.Finish(); !s.ok()) return s;
  return DecideDocument(c, id, DocAction::kReject, reason);
}

}  // namespace handlers
}  // namespace kyc
