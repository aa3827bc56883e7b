#include "core/metrics.h"

#include <cmath>

#include <fmt/format.h>

#include "protocol/commands.h"

namespace kyc {

namespace {
std::atomic<uint64_t> next_metrics_id{1};

constexpr std::array<std::string_view, kTransports> kTransportNames{"tcp", "http"};

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}
}  // namespace

Metrics::Metrics() : id_(next_metrics_id.fetch_add(1)) {}
Metrics::~Metrics() = default;

size_t Metrics::BucketOf(int64_t nanos) {
  const double seconds = static_cast<double>(nanos) / 1e9;
  size_t i = 0;
  while (i < kLatencyBounds.size() && seconds > kLatencyBounds[i]) ++i;
  return i;
}

Metrics::Shard* Metrics::NewShard() {
  auto shard = std::make_unique<Shard>();
  for (auto& c : shard->cells) c = std::make_unique<Shard::Cell[]>(Commands().size());
  std::lock_guard lock(mu_);
  shards_.push_back(std::move(shard));
  return shards_.back().get();
}

void Metrics::AddGauge(std::string name, std::string help, std::string labels,
                       std::function<double()> value) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(labels), std::move(value)});
}

void Metrics::AddSection(std::function<void(std::string&)> render) {
  std::lock_guard lock(mu_);
  sections_.push_back(std::move(render));
}

void RenderHistogram(std::string& out, std::string_view name, std::string_view labels,
                     std::span<const double> bounds, std::span<const uint64_t> counts,
                     double sum) {
  const std::string sep = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    const double le = i < bounds.size() ? bounds[i] : INFINITY;
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, Number(le),
                       cumulative);
  }
  const std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, braces, Number(sum), name, braces,
                     cumulative);
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  const size_t n = Commands().size();
  struct Sum {
    uint64_t requests = 0, errors = 0, nanos = 0;
    std::array<uint64_t, kLatencyBounds.size() + 1> buckets{};
  };
  std::vector<std::array<Sum, kTransports>> sums(n);
  int64_t in_flight = 0;
  for (const auto& shard : shards_) {
    in_flight += shard->in_flight.load(std::memory_order_relaxed);
    for (size_t t = 0; t < kTransports; ++t) {
      for (size_t i = 0; i < n; ++i) {
        const auto& c = shard->cells[t][i];
        Sum& s = sums[i][t];
        s.requests += c.requests.load(std::memory_order_relaxed);
        s.errors += c.errors.load(std::memory_order_relaxed);
        s.nanos += c.nanos.load(std::memory_order_relaxed);
        for (size_t b = 0; b < s.buckets.size(); ++b) {
          s.buckets[b] += c.buckets[b].load(std::memory_order_relaxed);
        }
      }
    }
  }
  std::string out;
  out.reserve(16 * 1024);
  auto each = [&](auto&& fn) {
    for (size_t i = 0; i < n; ++i) {
      for (size_t t = 0; t < kTransports; ++t) {
        if (sums[i][t].requests == 0) continue;  // a command never called has no series
        fn(Commands()[i].name, kTransportNames[t], sums[i][t]);
      }
    }
  };
  out += "# HELP kyc_requests_total Requests answered, by command and transport.\n"
         "# TYPE kyc_requests_total counter\n";
  each([&](std::string_view cmd, std::string_view tr, const Sum& s) {
    out += fmt::format("kyc_requests_total{{command=\"{}\",transport=\"{}\"}} {}\n", cmd, tr,
                       s.requests);
  });
  out += "# HELP kyc_request_errors_total Requests answered with an error status.\n"
         "# TYPE kyc_request_errors_total counter\n";
  each([&](std::string_view cmd, std::string_view tr, const Sum& s) {
    out += fmt::format("kyc_request_errors_total{{command=\"{}\",transport=\"{}\"}} {}\n", cmd,
                       tr, s.errors);
  });
  out += "# HELP kyc_request_duration_seconds Time from a whole request to its answer.\n"
         "# TYPE kyc_request_duration_seconds histogram\n";
  each([&](std::string_view cmd, std::string_view tr, const Sum& s) {
    RenderHistogram(out, "kyc_request_duration_seconds",
                    fmt::format("command=\"{}\",transport=\"{}\"", cmd, tr), kLatencyBounds,
                    s.buckets, static_cast<double>(s.nanos) / 1e9);
  });
  out += fmt::format(
      "# HELP kyc_requests_in_flight Requests taken and not yet answered.\n"
      "# TYPE kyc_requests_in_flight gauge\nkyc_requests_in_flight {}\n",
      in_flight);
  out += fmt::format(
      "# HELP kyc_login_failures_total Logins refused (wrong login or password, throttled, disabled).\n"
      "# TYPE kyc_login_failures_total counter\nkyc_login_failures_total {}\n",
      login_failures_.load(std::memory_order_relaxed));
  std::string last;
  for (const auto& g : gauges_) {
    if (g.name != last) {
      out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", g.name, g.help, g.name);
      last = g.name;
    }
    out += g.labels.empty() ? fmt::format("{} {}\n", g.name, Number(g.value()))
                            : fmt::format("{}{{{}}} {}\n", g.name, g.labels, Number(g.value()));
  }
  for (const auto& section : sections_) section(out);
  return out;
}

}  // namespace kyc
