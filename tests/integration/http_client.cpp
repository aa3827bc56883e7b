#include "tests/integration/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace kyc::itest {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buf_.clear();
}

bool HttpClient::EnsureConnected(std::string* error) {
  if (fd_ >= 0) return true;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    *error = fmt::format("socket: {}", std::strerror(errno));
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  if (inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *error = fmt::format("connect {}:{}: {}", host_, port_, std::strerror(errno));
    Close();
    return false;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ++connections_opened_;
  return true;
}

bool HttpClient::SendAll(std::string_view bytes, std::string* error) {
  while (!bytes.empty()) {
    pollfd p{fd_, POLLOUT, 0};
    int r = ::poll(&p, 1, timeout_ms);
    if (r == 0) {
      *error = "send timed out";
      return false;
    }
    if (r < 0 && errno == EINTR) continue;
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      *error = fmt::format("send: {}", std::strerror(errno));
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool HttpClient::ReadMore(std::string* error, bool* eof) {
  *eof = false;
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, timeout_ms);
    if (r == 0) {
      *error = "read timed out";
      return false;
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      *error = fmt::format("poll: {}", std::strerror(errno));
      return false;
    }
    char chunk[64 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      *error = fmt::format("recv: {}", std::strerror(errno));
      return false;
    }
    if (n == 0) {
      *eof = true;
      return true;
    }
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

HttpResponse HttpClient::ReadResponse() {
  HttpResponse res;
  bool eof = false;
  size_t header_end;
  while ((header_end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(&res.error, &eof)) {
      Close();
      return res;
    }
    if (eof) {
      res.error = "connection closed before a response";
      Close();
      return res;
    }
  }
  std::string_view head(buf_.data(), header_end);
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  auto sp = status_line.find(' ');
  if (status_line.rfind("HTTP/1.", 0) != 0 || sp == std::string_view::npos) {
    res.error = fmt::format("bad status line '{}'", status_line);
    Close();
    return res;
  }
  int status = std::atoi(std::string(status_line.substr(sp + 1, 3)).c_str());
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    size_t e = rest.find("\r\n");
    std::string_view line = rest.substr(0, e);
    rest = e == std::string_view::npos ? "" : rest.substr(e + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    res.headers[Lower(Trim(line.substr(0, colon)))] = std::string(Trim(line.substr(colon + 1)));
  }
  buf_.erase(0, header_end + 4);

  const bool close = Lower(res.Header("connection")) == "close";
  const std::string length = res.Header("content-length");
  if (!length.empty()) {
    size_t n = std::stoul(length);
    while (buf_.size() < n) {
      if (!ReadMore(&res.error, &eof)) {
        Close();
        return res;
      }
      if (eof) {
        res.error = "connection closed inside the body";
        Close();
        return res;
      }
    }
    res.body = buf_.substr(0, n);
    buf_.erase(0, n);
  } else {
    // No length: the body runs to the end of the connection (the gateway always sends
    // Content-Length, so this is only a fallback).
    while (true) {
      if (!ReadMore(&res.error, &eof)) {
        Close();
        return res;
      }
      if (eof) break;
    }
    res.body = std::move(buf_);
    buf_.clear();
  }
  res.status = status;
  if (close || length.empty()) Close();
  return res;
}

HttpResponse HttpClient::Request(std::string_view method, std::string_view target,
                                 std::string_view body,
                                 const std::map<std::string, std::string>& headers) {
  std::string req = fmt::format("{} {} HTTP/1.1\r\nHost: {}:{}\r\nAccept: application/json\r\n",
                                method, target, host_, port_);
  if (!token_.empty()) req += fmt::format("Authorization: Bearer {}\r\n", token_);
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    if (Lower(k) == "content-type") has_type = true;
    req += fmt::format("{}: {}\r\n", k, v);
  }
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    if (!has_type) req += "Content-Type: application/json\r\n";
    req += fmt::format("Content-Length: {}\r\n", body.size());
  }
  req += "\r\n";
  req += body;
  return RawRequest(req);
}

HttpResponse HttpClient::RawRequest(std::string_view bytes) {
  HttpResponse res;
  if (!EnsureConnected(&res.error)) return res;
  std::string send_error;
  if (!SendAll(bytes, &send_error)) {
    // The server may answer (413) and stop reading before the whole body is sent: the
    // answer is still readable, so read it before giving up.
    HttpResponse r = ReadResponse();
    if (r.status == 0) r.error = send_error + "; then " + r.error;
    return r;
  }
  return ReadResponse();
}

}  // namespace kyc::itest
