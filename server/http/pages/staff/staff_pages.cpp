// The staff layout, message pages and sessions, and the staff pages' route table.
#include "server/http/pages/staff/staff_pages.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "server/domain/access_policy.hpp"
#include "server/domain/stats_service.hpp"
#include "server/http/auth.hpp"
#include "server/http/pages/routes.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

using domain::Language;
using domain::Role;
using nlohmann::json;

bool is_staff(const domain::Session& s) {
  return s.role == Role::kAdmin || s.role == Role::kUnion || s.role == Role::kCompany ||
         s.role == Role::kAuditor;
}

std::optional<std::int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(std::string(s));
}

StaffPages::StaffPages(std::shared_ptr<const PageKit> kit, const AppDeps& deps)
    : PageFamily(std::move(kit), deps.services),
      batch_body_limit_(std::max(deps.batch_body_limit, deps.body_limit)),
      public_origin_(deps.public_origin) {
  while (!public_origin_.empty() && public_origin_.back() == '/') public_origin_.pop_back();
}

std::string StaffPages::follow_url(Language slip_lang) const {
  return public_origin_ + with_lang("/follow", slip_lang);
}

// ---- the staff layout ---------------------------------------------------------------------------

json StaffPages::nav_for(const domain::Session& s, Language l, std::string_view current) const {
  json nav = json::array();
  auto item = [&](std::string_view id, std::string href, std::string_view key) {
    nav.push_back(
        {{"href", std::move(href)}, {"label", kit().text(l, key)}, {"current", id == current}});
  };
  if (domain::may_list_cases(s.role))
    item("cases", with_lang("/staff/cases", l), "staff_nav_cases");
  if (domain::may_administer(s.role)) {
    item("triage", "/staff/cases?triage=1&lang=" + lang_code(l), "staff_nav_triage");
  }
  if (domain::may_read_stats(s.role)) {
    item("stats", with_lang("/staff/stats", l), "staff_nav_stats");
  }
  if (domain::may_file_batch(s.role)) {
    item("complaint", with_lang("/staff/complaint", l), "staff_nav_complaint");
    item("batch", with_lang("/staff/batch", l), "staff_nav_batch");
  }
  if (domain::may_administer(s.role)) {
    item("organisations", with_lang("/staff/admin/organisations", l), "staff_nav_organisations");
    item("users", with_lang("/staff/admin/users", l), "staff_nav_users");
    item("sites", with_lang("/staff/admin/sites", l), "staff_nav_sites");
    item("supply-links", with_lang("/staff/admin/supply-links", l), "staff_nav_supply_links");
    item("guides", with_lang("/staff/admin/guides", l), "staff_nav_guides");
  }
  item("account", with_lang("/staff/account", l), "staff_nav_account");
  return nav;
}

std::string StaffPages::who(const domain::Session& s, Language l) const {
  auto profile = services().staff.profile(s);
  const std::string email = profile ? profile->email : std::string();
  std::string role = kit().text(l, "staff_role_" + std::string(domain::to_string(s.role)));
  if (s.org_id) {
    role += ", " + (profile && !profile->organisation_name.empty()
                        ? profile->organisation_name
                        : std::string("#").append(std::to_string(*s.org_id)));
  }
  return kit().format(l, "staff_signed_in_as", {{"email", email}, {"role", role}});
}

Response StaffPages::render(const Request& req, PageLanguage lang, const PageSpec& spec,
                            const json& data, const domain::Session* session,
                            std::string_view nav_current) const {
  Layout layout{"staff_layout"};
  layout.data["home_href"] =
      with_lang(session != nullptr ? landing_path(session->role) : "/staff/sign-in", lang.lang);
  if (session == nullptr) return kit().render(req, lang, spec, data, layout);
  layout.data["signed_in"] = true;
  layout.data["csrf"] = session->csrf_token;
  layout.data["nav"] = nav_for(*session, lang.lang, nav_current);
  layout.data["who"] = who(*session, lang.lang);
  json body_data = data;
  body_data["csrf"] = session->csrf_token;
  return kit().render(req, lang, spec, body_data, layout);
}

// ---- message pages ------------------------------------------------------------------------------

Response StaffPages::message_page(const Request& req, PageLanguage lang, bhttp::status status,
                                  const Message& message, const domain::Session* session) const {
  // The title of a message page is its heading.
  return render(req, lang,
                {status, message.heading_key, "staff_message", web::target_path(req.target())},
                kit().message_data(lang.lang, message), session, "");
}

