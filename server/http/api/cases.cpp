// GET /api/v1/cases, GET /api/v1/cases/{reference}, POST /api/v1/cases/{reference}/messages,
// POST /api/v1/cases/{reference}/assign.
#include "server/domain/access_policy.hpp"
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {

using domain::Error;

// The cases the caller may see, filtered, newest first, cursor paging.
Response list_cases(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  if (!domain::may_list_cases(session.role)) {
    return error_response(Error::forbidden("This role has no case list."), req);
  }
  const std::string_view target = req.target();
  GRV_CHECK(
      require_query_params(target, {"status", "company", "site", "country", "sector", "category",
                                    "overdue", "q", "cursor", "limit", "triage"}));
  domain::CaseListRequest r;
  for (auto [name, slot] : {std::pair{"status", &r.status}, std::pair{"company", &r.company},
                            std::pair{"site", &r.site}, std::pair{"country", &r.country},
                            std::pair{"sector", &r.sector}, std::pair{"category", &r.category},
                            std::pair{"overdue", &r.overdue}, std::pair{"q", &r.q},
                            std::pair{"cursor", &r.cursor}, std::pair{"limit", &r.limit}}) {
    *slot = query_param(target, name).value_or("");
  }
  const auto triage = query_param(target, "triage").value_or("");
  if (triage == "1" || triage == "true") {
    r.triage = true;
  } else if (!triage.empty() && triage != "0" && triage != "false") {
    return error_response(Error::invalid_field("triage", "Must be true or false."), req);
  }
  GRV_TRY(page, api.services.casework.list_cases(session, r));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case_page(w, page); });
}

// The case as the caller may see it: the read path measured by tests/bench (one read snapshot
// for the case, its parties and events; session and names from memory; streamed JSON).
Response get_case(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(view, api.services.casework.view_case(session, p.get("reference")));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

Response post_message(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_CHECK(require_object(body, {"body", "visibility"}));
  GRV_TRY(text, get_string(body, "body"));
  GRV_TRY(visibility_name, get_string(body, "visibility"));
  if (!text) return error_response(Error::invalid_field("body", "Required."), req);
  auto visibility = domain::parse_visibility(visibility_name.value_or("parties"));
  if (!visibility) {
    return error_response(Error::invalid_field("visibility", "Must be parties or staff."), req);
  }
  GRV_TRY(event,
          api.services.casework.post_message(session, p.get("reference"), *text, *visibility));
  return answer(bhttp::status::created, req, [&](JsonWriter& w) { write_event(w, event); });
}

// Admin: route a triage case to a company (docs/domain.md "Routing").
Response assign_case(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_CHECK(require_object(body, {"org_id"}));
  GRV_TRY(org_id, get_int(body, "org_id"));
  if (!org_id) return error_response(Error::invalid_field("org_id", "Required."), req);
  GRV_TRY(view, api.services.casework.assign_case(session, p.get("reference"), *org_id));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

}  // namespace grievance::http::api
