// Case references and access codes (docs/domain.md "Filing", docs/security.md "Access codes").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/domain/ports/crypto.hpp"

namespace grievance::domain {

// "GRV-XXXX-XXXX": 8 Crockford base32 characters = 40 random bits, readable on a phone call
// (no I, L, O, U).
std::string generate_reference(RandomSource& random);
// Upper-cases, maps the Crockford look-alikes (O->0, I/L->1), accepts missing dashes;
// nullopt when it cannot be a reference.
std::optional<std::string> normalise_reference(std::string_view input);

// 16 decimal digits from the CSPRNG, uniformly distributed (rejection sampling).
std::string generate_access_code(RandomSource& random);
// Strips spaces and dashes; nullopt unless exactly 16 digits remain.
std::optional<std::string> normalise_access_code(std::string_view input);
// "1234 5678 9012 3456".
std::string group_access_code(std::string_view sixteen_digits);

// 256-bit random session token, base64url without padding (43 characters).
std::string generate_token(RandomSource& random);

// Equality whose time depends only on the lengths, for secrets (MACs, CSRF tokens, password
// hashes). The one implementation every layer uses.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace grievance::domain
