// The case list (GET /staff/cases: filters, paging, and for admins the triage queue and the
// routing) and one case (GET /staff/cases/{reference}: facts, deadlines, stages, timeline),
// with the forms the viewer may use there (issue 8): a message (POST .../messages: a union
// that follows the case, the companies of the case, admins; internal notes for companies and
// admins) and, for a triage case, an admin's assignment to a company (POST .../assign).
// Everything shown is what the domain's views hold and nothing more: the access policy has
// already decided which cases, parties, contact details and events this viewer may see, what
// each event's actor is to the viewer, and which forms the viewer may use.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/codes.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/pages/staff/case_page.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

namespace {

using domain::Language;
using domain::Role;
using nlohmann::json;

// The workplace: the known site's name and region, else the place the complainant typed.
std::string place_text(std::string_view site_name, std::string_view region, const domain::Case& c) {
  if (site_name.empty()) return c.complaint.place;
  return std::string(site_name) + (region.empty() ? "" : ", " + std::string(region));
}

// Admins: which companies the case went to, or that it waits in triage.
template <class NameOf>
std::string routing_text(const PageKit& kit, Language l, const domain::Case& c, NameOf name_of) {
  if (c.parties.empty()) return kit.text(l, "staff_routing_triage");
  std::string out;
  for (const auto& p : c.parties) {
    if (!out.empty()) out += "; ";
    out += name_of(p.org_id) + " (" +
           kit.text(l, "staff_party_" + std::string(domain::to_string(p.role))) + ")";
  }
  return out;
}

std::string party_text(const PageKit& kit, Language l, domain::PartyRole role) {
  return kit.text(l, "staff_party_" + std::string(domain::to_string(role)));
}

// The filters of the list, as asked; only admins filter by company and see the triage queue.
domain::CaseListRequest list_request(const FormData& query, bool is_admin) {
  domain::CaseListRequest r;
  r.status = query.get("status");
  r.country = query.get("country");
  r.sector = query.get("sector");
  r.category = query.get("category");
  r.overdue = query.get("overdue") == "true" ? "true" : "";
  r.q = query.get("q");
  r.cursor = query.get("cursor");
  if (is_admin) {
    r.company = query.get("company");
    r.triage = query.get("triage") == "1";
    r.flag = query.get("flag");
  }
  return r;
}

// The filter form's error for a filter the domain refused (a bad cursor belongs to the search).
FieldError filter_error(const PageKit& kit, Language l, std::string field) {
  if (field != "cursor" && field != "status" && field != "country" && field != "sector" &&
      field != "category" && field != "company" && field != "q" && field != "overdue" &&
      field != "flag") {
    field = "q";
  }
  const std::string target = field == "cursor" || field == "flag" ? "q" : field;
  return {field, target, kit.text(l, "staff_error_filter")};
}

json company_options(const StaffPages& pages, const domain::Session& session,
                     std::string_view chosen, bool enabled_only = false) {
  json companies = json::array();
  if (auto orgs = pages.directory()->list_organisations(session)) {
    for (const auto& o : *orgs) {
      if (o.kind != domain::OrgKind::kCompany || (enabled_only && o.disabled)) continue;
      const std::string id = std::to_string(o.id);
      companies.push_back({{"value", id}, {"label", o.name}, {"selected", id == chosen}});
    }
  }
  return companies;
}

json case_row(const PageKit& kit, Language l, const domain::CasePage& listed,
              const domain::CaseSummary& summary, Role viewer) {
  const domain::Case& c = summary.c;
  json row = {{"reference", c.reference},
              {"href", with_lang("/staff/cases/" + c.reference, l)},
              {"status", kit.text(l, "status_" + std::string(domain::to_string(c.status)))},
              {"filed", kit.day_text(l, c.created_at)},
              {"filed_iso", domain::format_date(web::day_of(c.created_at))},
              {"place", place_text(summary.site_name, summary.site_region, c)},
              {"country", kit.country_name(l, c.complaint.country)},
              {"overdue", summary.overdue}};
  if (summary.next_due) row["due"] = kit.day_text(l, *summary.next_due);
  if (viewer == Role::kCompany && summary.viewer_party) {
    row["party"] = party_text(kit, l, *summary.viewer_party);
  }
  if (viewer == Role::kAdmin) {
    row["routing"] =
        routing_text(kit, l, c, [&](std::int64_t id) { return listed.organisation_name(id); });
    // The office's queues: what waits for its review, tagged on the row.
    json flags = json::array();
    if (c.retaliation) flags.push_back(kit.text(l, "staff_tag_retaliation"));
    if (c.remedy_failed) flags.push_back(kit.text(l, "staff_tag_remedy_failed"));
    row["flags"] = std::move(flags);
  }
  return row;
}

}  // namespace