Response StaffPages::not_found_page(const Request& req, PageLanguage lang,
                                    const domain::Session* session) const {
  return message_page(
      req, lang, bhttp::status::not_found,
      {"not_found_title", "staff_not_found_text", "/staff/cases", "staff_back_to_cases"}, session);
}

Response StaffPages::error_page(const Request& req, PageLanguage lang,
                                const domain::Error& e) const {
  log_page_failure(e, "staff_page_failed");
  return message_page(req, lang, status_for(e.code), {"error_page_title", "error_page_text"},
                      nullptr);
}

Response StaffPages::csrf_failed(const Request& req, PageLanguage lang) const {
  return message_page(req, lang, bhttp::status::forbidden, {"error_csrf_title", "staff_csrf_text"},
                      nullptr);
}

Response StaffPages::to_sign_in(const Request& req, Language lang) const {
  return redirect_response(with_lang("/staff/sign-in", lang), req);
}

// ---- sessions -----------------------------------------------------------------------------------

std::optional<domain::Session> StaffPages::staff_session(const Request& req) const {
  auto s = authenticate(req, services().sessions);
  if (!s || !is_staff(*s)) return std::nullopt;
  return *s;
}

std::expected<domain::Session, Response> StaffPages::form_session(
    const Request& req, PageLanguage lang, std::string_view form_csrf) const {
  auto session = authenticate(req, services().sessions, form_csrf);
  if (!session) {
    if (session.error().code == domain::ErrorCode::kCsrfFailed) {
      return std::unexpected(csrf_failed(req, lang));
    }
    return std::unexpected(to_sign_in(req, lang.lang));
  }
  if (!is_staff(*session)) return std::unexpected(to_sign_in(req, lang.lang));
  return *std::move(session);
}

}  // namespace grievance::http::pages::staff

