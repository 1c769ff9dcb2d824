// Meetings (CSDDD Art. 14(4)(b); docs/domain.md "Meetings"): POST /api/v1/cases/{reference}/
// meetings proposes one, .../meetings/{id}/answer accepts a time, declines or counters, and
// .../meetings/{id}/minutes records the minutes. Each answers the case as the caller now sees it.
#include "server/domain/meetings.hpp"

#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {

using domain::Error;

namespace {

// {"times", "place"?, "call"?, "interpreter"?, "interpreter_language"?, "companion"?}
domain::Result<domain::MeetingRequest> meeting_request(const nlohmann::json& body) {
  domain::MeetingRequest r;
  auto times = get_string_array(body, "times");
  if (!times) return domain::fail(times.error());
  auto place = get_string(body, "place");
  if (!place) return domain::fail(place.error());
  auto call = get_bool(body, "call");
  if (!call) return domain::fail(call.error());
  auto interpreter = get_bool(body, "interpreter");
  if (!interpreter) return domain::fail(interpreter.error());
  auto language = get_string(body, "interpreter_language");
  if (!language) return domain::fail(language.error());
  auto companion = get_bool(body, "companion");
  if (!companion) return domain::fail(companion.error());
  r.times = times->value_or(std::vector<std::string>{});
  r.place = place->value_or("");
  r.call = call->value_or(false);
  r.interpreter = interpreter->value_or(false);
  r.interpreter_language = language->value_or("");
  r.companion = companion->value_or(false);
  return r;
}

domain::Result<std::int64_t> meeting_id(std::string_view s) {
  std::int64_t n = 0;
  if (s.empty() || s.size() > 12) return domain::fail(Error::not_found("No such meeting."));
  for (char ch : s) {
    if (ch < '0' || ch > '9') return domain::fail(Error::not_found("No such meeting."));
    n = n * 10 + (ch - '0');
  }
  return n;
}

}  // namespace

Response post_meeting(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit,
                                 {"times", "place", "call", "interpreter", "interpreter_language",
                                  "companion"}));
  GRV_TRY(request, meeting_request(body));
  GRV_TRY(view, api.services.casework.propose_meeting(session, p.get("reference"), request));
  return answer(bhttp::status::created, req, [&](JsonWriter& w) { write_case(w, view); });
}

// {"answer": "accept"|"decline"|"counter", "time"? (accept), "reason"? (decline), and a
// proposal's members (counter)}.
Response post_meeting_answer(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit,
                                 {"answer", "time", "reason", "times", "place", "call",
                                  "interpreter", "interpreter_language", "companion"}));
  domain::MeetingAnswerRequest r;
  GRV_TRY(kind, get_string(body, "answer"));
  GRV_TRY(time, get_string(body, "time"));
  GRV_TRY(reason, get_string(body, "reason"));
  GRV_TRY(counter, meeting_request(body));
  r.answer = kind.value_or("");
  r.time = time.value_or("");
  r.reason = reason.value_or("");
  r.counter = std::move(counter);
  GRV_TRY(id, meeting_id(p.get("id")));
  GRV_TRY(view, api.services.casework.answer_meeting(session, p.get("reference"), id, r));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

// {"text"}: the minutes, after the agreed time.
Response post_meeting_minutes(const Api& api, Request& req, const RequestContext&,
                              const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"text"}));
  GRV_TRY(text, get_string(body, "text"));
  GRV_TRY(id, meeting_id(p.get("id")));
  GRV_TRY(view,
          api.services.casework.record_minutes(session, p.get("reference"), id, text.value_or("")));
  return answer(bhttp::status::created, req, [&](JsonWriter& w) { write_case(w, view); });
}

}  // namespace grievance::http::api
