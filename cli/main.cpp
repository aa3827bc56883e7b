// kycctl: sends commands of the TCP protocol and prints their results as JSON.
//
//   kycctl [--host H] [--port P] [--login L --password-env VAR] CMD '{json}'
//   kycctl [options] < script       (one "CMD {json}" per line; '#' starts a comment)
//
// Exit 0 when every command succeeded; 1 when a command failed (its error code and
// message go to stderr); 2 for usage or connection errors.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include "cli/tcp_client.h"
#include "protocol/commands.h"
#include "protocol/json.h"

namespace {

std::string CommandHelp() {
  std::string out =
      "Commands (access: S staff, A admin, C client, — none; then the permission a staff\n"
      "account's roles must grant, or the operation a client's account status must permit):\n";
  for (const auto& c : kyc::Commands()) {
    std::string perm = c.permission != kyc::Perm::kNone ? std::string(kyc::Name(c.permission))
                       : c.client_op != kyc::AccountOp::kNone
                           ? fmt::format("client:{}", kyc::Name(c.client_op))
                           : "-";
    out += fmt::format("  {:<28} {:<4} {:<24} {}\n", c.name, kyc::AccessLabel(c.access), perm,
                       c.summary);
  }
  return out;
}

// Prints the reply; returns false for an error reply.
bool Print(const kyc::Reply& r) {
  if (r.ok()) {
    std::printf("%s\n", r.body.c_str());
    return true;
  }
  rapidjson::Document d;
  std::string message = r.body;
  if (kyc::ParseJson(r.body, d).ok() && d.IsObject() && d.HasMember("error") &&
      d["error"].IsObject() && d["error"].HasMember("message") && d["error"]["message"].IsString()) {
    message = d["error"]["message"].GetString();
  }
  std::fprintf(stderr, "%s: %s\n", std::string(kyc::CodeName(r.code)).c_str(), message.c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kycctl: the KYC Manager protocol from the command line"};
  std::string host = "127.0.0.1", login, password_env = "KYC_PASSWORD", token_env;
  uint16_t port = 7400;
  bool keep_going = false;
  std::string command, params = "{}";
  app.add_option("--host", host, "server host")->capture_default_str();
  app.add_option("--port", port, "server TCP port")->capture_default_str();
  app.add_option("--login", login, "log in as this staff login first");
  app.add_option("--password-env", password_env, "environment variable holding the password")
      ->capture_default_str();
  app.add_option("--token-env", token_env, "environment variable holding a session token (Auth)");
  app.add_flag("--keep-going", keep_going, "stdin mode: run the remaining lines after an error");
  app.add_option("command", command, "command name; omit to read 'CMD {json}' lines from stdin");
  app.add_option("params", params, "JSON params object")->capture_default_str();
  app.footer(CommandHelp());
  CLI11_PARSE(app, argc, argv);

  kyc::TcpClient client;
  if (kyc::Status s = client.Connect(host, port); !s.ok()) {
    std::fprintf(stderr, "unavailable: %s\n", s.message().c_str());
    return 2;
  }
  auto call = [&](std::string_view cmd, std::string_view json) -> int {
    auto r = client.Call(cmd, json);
    if (!r.ok()) {
      std::fprintf(stderr, "unavailable: %s\n", r.status().message().c_str());
      return 2;
    }
    return Print(*r) ? 0 : 1;
  };
  auto quiet_call = [&](std::string_view cmd, const std::string& json) -> int {
    auto r = client.Call(cmd, json);
    if (!r.ok()) {
      std::fprintf(stderr, "unavailable: %s\n", r.status().message().c_str());
      return 2;
    }
    if (!r->ok()) return Print(*r) ? 0 : 1;
    return 0;
  };

  kyc::JsonOut auth;
  if (!login.empty()) {
    const char* pw = std::getenv(password_env.c_str());
    if (!pw) {
      std::fprintf(stderr, "bad_request: set %s to the password of '%s'\n", password_env.c_str(),
                   login.c_str());
      return 2;
    }
    auth.BeginObject().Key("login").Str(login).Key("password").Str(pw).EndObject();
    if (int rc = quiet_call("Login", auth.Take()); rc != 0) return rc;
  } else if (!token_env.empty()) {
    const char* token = std::getenv(token_env.c_str());
    if (!token) {
      std::fprintf(stderr, "bad_request: %s is not set\n", token_env.c_str());
      return 2;
    }
    auth.BeginObject().Key("token").Str(token).EndObject();
    if (int rc = quiet_call("Auth", auth.Take()); rc != 0) return rc;
  }

  if (!command.empty()) return call(command, params);

  int worst = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    size_t end = line.find_first_of(" \t", start);
    std::string cmd = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string json = end == std::string::npos ? "{}" : line.substr(end + 1);
    int rc = call(cmd, json);
    worst = std::max(worst, rc);
    if (rc != 0 && !keep_going) return rc;
  }
  return worst;
}
