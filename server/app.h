// The server process: wires the core, the TCP listener and the REST gateway, runs the
// I/O threads, and stops gracefully on SIGTERM/SIGINT.
#pragma once

#include <memory>

#include "server/config.h"

namespace kyc {

// Runs the server until a stop signal; returns the process exit code.
int RunServer(const ServerConfig& config);

}  // namespace kyc
