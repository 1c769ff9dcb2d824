// The staff pages (docs/architecture.md "Pages"), by area: sign-in and sign-out
// (sign_in.cpp), the case list with filters and the case view with its timeline, its message
// form and the admins' triage assignment (cases.cpp), the casework forms of the case view -
// lifecycle moves, remedy plan, verdicts, reviews (casework.cpp), the admin pages for
// organisations, users, sites and supply links with a page per record (directory.cpp), a union's
// single complaint with the worker's mandate (filing.cpp), and the union's batch upload, checked
// before filing, with its printable receipt slips (batch.cpp). Tables with captions and
// column headers (GOV.UK Design System).
//
// Every page asks the domain and shows only what it answers: the case list and case view come
// from Casework (so the one access policy decides), the directory from DirectoryService (which
// refuses non-admins). A complainant's session is not a staff session: it gets the sign-in
// page. Every POST needs the session's CSRF token (form field "csrf"), and forms a browser
// marks cross-site are refused before that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/services.hpp"
#include "server/http/pages/kit.hpp"

namespace grievance::http {
struct AppDeps;
}

namespace grievance::http::pages::staff {

// True for the roles of staff accounts (admin, union, company, auditor), not complainants.
bool is_staff(const domain::Session& s);

// A positive decimal id of at most 18 digits; nullopt for anything else.
std::optional<std::int64_t> parse_id(std::string_view s);

// The staff pages' family: the staff layout (with the navigation the viewer's role allows and
// "signed in as"), message pages and sessions.
class StaffPages final : public PageFamily {
 public:
  StaffPages(std::shared_ptr<const PageKit> kit, const AppDeps& deps);

  // Null where no one administers (some tests).
  domain::DirectoryService* directory() const { return services().directory.get(); }
  // What a batch upload may hold (AppDeps::batch_body_limit, at least body_limit).
  std::size_t batch_body_limit() const { return batch_body_limit_; }
  // Where a worker follows a complaint, as printed on a receipt slip in `slip_lang`: the
  // configured public origin (AppDeps::public_origin) and the path; without one, the path
  // alone. Never the request's Host, which the client chooses (issue 8). The one place slips
  // take their address from.
  std::string follow_url(domain::Language slip_lang) const;

  // A page in the staff layout. With a session, the layout shows the navigation (`nav_current`
  // marks the current item) and who is signed in, and the body's data carries the session's
  // CSRF token (as "csrf") for its forms.
  Response render(const Request& req, PageLanguage lang, const PageSpec& spec,
                  const nlohmann::json& data, const domain::Session* session,
                  std::string_view nav_current) const;
  // A page that only says something; its language switch leads back to the same path.
  Response message_page(const Request& req, PageLanguage lang, bhttp::status status,
                        const Message& message, const domain::Session* session) const;
  // 404 with a link back to the case list: also for what the viewer may not see, so that a
  // page does not tell whether it exists.
  Response not_found_page(const Request& req, PageLanguage lang,
                          const domain::Session* session) const;
  Response error_page(const Request& req, PageLanguage lang, const domain::Error& e) const override;
  Response csrf_failed(const Request& req, PageLanguage lang) const override;
  Response to_sign_in(const Request& req, domain::Language lang) const;

  // A staff session from the cookie or bearer token (GET pages); a complainant's is none.
  std::optional<domain::Session> staff_session(const Request& req) const;
  // The staff session of a form post, checked against the form's CSRF token; else the
  // response to send (the CSRF page, or the sign-in page).
  std::expected<domain::Session, Response> form_session(const Request& req, PageLanguage lang,
                                                        std::string_view form_csrf) const;

  // "Signed in as EMAIL (ROLE, ORGANISATION)".
  std::string who(const domain::Session& s, domain::Language lang) const;

 private:
  nlohmann::json nav_for(const domain::Session& s, domain::Language lang,
                         std::string_view current) const;

