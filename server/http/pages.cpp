// The worker pages (SPEC section 4 "Web pages", issue 2 point 7): server-rendered HTML that
// works with JavaScript off, in en, nl, id, vi and fr. GOV.UK Design System patterns: labels
// above fields, an error summary linking to each field, a check-your-answers step, a
// confirmation panel with the reference.
//
// Templates, catalogues and static files are read once, in register_page_routes(); a missing
// or malformed one throws there (at startup), never while serving.
//
// Complaint text (narrative, messages, contact details) is rendered only back to the person
// who wrote it: on the form they are filling in, on its check page, and on their own case
// page. It is never logged.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/codes.hpp"
#include "server/domain/validation.hpp"
#include "server/http/auth.hpp"
#include "server/http/files.hpp"
#include "server/http/log.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/pages/i18n.hpp"
#include "server/http/pages/templates.hpp"
#include "server/http/responses.hpp"
#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http {

namespace {

using domain::Language;
using nlohmann::json;
using web::day_of;
using web::FormData;
using web::stage_frames_json;

// Countries offered when the worker does not know the site: the programme's supply chains
// first in mind, plus the buyers' countries. Sites of other countries are added per request.
constexpr std::string_view kCountries[] = {"BD", "BE", "CI", "CM", "DE", "FR", "GH",
                                           "ID", "KH", "MY", "NL", "TH", "VN"};

struct StaticFile {
  std::string body;
  std::string content_type;
};

std::string read_or_throw(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) throw std::runtime_error("cannot read " + path.string());
  return *std::move(text);
}

std::string content_type_for(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return {};
}

// A short content hash for cache-busting asset URLs (not security relevant: FNV-1a).
std::string short_hash(std::string_view data) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 10; ++i) out += kHex[(h >> (i * 4)) & 15];
  return out;
}

bool safe_static_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                     }) &&
         name.find("..") == std::string_view::npos;
}

// One form error: the field it belongs to (its id in the page) and the message.
struct FieldError {
  std::string field;   // the form field name ("narrative", "contact_email")
  std::string target;  // the id the summary links to ("cat-wages", "anonymous-yes", ...)
  std::string message;
};

class Pages {
 public:
  explicit Pages(const AppDeps& deps)
      : services_(deps.services),
        templates_(web::TemplateSet::load(deps.web_dir + "/templates")),
        catalogues_(web::Catalogues::load(deps.web_dir + "/i18n")) {
    for (const char* name : {"layout", "home", "complaint", "check", "receipt", "follow", "case",
                             "error", "error_summary"}) {
      if (!templates_.contains(name)) {
        throw std::runtime_error(std::string("missing template web/templates/") + name + ".html");
      }
    }
    load_static(deps.web_dir + "/static");
  }

  // ---- routes ---------------------------------------------------------------------------

  Response home(Request& req) {
    const auto lang = language_of(req);
    json data = base_data(lang.lang);
    data["signed_out"] = query_of(req).get("signed_out") == "1";
    data["home_step_3"] = catalogues_.format(
        lang.lang, "home_step_3", {{"days", std::to_string(services_.config().ack_days)}});
    data["home_step_4"] = catalogues_.format(
        lang.lang, "home_step_4",
        {{"days", std::to_string(services_.config().response_days)},
         {"resolution_days", std::to_string(services_.config().resolution_days)}});
    return page(req, lang, bhttp::status::ok, "home_title", "home", data, "/");
  }

  Response complaint_form(Request& req) {
    const auto lang = language_of(req);
    return render_form(req, lang, FormData{}, {}, bhttp::status::ok);
  }

