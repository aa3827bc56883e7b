// An acceptor and the registry of the connections it made, shared by the TCP command
// server and the REST gateway: each accepted socket is placed on the next I/O context in
// turn (IoPool::Next) and stays there; Stop closes the acceptor and asks every open
// connection to finish gracefully.
//
// `Conn` is created with `make(socket)` and needs `void Start()` and `void Stop()`
// (callable from any thread: read nothing more, answer what is in flight, close).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "net/endpoint.h"
#include "net/io_pool.h"

namespace kyc {

// A socket bound to one I/O context's executor: no strand object and no type-erased
// executor on any completion, since exactly one thread runs that context.
using IoSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp,
                                                  boost::asio::io_context::executor_type>;

template <typename Conn>
class Listener {
 public:
  using Make = std::function<std::shared_ptr<Conn>(IoSocket)>;

  // `what` names the listener in logs ("tcp", "http").
  Listener(IoPool& io, std::string_view what, Make make)
      : io_(io),
        acceptor_(boost::asio::make_strand(io.First())),  // accept, its handler, close() in turn
        what_(what),
        make_(std::move(make)) {}

  // Binds and listens; returns the bound endpoint (port 0 picks a free one).
  Result<boost::asio::ip::tcp::endpoint> Listen(const Endpoint& at) {
    return ListenOn(acceptor_, at);
  }
  void Start() { Accept(); }

  // Stops accepting and stops every open connection. Any thread.
  void Stop() {
    std::vector<std::weak_ptr<Conn>> open;
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
      open.swap(conns_);
    }
    boost::asio::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
    });
    for (auto& w : open) {
      if (auto c = w.lock()) c->Stop();
    }
  }

 private:
  void Accept() {
    acceptor_.async_accept(io_.Next().get_executor(), [this](const boost::system::error_code& ec,
                                                             IoSocket socket) {
      {
        std::lock_guard lock(mu_);
        if (stopped_) return;
      }
      if (ec) {
        if (ec == boost::asio::error::operation_aborted) return;
        spdlog::warn("{} accept: {}", what_, ec.message());
      } else {
        auto conn = make_(std::move(socket));
        std::lock_guard lock(mu_);
        if (stopped_) return;  // Stop() ran since the check above: it would never stop this one
        std::erase_if(conns_, [](const auto& w) { return w.expired(); });
        conns_.push_back(conn);
        conn->Start();
      }
      Accept();
    });
  }

  IoPool& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::string_view what_;
  Make make_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Conn>> conns_;  // guarded by mu_
  bool stopped_ = false;                    // guarded by mu_
};

}  // namespace kyc
