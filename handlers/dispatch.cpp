#include "handlers/dispatch.h"

#include <charconv>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "core/account_txn.h"
#include "core/approvals.h"

namespace kyc {
namespace {

// Runs a handler; one catch so that no exception crosses the handler boundary.
template <typename Fn>
auto Guarded(const CommandSpec& spec, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    spdlog::error("{} threw: {}", spec.name, e.what());
  } catch (...) {
    spdlog::error("{} threw a non-exception", spec.name);
  }
  return Error(Code::kInternal, "{} failed: internal error", spec.name);
}

Result<std::string> RunHandler(const CommandSpec& spec, Call& call) {
  return Guarded(spec, [&]() -> Result<std::string> { return BindingOf(spec).run(call); });
}

Status RunPrepare(const CommandSpec& spec, Call& call) {
  return Guarded(spec, [&]() -> Status { return BindingOf(spec).prepare(call); });
}

// A request that leaves the I/O thread (a write, slow work) takes its state along; the
// Call lives here so a prepare stage's output reaches the write.
struct Work {
  Work(Core& core, Params p, SessionPtr s, std::string from, std::shared_ptr<const Upload> up,
       std::shared_ptr<const SignedBody> signed_body_in)
      : params(std::move(p)),
        session(std::move(s)),
        peer(std::move(from)),
        upload(std::move(up)),
        signed_body(std::move(signed_body_in)),
        call{core, session.get(), params, peer, nullptr, core.clock().Now()} {
    call.upload = upload.get();
    call.signed_body = signed_body.get();
  }
  Params params;
  SessionPtr session;
  std::string peer;
  std::shared_ptr<const Upload> upload;
  std::shared_ptr<const SignedBody> signed_body;
  Call call;
  Completion done;  // a write's: called once, after the commit or the first error

  // Answers a write. Not committed: first undo what the prepare stage left outside the
  // base (the uploaded file).
  void Finish(Result<std::string> r) {
    if (!r.ok() && call.prepared.undo) call.prepared.undo();
    done(MakeResponse(std::move(r), &call));
  }
};

// A command the config lists under approvals.require: what its request shows, from the
// params alone (no target to compare on approval).
ApprovalNeed ListedNeed(const CommandSpec& spec, const Params& params) {
  ApprovalNeed need;
  const auto& doc = params.doc;
  if (doc.HasMember("brand") && doc["brand"].IsString()) need.brand = doc["brand"].GetString();
  if (doc.HasMember("customer_id")) {
    const auto& v = doc["customer_id"];
    if (v.IsInt64()) need.customer_id = v.GetInt64();
    // From a REST path: text.
    if (v.IsString()) {
      int64_t id = 0;
      std::string_view text(v.GetString(), v.GetStringLength());
      if (std::from_chars(text.data(), text.data() + text.size(), id).ec == std::errc()) {
        need.customer_id = id;
      }
    }
  }
  if (doc.HasMember("reason") && doc["reason"].IsString()) need.reason = doc["reason"].GetString();
  std::string shown = ToJsonText(doc);
  if (shown.size() > 200) shown = shown.substr(0, 197) + "...";
  need.summary = fmt::format("{} {}", spec.name, shown);
  return need;
}

}  // namespace

Result<std::optional<ApprovalNeed>> NeedsApproval(const CommandSpec& spec, const Call& call) {
  if (!call.session || !IsStaff(call.session->type) || !(spec.flags & kWrite)) {
    return std::optional<ApprovalNeed>();
  }
  const HandlerBinding& binding = BindingOf(spec);
  std::optional<ApprovalNeed> need;
  if (binding.four_eyes) {
    auto r = Guarded(spec, [&]() -> Result<std::optional<ApprovalNeed>> {
      return binding.four_eyes(call);
    });
    if (!r.ok()) return r.status();
    need = std::move(r.value());
  }
  if (!need) {
    const auto& doc = call.params.doc;
    std::string_view brand = doc.HasMember("brand") && doc["brand"].IsString()
                                 ? std::string_view(doc["brand"].GetString())
                                 : std::string_view();
    if (call.core.options().approvals.Requires(spec.name, brand)) need = ListedNeed(spec, call.params);
  }
  // A request keeps its params until approved: never a password, a secret or a file.
  if (need && (call.params.doc.HasMember("callback_secret") ||
               (binding.has_prepare &&
                (!binding.needs_prepare || binding.needs_prepare(call.params))))) {
    return Error(Code::kBadRequest,
                 "{} needs a second person's approval and cannot carry a password, a secret or a "
                 "file; "
                 "make that change on its own",
                 spec.name);
  }
  return need;
}

