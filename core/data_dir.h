// The data directory holds KYC answers, audit rows and password hashes: only the server's
// own user may read or change it (issue 17). Directories are 0700 and files 0600 whatever
// the umask, and a directory others can write is refused rather than trusted.
#pragma once

#include <string>

#include "protocol/status.h"

namespace kyc {

// Creates `dir`, `dir/bases` and `dir/storage` (0700) if missing. failed_precondition-like
// `unavailable` when `dir` (existing) is writable by its group or others; otherwise sets
// the three directories to 0700 and every file below them to 0600 (a data directory made
// by an older version, or under a lax umask, is tightened at start).
Status SecureDataDir(const std::string& dir);

}  // namespace kyc
