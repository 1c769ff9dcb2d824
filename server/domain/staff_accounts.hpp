// Staff sign-in (admin, union, company, auditor): e-mail and password (scrypt), and a TOTP
// code (RFC 6238) when the account has a second factor or is an admin under
// require_totp_for_admins. docs/security.md "Staff accounts". Thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

// The password checks that may be in flight at once (hashing, or waiting for one of the
// hasher's slots), so that a flood of sign-ins never holds more than that many request
// threads: the rest are refused at once (issue 8: waiting hashes filled the blocking pool that
// filing uses). Thread-safe; never blocks.
class PasswordCheckQueue {
 public:
  explicit PasswordCheckQueue(int capacity) : capacity_(capacity) {}

  // A place in the queue, given back when destroyed.
  class Place {
   public:
    explicit Place(PasswordCheckQueue& queue) : queue_(&queue) {}
    Place(Place&& other) noexcept : queue_(std::exchange(other.queue_, nullptr)) {}
    Place& operator=(Place&&) = delete;
    ~Place() {
      if (queue_ != nullptr) queue_->in_flight_.fetch_sub(1);
    }

   private:
    PasswordCheckQueue* queue_;
  };

  // A place, or nullopt at once when `capacity` checks are already in flight.
  std::optional<Place> try_enter();
  int in_flight() const { return in_flight_.load(); }

 private:
  const int capacity_;
  std::atomic<int> in_flight_{0};
};

class StaffAccounts {
 public:
  // `hasher` may be null where no staff signs in (some tests); sign_in then answers
  // kUnavailable.
  StaffAccounts(AccountStore& accounts, DirectoryStore& directory, Crypto& crypto,
                RandomSource& random, const Clock& clock, const ServiceConfig& config,
                SignInThrottle& throttle, SessionService& sessions, const PasswordHasher* hasher);

  // Rate limited per account, per client and, in a flood of failures, overall
  // (sign_in_throttle.hpp); each attempt is counted before it is checked. One answer
  // (kUnauthorized, same message, no field) for an unknown e-mail, a wrong password, a
  // missing, wrong or replayed TOTP code, a second factor that is required but not enrolled,
  // and a disabled account or organisation; each of them counts as a failure, and a password
  // hash is computed even for an unknown e-mail, so neither the answer, nor the lockout, nor
  // the timing tells which accounts exist or which passwords are right. kRateLimited (with
  // retry_after_seconds) when locked out, or at once when the queue of password checks is
  // full.
  Result<SignedIn> sign_in(std::string_view email, std::string_view password, std::string_view totp,
                           std::string_view client_key);
  // Enrols the signed-in staff user's TOTP secret, shown once. Needs the account's password,
  // and when a second factor is already enrolled also a current code of it (issue 8: a stolen
  // session must not take the second factor over). A wrong password, a missing or wrong code
  // answer alike (kForbidden, field "password") and count as failed sign-ins; kRateLimited as
  // for sign_in; kForbidden for a session that is not a staff user's.
  Result<TotpEnrolment> enrol_totp(const Session& s, std::string_view password,
                                   std::string_view totp, std::string_view client_key);
  // Who is signed in (for the staff pages' header). kUnauthorized for a non-staff session.
  Result<StaffProfile> profile(const Session& s);

 private:
  // Whether `password` is `user`'s; for no user, a check against a dummy hash that costs the
  // same. REQUIRES: a place in checks_.
  bool password_matches(const User* user, std::string_view password);
  // Whether `code` is a current code of `user`'s second factor not used before; a match is
  // recorded as used (RFC 6238 section 5.2). False when no secret is enrolled.
  Result<bool> use_totp_code(const User& user, std::string_view code, TimePoint now);
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
  PasswordCheckQueue checks_;
  std::once_flag dummy_once_;
  std::string dummy_password_hash_;  // for unknown e-mails (timing); set once, then read-only
};

}  // namespace grievance::domain
