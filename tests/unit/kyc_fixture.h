// The KYC fixture the handler tests share: a staff session over an in-process core, with
// helpers for templates, steps, files, the customer aggregate, expiry and the audit trail.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/unit/harness.h"

namespace kyc {

using test::Bool;
using test::Contains;
using test::Int;
using test::ParseDoc;
using test::Str;

inline constexpr int64_t kCustA = 1001;
inline constexpr int64_t kCustB = 1002;

inline std::vector<int64_t> Ids(const rapidjson::Value& array) {
  REQUIRE(array.IsArray());
  std::vector<int64_t> ids;
  for (const auto& v : array.GetArray()) ids.push_back(v.IsObject() ? Int(v, "id") : v.GetInt64());
  return ids;
}

inline std::vector<std::string> Strings(const rapidjson::Value& array, const char* key) {
  REQUIRE(array.IsArray());
  std::vector<std::string> out;
  for (const auto& v : array.GetArray()) out.push_back(Str(v, key));
  return out;
}

class KycTest : public test::StaffFixture {
 protected:
  explicit KycTest(const CoreOptions& options = test::TestCoreOptions()) : StaffFixture(options) {}

  // MngRequireKycStep by code; returns the step id.
  int64_t Require(int64_t customer, std::string_view brand, std::string_view code) {
    auto r = Ok("MngRequireKycStep", fmt::format(R"({{"customer_id":{},"brand":"{}","code":"{}"}})",
                                                 customer, brand, code));
    return Int(r["step"], "id");
  }
  rapidjson::Document Profile(int64_t customer, std::string_view brand = "brand_a") {
    return Ok("MngGetKycProfile",
              fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer, brand));
  }
  std::string StatusName(int64_t customer, std::string_view brand = "brand_a") {
    return Str(Profile(customer, brand), "status_name");
  }
  int64_t Level(int64_t customer, std::string_view brand = "brand_a") {
    return Int(Profile(customer, brand), "level");
  }
  rapidjson::Document Step(int64_t id) { return Ok("MngGetKycStep", fmt::format(R"({{"id":{}}})", id)); }

  rapidjson::Document Submit(int64_t step, const SessionPtr& client,
                             std::string_view answers = "{}") {
    return Ok("KycSubmitStep", fmt::format(R"({{"id":{},"answers":{}}})", step, answers), client);
  }
  rapidjson::Document Approve(int64_t step) {
    return Ok("MngApproveKycStep", fmt::format(R"({{"id":{}}})", step));
  }

  // Stores a file's metadata the way /upload does, through the storage base's writer queue.
  std::string StoreFile(std::string_view owner_type, std::optional<int64_t> owner_id,
                        std::string_view owner_brand = "",
                        std::string_view name = "passport.pdf") {
    ++files_;
    StoredFile f;
    f.file_id = fmt::format("00000000-0000-4000-8000-{:012d}", files_);
    f.original_name = std::string(name);
    f.ext = "pdf";
    f.content_type = "application/pdf";
    f.size = 1000 + files_;
    f.sha256 = fmt::format("{:064x}", files_);
    f.owner_type = std::string(owner_type);
    f.owner_id = owner_id;
    f.owner_brand = std::string(owner_brand);
    f.created_at = h_.clock().Now();
    StorageBase& storage = h_.core().storage();
    auto done = std::make_shared<std::promise<Result<std::string>>>();
    auto fut = done->get_future();
    storage.writer().Submit(
        [&storage, f](WriteBatch& batch) -> Result<std::string> {
          auto row = std::make_shared<StoredFile>(f);
          row->id = storage.staged_files().StagedNextId();
          if (Status s = storage.PutFile(batch, row); !s.ok()) return s;
          return std::string("{}");
        },
        [done](Result<std::string> r) { done->set_value(std::move(r)); });
    auto r = fut.get();
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    REQUIRE(storage.files().FindFileId(f.file_id));
    return f.file_id;
  }
  std::string ClientFile(int64_t customer, std::string_view brand = "brand_a") {
    return StoreFile(kOwnerClient, customer, brand);
  }
  std::string StaffFile() { return StoreFile(kOwnerStaff, manager_id_); }

  // Waits until the customers base has run everything queued on it so far (the aggregate
  // updates that follow a KYC commit are queued before the KYC command answers).
  void FlushCustomers() {
    auto done = std::make_shared<std::promise<Result<std::string>>>();
    auto fut = done->get_future();
    h_.core().customers().writer().Submit(
        [](WriteBatch&) -> Result<std::string> { return std::string("{}"); },
        [done](Result<std::string> r) { done->set_value(std::move(r)); });
    REQUIRE(fut.get().ok());
  }
  rapidjson::Document Customer(int64_t customer, std::string_view brand = "brand_a") {
    FlushCustomers();
    return Ok("MngGetKycCustomer",
              fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer, brand));
  }

  int64_t Expire() {
    auto done = std::make_shared<std::promise<Result<int64_t>>>();
    auto fut = done->get_future();
    h_.core().ExpireDocuments([done](Result<int64_t> r) { done->set_value(std::move(r)); });
    auto r = fut.get();
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    return *r;
  }

  rapidjson::Document Audit(const std::string& json = "{}") { return Ok("MngGetKycAudit", json); }
  size_t AuditCount() { return h_.core().kyc().audit().size(); }

  int files_ = 0;
};

// A fixture whose policy asks more of brand_strict.
inline CoreOptions StrictOptions() {
  CoreOptions o = test::TestCoreOptions();
  o.policy.brands["brand_strict"]["deposit"] = OperationRule{2};
  return o;
}
class StrictKycTest : public KycTest {
 protected:
  StrictKycTest() : KycTest(StrictOptions()) {}
};

}  // namespace kyc
