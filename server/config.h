// Server configuration: command-line flags (CLI11) over an optional TOML file (toml++)
// over the defaults below. Every field has its default and meaning here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/core.h"
#include "net/endpoint.h"
#include "protocol/frame.h"

namespace kyc {

struct ServerConfig {
  CoreOptions core;                       // data dir, sessions, throttling, bases
  std::string tcp = "127.0.0.1:7400";     // TCP command listener
  std::string http = "127.0.0.1:8080";    // REST gateway listener
  int io_threads = 2;                     // threads running sockets and read handlers
  int writer_threads = 2;                 // threads running the bases' writer strands
  int blocking_threads = 2;               // threads for slow work (password hashing, AML runs)
  FrameLimits frame;                      // max frame body (1 MiB)
  size_t max_in_flight = 64;              // pipelined requests per TCP connection
  int64_t idle_timeout = 300;             // seconds before an idle connection is closed
  int64_t frame_timeout = 30;             // seconds a started TCP frame has to complete
  size_t max_connections = 4096;          // per listener, below the descriptor limit
  size_t max_connections_per_peer = 1024; // per listener and remote address
  size_t http_body_limit = 1 << 20;       // REST JSON body limit
  std::string aml_run_at = "02:00";       // when the AML checks of the day run (UTC, HH:MM)
  bool aml_scheduler = true;              // false: AML checks only by MngRunAmlChecks
  int64_t aml_check_interval = 60;        // seconds between looks at the clock for a due run
  size_t event_backlog_bytes = 1 << 20;   // events unread by a subscriber before it is dropped
  int64_t webhook_timeout = 10;           // seconds a webhook delivery may take
  std::string metrics_listen;             // metrics.listen: GET /metrics without a token here
  std::string log_level = "info";         // spdlog level: trace debug info warn error off
  std::string config_file;                // --config: the TOML file read, if any
};

struct ConfigOutcome {
  std::optional<ServerConfig> config;  // set when the server should run
  int exit_code = 0;                   // otherwise: exit with this (after --help, or an error)
};

// "HH:MM" → seconds after midnight; nullopt when malformed.
std::optional<int64_t> ParseTimeOfDay(std::string_view text);

// Parses flags and the optional --config TOML file. Prints help or errors itself.
ConfigOutcome ParseServerConfig(int argc, char** argv);

// Applies a TOML document's keys onto `config`. bad_request naming the key at fault.
Status ApplyToml(std::string_view toml_text, ServerConfig& config);

}  // namespace kyc
