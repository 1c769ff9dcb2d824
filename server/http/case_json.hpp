// Complaints and cases as JSON: the request shape of a complaint (also one row of a union's
// batch) and the answers, each rendered for ONE viewer. What a viewer may see is decided by the
// domain when it builds the view (server/domain/case_view.hpp: show_contact, show_union,
// show_parties, show_actor_organisations); these functions only format what the view holds.
#pragma once

#include <nlohmann/json.hpp>

#include "server/domain/case_view.hpp"
#include "server/domain/filing_service.hpp"
#include "server/domain/validation.hpp"

namespace grievance::http {

// The complaint object of POST /api/v1/complaints (SPEC section 4, fixed field names). Checks
// JSON types and unknown fields; value rules are the domain's.
domain::Result<domain::ComplaintDraft> complaint_draft_from_json(const nlohmann::json& body);

// "read", "message", "act" ("none" never leaves the server: such a case answers 404).
std::string_view access_name(domain::CaseAccess a);

nlohmann::json event_json(const domain::CaseEvent& e);

// GET /api/v1/cases/{reference}.
nlohmann::json case_json(const domain::CaseView& v);

// GET /api/v1/cases: one page, never with narrative or contact.
nlohmann::json case_page_json(const domain::CasePage& page);

// The answer to a filing (single or one batch row): reference, status, ack_due, receipt, and
// the access code unless the filing was a replay (the code is never stored).
nlohmann::json filed_json(const domain::FiledComplaint& filed);

}  // namespace grievance::http