Response case_list(const StaffPages& pages, Request& req) {
  const PageKit& kit = pages.kit();
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  const Language l = lang.lang;
  if (!domain::may_list_cases(session->role)) {
    return pages.message_page(
        req, lang, bhttp::status::forbidden,
        {"staff_no_cases_title", "staff_no_cases_text", "/staff/stats", "staff_stats_go"},
        &*session);
  }
  const FormData query = query_of(req);
  const bool is_admin = session->role == Role::kAdmin;
  const domain::CaseListRequest r = list_request(query, is_admin);

  std::vector<FieldError> errors;
  auto listed = pages.services().casework.list_cases(*session, r);
  if (!listed) {
    if (listed.error().code != domain::ErrorCode::kInvalidField) {
      return pages.error_page(req, lang, listed.error());
    }
    errors.push_back(filter_error(kit, l, listed.error().field));
  }
  json data = kit.form_data(l, errors);

  // The filter form, filled in with what was asked.
  data["v"] = {{"q", r.q}, {"overdue", r.overdue == "true"}, {"triage", r.triage}};
  data["statuses"] = kit.options(domain::all_case_statuses(), r.status, l, "status_");
  data["sectors"] = kit.options(domain::all_sectors(), r.sector, l, "staff_sector_");
  data["categories"] = kit.options(domain::all_categories(), r.category, l, "category_");
  std::vector<std::string> site_countries;
  if (auto countries = pages.services().filing.site_countries()) {
    site_countries = *std::move(countries);
  }
  data["countries"] = kit.country_options(l, site_countries, r.country);
  data["is_admin"] = is_admin;
  if (is_admin) {
    // The complaints office's queues (issue 9): what waits for it, one link each.
    json queues = json::array();
    auto queue = [&](const char* key, const char* query, bool current) {
      queues.push_back({{"label", kit.text(l, key)},
                        {"href", "/staff/cases?lang=" + lang_code(l) + "&" + query},
                        {"current", current}});
    };
    const bool plain = r.country.empty() && r.sector.empty() && r.category.empty() && r.q.empty() &&
                       r.flag.empty();
    queue("staff_queue_triage", "triage=1", plain && r.triage && r.status.empty());
    queue("staff_queue_appeals", "status=appealed",
          plain && !r.triage && r.status == "appealed" && r.overdue.empty());
    queue("staff_queue_overdue", "overdue=true",
          plain && !r.triage && r.status.empty() && r.overdue == "true");
    for (const char* flag : {"retaliation", "remedy_failed"}) {
      const bool current = r.flag == flag && r.country.empty() && r.sector.empty() &&
                           r.category.empty() && r.q.empty() && !r.triage && r.status.empty();
      queues.push_back({{"label", kit.text(l, std::string("staff_queue_") + flag)},
                        {"href", "/staff/cases?lang=" + lang_code(l) + "&flag=" + flag},
                        {"current", current}});
    }
    data["queues"] = std::move(queues);
  }
  if (is_admin && pages.directory() != nullptr) {
    data["companies"] = company_options(pages, *session, r.company);
  }

  json rows = json::array();
  data["show_party"] = session->role == Role::kCompany;
  data["show_routing"] = is_admin;
  if (listed) {
    for (const domain::CaseSummary& summary : listed->rows) {
      rows.push_back(case_row(kit, l, *listed, summary, session->role));
    }
    // Paging keeps the filters.
    std::string first = "/staff/cases?lang=" + lang_code(l);
    for (const auto& [name, value] : query.pairs()) {
      if (name == "cursor" || name == "lang" || value.empty()) continue;
      first += "&" + web::url_encode(name) + "=" + web::url_encode(value);
    }
    if (!listed->next_cursor.empty()) {
      data["next_href"] = first + "&cursor=" + web::url_encode(listed->next_cursor);
    }
    data["first_page_href"] = first;
    data["paged"] = !r.cursor.empty();
    data["has_pages"] = !r.cursor.empty() || !listed->next_cursor.empty();
  }
  data["has_rows"] = !rows.empty();
  data["caption"] = kit.format(l, r.triage ? "staff_cases_caption_triage" : "staff_cases_caption",
                               {{"count", std::to_string(rows.size())}});
  data["rows"] = std::move(rows);
  data["first_href"] = with_lang("/staff/cases", l);
  return pages.render(req, lang,
                      {errors.empty() ? bhttp::status::ok : bhttp::status::bad_request,
                       r.triage ? "staff_triage_title" : "staff_cases_title", "staff_cases",
                       "/staff/cases", !errors.empty()},
                      data, &*session, r.triage ? "triage" : "cases");
}

