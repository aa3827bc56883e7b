// Writer transactions hold no slow work: argon2id hashing and an upload's file write run in
// the command's prepare stage on the blocking pool, before its write is queued
// (docs/ARCHITECTURE.md, "Writes and durability").
#include <chrono>
#include <filesystem>
#include <future>

#include <boost/asio/post.hpp>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/unit/harness.h"

namespace kyc {
namespace {

using namespace std::chrono_literals;
using test::Harness;
using test::Int;
using test::ParseDoc;

// Holds every thread of the blocking pool, as long argon2id hashes would, until Open().
class BlockingGate {
 public:
  BlockingGate(Core& core, int threads) {
    auto open = opened_.get_future().share();
    for (int i = 0; i < threads; ++i) {
      auto held = std::make_shared<std::promise<void>>();
      holding_.push_back(held->get_future());
      boost::asio::post(core.blocking(), [open, held] {
        held->set_value();
        open.wait();
      });
    }
    for (auto& h : holding_) h.wait();
  }
  ~BlockingGate() { Open(); }
  void Open() {
    if (!opened_flag_) opened_.set_value();
    opened_flag_ = true;
  }

 private:
  std::promise<void> opened_;
  bool opened_flag_ = false;
  std::vector<std::future<void>> holding_;
};

std::future<Response> DispatchAsync(Harness& h, Request req) {
  auto p = std::make_shared<std::promise<Response>>();
  auto f = p->get_future();
  h.dispatcher().Dispatch(std::move(req), [p](Response r) { p->set_value(std::move(r)); });
  return f;
}

// Starts `command` as `session` without waiting for its answer (the JSON is parsed
// before Dispatch returns).
std::future<Response> StartCommand(Harness& h, std::string_view command, std::string_view json,
                                   const SessionPtr& session) {
  Request req;
  req.spec = FindCommand(command);
  req.command = command;
  req.json = json;
  req.session = session;
  return DispatchAsync(h, std::move(req));
}

}  // namespace

TEST_SUITE_BEGIN("prepare_stage");

TEST_CASE("prepare stage: a staff write is not held up by a concurrent MngAddManager") {
  Harness h;
  auto admin = h.Admin();
  const int64_t target = h.AddManager("target", SessionType::kManager);

  // MngAddManager's argon2id waits for the blocking pool...
  BlockingGate gate(h.core(), 2);
  auto added = StartCommand(
      h, "MngAddManager",
      R"({"login":"newcomer","password":"Newcomer-pass-1","session_type":"SESSION_DEALER"})", admin);

  // ...while a staff write with nothing slow in it commits on the staff writer at once.
  Response disabled = h.Run("MngUpdateManager", fmt::format(R"({{"id":{},"disabled":true}})", target),
                            admin);
  REQUIRE_MESSAGE(disabled.status.ok(), disabled.text());
  CHECK(h.core().staff().managers().Get(target)->disabled);
  CHECK(added.wait_for(0s) == std::future_status::timeout);  // still waiting for its hash

  gate.Open();
  Response a = added.get();
  REQUIRE_MESSAGE(a.status.ok(), a.text());
  CHECK(h.core().staff().managers().Get(Int(ParseDoc(a.text()), "id"))->login == "newcomer");
}

TEST_CASE("prepare stage: a write whose session ended while it waited changes nothing") {
  Harness h;
  auto admin = h.Admin();
  const size_t accounts = h.core().staff().managers().size();
  BlockingGate gate(h.core(), 2);
  auto added = StartCommand(
      h, "MngAddManager",
      R"({"login":"latecomer","password":"Latecomer-pass-1","session_type":"SESSION_DEALER"})", admin);
  h.core().sessions().Revoke(*admin);  // e.g. the account was disabled meanwhile
  gate.Open();
  Response r = added.get();
  CHECK(r.status.code() == Code::kUnauthorized);
  CHECK(h.core().staff().managers().size() == accounts);
}

TEST_CASE("prepare stage: a bad MngAddManager is refused before any hashing or write") {
  Harness h;
  auto admin = h.Admin();
  const size_t accounts = h.core().staff().managers().size();
  Response r = h.Run("MngAddManager",
                     R"({"login":"short","password":"x","session_type":"SESSION_MANAGER"})", admin);
  CHECK(r.status.code() == Code::kBadRequest);
  CHECK(r.text().find("password") != std::string_view::npos);
  r = h.Run("MngAddManager", R"({"login":"bad login","password":"Long-enough-1","session_type":"SESSION_MANAGER"})",
            admin);
  CHECK(r.status.code() == Code::kBadRequest);
  CHECK(r.text().find("login") != std::string_view::npos);
  CHECK(h.core().staff().managers().size() == accounts);
}

TEST_CASE("prepare stage: MngUpdateManager with a password hashes it before the write") {
  Harness h;
  auto admin = h.Admin();
  const int64_t id = h.AddManager("changer", SessionType::kManager);
  const std::string before = h.core().staff().managers().Get(id)->password_hash;
  Response r = h.Run("MngUpdateManager",
                     fmt::format(R"({{"id":{},"password":"Another-pass-2"}})", id), admin);
  REQUIRE_MESSAGE(r.status.ok(), r.text());
  const std::string after = h.core().staff().managers().Get(id)->password_hash;
  CHECK(after != before);
  CHECK(after.rfind("$argon2id$", 0) == 0);
  CHECK(h.core().VerifyPassword(after, "Another-pass-2"));
}

TEST_CASE("prepare stage: an upload whose row does not commit leaves no file behind") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fmt::format("kyc_prepare_test_{}", getpid());
  fs::remove_all(dir);
  CoreOptions options = test::TestCoreOptions();
  options.data_dir = dir.string();
  {
    Harness h(options);
    REQUIRE(h.core().file_store().EnsureDir().ok());
    auto staff = h.Session(SessionType::kManager);
    auto upload = std::make_shared<Upload>();
    upload->file_name = "scan.pdf";
    upload->data = "%PDF-1.4 a small document";
    auto send = [&] {
      Request req;
      req.spec = FindCommand("Upload");
      req.command = "Upload";
      req.params = Params();
      req.session = staff;
      req.upload = upload;
      return DispatchAsync(h, std::move(req)).get();
    };
    auto files = [&] {
      size_t n = 0;
      for (const auto& e : fs::directory_iterator(dir / "storage")) n += e.is_regular_file();
      return n;
    };

    Response ok = send();
    REQUIRE_MESSAGE(ok.status.ok(), ok.text());
    CHECK(files() == 1);

    h.core().storage().writer().SetCommitFaultForTesting(
        [] { return Status(Code::kInternal, "injected commit fault"); });
    Response failed = send();
    CHECK(failed.status.code() == Code::kInternal);
    CHECK(files() == 1);  // the second file was written, then removed
  }
  fs::remove_all(dir);
}

TEST_SUITE_END();

}  // namespace kyc
