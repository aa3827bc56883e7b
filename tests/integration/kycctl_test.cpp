// The real kycctl binary against the real server: one command, errors and exit codes,
// stdin scripts and --help.
#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "protocol/commands.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {
namespace {

constexpr const char* kPasswordEnv = "KYCCTL_TEST_PASSWORD";

struct KycctlFixture : RunningServer {
  // kycctl --port P --login admin --password-env VAR <args...>
  ProcessResult Run(const std::vector<std::string>& args, std::string_view input = {},
                    std::string password = "") {
    std::vector<std::string> argv = {KYCCTL_BIN,  "--port", std::to_string(server.tcp_port()),
                                     "--login",   "admin",  "--password-env",
                                     kPasswordEnv};
    argv.insert(argv.end(), args.begin(), args.end());
    if (password.empty()) password = server.admin_password();
    return RunProcess(argv, {{kPasswordEnv, password}}, input);
  }

};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string AddParams(std::string_view code) {
  return fmt::format(R"({{"brand":"acme","code":"{}","name":"Step {}"}})", code, code);
}

}  // namespace

TEST_SUITE_BEGIN("kycctl");

TEST_CASE_FIXTURE(KycctlFixture, "a command prints its JSON result and exits 0") {
  ProcessResult r = Run({"MngAddKycStepTemplate", AddParams("passport")});
  INFO("stdout: ", r.out, "\nstderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  auto made = Json(r.out);
  CHECK(StrField(made, "code") == "passport");
  CHECK(IntField(made, "id") >= 1);

  r = Run({"MngGetKycStepTemplates", "{}"});
  REQUIRE(r.exit_code == 0);
  auto list = Json(r.out);
  CHECK(IntField(list, "total") == 1);
  CHECK(StrField(list["items"][0], "code") == "passport");

  // Params default to {}.
  r = Run({"Ping"});
  CHECK(r.exit_code == 0);
  CHECK(IntField(Json(r.out), "time") > 1600000000);
}

TEST_CASE_FIXTURE(KycctlFixture, "an error exits non-zero with the error code on stderr") {
  REQUIRE(Run({"MngAddKycStepTemplate", AddParams("dup")}).exit_code == 0);

  ProcessResult r = Run({"MngAddKycStepTemplate", AddParams("dup")});
  CHECK(r.exit_code != 0);
  CHECK(r.out.empty());
  CHECK_MESSAGE(r.err.rfind("conflict", 0) == 0, r.err);
  CHECK(r.err.find("dup") != std::string::npos);  // the message names the object

  r = Run({"MngAddKycStepTemplate", "{not json"});
  CHECK(r.exit_code != 0);
  CHECK_MESSAGE(r.err.rfind("bad_request", 0) == 0, r.err);

  r = Run({"NoSuchCommand", "{}"});
  CHECK(r.exit_code != 0);
  CHECK_MESSAGE(r.err.rfind("unknown_command", 0) == 0, r.err);

  r = Run({"MngGetKycStepTemplates"}, {}, "wrong-password");
  CHECK(r.exit_code != 0);
  CHECK(r.out.empty());
  CHECK_MESSAGE(r.err.rfind("unauthorized", 0) == 0, r.err);

  // No password in the environment.
  r = RunProcess({KYCCTL_BIN, "--port", std::to_string(server.tcp_port()), "--login", "admin",
                  "--password-env", "KYCCTL_TEST_UNSET_VARIABLE", "Ping"},
                 {});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("KYCCTL_TEST_UNSET_VARIABLE") != std::string::npos);

  // Without a login, a staff command is unauthorized.
  r = RunProcess(
      {KYCCTL_BIN, "--port", std::to_string(server.tcp_port()), "MngGetKycStepTemplates"}, {});
  CHECK(r.exit_code != 0);
  CHECK_MESSAGE(r.err.rfind("unauthorized", 0) == 0, r.err);
}

