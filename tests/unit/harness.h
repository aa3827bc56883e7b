// The in-process harness: a Core on ":memory:" bases with a fake clock and random source,
// its two executors and a Dispatcher, plus helpers that log in and make sessions of every
// SessionType through the real commands.
//
// Ownership: the pools run writer strands and blocking work that reference the Core (and
// the Core references the clock and the random source). The destructor joins both pools
// first, so no queued or still-running work can outlive the Core; then the members go in
// reverse declaration order: dispatcher, core, (joined) pools, random, clock.
#pragma once

#include <sodium.h>

#include <array>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>

#include "core/core.h"
#include "handlers/dispatch.h"
#include "tests/unit/util.h"

namespace kyc::test {

inline constexpr std::string_view kAdminPassword = "admin-password-1";
inline constexpr std::string_view kStaffPassword = "staff-password-1";
inline constexpr std::string_view kPeer = "198.51.100.7";

inline constexpr std::array<SessionType, kSessionTypeCount> kAllSessionTypes{
    SessionType::kAdmin,    SessionType::kManager,    SessionType::kDealer,
    SessionType::kCrmAdmin, SessionType::kCrmManager, SessionType::kClient};

// In-memory bases and the cheapest argon2id cost libsodium allows.
inline CoreOptions TestCoreOptions() {
  CoreOptions o;
  o.in_memory = true;
  o.password_hash.ops_limit = crypto_pwhash_OPSLIMIT_MIN;
  o.password_hash.mem_limit = crypto_pwhash_MEMLIMIT_MIN;
  return o;
}

// The login the harness gives the account it creates for a staff session type.
inline std::string StaffLogin(SessionType type) {
  std::string login(SessionTypeName(type));  // "SESSION_CRM_ADMIN" is a valid login
  return "user_" + login;
}

class Harness {
 public:
  explicit Harness(const CoreOptions& options = TestCoreOptions()) {
    auto core = Core::Open(options, clock_, random_, writers_.get_executor(),
                           blocking_.get_executor());
    REQUIRE_MESSAGE(core.ok(), core.status().message());
    core_ = std::move(core.value());
    dispatcher_ = std::make_unique<Dispatcher>(*core_);
    REQUIRE(dispatcher_->CheckTable().ok());
  }

  ~Harness() {
    // Work still queued or running (a Drain's tail after its last completion) references
    // the Core: wait for all of it before the Core goes.
    writers_.join();
    blocking_.join();
    dispatcher_.reset();
    core_.reset();
  }

  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  Core& core() { return *core_; }
  FakeClock& clock() { return clock_; }
  Dispatcher& dispatcher() { return *dispatcher_; }

  // Dispatches one command with JSON params and waits for its Response.
  Response Run(std::string_view command, std::string_view json, const SessionPtr& session = nullptr,
               std::string_view peer = kPeer) {
    Request req;
    req.spec = FindCommand(command);
    req.command = command;
    req.json = json;
    req.session = session;
    req.peer = std::string(peer);
    return Wait(std::move(req));
  }

  // Dispatches with params already built (as the REST gateway does).
  Response RunParams(std::string_view command, Params params, const SessionPtr& session) {
    Request req;
    req.spec = FindCommand(command);
    req.command = command;
    req.params = std::move(params);
    req.session = session;
    req.peer = std::string(kPeer);
    return Wait(std::move(req));
  }

  // Logs in; returns the session (nullptr and the status in *status on failure).
  SessionPtr Login(std::string_view login, std::string_view password, Status* status = nullptr,
                   std::string_view peer = kPeer) {
    Response r = Run("Login", LoginJson(login, password), nullptr, peer);
    if (status) *status = r.status;
    if (!r.status.ok()) return nullptr;
    REQUIRE(r.attach);
    return r.attach;
  }

  // Creates `admin` once (Core::BootstrapAdmin), then logs in: a fresh session each call.
  SessionPtr Admin() {
    if (!bootstrapped_) {
      auto created = core_->BootstrapAdmin(std::string(kAdminPassword));
      REQUIRE_MESSAGE(created.ok(), created.status().message());
      bootstrapped_ = true;
    }
    Status s;
    SessionPtr session = Login("admin", kAdminPassword, &s);
    REQUIRE_MESSAGE(session, "admin login failed: ", s.message());
    return session;
  }

  // Creates a staff account through MngAddManager as admin; returns its id.
  int64_t AddManager(std::string_view login, SessionType type,
                     std::string_view password = kStaffPassword) {
    Response r = Run("MngAddManager",
                     fmt::format(R"({{"login":"{}","password":"{}","session_type":"{}"}})", login,
                                 password, SessionTypeName(type)),
                     Admin());
    REQUIRE_MESSAGE(r.status.ok(), r.text());
    return Int(ParseDoc(r.text()), "id");
  }