namespace grievance::http::pages {

void register_staff_pages(Router& router, const AppDeps& deps, std::shared_ptr<const PageKit> kit) {
  using namespace staff;
  kit->require_templates(
      {"staff_layout",    "staff_sign_in",      "staff_cases",         "staff_case",
       "staff_batch",     "staff_batch_check",  "staff_batch_codes",   "staff_slips",
       "staff_complaint", "staff_filed",        "staff_organisations", "staff_users",
       "staff_sites",     "staff_supply_links", "staff_record",        "staff_confirm",
       "staff_message",   "staff_new_code",     "staff_guides",        "staff_guide"});
  kit->require_templates({"staff_layout",      "staff_sign_in",        "staff_cases",
                          "staff_case",        "staff_batch",          "staff_batch_check",
                          "staff_batch_codes", "staff_slips",          "staff_complaint",
                          "staff_filed",       "staff_organisations",  "staff_users",
                          "staff_sites",       "staff_supply_links",   "staff_record",
                          "staff_confirm",     "staff_message",        "staff_new_code",
                          "staff_account",     "staff_webhook_secret", "staff_webhook_deliveries",
                          "staff_stats"});
  auto family = std::make_shared<const StaffPages>(kit, deps);
  auto handler = [&](auto fn) { return page_handler(family, fn); };
  using bhttp::verb;
  router.add(verb::get, "/staff", handler(staff_home));
  router.add(verb::get, "/staff/sign-in", handler(sign_in_form), /*runs_inline=*/true);
  router.add(verb::post, "/staff/sign-in", handler(sign_in));
  router.add(verb::post, "/staff/sign-out", handler(sign_out));
  router.add(verb::get, "/staff/account", handler(account_page));
  router.add(verb::post, "/staff/account", handler(account_update));
  router.add(verb::get, "/staff/cases", handler(case_list));
  router.add(verb::get, "/staff/stats", handler(stats_page));
  router.add(verb::get, "/staff/cases/{reference}", handler(case_view));
  router.add(verb::post, "/staff/cases/{reference}/messages", handler(case_message));
  router.add(verb::post, "/staff/cases/{reference}/assign", handler(case_assign));
  router.add(verb::post, "/staff/cases/{reference}/transitions", handler(case_transition));
  router.add(verb::post, "/staff/cases/{reference}/ask", handler(case_ask));
  router.add(verb::post, "/staff/cases/{reference}/actions/{number}/done",
             handler(case_action_done));
  router.add(verb::post, "/staff/cases/{reference}/actions/{number}/verdict",
             handler(case_action_verdict));
  router.add(verb::post, "/staff/cases/{reference}/feedback", handler(case_feedback));
  router.add(verb::post, "/staff/cases/{reference}/review", handler(case_review));
  router.add(verb::post, "/staff/cases/{reference}/access-code", handler(case_access_code));
  router.add(verb::post, "/staff/cases/{reference}/attachments", handler(case_attach));
  router.add(verb::post, "/staff/cases/{reference}/disclosure", handler(case_disclosure));
  router.add(verb::post, "/staff/cases/{reference}/register", handler(case_register));
  router.add(verb::post, "/staff/cases/{reference}/meetings", handler(case_meeting));
  router.add(verb::post, "/staff/cases/{reference}/meetings/answer", handler(case_meeting_answer));
  router.add(verb::post, "/staff/cases/{reference}/meetings/minutes",
             handler(case_meeting_minutes));
  router.add(verb::post, "/staff/cases/{reference}/translations", handler(case_translation));
  router.add(verb::get, "/staff/admin/guides", handler(guides_page));
  router.add(verb::get, "/staff/admin/guides/{category}", handler(guide_edit_page));
  router.add(verb::post, "/staff/admin/guides/{category}", handler(guide_save));
  router.add(verb::post, "/staff/admin/guides/{category}/reset", handler(guide_reset));
  router.add(verb::get, "/staff/admin/webhooks", handler(operator_webhooks));
  router.add(verb::post, "/staff/admin/organisations/{id}/webhooks", handler(webhook_add));
  router.add(verb::get, "/staff/admin/organisations/{id}/webhooks/{webhook_id}/delete",
             handler(webhook_confirm_delete));
  router.add(verb::post, "/staff/admin/organisations/{id}/webhooks/{webhook_id}/delete",
             handler(webhook_delete));
  router.add(verb::get, "/staff/admin/webhook-deliveries", handler(deliveries_page));
  router.add(verb::post, "/staff/admin/webhook-deliveries/{id}/retry", handler(delivery_retry));
  router.add(verb::get, "/staff/complaint", handler(complaint_form));
  router.add(verb::post, "/staff/complaint", handler(complaint_file));
  router.add(verb::get, "/staff/batch", handler(batch_form));
  router.add(verb::post, "/staff/batch", handler(batch_upload));
  router.add(verb::post, "/staff/batch/file", handler(batch_file));
  router.add(verb::get, "/staff/batch/template.csv", handler(batch_template));
  router.add(verb::get, "/staff/batch/codes", handler(batch_codes));

  for (Directory d :
       {Directory::kOrganisations, Directory::kUsers, Directory::kSites, Directory::kSupplyLinks}) {
    const std::string path(directory_path(d));
    router.add(verb::get, path, handler([d](const StaffPages& p, Request& req) {
                 return directory_page(p, d, req);
               }));
    router.add(verb::post, path, handler([d](const StaffPages& p, Request& req) {
                 return directory_create(p, d, req);
               }));
    router.add(verb::get, path + "/{id}",
               handler([d](const StaffPages& p, Request& req, const PathParams& params) {
                 return directory_record(p, d, req, params.get("id"));
               }));
    router.add(verb::post, path + "/{id}",
               handler([d](const StaffPages& p, Request& req, const PathParams& params) {
                 return directory_update(p, d, req, params.get("id"));
               }));
    router.add(verb::get, path + "/{id}/disable",
               handler([d](const StaffPages& p, Request& req, const PathParams& params) {
                 return directory_confirm_disable(p, d, req, params.get("id"));
               }));
    router.add(verb::post, path + "/{id}/disable",
               handler([d](const StaffPages& p, Request& req, const PathParams& params) {
                 return directory_set_disabled(p, d, req, params.get("id"), true);
               }));
    router.add(verb::post, path + "/{id}/enable",
               handler([d](const StaffPages& p, Request& req, const PathParams& params) {
                 return directory_set_disabled(p, d, req, params.get("id"), false);
               }));
  }
  router.add(verb::post, std::string(directory_path(Directory::kUsers)) + "/{id}/password",
             handler([](const StaffPages& p, Request& req, const PathParams& params) {
               return user_password(p, req, params.get("id"));
             }));
}

}  // namespace grievance::http::pages