Response ErrorResponse(Status s) {
  Response r;
  r.SetText(s.ToJson());
  r.status = std::move(s);
  return r;
}

Actor Call::actor() const {
  if (!session) return Actor{"system", std::nullopt, ""};
  if (session->type == SessionType::kClient) {
    return Actor{"client", session->customer_id, std::string(SessionTypeName(session->type))};
  }
  return Actor{"staff", session->manager_id, std::string(SessionTypeName(session->type)),
               approved_by};
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
    resp.subscription = std::move(call->subscription);
    resp.content_type = std::move(call->content_type);
    resp.content_disposition = std::move(call->content_disposition);
  }
  return resp;
}

Dispatcher::Dispatcher(Core& core) : core_(core), writers_(Commands().size(), nullptr) {
  for (const auto& spec : Commands()) {
    if (spec.flags & kWrite) writers_[IndexOf(spec)] = core_.WriterFor(spec.base);
  }
}

Status Dispatcher::CheckTable() const {
  for (const auto& spec : Commands()) {
    if ((spec.flags & kWrite) && !writers_[IndexOf(spec)]) {
      return Error(Code::kInternal, "command {} writes to a base that has no writer queue",
                   spec.name);
    }
  }
  return Status::Ok();
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
  // Roles (issue 15): one bit of the session, set at login.
  if (IsStaff(session->type) && !Grants(session->permissions, spec.permission)) {
    return Error(Code::kForbidden, "{} needs permission '{}': account '{}' (roles {}) lacks it",
                 spec.name, Name(spec.permission), session->login,
                 session->roles.empty() ? "none" : session->roles);
  }
  return CheckClientAccount(spec, *session);
}

Status Dispatcher::CheckClientAccount(const CommandSpec& spec, const Session& session) const {
  // A client's account status decides what it may do (closed: nothing).
  if (session.type != SessionType::kClient || spec.client_op == AccountOp::kNone ||
      !session.customer_id) {
    return Status::Ok();
  }
  const AccountState state = AccountStateNow(core_.kyc(), core_.options().accounts,
                                             *session.customer_id, session.brand);
  const AccountOpMask ops = core_.kyc().accounts().status_permissions().Of(session.brand, state.status);
  if (std::string refusal = StatusRefusal(state, ops, Name(spec.client_op), spec.client_op);
      !refusal.empty()) {
    return Error(Code::kForbidden, "{} ({})", refusal, spec.name);
  }
  return Status::Ok();
}

Result<std::string> Dispatcher::RunWrite(const CommandSpec& spec, Call& call) {
  // What was checked before the write was queued may have changed while it waited: a
  // closure committed, or a block that makes this unblock sensitive after all.
  if (call.session) {
    if (Status s = CheckClientAccount(spec, *call.session); !s.ok()) return s;
  }
  const HandlerBinding& binding = BindingOf(spec);
  if (binding.four_eyes && call.session && IsStaff(call.session->type)) {
    auto need = Guarded(spec, [&]() -> Result<std::optional<ApprovalNeed>> {
      return binding.four_eyes(call);
    });
    if (!need.ok()) return need.status();
    if (*need) {
      if (spec.base == BaseId::kKyc) {
        return RecordApprovalRequest(core_, *call.batch, *call.session, spec.name, call.params,
                                     **need, call.now);
      }
      return Error(Code::kConflict,
                   "{}: the target changed while the request waited and now needs a second "
                   "person's approval; send it again",
                   spec.name);
    }
  }
  return RunHandler(spec, call);
}

Status Dispatcher::CheckStillAlive(const CommandSpec& spec, const Session* session) const {
  if (spec.access == kNoSession || !session || session->AliveAt(core_.clock().Now())) {
    return Status::Ok();
  }
  return Error(Code::kUnauthorized, "{}: the session ended (logged out, revoked or expired)",
               spec.name);
}

