// A minimal blocking HTTP/1.1 client for the REST gateway tests: raw sockets with
// bounded waits, one keep-alive connection reused across requests, Bearer tokens.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace kyc::itest {

struct HttpResponse {
  int status = 0;                              // 0: no response (transport error)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string error;  // transport error, when status is 0

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}
  ~HttpClient() { Close(); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sent as `Authorization: Bearer <token>` when not empty.
  void set_token(std::string token) { token_ = std::move(token); }

  // One request on the kept-alive connection (opened when there is none). A body is sent
  // with Content-Type application/json unless `headers` names another. Waits are bounded
  // by `timeout_ms` per read or write.
  HttpResponse Request(std::string_view method, std::string_view target, std::string_view body = {},
                       const std::map<std::string, std::string>& headers = {});
  // Sends raw request bytes (the caller frames them) and reads one response.
  HttpResponse RawRequest(std::string_view bytes);

  // How many TCP connections this client has opened so far.
  int connections_opened() const { return connections_opened_; }
  bool connected() const { return fd_ >= 0; }
  void Close();

  int timeout_ms = 15000;

 private:
  bool EnsureConnected(std::string* error);
  bool SendAll(std::string_view bytes, std::string* error);
  // Appends one chunk of received bytes to `buf_` (or sets *eof).
  bool ReadMore(std::string* error, bool* eof);
  HttpResponse ReadResponse();

  std::string host_;
  uint16_t port_;
  std::string token_;
  int fd_ = -1;
  int connections_opened_ = 0;
  std::string buf_;  // received, not yet consumed
};

}  // namespace kyc::itest
