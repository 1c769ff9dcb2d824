// The staff pages (issue 3 item 7; SPEC section 4 "Web pages"): sign-in, the case list with
// filters, the read-only case view with its timeline, the admin pages for organisations,
// users, sites and supply links, and the union's batch upload with its printable receipt
// slips. Server-rendered HTML that works with JavaScript off, in every language of the
// catalogues, GOV.UK Design System patterns (labels above fields, an error summary linking to
// each field, tables with captions and column headers).
//
// Every page asks the domain and shows only what it answers: the case list and case view come
// from CaseService (so the one access policy decides), the directory from AdminService (which
// refuses non-admins). A complainant's session is not a staff session: it gets the sign-in
// page. Every POST needs the session's CSRF token (form field "csrf"), and forms a browser
// marks cross-site are refused before that.
//
// The receipt slips carry access codes in clear: they are rendered once, into the response
// only (Cache-Control: no-store, as every page), and never logged.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/directory_service.hpp"
#include "server/http/auth.hpp"
#include "server/http/batch_input.hpp"
#include "server/http/files.hpp"
#include "server/http/log.hpp"
#include "server/http/multipart.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/pages/i18n.hpp"
#include "server/http/pages/templates.hpp"
#include "server/http/responses.hpp"
#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http {

namespace {

using domain::Language;
using domain::Role;
using nlohmann::json;
using web::day_of;
using web::FormData;
using web::stage_frames_json;

// Countries offered by the case list's filter besides those of known sites (as on the
// complaint form).
constexpr std::string_view kCountries[] = {"BD", "BE", "CI", "CM", "DE", "FR", "GH",
                                           "ID", "KH", "MY", "NL", "TH", "VN"};

// The same content hash the worker pages put on asset URLs, so both share one cached copy.
std::string short_hash(std::string_view data) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 10; ++i) out += kHex[(h >> (i * 4)) & 15];
  return out;
}

std::string lang_code(Language l) { return std::string(domain::to_string(l)); }

// One form error: the field, the id the error summary links to, the message.
struct FieldError {
  std::string field;
  std::string target;
  std::string message;
};

// A random hex nonce (form-scoped idempotency key): uniqueness only, no secrecy.
std::string new_nonce() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

