#include "server/connection.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace kyc {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr size_t kReadChunk = 64 * 1024;
// Answers waiting behind a write in progress; past this the connection stops taking
// requests until the socket drains (a client that does not read cannot grow it).
constexpr size_t kMaxPendingOut = 256 * 1024;

int64_t NanosSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t)
      .count();
}
}

Connection::Connection(Socket socket, Dispatcher& dispatcher, const ConnectionOptions& options)
    : socket_(std::move(socket)),
      idle_(socket_.get_executor()),
      drain_deadline_(socket_.get_executor()),
      dispatcher_(dispatcher),
      options_(options),
      read_buf_(kReadChunk) {
  error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? "unknown" : ep.address().to_string();
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void Connection::Start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->ArmIdleTimer();
    self->DoRead();
  });
}

void Connection::Stop() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Drain(); });
}

void Connection::Drain() {
  if (closed_) return;
  read_closed_ = true;
  draining_ = true;
  error_code ec;
  if (subscription_id_) {  // no more events: the answers in flight finish the connection
    dispatcher_.core().events().Unsubscribe(subscription_id_);
    subscription_id_ = 0;
  }
  // Wakes the pending read with EOF; writes of responses still go out.
  socket_.shutdown(asio::ip::tcp::socket::shutdown_receive, ec);
  // A client that does not read its last answers must not hold up the shutdown. Armed
  // first: Flush() below may close the connection at once, and Close() cancels it.
  drain_deadline_.expires_after(std::chrono::seconds(10));
  drain_deadline_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->Close();
  });
  ProcessInput();  // answers requests already buffered with `unavailable`
  Flush();
}

void Connection::ArmIdleTimer() {
  if (closed_) return;  // stopped before Start's posted handler ran: no new wait
  // One timer per connection, checked against the last activity, so that a read does
  // not have to cancel and re-arm it; re-armed (earlier) when a frame starts to arrive.
  const auto idle = std::chrono::seconds(options_.idle_timeout);
  const auto frame = std::chrono::seconds(options_.frame_timeout);
  auto now = std::chrono::steady_clock::now();
  if (last_activity_ == std::chrono::steady_clock::time_point{}) last_activity_ = now;
  auto deadline = last_activity_ + idle;
  if (partial_since_ != std::chrono::steady_clock::time_point{}) {
    deadline = std::min(deadline, partial_since_ + frame);
  }
  idle_.expires_at(deadline);
  idle_.async_wait([self = shared_from_this(), idle, frame](const error_code& ec) {
    if (ec || self->closed_) return;
    const auto now = std::chrono::steady_clock::now();
    // A frame begun must arrive whole in time while the server waits for its bytes (a
    // client sending one byte a second is cut off after frame_timeout, not kept forever).
    if (self->partial_since_ != std::chrono::steady_clock::time_point{} && self->reading_ &&
        now - self->partial_since_ >= frame) {
      spdlog::debug("closing connection from {}: a frame not completed within {} s",
                    self->peer_, frame.count());
      return self->Close();
    }
    // A connection is busy while the server works on its requests; a client that stops
    // reading its answers is idle (its stuck write must not keep it open forever).
    bool busy = self->running_ > 0;
    if (!busy && now - self->last_activity_ >= idle) {
      spdlog::debug("closing idle connection from {}", self->peer_);
      return self->Close();
    }
    if (busy) self->last_activity_ = now;
    self->ArmIdleTimer();
  });
}

