// The one dispatch both transports call. Checks run in a fixed order, each an error
// value: unknown command → no session → session type → params → handler.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "handlers/command_table.h"
#include "handlers/core.h"

namespace kyc {

struct Request {
  std::string_view command;
  // Params: either JSON text (TCP), parsed here after the access checks, or params the
  // REST gateway already merged from path, query and body.
  std::string_view json;
  std::optional<Params> params;
  SessionPtr session;  // the connection's or the bearer token's session, may be null
  std::string peer;
  std::shared_ptr<const Upload> upload;  // POST /upload: the file
};

struct Response {
  Status status;
  SessionPtr attach; // TCP: bind the connection to this session
  bool detach = false;

  // The JSON answer: the result when ok, else the error. Either owned, or shared with a
  // cache (a rendered profile), which saves a 2 KiB allocation and copy per read.
  std::string_view text() const { return shared_ ? std::string_view(*shared_) : std::string_view(owned_); }
  std::string TakeText() { return shared_ ? std::string(*shared_) : std::move(owned_); }
  void SetText(std::string text) {
    owned_ = std::move(text);
    shared_.reset();
  }
  void ShareText(std::shared_ptr<const std::string> text) {
    shared_ = std::move(text);
    owned_.clear();
  }

 private:
  std::string owned_;
  std::shared_ptr<const std::string> shared_;
};

// Called exactly once, possibly on another thread (a writer strand or the blocking pool).
using Completion = std::function<void(Response)>;

class Dispatcher {
 public:
  explicit Dispatcher(Core& core) : core_(core) {}

  // Never throws; every failure becomes an error Response.
  void Dispatch(Request request, Completion done);

  // The fast path for transports that can take an answer at once: when the request needs
  // no other thread (an unknown command, a failed check, a read), runs it here and returns
  // its answer; `request` is only read. Otherwise returns nullopt: call Dispatch.
  std::optional<Response> DispatchInline(const Request& request);

  // The access checks alone (no session → unauthorized; wrong type → forbidden), for the
  // REST gateway to refuse a request before it reads a large body.
  Status CheckAccess(const CommandSpec& spec, const SessionPtr& session) const;

  Core& core() { return core_; }

 private:
  Core& core_;
};

// Turns a handler result into a Response, carrying the call's session effects.
Response MakeResponse(Result<std::string> r, Call* call);

}  // namespace kyc
