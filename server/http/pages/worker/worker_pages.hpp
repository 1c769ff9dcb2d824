// The worker pages (docs/architecture.md "Pages"): the home page, the
// complaint form with its check step and receipt (filing.cpp), and following one's own case:
// sign-in with reference and access code and sign-out (follow.cpp), the case page with the
// lifecycle in plain words (case_page.cpp) and its forms (case_forms.cpp).
// GOV.UK Design System patterns: labels above fields, an error summary linking to each field,
// a check-your-answers step, a confirmation panel with the reference.
//
// Complaint text (narrative, messages, contact details) is rendered only back to the person
// who wrote it: on the form they are filling in, on its check page, and on their own case
// page. It is never logged.
#pragma once

#include "server/domain/services.hpp"
#include "server/http/pages/kit.hpp"

namespace grievance::http::pages::worker {

// The worker pages' family: the worker's layout and message pages.
class WorkerPages final : public PageFamily {
 public:
  using PageFamily::PageFamily;

  // A page in the worker layout.
  Response render(const Request& req, PageLanguage lang, const PageSpec& spec,
                  const nlohmann::json& data) const;
  // A page that only says something; its language switch leads home.
  Response message_page(const Request& req, PageLanguage lang, bhttp::status status,
                        const Message& message) const;
  // With a link home.
  Response error_page(const Request& req, PageLanguage lang, const domain::Error& e) const override;
  // With a link back to the case page.
  Response csrf_failed(const Request& req, PageLanguage lang) const override;
  // To the sign-in page of "follow your complaint" (no or an expired session).
  Response to_follow(const Request& req, domain::Language lang) const;
};

// A browser that followed a wrong link gets a page in its language; API clients and anything
// under /api/ get the JSON error object. (The router's fallback.)
Response not_found(const WorkerPages& pages, Request& req);

// home.cpp: GET /
Response home(const WorkerPages& pages, Request& req);

// filing.cpp: GET /complaint, POST /complaints (edit, check, file)
Response complaint_form(const WorkerPages& pages, Request& req);
Response file_complaint(const WorkerPages& pages, Request& req, const RequestContext& ctx);

// follow.cpp: GET and POST /follow, POST /signout
Response follow_form(const WorkerPages& pages, Request& req);
Response follow_sign_in(const WorkerPages& pages, Request& req, const RequestContext& ctx);
Response sign_out(const WorkerPages& pages, Request& req);

// What the case page shows again after a form the domain refused: what was typed (the
// template's "v"), the errors, and the plan action whose verdict form they belong to (0: a
// form of the page itself).
struct CaseForm {
  nlohmann::json values = nlohmann::json::object();
  std::vector<FieldError> errors;
  int action = 0;
};

// rights.cpp: GET /rights (?country=): a worker's rights and the other avenues per country.
Response rights_page(const WorkerPages& pages, Request& req);
// GET /register (register.cpp): the public register, no sign-in.
Response register_page(const WorkerPages& pages, Request& req);
// "/rights?lang=xx&country=XX" (the country left out when it is not a code).
std::string rights_href(domain::Language lang, std::string_view country);

// case_page.cpp: GET /case, GET /case/withdraw (the withdrawal's confirmation step).
Response case_page(const WorkerPages& pages, Request& req);
Response withdraw_page(const WorkerPages& pages, Request& req);
// The complainant's case page; `done` names what was just done ("verdict", ...; empty: none).
Response render_case(const WorkerPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& session, const CaseForm& form, std::string_view done,
                     bhttp::status status);
// "Do you want to withdraw your complaint?" with the reason typed so far; the case page when
// the case can no longer be withdrawn.
Response render_withdraw(const WorkerPages& pages, const Request& req, PageLanguage lang,
                         const domain::Session& session, std::string_view reason,
                         bhttp::status status);

// case_forms.cpp: POST /case/messages, /case/actions/verdict, /case/feedback, /case/appeal,
// /case/withdraw, /case/retaliation, /case/follow-up, /case/identity, /case/disclosure.
Response post_message(const WorkerPages& pages, Request& req);
Response post_verdict(const WorkerPages& pages, Request& req);
Response post_feedback(const WorkerPages& pages, Request& req);
Response post_appeal(const WorkerPages& pages, Request& req);
Response post_withdraw(const WorkerPages& pages, Request& req);
Response post_retaliation(const WorkerPages& pages, Request& req);
Response post_follow_up(const WorkerPages& pages, Request& req);
Response post_identity(const WorkerPages& pages, Request& req);
Response post_disclosure(const WorkerPages& pages, Request& req);
Response post_register(const WorkerPages& pages, Request& req);
// ... and meetings (docs/domain.md "Meetings"): POST /case/meetings (propose),
// /case/meetings/answer (accept a time, propose others, decline), /case/meetings/minutes.
Response post_meeting(const WorkerPages& pages, Request& req);
Response post_meeting_answer(const WorkerPages& pages, Request& req);
Response post_meeting_minutes(const WorkerPages& pages, Request& req);

// attachments.cpp: POST /case/attachments (multipart/form-data: a photo, a PDF, a recording).
Response post_attachment(const WorkerPages& pages, Request& req);
// The catalogue key of a refused file's message ("attach_error_type", ...; {mb} the limit).
std::string attachment_error_key(domain::ErrorCode code);

}  // namespace grievance::http::pages::worker
