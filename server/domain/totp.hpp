// Time-based one-time passwords (RFC 6238, on HOTP RFC 4226) as the optional second factor of
// staff sign-in. The HMAC comes through the Crypto port, so this file stays std only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/domain/ports/crypto.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

struct TotpParams {
  Crypto::Hash hash = Crypto::Hash::kSha1;  // what authenticator apps implement
  int digits = 6;                           // 6..8
  std::chrono::seconds step{30};            // X in RFC 6238; T0 = 0
  int window = 1;                           // steps accepted either side of now (clock drift)
};

// The time step of `t` (RFC 6238 T = floor((t - T0) / X)).
std::int64_t totp_step(TimePoint t, const TotpParams& p = {});
// The code for step `step` (RFC 4226 dynamic truncation), zero-padded to p.digits.
std::string totp_code(const Crypto& crypto, std::string_view secret, std::int64_t step,
                      const TotpParams& p = {});
// The step whose code equals `code` among now-window..now+window (constant-time compare), or
// nullopt. The caller must still refuse a step that was already used (replay).
std::optional<std::int64_t> match_totp(const Crypto& crypto, std::string_view secret,
                                       std::string_view code, TimePoint now,
                                       const TotpParams& p = {});

// RFC 4648 base32 without padding (authenticator apps' secret format), and its decoder
// (case-insensitive, spaces ignored; nullopt on other characters).
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);
// "otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30"
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace grievance::domain
