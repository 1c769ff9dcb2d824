// Following one's own complaint: sign in with the reference and the access code (GET and POST
// /follow), the case page with its stages, timeline and a message form (GET /case, POST
// /case/messages), and signing out (POST /signout). The session is the complainant's own:
// the domain shows them their case and nothing else.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/local_time.hpp"
#include "server/http/auth.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/pages/worker/worker_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::worker {

namespace {

using domain::Language;
using nlohmann::json;

Response render_follow(const WorkerPages& pages, const Request& req, PageLanguage lang,
                       std::string_view reference, const std::vector<FieldError>& errors,
                       bhttp::status status) {
  json data = pages.kit().form_data(lang.lang, errors);
  data["v"] = {{"reference", reference}};
  return pages.render(req, lang, {status, "follow_title", "follow", "/follow", !errors.empty()},
                      data);
}

// One timeline entry's title and body as the complainant reads them: status changes name the
// new status; messages and clock pauses show their text; other steps only their title.
std::pair<std::string, std::string> event_text(const PageKit& kit, Language l,
                                               const domain::CaseEvent& e) {
  switch (e.type) {
    case domain::EventType::kStatusChanged:
      return {
          kit.format(
              l, "event_status_changed",
              {{"status",
                e.to_status ? kit.text(l, "status_" + std::string(domain::to_string(*e.to_status)))
                            : std::string()}}),
          e.body};
    case domain::EventType::kMessage:
    case domain::EventType::kClockPaused:
    case domain::EventType::kClockResumed:
      return {kit.text(l, "event_" + std::string(domain::to_string(e.type))), e.body};
    case domain::EventType::kRouted:
      // One line for the routing, however many companies it reached: the page names them and
      // their parts above (issue 8).
      return {kit.text(l, e.body == "triage" ? "event_routed_triage" : "event_routed_companies"),
              {}};
    default:
      return {kit.text(l, "event_" + std::string(domain::to_string(e.type))), {}};
  }
}

// A moment as the worker reads it: the local day and clock of the workplace's zone, with the
// zone's label ("9 October 2026, 02:05 WIB"; docs/domain.md "Local time").
std::string local_time_text(const PageKit& kit, Language l, domain::TimePoint t,
                            const domain::TimeZone& zone) {
  const domain::LocalTime local = domain::to_local(t, zone);
  const auto day = std::chrono::floor<std::chrono::days>(local.time);
  const std::chrono::hh_mm_ss hms{local.time - day};
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return kit.catalogues().date(l, domain::Date{day}) + ", " + hm + " " + std::string(local.label);
}

Response render_case(const WorkerPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& session, std::string_view draft_body,
                     const std::vector<FieldError>& errors, bool message_sent,
                     bhttp::status status) {
  const PageKit& kit = pages.kit();
  auto view = pages.services().casework.view_own_case(session);
  if (!view) {
    if (view.error().code == domain::ErrorCode::kNotFound) return pages.to_follow(req, lang.lang);
    return pages.error_page(req, lang, view.error());
  }
  const Language l = lang.lang;
  const domain::Case& c = view->c;
  json data = kit.form_data(l, errors);
  data["v"] = {{"body", draft_body}};
  data["message_sent"] = message_sent;
  data["csrf"] = session.csrf_token;
  data["reference"] = c.reference;
  const std::string status_code(domain::to_string(c.status));
  data["status_text"] = kit.text(l, "status_" + status_code);
  // A case waiting in triage has no company yet: say who is working on it.
  const bool triage = view->holders.empty();
  data["status_help"] = kit.text(l, triage && c.status == domain::CaseStatus::kReceived
                                        ? std::string("status_help_triage")
                                        : "status_help_" + status_code);
  data["triage"] = triage;
  json holders = json::array();
  for (const domain::CaseParty& p : view->holders) {
    const bool responsible = p.role == domain::PartyRole::kResponsible;
    holders.push_back(kit.format(l, responsible ? "case_holder_responsible" : "case_holder_buyer",
                                 {{"name", view->organisation_name(p.org_id)}}));
  }
  data["holders"] = std::move(holders);

  const domain::TimeZone zone =
      domain::complaint_time_zone(c.complaint, view->site ? &*view->site : nullptr);
  data["stages"] =
      web::stage_frames_json(kit.catalogues(), l, view->stages, "stage_frame_day0", "step_", zone);
  json events = json::array();
  bool routed_shown = false;
  for (const auto& e : view->events) {
    if (e.type == domain::EventType::kRouted && e.body != "triage") {
      if (routed_shown) continue;
      routed_shown = true;
    }
    auto [title, body] = event_text(kit, l, e);
    events.push_back(
        {{"at", local_time_text(kit, l, e.at, zone)},
         {"at_iso", domain::format_time(e.at)},
         {"actor", kit.text(l, "actor_" + std::string(domain::to_string(e.actor_role)))},
         {"mine", e.actor_role == domain::Role::kComplainant},
         {"title", title},
         {"body", body}});
  }
  data["events"] = std::move(events);

  json chosen = json::array();
  for (auto cat : c.complaint.categories) {
    chosen.push_back(kit.text(l, "category_" + std::string(domain::to_string(cat))));
  }
  data["chosen_categories"] = std::move(chosen);
  data["narrative"] = c.complaint.narrative;
  data["filed_on"] = kit.catalogues().date(l, domain::local_date(c.created_at, zone));
  return pages.render(req, lang, {status, "case_title", "case", "/case", !errors.empty()}, data);
}

}  // namespace