bool valid_nonce(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<std::int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(std::string(s));
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

class StaffPages {
 public:
  struct PageLanguage {
    Language lang = Language::kEn;
    bool from_query = false;  // then the choice is remembered in the lang cookie
  };

  explicit StaffPages(const AppDeps& deps)
      : services_(deps.services),
        admin_(deps.services.directory.get()),
        batch_body_limit_(std::max(deps.batch_body_limit, deps.body_limit)),
        public_origin_(deps.public_origin),
        templates_(web::TemplateSet::load(deps.web_dir + "/templates")),
        catalogues_(web::Catalogues::load(deps.web_dir + "/i18n")) {
    for (const char* name :
         {"staff_layout", "staff_sign_in", "staff_cases", "staff_case", "staff_batch",
          "staff_slips", "staff_organisations", "staff_users", "staff_sites", "staff_supply_links",
          "staff_message", "error_summary"}) {
      if (!templates_.contains(name)) {
        throw std::runtime_error(std::string("missing template web/templates/") + name + ".html");
      }
    }
    auto url = [&](const char* name) {
      auto body = read_file(deps.web_dir + "/static/" + name);
      if (!body) throw std::runtime_error(std::string("missing web/static/") + name);
      return "/static/" + std::string(name) + "?v=" + short_hash(*body);
    };
    css_url_ = url("site.css");
    staff_css_url_ = url("staff.css");
    js_url_ = url("site.js");
    favicon_url_ = url("favicon.svg");
  }

  // ---- sign-in and sign-out ---------------------------------------------------------------

  Response sign_in_form(Request& req) {
    const auto lang = language_of(req);
    return render_sign_in(req, lang, {}, {}, bhttp::status::ok,
                          query_of(req).get("signed_out") == "1");
  }

  Response sign_in(Request& req, const RequestContext& ctx) {
    if (auto refused = refuse_form(req)) return *std::move(refused);
    const FormData form = FormData::parse(req.body());
    const auto lang = language_of(req, &form);
    const std::string email = form.get("email");
    const std::string password = form.get("password");
    std::vector<FieldError> errors;
    if (blank(email)) errors.push_back({"email", "email", text(lang.lang, "staff_error_email")});
    if (password.empty()) {
      errors.push_back({"password", "password", text(lang.lang, "staff_error_password_missing")});
    }
    if (!errors.empty()) {
      return render_sign_in(req, lang, email, errors, bhttp::status::bad_request, false);
    }
    std::string totp = form.get("totp");
    totp.erase(std::remove_if(totp.begin(), totp.end(), [](char c) { return c == ' '; }),
               totp.end());
    auto signed_in = services_.staff.sign_in(email, password, totp, ctx.client_address);
    if (!signed_in) {
      const auto& e = signed_in.error();
      if (e.code == domain::ErrorCode::kRateLimited) {
        const int minutes = std::max(1, (e.retry_after_seconds + 59) / 60);
        errors.push_back({"email", "email",
                          catalogues_.format(lang.lang, "error_too_many_attempts",
                                             {{"minutes", std::to_string(minutes)}})});
        auto res =
            render_sign_in(req, lang, email, errors, bhttp::status::too_many_requests, false);
        res.set(bhttp::field::retry_after, std::to_string(std::max(1, e.retry_after_seconds)));
        return res;
      }
      if (e.code == domain::ErrorCode::kUnauthorized) {
        errors.push_back({"email", "email", text(lang.lang, "staff_error_sign_in_failed")});
        return render_sign_in(req, lang, email, errors, bhttp::status::unauthorized, false);
      }
      return error_page(req, lang, e);
    }
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
        signed_in->session.expires_at - signed_in->session.created_at);
    auto res = redirect_response(with_lang("/staff/cases", lang.lang), req);
    res.insert(bhttp::field::set_cookie,
               session_cookie(signed_in->token,
                              static_cast<int>(std::max<std::int64_t>(60, ttl.count()))));
    return res;
  }

  Response sign_out(Request& req) {
    if (auto refused = refuse_form(req)) return *std::move(refused);
    const FormData form = FormData::parse(req.body());
    const auto lang = language_of(req, &form);
    auto session = authenticate(req, services_.sessions, form.get("csrf"));
    if (!session && session.error().code == domain::ErrorCode::kCsrfFailed) {
      return csrf_failed(req, lang);
    }
    if (session) {
      if (auto credentials = credentials_from(req))
        (void)services_.sessions.sign_out(credentials->token);
    }
    auto res = redirect_response("/staff/sign-in?signed_out=1&lang=" + lang_code(lang.lang), req);
    res.insert(bhttp::field::set_cookie, clear_session_cookie());
    return res;
  }

  Response staff_home(Request& req) {
    const auto lang = language_of(req);
    if (!staff_session(req)) return to_sign_in(req, lang.lang);
    return redirect_response(with_lang("/staff/cases", lang.lang), req);
  }

  // ---- the case list ----------------------------------------------------------------------

  Response case_list(Request& req) {
    const auto lang = language_of(req);
    auto session = staff_session(req);
    if (!session) return to_sign_in(req, lang.lang);
    const Language l = lang.lang;
    if (!domain::may_list_cases(session->role)) {
      return message_page(req, lang, bhttp::status::forbidden, "staff_no_cases_title",
                          "staff_no_cases_text", &*session, "");
    }
    const FormData query = query_of(req);
    const bool is_admin = session->role == Role::kAdmin;
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
    }

    json data = base_data(l);
    std::vector<FieldError> errors;
    auto listed = services_.casework.list_cases(*session, r);
    if (!listed) {
      if (listed.error().code != domain::ErrorCode::kInvalidField) {
        return error_page(req, lang, listed.error());
      }
      std::string field = listed.error().field;
      if (field != "cursor" && field != "status" && field != "country" && field != "sector" &&
          field != "category" && field != "company" && field != "q" && field != "overdue") {
        field = "q";
      }
      const std::string target = field == "cursor" ? "q" : field;
      errors.push_back({field, target, text(l, "staff_error_filter")});
    }

    // The filter form, filled in with what was asked.
    data["v"] = {{"q", r.q}, {"overdue", r.overdue == "true"}, {"triage", r.triage}};
    data["statuses"] = options(domain::all_case_statuses(), r.status, l, "status_");
    data["sectors"] = options(domain::all_sectors(), r.sector, l, "staff_sector_");
    data["categories"] = options(domain::all_categories(), r.category, l, "category_");
    data["countries"] = country_options(l, r.country);
    data["is_admin"] = is_admin;
    if (is_admin && admin_ != nullptr) {
      json companies = json::array();
      if (auto orgs = admin_->list_organisations(*session)) {
        for (const auto& o : *orgs) {
          if (o.kind != domain::OrgKind::kCompany) continue;
          const std::string id = std::to_string(o.id);
          companies.push_back({{"value", id}, {"label", o.name}, {"selected", id == r.company}});
        }
      }
      data["companies"] = std::move(companies);
    }
    data["error_summary"] = error_summary(l, errors);
    data["err"] = field_errors(errors);

    json rows = json::array();
    const bool show_party = session->role == Role::kCompany;
    data["show_party"] = show_party;
    data["show_routing"] = is_admin;
    if (listed) {
      for (const domain::CaseSummary& summary : listed->rows) {
        const domain::Case& c = summary.c;
        const bool overdue = summary.overdue;
        json row = {{"reference", c.reference},
                    {"href", with_lang("/staff/cases/" + c.reference, l)},
                    {"status", text(l, "status_" + std::string(domain::to_string(c.status)))},
                    {"filed", catalogues_.date(l, day_of(c.created_at))},
                    {"filed_iso", domain::format_date(day_of(c.created_at))},
                    {"place", place_text(summary.site_name, summary.site_region, c)},
                    {"country", country_name(l, c.complaint.country)},
                    {"overdue", overdue}};
        if (summary.next_due) row["due"] = catalogues_.date(l, day_of(*summary.next_due));
        if (show_party && summary.viewer_party) {
          row["party"] =
              text(l, "staff_party_" + std::string(domain::to_string(*summary.viewer_party)));
        }
        if (is_admin) {
          row["routing"] =
              routing_text(l, c, [&](std::int64_t id) { return listed->organisation_name(id); });
        }
        rows.push_back(std::move(row));
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
    data["caption"] =
        catalogues_.format(l, r.triage ? "staff_cases_caption_triage" : "staff_cases_caption",
                           {{"count", std::to_string(rows.size())}});
    data["rows"] = std::move(rows);
    data["first_href"] = with_lang("/staff/cases", l);
    return page(req, lang, errors.empty() ? bhttp::status::ok : bhttp::status::bad_request,
                r.triage ? "staff_triage_title" : "staff_cases_title", "staff_cases", data,
                "/staff/cases", &*session, r.triage ? "triage" : "cases", !errors.empty());
  }

  // ---- one case -----------------------------------------------------------------------------

  Response case_view(Request& req, std::string_view reference_in) {
    const auto lang = language_of(req);
    auto session = staff_session(req);
    if (!session) return to_sign_in(req, lang.lang);
    const Language l = lang.lang;
    const std::string reference =
        domain::normalise_reference(reference_in).value_or(std::string(reference_in));
    auto view = services_.casework.view_case(*session, reference);
    if (!view) {
      if (view.error().code == domain::ErrorCode::kNotFound ||
          view.error().code == domain::ErrorCode::kForbidden) {
        return not_found_page(req, lang, &*session);
      }
      return error_page(req, lang, view.error());
    }
    const domain::Case& c = view->c;
    const domain::Complaint& k = c.complaint;
    json data = base_data(l);
    data["reference"] = c.reference;
    data["back_href"] = with_lang("/staff/cases", l);
    data["status_text"] = text(l, "status_" + std::string(domain::to_string(c.status)));
    data["overdue"] = view->overdue;

    json facts = json::array();
    auto fact = [&](std::string_view key, std::string value) {
      facts.push_back({{"label", text(l, key)}, {"value", std::move(value)}});
    };
    fact("staff_fact_filed", time_text(l, c.created_at));
    fact("staff_fact_channel",
         text(l, "staff_channel_" + std::string(domain::to_string(k.channel))));
    fact("staff_fact_place",
         view->site ? place_text(view->site->name, view->site->region, c) : place_text("", "", c));
    fact("staff_fact_country", country_name(l, k.country));
    std::string categories;
    for (auto cat : k.categories) {
      if (!categories.empty()) categories += ", ";
      categories += text(l, "category_" + std::string(domain::to_string(cat)));
    }
    fact("staff_fact_categories", categories);
    fact("staff_fact_incident_date",
         k.incident_date ? catalogues_.date(l, *k.incident_date) : text(l, "check_date_unknown"));
    fact("staff_fact_language", std::string(web::language_endonym(k.language)));
    fact("staff_fact_anonymous", text(l, k.anonymous ? "staff_yes" : "staff_no"));
    if (view->viewer_party) {
      fact("staff_fact_your_part",
           text(l, "staff_party_" + std::string(domain::to_string(*view->viewer_party))));
    }
    if (k.union_org_id) {
      fact("staff_fact_union", view->organisation_name(*k.union_org_id));
      if (k.mandate) {
        std::string m = text(l, k.mandate->follow ? "staff_mandate_follow" : "staff_mandate_file");
        if (k.mandate->share_identity_with_company) m += "; " + text(l, "staff_mandate_share");
        if (k.mandate->collective) {
          m += "; " + catalogues_.format(l, "staff_mandate_collective",
                                         {{"count", std::to_string(k.mandate->headcount)}});
        }
        fact("staff_fact_mandate", m);
      }
    }
    if (view->show_parties) {
      fact("staff_fact_routing",
           routing_text(l, c, [&](std::int64_t id) { return view->organisation_name(id); }));
    }
    data["facts"] = std::move(facts);

    // The deadlines' state is the domain's (server/domain/deadlines.hpp), at the domain's clock.
    json deadlines = json::array();
    for (const domain::DeadlineState& d : view->deadlines) {
      const char* key = d.deadline == domain::DeadlineKind::kAcknowledgement ? "staff_deadline_ack"
                        : d.deadline == domain::DeadlineKind::kResponse
                            ? "staff_deadline_response"
                            : "staff_deadline_resolution";
      deadlines.push_back({{"label", text(l, key)},
                           {"date", catalogues_.date(l, day_of(d.due))},
                           {"state", text(l, d.met    ? "staff_deadline_met"
                                             : d.late ? "staff_deadline_late"
                                                      : "staff_deadline_open")},
                           {"late", d.late}});
    }
    data["deadlines"] = std::move(deadlines);

    data["narrative"] = k.narrative;
    data["show_contact"] = view->show_contact;
    if (view->show_contact && k.contact && !k.contact->empty()) {
      json contact = json::array();
      if (!k.contact->name.empty()) {
        contact.push_back({{"label", text(l, "contact_name_label")}, {"value", k.contact->name}});
      }
      if (!k.contact->phone.empty()) {
        contact.push_back({{"label", text(l, "contact_phone_label")}, {"value", k.contact->phone}});
      }
      if (!k.contact->email.empty()) {
        contact.push_back({{"label", text(l, "contact_email_label")}, {"value", k.contact->email}});
      }
      data["contact"] = std::move(contact);
      data["has_contact"] = true;
    }

    data["stages"] = stage_frames_json(catalogues_, l, view->stages, "staff_stage_day0");

    json events = json::array();
    for (const auto& e : view->events) {
      std::string title;
      if (e.type == domain::EventType::kStatusChanged && e.to_status) {
        title = catalogues_.format(
            l, "event_status_changed",
            {{"status", text(l, "status_" + std::string(domain::to_string(*e.to_status)))}});
      } else {
        title = text(l, "event_" + std::string(domain::to_string(e.type)));
      }
      std::string body = e.body;
      if (e.type == domain::EventType::kRouted) {
        // The routing step's body names the part ("responsible", "buyer") or "triage".
        if (auto part = domain::parse_party_role(body)) {
          body = text(l, "staff_party_" + std::string(domain::to_string(*part)));
        } else if (body == "triage") {
          body = text(l, "staff_routing_triage");
        }
      }
      std::string actor = text(l, "actor_" + std::string(domain::to_string(e.actor_role)));
      if (e.actor_org_id) actor += " (" + view->organisation_name(*e.actor_org_id) + ")";
      events.push_back({{"at", time_text(l, e.at)},
                        {"at_iso", domain::format_time(e.at)},
                        {"actor", actor},
                        {"title", title},
                        {"internal", e.visibility == domain::Visibility::kStaff},
                        {"body", body}});
    }
    data["events"] = std::move(events);
    return page(req, lang, bhttp::status::ok, "staff_case_title", "staff_case", data,
                "/staff/cases/" + c.reference, &*session, "cases");
  }

  // ---- admin pages --------------------------------------------------------------------------

  enum class Directory { kOrganisations, kUsers, kSites, kSupplyLinks };

  Response directory_page(Request& req, Directory d) {
    const auto lang = language_of(req);
    auto session = staff_session(req);
    if (!session) return to_sign_in(req, lang.lang);
    if (!domain::may_administer(session->role)) return not_found_page(req, lang, &*session);
    if (admin_ == nullptr) return error_page(req, lang, domain::Error::unavailable());
    const FormData query = query_of(req);
    std::string notice;
    if (query.get("created") == "1") notice = text(lang.lang, "staff_notice_created");
    if (query.get("updated") == "1") notice = text(lang.lang, "staff_notice_updated");
    return render_directory(req, lang, *session, d, FormData{}, {}, notice, bhttp::status::ok);
  }

  Response directory_create(Request& req, Directory d) {
    if (auto refused = refuse_form(req)) return *std::move(refused);
    const FormData form = FormData::parse(req.body());
    const auto lang = language_of(req, &form);
    auto session = authenticate(req, services_.sessions, form.get("csrf"));
    if (!session) {
      if (session.error().code == domain::ErrorCode::kCsrfFailed) return csrf_failed(req, lang);
      return to_sign_in(req, lang.lang);
    }
    if (!is_staff(*session)) return to_sign_in(req, lang.lang);
    if (!domain::may_administer(session->role)) return not_found_page(req, lang, &*session);
    if (admin_ == nullptr) return error_page(req, lang, domain::Error::unavailable());
    const Language l = lang.lang;

    std::vector<FieldError> errors;
    auto require = [&](const char* field) {
      if (blank(form.get(field))) errors.push_back(field_error(l, field));
    };
    auto id_field = [&](const char* field, bool required) -> std::optional<std::int64_t> {
      const std::string v = form.get(field);
      if (v.empty()) {
        if (required) errors.push_back(field_error(l, field));
        return std::nullopt;
      }
      auto id = parse_id(v);
      if (!id) errors.push_back(field_error(l, field));
      return id;
    };

    domain::Status done;
    switch (d) {
      case Directory::kOrganisations: {
        require("kind");
        require("name");
        require("country");
        if (!errors.empty()) break;
        domain::OrganisationDraft draft;
        draft.kind = form.get("kind");
        draft.name = form.get("name");
        draft.country = upper(form.get("country"));
        auto r = admin_->create_organisation(*session, draft);
        if (!r) done = std::unexpected(r.error());
        break;
      }
      case Directory::kUsers: {
        require("email");
        require("role");
        const auto org = id_field("org_id", false);
        if (form.get("password").empty()) errors.push_back(field_error(l, "password"));
        if (!errors.empty()) break;
        domain::UserDraft draft;
        draft.email = form.get("email");
        draft.role = form.get("role");
        if (org) draft.org_id = *org;
        draft.password = form.get("password");
        auto r = admin_->create_user(*session, draft);
        if (!r) done = std::unexpected(r.error());
        break;
      }
      case Directory::kSites: {
        require("name");
        require("country");
        require("sector");
        const auto op = id_field("operator_org_id", false);
        if (!errors.empty()) break;
        domain::SiteDraft draft;
        draft.name = form.get("name");
        draft.country = upper(form.get("country"));
        draft.region = form.get("region");
        draft.sector = form.get("sector");
        if (op) draft.operator_org_id = *op;
        auto r = admin_->create_site(*session, draft);
        if (!r) done = std::unexpected(r.error());
        break;
      }
      case Directory::kSupplyLinks: {
        const auto supplier = id_field("supplier_org_id", true);
        const auto buyer = id_field("buyer_org_id", true);
        if (!errors.empty()) break;
        domain::SupplyLinkDraft draft;
        draft.supplier_org_id = *supplier;
        draft.buyer_org_id = *buyer;
        if (!form.get("sector").empty()) draft.sector = form.get("sector");
        auto r = admin_->create_supply_link(*session, draft);
        if (!r) done = std::unexpected(r.error());
        break;
      }
    }
    if (errors.empty() && !done) {
      const domain::Error& e = done.error();
      if (e.code == domain::ErrorCode::kInvalidField) {
        errors.push_back(field_error(l, e.field.empty() ? first_field(d) : e.field));
      } else if (e.code == domain::ErrorCode::kConflict) {
        const std::string field = d == Directory::kUsers ? "email" : first_field(d);
        errors.push_back({field, field,
                          text(l, d == Directory::kUsers ? "staff_error_conflict_email"
                                                         : "staff_error_conflict")});
      } else {
        return error_page(req, lang, e);
      }
    }
    if (!errors.empty()) {
      const bool conflict = done ? false : done.error().code == domain::ErrorCode::kConflict;
      return render_directory(req, lang, *session, d, form, errors, "",
                              conflict ? bhttp::status::conflict : bhttp::status::bad_request);
    }
    return redirect_response(std::string(directory_path(d)) + "?created=1&lang=" + lang_code(l),
                             req);
  }

  // Disabling and enabling a record (the directory's "delete": history keeps pointing at it).
  Response directory_toggle(Request& req, Directory d, std::string_view id_text) {
    if (auto refused = refuse_form(req)) return *std::move(refused);
    const FormData form = FormData::parse(req.body());
    const auto lang = language_of(req, &form);
    auto session = authenticate(req, services_.sessions, form.get("csrf"));
    if (!session) {
      if (session.error().code == domain::ErrorCode::kCsrfFailed) return csrf_failed(req, lang);
      return to_sign_in(req, lang.lang);
    }
    if (!is_staff(*session)) return to_sign_in(req, lang.lang);
    if (!domain::may_administer(session->role)) return not_found_page(req, lang, &*session);
    if (admin_ == nullptr) return error_page(req, lang, domain::Error::unavailable());
    const auto id = parse_id(id_text);
    const std::string value = form.get("disabled");
    if (!id || (value != "true" && value != "false")) return not_found_page(req, lang, &*session);
    const bool disabled = value == "true";
    // Every directory's update takes a draft whose only set field is `disabled`.
    auto set_disabled = [&](auto draft, auto update) -> domain::Status {
      draft.disabled = disabled;
      if (auto r = (admin_->*update)(*session, *id, draft); !r) return std::unexpected(r.error());
      return {};
    };
    domain::Status done;
    switch (d) {
      case Directory::kOrganisations:
        done = set_disabled(domain::OrganisationDraft{},
                            &domain::DirectoryService::update_organisation);
        break;
      case Directory::kUsers:
        done = set_disabled(domain::UserDraft{}, &domain::DirectoryService::update_user);
        break;
      case Directory::kSites:
        done = set_disabled(domain::SiteDraft{}, &domain::DirectoryService::update_site);
        break;
      case Directory::kSupplyLinks:
        done =
            set_disabled(domain::SupplyLinkDraft{}, &domain::DirectoryService::update_supply_link);
        break;
    }
    if (!done) {
      if (done.error().code == domain::ErrorCode::kNotFound) {
        return not_found_page(req, lang, &*session);
      }
      if (done.error().code == domain::ErrorCode::kInvalidField) {
        // E.g. an admin disabling their own account.
        std::vector<FieldError> errors{
            {"disabled", "records", text(lang.lang, "staff_error_disabled")}};
        return render_directory(req, lang, *session, d, FormData{}, errors, "",
                                bhttp::status::bad_request);
      }
      return error_page(req, lang, done.error());
    }
    return redirect_response(
        std::string(directory_path(d)) + "?updated=1&lang=" + lang_code(lang.lang), req);
  }

  // ---- the union's batch upload -------------------------------------------------------------

  Response batch_form(Request& req) {
    const auto lang = language_of(req);
    auto session = staff_session(req);
    if (!session) return to_sign_in(req, lang.lang);
    if (!domain::may_file_batch(session->role)) return not_found_page(req, lang, &*session);
    return render_batch(req, lang, *session, {}, bhttp::status::ok);
  }

  Response batch_upload(Request& req) {
    auto lang = language_of(req);
    if (auto refused = refuse_cross_site(req)) return *std::move(refused);
    auto type = req.find(bhttp::field::content_type);
    auto boundary = type == req.end() ? std::nullopt : web::multipart_boundary(type->value());
    if (!boundary) return unsupported_media(req, "Send the form as multipart/form-data.");
    auto form = web::MultipartForm::parse(req.body(), *boundary);
    if (!form) {
      return error_response(
          domain::Error{domain::ErrorCode::kInvalidRequest, "Malformed multipart body.", {}}, req);
    }
    if (auto l = domain::parse_language(form->get("lang"))) lang = {*l, false};
    auto session = authenticate(req, services_.sessions, form->get("csrf"));
    if (!session) {
      if (session.error().code == domain::ErrorCode::kCsrfFailed) return csrf_failed(req, lang);
      return to_sign_in(req, lang.lang);
    }
    if (!is_staff(*session)) return to_sign_in(req, lang.lang);
    if (!domain::may_file_batch(session->role)) return not_found_page(req, lang, &*session);
    const Language l = lang.lang;

    const web::MultipartPart* file = form->find("file");
    if (file == nullptr || !file->filename || file->filename->empty()) {
      return render_batch(req, lang, *session, {{"file", "file", text(l, "staff_error_file")}},
                          bhttp::status::bad_request);
    }
    // The CSV reader of POST /api/v1/complaints/batch, so both take the same files.
    Request csv{bhttp::verb::post, "/staff/batch", req.version()};
    csv.set(bhttp::field::content_type, "text/csv");
    csv.body() = file->body;
    auto input = read_batch(csv, batch_body_limit_);
    if (!input) {
      return render_batch(req, lang, *session, {file_error(l, input.error())},
                          bhttp::status::bad_request);
    }
    std::vector<domain::ComplaintDraft> drafts;
    std::vector<std::size_t> filed_index(input->rows.size(), SIZE_MAX);
    for (std::size_t i = 0; i < input->rows.size(); ++i) {
      if (input->rows[i].draft) {
        filed_index[i] = drafts.size();
        drafts.push_back(*input->rows[i].draft);
      }
    }
    domain::BatchResult result;
    if (!drafts.empty()) {
      const std::string key = form->get("batch_key");
      auto filed =
          services_.filing.file_batch(*session, drafts, valid_nonce(key) ? "page:" + key : "");
      if (!filed) {
        if (filed.error().code == domain::ErrorCode::kInvalidField) {
          return render_batch(req, lang, *session, {file_error(l, filed.error())},
                              bhttp::status::bad_request);
        }
        return error_page(req, lang, filed.error());
      }
      result = *std::move(filed);
    }
    return render_slips(req, lang, *session, *input, filed_index, result);
  }

  // ---- not found --------------------------------------------------------------------------

  Response not_found_page(const Request& req, PageLanguage lang, const domain::Session* s) {
    return message_page(req, lang, bhttp::status::not_found, "not_found_title",
                        "staff_not_found_text", s, "/staff/cases");
  }

 private:
  // ---- sessions and languages -------------------------------------------------------------

  static bool is_staff(const domain::Session& s) {
    return s.role == Role::kAdmin || s.role == Role::kUnion || s.role == Role::kCompany ||
           s.role == Role::kAuditor;
  }

  // A staff session from the cookie or bearer token (GET pages); a complainant's is none.
  std::optional<domain::Session> staff_session(const Request& req) {
    auto s = authenticate(req, services_.sessions);
    if (!s || !is_staff(*s)) return std::nullopt;
    return *s;
  }

  static FormData query_of(const Request& req) {
    return FormData::parse(web::target_query(req.target()));
  }

  // A form's hidden lang field > ?lang= > lang cookie > Accept-Language > English.
  PageLanguage language_of(const Request& req, const FormData* form = nullptr) const {
    if (form != nullptr) {
      if (auto l = domain::parse_language(form->get("lang"))) return {*l, false};
    }
    const std::string query_lang = query_of(req).get("lang");
    std::string cookie;
    if (auto it = req.find(bhttp::field::cookie); it != req.end()) {
      cookie = web::cookie_value(it->value(), "lang");
    }
    std::string_view accept;
    if (auto it = req.find(bhttp::field::accept_language); it != req.end()) accept = it->value();
    const Language lang = web::choose_language(query_lang, cookie, accept);
    return {lang, domain::parse_language(query_lang).has_value()};
  }

  static std::string with_lang(std::string_view path, Language l) {
    return std::string(path) + "?lang=" + lang_code(l);
  }

  const std::string& text(Language lang, std::string_view key) const {
    return catalogues_.text(lang, key);
  }

  static std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
  }

  // ---- rendering --------------------------------------------------------------------------

  json base_data(Language lang) const { return json{{"lang", lang_code(lang)}}; }

  json nav_for(const domain::Session& s, Language l, std::string_view current) const {
    json nav = json::array();
    auto item = [&](std::string_view id, std::string_view path, std::string_view key) {
      nav.push_back(
          {{"href", with_lang(path, l)}, {"label", text(l, key)}, {"current", id == current}});
    };
    if (domain::may_list_cases(s.role)) item("cases", "/staff/cases", "staff_nav_cases");
    if (domain::may_administer(s.role)) {
      nav.push_back({{"href", "/staff/cases?triage=1&lang=" + lang_code(l)},
                     {"label", text(l, "staff_nav_triage")},
                     {"current", current == "triage"}});
    }
    if (domain::may_file_batch(s.role)) item("batch", "/staff/batch", "staff_nav_batch");
    if (domain::may_administer(s.role)) {
      item("organisations", "/staff/admin/organisations", "staff_nav_organisations");
      item("users", "/staff/admin/users", "staff_nav_users");
      item("sites", "/staff/admin/sites", "staff_nav_sites");
      item("supply-links", "/staff/admin/supply-links", "staff_nav_supply_links");
    }
    return nav;
  }

  std::string who(const domain::Session& s, Language l) {
    auto profile = services_.staff.profile(s);
    const std::string email = profile ? profile->email : std::string();
    std::string role = text(l, "staff_role_" + std::string(domain::to_string(s.role)));
    if (s.org_id) {
      role +=
          ", " + (profile && !profile->organisation_name.empty() ? profile->organisation_name
                                                                 : "#" + std::to_string(*s.org_id));
    }
    return catalogues_.format(l, "staff_signed_in_as", {{"email", email}, {"role", role}});
  }

  Response page(const Request& req, PageLanguage lang, bhttp::status status,
                std::string_view title_key, std::string_view template_name, const json& data,
                std::string_view switch_path, const domain::Session* session,
                std::string_view nav_current, bool has_errors = false) {
    const json& t = catalogues_.context(lang.lang);
    json body_data = data;
    if (session != nullptr) body_data["csrf"] = session->csrf_token;
    const std::string body = templates_.get(template_name).render({&t, &body_data});

    json layout = base_data(lang.lang);
    layout["title"] = text(lang.lang, title_key);
    layout["has_errors"] = has_errors;
    layout["css_url"] = css_url_;
    layout["staff_css_url"] = staff_css_url_;
    layout["js_url"] = js_url_;
    layout["favicon_url"] = favicon_url_;
    layout["body"] = body;
    layout["home_href"] = with_lang(session ? "/staff/cases" : "/staff/sign-in", lang.lang);
    if (session != nullptr) {
      layout["signed_in"] = true;
      layout["csrf"] = session->csrf_token;
      layout["nav"] = nav_for(*session, lang.lang, nav_current);
      layout["who"] = who(*session, lang.lang);
    }
    json languages = json::array();
    for (Language l : domain::all_languages()) {
      const std::string code = lang_code(l);
      languages.push_back({{"code", code},
                           {"name", web::language_endonym(l)},
                           {"href", std::string(switch_path) + "?lang=" + code},
                           {"current", l == lang.lang}});
    }
    layout["languages"] = std::move(languages);

    auto res = html_response(status, templates_.get("staff_layout").render({&t, &layout}), req);
    res.set(bhttp::field::content_language, domain::to_string(lang.lang));
    if (lang.from_query) {
      res.insert(bhttp::field::set_cookie, "lang=" + lang_code(lang.lang) +
                                               "; Path=/; Max-Age=31536000; Secure; SameSite=Lax");
    }
    return res;
  }

  std::string error_summary(Language lang, const std::vector<FieldError>& errors) const {
    if (errors.empty()) return {};
    json data{{"errors", json::array()}};
    for (const auto& e : errors) {
      data["errors"].push_back({{"target", e.target}, {"message", e.message}});
    }
    return templates_.get("error_summary").render({&catalogues_.context(lang), &data});
  }

  static json field_errors(const std::vector<FieldError>& errors) {
    json err = json::object();
    for (const auto& e : errors) {
      if (!err.contains(e.field)) err[e.field] = e.message;
    }
    return err;
  }

  // The message for a directory form field ("org_id" -> staff_error_org_id).
  FieldError field_error(Language l, std::string_view domain_field) const {
    std::string field(domain_field);
    std::replace(field.begin(), field.end(), '.', '_');
    const std::string key = "staff_error_" + field;
    const std::string& message = text(l, key);
    if (message == key) return {field, field, text(l, "staff_error_generic")};
    return {field, field, message};
  }

  template <class Enum>
  json options(std::span<const Enum> values, std::string_view chosen, Language l,
               std::string_view key_prefix) const {
    json out = json::array();
    for (Enum v : values) {
      const std::string code(domain::to_string(v));
      out.push_back({{"value", code},
                     {"label", text(l, std::string(key_prefix) + code)},
                     {"selected", code == chosen}});
    }
    return out;
  }

  std::string country_name(Language lang, std::string_view code) const {
    if (code.empty()) return {};
    const std::string key = "country_" + std::string(code);
    const std::string& name = text(lang, key);
    return name == key ? std::string(code) : name;
  }

  json country_options(Language l, std::string_view chosen) {
    std::set<std::string> codes(std::begin(kCountries), std::end(kCountries));
    if (auto countries = services_.filing.site_countries()) {
      codes.insert(countries->begin(), countries->end());
    }
    json out = json::array();
    for (const auto& code : codes) {
      out.push_back(
          {{"value", code}, {"label", country_name(l, code)}, {"selected", code == chosen}});
    }
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
      return a["label"].get<std::string>() < b["label"].get<std::string>();
    });
    return out;
  }

  // The workplace: the known site's name and region, else the place the complainant typed.
  static std::string place_text(std::string_view site_name, std::string_view region,
                                const domain::Case& c) {
    if (site_name.empty()) return c.complaint.place;
    return std::string(site_name) + (region.empty() ? "" : ", " + std::string(region));
  }

  // Admins: which companies the case went to, or that it waits in triage.
  template <class NameOf>
  std::string routing_text(Language l, const domain::Case& c, NameOf name_of) {
    if (c.parties.empty()) return text(l, "staff_routing_triage");
    std::string out;
    for (const auto& p : c.parties) {
      if (!out.empty()) out += "; ";
      out += name_of(p.org_id) + " (" +
             text(l, "staff_party_" + std::string(domain::to_string(p.role))) + ")";
    }
    return out;
  }

  std::string time_text(Language lang, domain::TimePoint t) const {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::hh_mm_ss hms{t - day};
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    return catalogues_.date(lang, domain::Date{day}) + ", " + hm + " UTC";
  }

  // ---- sign-in ----------------------------------------------------------------------------

  Response render_sign_in(const Request& req, PageLanguage lang, std::string_view email,
                          const std::vector<FieldError>& errors, bhttp::status status,
                          bool signed_out) {
    json data = base_data(lang.lang);
    data["error_summary"] = error_summary(lang.lang, errors);
    data["err"] = field_errors(errors);
    data["v"] = {{"email", email}};
    data["signed_out"] = signed_out;
    return page(req, lang, status, "staff_sign_in_title", "staff_sign_in", data, "/staff/sign-in",
                nullptr, "", !errors.empty());
  }

  // ---- directory pages --------------------------------------------------------------------

  static std::string_view directory_path(Directory d) {
    switch (d) {
      case Directory::kOrganisations:
        return "/staff/admin/organisations";
      case Directory::kUsers:
        return "/staff/admin/users";
      case Directory::kSites:
        return "/staff/admin/sites";
      case Directory::kSupplyLinks:
        return "/staff/admin/supply-links";
    }
    return "/staff/admin/organisations";
  }

  static std::string first_field(Directory d) {
    switch (d) {
      case Directory::kOrganisations:
        return "name";
      case Directory::kUsers:
        return "email";
      case Directory::kSites:
        return "name";
      case Directory::kSupplyLinks:
        return "supplier_org_id";
    }
    return "name";
  }

  json org_options(const std::vector<domain::Organisation>& orgs,
                   std::optional<domain::OrgKind> kind, std::string_view chosen) const {
    json out = json::array();
    for (const auto& o : orgs) {
      if (o.disabled || (kind && o.kind != *kind)) continue;
      const std::string id = std::to_string(o.id);
      out.push_back({{"value", id}, {"label", o.name}, {"selected", id == chosen}});
    }
    return out;
  }

  Response render_directory(const Request& req, PageLanguage lang, const domain::Session& s,
                            Directory d, const FormData& form,
                            const std::vector<FieldError>& errors, std::string_view notice,
                            bhttp::status status) {
    const Language l = lang.lang;
    json data = base_data(l);
    data["error_summary"] = error_summary(l, errors);
    data["err"] = field_errors(errors);
    data["notice"] = notice;
    data["action"] = directory_path(d);
    auto orgs = admin_->list_organisations(s);
    if (!orgs) return error_page(req, lang, orgs.error());
    std::map<std::int64_t, std::string> names;
    for (const auto& o : *orgs) names[o.id] = o.name;
    auto name_of = [&](std::optional<std::int64_t> id) -> std::string {
      if (!id) return text(l, "staff_none");
      auto it = names.find(*id);
      return it == names.end() ? "#" + std::to_string(*id) : it->second;
    };
    auto state = [&](bool disabled) {
      return text(l, disabled ? "staff_state_disabled" : "staff_state_enabled");
    };
    auto toggle = [&](json& row, std::int64_t id, bool disabled, const std::string& name) {
      row["toggle_action"] = std::string(directory_path(d)) + "/" + std::to_string(id);
      row["toggle_to"] = disabled ? "false" : "true";
      row["toggle_label"] = text(l, disabled ? "staff_enable" : "staff_disable");
      row["toggle_name"] = name;
    };
    json rows = json::array();
    std::string_view title_key;
    std::string_view template_name;
    std::string_view nav;
    switch (d) {
      case Directory::kOrganisations: {
        title_key = "staff_orgs_title";
        template_name = "staff_organisations";
        nav = "organisations";
        for (const auto& o : *orgs) {
          json row = {{"name", o.name},
                      {"kind", text(l, "staff_kind_" + std::string(domain::to_string(o.kind)))},
                      {"country", country_name(l, o.country)},
                      {"state", state(o.disabled)}};
          toggle(row, o.id, o.disabled, o.name);
          rows.push_back(std::move(row));
        }
        json kinds = json::array();
        for (auto k :
             {domain::OrgKind::kCompany, domain::OrgKind::kUnion, domain::OrgKind::kAuditor}) {
          const std::string code(domain::to_string(k));
          kinds.push_back({{"value", code},
                           {"label", text(l, "staff_kind_" + code)},
                           {"selected", code == form.get("kind")}});
        }
        data["kinds"] = std::move(kinds);
        data["v"] = {{"name", form.get("name")}, {"country", form.get("country")}};
        break;
      }
      case Directory::kUsers: {
        title_key = "staff_users_title";
        template_name = "staff_users";
        nav = "users";
        auto users = admin_->list_users(s);
        if (!users) return error_page(req, lang, users.error());
        for (const auto& u : *users) {
          json row = {{"email", u.email},
                      {"role", text(l, "staff_role_" + std::string(domain::to_string(u.role)))},
                      {"org", name_of(u.org_id)},
                      {"totp", text(l, u.totp_secret.empty() ? "staff_no" : "staff_yes")},
                      {"state", state(u.disabled)}};
          toggle(row, u.id, u.disabled, u.email);
          rows.push_back(std::move(row));
        }
        json roles = json::array();
        for (auto r : {Role::kAdmin, Role::kUnion, Role::kCompany, Role::kAuditor}) {
          const std::string code(domain::to_string(r));
          roles.push_back({{"value", code},
                           {"label", text(l, "staff_role_" + code)},
                           {"selected", code == form.get("role")}});
        }
        data["roles"] = std::move(roles);
        data["orgs"] = org_options(*orgs, std::nullopt, form.get("org_id"));
        data["v"] = {{"email", form.get("email")}};
        break;
      }
      case Directory::kSites: {
        title_key = "staff_sites_title";
        template_name = "staff_sites";
        nav = "sites";
        auto sites = admin_->list_sites(s);
        if (!sites) return error_page(req, lang, sites.error());
        for (const auto& site : *sites) {
          json row = {
              {"name", site.name},
              {"region", site.region},
              {"country", country_name(l, site.country)},
              {"sector", text(l, "staff_sector_" + std::string(domain::to_string(site.sector)))},
              {"operator", name_of(site.operator_org_id)},
              {"state", state(site.disabled)}};
          toggle(row, site.id, site.disabled, site.name);
          rows.push_back(std::move(row));
        }
        data["sectors"] = options(domain::all_sectors(), form.get("sector"), l, "staff_sector_");
        data["companies"] =
            org_options(*orgs, domain::OrgKind::kCompany, form.get("operator_org_id"));
        data["v"] = {{"name", form.get("name")},
                     {"country", form.get("country")},
                     {"region", form.get("region")}};
        break;
      }
      case Directory::kSupplyLinks: {
        title_key = "staff_links_title";
        template_name = "staff_supply_links";
        nav = "supply-links";
        auto links = admin_->list_supply_links(s);
        if (!links) return error_page(req, lang, links.error());
        for (const auto& link : *links) {
          const std::string supplier = name_of(link.supplier_org_id);
          const std::string buyer = name_of(link.buyer_org_id);
          json row = {
              {"supplier", supplier},
              {"buyer", buyer},
              {"sector",
               link.sector ? text(l, "staff_sector_" + std::string(domain::to_string(*link.sector)))
                           : text(l, "staff_every_sector")},
              {"state", state(link.disabled)}};
          toggle(row, link.id, link.disabled, supplier + " → " + buyer);
          rows.push_back(std::move(row));
        }
        data["sectors"] = options(domain::all_sectors(), form.get("sector"), l, "staff_sector_");
        data["suppliers"] =
            org_options(*orgs, domain::OrgKind::kCompany, form.get("supplier_org_id"));
        data["buyers"] = org_options(*orgs, domain::OrgKind::kCompany, form.get("buyer_org_id"));
        break;
      }
    }
    data["has_rows"] = !rows.empty();
    data["rows"] = std::move(rows);
    return page(req, lang, status, title_key, template_name, data, directory_path(d), &s, nav,
                !errors.empty());
  }

  // ---- batch ------------------------------------------------------------------------------

  Response render_batch(const Request& req, PageLanguage lang, const domain::Session& s,
                        const std::vector<FieldError>& errors, bhttp::status status) {
    json data = base_data(lang.lang);
    data["error_summary"] = error_summary(lang.lang, errors);
    data["err"] = field_errors(errors);
    // One key per rendered form: a re-sent upload (a refresh, a double click) stores nothing
    // twice (issue 3 item 6).
    data["batch_key"] = new_nonce();
    data["columns"] =
        "language,categories,narrative,site_id,place,country,incident_date,anonymous,"
        "contact_name,contact_phone,contact_email,mandate_follow,"
        "mandate_share_identity_with_company,mandate_collective,mandate_headcount";
    data["max_rows"] = std::to_string(domain::kMaxBatchRows);
    data["intro"] = catalogues_.format(lang.lang, "staff_batch_intro",
                                       {{"max", std::to_string(domain::kMaxBatchRows)}});
    return page(req, lang, status, "staff_batch_title", "staff_batch", data, "/staff/batch", &s,
                "batch", !errors.empty());
  }

  std::string follow_url(const Request& req, Language slip_lang) const {
    std::string origin = public_origin_;
    if (origin.empty()) {
      std::string host(req[bhttp::field::host]);
      const bool safe =
          !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                   c == ':' || c == '[' || c == ']';
          });
      origin = "https://" + (safe ? host : std::string("localhost"));
    }
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    return origin + "/follow?lang=" + lang_code(slip_lang);
  }

  // A problem of the whole file, in the staff member's language.
  FieldError file_error(Language l, const domain::Error& e) const {
    const std::string max = std::to_string(domain::kMaxBatchRows);
    if (e.field == "rows") {
      return {"file", "file", catalogues_.format(l, "staff_error_csv_rows", {{"max", max}})};
    }
    if (e.field == "body") {
      std::smatch m;
      if (std::regex_search(e.message, m, std::regex("line ([0-9]+)"))) {
        return {"file", "file",
                catalogues_.format(l, "staff_error_csv_syntax", {{"line", m[1].str()}})};
      }
      return {"file", "file", text(l, "staff_error_csv_empty")};
    }
    return {"file", "file", catalogues_.format(l, "staff_error_csv_column", {{"column", e.field}})};
  }

  // The message for one row's problem: a staff wording where the worker's would mislead,
  // else the complaint form's own message for that field.
  std::string row_error(Language l, const domain::Error& e) const {
    std::string field = e.field;
    std::replace(field.begin(), field.end(), '.', '_');
    for (const std::string& key : {"staff_row_error_" + field, "error_" + field}) {
      const std::string& message = text(l, key);
      if (message != key) return message;
    }
    return text(l, "staff_error_row_generic");
  }

  Response render_slips(const Request& req, PageLanguage lang, const domain::Session& s,
                        const BatchInput& input, const std::vector<std::size_t>& filed_index,
                        const domain::BatchResult& result) {
    const Language l = lang.lang;
    json data = base_data(l);
    json problems = json::array();
    json slips = json::array();
    json replayed = json::array();
    int failed = 0;
    for (std::size_t i = 0; i < input.rows.size(); ++i) {
      const BatchRowInput& in = input.rows[i];
      const std::string number = std::to_string(in.row);
      const domain::BatchRowResult* out =
          filed_index[i] < result.rows.size() ? &result.rows[filed_index[i]] : nullptr;
      if (out == nullptr || !out->ok) {
        const domain::Error& e = out ? out->error : in.error;
        ++failed;
        problems.push_back(
            {{"row", number},
             {"line", std::to_string(in.line)},
             {"column",
              e.field.empty() || e.field == "row" ? std::string("–") : csv_column_name(e.field)},
             {"message", row_error(l, e)}});
        continue;
      }
      const domain::Case& c = out->filed.filed;
      if (out->filed.replayed || out->filed.access_code.empty()) {
        replayed.push_back({{"row", number}, {"reference", c.reference}});
        continue;
      }
      // The slip is for the worker: in the language of the complaint.
      const Language sl = c.complaint.language;
      const std::string ack = catalogues_.date(sl, day_of(c.deadlines.ack_due));
      slips.push_back({{"slip_lang", lang_code(sl)},
                       {"row_label", catalogues_.format(sl, "slip_row", {{"row", number}})},
                       {"title", text(sl, "service_name")},
                       {"ref_label", text(sl, "receipt_reference_label")},
                       {"reference", c.reference},
                       {"code_label", text(sl, "receipt_code_title")},
                       {"access_code", domain::group_access_code(out->filed.access_code)},
                       {"filed_label", text(sl, "case_filed_on")},
                       {"filed_on", catalogues_.date(sl, day_of(c.created_at))},
                       {"follow_label", text(sl, "slip_follow")},
                       {"follow_url", follow_url(req, sl)},
                       {"ack_text", catalogues_.format(sl, "receipt_ack_due", {{"date", ack}})},
                       {"keep_secret", text(sl, "receipt_keep_safe_2")},
                       {"lost", text(sl, "receipt_keep_safe_3")}});
    }
    data["summary"] = catalogues_.format(l, "staff_slips_summary",
                                         {{"stored", std::to_string(result.stored)},
                                          {"failed", std::to_string(failed)},
                                          {"replayed", std::to_string(result.replayed)}});
    data["has_problems"] = !problems.empty();
    data["problems"] = std::move(problems);
    data["has_replayed"] = !replayed.empty();
    data["replayed"] = std::move(replayed);
    data["has_slips"] = !slips.empty();
    data["slips"] = std::move(slips);
    data["again_href"] = with_lang("/staff/batch", l);
    // 201 when something was stored, else 200, even with failed rows: the page answers
    // every row.
    return page(req, lang, result.stored > 0 ? bhttp::status::created : bhttp::status::ok,
                "staff_slips_title", "staff_slips", data, "/staff/batch", &s, "batch");
  }

  // ---- errors and redirects ---------------------------------------------------------------

  Response to_sign_in(const Request& req, Language lang) {
    return redirect_response(with_lang("/staff/sign-in", lang), req);
  }

  Response message_page(const Request& req, PageLanguage lang, bhttp::status status,
                        std::string_view heading_key, std::string_view message_key,
                        const domain::Session* s, std::string_view link_path) {
    json data = base_data(lang.lang);
    data["heading"] = text(lang.lang, heading_key);
    data["message"] = text(lang.lang, message_key);
    if (!link_path.empty()) {
      data["link_href"] = with_lang(link_path, lang.lang);
      data["link_text"] = text(lang.lang, "staff_back_to_cases");
    }
    return page(req, lang, status, heading_key, "staff_message", data,
                web::target_path(req.target()), s, "");
  }

  Response error_page(const Request& req, PageLanguage lang, const domain::Error& e) {
    if (e.code == domain::ErrorCode::kInternal) {
      log_line("error", "staff_page_failed", {{"code", domain::error_code_name(e.code)}});
    }
    return message_page(req, lang, status_for(e.code), "error_page_title", "error_page_text",
                        nullptr, "");
  }

  Response csrf_failed(const Request& req, PageLanguage lang) {
    return message_page(req, lang, bhttp::status::forbidden, "error_csrf_title", "staff_csrf_text",
                        nullptr, "");
  }

  Response unsupported_media(const Request& req, std::string message) {
    return error_response(
        domain::Error{domain::ErrorCode::kUnsupportedMediaType, std::move(message), {}}, req);
  }

  // A form a browser marks as sent from another site (login CSRF, forged uploads).
  std::optional<Response> refuse_cross_site(const Request& req) {
    if (auto it = req.find("Sec-Fetch-Site"); it != req.end() && it->value() == "cross-site") {
      return error_page(req, language_of(req),
                        domain::Error{domain::ErrorCode::kCsrfFailed, "Cross-site form.", {}});
    }
    return std::nullopt;
  }

  std::optional<Response> refuse_form(const Request& req) {
    auto it = req.find(bhttp::field::content_type);
    std::string type;
    if (it != req.end()) type = std::string(it->value().substr(0, it->value().find(';')));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (type != "application/x-www-form-urlencoded") {
      return unsupported_media(req, "Send the form as application/x-www-form-urlencoded.");
    }
    return refuse_cross_site(req);
  }

  domain::Services& services_;
  domain::DirectoryService* admin_;  // null where no one administers (some tests)
  std::size_t batch_body_limit_;
  std::string public_origin_;
  web::TemplateSet templates_;
  web::Catalogues catalogues_;
  std::string css_url_, staff_css_url_, js_url_, favicon_url_;
};

}  // namespace

