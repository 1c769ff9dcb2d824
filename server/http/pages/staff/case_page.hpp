// The staff case view's parts shared by cases.cpp (the page, its messages and triage) and
// casework.cpp (issue 9: the lifecycle moves, the remedy plan, the questions that pause the
// clock, the verdicts and the appeals - every form the domain's view allows the viewer).
#pragma once

#include <expected>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/case_view.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::pages::staff {

// What a case page's forms send back when they are refused: the field errors, the form they
// belong to and what was typed there, so the page comes back filled in.
struct CaseForms {
  std::vector<FieldError> errors;
  std::string body;  // the message being written
  std::string notice;
  bhttp::status status = bhttp::status::ok;
  std::string form;   // the refused form's id ("move-reject", "ask", "done-2", ...), or ""
  FormData values;    // what was typed in it
  int plan_rows = 3;  // blank rows of the remedy plan form (more on "add rows")
};

// A case page's form post: the form, its language and the staff session (CSRF checked).
struct CasePost {
  FormData form;
  PageLanguage lang;
  domain::Session session;
};
std::expected<CasePost, Response> read_case_form(const StaffPages& pages, const Request& req);

std::string normalised_reference(std::string_view reference_in);

// The case page as `session` may see it, with `forms`' errors and values.
Response render_case(const StaffPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& session, std::string_view reference_in,
                     const CaseForms& forms);

// casework.cpp: adds to the case page's data the decision (outcome, satisfaction, escalation,
// paused clock, appeal window), the remedy plan and the casework forms the view allows.
void add_casework(const StaffPages& pages, domain::Language l, const domain::Session& session,
                  const domain::CaseView& view, const CaseForms& forms, nlohmann::json& data);
// The helpers of the case page's form handlers (casework.cpp), shared with meetings.cpp: the
// error and the typed value of a field of a refused form; the redirect after a form did `what`;
// the page again with the domain's refusal on form `form` (`field_of` maps the domain's field
// to the form's field and its message key).
std::string form_error(const CaseForms& forms, const std::string& form, const std::string& field);
std::string form_typed(const CaseForms& forms, const std::string& form, const std::string& field);
Response form_done(const Request& req, const std::string& reference, domain::Language l,
                   const char* what);
Response form_refused(
    const StaffPages& pages, const Request& req, const CasePost& post, const std::string& reference,
    const std::string& form, const domain::Error& e,
    const std::function<std::pair<std::string, const char*>(const std::string&)>& field_of,
    CaseForms forms = {});

// meetings.cpp: adds the meetings (with the forms the view allows) and the translate forms
// (CaseRights::may_translate) to the case page's data (docs/domain.md "Meetings",
// "Translations").
void add_meetings(const StaffPages& pages, domain::Language l, const domain::Session& session,
                  const domain::CaseView& view, const CaseForms& forms, nlohmann::json& data);

// What an event carries besides its text, in words (outcome, body, reasoning, action, score).
std::vector<std::string> event_details(const PageKit& kit, domain::Language l,
                                       const domain::CaseView& view, const domain::CaseEvent& e);
// attachments.cpp: the evidence upload form the view allows (data["attach"]).
void add_attachment_form(const StaffPages& pages, domain::Language l, const domain::CaseView& view,
                         const CaseForms& forms, nlohmann::json& data);

// The message form's visibilities the view allows ({value, id, label, checked}).
nlohmann::json visibility_choices(const PageKit& kit, domain::Language l,
                                  const domain::CaseView& view);

}  // namespace grievance::http::pages::staff
