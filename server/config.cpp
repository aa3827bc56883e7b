#include "server/config.h"

#include "net/endpoint.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <toml++/toml.h>


namespace kyc {

namespace {

template <typename T>
Status Take(const toml::table& t, std::string_view path, T& out) {
  auto node = t.at_path(path);
  if (!node) return Status::Ok();
  if constexpr (std::is_same_v<T, bool>) {
    if (auto v = node.value<bool>()) { out = *v; return Status::Ok(); }
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node.value<std::string>()) { out = *v; return Status::Ok(); }
  } else {
    if (auto v = node.value<int64_t>(); v && *v >= 0) {
      out = static_cast<T>(*v);
      return Status::Ok();
    }
  }
  return Error(Code::kBadRequest, "config key '{}' has the wrong type", path);
}

// [policy.default] and [policy.brands.<brand>]: operation = minimum KYC level.
Status ApplyRules(const toml::table& table, std::string_view path,
                  std::map<std::string, OperationRule, std::less<>>& rules) {
  for (const auto& [key, node] : table) {
    std::string op(key.str());
    if (!IsOperation(op)) {
      return Error(Code::kBadRequest,
                   "config key '{}.{}': operation must be one of {}", path, op, kOperationList);
    }
    auto level = node.value<int64_t>();
    if (!level || *level < 0 || *level > 100) {
      return Error(Code::kBadRequest, "config key '{}.{}' must be a level from 0 to 100", path,
                   op);
    }
    rules[op] = OperationRule{*level};
  }
  return Status::Ok();
}

// A list of command names for approvals.require: each a write command whose request can
// be kept (no password, no file) and not an approval command itself.
Status ReadCommandList(const toml::node& node, std::string_view path,
                       std::vector<std::string>& out) {
  const toml::array* list = node.as_array();
  if (!list) return Error(Code::kBadRequest, "config key '{}' must be an array of command names", path);
  for (const auto& item : *list) {
    auto name = item.value<std::string>();
    const CommandSpec* spec = name ? FindCommand(*name) : nullptr;
    if (!spec || !(spec->flags & kWrite) || (spec->flags & kSlow) ||
        spec->name == "MngRejectRequest") {
      return Error(Code::kBadRequest,
                   "config key '{}': '{}' is not a command that can wait for approval (a write "
                   "without a password or a file)",
                   path, name.value_or("?"));
    }
    out.push_back(*name);
  }
  return Status::Ok();
}

// [accounts] approval_level, [accounts.brands.<brand>] approval_level; [approvals] ttl,
// require, [approvals.brands.<brand>] require (issue 15).
Status ApplyBackOffice(const toml::table& t, CoreOptions& core) {
  auto level_at = [&](const toml::node& node, std::string_view path, int64_t& out) -> Status {
    auto v = node.value<int64_t>();
    if (!v || *v < 1 || *v > 100) {
      return Error(Code::kBadRequest, "config key '{}' must be a level from 1 to 100", path);
    }
    out = *v;
    return Status::Ok();
  };
  if (const toml::table* a = t["accounts"].as_table()) {
    for (const auto& [key, node] : *a) {
      if (key.str() == "approval_level") {
        if (Status s = level_at(node, "accounts.approval_level", core.accounts.approval_level); !s.ok()) {
          return s;
        }
      } else if (key.str() == "brands" && node.is_table()) {
        for (const auto& [brand, sub] : *node.as_table()) {
          std::string path = fmt::format("accounts.brands.{}.approval_level", brand.str());
          const toml::table* bt = sub.as_table();
          const toml::node* lv = bt ? bt->get("approval_level") : nullptr;
          if (!lv) return Error(Code::kBadRequest, "config key '{}' is missing", path);
          int64_t level = 1;
          if (Status s = level_at(*lv, path, level); !s.ok()) return s;
          core.accounts.brands[std::string(brand.str())] = level;
        }
      } else {
        return Error(Code::kBadRequest,
                     "config key 'accounts.{}': use approval_level or brands.<brand>.approval_level",
                     key.str());
      }
    }
  }
  if (const toml::table* a = t["approvals"].as_table()) {
    for (const auto& [key, node] : *a) {
      if (key.str() == "ttl") {
        auto v = node.value<int64_t>();
        if (!v || *v < 60) {
          return Status(Code::kBadRequest, "config key 'approvals.ttl' must be >= 60 seconds");
        }
        core.approvals.ttl = *v;
      } else if (key.str() == "require") {
        if (Status s = ReadCommandList(node, "approvals.require", core.approvals.require); !s.ok()) {
          return s;
        }
      } else if (key.str() == "brands" && node.is_table()) {
        for (const auto& [brand, sub] : *node.as_table()) {
          std::string path = fmt::format("approvals.brands.{}.require", brand.str());
          const toml::table* bt = sub.as_table();
          const toml::node* req = bt ? bt->get("require") : nullptr;
          if (!req) return Error(Code::kBadRequest, "config key '{}' is missing", path);
          if (Status s = ReadCommandList(*req, path, core.approvals.brands[std::string(brand.str())]);
              !s.ok()) {
            return s;
          }
        }
      } else {
        return Error(Code::kBadRequest,
                     "config key 'approvals.{}': use ttl, require or brands.<brand>.require",
                     key.str());
      }
    }
  }
  return Status::Ok();
}

Status ApplyPolicy(const toml::table& t, KycPolicy& policy) {
  const toml::table* p = t["policy"].as_table();
  if (!p) return Status::Ok();
  for (const auto& [key, node] : *p) {
    const toml::table* sub = node.as_table();
    if (!sub) return Error(Code::kBadRequest, "config key 'policy.{}' must be a table", key.str());
    if (key.str() == "default") {
      if (Status s = ApplyRules(*sub, "policy.default", policy.defaults); !s.ok()) return s;
    } else if (key.str() == "brands") {
      for (const auto& [brand, rules] : *sub) {
        const toml::table* r = rules.as_table();
        std::string path = fmt::format("policy.brands.{}", brand.str());
        if (!r) return Error(Code::kBadRequest, "config key '{}' must be a table", path);
        auto& target = policy.brands[std::string(brand.str())];
        if (Status s = ApplyRules(*r, path, target); !s.ok()) return s;
      }
    } else {
      return Error(Code::kBadRequest, "config key 'policy.{}': use policy.default or "
                   "policy.brands.<brand>", key.str());
    }
  }
  return Status::Ok();
}

}  // namespace