TEST_CASE_FIXTURE(KycctlFixture, "a token from the environment authenticates the connection") {
  auto tcp = AdminClient(server);
  auto client = MustCall(*tcp, "MngCreateClientSession", R"({"customer_id":7,"brand":"acme"})");
  REQUIRE_MESSAGE(client.ok(), client.body);
  const std::string token = StrField(Json(client.body), "token");
  std::vector<std::string> argv = {KYCCTL_BIN,
                                   "--port",
                                   std::to_string(server.tcp_port()),
                                   "--token-env",
                                   "KYCCTL_TEST_TOKEN",
                                   "MngGetKycStepTemplates"};
  ProcessResult r = RunProcess(argv, {{"KYCCTL_TEST_TOKEN", token}});
  CHECK(r.exit_code != 0);
  CHECK_MESSAGE(r.err.rfind("forbidden", 0) == 0, r.err);  // a client session is not staff
  r = RunProcess(argv, {{"KYCCTL_TEST_TOKEN", "not-a-token"}});
  CHECK(r.exit_code != 0);
  CHECK_MESSAGE(r.err.rfind("unauthorized", 0) == 0, r.err);
}

TEST_CASE_FIXTURE(KycctlFixture, "stdin mode runs one command per line") {
  const std::string script =
      "# set up two steps\n"
      "MngAddKycStepTemplate " +
      AddParams("one") +
      "\n"
      "\n"
      "  MngAddKycStepTemplate " +
      AddParams("two") +
      "\n"
      "MngGetKycStepTemplates {\"brand\":\"acme\"}\n"
      "Ping\n";
  ProcessResult r = Run({}, script);
  INFO("stdout: ", r.out, "\nstderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = Lines(r.out);
  REQUIRE(lines.size() == 4);
  CHECK(StrField(Json(lines[0]), "code") == "one");
  CHECK(StrField(Json(lines[1]), "code") == "two");
  CHECK(IntField(Json(lines[2]), "total") == 2);
  CHECK(IntField(Json(lines[3]), "time") > 0);

  SUBCASE("the first error stops the script") {
    const std::string failing = "MngAddKycStepTemplate " + AddParams("one") + "\n" +
                                "MngAddKycStepTemplate " + AddParams("three") + "\n";
    r = Run({}, failing);
    CHECK(r.exit_code != 0);
    CHECK_MESSAGE(r.err.rfind("conflict", 0) == 0, r.err);
    r = Run({"MngGetKycStepTemplates", R"({"brand":"acme"})"});
    CHECK(IntField(Json(r.out), "total") == 2);  // "three" never ran
  }
  SUBCASE("--keep-going runs every line and still fails") {
    const std::string failing = "MngAddKycStepTemplate " + AddParams("one") + "\n" +
                                "MngAddKycStepTemplate " + AddParams("three") + "\n";
    r = Run({"--keep-going"}, failing);
    CHECK(r.exit_code != 0);
    CHECK_MESSAGE(r.err.rfind("conflict", 0) == 0, r.err);
    CHECK(StrField(Json(Lines(r.out).at(0)), "code") == "three");
    r = Run({"MngGetKycStepTemplates", R"({"brand":"acme"})"});
    CHECK(IntField(Json(r.out), "total") == 3);
  }
}

TEST_CASE("kycctl --help lists every command of the table") {
  ProcessResult r = RunProcess({KYCCTL_BIN, "--help"}, {});
  REQUIRE(r.exit_code == 0);
  for (const CommandSpec& spec : Commands()) {
    CHECK_MESSAGE(r.out.find(std::string(spec.name)) != std::string::npos, spec.name);
    // Each line names the permission the row needs (issue 15).
    if (spec.permission != Perm::kNone) {
      const size_t at = r.out.find(std::string(spec.name) + " ");
      REQUIRE(at != std::string::npos);
      const std::string line = r.out.substr(at, r.out.find('\n', at) - at);
      CHECK_MESSAGE(line.find(std::string(Name(spec.permission))) != std::string::npos, line);
    }
  }
}

TEST_CASE("kycctl without a server exits non-zero with unavailable") {
  // A port nothing listens on: bind one, note it, close it.
  ServerProcess server;
  REQUIRE_MESSAGE(server.Start().ok(), server.Log());
  const std::string port = std::to_string(server.tcp_port());
  REQUIRE(server.Term() == 0);
  ProcessResult r = RunProcess({KYCCTL_BIN, "--port", port, "Ping"}, {});
  CHECK(r.exit_code != 0);
  CHECK_MESSAGE(r.err.rfind("unavailable", 0) == 0, r.err);
}

TEST_SUITE_END();

}  // namespace kyc::itest
