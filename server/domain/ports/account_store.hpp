// Staff accounts and the sessions of everyone who signs in (complainants and staff).
// Implemented by storage/sqlite (sessions served from a cache that every session write keeps
// true) and by the fake; tests/storage/store_contract_test.cpp holds both to this contract.
//
// Thread-safe. Writes are durable when they return; reads see every returned write.
// Errors: kUnavailable; kConflict and kNotFound where stated.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // ---- staff accounts ----
  // kConflict when the e-mail exists (e-mails are compared lower-cased). totp_secret is sealed
  // at rest.
  virtual Result<std::int64_t> create_user(const User& u) = 0;
  virtual Result<std::optional<User>> find_user_by_email(std::string_view email) = 0;
  virtual Result<std::optional<User>> find_user(std::int64_t id) = 0;
  virtual Result<std::vector<User>> list_users() = 0;  // by email, disabled too
  // Replaces email, role, org_id, password_hash, disabled and totp_secret (not
  // totp_last_step). kNotFound; kConflict when the new e-mail belongs to another user.
  virtual Status update_user(const User& u) = 0;
  // Atomically records that TOTP time step `step` was used: succeeds only when `step` is
  // greater than the stored totp_last_step, else kConflict (a replayed code). kNotFound.
  virtual Status record_totp_step(std::int64_t user_id, std::int64_t step) = 0;
  // Deletes every session of the user (disabling an account or changing its password must
  // sign it out everywhere).
  virtual Status delete_user_sessions(std::int64_t user_id) = 0;

  // Deletes every complainant session of the case (a reissued access code ends them), and
  // forgets them wherever sessions are cached.
  virtual Status delete_case_sessions(std::int64_t case_id) = 0;

  // ---- sessions ----
  // Also deletes every session that expired at or before s.created_at.
  virtual Status create_session(const Session& s) = 0;
  // nullopt when unknown. Expiry is checked by the caller (the domain), not here.
  virtual Result<std::optional<Session>> find_session(std::string_view token_hash) = 0;
  virtual Status delete_session(std::string_view token_hash) = 0;
};

}  // namespace grievance::domain
