// kyc-server: parses flags and runs the server. Everything else lives in kyccore.
#include "server/app.h"
#include "server/config.h"

int main(int argc, char** argv) {
  kyc::ConfigOutcome parsed = kyc::ParseServerConfig(argc, argv);
  if (!parsed.config) return parsed.exit_code;
  return kyc::RunServer(*parsed.config);
}