  // A client session minted by staff through MngCreateClientSession.
  SessionPtr ClientSession(int64_t customer_id = 1001, std::string_view brand = "brand_a") {
    Response r = Run("MngCreateClientSession",
                     fmt::format(R"({{"customer_id":{},"brand":"{}"}})", customer_id, brand),
                     Admin());
    REQUIRE_MESSAGE(r.status.ok(), r.text());
    SessionPtr s = core_->sessions().Find(Str(ParseDoc(r.text()), "token"));
    REQUIRE(s);
    return s;
  }

  // A fresh session of any type: staff types log in to an account of that type (created on
  // first use), SESSION_CLIENT is minted by MngCreateClientSession.
  SessionPtr Session(SessionType type) {
    if (type == SessionType::kClient) return ClientSession();
    if (type == SessionType::kAdmin) return Admin();
    auto& created = staff_created_[static_cast<size_t>(type)];
    if (!created) {
      AddManager(StaffLogin(type), type);
      created = true;
    }
    Status s;
    SessionPtr session = Login(StaffLogin(type), kStaffPassword, &s);
    REQUIRE_MESSAGE(session, "login failed: ", s.message());
    CHECK(session->type == type);
    return session;
  }

  // Four eyes (issue 15): an answer {pending_approval, request} approved by a second admin
  // ("approver", created on first use) becomes the command's own answer; any other answer
  // is returned as it is.
  Response Approve(Response r) {
    if (!r.status.ok()) return r;
    auto doc = ParseDoc(r.text());
    if (!doc.IsObject() || !doc.HasMember("pending_approval")) return r;
    if (!approver_created_) {
      AddManager("approver", SessionType::kAdmin);
      approver_created_ = true;
    }
    SessionPtr approver = Login("approver", kStaffPassword);
    REQUIRE(approver);
    Response a = Run("MngApproveRequest",
                     fmt::format(R"({{"id":{}}})", Int(doc["request"], "id")), approver);
    if (!a.status.ok()) return a;
    Response out;
    out.SetText(ToJsonText(ParseDoc(a.text())["result"]));
    return out;
  }

  static std::string LoginJson(std::string_view login, std::string_view password) {
    return fmt::format(R"({{"login":"{}","password":"{}"}})", login, password);
  }

 private:
  Response Wait(Request req) {
    auto promise = std::make_shared<std::promise<Response>>();
    auto future = promise->get_future();
    dispatcher_->Dispatch(std::move(req), [promise](Response r) {
      promise->set_value(std::move(r));
    });
    return future.get();
  }

  FakeClock clock_;
  FakeRandom random_;
  boost::asio::thread_pool writers_{2};
  boost::asio::thread_pool blocking_{2};
  std::unique_ptr<Core> core_;
  std::unique_ptr<Dispatcher> dispatcher_;
  bool bootstrapped_ = false;
  bool approver_created_ = false;
  std::array<bool, kSessionTypeCount> staff_created_{};
};

// The fixture the dispatcher tests share: a harness and a SESSION_MANAGER session, with
// Call (any answer), Ok (must succeed: the parsed answer) and Err (the error code).
class StaffFixture {
 protected:
  explicit StaffFixture(const CoreOptions& options = TestCoreOptions())
      : h_(options), staff_(h_.Session(SessionType::kManager)), manager_id_(*staff_->manager_id) {}

  Response Call(std::string_view command, const std::string& json,
                const SessionPtr& session = nullptr) {
    return h_.Run(command, json, session ? session : staff_);
  }
  rapidjson::Document Ok(std::string_view command, const std::string& json,
                         const SessionPtr& session = nullptr) {
    Response r = Call(command, json, session);
    REQUIRE_MESSAGE(r.status.ok(), std::string(command), " ", json, " -> ", r.text());
    return ParseDoc(r.text());
  }
  // Ok for a four-eyes command: approved by a second admin when it waits (Harness::Approve).
  rapidjson::Document OkApproved(std::string_view command, const std::string& json,
                                 const SessionPtr& session = nullptr) {
    Response r = h_.Approve(Call(command, json, session));
    REQUIRE_MESSAGE(r.status.ok(), std::string(command), " ", json, " -> ", r.text());
    return ParseDoc(r.text());
  }
  Code Err(std::string_view command, const std::string& json, const SessionPtr& session = nullptr) {
    return Call(command, json, session).status.code();
  }
  // MngAddKycStepTemplate {brand, code, name: "Step <code>", extra fields}; its answer.
  Response AddTemplateAnswer(std::string_view brand, std::string_view code,
                             std::string_view extra = "") {
    return Call("MngAddKycStepTemplate",
                fmt::format(R"({{"brand":"{}","code":"{}","name":"Step {}"{}{}}})", brand, code,
                            code, extra.empty() ? "" : ",", extra));
  }
  // The same, which must succeed: the template's id.
  int64_t AddTemplate(std::string_view brand, std::string_view code, std::string_view extra = "") {
    Response r = AddTemplateAnswer(brand, code, extra);
    REQUIRE_MESSAGE(r.status.ok(), r.text());
    return Int(ParseDoc(r.text()), "id");
  }

  Harness h_;
  SessionPtr staff_;
  int64_t manager_id_;
};

}  // namespace kyc::test
