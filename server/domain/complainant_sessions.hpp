// A complainant signs in with the case reference and the 16-digit access code shown once at
// filing (docs/security.md "Access codes"). Only an HMAC of the code under a server key is
// stored, bound to its reference; failed attempts are throttled per reference and per client.
// Thread-safe.
#pragma once

#include <string_view>

#include "server/domain/config.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/sessions.hpp"
#include "server/domain/sign_in_throttle.hpp"

namespace grievance::domain {

// The stored form of an access code: an HMAC under the server's key, bound to the reference,
// so one code's HMAC is worthless for another case.
std::string access_code_mac(const Crypto& crypto, std::string_view reference,
                            std::string_view code);

class ComplainantSessions {
 public:
  ComplainantSessions(CaseStore& cases, Crypto& crypto, const Clock& clock,
                      const ServiceConfig& config, SignInThrottle& throttle,
                      SessionService& sessions);

  // `client_key` identifies the client for rate limiting (its address); it is kept in memory
  // only. The right pair always signs in unless the client is locked out: a reference that
  // has seen too many wrong codes refuses only wrong codes (docs/security.md "Access codes").
  // Errors: kUnauthorized (wrong pair, same answer for an unknown reference), kRateLimited
  // (the client is locked out, or a wrong code for a locked reference; retry_after_seconds
  // set).
  Result<SignedIn> sign_in(std::string_view reference, std::string_view access_code,
                           std::string_view client_key);

 private:
  CaseStore& cases_;
  Crypto& crypto_;
  const Clock& clock_;
  const ServiceConfig& config_;
  SignInThrottle& throttle_;
  SessionService& sessions_;
};

}  // namespace grievance::domain
