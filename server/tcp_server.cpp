#include "server/tcp_server.h"

#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

namespace kyc {

namespace asio = boost::asio;
using asio::ip::tcp;

Result<tcp::endpoint> ListenOn(tcp::acceptor& acceptor, const Endpoint& at) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(at.host == "localhost" ? "127.0.0.1" : at.host, ec);
  if (ec) return Error(Code::kBadRequest, "bad listen address '{}': {}", at.host, ec.message());
  tcp::endpoint ep(address, at.port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(Code::kInternal, "cannot listen on {}:{}: {}", at.host, at.port, ec.message());
  return acceptor.local_endpoint();
}

TcpServer::TcpServer(IoPool& io, Dispatcher& dispatcher, const ConnectionOptions& options)
    : io_(io),
      acceptor_(boost::asio::make_strand(io.First())),  // accept, its handler and close() in turn
      dispatcher_(dispatcher),
      options_(options) {}

Result<tcp::endpoint> TcpServer::Listen(const Endpoint& at) { return ListenOn(acceptor_, at); }

void TcpServer::Start() { Accept(); }

void TcpServer::Accept() {
  // A connection starts gathered (server/placement.h); it spreads if its client pipelines.
  acceptor_.async_accept(io_.Gather().get_executor(), [this](const boost::system::error_code& ec,
                                                           Connection::Socket socket) {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
    }
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      spdlog::warn("tcp accept: {}", ec.message());
    } else {
      auto conn = std::make_shared<Connection>(std::move(socket), io_, dispatcher_, options_);
      std::lock_guard lock(mu_);
      if (stopped_) return;  // Stop() ran since the check above: it would never drain this one
      std::erase_if(connections_, [](const auto& w) { return w.expired(); });
      connections_.push_back(conn);
      conn->Start();
    }
    Accept();
  });
}

void TcpServer::Stop() {
  std::vector<std::weak_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    open.swap(connections_);
  }
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
  for (auto& w : open) {
    if (auto c = w.lock()) c->Drain();
  }
}

}  // namespace kyc