namespace {

// The case's facts as a list of {label, value}: what the viewer's view holds.
json case_facts(const PageKit& kit, Language l, const domain::CaseView& view) {
  const domain::Case& c = view.c;
  const domain::Complaint& k = c.complaint;
  json facts = json::array();
  auto fact = [&](std::string_view key, std::string value) {
    facts.push_back({{"label", kit.text(l, key)}, {"value", std::move(value)}});
  };
  fact("staff_fact_filed", kit.time_text(l, c.created_at));
  fact("staff_fact_channel",
       kit.text(l, "staff_channel_" + std::string(domain::to_string(k.channel))));
  fact("staff_fact_place",
       view.site ? place_text(view.site->name, view.site->region, c) : place_text("", "", c));
  fact("staff_fact_country", kit.country_name(l, k.country));
  std::string categories;
  for (auto cat : k.categories) {
    if (!categories.empty()) categories += ", ";
    categories += kit.text(l, "category_" + std::string(domain::to_string(cat)));
  }
  fact("staff_fact_categories", categories);
  fact("staff_fact_incident_date", k.incident_date ? kit.catalogues().date(l, *k.incident_date)
                                                   : kit.text(l, "check_date_unknown"));
  fact("staff_fact_language", std::string(web::language_endonym(k.language)));
  fact("staff_fact_anonymous", kit.text(l, k.anonymous ? "staff_yes" : "staff_no"));
  fact("staff_fact_identity",
       kit.text(l, "staff_identity_" + std::string(domain::to_string(c.identity))));
  if (view.viewer_party) fact("staff_fact_your_part", party_text(kit, l, *view.viewer_party));
  if (k.union_org_id) {
    fact("staff_fact_union", view.organisation_name(*k.union_org_id));
    if (k.mandate) {
      std::string m =
          kit.text(l, k.mandate->follow ? "staff_mandate_follow" : "staff_mandate_file");
      if (k.mandate->share_identity_with_company) m += "; " + kit.text(l, "staff_mandate_share");
      if (k.mandate->collective) {
        m += "; " + kit.format(l, "staff_mandate_collective",
                               {{"count", std::to_string(k.mandate->headcount)}});
      }
      fact("staff_fact_mandate", m);
    }
  }
  if (view.show_parties) {
    fact("staff_fact_routing",
         routing_text(kit, l, c, [&](std::int64_t id) { return view.organisation_name(id); }));
  }
  return facts;
}

// The deadlines' state is the domain's (server/domain/deadlines.hpp), at the domain's clock.
json case_deadlines(const PageKit& kit, Language l, const domain::CaseView& view) {
  json deadlines = json::array();
  for (const domain::DeadlineState& d : view.deadlines) {
    const char* key = d.deadline == domain::DeadlineKind::kAcknowledgement ? "staff_deadline_ack"
                      : d.deadline == domain::DeadlineKind::kResponse ? "staff_deadline_response"
                                                                      : "staff_deadline_resolution";
    deadlines.push_back({{"label", kit.text(l, key)},
                         {"date", kit.day_text(l, d.due)},
                         {"state", kit.text(l, d.met    ? "staff_deadline_met"
                                               : d.late ? "staff_deadline_late"
                                                        : "staff_deadline_open")},
                         {"late", d.late}});
  }
  return deadlines;
}

// The contact details, where the view shows them: {label, value} for each one given.
json case_contact(const PageKit& kit, Language l, const domain::Contact& contact) {
  json out = json::array();
  for (const auto& [key, value] : {std::pair{"contact_name_label", &contact.name},
                                   std::pair{"contact_phone_label", &contact.phone},
                                   std::pair{"contact_email_label", &contact.email}}) {
    if (!value->empty()) out.push_back({{"label", kit.text(l, key)}, {"value", *value}});
  }
  return out;
}

// Who did it, in the viewer's words: the domain decided what the actor is to the viewer
// (domain::ActorLabel, issue 8: never "You" for the complainant's words in a staff view).
std::string actor_text(const PageKit& kit, Language l, const domain::ActorLabel& a) {
  using Kind = domain::ActorLabel::Kind;
  std::string what;
  switch (a.kind) {
    case Kind::kComplainant:
      what = kit.text(l, "staff_actor_complainant");
      break;
    case Kind::kUnion:
      what = a.name.empty() ? kit.text(l, "staff_actor_union")
                            : kit.format(l, "staff_actor_union_named", {{"name", a.name}});
      break;
    case Kind::kCompany:
      what = a.name.empty() ? kit.text(l, "staff_actor_company") : a.name;
      break;
    case Kind::kComplaintsOffice:
      what = kit.text(l, "staff_actor_office");
      break;
    case Kind::kAuditor:
      what = kit.text(l, "staff_actor_auditor");
      break;
    case Kind::kSystem:
      what = kit.text(l, "staff_actor_system");
      break;
  }
  if (!a.yours) return what;
  return kit.format(l, "staff_actor_yours", {{"name", a.name.empty() ? what : a.name}});
}

// An event's title: the staff wording where the worker's would mislead a company ("Complaint
// sent", "passed to the company responsible"), else the timeline's own.
std::string event_title(const PageKit& kit, Language l, const domain::CaseEvent& e) {
  if (e.type == domain::EventType::kStatusChanged && e.to_status) {
    return kit.format(
        l, "event_status_changed",
        {{"status", kit.text(l, "status_" + std::string(domain::to_string(*e.to_status)))}});
  }
  if (e.type == domain::EventType::kTranslation) {
    // docs/domain.md "Translations": marked as a translation; who made it is the actor.
    return kit.format(
        l, "event_translation",
        {{"language",
          kit.text(l, "language_name_" + std::string(domain::to_string(
                                             e.language.value_or(domain::Language::kEn))))}});
  }
  if (e.type == domain::EventType::kRegisterConsent) {
    return kit.text(l, e.detail == domain::kRegisterGiven ? "staff_event_register_listed"
                                                          : "staff_event_register_unlisted");
  }
  if (e.type == domain::EventType::kMeetingAnswered) {
    return kit.text(
        l, domain::meeting_accepted(e) ? "event_meeting_agreed" : "event_meeting_declined");
  }
  const std::string type(domain::to_string(e.type));
  const std::string staff_key = "staff_event_" + type;
  const std::string& staff = kit.text(l, staff_key);
  return staff != staff_key ? staff : kit.text(l, "event_" + type);
}

json case_events(const PageKit& kit, Language l, const domain::CaseView& view) {
  json events = json::array();
  for (std::size_t i = 0; i < view.events.size(); ++i) {
    const domain::CaseEvent& e = view.events[i];
    const domain::EventLabels labels =
        i < view.event_labels.size() ? view.event_labels[i] : domain::EventLabels{};
    std::string body = e.body;
    if (e.type == domain::EventType::kRouted) {
      // The routing step's body names the part ("responsible", "buyer") or "triage"; the
      // company it reached is named as the viewer may see it.
      if (auto part = domain::parse_party_role(body)) {
        body = labels.routed_to
                   ? actor_text(kit, l, *labels.routed_to) + ": " + party_text(kit, l, *part)
                   : party_text(kit, l, *part);
      } else if (body == "triage") {
        body = kit.text(l, "staff_routing_triage");
      }
    }
    const std::string title = event_title(kit, l, e);
    const std::string actor = actor_text(kit, l, labels.actor);
    json file = nullptr;
    if (e.type == domain::EventType::kAttachment && e.attachment) {
      // docs/domain.md "Evidence": the file name links the download.
      file = {
          {"name", body},
          {"href", "/api/v1/cases/" + view.c.reference + "/attachments/" + std::to_string(e.seq)},
          {"note", web::attachment_note(kit.catalogues(), l, *e.attachment)}};
      body.clear();
    }
    events.push_back({{"file", std::move(file)},
                      {"at", kit.time_text(l, e.at)},
                      {"at_iso", domain::format_time(e.at)},
                      {"actor", actor},
                      {"title", title},
                      {"internal", e.visibility == domain::Visibility::kOrganisation},
                      {"mechanism", e.visibility == domain::Visibility::kMechanism},
                      {"details", event_details(kit, l, view, e)},
                      {"body", body}});
  }
  return events;
}

}  // namespace

