#include "core/sessions.h"

#include <sodium.h>

#include <array>

namespace kyc {
namespace {

// Sessions are found by a digest of their token, never by the token itself: the map's
// comparisons then tell a timing attacker nothing about a real token (issue 17), and the
// match is confirmed in constant time.
std::string TokenKey(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

bool SameToken(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

SessionPtr SessionStore::Create(const Session& proto, int64_t ttl) {
  std::array<uint8_t, 32> raw{};
  random_.Fill(raw);
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());

  auto s = std::make_shared<Session>();
  s->token = hex.data();
  s->type = proto.type;
  s->manager_id = proto.manager_id;
  s->login = proto.login;
  s->permissions = proto.permissions;
  s->roles = proto.roles;
  s->customer_id = proto.customer_id;
  s->brand = proto.brand;
  s->created_at = clock_.Now();
  s->expires_at = s->created_at + ttl;

  std::lock_guard lock(mu_);
  PurgeExpiredLocked(s->created_at);
  by_token_[TokenKey(s->token)] = s;
  return s;
}

SessionPtr SessionStore::Find(std::string_view token) {
  std::lock_guard lock(mu_);
  auto it = by_token_.find(TokenKey(token));
  if (it == by_token_.end() || !SameToken(it->second->token, token)) return nullptr;
  if (!it->second->AliveAt(clock_.Now())) {
    by_token_.erase(it);
    return nullptr;
  }
  return it->second;
}

void SessionStore::Revoke(const Session& s) {
  std::lock_guard lock(mu_);
  auto it = by_token_.find(TokenKey(s.token));
  if (it != by_token_.end()) {
    it->second->revoked = true;
    by_token_.erase(it);
  }
}

void SessionStore::RevokeRole(std::string_view role) {
  std::lock_guard lock(mu_);
  for (auto it = by_token_.begin(); it != by_token_.end();) {
    // roles is "a,b,c": match a whole name.
    std::string_view roles = it->second->roles;
    bool has = false;
    for (size_t start = 0; start <= roles.size();) {
      size_t comma = roles.find(',', start);
      if (comma == std::string_view::npos) comma = roles.size();
      if (roles.substr(start, comma - start) == role) has = true;
      start = comma + 1;
    }
    if (has) {
      it->second->revoked = true;
      it = by_token_.erase(it);
    } else {
      ++it;
    }
  }
}

void SessionStore::RevokeManager(int64_t manager_id) {
  std::lock_guard lock(mu_);
  for (auto it = by_token_.begin(); it != by_token_.end();) {
    if (it->second->manager_id == manager_id) {
      it->second->revoked = true;
      it = by_token_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t SessionStore::size() {
  std::lock_guard lock(mu_);
  return by_token_.size();
}

void SessionStore::PurgeExpiredLocked(int64_t now) {
  // Amortized: at most one sweep a minute keeps abandoned tokens from piling up.
  if (now < next_purge_) return;
  next_purge_ = now + 60;
  std::erase_if(by_token_, [now](const auto& kv) { return !kv.second->AliveAt(now); });
}

bool LoginThrottle::Over(std::unordered_map<std::string, Counter>& m, std::string_view key,
                         int limit, int64_t now) {
  auto it = m.find(std::string(key));
  if (it == m.end()) return false;
  if (now - it->second.window_start >= options_.window_seconds) {
    m.erase(it);
    return false;
  }
  return it->second.failures >= limit;
}

void LoginThrottle::Bump(std::unordered_map<std::string, Counter>& m, std::string_view key,
                         int64_t now) {
  // Bounded memory under a spray of made-up logins or addresses: forget ended windows.
  if (m.size() >= 100'000) {
    std::erase_if(m, [&](const auto& kv) {
      return now - kv.second.window_start >= options_.window_seconds;
    });
  }
  auto& c = m[std::string(key)];
  if (c.failures == 0 || now - c.window_start >= options_.window_seconds) {
    c.failures = 0;
    c.window_start = now;
  }
  ++c.failures;
}

Status LoginThrottle::Check(std::string_view login, std::string_view peer) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.Now();
  if (Over(by_login_, login, options_.max_failures_per_login, now)) {
    return Error(Code::kRateLimited, "too many failed logins for '{}'; try again later", login);
  }
  if (!peer.empty() && Over(by_peer_, peer, options_.max_failures_per_peer, now)) {
    return Error(Code::kRateLimited, "too many failed logins from {}; try again later", peer);
  }
  return Status::Ok();
}

void LoginThrottle::Failed(std::string_view login, std::string_view peer) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.Now();
  Bump(by_login_, login, now);
  if (!peer.empty()) Bump(by_peer_, peer, now);
}

void LoginThrottle::Succeeded(std::string_view login) {
  std::lock_guard lock(mu_);
  by_login_.erase(std::string(login));
}

}  // namespace kyc
