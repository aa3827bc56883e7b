#include "bench/load.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include "bench/seed.h"
#include "cli/tcp_client.h"
#include "protocol/frame.h"
#include "protocol/json.h"

namespace kyc::bench {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Shared {
  const LoadOptions& options;
  std::string staff_token;
  int64_t profiles = 0;                  // seeded profiles: ids 1..profiles
  std::atomic<int64_t> next_customer{0}; // write mix: the next customer whose step to use
  std::unique_ptr<std::atomic<uint8_t>[]> raised;  // level mix: raises per customer
  int64_t run_id = 0;                    // tx mix: makes external ids unique per run
  Clock::time_point deadline;
  std::atomic<uint64_t> issued{0};
  std::atomic<bool> stop{false};
  std::atomic<int> closed{0};             // connections that finished
  Histogram latency;
  uint64_t ok = 0, errors = 0;
};

// What a connection sends next; `measured` requests count in the report.
struct Next {
  std::string_view name;  // always a string literal
  std::string json;
  bool measured = true;
};

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  Conn(asio::io_context& io, Shared& shared, uint64_t seed, int id)
      : socket_(io), shared_(shared), rng_(seed), conn_id_(id) {}

  void Start(const tcp::endpoint& at) {
    boost::system::error_code ec;
    socket_.connect(at, ec);
    if (ec) {
      ++shared_.errors;
      ++shared_.closed;
      return;
    }
    socket_.set_option(tcp::no_delay(true));
    queue_.push_back({"Auth", fmt::format(R"({{"token":"{}"}})", shared_.staff_token), false});
    Fill();
    Read();
  }

 private:
  struct Pending {
    uint32_t id;
    Clock::time_point sent;
    bool measured;
    std::string_view name;  // a string literal (see Next)
  };

  bool MayIssue() {
    if (shared_.stop) return false;
    const auto& o = shared_.options;
    if (o.requests > 0) return shared_.issued.load() < o.requests;
    return Clock::now() < shared_.deadline;
  }

  // The next request of the mix, or nothing while the mix waits for an answer.
  bool Produce() {
    if (!queue_.empty()) return true;
    const auto& mix = shared_.options.mix;
    if (mix == "read") {
      std::uniform_int_distribution<int64_t> pick(1, shared_.profiles);
      queue_.push_back({"MngGetKycProfile", fmt::format(R"({{"id":{}}})", pick(rng_)), true});
    } else if (mix == "list") {
      std::uniform_int_distribution<int> b(0, kSeedBrands - 1), st(1, 3);
      queue_.push_back({"MngGetKycProfiles",
                        fmt::format(R"({{"brand":"{}","status":{},"limit":100}})", SeedBrand(b(rng_)),
                                    st(rng_)),
                        true});
    } else if (mix == "search") {
      std::uniform_int_distribution<int64_t> pick(1, shared_.profiles);
      std::uniform_int_distribution<int> kind(0, 3);
      const int64_t c = pick(rng_);
      const int k = kind(rng_);
      std::string query = k < 2 ? SeedLastName(c).substr(0, 4) : k == 2 ? SeedPassport(c) : SeedEmail(c);
      queue_.push_back({"MngGetCustomers", fmt::format(R"({{"query":"{}","limit":20}})", query), true});
    } else if (mix == "tx") {
      std::uniform_int_distribution<int64_t> pick(1, shared_.profiles);
      const int64_t c = pick(rng_);
      queue_.push_back({"MngAddTransaction",
                        fmt::format(R"({{"customer_id":{},"brand":"{}","type":"deposit","amount":"125.50",)"
                                    R"("currency":"EUR","eur_amount":"125.50","external_id":"b{}-{}-{}"}})",
                                    c, SeedBrandOf(c), shared_.run_id, conn_id_, ++sent_),
                        true});
    } else if (mix == "level") {
      // A random customer (as the tx mix picks them), one level higher than its last one:
      // every call is a real change.
      std::uniform_int_distribution<int64_t> pick(1, shared_.profiles);
      const int64_t c = pick(rng_);
      const int64_t level = shared_.options.level_base + shared_.raised[size_t(c)]++;
      queue_.push_back({"MngSetKycRequiredLevel",
                        fmt::format(R"({{"customer_id":{},"brand":"{}","level":{}}})", c,
                                    SeedBrandOf(c), std::min<int64_t>(level, 100)),
                        true});
    } else {
      // write: one customer per cycle; the client token comes from the first answer.
      if (!in_flight_.empty()) return false;
      int64_t c = ++shared_.next_customer;
      while (c <= shared_.profiles && !SeedHasRequiredStep(c)) c = ++shared_.next_customer;
      if (c > shared_.profiles) {
        shared_.stop = true;
        return false;
      }
      customer_ = c;
      queue_.push_back({"MngCreateClientSession",
                        fmt::format(R"({{"customer_id":{},"brand":"{}"}})", c, SeedBrandOf(c)),
                        false});
    }
    return true;
  }

