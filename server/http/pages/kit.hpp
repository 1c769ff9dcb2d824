// The page kit (issue 7 item 4): what the worker pages and the staff pages share, written once.
// Server-rendered HTML that works with JavaScript off, in every language of the catalogues,
// GOV.UK Design System patterns (labels above fields, an error summary linking to each field).
//
// A PageKit loads the templates, catalogues and static files once, at construction: a missing
// or malformed one throws there (at startup), never while serving. It chooses the language of
// a request, renders a page's body into a layout given as a parameter (the worker's plain
// layout, or the staff layout with its navigation and "signed in as"), and formats what every
// page shows alike: the error summary and field errors, dates and times, country names.
//
// Pages never touch a store and hold no rule: they ask the domain (domain::Services) and
// format its views. Complaint text is rendered only to whom the domain shows it, and never
// logged.
//
// Thread-safety: a constructed PageKit is immutable; every const method may be called from
// any request thread.
#pragma once

#include <chrono>
#include <expected>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "server/domain/result.hpp"
#include "server/domain/services.hpp"
#include "server/domain/types.hpp"
#include "server/http/app.hpp"
#include "server/http/pages/i18n.hpp"
#include "server/http/pages/static_files.hpp"
#include "server/http/pages/templates.hpp"
#include "server/http/router.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::pages {

using web::FormData;

// ---- language -----------------------------------------------------------------------------

struct PageLanguage {
  domain::Language lang = domain::Language::kEn;
  bool from_query = false;  // then the choice is remembered in the lang cookie
};

// A form's hidden lang field > ?lang= > lang cookie > Accept-Language > English.
PageLanguage language_of(const Request& req, const FormData* form = nullptr);

// The request's query string, decoded.
FormData query_of(const Request& req);
// "nl", "vi", ...
std::string lang_code(domain::Language lang);
// `path` with "?lang=<code>", so that a link keeps the page's language.
std::string with_lang(std::string_view path, domain::Language lang);

// ---- forms --------------------------------------------------------------------------------

// True when `s` holds nothing but spaces, tabs and line breaks.
bool blank(std::string_view s);

// One form error: the field it belongs to, the id the error summary links to, the message.
struct FieldError {
  std::string field;   // the form field name ("narrative", "email")
  std::string target;  // the id the summary links to ("cat-wages", "anonymous-yes", ...)
  std::string message;
};

// The 415 JSON error for a form sent in another encoding; `message` says which one to use.
Response unsupported_media(const Request& req, std::string message);

// A random nonce of 32 lower-case hex characters (a form-scoped idempotency key): it needs no
// secrecy (a replay must also match what was filed), only uniqueness.
std::string new_form_nonce();
bool valid_form_nonce(std::string_view s);

// ---- sessions of the page forms -------------------------------------------------------------

// Retry-After on a sign-in page that the domain's throttle refused (kRateLimited): at least a
// second.
void set_retry_after(Response& res, const domain::Error& rate_limited);
// The 303 after a sign-in: to `location`, setting the session cookie for the session's life
// (at least a minute).
Response signed_in_redirect(std::string_view location, const domain::SignedIn& signed_in,
                            const Request& req);

// ---- rendering ----------------------------------------------------------------------------

// What surrounds a page's body: the layout template (it renders the body with {{{body}}}) and
// what it shows besides the body. The worker layout needs nothing more; the staff layout
// shows the navigation and who is signed in.
struct Layout {
  std::string_view template_name;                  // "layout", "staff_layout"
  nlohmann::json data = nlohmann::json::object();  // merged into the layout's data
};

// One page to render: its status, title (a catalogue key), body template, and the path the
// language switch leads to (the page itself, where it can be shown again by GET).
struct PageSpec {
  bhttp::status status = bhttp::status::ok;
  std::string_view title_key;
  std::string_view template_name;
  std::string_view switch_path;
  bool has_errors = false;  // the title then starts with "Error:" (GOV.UK)
};

