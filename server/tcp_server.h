// The TCP acceptor of the command protocol and the registry of its connections, so a
// graceful stop can drain every one.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/config.h"
#include "server/connection.h"
#include "server/io_pool.h"

namespace kyc {

class TcpServer {
 public:
  TcpServer(IoPool& io, Dispatcher& dispatcher, const ConnectionOptions& options);

  // Binds and listens; returns the bound endpoint (port 0 picks a free one).
  Result<boost::asio::ip::tcp::endpoint> Listen(const Endpoint& at);
  void Start();
  // Stops accepting and drains every open connection.
  void Stop();

 private:
  void Accept();

  IoPool& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Dispatcher& dispatcher_;
  ConnectionOptions options_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Connection>> connections_;  // guarded by mu_
  bool stopped_ = false;                                // guarded by mu_
};

// Binds and listens on `at` (shared by the TCP and HTTP listeners).
Result<boost::asio::ip::tcp::endpoint> ListenOn(boost::asio::ip::tcp::acceptor& acceptor,
                                                const Endpoint& at);

}  // namespace kyc
