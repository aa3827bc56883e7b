// The real kyc-server binary as a child process for the integration tests, plus small
// helpers shared by the test files: running other binaries (kycctl), TCP calls that fail
// the test on a transport error, and JSON reading.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "cli/tcp_client.h"
#include "protocol/status.h"

namespace kyc::itest {

inline constexpr std::string_view kAdminPassword = "Adm1n-pass-word!";

// A directory made by mkdtemp under /tmp; removed (recursively) by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct ServerOptions {
  std::vector<std::string> extra_args;  // appended to the command line
  std::string extra_toml;               // appended to the generated --config file
  std::string admin_password = std::string(kAdminPassword);
};

// Runs build/kyc-server on `--data <tmp>/data --tcp 127.0.0.1:0 --http 127.0.0.1:0` with a
// config that lowers the argon2 cost. stdout and stderr go to files in the temp dir; the
// bound addresses are read from the stdout file. The destructor kills a running server.
class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server and waits (at most 20 s) until it printed both addresses.
  [[nodiscard]] Status Start();
  // SIGTERM, then waits at most `timeout_seconds`. Returns the exit code (128 + signal
  // when killed by a signal); -1 when it did not exit in time (it is then killed).
  int Term(int timeout_seconds = 20);
  // SIGKILL and reap.
  void Kill9();
  // Term() (or nothing when already stopped), then Start() on the same data directory.
  [[nodiscard]] Status Restart();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  uint16_t tcp_port() const { return tcp_port_; }
  uint16_t http_port() const { return http_port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& dir() const { return tmp_.path(); }
  const std::string& admin_password() const { return options_.admin_password; }
  // The server's stderr so far (its log), for failure messages.
  std::string Log() const;

 private:
  int WaitExit(int timeout_ms);

  ServerOptions options_;
  TempDir tmp_;
  std::string data_dir_;
  std::string config_path_;
  pid_t pid_ = -1;
  int starts_ = 0;
  uint16_t tcp_port_ = 0;
  uint16_t http_port_ = 0;
};

// The fixture the integration suites share: a server started with the default options
// (the test fails at once, with the server's log, when it does not start).
struct RunningServer {
  RunningServer() { REQUIRE_MESSAGE(server.Start().ok(), server.Log()); }
  ServerProcess server;
};

// The outcome of running a program to completion.
struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it timed out
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the binary path) with extra environment variables, `input` on
// its stdin, and waits at most `timeout_seconds`.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env, std::string_view input = {},
                         int timeout_seconds = 30);

// Reads a whole file; empty when missing.
std::string ReadFile(const std::string& path);

// --- TCP helpers (they fail the running test on a transport error) ---

// A client connected to the server's TCP port (reads time out after 15 s).
std::unique_ptr<TcpClient> ConnectTcp(const ServerProcess& server);
// One call; a transport failure fails the test.
Reply MustCall(TcpClient& client, std::string_view command, std::string_view json = "{}");
// Logs in; fails the test unless it succeeded. Returns the Login result JSON.
std::string MustLogin(TcpClient& client, std::string_view login, std::string_view password);
// A connected client logged in as admin.
std::unique_ptr<TcpClient> AdminClient(const ServerProcess& server);
// MngAddKycStepTemplate params for brand "acme": code, name "Step <code>", level.
std::string TemplateParams(std::string_view code, int level = 1);

// --- JSON helpers ---

// Parses JSON text; fails the test when it is not JSON.
rapidjson::Document Json(std::string_view text);
// `error.code` of an error body, or "" when there is none.
std::string ErrorCode(std::string_view body);
// Compact JSON text of a value.
std::string JsonText(const rapidjson::Value& v);
// A string field of an object ("" when absent or not a string).
std::string StrField(const rapidjson::Value& v, const char* name);
// An integer field of an object (-1 when absent or not an integer).
int64_t IntField(const rapidjson::Value& v, const char* name);

}  // namespace kyc::itest
