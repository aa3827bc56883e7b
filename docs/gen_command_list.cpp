// Prints the command list generated from the command table; docs/PROTOCOL.md embeds it
// between markers and a unit test keeps the two in step.
#include <cstdio>

#include "protocol/commands.h"

int main() {
  std::fputs(kyc::CommandListMarkdown().c_str(), stdout);
  return 0;
}
