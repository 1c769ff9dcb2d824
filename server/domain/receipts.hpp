// Proof of filing (docs/domain.md "Receipts"): the server signs the case reference, the filing
// time and the SHA-256 of everything the complainant filed, so the complainant can later prove
// what was filed and when - with `grievance verify-receipt` or POST /api/v1/receipts/verify.
#pragma once

#include <string>

#include "server/domain/ports/crypto.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// A signed proof of filing. The signature covers receipt_message().
struct Receipt {
  std::string reference;
  TimePoint filed_at;
  std::string content_sha256;  // hex SHA-256 of canonical_content(complaint)
  std::string key_id;
  std::string signature;  // base64url Ed25519
};

// The exact bytes that are signed: "grievance-receipt-v1\n<reference>\n<filed_at>\n<sha256>\n".
std::string receipt_message(const Receipt& r);
// True when `r` is well-formed and carries the server's signature (crypto's key).
bool verify_receipt(const Crypto& crypto, const Receipt& r);
// A deterministic, length-prefixed serialisation of everything the complainant filed; its
// SHA-256 goes on the receipt.
std::string canonical_content(const Complaint& c);
// The receipt of a stored case. Ed25519 is deterministic: re-signing a stored case gives the
// receipt it was filed with.
Receipt sign_receipt(const Crypto& crypto, const Case& c);

}  // namespace grievance::domain
