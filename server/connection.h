// One TCP connection of the command protocol.
//
// Everything a connection does runs on its I/O context, which exactly one thread runs
// (IoPool): the context is the connection's strand, with no strand object (and no
// type-erased executor) to pay for on every completion. Requests are decoded as bytes
// arrive and dispatched at once (pipelining). Reads are answered inline: when nothing
// earlier is still pending, the response is encoded straight into the next write. A
// request that leaves this thread (a write, slow work) takes a response slot; slots are
// flushed strictly in request order, gathered into one write. At most `max_in_flight`
// slots exist, and at most kMaxPendingOut bytes of answers wait for the socket: while
// either is full, the connection stops reading (back-pressure).
//
// The acceptor placed the connection on one context (net/listener.h) and it never moves.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "handlers/dispatch.h"
#include "net/listener.h"
#include "protocol/frame.h"
#include "server/out_buffer.h"

namespace kyc {

struct ConnectionOptions {
  FrameLimits frame;
  size_t max_in_flight = 64;
  // Event frames (Subscribe) waiting for the socket: past this the subscriber is too far
  // behind and the connection is closed, so no writer ever waits for it.
  size_t max_event_backlog = 1 << 20;
  int64_t idle_timeout = 300;  // seconds without a whole request (or an answer taken)
  int64_t frame_timeout = 30;  // seconds a started frame has to arrive whole
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Executor = boost::asio::io_context::executor_type;
  using Socket = IoSocket;
  using Timer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                  boost::asio::wait_traits<std::chrono::steady_clock>,
                                                  Executor>;

  // `socket` is on the I/O context the connection runs on for life.
  Connection(Socket socket, Dispatcher& dispatcher, const ConnectionOptions& options);
  void Start();
  // Graceful stop, from any thread: read no more requests, answer those in flight, close.
  void Stop();

 private:
  struct Slot {
    uint64_t seq = 0;
    uint32_t request_id = 0;
    std::string name;
    bool ready = false;
    bool close_after = false;  // a fatal framing error: close once this is sent
    std::string frame;         // the encoded response
    size_t command = 0;        // the row (IndexOf), for the metrics
    std::chrono::steady_clock::time_point started;
  };

  void Drain();  // Stop, on the connection's thread
  void DoRead();
  void OnRead(const boost::system::error_code& ec, size_t n);
  void ProcessInput();
  bool MayStart(const OrderKey& key) const;
  void StartRequest(const FrameView& f, const CommandSpec* spec, const OrderKey& key);
  void Complete(uint64_t seq, Response r);
  Slot* FindSlot(uint64_t seq);
  // Takes a slot answered at once with an error (the request is not dispatched).
  Slot& AnswerNow(uint32_t request_id, std::string_view name, const Status& error);
  // Takes a slot already answered with `body`.
  Slot& AnswerNow(uint32_t request_id, std::string_view name, const Status& status,
                  std::string_view body);
  void Answer(Slot& slot, const Status& status, std::string_view body);
  void ApplySessionEffects(Response& r);
  // Subscribe / Unsubscribe: the connection's filter in the event hub.
  void ApplySubscription(EventFilter filter);
  // An event from the hub, on this connection's thread.
  void SendEvent(const EventHub::EventPtr& e);
  bool OutputFull() const;
  void Flush();
  void ArmIdleTimer();
  void Close();

  Socket socket_;  // its executor is the connection's: one thread, handlers never overlap
  Timer idle_;
  Timer drain_deadline_;
  Dispatcher& dispatcher_;
  ConnectionOptions options_;
  std::string peer_;
  std::vector<char> read_buf_;  // the read in progress lands here

  std::string in_;            // received bytes; in_[in_pos_..] not yet decoded
  size_t in_pos_ = 0;
  std::deque<Slot> slots_;    // in request order
  uint64_t next_seq_ = 1;
  OutBuffer out_;             // the write in progress
  OutBuffer pending_;         // answers in order after out_, waiting for the next write
  bool close_after_pending_ = false;
  SessionPtr session_;
  // Events (issue 18): the hub's subscription (0: none), its filter, and the events queued
  // for this thread and not yet taken (the hub never waits for a slow subscriber).
  uint64_t subscription_id_ = 0;
  EventFilter subscription_;
  size_t event_bytes_unsent_ = 0;  // event frames in pending_, behind the write in progress
  std::shared_ptr<std::atomic<size_t>> events_queued_ = std::make_shared<std::atomic<size_t>>(0);

  // Ordering of pipelined requests (see OrderingOf).
  int running_ = 0;            // dispatched, not yet completed
  int running_writes_ = 0;
  BaseId running_write_base_ = BaseId::kNone;
  bool barrier_ = false;       // a session change is running

  // The last whole request read or answer written: idleness counts whole requests, so a
  // byte now and then does not keep a connection (issue 17).
  std::chrono::steady_clock::time_point last_activity_;
  // When the bytes of an incomplete frame first sat in the buffer ({}: none).
  std::chrono::steady_clock::time_point partial_since_;
  bool processing_ = false;    // inside ProcessInput: completions only mark their slot
  bool draining_ = false;      // server shutdown: buffered requests get `unavailable`
  bool reading_ = false;
  bool writing_ = false;
  bool read_closed_ = false;   // EOF, error, fatal frame or draining: no more requests
  bool closed_ = false;
};

}  // namespace kyc
