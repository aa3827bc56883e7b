#include "cli/tcp_client.h"

#include <deque>

#include <poll.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace kyc {

namespace asio = boost::asio;
using asio::ip::tcp;

struct TcpClient::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  std::string buf;  // bytes received and not yet decoded
  std::deque<Reply> events;  // event frames read while waiting for a response
  int timeout_ms = -1;  // for reads; -1 waits forever
};

TcpClient::TcpClient() : impl_(std::make_unique<Impl>()) {}
TcpClient::~TcpClient() = default;

Status TcpClient::Connect(const std::string& host, uint16_t port, int timeout_seconds) {
  boost::system::error_code ec;
  tcp::resolver resolver(impl_->io);
  auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return Error(Code::kUnavailable, "cannot resolve {}: {}", host, ec.message());
  asio::connect(impl_->socket, endpoints, ec);
  if (ec) return Error(Code::kUnavailable, "cannot connect to {}:{}: {}", host, port, ec.message());
  impl_->socket.set_option(tcp::no_delay(true), ec);
  // Asio's blocking reads retry a timed-out recv() with an unbounded poll(), so
  // SO_RCVTIMEO alone never fires: ReadReply() polls with this timeout itself.
  impl_->timeout_ms = timeout_seconds > 0 ? timeout_seconds * 1000 : -1;
  struct timeval tv{timeout_seconds, 0};
  setsockopt(impl_->socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(impl_->socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return Status::Ok();
}

Status TcpClient::SendRaw(std::string_view bytes) {
  boost::system::error_code ec;
  asio::write(impl_->socket, asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec) return Error(Code::kUnavailable, "send failed: {}", ec.message());
  return Status::Ok();
}

Result<Reply> TcpClient::ReadFrame() {
  while (true) {
    DecodeResult d = DecodeFrame(impl_->buf, FrameLimits{64u << 20});
    if (d.state == DecodeState::kError) {
      return Error(Code::kUnavailable, "bad response frame: {}", d.error.message());
    }
    if (d.state == DecodeState::kFrame) {
      Reply r;
      r.code = CodeFromFrameStatus(d.frame.status);
      r.name = std::string(d.frame.name);
      r.request_id = d.frame.request_id;
      r.body = d.frame.json.empty() ? "{}" : std::string(d.frame.json);
      r.event = d.frame.kind == FrameKind::kEvent;
      impl_->buf.erase(0, d.consumed);
      return r;
    }
    pollfd p{impl_->socket.native_handle(), POLLIN, 0};
    int ready = ::poll(&p, 1, impl_->timeout_ms);
    if (ready == 0) {
      return Error(Code::kUnavailable, "no response within {} ms", impl_->timeout_ms);
    }
    if (ready < 0 && errno != EINTR) {
      return Error(Code::kUnavailable, "poll failed: {}", std::strerror(errno));
    }
    char chunk[64 * 1024];
    boost::system::error_code ec;
    size_t n = impl_->socket.read_some(asio::buffer(chunk), ec);
    if (ec) return Error(Code::kUnavailable, "connection lost: {}", ec.message());
    impl_->buf.append(chunk, n);
  }
}

Result<Reply> TcpClient::ReadReply() {
  while (true) {
    auto r = ReadFrame();
    if (!r.ok() || !r->event) return r;
    impl_->events.push_back(std::move(r.value()));  // kept for ReadEvent
  }
}

Result<Reply> TcpClient::ReadEvent() {
  if (!impl_->events.empty()) {
    Reply e = std::move(impl_->events.front());
    impl_->events.pop_front();
    return e;
  }
  auto r = ReadFrame();
  if (r.ok() && !r->event) {
    return Error(Code::kUnavailable, "a response ({}) while waiting for an event", r->name);
  }
  return r;
}

Result<Reply> TcpClient::Call(std::string_view command, std::string_view json) {
  uint32_t id = next_id_++;
  if (Status s = SendRaw(EncodeFrame(id, FrameKind::kRequest, 0, command, json)); !s.ok()) return s;
  auto r = ReadReply();
  if (r.ok() && r->request_id != id) {
    return Error(Code::kUnavailable, "response for request {} while waiting for {}",
                 r->request_id, id);
  }
  return r;
}

bool TcpClient::ClosedByPeer(int timeout_ms) {
  pollfd p{impl_->socket.native_handle(), POLLIN, 0};
  auto deadline = timeout_ms;
  while (poll(&p, 1, deadline) > 0) {
    char chunk[4096];
    ssize_t n = ::recv(p.fd, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
  return false;
}

void TcpClient::Close() {
  boost::system::error_code ec;
  impl_->socket.close(ec);
}

}  // namespace kyc