void Connection::DoRead() {
  if (reading_ || read_closed_ || closed_) return;
  if (OutputFull()) return;  // back-pressure: resumes when a write completes
  // Requests waiting behind a running one (a login, a write) are not read past one whole
  // frame: the buffer stays bounded and reading resumes when that request completes.
  if (in_.size() - in_pos_ >= options_.frame.max_body + kFrameHeaderSize) return;
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(read_buf_),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void Connection::OnRead(const error_code& ec, size_t n) {
  reading_ = false;
  if (in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  } else if (in_pos_ > kReadChunk) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
  in_.append(read_buf_.data(), n);
  if (ec) {
    read_closed_ = true;
    if (ec != asio::error::eof && ec != asio::error::operation_aborted &&
        ec != asio::error::connection_reset) {
      spdlog::debug("read from {}: {}", peer_, ec.message());
    }
  }
  ProcessInput();
  Flush();
  if (!writing_) return DoRead();
  // An answer is being written: start the next read after the handlers already queued.
  // Started now, it would find nothing (the client has not seen the answer yet) and cost
  // a failed recv; later it often finds the next request there. A write that completed
  // at once has its completion queued ahead of this and reads from there; a write that
  // waits for the client (who may itself be busy sending) does not hold up reading.
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
}

bool Connection::MayStart(const OrderKey& key) const {
  if (barrier_) return false;
  switch (key.ordering) {
    case Ordering::kBarrier: return running_ == 0;
    case Ordering::kRead: return running_writes_ == 0;
    case Ordering::kWrite: return running_writes_ == 0 || running_write_base_ == key.base;
  }
  return true;
}

void Connection::ProcessInput() {
  if (processing_) return;
  processing_ = true;
  while (!closed_ && in_pos_ < in_.size() && !OutputFull()) {
    std::string_view avail(in_.data() + in_pos_, in_.size() - in_pos_);
    DecodeResult d = DecodeFrame(avail, options_.frame);
    if (d.state == DecodeState::kNeedMore) {
      if (partial_since_ == std::chrono::steady_clock::time_point{}) {
        partial_since_ = std::chrono::steady_clock::now();
        ArmIdleTimer();  // its deadline is now the frame's, if sooner
      }
      break;
    }
    // A whole frame (or a framing error): the client is active, no frame is half here.
    partial_since_ = {};
    last_activity_ = std::chrono::steady_clock::now();
    if (d.state == DecodeState::kError) {
      Slot& slot = AnswerNow(d.request_id.value_or(0), d.name, d.error);
      if (d.fatal) {
        // The stream can no longer be framed: answer once, read nothing more, close.
        slot.close_after = true;
        read_closed_ = true;
        in_.clear();
        in_pos_ = 0;
        break;
      }
      in_pos_ += d.consumed;
      continue;
    }
    if (d.frame.kind != FrameKind::kRequest) {
      AnswerNow(d.frame.request_id, d.frame.name,
                Status(Code::kBadRequest, "only request frames (kind 0) may be sent to the server"));
      in_pos_ += d.consumed;
      continue;
    }
    if (draining_) {
      AnswerNow(d.frame.request_id, d.frame.name,
                Status(Code::kUnavailable, "the server is shutting down; retry later"));
      in_pos_ += d.consumed;
      continue;
    }
    // The one lookup of the command by name: the request carries its row from here on.
    const CommandSpec* spec = FindCommand(d.frame.name);
    OrderKey key = OrderingOf(spec);
    if (!MayStart(key)) break;  // resumes when the request it waits for completes
    in_pos_ += d.consumed;
    StartRequest(d.frame, spec, key);
  }
  processing_ = false;
}

bool Connection::OutputFull() const {
  return slots_.size() >= options_.max_in_flight || pending_.size() >= kMaxPendingOut;
}

void Connection::ApplySessionEffects(Response& r) {
  // Events are the session's: a new login or a logout ends the subscription.
  if ((r.attach || r.detach) && subscription_id_) ApplySubscription(EventFilter{});
  if (r.attach) session_ = std::move(r.attach);
  if (r.detach) session_.reset();
  if (r.subscription) ApplySubscription(std::move(*r.subscription));
}

void Connection::ApplySubscription(EventFilter filter) {
  EventHub& hub = dispatcher_.core().events();
  subscription_ = std::move(filter);
  if (closed_ || draining_ || subscription_.topics.empty()) {
    if (subscription_id_) hub.Unsubscribe(subscription_id_);
    subscription_id_ = 0;
    return;
  }
  if (subscription_id_) return hub.SetFilter(subscription_id_, subscription_);
  // The hub calls this on the writer's thread: it only counts and posts. A connection that
  // has this many events still queued for its thread is dropped by SendEvent anyway.
  const size_t max_queued = std::max<size_t>(options_.max_event_backlog / 64, 1024);
  subscription_id_ = hub.Subscribe(
      subscription_, [weak = weak_from_this(), home = socket_.get_executor(),
                      queued = events_queued_, max_queued](const EventHub::EventPtr& e) {
        if (queued->fetch_add(1, std::memory_order_relaxed) >= max_queued) {
          queued->fetch_sub(1, std::memory_order_relaxed);
          return;  // already dropped or about to be: SendEvent closes it
        }
        asio::post(home, [weak, e, queued] {
          queued->fetch_sub(1, std::memory_order_relaxed);
          if (auto self = weak.lock()) self->SendEvent(e);
        });
      });
}

void Connection::SendEvent(const EventHub::EventPtr& e) {
  // Posted before an Unsubscribe or a narrower Subscribe: not sent.
  if (closed_ || !subscription_id_ || !subscription_.Matches(*e)) return;
  // The session that subscribed must still be alive and still allowed the topic (an
  // expired or revoked token, a role taken away).
  const TopicInfo* topic = FindTopic(e->topic);
  if (!session_ || !session_->AliveAt(dispatcher_.core().clock().Now()) || !topic ||
      !Grants(session_->permissions, topic->permission)) {
    return ApplySubscription(EventFilter{});
  }
  if (event_bytes_unsent_ + e->json.size() > options_.max_event_backlog ||
      events_queued_->load(std::memory_order_relaxed) >=
          std::max<size_t>(options_.max_event_backlog / 64, 1024) - 1) {
    // A subscriber that does not read its events is dropped; nobody waits for it.
    spdlog::warn("dropping the event subscriber at {}: {} bytes of events unread",
                 peer_, event_bytes_unsent_ + out_.size());
    dispatcher_.core().events().Unsubscribe(subscription_id_);
    subscription_id_ = 0;
    return Close();
  }
  const size_t before = pending_.size();
  AppendFrame(pending_.bytes(), 0, FrameKind::kEvent, 0, e->topic, e->json);
  event_bytes_unsent_ += pending_.size() - before;
  if (!processing_) Flush();
}

void Connection::StartRequest(const FrameView& f, const CommandSpec* spec, const OrderKey& key) {
  Request req;
  req.spec = spec;
  req.command = f.name;
  req.json = f.json;  // parsed inside Dispatch before it returns
  req.peer = peer_;
  req.subscription = &subscription_;
  Metrics& metrics = dispatcher_.core().metrics();
  const size_t command = spec ? IndexOf(*spec) : 0;
  if (key.ordering != Ordering::kWrite) {
    // Lent, not copied: every connection of one login shares the session, and a copy per
    // request would bounce its reference count between cores. DispatchInline only reads it.
    req.session = std::move(session_);
    std::optional<Response> r = dispatcher_.DispatchInline(req);
    session_ = std::move(req.session);
    if (r && spec) {
      // last_activity_ was taken when this frame was decoded: one clock read per request.
      metrics.Request(Transport::kTcp, command, !r->status.ok(),
                      NanosSince(last_activity_));
    }
    if (r) {
      ApplySessionEffects(*r);
      if (slots_.empty()) {
        const uint8_t status = FrameStatus(r->status.code());
        if (r->shared() && r->shared()->size() >= OutBuffer::kShareFrom) {
          AppendFrameHead(pending_.bytes(), f.request_id, FrameKind::kResponse, status, f.name,
                          r->shared()->size());
          pending_.AppendShared(r->shared());
        } else {
          AppendFrame(pending_.bytes(), f.request_id, FrameKind::kResponse, status, f.name,
                      r->text());
        }
      } else {
        AnswerNow(f.request_id, f.name, r->status, r->text());  // after earlier answers
      }
      return;
    }
  }
  req.session = session_;

  Slot& slot = slots_.emplace_back();
  slot.seq = next_seq_++;
  slot.request_id = f.request_id;
  slot.name = std::string(f.name);
  slot.command = command;
  slot.started = last_activity_;
  metrics.Started();

  ++running_;
  if (key.ordering == Ordering::kWrite) {
    ++running_writes_;
    running_write_base_ = key.base;
  }
  if (key.ordering == Ordering::kBarrier) barrier_ = true;

  uint64_t seq = slot.seq;
  // The answer comes back to this context (the connection never leaves it), and the
  // completion reads no member from the other thread.
  // The work guard keeps the I/O loop alive meanwhile, so a graceful shutdown waits for it.
  const Executor home = socket_.get_executor();
  asio::any_io_executor guard = asio::prefer(home, asio::execution::outstanding_work.tracked);
  dispatcher_.Dispatch(std::move(req), [self = shared_from_this(), seq, key, home,
                                        guard = std::move(guard)](Response r) mutable {
    asio::dispatch(home, [self, seq, key, r = std::move(r)]() mutable {
      --self->running_;
      if (key.ordering == Ordering::kWrite) --self->running_writes_;
      if (key.ordering == Ordering::kBarrier) self->barrier_ = false;
      self->Complete(seq, std::move(r));
    });
    guard = {};
  });
}

Connection::Slot& Connection::AnswerNow(uint32_t request_id, std::string_view name,
                                        const Status& error) {
  return AnswerNow(request_id, name, error, error.ToJson());
}

Connection::Slot& Connection::AnswerNow(uint32_t request_id, std::string_view name,
                                        const Status& status, std::string_view body) {
  Slot& slot = slots_.emplace_back();
  slot.seq = next_seq_++;
  slot.request_id = request_id;
  slot.name = std::string(name);
  Answer(slot, status, body);
  return slot;
}

Connection::Slot* Connection::FindSlot(uint64_t seq) {
  if (slots_.empty() || seq < slots_.front().seq) return nullptr;
  size_t i = seq - slots_.front().seq;
  return i < slots_.size() ? &slots_[i] : nullptr;
}

void Connection::Answer(Slot& slot, const Status& status, std::string_view body) {
  AppendFrame(slot.frame, slot.request_id, FrameKind::kResponse, FrameStatus(status.code()),
              slot.name, body);
  slot.ready = true;
}

void Connection::Complete(uint64_t seq, Response r) {
  ApplySessionEffects(r);
  Metrics& metrics = dispatcher_.core().metrics();
  metrics.Finished();
  if (Slot* slot = FindSlot(seq)) {
    metrics.Request(Transport::kTcp, slot->command, !r.status.ok(),
                    NanosSince(slot->started));
    Answer(*slot, r.status, r.text());
  }
  if (closed_ || processing_) return;  // the running ProcessInput carries on
  ProcessInput();  // a request may have been waiting for this one
  Flush();
  DoRead();
}

void Connection::Flush() {
  if (closed_) return;
  while (!slots_.empty() && slots_.front().ready) {
    pending_.bytes() += slots_.front().frame;
    close_after_pending_ = close_after_pending_ || slots_.front().close_after;
    slots_.pop_front();
  }
  if (writing_) return;  // the write in progress calls Flush again when it is done
  if (pending_.empty()) {
    // Nothing left to answer and nothing more will be read: the connection is done.
    if (read_closed_ && slots_.empty() && running_ == 0) Close();
    return;
  }
  // Two buffers that swap roles: answers gather in one while the other is on the wire,
  // and both keep their capacity, so steady traffic allocates nothing here.
  out_.swap(pending_);
  pending_.clear();
  event_bytes_unsent_ = 0;  // on the wire now: only events queued behind it count
  bool close_after = close_after_pending_;
  close_after_pending_ = false;
  writing_ = true;
  asio::async_write(socket_, out_.Buffers(),
                    [self = shared_from_this(), close_after](const error_code& ec, size_t) {
                      self->writing_ = false;
                      if (ec || close_after) return self->Close();
                      // A client taking in a long answer is not idle (a stuck write never
                      // gets here, so one that stops reading still times out).
                      self->last_activity_ = std::chrono::steady_clock::now();
                      self->ProcessInput();
                      self->Flush();
                      self->DoRead();
                    });
}

void Connection::Close() {
  if (closed_) return;
  closed_ = true;
  if (subscription_id_) {
    dispatcher_.core().events().Unsubscribe(subscription_id_);
    subscription_id_ = 0;
  }
  read_closed_ = true;
  error_code ec;
  idle_.cancel();
  drain_deadline_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace kyc
