#include "server/app.h"

#include "core/webhook_deliverer.h"
#include "rest_gateway/http_client.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bases/audit_store.h"
#include "core/aml_run.h"
#include "handlers/dispatch.h"
#include "net/listener.h"
#include "rest_gateway/http_server.h"
#include "server/connection.h"

namespace kyc {

namespace asio = boost::asio;

namespace {

// The descriptor limit a default shell gives (1,024) is the first thing thousands of
// clients exhaust: raise the soft limit to the hard one, and keep the connection caps
// below it (the bases, files being stored and the listeners need some too).
size_t RaiseDescriptorLimit() {
  struct rlimit lim {};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    struct rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  return lim.rlim_cur == RLIM_INFINITY ? size_t{1} << 20 : static_cast<size_t>(lim.rlim_cur);
}

// What a connection accepted past a cap reads before it is closed.
std::string TcpRejection() {
  std::string out;
  AppendFrame(out, 0, FrameKind::kResponse, FrameStatus(Code::kUnavailable), "",
              Status(Code::kUnavailable, "too many connections; retry later").ToJson());
  return out;
}

std::string HttpRejection() {
  const std::string body = Status(Code::kUnavailable, "too many connections; retry later").ToJson();
  return fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nServer: kyc-manager\r\nContent-Type: "
      "application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
      body.size(), body);
}

}  // namespace