std::string normalised_reference(std::string_view reference_in) {
  return domain::normalise_reference(reference_in).value_or(std::string(reference_in));
}

Response render_case(const StaffPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& session, std::string_view reference_in,
                     const CaseForms& forms) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  auto view = pages.services().casework.view_case(session, normalised_reference(reference_in));
  if (!view) {
    if (view.error().code == domain::ErrorCode::kNotFound ||
        view.error().code == domain::ErrorCode::kForbidden) {
      return pages.not_found_page(req, lang, &session);
    }
    return pages.error_page(req, lang, view.error());
  }
  const domain::Case& c = view->c;
  const domain::Complaint& k = c.complaint;
  json data = kit.form_data(l, forms.errors);
  data["notice"] = forms.notice;
  data["reference"] = c.reference;
  data["back_href"] = with_lang("/staff/cases", l);
  data["status_text"] = kit.text(l, "status_" + std::string(domain::to_string(c.status)));
  data["overdue"] = view->overdue;
  data["facts"] = case_facts(kit, l, *view);
  data["deadlines"] = case_deadlines(kit, l, *view);
  data["narrative"] = k.narrative;
  data["show_contact"] = view->show_contact;
  if (view->show_contact && k.contact && !k.contact->empty()) {
    data["contact"] = case_contact(kit, l, *k.contact);
    data["has_contact"] = true;
  }
  data["stages"] = web::stage_frames_json(kit.catalogues(), l, view->stages, "staff_stage_day0",
                                          "staff_step_", domain::utc_zone());
  data["events"] = case_events(kit, l, *view);
  // The forms the viewer may use here: the access policy decided them in the view.
  data["may_write"] = view->may_write;
  data["visibilities"] = visibility_choices(kit, l, *view);
  data["show_visibility"] = data["visibilities"].size() > 1;
  data["message_action"] = "/staff/cases/" + c.reference + "/messages";
  data["v"] = {{"body", forms.body}};
  add_casework(pages, l, session, *view, forms, data);
  add_meetings(pages, l, session, *view, forms, data);
  data["guides"] = case_guides(pages, l, session, *view);
  data["has_guides"] = !data["guides"].empty();
  add_attachment_form(pages, l, *view, forms, data);
  if (view->may_assign && pages.directory() != nullptr) {
    data["may_assign"] = true;
    data["assign_action"] = "/staff/cases/" + c.reference + "/assign";
    data["companies"] = company_options(pages, session, "", /*enabled_only=*/true);
  }
  return pages.render(req, lang,
                      {forms.status, "staff_case_title", "staff_case",
                       "/staff/cases/" + c.reference, !forms.errors.empty()},
                      data, &session, "cases");
}