  void Fill() {
    const int depth = shared_.options.mix == "write" ? 1 : shared_.options.pipeline;
    while (static_cast<int>(in_flight_.size()) < depth) {
      if (queue_.empty() && (!MayIssue() || !Produce())) break;
      if (queue_.empty()) break;
      Next n = std::move(queue_.front());
      queue_.pop_front();
      if (n.measured) ++shared_.issued;
      uint32_t id = next_id_++;
      AppendFrame(out_, id, FrameKind::kRequest, 0, n.name, n.json);
      in_flight_.push_back({id, Clock::now(), n.measured, n.name});
    }
    Write();
    if (in_flight_.empty() && queue_.empty() && !closed_) {
      closed_ = true;
      boost::system::error_code ec;
      socket_.close(ec);
      ++shared_.closed;
    }
  }

  void Write() {
    if (writing_ || out_.empty() || !socket_.is_open()) return;
    writing_ = true;
    sending_.swap(out_);
    out_.clear();
    asio::async_write(socket_, asio::buffer(sending_),
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec) return;
                        self->Write();
                        self->Read();
                      });
  }

  void Read() {
    if (reading_ || closed_) return;
    // Answers are read straight into the input buffer, behind what is left of a partial
    // frame (moved to the front first): no copy of each answer through a chunk.
    if (in_begin_ > 0) {
      std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
      in_end_ -= in_begin_;
      in_begin_ = 0;
    }
    if (in_.size() - in_end_ < kReadChunk) in_.resize(in_end_ + kReadChunk);
    reading_ = true;
    socket_.async_read_some(
        asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
        [self = shared_from_this()](boost::system::error_code ec, size_t n) {
          self->reading_ = false;
          if (ec) return;
          self->in_end_ += n;
          self->Decode();
          if (!self->writing_) return self->Read();
          // As in the server: while a request is being written, read after the handlers
          // already queued (the write's completion among them), when the answer has a
          // chance to be there: no failed recv per request.
          asio::post(self->socket_.get_executor(), [self] { self->Read(); });
        });
  }

  void Decode() {
    size_t pos = 0;
    while (true) {
      DecodeResult d = DecodeFrame(std::string_view(in_.data() + in_begin_ + pos,
                                                    in_end_ - in_begin_ - pos),
                                   FrameLimits{64u << 20});
      if (d.state != DecodeState::kFrame) break;
      pos += d.consumed;
      if (in_flight_.empty()) continue;
      Pending p = in_flight_.front();
      in_flight_.pop_front();
      bool ok = d.frame.status == 0;
      if (p.measured) {
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - p.sent);
        shared_.latency.Record(static_cast<uint64_t>(us.count()));
        ok ? ++shared_.ok : ++shared_.errors;
      } else if (!ok) {
        ++shared_.errors;
      }
      if (shared_.options.mix == "write" && ok) FollowWrite(p.name, d.frame.json);
    }
    in_begin_ += pos;
    if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
    Fill();
  }

  // The write cycle: client token → Auth as the client → submit → Auth as staff → approve.
  void FollowWrite(std::string_view name, std::string_view json) {
    int64_t step = SeedRequiredStep(customer_);
    if (name == "MngCreateClientSession") {
      rapidjson::Document d;
      d.Parse(json.data(), json.size());
      queue_.push_back({"Auth", fmt::format(R"({{"token":"{}"}})", d["token"].GetString()), false});
      queue_.push_back({"KycSubmitStep", fmt::format(R"({{"id":{},"answers":{{}}}})", step), true});
      queue_.push_back(
          {"Auth", fmt::format(R"({{"token":"{}"}})", shared_.staff_token), false});
      queue_.push_back({"MngApproveKycStep", fmt::format(R"({{"id":{}}})", step), true});
    }
  }

  tcp::socket socket_;
  Shared& shared_;
  std::mt19937_64 rng_;
  std::deque<Next> queue_;
  std::deque<Pending> in_flight_;
  static constexpr size_t kReadChunk = 64 * 1024;
  std::string out_, sending_;
  std::vector<char> in_;            // answers read; unparsed bytes in [in_begin_, in_end_)
  size_t in_begin_ = 0, in_end_ = 0;
  uint32_t next_id_ = 1;
  int64_t customer_ = 0;
  int conn_id_ = 0;
  int64_t sent_ = 0;  // tx mix: this connection's transactions so far
  bool writing_ = false;
  bool reading_ = false;
  bool closed_ = false;
};