// A page that only says something (an error, a refusal, "not found"): its heading (which is
// also its title), its text and an optional link (a catalogue key and where it leads, with
// the language kept).
struct Message {
  std::string_view heading_key;
  std::string_view text_key;
  std::string_view link_path = {};  // empty: no link
  std::string_view link_key = {};
};

// Logs a page that failed with an internal error (the error's code only, never the request's
// content) under `event`; other errors are the client's and are not logged.
void log_page_failure(const domain::Error& e, std::string_view event);

class PageKit {
 public:
  // Loads <web_dir>/templates, <web_dir>/i18n and <web_dir>/static. Throws (TemplateError,
  // CatalogueError, std::runtime_error) when one is missing or malformed, or when an asset
  // the layouts link to (site.css, staff.css, site.js, icons.svg, favicon.svg) is missing.
  explicit PageKit(const std::string& web_dir);

  // Throws std::runtime_error naming the first of `names` that has no template: each page
  // family checks its own templates when its routes are registered.
  void require_templates(std::initializer_list<std::string_view> names) const;

  const web::Catalogues& catalogues() const { return catalogues_; }
  const StaticFiles& static_files() const { return statics_; }

  // The text of a catalogue key (the key itself when unknown), and with placeholders filled.
  const std::string& text(domain::Language lang, std::string_view key) const {
    return catalogues_.text(lang, key);
  }
  std::string format(
      domain::Language lang, std::string_view key,
      std::initializer_list<std::pair<std::string_view, std::string_view>> args) const {
    return catalogues_.format(lang, key, args);
  }

  // A sign-in form's error on `field` when the domain's throttle refused (kRateLimited):
  // "too many attempts, try again in N minutes" (at least one).
  FieldError too_many_attempts(domain::Language lang, std::string_view field,
                               const domain::Error& rate_limited) const;

  // ---- times, places and choices ----

  // The calendar day (UTC) of `t` in the language's words: "29 November 2026".
  std::string day_text(domain::Language lang, domain::TimePoint t) const;
  // The day and the time of day: "29 November 2026, 14:05 UTC".
  std::string time_text(domain::Language lang, domain::TimePoint t) const;
  // The country's name in the language; the code itself when the catalogue has none.
  std::string country_name(domain::Language lang, std::string_view code) const;
  // <option>s ({value, label, selected}) for the countries the programme offers plus
  // `more_codes` (the countries of known sites), sorted by name.
  nlohmann::json country_options(domain::Language lang, std::span<const std::string> more_codes,
                                 std::string_view chosen) const;
  // <option>s ({value, label, selected}) for every country of ISO 3166-1, by name in the
  // language, in the order a reader of it expects (accents do not move a name to the end):
  // the staff forms, which must offer any country by name (issue 8: a two-letter box cut
  // "Malaysia" to "MA", Morocco).
  nlohmann::json all_country_options(domain::Language lang, std::string_view chosen) const;
  // <option>s ({value, label, selected}) for each value of a domain enum, labelled by the
  // catalogue key `key_prefix` + its code.
  template <class Enum>
  nlohmann::json options(std::span<const Enum> values, std::string_view chosen,
                         domain::Language lang, std::string_view key_prefix) const {
    nlohmann::json out = nlohmann::json::array();
    for (Enum v : values) {
      const std::string code(domain::to_string(v));
      out.push_back({{"value", code},
                     {"label", text(lang, std::string(key_prefix) + code)},
                     {"selected", code == chosen}});
    }
    return out;
  }

  // ---- page data ----

  // What every page's data starts with: the language code and the icons' URL.
  nlohmann::json base_data(domain::Language lang) const;
  // base_data() with a form's errors: the error summary (rendered, for {{{error_summary}}})
  // and "err", each field's first message.
  nlohmann::json form_data(domain::Language lang, const std::vector<FieldError>& errors) const;
  // The body data of a message page.
  nlohmann::json message_data(domain::Language lang, const Message& message) const;

