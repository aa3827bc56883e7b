#include "rest_gateway/http_client.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace kyc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

bool IsPrivate(const asio::ip::address& a) {
  if (a.is_loopback() || a.is_unspecified() || a.is_multicast()) return true;
  if (a.is_v4()) return IsPrivateIpv4(a.to_v4().to_uint());
  const auto v6 = a.to_v6();
  if (v6.is_link_local() || v6.is_site_local() || v6.is_v4_mapped()) return true;
  const auto b = v6.to_bytes();
  // IPv4 inside IPv6 (NAT64 64:ff9b::/96, 6to4 2002::/16): refused rather than unwrapped.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return true;
  if (b[0] == 0x20 && b[1] == 0x02) return true;
  return (b[0] & 0xfe) == 0xfc;  // unique local fc00::/7
}

}  // namespace

PostResult HttpPostOnce(const WebhookUrl& url, const HttpHeaders& headers, const std::string& body,
                        const HttpPostOptions& options) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.port == "80" ? url.host : url.host + ":" + url.port);
  req.set(http::field::user_agent, "kyc-manager-webhooks");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);  // the receiver's answer is not read beyond its status
  PostResult out;
  asio::steady_timer* ends = nullptr;  // the deadline, cancelled once the exchange failed
  auto fail = [&](std::string what, const boost::system::error_code& ec) {
    if (out.error.empty()) out.error = ec ? what + ": " + ec.message() : what;
    if (ends) ends->cancel();
  };
  // The stream's deadline covers connect, send and answer; this one covers the resolve too.
  asio::steady_timer deadline(ioc, options.timeout);
  ends = &deadline;
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the exchange ended first
    resolver.cancel();
    stream.cancel();
    if (out.error.empty() && !out.status) out.error = "no answer within the timeout";
  });
  stream.expires_after(options.timeout);
  resolver.async_resolve(url.host, url.port, [&](const boost::system::error_code& ec,
                                                 tcp::resolver::results_type results) {
    if (ec) return fail("cannot resolve " + url.host, ec);
    if (options.deny_private) {
      for (const auto& entry : results) {
        if (IsPrivate(entry.endpoint().address())) {
          return fail(url.host + " resolves to a loopback or private address (" +
                          entry.endpoint().address().to_string() +
                          "), which webhooks.deny_private refuses",
                      {});
        }
      }
    }
    stream.async_connect(results, [&](const boost::system::error_code& ec, const tcp::endpoint&) {
      if (ec) return fail("cannot connect to " + url.host + ":" + url.port, ec);
      http::async_write(stream, req, [&](const boost::system::error_code& ec, size_t) {
        if (ec) return fail("sending", ec);
        http::async_read(stream, buffer, parser, [&](const boost::system::error_code& ec, size_t) {
          if (ec && ec != http::error::body_limit) return fail("reading the answer", ec);
          out.status = static_cast<int>(parser.get().result_int());
          deadline.cancel();
        });
      });
    });
  });
  ioc.run();
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

}  // namespace kyc