int RunServer(const ServerConfig& config) {
  // Logs go to stderr; stdout carries only the bound addresses, for scripts.
  spdlog::set_default_logger(spdlog::stderr_color_mt("kyc"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  // Bases, their journals and stored files are the server user's alone, whatever umask
  // it was started with (core/data_dir.h tightens what exists already).
  ::umask(077);
  const size_t descriptors = RaiseDescriptorLimit();
  ConnectionCaps caps;
  // Two listeners share the descriptors; 64 stay for the bases, files and accept.
  const size_t room = descriptors > 128 ? (descriptors - 64) / 2 : 32;
  caps.max_total = std::min(config.max_connections, room);
  caps.max_per_peer = std::min(config.max_connections_per_peer, caps.max_total);
  if (caps.max_total < config.max_connections) {
    spdlog::warn("descriptor limit {}: at most {} connections per listener (limits.max_connections "
                 "is {})", descriptors, caps.max_total, config.max_connections);
  }

  SystemClock clock;
  SystemRandom random;
  asio::thread_pool writers(static_cast<size_t>(config.writer_threads));
  asio::thread_pool blocking(static_cast<size_t>(config.blocking_threads));
  auto core = Core::Open(config.core, clock, random, writers.get_executor(),
                         blocking.get_executor());
  if (!core.ok()) {
    spdlog::critical("cannot open the data directory {}: {}", config.core.data_dir,
                     core.status().message());
    return 1;
  }

  if ((*core)->staff().managers().size() == 0) {
    const char* pw = std::getenv("KYC_ADMIN_PASSWORD");
    if (pw && *pw) {
      auto made = (*core)->BootstrapAdmin(pw);
      if (!made.ok()) {
        spdlog::critical("cannot create the admin login: {}", made.status().message());
        return 1;
      }
      spdlog::info("created the login 'admin' (SESSION_ADMIN) from KYC_ADMIN_PASSWORD");
    } else {
      spdlog::warn(
          "no staff accounts yet: restart with KYC_ADMIN_PASSWORD=<password> (8+ characters) "
          "to create the login 'admin'");
    }
  }

  // The last rows of each audit trail still hash as they were written (a row changed by
  // hand in a base is reported; MngVerifyAudit checks any range).
  for (auto [name, log] : {std::pair<const char*, const AuditLog*>{"kyc", &(*core)->kyc().audit()},
                           {"managers", &(*core)->staff().audit()}}) {
    const int64_t end = log->EndId();
    AuditChainCheck check = VerifyAuditChain(*log, std::max<int64_t>(1, end - 10000), end - 1);
    if (!check.ok) {
      spdlog::warn("the {} audit trail is broken at row {}: it was changed outside the server "
                   "(MngVerifyAudit names it)", name, *check.first_broken_id);
    }
  }

  IoPool pool(config.io_threads);
  asio::io_context& io = pool.First();
  Dispatcher dispatcher(**core);
  if (Status s = dispatcher.CheckTable(); !s.ok()) {
    spdlog::critical("the command table does not fit the core: {}", s.message());
    return 1;
  }
  ConnectionOptions conn_options{config.frame, config.max_in_flight, config.event_backlog_bytes,
                                 config.idle_timeout, config.frame_timeout};
  Listener<Connection> tcp(
      pool, "tcp",
      [&](IoSocket socket) {
        return std::make_shared<Connection>(std::move(socket), dispatcher, conn_options);
      },
      caps, TcpRejection());
  HttpServer http(pool, dispatcher,
                  HttpOptions{config.http_body_limit, config.core.max_upload_bytes + (64u << 10),
                              config.idle_timeout, config.frame_timeout, caps, HttpRejection()});

  auto tcp_at = tcp.Listen(*ParseEndpoint(config.tcp));
  if (!tcp_at.ok()) {
    spdlog::critical("{}", tcp_at.status().message());
    return 1;
  }
  auto http_at = http.Listen(*ParseEndpoint(config.http));
  if (!http_at.ok()) {
    spdlog::critical("{}", http_at.status().message());
    return 1;
  }
  // Bound before the addresses are printed (scripts read them all at once). GET /metrics without a token on an address of its own (metrics.listen), if set.
  std::unique_ptr<HttpServer> metrics_http;
  if (!config.metrics_listen.empty()) {
    HttpOptions mo{config.http_body_limit, config.http_body_limit, config.idle_timeout,
                   config.frame_timeout, caps, HttpRejection()};
    mo.metrics_only = true;
    metrics_http = std::make_unique<HttpServer>(pool, dispatcher, mo);
    auto at = metrics_http->Listen(*ParseEndpoint(config.metrics_listen));
    if (!at.ok()) {
      spdlog::critical("{}", at.status().message());
      return 1;
    }
    std::printf("metrics %s:%u\n", at->address().to_string().c_str(), at->port());
    std::fflush(stdout);
  }
  std::printf("tcp %s:%u\nhttp %s:%u\n", tcp_at->address().to_string().c_str(), tcp_at->port(),
              http_at->address().to_string().c_str(), http_at->port());
  std::fflush(stdout);
  spdlog::info("serving {} on tcp {} and http {} with {} I/O threads", config.core.data_dir,
               tcp_at->port(), http_at->port(), config.io_threads);

  Metrics& metrics = (*core)->metrics();
  metrics.AddGauge("kyc_connections", "Open connections, by transport.", "transport=\"tcp\"",
                   [&] { return static_cast<double>(tcp.open_connections()); });
  metrics.AddGauge("kyc_connections", "Open connections, by transport.", "transport=\"http\"",
                   [&] { return static_cast<double>(http.open_connections()); });

  // Webhook deliveries (issue 18) on a thread of their own, woken by each commit's events.
  WebhookDeliverer webhooks(**core, [&config](const WebhookUrl& url, const HttpHeaders& headers,
                                              const std::string& body) {
    return HttpPostOnce(url, headers, body,
                        HttpPostOptions{std::chrono::seconds(config.webhook_timeout),
                                        config.core.webhooks_deny_private});
  });
  (*core)->events().OnCommitted([&webhooks] { webhooks.Wake(); });
  webhooks.Start();

  tcp.Start();
  http.Start();
  if (metrics_http) metrics_http->Start();

  // Document expiry runs on the server's clock every `expiry_interval` seconds.
  auto expiry_strand = asio::make_strand(io);
  asio::steady_timer expiry(expiry_strand);
  std::atomic<bool> stopping{false};
  std::function<void()> schedule_expiry = [&] {
    if (stopping) return;
    expiry.expires_after(std::chrono::seconds(config.core.expiry_interval));
    expiry.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      (*core)->ExpireDocuments([&](Result<int64_t> n) {
        if (!n.ok()) spdlog::error("document expiry failed: {}", n.status().message());
        else if (*n > 0) spdlog::info("expired {} document(s)", *n);
        asio::post(expiry_strand, schedule_expiry);
      });
    });
  };
  asio::post(expiry_strand, schedule_expiry);

  // The AML checks of the day run once the server's clock passes aml.run_at (UTC), on the
  // blocking pool; a timer looks every aml.check_interval seconds (docs/AML.md).
  asio::steady_timer aml_timer(expiry_strand);
  const int64_t aml_run_at = *ParseTimeOfDay(config.aml_run_at);
  std::function<void()> schedule_aml = [&] {
    if (stopping || !config.aml_scheduler) return;
    aml_timer.expires_after(std::chrono::seconds(config.aml_check_interval));
    aml_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      asio::post((*core)->blocking(), [&] {
        if (stopping) return;
        auto dates = RunDueAmlChecks(**core, aml_run_at);
        if (!dates.ok()) spdlog::error("AML checks failed: {}", dates.status().message());
        for (int64_t d : dates.ok() ? *dates : std::vector<int64_t>{}) {
          spdlog::info("AML checks run for {}", DayText(d));
        }
        asio::post(expiry_strand, schedule_aml);
      });
    });
  };
  asio::post(expiry_strand, schedule_aml);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stop accepting, finish requests in flight, flush the bases", sig);
    stopping = true;
    tcp.Stop();
    http.Stop();
    if (metrics_http) metrics_http->Stop();
    asio::post(expiry_strand, [&] {
      expiry.cancel();
      aml_timer.cancel();
    });
    pool.Release();
  });

  // Run() returns once the listeners are closed and every connection has drained:
  // requests away on a writer strand hold work on their I/O context until answered.
  pool.Run();

  // Slow work first: an AML run on the blocking pool still submits writes and waits for
  // them, so the writers must outlive it.
  blocking.join();
  webhooks.Stop();  // its last delivery's write goes through the writers: before they stop
  writers.join();  // every queued write has committed (or failed) by now
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace kyc
