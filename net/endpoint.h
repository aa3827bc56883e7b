// Where a listener binds: "HOST:PORT" parsed, and the bind itself, shared by the TCP
// command listener and the REST gateway.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

#include "protocol/status.h"

namespace kyc {

struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
};
// "HOST:PORT" (port 0 picks a free port; "[::1]:80" for IPv6). bad_request when malformed.
Result<Endpoint> ParseEndpoint(std::string_view text);

// Opens, binds (SO_REUSEADDR) and listens on `at`; returns the bound endpoint. bad_request
// for an address that is not one, internal when the bind or listen fails.
Result<boost::asio::ip::tcp::endpoint> ListenOn(boost::asio::ip::tcp::acceptor& acceptor,
                                                const Endpoint& at);

}  // namespace kyc
