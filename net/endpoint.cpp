#include "net/endpoint.h"

#include <charconv>

namespace kyc {

namespace asio = boost::asio;
using asio::ip::tcp;

Result<Endpoint> ParseEndpoint(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Error(Code::kBadRequest, "address '{}' must be HOST:PORT", text);
  }
  Endpoint ep;
  ep.host = std::string(text.substr(0, colon));
  if (ep.host.size() > 2 && ep.host.front() == '[' && ep.host.back() == ']') {
    ep.host = ep.host.substr(1, ep.host.size() - 2);
  }
  std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return Error(Code::kBadRequest, "address '{}' has a bad port", text);
  }
  ep.port = static_cast<uint16_t>(value);
  return ep;
}

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

}  // namespace kyc