  // Renders `spec.template_name` with `data` into `layout`: an HTML response with
  // Content-Language, and the lang cookie when the query chose the language. Never throws
  // for a template the family required.
  Response render(const Request& req, PageLanguage lang, const PageSpec& spec,
                  const nlohmann::json& data, const Layout& layout) const;

 private:
  std::string error_summary(domain::Language lang, const std::vector<FieldError>& errors) const;

  web::TemplateSet templates_;
  web::Catalogues catalogues_;
  StaticFiles statics_;
  std::string css_url_, staff_css_url_, js_url_, icons_url_, favicon_url_;
};

// A form post as the pages read it: its fields and the language of its hidden lang field
// (else as for a GET).
struct FormPost {
  FormData form;
  PageLanguage lang;
};

// A multipart/form-data post with one file (docs/domain.md "Evidence"): the other fields as a
// form, and the file's bytes moved out of the request body (never copied).
struct UploadPost {
  FormData form;
  PageLanguage lang;
  std::string file;      // empty when no file was chosen
  std::string filename;  // as the browser named it
};

// ---- page families ------------------------------------------------------------------------

// The worker pages and the staff pages: each family shows its errors in its own layout and
// words; the flows they share (refusing a form, signing out) are written once here.
class PageFamily {
 public:
  PageFamily(std::shared_ptr<const PageKit> kit, domain::Services& services)
      : kit_(std::move(kit)), services_(services) {}
  virtual ~PageFamily() = default;

  const PageKit& kit() const { return *kit_; }
  domain::Services& services() const { return services_; }

  // "Something went wrong" (internal errors are logged by code, never the request).
  virtual Response error_page(const Request& req, PageLanguage lang,
                              const domain::Error& e) const = 0;
  // The form's CSRF token did not match its session's.
  virtual Response csrf_failed(const Request& req, PageLanguage lang) const = 0;

  // The error page for a form a browser marks as sent from another site; else nullopt.
  std::optional<Response> refuse_cross_site(const Request& req) const;
  // An urlencoded form post (else 415) from this site (else refuse_cross_site()): its fields
  // and the language it asks for; else the response refusing it.
  std::expected<FormPost, Response> read_form(const Request& req) const;
  // A multipart/form-data post (else 415) from this site with a part named `file_field`
  // (uploads.cpp). The request body is emptied: its bytes move into UploadPost::file.
  std::expected<UploadPost, Response> read_upload(Request& req,
                                                  std::string_view file_field = "file") const;

  // A sign-out form's POST: ends the caller's session (the form's CSRF token checked) and
  // sends the browser to `signed_out_path` with ?signed_out=1 and the language.
  Response sign_out(Request& req, std::string_view signed_out_path) const;

 private:
  std::shared_ptr<const PageKit> kit_;
  domain::Services& services_;
};

// ---- routes -------------------------------------------------------------------------------

// A route handler that calls the named page handler `fn` with the page family `pages`
// (WorkerPages, StaffPages): fn(pages, req), fn(pages, req, ctx) or fn(pages, req, params).
template <class Pages, class Fn>
Handler page_handler(std::shared_ptr<const Pages> pages, Fn fn) {
  return [pages = std::move(pages), fn](Request& req, const RequestContext& ctx,
                                        const PathParams& params) -> Response {
    if constexpr (std::is_invocable_v<Fn, const Pages&, Request&, const RequestContext&>) {
      (void)params;
      return fn(*pages, req, ctx);
    } else if constexpr (std::is_invocable_v<Fn, const Pages&, Request&, const PathParams&>) {
      (void)ctx;
      return fn(*pages, req, params);
    } else {
      (void)ctx;
      (void)params;
      return fn(*pages, req);
    }
  };
}

}  // namespace grievance::http::pages