Result<std::string> StaffLogin(const LoadOptions& o) {
  TcpClient c;
  if (Status s = c.Connect(o.host, o.port); !s.ok()) return s;
  JsonOut j;
  j.BeginObject().Key("login").Str(o.login).Key("password").Str(o.password).EndObject();
  auto r = c.Call("Login", j.Take());
  if (!r.ok()) return r.status();
  if (!r->ok()) return Error(Code::kUnauthorized, "login failed: {}", r->body);
  rapidjson::Document d;
  d.Parse(r->body.data(), r->body.size());
  return std::string(d["token"].GetString());
}

}  // namespace

Result<LoadReport> RunLoad(const LoadOptions& o) {
  auto token = StaffLogin(o);
  if (!token.ok()) return token.status();
  Shared shared{o, *token};
  shared.next_customer = o.first_customer - 1;
  shared.run_id = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  {
    TcpClient c;
    if (Status s = c.Connect(o.host, o.port); !s.ok()) return s;
    if (auto r = c.Call("Auth", fmt::format(R"({{"token":"{}"}})", *token)); !r.ok()) {
      return r.status();
    }
    auto r = c.Call("MngGetKycProfiles", R"({"limit":1})");
    if (!r.ok()) return r.status();
    rapidjson::Document d;
    d.Parse(r->body.data(), r->body.size());
    if (!d.IsObject() || !d.HasMember("total")) return Status(Code::kInternal, r->body);
    shared.profiles = d["total"].GetInt64();
    shared.raised = std::make_unique<std::atomic<uint8_t>[]>(size_t(shared.profiles) + 1);
    if (shared.profiles == 0) return Status(Code::kNotFound, "no profiles: run kyc-bench seed");
  }
  asio::io_context io(1);
  tcp::resolver resolver(io);
  auto at = *resolver.resolve(o.host, std::to_string(o.port)).begin();
  auto start = Clock::now();
  shared.deadline = start + std::chrono::milliseconds(static_cast<int64_t>(o.seconds * 1000));
  for (int i = 0; i < o.connections; ++i) {
    std::make_shared<Conn>(io, shared, 0x9e3779b97f4a7c15ull * (i + 1), i)->Start(at);
  }
  asio::steady_timer ticker(io);
  std::function<void()> tick = [&] {
    ticker.expires_after(std::chrono::seconds(1));
    ticker.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      auto now = Clock::now();
      double t = std::chrono::duration<double>(now - start).count();
      if (o.progress) {
        std::fprintf(stderr, "\r  %5.1fs  %10llu ok  %6llu errors  %9.0f req/s   ", t,
                     (unsigned long long)shared.ok, (unsigned long long)shared.errors,
                     shared.ok / std::max(t, 1e-9));
      }
      // Connections close themselves once they stop issuing and drain; a server that
      // stopped answering must not hang the run.
      if (now > shared.deadline + std::chrono::seconds(10) && o.requests == 0) return io.stop();
      if (o.requests > 0 && t > o.seconds + 600) return io.stop();
      tick();
    });
  };
  tick();
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    // The ticker re-arms forever: stop it once every connection has closed.
    while (!finished) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (shared.closed.load() == o.connections) {
        asio::post(io, [&] { ticker.cancel(); });
        break;
      }
    }
  });
  io.run();
  finished = true;
  watcher.join();
  LoadReport report;
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report.ok = shared.ok;
  report.errors = shared.errors;
  report.latency = shared.latency;
  if (o.progress) std::fprintf(stderr, "\n");
  return report;
}

}  // namespace kyc::bench
