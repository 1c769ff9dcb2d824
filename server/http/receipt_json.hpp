// The proof-of-filing receipt as JSON (SPEC section 4), shared by the API (201 answers,
// POST /api/v1/receipts/verify) and `grievance verify-receipt FILE`.
#pragma once

#include <nlohmann/json.hpp>

#include "server/domain/receipts.hpp"
#include "server/domain/result.hpp"

namespace grievance::http {

// {"reference","filed_at","content_sha256","key_id","signature"}.
nlohmann::json receipt_to_json(const domain::Receipt& r);

// Accepts the receipt object itself or any object holding it under "receipt" (the whole 201
// answer of POST /api/v1/complaints). Errors: kInvalidRequest when not an object,
// kInvalidField naming a missing, unknown or malformed member.
domain::Result<domain::Receipt> receipt_from_json(const nlohmann::json& j);

}  // namespace grievance::http