std::optional<int64_t> ParseTimeOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
  const int64_t h = (text[0] - '0') * 10 + (text[1] - '0');
  const int64_t m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 3600 + m * 60;
}

Status ApplyToml(std::string_view toml_text, ServerConfig& c) {
  toml::table t;
  try {
    t = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return Error(Code::kBadRequest, "config: {} (line {})", e.description(),
                 e.source().begin.line);
  }
  auto& core = c.core;
  std::string sync;
  int64_t cache_mib = -1;
  Status steps[] = {
      Take(t, "data", core.data_dir),
      Take(t, "tcp", c.tcp),
      Take(t, "http", c.http),
      Take(t, "io_threads", c.io_threads),
      Take(t, "writer_threads", c.writer_threads),
      Take(t, "blocking_threads", c.blocking_threads),
      Take(t, "log_level", c.log_level),
      Take(t, "limits.max_frame_bytes", c.frame.max_body),
      Take(t, "limits.max_json_depth", core.max_json_depth),
      Take(t, "limits.max_in_flight", c.max_in_flight),
      Take(t, "limits.idle_timeout", c.idle_timeout),
      Take(t, "limits.frame_timeout", c.frame_timeout),
      Take(t, "limits.max_connections", c.max_connections),
      Take(t, "limits.max_connections_per_peer", c.max_connections_per_peer),
      Take(t, "limits.http_body_limit", c.http_body_limit),
      Take(t, "sessions.staff_ttl", core.staff_session_ttl),
      Take(t, "sessions.client_ttl", core.client_session_ttl),
      Take(t, "sessions.client_max_ttl", core.client_session_max_ttl),
      Take(t, "sessions.min_password_length", core.min_password_length),
      Take(t, "throttle.max_failures_per_login", core.throttle.max_failures_per_login),
      Take(t, "throttle.max_failures_per_peer", core.throttle.max_failures_per_peer),
      Take(t, "throttle.window_seconds", core.throttle.window_seconds),
      Take(t, "password_hash.ops_limit", core.password_hash.ops_limit),
      Take(t, "password_hash.mem_limit", core.password_hash.mem_limit),
      Take(t, "bases.group_commit", core.bases.group_commit),
      Take(t, "bases.synchronous", sync),
      Take(t, "cache.profile_json_mib", cache_mib),
      Take(t, "storage.max_upload_bytes", core.max_upload_bytes),
      Take(t, "kyc.expiry_interval", core.expiry_interval),
      Take(t, "aml.run_at", c.aml_run_at),
      Take(t, "aml.scheduler", c.aml_scheduler),
      Take(t, "aml.check_interval", c.aml_check_interval),
      Take(t, "aml.threads", core.aml_threads),
      Take(t, "events.max_backlog_bytes", c.event_backlog_bytes),
      Take(t, "webhooks.deny_private", core.webhooks_deny_private),
      Take(t, "webhooks.timeout", c.webhook_timeout),
      Take(t, "metrics.listen", c.metrics_listen),
  };
  for (auto& s : steps) {
    if (!s.ok()) return s;
  }
  if (Status s = ApplyPolicy(t, core.policy); !s.ok()) return s;
  if (Status s = ApplyBackOffice(t, core); !s.ok()) return s;
  if (!ParseTimeOfDay(c.aml_run_at)) {
    return Status(Code::kBadRequest, "config key 'aml.run_at' must be a UTC time HH:MM");
  }
  if (c.frame_timeout < 1 || c.frame_timeout > c.idle_timeout) {
    return Status(Code::kBadRequest,
                  "config key 'limits.frame_timeout' must be >= 1 and at most limits.idle_timeout");
  }
  if (c.max_connections < 1 || c.max_connections_per_peer < 1) {
    return Status(Code::kBadRequest,
                  "config keys 'limits.max_connections' and 'limits.max_connections_per_peer' "
                  "must be >= 1");
  }
  if (c.webhook_timeout < 1 || c.event_backlog_bytes < 4096) {
    return Status(Code::kBadRequest,
                  "config keys 'webhooks.timeout' must be >= 1 and 'events.max_backlog_bytes' "
                  ">= 4096");
  }
  if (!c.metrics_listen.empty() && !ParseEndpoint(c.metrics_listen).ok()) {
    return Status(Code::kBadRequest, "config key 'metrics.listen' must be HOST:PORT");
  }
  if (c.aml_check_interval < 1) {
    return Status(Code::kBadRequest, "config key 'aml.check_interval' must be >= 1");
  }
  if (core.aml_threads < 1 || core.aml_threads > 64) {
    return Status(Code::kBadRequest, "config key 'aml.threads' must be 1..64");
  }
  if (core.expiry_interval < 1) {
    return Status(Code::kBadRequest, "config key 'kyc.expiry_interval' must be >= 1");
  }
  if (cache_mib != -1) {
    if (cache_mib < 0 || cache_mib > (int64_t{1} << 20)) {
      return Status(Code::kBadRequest, "config key 'cache.profile_json_mib' must be 0..1048576");
    }
    core.bases.profile_cache_bytes = static_cast<size_t>(cache_mib) << 20;
  }
  if (!sync.empty()) {
    if (sync != "full" && sync != "normal") {
      return Status(Code::kBadRequest, "config key 'bases.synchronous' must be \"full\" or \"normal\"");
    }
    core.bases.full_sync = sync == "full";
  }
  return Status::Ok();
}

