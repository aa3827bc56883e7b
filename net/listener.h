// An acceptor and the registry of the connections it made, shared by the TCP command
// server and the REST gateway: each accepted socket is placed on the next I/O context in
// turn (IoPool::Next) and stays there; Stop closes the acceptor and asks every open
// connection to finish gracefully.
//
// Connections are capped in total and per peer address (issue 17): one accepted past a
// cap gets `reject` (an `unavailable` answer in the listener's protocol) and is closed, so
// the others keep being served. When accept itself fails (out of descriptors, EMFILE),
// the listener waits before it tries again and logs the condition once per interval,
// instead of spinning on a core and flooding the log.
//
// `Conn` is created with `make(socket)` and needs `void Start()` and `void Stop()`
// (callable from any thread: read nothing more, answer what is in flight, close).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "net/endpoint.h"
#include "net/io_pool.h"

namespace kyc {

// A socket bound to one I/O context's executor: no strand object and no type-erased
// executor on any completion, since exactly one thread runs that context.
using IoSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp,
                                                  boost::asio::io_context::executor_type>;

struct ConnectionCaps {
  size_t max_total = 4096;     // limits.max_connections (lowered to fit the descriptor limit)
  size_t max_per_peer = 1024;  // limits.max_connections_per_peer
  // Waited after a failed accept before the next one.
  std::chrono::milliseconds accept_backoff{100};
  // A repeated accept failure is logged at most once per interval (with its count).
  std::chrono::seconds log_interval{10};
};

template <typename Conn>
class Listener {
 public:
  using Make = std::function<std::shared_ptr<Conn>(IoSocket)>;

  // `what` names the listener in logs ("tcp", "http"); `reject` is written to a
  // connection accepted past a cap before it is closed.
  Listener(IoPool& io, std::string_view what, Make make, ConnectionCaps caps = {},
           std::string reject = {})
      : io_(io),
        acceptor_(boost::asio::make_strand(io.First())),  // accept, its handler, close() in turn
        backoff_(acceptor_.get_executor()),
        what_(what),
        make_(std::move(make)),
        caps_(caps),
        reject_(std::make_shared<const std::string>(std::move(reject))) {}

  // Binds and listens; returns the bound endpoint (port 0 picks a free one).
  Result<boost::asio::ip::tcp::endpoint> Listen(const Endpoint& at) {
    return ListenOn(acceptor_, at);
  }
  void Start() { Accept(); }

  // Stops accepting and stops every open connection. Any thread.
  void Stop() {
    std::vector<Entry> open;
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
      open.swap(conns_);
    }
    boost::asio::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ec;
      backoff_.cancel();
      acceptor_.close(ec);
    });
    for (auto& e : open) {
      if (auto c = e.conn.lock()) c->Stop();
    }
  }

  // Open connections now (any thread): for tests and logs.
  size_t open_connections() {
    std::lock_guard lock(mu_);
    std::erase_if(conns_, [](const Entry& e) { return e.conn.expired(); });
    return conns_.size();
  }

 private:
  struct Entry {
    std::weak_ptr<Conn> conn;
    std::string peer;
  };

  void Accept() {
    acceptor_.async_accept(io_.Next().get_executor(), [this](const boost::system::error_code& ec,
                                                             IoSocket socket) {
      {
        std::lock_guard lock(mu_);
        if (stopped_) return;
      }
      if (ec) {
        if (ec == boost::asio::error::operation_aborted) return;
        return AcceptFailed(ec);
      }
      failures_ = 0;
      boost::system::error_code peer_ec;
      auto remote = socket.remote_endpoint(peer_ec);
      std::string peer = peer_ec ? std::string("unknown") : remote.address().to_string();
      if (std::string why = OverCap(peer); !why.empty()) {
        Reject(std::move(socket), peer, why);
      } else {
        auto conn = make_(std::move(socket));
        std::lock_guard lock(mu_);
        if (stopped_) return;  // Stop() ran since the check above: it would never stop this one
        conns_.push_back({conn, std::move(peer)});
        conn->Start();
      }
      Accept();
    });
  }

  // Empty when `peer` may have one more connection; else why not.
  std::string OverCap(const std::string& peer) {
    std::lock_guard lock(mu_);
    std::erase_if(conns_, [](const Entry& e) { return e.conn.expired(); });
    if (conns_.size() >= caps_.max_total) {
      return fmt::format("{} connections open, the limit (limits.max_connections)",
                         conns_.size());
    }
    size_t mine = 0;
    for (const auto& e : conns_) mine += e.peer == peer;
    if (mine >= caps_.max_per_peer) {
      return fmt::format("{} connections open from {}, the limit per peer "
                         "(limits.max_connections_per_peer)", mine, peer);
    }
    return {};
  }

  // Writes the `unavailable` answer (best effort, bounded by the socket's buffer) and closes.
  void Reject(IoSocket socket, const std::string& peer, const std::string& why) {
    LogLimited(rejected_log_, fmt::format("{} connection from {} refused: {}", what_, peer, why));
    auto s = std::make_shared<IoSocket>(std::move(socket));
    boost::asio::post(s->get_executor(), [s, reject = reject_] {
      boost::system::error_code ec;
      s->non_blocking(true, ec);
      if (!reject->empty()) s->write_some(boost::asio::buffer(*reject), ec);
      s->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      s->close(ec);
    });
  }

  // Out of descriptors (EMFILE/ENFILE), or another failure: wait, then accept again.
  void AcceptFailed(const boost::system::error_code& ec) {
    ++failures_;
    LogLimited(failed_log_, fmt::format("{} accept failed: {} ({} in a row); retrying every {} ms",
                                        what_, ec.message(), failures_,
                                        caps_.accept_backoff.count()));
    backoff_.expires_after(caps_.accept_backoff);
    backoff_.async_wait([this](const boost::system::error_code& wait_ec) {
      if (wait_ec) return;
      {
        std::lock_guard lock(mu_);
        if (stopped_) return;
      }
      Accept();
    });
  }

  struct LogState {
    std::chrono::steady_clock::time_point last{};
    int64_t suppressed = 0;
  };
  // On the acceptor's strand only.
  void LogLimited(LogState& state, const std::string& line) {
    const auto now = std::chrono::steady_clock::now();
    if (state.last != std::chrono::steady_clock::time_point{} && now - state.last < caps_.log_interval) {
      ++state.suppressed;
      return;
    }
    if (state.suppressed > 0) {
      spdlog::warn("{} (and {} more like it in the last {} s)", line, state.suppressed,
                   caps_.log_interval.count());
    } else {
      spdlog::warn("{}", line);
    }
    state.last = now;
    state.suppressed = 0;
  }

  IoPool& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;  // on the acceptor's strand
  std::string_view what_;
  Make make_;
  ConnectionCaps caps_;
  std::shared_ptr<const std::string> reject_;
  int64_t failures_ = 0;             // acceptor strand
  LogState failed_log_, rejected_log_;  // acceptor strand
  std::mutex mu_;
  std::vector<Entry> conns_;  // guarded by mu_
  bool stopped_ = false;      // guarded by mu_
};

}  // namespace kyc
