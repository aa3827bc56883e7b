#include "handlers/dispatch.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace kyc {
namespace {

Response ErrorResponse(Status s) {
  Response r;
  r.SetText(s.ToJson());
  r.status = std::move(s);
  return r;
}

// Runs a handler; one catch so that no exception crosses the handler boundary.
Result<std::string> RunHandler(const CommandSpec& spec, Call& call) {
  try {
    return spec.handler(call);
  } catch (const std::exception& e) {
    spdlog::error("{} threw: {}", spec.name, e.what());
    return Error(Code::kInternal, "{} failed: internal error", spec.name);
  } catch (...) {
    spdlog::error("{} threw a non-exception", spec.name);
    return Error(Code::kInternal, "{} failed: internal error", spec.name);
  }
}

WriterQueue& WriterFor(Core& core, BaseId base) {
  switch (base) {
    case BaseId::kStaff: return core.staff().writer();
    case BaseId::kStorage: return core.storage().writer();
    default: return core.kyc().writer();
  }
}

}  // namespace

Actor Call::actor() const {
  if (!session) return Actor{"system", std::nullopt, ""};
  if (session->type == SessionType::kClient) {
    return Actor{"client", session->customer_id, std::string(SessionTypeName(session->type))};
  }
  return Actor{"staff", session->manager_id, std::string(SessionTypeName(session->type))};
}

Response MakeResponse(Result<std::string> r, Call* call) {
  if (!r.ok()) return ErrorResponse(r.status());
  Response resp;
  if (call && call->shared_result && r->empty()) {
    resp.ShareText(std::move(call->shared_result));
  } else {
    resp.SetText(std::move(r.value()));
  }
  if (call) {
    resp.attach = std::move(call->attach);
    resp.detach = call->detach;
  }
  return resp;
}

Status Dispatcher::CheckAccess(const CommandSpec& spec, const SessionPtr& session) const {
  if (spec.access == kNoSession) return Status::Ok();
  if (!session || !session->AliveAt(core_.clock().Now())) {
    return Error(Code::kUnauthorized, "{} needs a session: log in first (or the session expired)",
                 spec.name);
  }
  if (!Allows(spec.access, session->type)) {
    return Error(Code::kForbidden, "{} may not call {}", SessionTypeName(session->type), spec.name);
  }
  return Status::Ok();
}

std::optional<Response> Dispatcher::DispatchInline(const Request& req) {
  const CommandSpec* spec = FindCommand(req.command);
  if (spec && !RunsInline(*spec)) return std::nullopt;
  if (!spec) return ErrorResponse(Error(Code::kUnknownCommand, "unknown command '{}'", req.command));
  if (Status s = CheckAccess(*spec, req.session); !s.ok()) return ErrorResponse(std::move(s));
  std::optional<Result<Params>> parsed;
  if (!req.params) {
    parsed.emplace(ParseParams(req.json, core_.options().max_json_depth));
    if (!parsed->ok()) return ErrorResponse(parsed->status());
  }
  const Params& params = req.params ? *req.params : parsed->value();
  Call call{core_, req.session.get(), params, req.peer, nullptr, core_.clock().Now()};
  call.upload = req.upload.get();
  auto r = RunHandler(*spec, call);
  return MakeResponse(std::move(r), &call);
}

void Dispatcher::Dispatch(Request req, Completion done) {
  if (auto answer = DispatchInline(req)) return done(std::move(*answer));

  // A write or slow work: the same checks, then the handler runs on its base's writer
  // strand or on the blocking pool, and its state travels with it.
  const CommandSpec* spec = FindCommand(req.command);
  if (Status s = CheckAccess(*spec, req.session); !s.ok()) return done(ErrorResponse(std::move(s)));
  Params params;
  if (req.params) {
    params = std::move(*req.params);
  } else {
    auto parsed = ParseParams(req.json, core_.options().max_json_depth);
    if (!parsed.ok()) return done(ErrorResponse(parsed.status()));
    params = std::move(parsed.value());
  }

  // Work that leaves this thread takes its state along.
  struct State {
    Params params;
    SessionPtr session;
    std::string peer;
    std::shared_ptr<const Upload> upload;
  };
  auto state = std::make_shared<State>(
      State{std::move(params), req.session, std::move(req.peer), std::move(req.upload)});
  auto make_call = [this, state](WriteBatch* batch) {
    Call call{core_, state->session.get(), state->params, state->peer, batch, core_.clock().Now()};
    call.upload = state->upload.get();
    return call;
  };

  if (spec->flags & kWrite) {
    auto call = std::make_shared<Call>(make_call(nullptr));
    WriterFor(core_, spec->base).Submit(
        [spec, call, state](WriteBatch& batch) {
          call->batch = &batch;
          call->now = call->core.clock().Now();
          return RunHandler(*spec, *call);
        },
        [call, state, done = std::move(done)](Result<std::string> r) {
          done(MakeResponse(std::move(r), call.get()));
        });
    return;
  }
  boost::asio::post(core_.blocking(), [spec, state, make_call, done = std::move(done)] {
    Call call = make_call(nullptr);
    auto r = RunHandler(*spec, call);
    done(MakeResponse(std::move(r), &call));
  });
}

}  // namespace kyc
