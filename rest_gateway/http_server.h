// The REST gateway: HTTP/1.1 (Boost.Beast) with keep-alive, routed by the command table
// onto the same Dispatcher as TCP. Beast stays inside http_server.cpp.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "handlers/dispatch.h"
#include "net/endpoint.h"
#include "net/io_pool.h"
#include "net/listener.h"

namespace kyc {

struct HttpOptions {
  size_t body_limit = 1 << 20;  // JSON bodies: 413 above this
  size_t upload_body_limit = (10u << 20) + (64u << 10);  // POST /upload: file + multipart framing
  int64_t idle_timeout = 300;   // seconds a keep-alive connection may sit idle
  int64_t header_timeout = 30;  // seconds a request's header has from its first byte
  ConnectionCaps caps;          // connections in total and per peer
  std::string reject;           // written to a connection past a cap (a 503)
  // metrics.listen (issue 18): this listener answers GET /metrics alone, without a token
  // (the operator decides who reaches its address), and 404 to everything else.
  bool metrics_only = false;
};

class HttpServer {
 public:
  HttpServer(IoPool& io, Dispatcher& dispatcher, const HttpOptions& options);
  ~HttpServer();

  Result<boost::asio::ip::tcp::endpoint> Listen(const Endpoint& at);
  void Start();
  // Stops accepting; open connections finish the request they are on, then close.
  void Stop();
  size_t open_connections();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kyc
