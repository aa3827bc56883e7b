// What a handler receives: the session, the parsed params and the core. A handler
// never sees a socket, an HTTP object or a frame.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bases/storage_base.h"
#include "bases/writer_queue.h"
#include "core/core.h"
#include "core/kyc_txn.h"
#include "core/sessions.h"
#include "events/event.h"
#include "kyc/audit.h"
#include "protocol/json.h"
#include "staff/approvals.h"

namespace kyc {

// A file sent to POST /upload (multipart/form-data, field `file`). HTTP only.
struct Upload {
  std::string file_name;     // as the client named it: metadata only
  std::string content_type;  // as the client declared it: not trusted
  std::string data;
};

// A body signed by its sender (kSigned rows, HTTP only): the bytes as received and the
// X-Signature header, for the handler to verify before it trusts the params.
struct SignedBody {
  std::string body;
  std::string signature;
};

// What a command's prepare stage made on the blocking pool, before its write was queued,
// so that no writer transaction waits on slow work (docs/ARCHITECTURE.md, "Writers").
struct Prepared {
  std::string password_hash;          // MngAddManager, MngUpdateManager with a password
  std::shared_ptr<StoredFile> file;   // Upload: its row, the bytes already durable on disk
  // MngReconcilePayments: the statement compared (no id yet).
  std::shared_ptr<const Reconciliation> reconciliation;
  // Runs when the write did not commit (an error from the handler, a failed commit, a
  // stopped base): undoes what the prepare stage left outside the base (the file).
  std::function<void()> undo;
};

struct Call {
  Core& core;
  const Session* session;      // nullptr for commands that need no session
  const Params& params;
  std::string_view peer;       // remote address, for login throttling
  WriteBatch* batch = nullptr; // set for write commands: they run on their base's strand
  int64_t now = 0;             // the clock when the handler started
  const Upload* upload = nullptr;  // the file of an upload command (HTTP only)
  const SignedBody* signed_body = nullptr;  // kSigned commands (HTTP only)
  Prepared prepared;               // kWrite | kSlow commands: set by their prepare stage

  // Session effects for the transport: TCP binds the connection to `attach` after
  // Login/Auth and forgets it after Logout. HTTP carries a token per request instead.
  SessionPtr attach;
  bool detach = false;
  // Subscribe / Unsubscribe (TCP): the events this connection is to be sent from now on
  // (an empty topic list: none).
  std::optional<EventFilter> subscription;
  const EventFilter* subscribed = nullptr;  // the connection's events until now (TCP)
  // kRawBody rows (HTTP only): the answer's Content-Type and Content-Disposition.
  std::string content_type;
  std::string content_disposition;

  // A handler whose result is an immutable text it shares (a cached profile) may set this
  // and return an empty string (a non-empty one wins): the transports then send that text
  // with no copy of it made first.
  std::shared_ptr<const std::string> shared_result;
  // `return c.Share(text);` answers with `text` (see shared_result).
  std::string Share(std::shared_ptr<const std::string> text) {
    shared_result = std::move(text);
    return {};
  }

  // A four-eyes command run on approval (issue 15): the approver, named in the audit rows
  // beside the initiator (the session).
  std::optional<int64_t> approved_by;

  // Who the audit trail names for changes made by this call.
  Actor actor() const;
};

// The KYC workflow of a write handler on the kyc base's strand, acting as the caller.
inline KycTxn KycTxnOf(Call& c) {
  return KycTxn(c.core.kyc(), *c.batch, c.actor(), c.now, c.core.customer_mirror(),
                c.core.options().accounts);
}

// A handler returns the JSON text of its result, or an error.
using Handler = Result<std::string> (*)(Call&);
// A command's four-eyes check (issue 15): whether this call needs a second person, and if
// so what it would change. Reads committed memory before the write is queued (batch null),
// and the batch's view when an approval runs it (batch set), so a target that changed in
// between is seen. An error answers the request.
using FourEyes = Result<std::optional<ApprovalNeed>> (*)(const Call&);
// A prepare stage: the slow part of a kWrite | kSlow command, run on the blocking pool with
// no batch (`Call::batch` is null). An error answers the request; nothing is queued.
using Prepare = Status (*)(Call&);

}  // namespace kyc
