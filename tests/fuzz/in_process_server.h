// An in-process kyc-server for the path fuzzers (tcp_path_fuzz, rest_path_fuzz): a Core
// on ":memory:" bases with a fake clock and random source, and the real TCP listener and
// REST gateway on loopback ports, served by one I/O thread. Each input goes through a real
// socket, so its bytes take the production path (frame decoder or Beast's parser, router,
// access check, dispatch, answer) with live admin and client sessions. The client then closes
// its sending side and reads until the server closes: an input that hangs the server
// stops the fuzzer with a timeout, one that crashes it stops it with the crash.
#pragma once

#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "core/core.h"
#include "env/env.h"
#include "handlers/dispatch.h"
#include "net/endpoint.h"
#include "net/io_pool.h"
#include "net/listener.h"
#include "rest_gateway/http_server.h"
#include "server/connection.h"

namespace kyc::fuzz {

inline constexpr std::string_view kAdminPassword = "fuzz-admin-password";

class InProcessServer {
 public:
  // One per fuzzer process, never destroyed: the fuzzer ends with exit() while the
  // server's threads still run.
  static InProcessServer& Get() {
    static InProcessServer* server = new InProcessServer();
    return *server;
  }

  uint16_t tcp_port() const { return tcp_port_; }
  uint16_t http_port() const { return http_port_; }

  // Called at the start of each input: the fake clock moves on a second (throttle windows
  // and sessions age as inputs go by), and fresh sessions are minted for it, an admin's
  // and a client's (customer 7 of brand "acme"). They are made by the session store, not
  // by Login, so no earlier input (a Logout, a changed password, failed logins) can leave
  // the fuzzer without a session.
  void NextInput() {
    clock_.Advance(1);
    Session admin;
    admin.type = SessionType::kAdmin;
    admin.manager_id = 1;  // the bootstrapped "admin"
    admin.login = "admin";
    admin.permissions = kAllPerms;
    admin.roles = "admin";
    admin_token_ = core_->sessions().Create(admin, 3600)->token;
    Session client;
    client.type = SessionType::kClient;
    client.customer_id = 7;
    client.brand = "acme";
    client_token_ = core_->sessions().Create(client, 3600)->token;
  }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& client_token() const { return client_token_; }

  // Connects, sends `bytes`, closes the sending side and reads every answer until the
  // server closes. Aborts if the server has not closed within 20 s (a hang).
  //
  // libFuzzer's -timeout runs on SIGALRM, which interrupts whatever system call this thread
  // is in: every call here retries EINTR, and the 20 s are a deadline, not a poll timeout
  // (an interrupted poll once stopped the fuzzers as a "hang" of the server).
  std::string Exchange(uint16_t port, std::string_view bytes) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto wait = [&](int fd, short events) -> short {
      for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) Die("the server neither answered nor closed in 20 s");
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, static_cast<int>(left));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) Die(std::string("poll: ") + std::strerror(errno));
        if (n > 0) return p.revents;
      }
    };
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) Die("socket");
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      // An interrupted connect goes on in the background: wait for it, then ask how it went.
      if (errno != EINTR) Die(std::string("connect: ") + std::strerror(errno));
      wait(fd, POLLOUT);
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) Die(std::string("connect: ") + std::strerror(err));
    }
    std::string answers;
    char buf[16384];
    size_t sent = 0;
    bool write_closed = false;
    for (;;) {
      if (sent == bytes.size() && !write_closed) {
        ::shutdown(fd, SHUT_WR);
        write_closed = true;
      }
      const short revents = wait(fd, static_cast<short>(POLLIN | (write_closed ? 0 : POLLOUT)));
      if (revents & POLLOUT) {
        ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          sent = bytes.size();  // the server closed on us: read what it said
        } else {
          sent += static_cast<size_t>(n);
        }
      }
      if (revents & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        answers.append(buf, static_cast<size_t>(n));
      }
    }
    // Everything was read, up to the server's close: end with a reset rather than hold the
    // port in TIME_WAIT for a minute, or hundreds of inputs a second use up the ephemeral
    // ports and connect() fails.
    linger no_wait{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &no_wait, sizeof no_wait);
    ::close(fd);
    return answers;
  }

 private:
  InProcessServer() {
    spdlog::set_level(spdlog::level::off);
    char dir[] = "/tmp/kyc-fuzz-XXXXXX";
    if (!::mkdtemp(dir)) Die("mkdtemp");
    // Uploaded files go here; the directory goes when the fuzzer exits.
    static std::string data_dir = dir;
    std::atexit([] { std::filesystem::remove_all(data_dir); });
    CoreOptions o;
    o.in_memory = true;
    o.data_dir = dir;  // uploaded files (the bases are in memory)
    o.password_hash.ops_limit = crypto_pwhash_OPSLIMIT_MIN;
    o.password_hash.mem_limit = crypto_pwhash_MEMLIMIT_MIN;
    auto core = Core::Open(o, clock_, random_, writers_.get_executor(), blocking_.get_executor());
    if (!core.ok()) Die(core.status().message());
    core_ = std::move(core.value());
    if (!core_->BootstrapAdmin(std::string(kAdminPassword)).ok()) Die("BootstrapAdmin");
    dispatcher_ = std::make_unique<Dispatcher>(*core_);
    ConnectionOptions conn;
    conn.idle_timeout = 5;
    conn.frame_timeout = 5;
    tcp_ = std::make_unique<Listener<Connection>>(pool_, "tcp", [this, conn](IoSocket socket) {
      return std::make_shared<Connection>(std::move(socket), *dispatcher_, conn);
    });
    HttpOptions http;
    http.idle_timeout = 5;
    http.header_timeout = 5;
    http_ = std::make_unique<HttpServer>(pool_, *dispatcher_, http);
    auto tcp_at = tcp_->Listen(*ParseEndpoint("127.0.0.1:0"));
    auto http_at = http_->Listen(*ParseEndpoint("127.0.0.1:0"));
    if (!tcp_at.ok() || !http_at.ok()) Die("listen");
    tcp_port_ = tcp_at->port();
    http_port_ = http_at->port();
    tcp_->Start();
    http_->Start();
    io_thread_ = std::thread([this] { pool_.Run(); });
  }

  [[noreturn]] static void Die(std::string_view why) {
    std::fprintf(stderr, "in-process server: %.*s\n", static_cast<int>(why.size()), why.data());
    std::abort();
  }

  FakeClock clock_;
  FakeRandom random_;
  boost::asio::thread_pool writers_{2};
  boost::asio::thread_pool blocking_{1};
  std::unique_ptr<Core> core_;
  std::unique_ptr<Dispatcher> dispatcher_;
  IoPool pool_{1};
  std::unique_ptr<Listener<Connection>> tcp_;
  std::unique_ptr<HttpServer> http_;
  uint16_t tcp_port_ = 0, http_port_ = 0;
  std::string admin_token_, client_token_;
  std::thread io_thread_;
};

}  // namespace kyc::fuzz
