#include "tests/integration/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "protocol/json.h"

extern char** environ;

namespace kyc::itest {
namespace {

using Clock = std::chrono::steady_clock;

// Everything the child needs, built before fork() so that the child only makes
// async-signal-safe calls (open, dup2, close_range, execve).
struct SpawnSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "KEY=VALUE"
  std::string stdin_path = "/dev/null";
  std::string stdout_path;
  std::string stderr_path;
  bool append_stderr = false;
};

std::vector<std::string> MergedEnv(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos && extra.count(std::string(kv.substr(0, eq)))) continue;
    out.emplace_back(kv);
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

pid_t Spawn(const SpawnSpec& spec) {
  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const int err_flags = O_WRONLY | O_CREAT | O_CLOEXEC | (spec.append_stderr ? O_APPEND : O_TRUNC);

  pid_t pid = fork();
  if (pid != 0) return pid;  // parent (or -1)
  int in = open(spec.stdin_path.c_str(), O_RDONLY | O_CLOEXEC);
  int out = open(spec.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = open(spec.stderr_path.c_str(), err_flags, 0644);
  if (in < 0 || out < 0 || err < 0) _exit(126);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
  // Sockets of the test process must not leak into the child (they would keep test
  // connections open after the test closes them).
  syscall(SYS_close_range, 3u, ~0u, 0u);
  execve(argv[0], argv.data(), envp.data());
  _exit(127);
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for `pid` at most `timeout_ms`; returns its exit code, or -2 while it still runs.
int WaitPid(pid_t pid, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return DecodeWaitStatus(status);
    if (r < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void WriteFile(const std::string& path, std::string_view text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/kyc-itest-XXXXXX";
  const char* made = mkdtemp(tmpl);
  REQUIRE_MESSAGE(made != nullptr, "mkdtemp failed: " << std::strerror(errno));
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  data_dir_ = tmp_.path() + "/data";
  config_path_ = tmp_.path() + "/server.toml";
  // libsodium's minimum argon2id cost keeps each login in the millisecond range.
  WriteFile(config_path_,
            "[password_hash]\nops_limit = 1\nmem_limit = 8192\n\n" + options_.extra_toml + "\n");
}

ServerProcess::~ServerProcess() {
  if (running()) {
    // A server that stopped by itself while the test thought it ran fails the test: a
    // sanitizer halts the process on its first finding.
    const int code = WaitPid(pid_, 0);
    if (code != -2) {
      pid_ = -1;
      CHECK_MESSAGE(false, "kyc-server exited by itself with " << code << ":\n" << Log());
    }
    Kill9();
  }
  // A finding of a sanitizer build is in the server's log, whenever it happened.
  const std::string log = Log();
  for (std::string_view mark : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                "WARNING: ThreadSanitizer", "runtime error:"}) {
    CHECK_MESSAGE(log.find(mark) == std::string::npos, "kyc-server's log has a sanitizer finding:\n"
                                                           << log);
  }
}

Status ServerProcess::Start() {
  if (running()) return Status(Code::kConflict, "server already running");
  ++starts_;
  SpawnSpec spec;
  spec.argv = {KYC_SERVER_BIN, "--config",    config_path_, "--data",     data_dir_,
               "--tcp",        "127.0.0.1:0", "--http",     "127.0.0.1:0"};
  spec.argv.insert(spec.argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  spec.env = MergedEnv({{"KYC_ADMIN_PASSWORD", options_.admin_password}});
  const std::string stdout_path = fmt::format("{}/stdout.{}.log", tmp_.path(), starts_);
  spec.stdout_path = stdout_path;
  spec.stderr_path = tmp_.path() + "/stderr.log";
  spec.append_stderr = true;
  tcp_port_ = http_port_ = 0;
  pid_ = Spawn(spec);
  if (pid_ < 0) return Error(Code::kInternal, "fork failed: {}", std::strerror(errno));

  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    std::istringstream lines(ReadFile(stdout_path));
    std::string line;
    while (std::getline(lines, line)) {
      auto colon = line.rfind(':');
      if (colon == std::string::npos) continue;
      int port = std::atoi(line.c_str() + colon + 1);
      if (line.rfind("tcp ", 0) == 0) tcp_port_ = static_cast<uint16_t>(port);
      if (line.rfind("http ", 0) == 0) http_port_ = static_cast<uint16_t>(port);
    }
    if (tcp_port_ != 0 && http_port_ != 0) return Status::Ok();
    int code = WaitPid(pid_, 0);
    if (code != -2) {
      pid_ = -1;
      return Error(Code::kInternal, "kyc-server exited with {} before printing its addresses:\n{}",
                   code, Log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill9();
  return Error(Code::kInternal, "kyc-server printed no addresses within 20 s:\n{}", Log());
}

int ServerProcess::WaitExit(int timeout_ms) {
  int code = WaitPid(pid_, timeout_ms);
  if (code == -2) {
    kill(pid_, SIGKILL);
    WaitPid(pid_, 20000);
    code = -1;
  }
  pid_ = -1;
  return code;
}

int ServerProcess::Term(int timeout_seconds) {
  if (!running()) return -1;
  kill(pid_, SIGTERM);
  return WaitExit(timeout_seconds * 1000);
}

void ServerProcess::Kill9() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  WaitExit(20000);
}

Status ServerProcess::Restart() {
  if (running()) {
    int code = Term();
    if (code != 0) return Error(Code::kInternal, "kyc-server exited with {} on SIGTERM", code);
  }
  return Start();
}

std::string ServerProcess::Log() const { return ReadFile(tmp_.path() + "/stderr.log"); }

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env, std::string_view input,
                         int timeout_seconds) {
  TempDir tmp;
  SpawnSpec spec;
  spec.argv = argv;
  spec.env = MergedEnv(env);
  spec.stdin_path = tmp.path() + "/stdin";
  spec.stdout_path = tmp.path() + "/stdout";
  spec.stderr_path = tmp.path() + "/stderr";
  WriteFile(spec.stdin_path, input);
  ProcessResult r;
  pid_t pid = Spawn(spec);
  if (pid < 0) return r;
  r.exit_code = WaitPid(pid, timeout_seconds * 1000);
  if (r.exit_code == -2) {
    kill(pid, SIGKILL);
    WaitPid(pid, 20000);
    r.exit_code = -1;
  }
  r.out = ReadFile(spec.stdout_path);
  r.err = ReadFile(spec.stderr_path);
  return r;
}

std::unique_ptr<TcpClient> ConnectTcp(const ServerProcess& server) {
  auto c = std::make_unique<TcpClient>();
  Status s = c->Connect("127.0.0.1", server.tcp_port(), 15);
  REQUIRE_MESSAGE(s.ok(), "connect: " << s.message());
  return c;
}

Reply MustCall(TcpClient& client, std::string_view command, std::string_view json) {
  auto r = client.Call(command, json);
  REQUIRE_MESSAGE(r.ok(), command << ": " << r.status().message());
  return std::move(r.value());
}

std::string MustLogin(TcpClient& client, std::string_view login, std::string_view password) {
  JsonOut o;
  o.BeginObject().Key("login").Str(login).Key("password").Str(password).EndObject();
  Reply r = MustCall(client, "Login", o.Take());
  REQUIRE_MESSAGE(r.ok(), "Login " << login << ": " << r.body);
  return r.body;
}

std::unique_ptr<TcpClient> AdminClient(const ServerProcess& server) {
  auto c = ConnectTcp(server);
  MustLogin(*c, "admin", server.admin_password());
  return c;
}

rapidjson::Document Json(std::string_view text) {
  rapidjson::Document d;
  Status s = ParseJson(text, d);
  REQUIRE_MESSAGE(s.ok(), "not JSON (" << s.message() << "): " << text.substr(0, 300));
  return d;
}

std::string ErrorCode(std::string_view body) {
  rapidjson::Document d;
  if (!ParseJson(body, d).ok() || !d.IsObject()) return "";
  auto e = d.FindMember("error");
  if (e == d.MemberEnd() || !e->value.IsObject()) return "";
  return StrField(e->value, "code");
}

std::string TemplateParams(std::string_view code, int level) {
  return fmt::format(R"({{"brand":"acme","code":"{}","name":"Step {}","level":{}}})", code, code,
                     level);
}

std::string JsonText(const rapidjson::Value& v) { return ToJsonText(v); }

std::string StrField(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

int64_t IntField(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return -1;
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsInt64()) return -1;
  return it->value.GetInt64();
}

}  // namespace kyc::itest