Status Dispatcher::CheckRequest(const Request& req) const {
  const CommandSpec& spec = *req.spec;
  Status access = req.access_checked ? CheckStillAlive(spec, req.session.get())
                                     : CheckAccess(spec, req.session);
  if (!access.ok()) return access;
  // After the access checks: who may not call a command learns nothing more about it.
  if ((spec.flags & kRawBody) && !req.http) {
    return Error(Code::kBadRequest, "{} is HTTP only: {} {}", spec.name, spec.routes[0].method,
                 spec.routes[0].path);
  }
  if ((spec.flags & kSubscription) && req.http) {
    return Error(Code::kBadRequest, "{} is TCP only: events are sent on the connection", spec.name);
  }
  return Status::Ok();
}

std::optional<Response> Dispatcher::DispatchInline(const Request& req) {
  const CommandSpec* spec = req.spec;
  if (!spec) return ErrorResponse(Error(Code::kUnknownCommand, "unknown command '{}'", req.command));
  if (!RunsInline(*spec)) return std::nullopt;
  if (Status s = CheckRequest(req); !s.ok()) return ErrorResponse(std::move(s));
  std::optional<Result<Params>> parsed;
  if (!req.params) {
    parsed.emplace(ParseParams(req.json, core_.options().max_json_depth));
    if (!parsed->ok()) return ErrorResponse(parsed->status());
  }
  const Params& params = req.params ? *req.params : parsed->value();
  Call call{core_, req.session.get(), params, req.peer, nullptr, core_.clock().Now()};
  call.upload = req.upload.get();
  call.signed_body = req.signed_body.get();
  call.subscribed = req.subscription;
  auto r = RunHandler(*spec, call);
  return MakeResponse(std::move(r), &call);
}

void Dispatcher::Dispatch(Request req, Completion done) {
  if (!req.spec || RunsInline(*req.spec)) return done(std::move(*DispatchInline(req)));

  // A write or slow work: the same checks, then the row's flags say where it runs.
  const CommandSpec& spec = *req.spec;
  if (Status s = CheckRequest(req); !s.ok()) return done(ErrorResponse(std::move(s)));
  Params params;
  if (req.params) {
    params = std::move(*req.params);
  } else {
    auto parsed = ParseParams(req.json, core_.options().max_json_depth);
    if (!parsed.ok()) return done(ErrorResponse(parsed.status()));
    params = std::move(parsed.value());
  }
  auto work = std::make_shared<Work>(core_, std::move(params), std::move(req.session),
                                     std::move(req.peer), std::move(req.upload),
                                     std::move(req.signed_body));

  if (!(spec.flags & kWrite)) {  // kSlow alone: the handler on the blocking pool
    boost::asio::post(core_.blocking(), [&spec, work, done = std::move(done)] {
      auto r = RunHandler(spec, work->call);
      done(MakeResponse(std::move(r), &work->call));
    });
    return;
  }

  work->done = std::move(done);
  // Four eyes (issue 15): a sensitive call is recorded for a second person instead.
  auto need = NeedsApproval(spec, work->call);
  if (!need.ok()) return work->Finish(need.status());
  if (*need) {
    core_.WriterFor(BaseId::kKyc)->Submit(
        [this, &spec, work, need = std::move(**need)](WriteBatch& batch) -> Result<std::string> {
          if (Status s = CheckStillAlive(spec, work->session.get()); !s.ok()) return s;
          return RecordApprovalRequest(core_, batch, *work->session, spec.name, work->params, need,
                                       core_.clock().Now());
        },
        [work](Result<std::string> r) { work->Finish(std::move(r)); });
    return;
  }
  WriterQueue* writer = writers_[IndexOf(spec)];
  auto submit = [this, &spec, writer, work] {
    writer->Submit(
        [this, &spec, work](WriteBatch& batch) -> Result<std::string> {
          // A session that ended while the write waited (a disabled account, a logout on
          // another connection) changes nothing more.
          if (Status s = CheckStillAlive(spec, work->session.get()); !s.ok()) return s;
          work->call.batch = &batch;
          work->call.now = work->call.core.clock().Now();
          return RunWrite(spec, work->call);
        },
        [work](Result<std::string> r) { work->Finish(std::move(r)); });
  };
  const HandlerBinding& binding = BindingOf(spec);
  if (!(spec.flags & kSlow) || (binding.needs_prepare && !binding.needs_prepare(work->params))) {
    return submit();
  }
  // The slow part first, on the blocking pool, so no writer transaction waits for it.
  boost::asio::post(core_.blocking(), [&spec, work, submit] {
    if (Status s = RunPrepare(spec, work->call); !s.ok()) return work->Finish(std::move(s));
    submit();
  });
}

}  // namespace kyc
