// Prints what docs/ carries generated from the command table, for a unit test to keep in
// step: the command list of docs/PROTOCOL.md (embedded between markers), or with
// --openapi the OpenAPI document of docs/openapi.json.
#include <cstdio>
#include <cstring>

#include "protocol/commands.h"
#include "protocol/openapi.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--openapi") == 0) {
    std::fputs(kyc::OpenApiJson(KYC_VERSION).c_str(), stdout);
    return 0;
  }
  std::fputs(kyc::CommandListMarkdown().c_str(), stdout);
  return 0;
}
