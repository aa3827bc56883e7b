// Sessions (PROTOCOL.md §2): random tokens with an expiry, held in memory, and login
// throttling per login and per peer address.
//
// Sessions are not persisted: a restart ends every session and callers log in again.
// Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "env/env.h"
#include "protocol/permissions.h"
#include "protocol/session_type.h"
#include "protocol/status.h"

namespace kyc {

struct Session {
  std::string token;
  SessionType type = SessionType::kManager;
  std::optional<int64_t> manager_id;   // staff sessions
  std::string login;                   // staff sessions
  // Staff sessions: what the account's roles grant, fixed at login (a role change ends
  // the account's sessions), and the roles' names for the forbidden message.
  PermMask permissions = 0;
  std::string roles;                   // "compliance,risk"
  std::optional<int64_t> customer_id;  // client sessions
  std::string brand;                   // client sessions
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::atomic<bool> revoked{false};

  bool AliveAt(int64_t now) const { return !revoked.load() && now < expires_at; }
};
using SessionPtr = std::shared_ptr<Session>;

// Tokens are 32 random bytes (256 bits), hex-encoded.
class SessionStore {
 public:
  SessionStore(const Clock& clock, Random& random) : clock_(clock), random_(random) {}

  // Mints a session from `proto` (type, ids, login, brand) valid for `ttl` seconds.
  SessionPtr Create(const Session& proto, int64_t ttl);
  // The live session for `token`, or nullptr (unknown, expired or revoked).
  SessionPtr Find(std::string_view token);
  void Revoke(const Session& s);
  // Ends every session of one staff account (disabled, or its type or roles changed).
  void RevokeManager(int64_t manager_id);
  // Ends every staff session whose roles include `role` (the role's permissions changed).
  void RevokeRole(std::string_view role);
  size_t size();

 private:
  void PurgeExpiredLocked(int64_t now);

  const Clock& clock_;
  Random& random_;
  std::mutex mu_;
  std::unordered_map<std::string, SessionPtr> by_token_;  // by TokenKey; guarded by mu_
  int64_t next_purge_ = 0;                                 // guarded by mu_
};

struct ThrottleOptions {
  int max_failures_per_login = 5;
  int max_failures_per_peer = 20;
  int64_t window_seconds = 900;  // failures older than this are forgotten
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleOptions options) : clock_(clock), options_(options) {}

  // rate_limited when the login or the peer has failed too often in the window.
  Status Check(std::string_view login, std::string_view peer);
  void Failed(std::string_view login, std::string_view peer);
  void Succeeded(std::string_view login);

 private:
  struct Counter {
    int failures = 0;
    int64_t window_start = 0;
  };
  bool Over(std::unordered_map<std::string, Counter>& m, std::string_view key, int limit,
            int64_t now);
  void Bump(std::unordered_map<std::string, Counter>& m, std::string_view key, int64_t now);

  const Clock& clock_;
  ThrottleOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Counter> by_login_;  // guarded by mu_
  std::unordered_map<std::string, Counter> by_peer_;   // guarded by mu_
};

}  // namespace kyc