ConfigOutcome ParseServerConfig(int argc, char** argv) {
  ServerConfig c;
  CLI::App app{"KYC Manager server: the binary TCP protocol and the REST gateway over one "
               "command table"};
  std::string data, tcp, http, metrics, log_level;
  int io_threads = 0;
  bool no_group_commit = false;
  app.add_option("--config", c.config_file, "TOML file with further settings (flags win)")
      ->check(CLI::ExistingFile);
  app.add_option("--data", data, "data directory (default ./data)");
  app.add_option("--tcp", tcp, "TCP listen address HOST:PORT (default 127.0.0.1:7400)");
  app.add_option("--http", http, "HTTP listen address HOST:PORT (default 127.0.0.1:8080)");
  app.add_option("--metrics", metrics,
                 "serve GET /metrics without a token on this HOST:PORT (off by default; "
                 "otherwise /metrics needs a staff token with metrics.read)");
  app.add_option("--io-threads", io_threads, "I/O threads (default 2)")->check(CLI::Range(1, 256));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off");
  app.add_flag("--no-group-commit", no_group_commit,
               "one transaction per write (for benchmarks only)");
  app.footer("Environment: KYC_ADMIN_PASSWORD creates the login 'admin' (SESSION_ADMIN) "
             "when the staff base is empty.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, app.exit(e)};
  }
  if (!c.config_file.empty()) {
    std::ifstream in(c.config_file);
    std::stringstream text;
    text << in.rdbuf();
    if (Status s = ApplyToml(text.str(), c); !s.ok()) {
      std::fprintf(stderr, "%s: %s\n", c.config_file.c_str(), s.message().c_str());
      return {std::nullopt, 2};
    }
  }
  if (!data.empty()) c.core.data_dir = data;
  if (!tcp.empty()) c.tcp = tcp;
  if (!http.empty()) c.http = http;
  if (!metrics.empty()) c.metrics_listen = metrics;
  if (io_threads > 0) c.io_threads = io_threads;
  if (!log_level.empty()) c.log_level = log_level;
  if (no_group_commit) c.core.bases.group_commit = false;
  for (const auto& ep : {c.tcp, c.http, c.metrics_listen}) {
    if (ep.empty()) continue;
    if (auto r = ParseEndpoint(ep); !r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().message().c_str());
      return {std::nullopt, 2};
    }
  }
  return {std::move(c), 0};
}

}  // namespace kyc