  Response file_complaint(Request& req) {
    if (auto refused = refuse_form(req)) return *std::move(refused);
    const FormData form = FormData::parse(req.body());
    const auto lang = language_of(req, &form);
    const std::string step = form.get("step");

    if (step == "edit") return render_form(req, lang, form, {}, bhttp::status::ok);

    domain::ComplaintDraft draft = draft_from(form, lang.lang);
    std::vector<FieldError> errors = check_form(form, draft, lang.lang);
    if (!errors.empty()) return render_form(req, lang, form, errors, bhttp::status::bad_request);

    if (step == "check") return render_check(req, lang, form, draft);

    const std::string submission = form.get("submission");
    auto filed = services_.filing.file_complaint(
        draft, domain::Channel::kWeb,
        valid_submission(submission) ? "web:" + submission : std::string());
    if (!filed) {
      if (filed.error().code == domain::ErrorCode::kInvalidField) {
        errors.push_back(error_for(filed.error().field, lang.lang));
        return render_form(req, lang, form, errors, bhttp::status::bad_request);
      }
      return error_page(req, lang, filed.error());
    }
    return render_receipt(req, lang, *filed);
  }

  Response follow_form(Request& req) {
    const auto lang = language_of(req);
    return render_follow(req, lang, {}, {}, bhttp::status::ok);
  }

