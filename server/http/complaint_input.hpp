// Reading a complaint and a receipt from request JSON (POST /api/v1/complaints, one row of a
// union's JSON batch, POST /api/v1/receipts/verify): JSON types and unknown fields are checked
// here, every rule about values is the domain's (server/domain/validation.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include "server/domain/receipts.hpp"
#include "server/domain/result.hpp"
#include "server/domain/validation.hpp"

namespace grievance::http {

// The complaint object of POST /api/v1/complaints (README "Complaint fields", fixed names).
domain::Result<domain::ComplaintDraft> complaint_draft_from_json(const nlohmann::json& body);

// A receipt, or a whole filing answer that holds one under "receipt".
domain::Result<domain::Receipt> receipt_from_json(const nlohmann::json& body);

}  // namespace grievance::http