Response follow_form(const WorkerPages& pages, Request& req) {
  return render_follow(pages, req, language_of(req), {}, {}, bhttp::status::ok);
}

Response follow_sign_in(const WorkerPages& pages, Request& req, const RequestContext& ctx) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  const PageKit& kit = pages.kit();
  const std::string reference = form.get("reference");
  const std::string code = form.get("access_code");

  std::vector<FieldError> errors;
  if (reference.find_first_not_of(" \t") == std::string::npos) {
    errors.push_back({"reference", "reference", kit.text(lang.lang, "error_reference_missing")});
  }
  if (code.find_first_not_of(" \t") == std::string::npos) {
    errors.push_back({"access_code", "access_code", kit.text(lang.lang, "error_code_missing")});
  }
  if (!errors.empty()) {
    return render_follow(pages, req, lang, reference, errors, bhttp::status::bad_request);
  }

  auto signed_in = pages.services().complainants.sign_in(reference, code, ctx.client_address);
  if (!signed_in) {
    const auto& e = signed_in.error();
    if (e.code == domain::ErrorCode::kRateLimited) {
      errors.push_back(kit.too_many_attempts(lang.lang, "reference", e));
      auto res =
          render_follow(pages, req, lang, reference, errors, bhttp::status::too_many_requests);
      set_retry_after(res, e);
      return res;
    }
    if (e.code == domain::ErrorCode::kUnauthorized) {
      errors.push_back({"reference", "reference", kit.text(lang.lang, "error_sign_in_failed")});
      return render_follow(pages, req, lang, reference, errors, bhttp::status::unauthorized);
    }
    return pages.error_page(req, lang, e);
  }
  return signed_in_redirect(with_lang("/case", lang.lang), *signed_in, req);
}

Response case_page(const WorkerPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = authenticate(req, pages.services().sessions);
  if (!session) return pages.to_follow(req, lang.lang);
  const bool sent = query_of(req).get("sent") == "1";
  return render_case(pages, req, lang, *session, {}, {}, sent, bhttp::status::ok);
}

Response post_message(const WorkerPages& pages, Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  domain::Services& services = pages.services();
  auto session = authenticate(req, services.sessions, form.get("csrf"));
  if (!session) {
    if (session.error().code == domain::ErrorCode::kCsrfFailed) {
      return pages.csrf_failed(req, lang);
    }
    return pages.to_follow(req, lang.lang);
  }
  const std::string body = form.get("body");
  auto own = services.casework.view_own_case(*session);
  if (!own) return pages.to_follow(req, lang.lang);
  auto posted = services.casework.post_message(*session, own->c.reference, body,
                                               domain::Visibility::kParties);
  if (!posted) {
    if (posted.error().code == domain::ErrorCode::kInvalidField) {
      std::vector<FieldError> errors{
          {"body", "body", pages.kit().text(lang.lang, "error_message_body")}};
      return render_case(pages, req, lang, *session, body, errors, false,
                         bhttp::status::bad_request);
    }
    if (posted.error().code == domain::ErrorCode::kNotFound) {
      return pages.to_follow(req, lang.lang);
    }
    return pages.error_page(req, lang, posted.error());
  }
  return redirect_response("/case?sent=1&lang=" + lang_code(lang.lang), req);
}

Response sign_out(const WorkerPages& pages, Request& req) { return pages.sign_out(req, "/"); }

}  // namespace grievance::http::pages::worker
