// Complaints and cases as JSON: the request shape of a complaint (also one row of a union's
// batch) and the answers, each rendered for ONE viewer. What a viewer may see is decided by the
// domain (CaseView::show_contact, access, viewer_party; Case::parties only for admins); these
// functions only leave out what the view says to leave out, and add the few viewer rules that
// are about fields, not cases:
//  - contact: only when CaseView::show_contact;
//  - union_org_id and mandate: only to an admin and to the union that filed the case;
//  - parties: only to an admin;
//  - an event's actor_org_id: only to staff, never to the complainant.
#pragma once

#include <nlohmann/json.hpp>

#include "server/domain/case_service.hpp"

namespace grievance::http {

// The complaint object of POST /api/v1/complaints (SPEC section 4, fixed field names). Checks
// JSON types and unknown fields; value rules are the domain's.
domain::Result<domain::ComplaintDraft> complaint_draft_from_json(const nlohmann::json& body);

// "read", "message", "act" ("none" never leaves the server: such a case answers 404).
std::string_view access_name(domain::CaseAccess a);

nlohmann::json event_json(const domain::CaseEvent& e, const domain::Session& viewer);

// GET /api/v1/cases/{reference}.
nlohmann::json case_json(const domain::CaseView& v, const domain::Session& viewer,
                         domain::CaseStore& store);

// GET /api/v1/cases: one page, never with narrative or contact.
nlohmann::json case_page_json(const domain::CasePage& page, const domain::Session& viewer,
                              domain::CaseStore& store);

// The answer to a filing (single or one batch row): reference, status, ack_due, receipt, and
// the access code unless the filing was a replay (the code is never stored).
nlohmann::json filed_json(const domain::FiledComplaint& filed);

}  // namespace grievance::http
