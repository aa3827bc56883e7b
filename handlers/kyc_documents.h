// Adding a document, shared by MngAddKycDocument and KycAddDocument.
#pragma once

#include <optional>
#include <string>

#include "bases/storage_base.h"
#include "core/kyc_txn.h"

namespace kyc {

struct DocumentRequest {
  std::string file_id;
  std::string doc_type;
  std::optional<int64_t> step_id;
  std::string doc_number;
  std::string issuing_country;
  std::optional<int64_t> expires_at;
};

// Reads the document fields; refuses file_name, content_type, file_size and checksum.
DocumentRequest ReadDocumentRequest(ParamReader& p);

// Writes a pending document for `file` in `profile` (the step, when given, must be one of
// the profile's), then recalculates the profile. Returns the document JSON.
Result<std::string> AddDocument(KycTxn& txn, const std::shared_ptr<const Profile>& profile,
                                const DocumentRequest& r, const StoredFile& file);

}  // namespace kyc
