// Sessions of everyone who signs in: complainants (reference + access code, see
// complainant_sessions.hpp) and staff (e-mail + password + TOTP, see staff_accounts.hpp).
// Tokens are 256-bit random and only their SHA-256 is stored (docs/security.md "Sessions").
// Thread-safe: one instance serves every request thread.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/domain/config.hpp"
#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"

namespace grievance::domain {

struct SignedIn {
  std::string token;  // the bearer token in clear: returned once, only its hash is stored
  Session session;
};

class SessionService {
 public:
  SessionService(AccountStore& accounts, Crypto& crypto, RandomSource& random, const Clock& clock,
                 const ServiceConfig& config);

  // Opens a session for `principal` (role and case_id / user_id / org_id set by the caller)
  // that ends `lifetime` from now: a fresh token and CSRF token, stored durably.
  Result<SignedIn> open(Session principal, std::chrono::seconds lifetime);

  // Resolves a bearer token or cookie value. kUnauthorized when unknown, expired (absolute),
  // or - for staff - idle for longer than the idle limit; a successful call counts as
  // activity. Reads only (idle time is tracked in memory; a restart restarts the idle clock
  // from creation, which only ever shortens a session), so it may run on an I/O thread.
  Result<Session> authenticate(std::string_view token);

  // Invalidates the session for real (deletes it). Idempotent.
  Status sign_out(std::string_view token);

 private:
  void forget_activity(const std::string& token_hash);

  AccountStore& accounts_;
  Crypto& crypto_;
  RandomSource& random_;
  const Clock& clock_;
  const ServiceConfig& config_;
  // Last activity per staff session token hash (idle expiry), in memory only.
  std::mutex activity_mu_;
  std::unordered_map<std::string, TimePoint> activity_;  // GUARDED_BY(activity_mu_)
};

}  // namespace grievance::domain
