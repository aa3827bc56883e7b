// The handler of each command: the binding of handlers/handlers.h to the rows of the
// command table (protocol/commands.h). Only the dispatcher needs it.
#pragma once

#include "handlers/call.h"
#include "protocol/commands.h"

namespace kyc {

struct HandlerBinding {
  constexpr HandlerBinding(std::string_view n, Handler r) : name(n), run(r) {}
  constexpr HandlerBinding(std::string_view n, Handler r, Prepare p,
                           bool (*needs)(const Params&) = nullptr)
      : name(n), run(r), prepare(p), needs_prepare(needs), has_prepare(true) {}
  constexpr HandlerBinding(std::string_view n, Handler r, FourEyes f)
      : name(n), run(r), four_eyes(f) {}
  constexpr HandlerBinding(std::string_view n, Handler r, Prepare p, bool (*needs)(const Params&),
                           FourEyes f)
      : name(n), run(r), prepare(p), needs_prepare(needs), has_prepare(true), four_eyes(f) {}

  std::string_view name;  // the row's name (checked against the table at compile time)
  Handler run;            // on the I/O thread, the writer strand or the blocking pool (flags)
  // kWrite | kSlow commands: the slow part, on the blocking pool before the write is
  // queued (argon2id, a file written and fsynced); it leaves its output in Call::prepared.
  Prepare prepare = nullptr;
  // With a prepare stage: whether this request has slow work at all (null: always). One
  // without (MngUpdateManager with no new password) is queued on its writer at once, so it
  // never waits behind other slow work on the blocking pool.
  bool (*needs_prepare)(const Params&) = nullptr;
  // Set with `prepare` (a function pointer is not compared in a constant expression by
  // every build, e.g. under the sanitizers).
  bool has_prepare = false;
  // The built-in sensitive commands (issue 15): a call this finds sensitive is recorded as
  // an approval request instead of running. Null: only when the config lists the command.
  FourEyes four_eyes = nullptr;
};

const HandlerBinding& BindingOf(const CommandSpec& spec);

}  // namespace kyc
