// GET /api/v1/cases, GET /api/v1/cases/{reference}, POST /api/v1/cases/{reference}/messages,
// POST /api/v1/cases/{reference}/assign, and the lifecycle: POST .../transitions, .../feedback,
// .../actions/{number}/done, .../actions/{number}/verdict (docs/domain.md "Lifecycle").
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
                                    "overdue", "q", "cursor", "limit", "triage", "flag"}));
  domain::CaseListRequest r;
  for (auto [name, slot] :
       {std::pair{"status", &r.status}, std::pair{"company", &r.company},
        std::pair{"site", &r.site}, std::pair{"country", &r.country},
        std::pair{"sector", &r.sector}, std::pair{"category", &r.category},
        std::pair{"overdue", &r.overdue}, std::pair{"q", &r.q}, std::pair{"cursor", &r.cursor},
        std::pair{"limit", &r.limit}, std::pair{"flag", &r.flag}}) {
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
  GRV_TRY(body, json_object_body(req, api.body_limit, {"body", "visibility", "await_answer"}));
  GRV_TRY(text, get_string(body, "body"));
  GRV_TRY(visibility_name, get_string(body, "visibility"));
  GRV_TRY(await_answer, get_bool(body, "await_answer"));
  if (!text) return error_response(Error::invalid_field("body", "Required."), req);
  if (await_answer.value_or(false)) {
    // A question to the complainant that pauses the clock (docs/domain.md "Deadlines").
    if (visibility_name.value_or("parties") != "parties") {
      return error_response(Error::invalid_field("visibility", "A question goes to all parties."),
                            req);
    }
    GRV_TRY(view, api.services.casework.ask_complainant(session, p.get("reference"), *text));
    for (auto it = view.events.rbegin(); it != view.events.rend(); ++it) {
      if (it->type == domain::EventType::kMessage) {
        return answer(bhttp::status::created, req, [&](JsonWriter& w) { write_event(w, *it); });
      }
    }
    return error_response(Error::internal(), req);
  }
  auto visibility = domain::parse_visibility(visibility_name.value_or("parties"));
  if (!visibility) {
    return error_response(
        Error::invalid_field("visibility", "Must be parties, organisation or mechanism."), req);
  }
  GRV_TRY(event,
          api.services.casework.post_message(session, p.get("reference"), *text, *visibility));
  return answer(bhttp::status::created, req, [&](JsonWriter& w) { write_event(w, event); });
}

// Admin: route a triage case to a company (docs/domain.md "Routing").
Response assign_case(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"org_id"}));
  GRV_TRY(org_id, get_int(body, "org_id"));
  if (!org_id) return error_response(Error::invalid_field("org_id", "Required."), req);
  GRV_TRY(view, api.services.casework.assign_case(session, p.get("reference"), *org_id));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

namespace {

domain::Result<int> action_number(std::string_view s) {
  int n = 0;
  if (s.empty() || s.size() > 3) return domain::fail(Error::not_found("No such action."));
  for (char ch : s) {
    if (ch < '0' || ch > '9') return domain::fail(Error::not_found("No such action."));
    n = n * 10 + (ch - '0');
  }
  if (n < 1) return domain::fail(Error::not_found("No such action."));
  return n;
}

// The plan of a remedy proposal: [{"what","organisation","due"}, ...].
domain::Result<std::vector<domain::RemedyActionInput>> get_actions(const nlohmann::json& body) {
  std::vector<domain::RemedyActionInput> actions;
  auto it = body.find("actions");
  if (it == body.end() || it->is_null()) return actions;
  if (!it->is_array()) return domain::fail(Error::invalid_field("actions", "Must be a list."));
  if (it->size() > 100) return domain::fail(Error::invalid_field("actions", "Too many actions."));
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& a = (*it)[i];
    const std::string at = "actions[" + std::to_string(i) + "]";
    if (!a.is_object()) return domain::fail(Error::invalid_field(at, "Must be an object."));
    for (const auto& [key, value] : a.items()) {
      if (key != "what" && key != "organisation" && key != "due") {
        return domain::fail(Error::invalid_field(at + "." + key, "Unknown field."));
      }
    }
    domain::RemedyActionInput in;
    const auto what = a.find("what");
    const auto org = a.find("organisation");
    const auto due = a.find("due");
    if (what == a.end() || !what->is_string()) {
      return domain::fail(Error::invalid_field(at + ".what", "Required: what will be done."));
    }
    if (org == a.end() || !org->is_number_integer()) {
      return domain::fail(Error::invalid_field(at + ".organisation", "Required: an id."));
    }
    if (due == a.end() || !due->is_string()) {
      return domain::fail(Error::invalid_field(at + ".due", "Required: a date YYYY-MM-DD."));
    }
    in.what = what->get<std::string>();
    in.org_id = org->get<std::int64_t>();
    in.due = due->get<std::string>();
    actions.push_back(std::move(in));
  }
  return actions;
}

}  // namespace

// A lifecycle move: {"to","reason", "reasoning"?, "outcome"?, "external_body"?, "actions"?}.
Response post_transition(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body,
          json_object_body(req, api.body_limit,
                           {"to", "reason", "reasoning", "outcome", "external_body", "actions"}));
  domain::TransitionRequest r;
  for (auto [name, slot] : {std::pair{"to", &r.to}, std::pair{"reason", &r.reason},
                            std::pair{"reasoning", &r.reasoning}, std::pair{"outcome", &r.outcome},
                            std::pair{"external_body", &r.external_body}}) {
    GRV_TRY(value, get_string(body, name));
    *slot = value.value_or("");
  }
  if (r.to.empty()) return error_response(Error::invalid_field("to", "Required."), req);
  GRV_TRY(actions, get_actions(body));
  r.actions = std::move(actions);
  GRV_TRY(view, api.services.casework.transition(session, p.get("reference"), r));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

// The complainant's verdict on a plan: {"accept", "satisfaction", "comment"?}.
Response post_feedback(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"accept", "satisfaction", "comment"}));
  GRV_TRY(accept, get_bool(body, "accept"));
  GRV_TRY(score, get_int(body, "satisfaction"));
  GRV_TRY(comment, get_string(body, "comment"));
  if (!accept) return error_response(Error::invalid_field("accept", "Required."), req);
  if (!score || *score < 1 || *score > 5) {
    return error_response(
        Error::invalid_field("satisfaction", "Must be a whole number from 1 to 5."), req);
  }
  domain::FeedbackRequest r{*accept, static_cast<int>(*score), comment.value_or("")};
  GRV_TRY(view, api.services.casework.feedback(session, p.get("reference"), r));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

// The company marks a remedy action done: {"note"}.
Response post_action_done(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"note"}));
  GRV_TRY(note, get_string(body, "note"));
  GRV_TRY(number, action_number(p.get("number")));
  GRV_TRY(view, api.services.casework.mark_action_done(session, p.get("reference"), number,
                                                       note.value_or("")));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

// The complainant confirms or disputes a done action: {"verdict", "note"?}.
Response post_action_verdict(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"verdict", "note"}));
  GRV_TRY(verdict, get_string(body, "verdict"));
  GRV_TRY(note, get_string(body, "note"));
  GRV_TRY(number, action_number(p.get("number")));
  GRV_TRY(view, api.services.casework.judge_action(session, p.get("reference"), number,
                                                   verdict.value_or(""), note.value_or("")));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

}  // namespace grievance::http::api