void register_staff_page_routes(Router& router, const AppDeps& deps) {
  auto pages = std::make_shared<StaffPages>(deps);
  using bhttp::verb;
  using Directory = StaffPages::Directory;
  auto get = [&](std::string pattern, auto fn, bool inline_ = false) {
    router.add(
        verb::get, std::move(pattern),
        [pages, fn](Request& req, const RequestContext&, const PathParams& params) {
          return fn(*pages, req, params);
        },
        inline_);
  };
  auto post = [&](std::string pattern, auto fn) {
    router.add(verb::post, std::move(pattern),
               [pages, fn](Request& req, const RequestContext& ctx, const PathParams& params) {
                 return fn(*pages, req, ctx, params);
               });
  };

  get("/staff", [](StaffPages& p, Request& req, const PathParams&) { return p.staff_home(req); });
  get(
      "/staff/sign-in",
      [](StaffPages& p, Request& req, const PathParams&) { return p.sign_in_form(req); },
      /*inline_=*/true);
  post("/staff/sign-in", [](StaffPages& p, Request& req, const RequestContext& ctx,
                            const PathParams&) { return p.sign_in(req, ctx); });
  post("/staff/sign-out", [](StaffPages& p, Request& req, const RequestContext&,
                             const PathParams&) { return p.sign_out(req); });
  get("/staff/cases",
      [](StaffPages& p, Request& req, const PathParams&) { return p.case_list(req); });
  get("/staff/cases/{reference}", [](StaffPages& p, Request& req, const PathParams& params) {
    return p.case_view(req, params.get("reference"));
  });
  get("/staff/batch",
      [](StaffPages& p, Request& req, const PathParams&) { return p.batch_form(req); });
  post("/staff/batch", [](StaffPages& p, Request& req, const RequestContext&, const PathParams&) {
    return p.batch_upload(req);
  });

  const std::pair<const char*, Directory> directories[] = {
      {"/staff/admin/organisations", Directory::kOrganisations},
      {"/staff/admin/users", Directory::kUsers},
      {"/staff/admin/sites", Directory::kSites},
      {"/staff/admin/supply-links", Directory::kSupplyLinks},
  };
  for (const auto& [path, d] : directories) {
    const Directory dir = d;
    get(path, [dir](StaffPages& p, Request& req, const PathParams&) {
      return p.directory_page(req, dir);
    });
    post(path, [dir](StaffPages& p, Request& req, const RequestContext&, const PathParams&) {
      return p.directory_create(req, dir);
    });
    post(std::string(path) + "/{id}",
         [dir](StaffPages& p, Request& req, const RequestContext&, const PathParams& params) {
           return p.directory_toggle(req, dir, params.get("id"));
         });
  }
}

}  // namespace grievance::http