  std::size_t batch_body_limit_;
  std::string public_origin_;
};

// sign_in.cpp: GET /staff, GET and POST /staff/sign-in, POST /staff/sign-out
Response staff_home(const StaffPages& pages, Request& req);
Response sign_in_form(const StaffPages& pages, Request& req);
Response sign_in(const StaffPages& pages, Request& req, const RequestContext& ctx);
Response sign_out(const StaffPages& pages, Request& req);

// account.cpp: GET and POST /staff/account (notification e-mail settings, every staff role)
Response account_page(const StaffPages& pages, Request& req);
Response account_update(const StaffPages& pages, Request& req);

// cases.cpp: GET /staff/cases (with filters and paging; ?triage=1 for admins),
// GET /staff/cases/{reference}, POST /staff/cases/{reference}/messages,
// POST /staff/cases/{reference}/assign (admins, triage cases)
Response case_list(const StaffPages& pages, Request& req);
Response case_view(const StaffPages& pages, Request& req, const PathParams& params);
Response case_message(const StaffPages& pages, Request& req, const PathParams& params);
Response case_assign(const StaffPages& pages, Request& req, const PathParams& params);

// casework.cpp (issue 9): POST /staff/cases/{reference}/transitions (a lifecycle move, the
// remedy plan's rows with it), .../ask (ask the complainant and wait: the clock pauses),
// .../actions/{number}/done, .../actions/{number}/verdict, .../feedback (the plan's answer),
// .../review (the office has dealt with a retaliation report or a failed remedy),
// .../disclosure (a company asks for the complainant's identity, with a reason)
Response case_transition(const StaffPages& pages, Request& req, const PathParams& params);
Response case_ask(const StaffPages& pages, Request& req, const PathParams& params);
Response case_action_done(const StaffPages& pages, Request& req, const PathParams& params);
Response case_action_verdict(const StaffPages& pages, Request& req, const PathParams& params);
Response case_feedback(const StaffPages& pages, Request& req, const PathParams& params);
Response case_review(const StaffPages& pages, Request& req, const PathParams& params);
Response case_access_code(const StaffPages& pages, Request& req, const PathParams& params);
Response case_attach(const StaffPages& pages, Request& req, const PathParams& params);
Response case_disclosure(const StaffPages& pages, Request& req, const PathParams& params);
Response case_register(const StaffPages& pages, Request& req, const PathParams& params);

// meetings.cpp: POST /staff/cases/{reference}/meetings (propose), .../meetings/answer (accept a
// time, propose others, decline), .../meetings/minutes, and .../translations (a translation of
// the narrative or a message; docs/domain.md "Meetings", "Translations")
Response case_meeting(const StaffPages& pages, Request& req, const PathParams& params);
Response case_meeting_answer(const StaffPages& pages, Request& req, const PathParams& params);
Response case_meeting_minutes(const StaffPages& pages, Request& req, const PathParams& params);
Response case_translation(const StaffPages& pages, Request& req, const PathParams& params);

// directory.cpp: GET and POST /staff/admin/<directory> (the list, a new record);
// GET and POST /staff/admin/<directory>/{id} (a record's page, its changes);
// GET and POST /staff/admin/<directory>/{id}/disable (the confirmation, disabling);
// POST /staff/admin/<directory>/{id}/enable; POST /staff/admin/users/{id}/password
enum class Directory { kOrganisations, kUsers, kSites, kSupplyLinks };
// "/staff/admin/organisations", ...
std::string_view directory_path(Directory d);
Response directory_page(const StaffPages& pages, Directory d, Request& req);
Response directory_create(const StaffPages& pages, Directory d, Request& req);
Response directory_record(const StaffPages& pages, Directory d, Request& req,
                          std::string_view id_text);
Response directory_update(const StaffPages& pages, Directory d, Request& req,
                          std::string_view id_text);
Response directory_confirm_disable(const StaffPages& pages, Directory d, Request& req,
                                   std::string_view id_text);
Response directory_set_disabled(const StaffPages& pages, Directory d, Request& req,
                                std::string_view id_text, bool disabled);
Response user_password(const StaffPages& pages, Request& req, std::string_view id_text);

// An organisation's record page (directory.cpp) with `extra` merged into its data: the
// webhook pages show a refused webhook form on it.
Response organisation_page(const StaffPages& pages, const Request& req, PageLanguage lang,
                           const domain::Session& s, std::int64_t org_id,
                           const std::vector<FieldError>& errors, std::string_view notice,
                           bhttp::status status, const nlohmann::json& extra);

// webhooks.cpp (issue 10 item 1; docs/domain.md "Notifications"), admins only:
// the "webhooks" data of an organisation's page (its webhooks, the form to add one with
// `url_value` in it; empty without a webhook service), GET /staff/admin/webhooks (the
// complaints office's own, organisation 0), POST /staff/admin/organisations/{id}/webhooks (the
// secret shown once), GET and POST .../webhooks/{webhook_id}/delete (the confirmation,
// deleting), GET /staff/admin/webhook-deliveries (?state=dead|pending|delivered) and
// POST /staff/admin/webhook-deliveries/{id}/retry ("Send again").
domain::Result<nlohmann::json> webhook_section(const StaffPages& pages, domain::Language l,
                                               const domain::Session& s, std::int64_t org_id,
                                               std::string_view url_value);
Response operator_webhooks(const StaffPages& pages, Request& req);
Response webhook_add(const StaffPages& pages, Request& req, const PathParams& params);
Response webhook_confirm_delete(const StaffPages& pages, Request& req, const PathParams& params);
Response webhook_delete(const StaffPages& pages, Request& req, const PathParams& params);
Response deliveries_page(const StaffPages& pages, Request& req);
Response delivery_retry(const StaffPages& pages, Request& req, const PathParams& params);

// guides.cpp (issue 10 item 6): the case view's follow-up guides for the case's categories
// (empty for a viewer who may not read them); GET /staff/admin/guides (?in= the guides'
// language), GET and POST /staff/admin/guides/{category}, POST .../reset (admins).
nlohmann::json case_guides(const StaffPages& pages, domain::Language l,
                           const domain::Session& session, const domain::CaseView& view);
Response guides_page(const StaffPages& pages, Request& req);
Response guide_edit_page(const StaffPages& pages, Request& req, const PathParams& params);
Response guide_save(const StaffPages& pages, Request& req, const PathParams& params);
Response guide_reset(const StaffPages& pages, Request& req, const PathParams& params);
// stats.cpp (issue 11 item 5): GET /staff/stats, the statistics dashboard of every staff role
// (exact for the operator and an organisation's own cases, protected for the auditor), and where
// each role lands after signing in: the auditor, who has no case list, on the dashboard.
Response stats_page(const StaffPages& pages, Request& req);
std::string landing_path(domain::Role role);

// filing.cpp: GET and POST /staff/complaint (a union files one complaint with a mandate)
Response complaint_form(const StaffPages& pages, Request& req);
Response complaint_file(const StaffPages& pages, Request& req);

// batch.cpp: GET and POST /staff/batch (the form; upload -> the check before filing),
// POST /staff/batch/file (the checked file -> the slips), GET /staff/batch/template.csv,
// GET /staff/batch/codes
Response batch_form(const StaffPages& pages, Request& req);
Response batch_upload(const StaffPages& pages, Request& req);
Response batch_file(const StaffPages& pages, Request& req);
Response batch_template(const StaffPages& pages, Request& req);
Response batch_codes(const StaffPages& pages, Request& req);

}  // namespace grievance::http::pages::staff