std::expected<CasePost, Response> read_case_form(const StaffPages& pages, const Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::unexpected(std::move(post).error());
  auto session = pages.form_session(req, post->lang, post->form.get("csrf"));
  if (!session) return std::unexpected(std::move(session).error());
  return CasePost{std::move(post->form), post->lang, *std::move(session)};
}

Response case_view(const StaffPages& pages, Request& req, const PathParams& params) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  const FormData query = query_of(req);
  CaseForms forms;
  // What the last form did, in words (the forms redirect here: post, redirect, get).
  for (const char* done :
       {"sent", "moved", "asked", "marked", "judged", "answered", "reviewed", "disclosure",
        "meeting", "meeting_answered", "minutes", "translated", "attached", "registered"}) {
    if (query.get(done) == "1") {
      forms.notice = pages.kit().text(lang.lang, std::string("staff_notice_") + done);
    }
  }
  if (query.get("assigned") == "1") {
    // Who the case went to, as the view shows it (the admin sees every party).
    auto view = pages.services().casework.view_case(*session,
                                                    normalised_reference(params.get("reference")));
    if (view && !view->c.parties.empty()) {
      forms.notice =
          pages.kit().format(lang.lang, "staff_notice_assigned",
                             {{"company", view->organisation_name(view->c.parties[0].org_id)}});
    }
  }
  return render_case(pages, req, lang, *session, params.get("reference"), forms);
}

