// Staff sign-in (admin, union, company, auditor): e-mail and password (scrypt), and a TOTP
// code (RFC 6238) when the account has a second factor or is an admin under
// require_totp_for_admins. docs/security.md "Staff accounts". Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "server/domain/config.hpp"
#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/sessions.hpp"
#include "server/domain/sign_in_throttle.hpp"

namespace grievance::domain {

struct TotpEnrolment {
  std::string secret_base32;  // shown once
  std::string otpauth_uri;
};

// The signed-in staff member as the pages name them.
struct StaffProfile {
  std::string email;
  Role role = Role::kAdmin;
  std::string organisation_name;  // empty for admins
};

class StaffAccounts {
 public:
  // `hasher` may be null where no staff signs in (some tests); sign_in then answers
  // kUnavailable.
  StaffAccounts(AccountStore& accounts, DirectoryStore& directory, Crypto& crypto,
                RandomSource& random, const Clock& clock, const ServiceConfig& config,
                SignInThrottle& throttle, SessionService& sessions, const PasswordHasher* hasher);

  // Rate limited per account and per client like the complainant's; the same answer
  // (kUnauthorized) for an unknown e-mail, a wrong password, a wrong or replayed TOTP code and
  // a disabled account; a password hash is computed even for an unknown e-mail so timing does
  // not tell. kRateLimited when locked out.
  Result<SignedIn> sign_in(std::string_view email, std::string_view password, std::string_view totp,
                           std::string_view client_key);
  // Enrols (or replaces) the signed-in staff user's TOTP secret; the secret is shown once.
  Result<TotpEnrolment> enrol_totp(const Session& s);
  // Who is signed in (for the staff pages' header). kUnauthorized for a non-staff session.
  Result<StaffProfile> profile(const Session& s);

 private:
  const std::string& dummy_password_hash();

  AccountStore& accounts_;
  DirectoryStore& directory_;
  Crypto& crypto_;
  RandomSource& random_;
  const Clock& clock_;
  const ServiceConfig& config_;
  SignInThrottle& throttle_;
  SessionService& sessions_;
  const PasswordHasher* hasher_;
  std::once_flag dummy_once_;
  std::string dummy_password_hash_;  // for unknown e-mails (timing); set once, then read-only
};

}  // namespace grievance::domain
