// The integration tests: they run the real kyc-server and kycctl binaries.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <csignal>

#include <doctest/doctest.h>

namespace {

// A server closing a connection must fail a send, not kill the test process.
const bool kSigpipeIgnored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

}  // namespace
