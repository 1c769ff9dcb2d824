// What the complainant tells the mechanism, and the operator's review (docs/domain.md "What
// each party may do"): POST /api/v1/cases/{reference}/retaliation, .../follow-up, .../identity,
// .../disclosure, .../disclosure/answer, .../review, .../translations (each answers the case as
// the caller now sees it), and .../access-code (a new access code, once).
#include "server/domain/codes.hpp"
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {

using domain::Error;

namespace {

Response case_answer(Request& req, const domain::CaseView& view) {
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_case(w, view); });
}

}  // namespace

// {"body"}: a mechanism-only report; never a company's to read.
Response post_retaliation(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"body"}));
  GRV_TRY(text, get_string(body, "body"));
  GRV_TRY(view,
          api.services.casework.report_retaliation(session, p.get("reference"), text.value_or("")));
  return case_answer(req, view);
}

// {"held": "yes"|"partly"|"no", "comment"?}
Response post_follow_up(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"held", "comment"}));
  GRV_TRY(held, get_string(body, "held"));
  GRV_TRY(comment, get_string(body, "comment"));
  GRV_TRY(view, api.services.casework.answer_follow_up(session, p.get("reference"),
                                                       held.value_or(""), comment.value_or("")));
  return case_answer(req, view);
}

// {"share": bool}: consent to the companies knowing the identity, or its withdrawal.
Response post_identity(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"share"}));
  GRV_TRY(share, get_bool(body, "share"));
  if (!share) return error_response(Error::invalid_field("share", "Required."), req);
  GRV_TRY(view, api.services.casework.set_identity_sharing(session, p.get("reference"), *share));
  return case_answer(req, view);
}

// {"reason"}: a company asks to learn who the complainant is.
Response post_disclosure(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"reason"}));
  GRV_TRY(reason, get_string(body, "reason"));
  GRV_TRY(view, api.services.casework.request_disclosure(session, p.get("reference"),
                                                         reason.value_or("")));
  return case_answer(req, view);
}

// {"grant": bool, "comment"?}: the complainant's answer to the waiting request.
Response post_disclosure_answer(const Api& api, Request& req, const RequestContext&,
                                const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"grant", "comment"}));
  GRV_TRY(grant, get_bool(body, "grant"));
  GRV_TRY(comment, get_string(body, "comment"));
  if (!grant) return error_response(Error::invalid_field("grant", "Required."), req);
  GRV_TRY(view, api.services.casework.answer_disclosure(session, p.get("reference"), *grant,
                                                        comment.value_or("")));
  return case_answer(req, view);
}

// {"flag": "retaliation"|"remedy_failed", "note"}: an admin has dealt with the flag.
Response post_review(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"flag", "note"}));
  GRV_TRY(flag, get_string(body, "flag"));
  GRV_TRY(note, get_string(body, "note"));
  GRV_TRY(view, api.services.casework.review(session, p.get("reference"), flag.value_or(""),
                                             note.value_or("")));
  return case_answer(req, view);
}

// {"seq", "language", "text"}: a translation of the narrative (the filed event) or a message.
Response post_translation(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"seq", "language", "text"}));
  GRV_TRY(seq, get_int(body, "seq"));
  GRV_TRY(language, get_string(body, "language"));
  GRV_TRY(text, get_string(body, "text"));
  if (!seq) return error_response(Error::invalid_field("seq", "Required."), req);
  GRV_TRY(view, api.services.casework.add_translation(session, p.get("reference"), *seq,
                                                      language.value_or(""), text.value_or("")));
  return answer(bhttp::status::created, req, [&](JsonWriter& w) { write_case(w, view); });
}

// {"reason"}: a new access code for a worker who lost theirs (docs/domain.md "Lost access
// codes"), answered once; the old code and its sessions end.
Response post_access_code(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(body, json_object_body(req, api.body_limit, {"reason"}));
  GRV_TRY(reason, get_string(body, "reason"));
  GRV_TRY(code, api.services.casework.reissue_access_code(session, p.get("reference"),
                                                          reason.value_or("")));
  const auto reference = domain::normalise_reference(p.get("reference"));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object()
        .field("reference", reference.value_or(""))
        .field("access_code", code)
        .field("access_code_grouped", domain::group_access_code(code))
        .end_object();
  });
}

}  // namespace grievance::http::api