Response case_message(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const std::string reference = normalised_reference(params.get("reference"));
  const std::string body = form.get("body");
  // "staff": an internal note of the writer's organisation; "mechanism": the complainant's
  // side and the complaints office only. The domain refuses a visibility the writer may not use.
  const std::string chosen = form.get("visibility");
  const auto visibility = chosen == "staff"       ? domain::Visibility::kOrganisation
                          : chosen == "mechanism" ? domain::Visibility::kMechanism
                                                  : domain::Visibility::kParties;
  auto posted = pages.services().casework.post_message(session, reference, body, visibility);
  if (!posted) {
    const domain::Error& e = posted.error();
    const PageKit& kit = pages.kit();
    switch (e.code) {
      case domain::ErrorCode::kNotFound:
        return pages.not_found_page(req, lang, &session);
      case domain::ErrorCode::kForbidden:
        // A union that only filed the case: it reads, it does not write (mandate.follow).
        return pages.message_page(req, lang, bhttp::status::forbidden,
                                  {"staff_cannot_write_title", "staff_cannot_write_text",
                                   "/staff/cases/" + reference, "staff_back_to_case"},
                                  &session);
      case domain::ErrorCode::kInvalidField: {
        const bool on_visibility = e.field == "visibility";
        CaseForms forms;
        forms.errors.push_back(
            {on_visibility ? "visibility" : "body", on_visibility ? "visibility-parties" : "body",
             kit.text(lang.lang, on_visibility ? "staff_error_visibility" : "staff_error_body")});
        forms.body = body;
        forms.status = bhttp::status::bad_request;
        return render_case(pages, req, lang, session, reference, forms);
      }
      default:
        return pages.error_page(req, lang, e);
    }
  }
  return redirect_response(
      "/staff/cases/" + reference + "?lang=" + lang_code(lang.lang) + "&sent=1", req);
}

Response case_assign(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const std::string reference = normalised_reference(params.get("reference"));
  // The domain decides: an admin, a triage case, an enabled company (an empty choice is none).
  const auto org_id = parse_id(form.get("org_id")).value_or(0);
  auto assigned = pages.services().casework.assign_case(session, reference, org_id);
  if (!assigned) {
    const domain::Error& e = assigned.error();
    switch (e.code) {
      case domain::ErrorCode::kNotFound:
      case domain::ErrorCode::kForbidden:
        // Only admins assign: to anyone else this is a page that does not exist.
        return pages.not_found_page(req, lang, &session);
      case domain::ErrorCode::kInvalidField:
      case domain::ErrorCode::kConflict: {
        CaseForms forms;
        const bool conflict = e.code == domain::ErrorCode::kConflict;
        forms.errors.push_back({"org_id", "org_id",
                                pages.kit().text(lang.lang, conflict ? "staff_error_assigned"
                                                                     : "staff_error_assign")});
        forms.status = conflict ? bhttp::status::conflict : bhttp::status::bad_request;
        return render_case(pages, req, lang, session, reference, forms);
      }
      default:
        return pages.error_page(req, lang, e);
    }
  }
  return redirect_response(
      "/staff/cases/" + reference + "?lang=" + lang_code(lang.lang) + "&assigned=1", req);
}

}  // namespace grievance::http::pages::staff