  Response follow_sign_in(Request& req, const RequestContext& ctx) {
    if (auto refused = refuse_form(req)) return *std::move(refused);
    const FormData form = FormData::parse(req.body());
    const auto lang = language_of(req, &form);
    const std::string reference = form.get("reference");
    const std::string code = form.get("access_code");

    std::vector<FieldError> errors;
    if (reference.find_first_not_of(" \t") == std::string::npos) {
      errors.push_back({"reference", "reference", text(lang.lang, "error_reference_missing")});
    }
    if (code.find_first_not_of(" \t") == std::string::npos) {
      errors.push_back({"access_code", "access_code", text(lang.lang, "error_code_missing")});
    }
    if (!errors.empty()) {
      return render_follow(req, lang, reference, errors, bhttp::status::bad_request);
    }

    auto signed_in = services_.complainants.sign_in(reference, code, ctx.client_address);
    if (!signed_in) {
      const auto& e = signed_in.error();
      if (e.code == domain::ErrorCode::kRateLimited) {
        const int minutes = std::max(1, (e.retry_after_seconds + 59) / 60);
        errors.push_back({"reference", "reference",
                          catalogues_.format(lang.lang, "error_too_many_attempts",
                                             {{"minutes", std::to_string(minutes)}})});
        auto res = render_follow(req, lang, reference, errors, bhttp::status::too_many_requests);
        res.set(bhttp::field::retry_after, std::to_string(std::max(1, e.retry_after_seconds)));
        return res;
      }
      if (e.code == domain::ErrorCode::kUnauthorized) {
        errors.push_back({"reference", "reference", text(lang.lang, "error_sign_in_failed")});
        return render_follow(req, lang, reference, errors, bhttp::status::unauthorized);
      }
      return error_page(req, lang, e);
    }
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
        signed_in->session.expires_at - signed_in->session.created_at);
    auto res = redirect_response("/case?lang=" + std::string(domain::to_string(lang.lang)), req);
    res.insert(bhttp::field::set_cookie,
               session_cookie(signed_in->token,
                              static_cast<int>(std::max<std::int64_t>(60, ttl.count()))));
    return res;
  }

  Response case_page(Request& req) {
    const auto lang = language_of(req);
    auto session = authenticate(req, services_.sessions);
    if (!session) return to_follow(req, lang.lang);
    const bool sent = query_of(req).get("sent") == "1";
    return render_case(req, lang, *session, {}, {}, sent, bhttp::status::ok);
  }

  Response post_message(Request& req) {
    if (auto refused = refuse_form(req)) return *std::move(refused);
    const FormData form = FormData::parse(req.body());
    const auto lang = language_of(req, &form);
    auto session = authenticate(req, services_.sessions, form.get("csrf"));
    if (!session) {
      if (session.error().code == domain::ErrorCode::kCsrfFailed) return csrf_failed(req, lang);
      return to_follow(req, lang.lang);
    }
    const std::string body = form.get("body");
    auto own = services_.casework.view_own_case(*session);
    if (!own) return to_follow(req, lang.lang);
    auto posted = services_.casework.post_message(*session, own->c.reference, body,
                                                  domain::Visibility::kParties);
    if (!posted) {
      if (posted.error().code == domain::ErrorCode::kInvalidField) {
        std::vector<FieldError> errors{{"body", "body", text(lang.lang, "error_message_body")}};
        return render_case(req, lang, *session, body, errors, false, bhttp::status::bad_request);
      }
      if (posted.error().code == domain::ErrorCode::kNotFound) return to_follow(req, lang.lang);
      return error_page(req, lang, posted.error());
    }
    return redirect_response("/case?sent=1&lang=" + std::string(domain::to_string(lang.lang)), req);
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
    auto res =
        redirect_response("/?signed_out=1&lang=" + std::string(domain::to_string(lang.lang)), req);
    res.insert(bhttp::field::set_cookie, clear_session_cookie());
    return res;
  }

  // A browser that followed a wrong link gets a page in its language; API clients and
  // anything under /api/ get the JSON error object.
  Response not_found(const Request& req) {
    const std::string_view target = req.target();
    auto accept = req.find(bhttp::field::accept);
    const bool browser =
        accept != req.end() &&
        std::string_view(accept->value()).find("text/html") != std::string_view::npos;
    if (!browser || target.starts_with("/api/")) {
      return error_response(domain::Error::not_found("No such page or resource."), req);
    }
    return message_page(req, language_of(req), bhttp::status::not_found, "not_found_title",
                        "not_found_text", "/", "nav_home");
  }

  Response static_file(Request& req, std::string_view name) {
    auto it = safe_static_name(name) ? statics_.find(name) : statics_.end();
    if (it == statics_.end()) {
      Response res{bhttp::status::not_found, req.version()};
      res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
      res.body() = "Not found.\n";
      finish(res, req.version(), req.keep_alive());
      return res;
    }
    Response res{bhttp::status::ok, req.version()};
    res.set(bhttp::field::content_type, it->second.content_type);
    // Page URLs carry ?v=<content hash>, so a changed file has a new URL.
    res.set(bhttp::field::cache_control, "public, max-age=31536000, immutable");
    res.body() = it->second.body;
    finish(res, req.version(), req.keep_alive(), /*cacheable=*/true);
    return res;
  }

 private:
  struct PageLanguage {
    Language lang = Language::kEn;
    bool from_query = false;  // then the choice is remembered in the lang cookie
  };

  // ---- language ---------------------------------------------------------------------------

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

  const std::string& text(Language lang, std::string_view key) const {
    return catalogues_.text(lang, key);
  }

  // ---- rendering --------------------------------------------------------------------------

  json base_data(Language lang) const {
    return json{{"lang", domain::to_string(lang)}, {"icons_url", icons_url_}};
  }

  Response page(const Request& req, PageLanguage lang, bhttp::status status,
                std::string_view title_key, std::string_view template_name, const json& data,
                std::string_view switch_path, bool has_errors = false) {
    const json& t = catalogues_.context(lang.lang);
    const std::string body = templates_.get(template_name).render({&t, &data});

    json layout = base_data(lang.lang);
    layout["title"] = text(lang.lang, title_key);
    layout["has_errors"] = has_errors;
    layout["css_url"] = css_url_;
    layout["js_url"] = js_url_;
    layout["favicon_url"] = favicon_url_;
    layout["body"] = body;
    json languages = json::array();
    for (Language l : domain::all_languages()) {
      const std::string code(domain::to_string(l));
      languages.push_back({{"code", code},
                           {"name", web::language_endonym(l)},
                           {"href", std::string(switch_path) + "?lang=" + code},
                           {"current", l == lang.lang}});
    }
    layout["languages"] = std::move(languages);

    auto res = html_response(status, templates_.get("layout").render({&t, &layout}), req);
    res.set(bhttp::field::content_language, domain::to_string(lang.lang));
    if (lang.from_query) {
      res.insert(bhttp::field::set_cookie, "lang=" + std::string(domain::to_string(lang.lang)) +
                                               "; Path=/; Max-Age=31536000; Secure; SameSite=Lax");
    }
    return res;
  }

  std::string error_summary(Language lang, const std::vector<FieldError>& errors) const {
    if (errors.empty()) return {};
    json data{{"errors", json::array()}};
    for (const auto& e : errors)
      data["errors"].push_back({{"target", e.target}, {"message", e.message}});
    return templates_.get("error_summary").render({&catalogues_.context(lang), &data});
  }

  static json field_errors(const std::vector<FieldError>& errors) {
    json err = json::object();
    for (const auto& e : errors) {
      if (!err.contains(e.field)) err[e.field] = e.message;
    }
    return err;
  }

  // The localised message for a domain field name ("contact.email" -> error_contact_email).
  FieldError error_for(std::string_view domain_field, Language lang) const {
    std::string field(domain_field);
    std::replace(field.begin(), field.end(), '.', '_');
    std::string target = field;
    if (field == "categories")
      target = "cat-" + std::string(domain::to_string(domain::Category::kWages));
    if (field == "anonymous") target = "anonymous-yes";
    const std::string key = "error_" + field;
    const std::string& message = text(lang, key);
    if (message == key) return {field, "narrative", text(lang, "error_generic")};
    return {field, target, message};
  }

  // ---- the complaint form -----------------------------------------------------------------

  static bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
  }

  domain::ComplaintDraft draft_from(const FormData& form, Language lang) {
    domain::ComplaintDraft d;
    d.language = std::string(domain::to_string(lang));
    d.categories = form.all("categories");
    d.narrative = form.get("narrative");
    const std::string site = form.get("site_id");
    if (!site.empty()) {
      std::int64_t id = 0;
      const bool digits = site.size() <= 18 && std::all_of(site.begin(), site.end(), [](char c) {
                            return c >= '0' && c <= '9';
                          });
      if (digits) id = std::stoll(site);
      d.site_id = digits ? id : -1;  // the domain refuses ids <= 0 as unknown sites
    }
    if (!blank(form.get("place"))) d.place = form.get("place");
    std::string country = form.get("country");
    if (d.site_id && *d.site_id > 0) {
      // The country box belongs to the "I do not know the site" answer: with a site picked,
      // the domain's one rule names the country from the site.
      if (auto s = services_.filing.site(*d.site_id); s && s->has_value()) {
        country.clear();
        d.country = domain::complaint_country(d, &**s);
      }
    }
    if (!country.empty()) d.country = country;
    if (!form.get("incident_date").empty()) d.incident_date = form.get("incident_date");
    const std::string anonymous = form.get("anonymous");
    if (anonymous == "yes") d.anonymous = true;
    if (anonymous == "no") d.anonymous = false;
    domain::ContactDraft contact;
    if (!blank(form.get("contact_name"))) contact.name = form.get("contact_name");
    if (!blank(form.get("contact_phone"))) contact.phone = form.get("contact_phone");
    if (!blank(form.get("contact_email"))) contact.email = form.get("contact_email");
    if (contact.name || contact.phone || contact.email) d.contact = contact;
    return d;
  }

  // Every error we can name at once (GOV.UK: list them all), then the domain's own rules for
  // anything subtler; nothing here is stored.
  std::vector<FieldError> check_form(const FormData& form, const domain::ComplaintDraft& d,
                                     Language lang) {
    std::vector<FieldError> errors;
    if (!d.categories || d.categories->empty()) errors.push_back(error_for("categories", lang));
    if (!d.narrative || blank(*d.narrative)) errors.push_back(error_for("narrative", lang));
    const bool has_site = d.site_id.has_value();
    if (has_site) {
      auto site = *d.site_id > 0 ? services_.filing.site(*d.site_id)
                                 : domain::Result<std::optional<domain::Site>>(std::nullopt);
      if (site && !site->has_value()) errors.push_back(error_for("site_id", lang));
    } else {
      if (!d.place) errors.push_back({"place", "place", text(lang, "error_place")});
      if (!d.country) errors.push_back(error_for("country", lang));
    }
    const std::string anonymous = form.get("anonymous");
    if (anonymous != "yes" && anonymous != "no") errors.push_back(error_for("anonymous", lang));
    if (auto valid =
            domain::validate_complaint(d, services_.config().limits, services_.filing.today());
        !valid) {
      FieldError e = error_for(valid.error().field, lang);
      // The domain names site_id when neither a site nor a place is given; the form asks for
      // the place in that case.
      if (e.field == "site_id" && !has_site) e = {"place", "place", text(lang, "error_place")};
      const bool known = std::any_of(errors.begin(), errors.end(),
                                     [&](const FieldError& x) { return x.field == e.field; });
      if (!known) errors.push_back(e);
    }
    // Show them in the order of the form.
    static constexpr std::string_view kOrder[] = {
        "categories",    "narrative", "site_id",      "place",         "country",
        "incident_date", "anonymous", "contact_name", "contact_phone", "contact_email"};
    auto rank = [](const FieldError& e) {
      auto it = std::find(std::begin(kOrder), std::end(kOrder), e.field);
      return it - std::begin(kOrder);
    };
    std::stable_sort(errors.begin(), errors.end(),
                     [&](const FieldError& a, const FieldError& b) { return rank(a) < rank(b); });
    return errors;
  }

  std::string country_name(Language lang, std::string_view code) const {
    const std::string key = "country_" + std::string(code);
    const std::string& name = text(lang, key);
    return name == key ? std::string(code) : name;
  }

  Response render_form(const Request& req, PageLanguage lang, const FormData& form,
                       const std::vector<FieldError>& errors, bhttp::status status) {
    json data = base_data(lang.lang);
    data["error_summary"] = error_summary(lang.lang, errors);
    data["err"] = field_errors(errors);
    data["today"] = domain::format_date(services_.filing.today());
    // One nonce per filled-in form, carried through the check step: a refreshed or re-sent
    // receipt page then answers the first filing instead of filing twice.
    data["submission"] =
        valid_submission(form.get("submission")) ? form.get("submission") : new_submission_nonce();

    const auto chosen = form.all("categories");
    json categories = json::array();
    for (domain::Category c : domain::all_categories()) {
      const std::string code(domain::to_string(c));
      categories.push_back(
          {{"code", code},
           {"label", text(lang.lang, "category_" + code)},
           {"checked", std::find(chosen.begin(), chosen.end(), code) != chosen.end()}});
    }
    data["categories"] = std::move(categories);

    const std::string chosen_site = form.get("site_id");
    json groups = json::array();
    std::vector<std::string> countries(std::begin(kCountries), std::end(kCountries));
    if (auto sites = services_.filing.find_sites("", "", 500)) {
      for (const domain::Site& s : *sites) {
        if (groups.empty() || groups.back()["code"] != s.country) {
          groups.push_back({{"code", s.country},
                            {"country_name", country_name(lang.lang, s.country)},
                            {"sites", json::array()}});
          if (std::find(countries.begin(), countries.end(), s.country) == countries.end()) {
            countries.push_back(s.country);
          }
        }
        const std::string id = std::to_string(s.id);
        std::string label = s.name;
        if (!s.region.empty()) label += " (" + s.region + ")";
        groups.back()["sites"].push_back(
            {{"id", id}, {"label", label}, {"selected", id == chosen_site}});
      }
    }
    data["site_groups"] = std::move(groups);

    const std::string chosen_country = form.get("country");
    json country_list = json::array();
    for (const auto& code : countries) {
      country_list.push_back({{"code", code},
                              {"name", country_name(lang.lang, code)},
                              {"selected", code == chosen_country}});
    }
    std::sort(country_list.begin(), country_list.end(), [](const json& a, const json& b) {
      return a["name"].get<std::string>() < b["name"].get<std::string>();
    });
    data["countries"] = std::move(country_list);

    const std::string anonymous = form.get("anonymous");
    data["v"] = {
        {"narrative", form.get("narrative")},         {"place", form.get("place")},
        {"incident_date", form.get("incident_date")}, {"anonymous_yes", anonymous == "yes"},
        {"anonymous_no", anonymous == "no"},          {"contact_name", form.get("contact_name")},
        {"contact_phone", form.get("contact_phone")}, {"contact_email", form.get("contact_email")}};
    return page(req, lang, status, "complaint_title", "complaint", data, "/complaint",
                !errors.empty());
  }

  Response render_check(const Request& req, PageLanguage lang, const FormData& form,
                        const domain::ComplaintDraft& d) {
    json data = base_data(lang.lang);
    json chosen = json::array();
    json hidden = json::array();
    for (const auto& code : *d.categories) {
      chosen.push_back(text(lang.lang, "category_" + code));
      hidden.push_back({{"name", "categories"}, {"value", code}});
    }
    data["chosen_categories"] = std::move(chosen);
    for (const char* name :
         {"narrative", "site_id", "place", "country", "incident_date", "anonymous", "contact_name",
          "contact_phone", "contact_email", "submission"}) {
      if (form.has(name)) hidden.push_back({{"name", name}, {"value", form.get(name)}});
    }
    data["hidden"] = std::move(hidden);
    data["v"] = {{"narrative", form.get("narrative")}};

    std::string place;
    if (d.site_id) {
      if (auto s = services_.filing.site(*d.site_id); s && s->has_value()) {
        place = (*s)->name + ((*s)->region.empty() ? "" : ", " + (*s)->region);
      }
    } else if (d.place) {
      place = *d.place;
    }
    if (d.country) place += (place.empty() ? "" : ", ") + country_name(lang.lang, *d.country);
    data["place_text"] = place;

    std::string date_text = text(lang.lang, "check_date_unknown");
    if (d.incident_date) {
      if (auto date = domain::parse_date(*d.incident_date))
        date_text = catalogues_.date(lang.lang, *date);
    }
    data["date_text"] = date_text;
    data["anonymous_text"] =
        text(lang.lang, d.anonymous.value_or(true) ? "anonymous_yes" : "anonymous_no");
    json contact = json::array();
    if (d.contact) {
      for (const auto& v : {d.contact->name, d.contact->phone, d.contact->email}) {
        if (v) contact.push_back(*v);
      }
    }
    data["contact_lines"] = std::move(contact);
    return page(req, lang, bhttp::status::ok, "check_title", "check", data, "/complaint");
  }

  Response render_receipt(const Request& req, PageLanguage lang,
                          const domain::FiledComplaint& filed) {
    json data = base_data(lang.lang);
    data["reference"] = filed.filed.reference;
    data["replayed"] = filed.replayed;
    data["access_code"] = domain::group_access_code(filed.access_code);
    data["ack_text"] = catalogues_.format(
        lang.lang, "receipt_ack_due",
        {{"date", catalogues_.date(lang.lang, day_of(filed.filed.deadlines.ack_due))}});
    data["proof_filed_at"] = domain::format_time(filed.receipt.filed_at);
    data["proof_sha256"] = "SHA-256 " + filed.receipt.content_sha256;
    data["proof_signature"] = filed.receipt.key_id + " " + filed.receipt.signature;
    // The switch leads home: this page cannot be shown again (the code is shown once).
    return page(req, lang, filed.replayed ? bhttp::status::ok : bhttp::status::created,
                filed.replayed ? "receipt_replayed_title" : "receipt_title", "receipt", data, "/");
  }

  // A submission nonce: 32 lower-case hex characters. It needs no secrecy (a replay must also
  // match the filed content), only uniqueness.
  static bool valid_submission(std::string_view s) {
    return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
  }
  static std::string new_submission_nonce() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()));
    return buf;
  }

  // ---- following a case -------------------------------------------------------------------

  Response render_follow(const Request& req, PageLanguage lang, std::string_view reference,
                         const std::vector<FieldError>& errors, bhttp::status status) {
    json data = base_data(lang.lang);
    data["error_summary"] = error_summary(lang.lang, errors);
    data["err"] = field_errors(errors);
    data["v"] = {{"reference", reference}};
    return page(req, lang, status, "follow_title", "follow", data, "/follow", !errors.empty());
  }

  std::string time_text(Language lang, domain::TimePoint t) const {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::hh_mm_ss hms{t - day};
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    return catalogues_.date(lang, domain::Date{day}) + ", " + hm + " UTC";
  }

  Response render_case(const Request& req, PageLanguage lang, const domain::Session& session,
                       std::string_view draft_body, const std::vector<FieldError>& errors,
                       bool message_sent, bhttp::status status) {
    auto view = services_.casework.view_own_case(session);
    if (!view) {
      if (view.error().code == domain::ErrorCode::kNotFound) return to_follow(req, lang.lang);
      return error_page(req, lang, view.error());
    }
    const Language l = lang.lang;
    const domain::Case& c = view->c;
    json data = base_data(l);
    data["error_summary"] = error_summary(l, errors);
    data["err"] = field_errors(errors);
    data["v"] = {{"body", draft_body}};
    data["message_sent"] = message_sent;
    data["csrf"] = session.csrf_token;
    data["reference"] = c.reference;
    const std::string status_code(domain::to_string(c.status));
    data["status_text"] = text(l, "status_" + status_code);
    data["status_help"] = text(l, "status_help_" + status_code);

    data["stages"] = stage_frames_json(catalogues_, l, view->stages, "stage_frame_day0");

    json events = json::array();
    for (const auto& e : view->events) {
      std::string title;
      std::string body;
      switch (e.type) {
        case domain::EventType::kStatusChanged:
          title = catalogues_.format(
              l, "event_status_changed",
              {{"status", e.to_status
                              ? text(l, "status_" + std::string(domain::to_string(*e.to_status)))
                              : std::string()}});
          body = e.body;
          break;
        case domain::EventType::kMessage:
        case domain::EventType::kClockPaused:
        case domain::EventType::kClockResumed:
          title = text(l, "event_" + std::string(domain::to_string(e.type)));
          body = e.body;
          break;
        default:
          title = text(l, "event_" + std::string(domain::to_string(e.type)));
      }
      events.push_back({{"at", time_text(l, e.at)},
                        {"at_iso", domain::format_time(e.at)},
                        {"actor", text(l, "actor_" + std::string(domain::to_string(e.actor_role)))},
                        {"mine", e.actor_role == domain::Role::kComplainant},
                        {"title", title},
                        {"body", body}});
    }
    data["events"] = std::move(events);

    json chosen = json::array();
    for (auto cat : c.complaint.categories) {
      chosen.push_back(text(l, "category_" + std::string(domain::to_string(cat))));
    }
    data["chosen_categories"] = std::move(chosen);
    data["narrative"] = c.complaint.narrative;
    data["filed_on"] = catalogues_.date(l, day_of(c.created_at));
    return page(req, lang, status, "case_title", "case", data, "/case", !errors.empty());
  }

  // ---- errors and redirects ---------------------------------------------------------------

  Response to_follow(const Request& req, Language lang) {
    return redirect_response("/follow?lang=" + std::string(domain::to_string(lang)), req);
  }

  Response message_page(const Request& req, PageLanguage lang, bhttp::status status,
                        std::string_view heading_key, std::string_view message_key,
                        std::string_view link_href, std::string_view link_key) {
    json data = base_data(lang.lang);
    data["heading"] = text(lang.lang, heading_key);
    data["message"] = text(lang.lang, message_key);
    data["link_href"] =
        std::string(link_href) + "?lang=" + std::string(domain::to_string(lang.lang));
    data["link_text"] = text(lang.lang, link_key);
    // The title of the error page is its heading.
    return page(req, lang, status, heading_key, "error", data, "/");
  }

  Response error_page(const Request& req, PageLanguage lang, const domain::Error& e) {
    if (e.code == domain::ErrorCode::kInternal) {
      log_line("error", "page_failed", {{"code", domain::error_code_name(e.code)}});
    }
    return message_page(req, lang, status_for(e.code), "error_page_title", "error_page_text", "/",
                        "nav_home");
  }

  Response csrf_failed(const Request& req, PageLanguage lang) {
    return message_page(req, lang, bhttp::status::forbidden, "error_csrf_title", "error_csrf_text",
                        "/case", "error_csrf_link");
  }

  Response unsupported_media(const Request& req) {
    return error_response(domain::Error{domain::ErrorCode::kUnsupportedMediaType,
                                        "Send the form as application/x-www-form-urlencoded.",
                                        {}},
                          req);
  }

  // Form posts must be urlencoded (415) and must not come from another site: browsers mark
  // a form submitted from elsewhere "Sec-Fetch-Site: cross-site" (login CSRF, complaint spam
  // through third-party pages). Browsers that send no such header are let through; the
  // session forms carry a CSRF token as well.
  std::optional<Response> refuse_form(const Request& req) {
    if (!is_form(req)) return unsupported_media(req);
    if (auto it = req.find("Sec-Fetch-Site"); it != req.end() && it->value() == "cross-site") {
      return error_page(req, language_of(req),
                        domain::Error{domain::ErrorCode::kCsrfFailed, "Cross-site form.", {}});
    }
    return std::nullopt;
  }

  static bool is_form(const Request& req) {
    auto it = req.find(bhttp::field::content_type);
    if (it == req.end()) return false;
    std::string type(it->value().substr(0, it->value().find(';')));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type == "application/x-www-form-urlencoded";
  }

  // ---- static files -----------------------------------------------------------------------

  void load_static(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      const std::string type = content_type_for(entry.path());
      if (type.empty() || !safe_static_name(name)) continue;
      statics_.emplace(name, StaticFile{read_or_throw(entry.path()), type});
    }
    if (ec) throw std::runtime_error("cannot read " + dir + ": " + ec.message());
    auto url = [&](const char* name) {
      auto it = statics_.find(name);
      if (it == statics_.end()) throw std::runtime_error(std::string("missing web/static/") + name);
      return "/static/" + std::string(name) + "?v=" + short_hash(it->second.body);
    };
    css_url_ = url("site.css");
    js_url_ = url("site.js");
    icons_url_ = url("icons.svg");
    favicon_url_ = url("favicon.svg");
  }

  domain::Services& services_;
  web::TemplateSet templates_;
  web::Catalogues catalogues_;
  std::map<std::string, StaticFile, std::less<>> statics_;
  std::string css_url_, js_url_, icons_url_, favicon_url_;
};

}  // namespace

