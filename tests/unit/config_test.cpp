#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "server/config.h"

namespace kyc {

TEST_CASE("ParseEndpoint takes HOST:PORT and rejects the rest") {
  auto ep = ParseEndpoint("127.0.0.1:7400");
  REQUIRE(ep.ok());
  CHECK(ep->host == "127.0.0.1");
  CHECK(ep->port == 7400);
  CHECK(ParseEndpoint("[::1]:0")->host == "::1");
  CHECK(ParseEndpoint("0.0.0.0:0")->port == 0);
  CHECK_FALSE(ParseEndpoint("7400").ok());
  CHECK_FALSE(ParseEndpoint("host:").ok());
  CHECK_FALSE(ParseEndpoint("host:70000").ok());
  CHECK_FALSE(ParseEndpoint("host:12x").ok());
}

TEST_CASE("the example config parses and states the defaults") {
  std::ifstream in(KYC_DOCS_DIR "/kyc-server.example.toml");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  ServerConfig defaults, parsed;
  REQUIRE(ApplyToml(text.str(), parsed).ok());
  CHECK(parsed.core.data_dir == defaults.core.data_dir);
  CHECK(parsed.tcp == defaults.tcp);
  CHECK(parsed.http == defaults.http);
  CHECK(parsed.io_threads == defaults.io_threads);
  CHECK(parsed.frame.max_body == defaults.frame.max_body);
  CHECK(parsed.max_in_flight == defaults.max_in_flight);
  CHECK(parsed.idle_timeout == defaults.idle_timeout);
  CHECK(parsed.core.staff_session_ttl == defaults.core.staff_session_ttl);
  CHECK(parsed.core.throttle.max_failures_per_login == defaults.core.throttle.max_failures_per_login);
  CHECK(parsed.core.password_hash.mem_limit == defaults.core.password_hash.mem_limit);
  CHECK(parsed.core.bases.group_commit == defaults.core.bases.group_commit);
  CHECK(parsed.core.bases.full_sync == defaults.core.bases.full_sync);
  CHECK(parsed.core.accounts.approval_level == defaults.core.accounts.approval_level);
  CHECK(parsed.core.approvals.ttl == defaults.core.approvals.ttl);
  CHECK(parsed.core.approvals.require.empty());
}

TEST_CASE("config: approval levels and four-eyes commands per brand") {
  ServerConfig c;
  REQUIRE(ApplyToml("[accounts]\napproval_level = 2\n[accounts.brands.acme]\napproval_level = 3\n"
                    "[approvals]\nttl = 3600\nrequire = [\"MngSetKycTier\"]\n"
                    "[approvals.brands.acme]\nrequire = [\"MngSetAmlFlag\"]\n",
                    c)
              .ok());
  CHECK(c.core.accounts.ApprovalLevel("other") == 2);
  CHECK(c.core.accounts.ApprovalLevel("acme") == 3);
  CHECK(c.core.approvals.ttl == 3600);
  CHECK(c.core.approvals.Requires("MngSetKycTier", "other"));
  CHECK(c.core.approvals.Requires("MngSetAmlFlag", "acme"));
  CHECK_FALSE(c.core.approvals.Requires("MngSetAmlFlag", "other"));
  // A command that is not a write, or carries a password or a file, cannot wait.
  for (std::string_view bad : {"MngGetKycTiers", "MngAddManager", "Upload", "NoSuchCommand",
                               "MngRejectRequest"}) {
    CAPTURE(bad);
    ServerConfig d;
    Status s = ApplyToml(fmt::format("[approvals]\nrequire = [\"{}\"]\n", bad), d);
    CHECK(s.code() == Code::kBadRequest);
    CHECK(s.message().find("approvals.require") != std::string::npos);
  }
  ServerConfig e;
  CHECK(ApplyToml("[accounts]\napproval_level = 0\n", e).code() == Code::kBadRequest);
  CHECK(ApplyToml("[approvals]\nttl = 5\n", e).code() == Code::kBadRequest);
  CHECK(ApplyToml("[accounts]\nlevel = 2\n", e).code() == Code::kBadRequest);
}

TEST_CASE("ApplyToml overrides keys and names the one at fault") {
  ServerConfig c;
  REQUIRE(ApplyToml("tcp = \"0.0.0.0:9000\"\n[limits]\nmax_in_flight = 8\n"
                    "[bases]\nsynchronous = \"normal\"\n",
                    c)
              .ok());
  CHECK(c.tcp == "0.0.0.0:9000");
  CHECK(c.max_in_flight == 8);
  CHECK_FALSE(c.core.bases.full_sync);

  Status wrong_type = ApplyToml("[limits]\nmax_in_flight = \"many\"\n", c);
  CHECK(wrong_type.code() == Code::kBadRequest);
  CHECK(wrong_type.message().find("limits.max_in_flight") != std::string::npos);
  CHECK(ApplyToml("[bases]\nsynchronous = \"sometimes\"\n", c).code() == Code::kBadRequest);
  CHECK(ApplyToml("this is = = not toml", c).code() == Code::kBadRequest);
}

}  // namespace kyc
