// The one dispatch both transports call. A request arrives resolved: the transport looked
// its command up once (FindCommand for TCP, the router for REST) and every later step
// reads that row. Checks run in a fixed order, each an error value: unknown command → no
// session → session type → params → handler. Where the handler runs is the row's flags:
// a read on the calling thread, kSlow on the blocking pool, kWrite on its base's writer
// strand (kWrite | kSlow: the prepare stage on the blocking pool first).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/command_table.h"
#include "core/core.h"

namespace kyc {

struct Request {
  const CommandSpec* spec = nullptr;  // the row, from the transport's one lookup; null: unknown
  std::string_view command;           // the name as sent, for the unknown_command message
  // Params: either JSON text (TCP), parsed here after the access checks, or params the
  // REST gateway already merged from path, query and body.
  std::string_view json;
  std::optional<Params> params;
  SessionPtr session;  // the connection's or the bearer token's session, may be null
  // The transport already ran CheckAccess for this request (REST does, before it reads
  // the body): the dispatcher checks only that the session is still alive.
  bool access_checked = false;
  // The REST gateway sets this: kRawBody rows are HTTP only, kSubscription rows TCP only.
  bool http = false;
  // Subscribe / Unsubscribe read the connection's current filter (TCP).
  const EventFilter* subscription = nullptr;
  std::string peer;
  std::shared_ptr<const Upload> upload;  // POST /upload: the file
  std::shared_ptr<const SignedBody> signed_body;  // kSigned routes: the raw body, X-Signature
};

struct Response {
  Status status;
  SessionPtr attach; // TCP: bind the connection to this session
  bool detach = false;
  std::optional<EventFilter> subscription;  // TCP: the connection's events from now on
  std::string content_type;         // kRawBody rows: the bytes' type (empty: JSON)
  std::string content_disposition;  // kRawBody rows: e.g. inline; filename="…"

  // The JSON answer: the result when ok, else the error. Either owned, or shared with a
  // cache (a rendered profile), which saves a 2 KiB allocation and copy per read. Both
  // transports send text() as it is, with no copy of their own.
  std::string_view text() const { return shared_ ? std::string_view(*shared_) : std::string_view(owned_); }
  void SetText(std::string text) {
    owned_ = std::move(text);
    shared_.reset();
  }
  // The shared text, when the answer is one (null when owned).
  const std::shared_ptr<const std::string>& shared() const { return shared_; }
  void ShareText(std::shared_ptr<const std::string> text) {
    shared_ = std::move(text);
    owned_.clear();
  }

 private:
  std::string owned_;
  std::shared_ptr<const std::string> shared_;
};

// An error Response: the status and its JSON text.
Response ErrorResponse(Status s);

// Called exactly once, possibly on another thread (a writer strand or the blocking pool).
using Completion = std::function<void(Response)>;

class Dispatcher {
 public:
  // Resolves each kWrite row's writer queue once; see CheckTable.
  explicit Dispatcher(Core& core);

  // Start-up check: every kWrite row names a base with a writer queue. internal naming the
  // row otherwise (the server refuses to start rather than write to the wrong base).
  Status CheckTable() const;

  // Never throws; every failure becomes an error Response.
  void Dispatch(Request request, Completion done);

  // The fast path for transports that can take an answer at once: when the request needs
  // no other thread (an unknown command, a failed check, a read), runs it here and returns
  // its answer; `request` is only read. Otherwise returns nullopt: call Dispatch.
  std::optional<Response> DispatchInline(const Request& request);

  // The access checks alone (no session → unauthorized; wrong type → forbidden), for the
  // REST gateway to refuse a request before it reads a large body (it then sets
  // Request::access_checked).
  Status CheckAccess(const CommandSpec& spec, const SessionPtr& session) const;

  Core& core() { return core_; }

 private:
  // The checks of a request: CheckAccess, or, when the transport already ran it, only that
  // the session is still alive (it may have been revoked while an HTTP body was read).
  Status CheckRequest(const Request& req) const;
  // unauthorized when a command that needs a session has one that ended since.
  Status CheckStillAlive(const CommandSpec& spec, const Session* session) const;
  // forbidden when a client session's account status does not permit the row's operation.
  Status CheckClientAccount(const CommandSpec& spec, const Session& session) const;
  // A write on its strand: the account status and the four-eyes check again (the state
  // may have moved while the write waited), then the handler.
  Result<std::string> RunWrite(const CommandSpec& spec, Call& call);

  Core& core_;
  std::vector<WriterQueue*> writers_;  // by row (IndexOf); null for rows that do not write
};

// Four eyes (issue 15): whether this staff call of a kWrite row needs a second person
// (its row's check, or the config's approvals.require), and what its request shows.
// bad_request when such a call carries a password or a file.
Result<std::optional<ApprovalNeed>> NeedsApproval(const CommandSpec& spec, const Call& call);

// Turns a handler result into a Response, carrying the call's session effects.
Response MakeResponse(Result<std::string> r, Call* call);

}  // namespace kyc