void register_page_routes(Router& router, const AppDeps& deps) {
  auto pages = std::make_shared<Pages>(deps);
  using bhttp::verb;
  router.add(
      verb::get, "/",
      [pages](Request& req, const RequestContext&, const PathParams&) { return pages->home(req); },
      /*runs_inline=*/true);
  router.add(
      verb::get, "/complaint",
      [pages](Request& req, const RequestContext&, const PathParams&) {
        return pages->complaint_form(req);
      },
      /*runs_inline=*/true);
  router.add(verb::post, "/complaints",
             [pages](Request& req, const RequestContext&, const PathParams&) {
               return pages->file_complaint(req);
             });
  router.add(
      verb::get, "/follow",
      [pages](Request& req, const RequestContext&, const PathParams&) {
        return pages->follow_form(req);
      },
      /*runs_inline=*/true);
  router.add(verb::post, "/follow",
             [pages](Request& req, const RequestContext& ctx, const PathParams&) {
               return pages->follow_sign_in(req, ctx);
             });
  router.add(
      verb::get, "/case",
      [pages](Request& req, const RequestContext&, const PathParams&) {
        return pages->case_page(req);
      },
      /*runs_inline=*/true);
  router.add(verb::post, "/case/messages",
             [pages](Request& req, const RequestContext&, const PathParams&) {
               return pages->post_message(req);
             });
  router.add(verb::post, "/signout",
             [pages](Request& req, const RequestContext&, const PathParams&) {
               return pages->sign_out(req);
             });
  router.set_fallback([pages](Request& req, const RequestContext&, const PathParams&) {
    return pages->not_found(req);
  });
  router.add(
      verb::get, "/static/{file}",
      [pages](Request& req, const RequestContext&, const PathParams& params) {
        return pages->static_file(req, params.get("file"));
      },
      /*runs_inline=*/true);
}

}  // namespace grievance::http
