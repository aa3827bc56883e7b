#include "handlers/core.h"

#include <sodium.h>

#include <filesystem>
#include <future>

#include "handlers/staff_rules.h"

namespace kyc {

Core::Core(const CoreOptions& options, const Clock& clock, Random& random,
           boost::asio::any_io_executor blocking)
    : options_(options),
      clock_(clock),
      random_(random),
      blocking_(std::move(blocking)),
      sessions_(clock, random),
      throttle_(clock, options.throttle) {}

Result<std::unique_ptr<Core>> Core::Open(const CoreOptions& options, const Clock& clock,
                                         Random& random, boost::asio::any_io_executor writers,
                                         boost::asio::any_io_executor blocking) {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium failed to initialize");
  std::unique_ptr<Core> core(new Core(options, clock, random, blocking));

  std::string kyc_path = ":memory:", staff_path = ":memory:";
  if (!options.in_memory) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path bases = fs::path(options.data_dir) / "bases";
    fs::create_directories(bases, ec);
    if (ec) return Error(Code::kInternal, "cannot create {}: {}", bases.string(), ec.message());
    fs::create_directories(fs::path(options.data_dir) / "storage", ec);
    if (ec) return Error(Code::kInternal, "cannot create storage directory: {}", ec.message());
    kyc_path = (bases / "kyc.db").string();
    staff_path = (bases / "managers.db").string();
  }
  auto kyc = KycBase::Open(kyc_path, writers, options.bases);
  if (!kyc.ok()) return kyc.status();
  core->kyc_ = std::move(kyc.value());
  auto staff = StaffBase::Open(staff_path, writers, options.bases);
  if (!staff.ok()) return staff.status();
  core->staff_ = std::move(staff.value());

  auto dummy = core->HashPassword("not a password: equalizes timing for unknown logins");
  if (!dummy.ok()) return dummy.status();
  core->dummy_hash_ = std::move(dummy.value());
  return core;
}

Result<std::string> Core::HashPassword(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), options_.password_hash.ops_limit,
                            options_.password_hash.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(Code::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool Core::VerifyPassword(const std::string& hash, std::string_view password) const {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Result<bool> Core::BootstrapAdmin(const std::string& password) {
  if (staff_->managers().size() > 0) return false;
  std::promise<Result<std::string>> done;
  auto fut = done.get_future();
  staff_->writer().Submit(
      [this, &password](WriteBatch& batch) -> Result<std::string> {
        NewManager m{"admin", password, SessionType::kAdmin, "Administrator"};
        return AddManager(*this, batch, m, Actor{"system", std::nullopt, ""});
      },
      [&done](Result<std::string> r) { done.set_value(std::move(r)); });
  auto r = fut.get();
  if (!r.ok()) return r.status();
  return true;
}

}  // namespace kyc
