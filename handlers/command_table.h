// The command table: one row per wire command. TCP dispatch, the access checks, the REST
// router, kycctl --help and the command list in docs/PROTOCOL.md all read it.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "handlers/call.h"
#include "protocol/session_type.h"

namespace kyc {

enum CommandFlag : uint32_t {
  kRead = 0,
  kWrite = 1u << 0,  // changes a base: runs on that base's writer strand, acked after commit
  kSlow = 1u << 1,   // CPU-heavy (password hashing): runs off the I/O threads
  kSessionChange = 1u << 2,  // binds or unbinds the TCP connection's session
  kUpload = 1u << 3,  // HTTP only: the body is multipart/form-data with a file
};

enum class BaseId : uint8_t { kNone, kKyc, kStaff, kStorage };

struct RestRoute {
  std::string_view method;  // empty: no route
  std::string_view path;    // "/manager/kyc/templates/{id}"
};

struct CommandSpec {
  std::string_view name;
  Handler handler;
  AccessMask access;        // kNoSession: callable without a session
  uint32_t flags;
  BaseId base;              // the base a kWrite command changes
  std::array<RestRoute, 2> routes;
  std::string_view params;  // "{login, password} → session", for the docs and --help
  std::string_view summary;
};

std::span<const CommandSpec> Commands();

// How a connection orders a pipelined request behind earlier ones that are still running:
// reads wait for earlier writes (a client reads its own writes), writes to one base
// pipeline freely (the base's queue keeps their order), and a session change waits for
// everything before it and holds back everything after it.
enum class Ordering : uint8_t { kRead, kWrite, kBarrier };
struct OrderKey {
  Ordering ordering = Ordering::kRead;
  BaseId base = BaseId::kNone;
};
OrderKey OrderingOf(std::string_view command);
// Reads run on the calling thread; writes go to their base's strand, slow work to a pool.
inline bool RunsInline(const CommandSpec& spec) { return !(spec.flags & (kWrite | kSlow)); }
// nullptr for an unknown name.
const CommandSpec* FindCommand(std::string_view name);

// The command list as a Markdown table (docs/PROTOCOL.md embeds it verbatim).
std::string CommandListMarkdown();

}  // namespace kyc
