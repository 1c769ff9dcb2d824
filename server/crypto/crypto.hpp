// OpenSSL implementations of the domain's crypto ports (ports.hpp): RandomSource, Crypto,
// FieldCipher and PasswordHasher, plus the server's key files. This header includes no OpenSSL
// header: every other layer may include it.
//
// Threads: every object returned here is thread-safe (no mutable state is shared except the
// process-wide scrypt semaphore). load_or_create_keys() must not run concurrently for the same
// directory in two processes (the serve command owns its data directory).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/domain/codes.hpp"
#include "server/domain/ports.hpp"
#include "server/domain/result.hpp"

namespace grievance::crypto {

// A CSPRNG backed by OpenSSL's RAND_bytes. fill() aborts the process if RAND_bytes fails:
// continuing without randomness would hand out guessable references and tokens.
std::unique_ptr<domain::RandomSource> make_system_random();

// The server's secrets. They live in files OUTSIDE the database (docs/security.md "At rest"), so a
// stolen database file alone neither decrypts narratives nor lets anyone brute-force access codes.
struct ServerKeys {
  std::string field_key;        // 32 bytes: AES-256-GCM key for fields at rest
  std::string hmac_key;         // 32 bytes: HMAC-SHA256 key for access codes
  std::string signing_key_pem;  // Ed25519 private key, PKCS#8 PEM, signs receipts
};

// File names inside the key directory.
inline constexpr std::string_view kFieldKeyFile = "field.key";
inline constexpr std::string_view kHmacKeyFile = "hmac.key";
inline constexpr std::string_view kSigningKeyFile = "signing.pem";

// On first use creates `key_dir` (mode 0700) with field.key, hmac.key (32 random bytes each)
// and signing.pem (a fresh Ed25519 key), each mode 0600, created with O_CREAT|O_EXCL and
// fsync'd; afterwards loads them.
// Errors (kInternal, message names the file but never its content):
//  - a key file readable or writable by group or other, or not owned by this user;
//  - a 32-byte key file of another size, or a PEM that is not an Ed25519 private key;
//  - some key files present and others missing (a new key would silently make the existing
//    data unreadable: the operator must restore the missing file);
//  - any I/O failure.
domain::Result<ServerKeys> load_or_create_keys(const std::string& key_dir);

// HMAC-SHA256 (hmac_key), SHA-256, Ed25519 receipts (signing_key_pem).
// REQUIRES: keys as returned by load_or_create_keys (aborts on an unusable signing key).
std::unique_ptr<domain::Crypto> make_crypto(const ServerKeys& keys);

// AES-256-GCM under field_key. Sealed format: 0x01 || 12-byte random nonce || ciphertext ||
// 16-byte tag; the associated data is authenticated but not stored.
// REQUIRES: keys.field_key.size() == 32.
std::unique_ptr<domain::FieldCipher> make_field_cipher(const ServerKeys& keys);

// scrypt (RFC 7914) with N = 2^log2_n, r = 8, p = 1, a 16-byte random salt and a 32-byte
// output; OWASP's parameters are log2_n = 17 (128 MiB per hash). At most two hashes run at
// once in the whole process (hash and verify block on a semaphore). Tests pass a smaller
// log2_n; verify() always uses the parameters recorded in the stored string (accepted range:
// ln 1..20, r 1..32, p 1..16, so a crafted string cannot demand unbounded memory).
std::unique_ptr<domain::PasswordHasher> make_password_hasher(int log2_n = 17);

// Raw scrypt, exposed for the RFC 7914 test vectors. nullopt if OpenSSL refuses the
// parameters.
std::optional<std::string> scrypt_raw(std::string_view password, std::string_view salt,
                                      std::uint64_t n, std::uint32_t r, std::uint32_t p,
                                      std::size_t out_len);

// RFC 4648 section 5 base64url without padding, and section 4 base64 without padding.
std::string base64url_encode(std::string_view bytes);
// nullopt on characters outside the alphabet, padding, or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode_unpadded(std::string_view bytes);
std::optional<std::string> base64_decode_unpadded(std::string_view text);

// Lower-case hex.
std::string to_hex(std::string_view bytes);

// Constant-time equality: the domain's one implementation (server/domain/codes.hpp).
using domain::constant_time_equal;

}  // namespace grievance::crypto
