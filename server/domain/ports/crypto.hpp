// The cryptography the domain needs, as interfaces: OpenSSL implements them in server/crypto/,
// tests use deterministic fakes. docs/security.md "At rest": the keys and what each protects.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace grievance::domain {

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

}  // namespace grievance::domain
