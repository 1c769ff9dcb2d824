// The interfaces the domain needs from the outside world. Implementations live elsewhere:
// storage/ (CaseStore), server/crypto/ (Crypto, FieldCipher, RandomSource), and in-memory
// fakes in tests. The domain never includes Beast, SQLite or OpenSSL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// Injectable time (tests use a manual clock).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// A cryptographically secure random source. Thread-safe.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// Operations under the server's keys (kept outside the database). Thread-safe.
class Crypto {
 public:
  virtual ~Crypto() = default;
  // Lower-case hex HMAC-SHA256 of `data` under the server's access-code key.
  virtual std::string hmac_hex(std::string_view data) const = 0;
  // Lower-case hex SHA-256.
  virtual std::string sha256_hex(std::string_view data) const = 0;
  // Signature over `message` with the server's receipt signing key (Ed25519), base64url
  // without padding.
  virtual std::string sign(std::string_view message) const = 0;
  // True when `signature` (base64url) is the server's signature over `message`.
  virtual bool verify(std::string_view message, std::string_view signature) const = 0;
  // An identifier of the signing key (first 16 hex chars of SHA-256 of the public key).
  virtual std::string signing_key_id() const = 0;
  // Raw HMAC of `data` under an arbitrary `key` (RFC 2104), for RFC 6238 TOTP. Not the server
  // key: the caller supplies it.
  enum class Hash { kSha1, kSha256, kSha512 };
  virtual std::string hmac(Hash hash, std::string_view key, std::string_view data) const = 0;
};

// Authenticated encryption of a field at rest (AES-256-GCM in server/crypto). Thread-safe.
// The associated data binds a ciphertext to its row and column, so a ciphertext copied into
// another row does not decrypt.
class FieldCipher {
 public:
  virtual ~FieldCipher() = default;
  // Returns version byte || 12-byte nonce || ciphertext || 16-byte tag.
  virtual std::string seal(std::string_view plaintext, std::string_view associated_data) const = 0;
  // nullopt when the ciphertext was changed, truncated or bound to other associated data.
  virtual std::optional<std::string> open(std::string_view sealed,
                                          std::string_view associated_data) const = 0;
};

// Staff password hashing: scrypt with OWASP parameters (N=2^17, r=8, p=1), at most two
// hashes computed at once process-wide (each needs 128 MiB). Thread-safe; blocks.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // A self-describing string "$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>" with a fresh salt.
  virtual std::string hash(std::string_view password) const = 0;
  // Constant-time check of `password` against a string produced by hash().
  virtual bool verify(std::string_view password, std::string_view stored) const = 0;
};

// Everything the domain stores. Writes return only after the change is durable on disk
// (fsync'd, group commit); reads see every write that has returned. Thread-safe: any thread
// may call any method. Errors: kUnavailable when the database cannot be reached, kConflict
// on a uniqueness violation (e.g. a reference that already exists), kNotFound where stated.
class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // ---- cases ----
  // Stores a new case with its parties (Case::parties) and first events atomically (all or
  // nothing). Assigns and returns the case id. kConflict if the reference exists, or if
  // Case::filing_key_hash is set and already recorded for another case (a retried filing).
  virtual Result<std::int64_t> create_case(const Case& c, const std::vector<CaseEvent>& events) = 0;
  // Stores several new cases, each with its parties and events, in ONE transaction (a union's
  // batch of digitised paper forms): all of them or none. Returns the ids in order.
  // kConflict (nothing stored) if any reference or filing key exists.
  struct NewCase {
    Case c;
    std::vector<CaseEvent> events;
  };
  virtual Result<std::vector<std::int64_t>> create_cases(const std::vector<NewCase>& cases) = 0;
  // Routes a triage case: adds `parties` and appends `events` (the routing events) in one
  // transaction. kNotFound if no such case; kConflict if the case already has parties.
  virtual Status add_case_parties(std::int64_t case_id, const std::vector<CaseParty>& parties,
                                  const std::vector<CaseEvent>& events) = 0;
  // The cases matching `q` (scope and filters), newest first: ORDER BY created_at DESC, id DESC,
  // at most q.limit. Narrative and contact are NOT loaded (left empty): the list never shows
  // them. Parties are loaded. "Overdue" at q.now means: status received and ack_due < now; or
  // status received/acknowledged and response_due < now; or status not in (resolved, closed,
  // rejected, withdrawn, escalated) and resolution_due < now (see domain::is_overdue).
  virtual Result<std::vector<Case>> list_cases(const CaseQuery& q) = 0;
  // Appends one event to a case and optionally updates the case's status and updated_at in
  // the same transaction. kNotFound if no such case. Returns the event id.
  virtual Result<std::int64_t> append_event(std::int64_t case_id, const CaseEvent& event,
                                            std::optional<CaseStatus> new_status) = 0;
  virtual Result<std::optional<Case>> find_case_by_reference(std::string_view reference) = 0;
  virtual Result<std::optional<Case>> find_case(std::int64_t case_id) = 0;
  // The case filed with this filing key hash, if any.
  virtual Result<std::optional<Case>> find_case_by_filing_key(std::string_view filing_key_hash) = 0;
  // Events of a case in seq order.
  virtual Result<std::vector<CaseEvent>> case_events(std::int64_t case_id) = 0;
  virtual Result<std::int64_t> count_cases() = 0;

  // ---- sites, organisations, supply links ----
  // Updates replace every field but the id; kNotFound when the id is unknown.
  virtual Result<std::int64_t> create_organisation(const Organisation& o) = 0;
  virtual Result<std::optional<Organisation>> find_organisation(std::int64_t id) = 0;
  virtual Result<std::vector<Organisation>> list_organisations() = 0;  // by name, disabled too
  virtual Status update_organisation(const Organisation& o) = 0;
  virtual Result<std::int64_t> create_site(const Site& s) = 0;
  virtual Result<std::optional<Site>> find_site(std::int64_t id) = 0;
  virtual Result<std::vector<Site>> list_sites() = 0;  // by country, name; disabled too
  virtual Status update_site(const Site& s) = 0;
  // Enabled sites whose name or region contains `query` (case-insensitive, may be empty) and
  // whose country equals `country` (when not empty), ordered by country then name, at most
  // `limit`.
  virtual Result<std::vector<Site>> search_sites(std::string_view query, std::string_view country,
                                                 int limit) = 0;
  // kConflict when an enabled link with the same supplier, buyer and sector exists.
  virtual Result<std::int64_t> create_supply_link(const SupplyLink& l) = 0;
  virtual Result<std::optional<SupplyLink>> find_supply_link(std::int64_t id) = 0;
  virtual Result<std::vector<SupplyLink>> list_supply_links() = 0;  // by id, disabled too
  virtual Status update_supply_link(const SupplyLink& l) = 0;

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

  // ---- sessions ----
  // Also deletes every session that expired at or before s.created_at.
  virtual Status create_session(const Session& s) = 0;
  // nullopt when unknown. Expiry is checked by the caller (the domain), not here.
  virtual Result<std::optional<Session>> find_session(std::string_view token_hash) = 0;
  virtual Status delete_session(std::string_view token_hash) = 0;

  // True when the database answers a trivial query (GET /healthz).
  virtual bool healthy() = 0;
};

}  // namespace grievance::domain
