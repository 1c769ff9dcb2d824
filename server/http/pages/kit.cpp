#include "server/http/pages/kit.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <stdexcept>

#include "server/domain/validation.hpp"
#include "server/http/auth.hpp"
#include "server/http/log.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/responses.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::pages {

using domain::Language;
using nlohmann::json;

namespace {

// Countries offered besides those of known sites (the complaint form when the worker does not
// know the site, the case list's filter): the programme's supply chains first in mind, plus
// the buyers' countries.
constexpr std::string_view kCountries[] = {"BD", "BE", "CI", "CM", "DE", "FR", "GH",
                                           "ID", "KH", "MY", "NL", "TH", "VN"};

// Form posts must be urlencoded (else 415) and must not come from another site: browsers mark
// a form submitted from elsewhere "Sec-Fetch-Site: cross-site" (login CSRF, complaint spam or
// forged uploads through third-party pages). Browsers that send no such header are let
// through; the session forms carry a CSRF token as well.
bool is_urlencoded_form(const Request& req) {
  auto it = req.find(bhttp::field::content_type);
  if (it == req.end()) return false;
  return web::media_type(it->value()) == "application/x-www-form-urlencoded";
}

bool is_cross_site(const Request& req) {
  auto it = req.find("Sec-Fetch-Site");
  return it != req.end() && it->value() == "cross-site";
}

domain::Error cross_site_error() {
  return domain::Error{domain::ErrorCode::kCsrfFailed, "Cross-site form.", {}};
}

// Ends the caller's session (a sign-out form). kCsrfFailed when a cookie session's token does
// not match `form_csrf`; a caller without a valid session has nothing to end (success).
domain::Status end_session(const Request& req, domain::SessionService& sessions,
                           std::string_view form_csrf) {
  auto session = authenticate(req, sessions, form_csrf);
  if (!session) {
    if (session.error().code == domain::ErrorCode::kCsrfFailed) {
      return std::unexpected(session.error());
    }
    return {};
  }
  if (auto credentials = credentials_from(req)) (void)sessions.sign_out(credentials->token);
  return {};
}

// The 303 after a sign-out: to `location`, clearing the session cookie.
Response signed_out_redirect(std::string_view location, const Request& req) {
  auto res = redirect_response(location, req);
  res.insert(bhttp::field::set_cookie, clear_session_cookie());
  return res;
}

}  // namespace

// ---- language -------------------------------------------------------------------------------

FormData query_of(const Request& req) { return FormData::parse(web::target_query(req.target())); }

PageLanguage language_of(const Request& req, const FormData* form) {
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

std::string lang_code(Language lang) { return std::string(domain::to_string(lang)); }

std::string with_lang(std::string_view path, Language lang) {
  return std::string(path) + "?lang=" + lang_code(lang);
}

// ---- forms ------------------------------------------------------------------------------------

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

Response unsupported_media(const Request& req, std::string message) {
  return error_response(
      domain::Error{domain::ErrorCode::kUnsupportedMediaType, std::move(message), {}}, req);
}

std::string new_form_nonce() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

bool valid_form_nonce(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// ---- sessions of the page forms ---------------------------------------------------------------

void set_retry_after(Response& res, const domain::Error& rate_limited) {
  res.set(bhttp::field::retry_after, std::to_string(std::max(1, rate_limited.retry_after_seconds)));
}

Response signed_in_redirect(std::string_view location, const domain::SignedIn& signed_in,
                            const Request& req) {
  const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(signed_in.session.expires_at -
                                                                    signed_in.session.created_at);
  auto res = redirect_response(location, req);
  res.insert(
      bhttp::field::set_cookie,
      session_cookie(signed_in.token, static_cast<int>(std::max<std::int64_t>(60, ttl.count()))));
  return res;
}

// ---- rendering ----------------------------------------------------------------------------------

void log_page_failure(const domain::Error& e, std::string_view event) {
  if (e.code == domain::ErrorCode::kInternal) {
    log_line("error", event, {{"code", domain::error_code_name(e.code)}});
  }
}

PageKit::PageKit(const std::string& web_dir)
    : templates_(web::TemplateSet::load(web_dir + "/templates")),
      catalogues_(web::Catalogues::load(web_dir + "/i18n")),
      statics_(StaticFiles::load(web_dir + "/static")),
      css_url_(statics_.url("site.css")),
      staff_css_url_(statics_.url("staff.css")),
      js_url_(statics_.url("site.js")),
      icons_url_(statics_.url("icons.svg")),
      favicon_url_(statics_.url("favicon.svg")) {
  require_templates({"error_summary"});
}

void PageKit::require_templates(std::initializer_list<std::string_view> names) const {
  for (std::string_view name : names) {
    if (!templates_.contains(name)) {
      throw std::runtime_error("missing template web/templates/" + std::string(name) + ".html");
    }
  }
}

FieldError PageKit::too_many_attempts(Language lang, std::string_view field,
                                      const domain::Error& rate_limited) const {
  const int minutes = std::max(1, (rate_limited.retry_after_seconds + 59) / 60);
  return {std::string(field), std::string(field),
          format(lang, "error_too_many_attempts", {{"minutes", std::to_string(minutes)}})};
}

std::string PageKit::day_text(Language lang, domain::TimePoint t) const {
  return catalogues_.date(lang, web::day_of(t));
}

std::string PageKit::time_text(Language lang, domain::TimePoint t) const {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return catalogues_.date(lang, domain::Date{day}) + ", " + hm + " UTC";
}

std::string PageKit::country_name(Language lang, std::string_view code) const {
  if (code.empty()) return {};
  const std::string key = "country_" + std::string(code);
  const std::string& name = text(lang, key);
  return name == key ? std::string(code) : name;
}

json PageKit::country_options(Language lang, std::span<const std::string> more_codes,
                              std::string_view chosen) const {
  std::set<std::string, std::less<>> codes(std::begin(kCountries), std::end(kCountries));
  codes.insert(more_codes.begin(), more_codes.end());
  json out = json::array();
  for (const auto& code : codes) {
    out.push_back(
        {{"value", code}, {"label", country_name(lang, code)}, {"selected", code == chosen}});
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return a["label"].get<std::string>() < b["label"].get<std::string>();
  });
  return out;
}

namespace {

// Base letters of U+00C0..U+024F and U+1E00..U+1EFF (Latin-1, Latin Extended-A and -B, and
// the Vietnamese letters of Latin Extended Additional), from their canonical decompositions;
// '.' keeps the character.
constexpr std::string_view kFoldLatin =
    "aaaaaaaceeeeiiiidnooooo.ouuuuy.saaaaaaaceeeeiiiidnooooo.ouuuuy.yaaaaaaccccccccddddeeeeeeeeee"
    "gggggggghh..iiiiiiiii...jjkk.llllll..llnnnnnn...oooooo..rrrrrrsssssssstttt..uuuuuuuuuuuuwwy"
    "yyzzzzzz.................................oo.............uu............................aaii"
    "oouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa....aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeoo"
    "ooooooyy............................";
constexpr std::string_view kFoldLatinAdditional =
    "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrr"
    "rrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaa"
    "aeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......";
static_assert(kFoldLatin.size() == 0x250 - 0xC0);
static_assert(kFoldLatinAdditional.size() == 0x100);

// A name's sort key: lower case, Latin letters without their accents ("États-Unis" sorts with
// the E, "Việt Nam" with the V); other characters as they are.
std::string sort_key(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      key += static_cast<char>(std::tolower(c));
      ++i;
      continue;
    }
    const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    std::uint32_t cp = c & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < name.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(name[i + k]) & 0x3F);
    }
    char folded = '.';
    if (cp >= 0xC0 && cp < 0x250) folded = kFoldLatin[cp - 0xC0];
    if (cp >= 0x1E00 && cp < 0x1F00) folded = kFoldLatinAdditional[cp - 0x1E00];
    if (folded != '.') {
      key += folded;
    } else {
      key.append(name.substr(i, static_cast<std::size_t>(extra) + 1));
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return key;
}

}  // namespace

json PageKit::all_country_options(Language lang, std::string_view chosen) const {
  std::vector<std::pair<std::string, json>> named;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      const std::string code{a, b};
      if (!domain::is_country_code(code)) continue;
      std::string name = country_name(lang, code);
      named.emplace_back(
          sort_key(name),
          json{{"value", code}, {"label", std::move(name)}, {"selected", code == chosen}});
    }
  }
  std::sort(named.begin(), named.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  json out = json::array();
  for (auto& [key, option] : named) out.push_back(std::move(option));
  return out;
}

json PageKit::base_data(Language lang) const {
  return json{{"lang", lang_code(lang)}, {"icons_url", icons_url_}};
}

json PageKit::form_data(Language lang, const std::vector<FieldError>& errors) const {
  json data = base_data(lang);
  data["error_summary"] = error_summary(lang, errors);
  json err = json::object();
  for (const auto& e : errors) {
    if (!err.contains(e.field)) err[e.field] = e.message;
  }
  data["err"] = std::move(err);
  return data;
}

std::string PageKit::error_summary(Language lang, const std::vector<FieldError>& errors) const {
  if (errors.empty()) return {};
  json data{{"errors", json::array()}};
  for (const auto& e : errors) {
    data["errors"].push_back({{"target", e.target}, {"message", e.message}});
  }
  return templates_.get("error_summary").render({&catalogues_.context(lang), &data});
}

json PageKit::message_data(Language lang, const Message& message) const {
  json data = base_data(lang);
  data["heading"] = text(lang, message.heading_key);
  data["message"] = text(lang, message.text_key);
  if (!message.link_path.empty()) {
    data["link_href"] = with_lang(message.link_path, lang);
    data["link_text"] = text(lang, message.link_key);
  }
  return data;
}

Response PageKit::render(const Request& req, PageLanguage lang, const PageSpec& spec,
                         const json& data, const Layout& layout) const {
  const json& t = catalogues_.context(lang.lang);
  json frame = base_data(lang.lang);
  frame["title"] = text(lang.lang, spec.title_key);
  frame["has_errors"] = spec.has_errors;
  frame["css_url"] = css_url_;
  frame["staff_css_url"] = staff_css_url_;
  frame["js_url"] = js_url_;
  frame["favicon_url"] = favicon_url_;
  frame["body"] = templates_.get(spec.template_name).render({&t, &data});
  json languages = json::array();
  for (Language l : domain::all_languages()) {
    const std::string code = lang_code(l);
    languages.push_back({{"code", code},
                         {"name", web::language_endonym(l)},
                         {"href", std::string(spec.switch_path) + "?lang=" + code},
                         {"current", l == lang.lang}});
  }
  frame["languages"] = std::move(languages);
  frame.update(layout.data);

  auto res =
      html_response(spec.status, templates_.get(layout.template_name).render({&t, &frame}), req);
  res.set(bhttp::field::content_language, lang_code(lang.lang));
  if (lang.from_query) {
    res.insert(bhttp::field::set_cookie,
               "lang=" + lang_code(lang.lang) + "; Path=/; Max-Age=31536000; Secure; SameSite=Lax");
  }
  return res;
}

// ---- page families ----------------------------------------------------------------------------

std::optional<Response> PageFamily::refuse_cross_site(const Request& req) const {
  if (is_cross_site(req)) return error_page(req, language_of(req), cross_site_error());
  return std::nullopt;
}

std::expected<FormPost, Response> PageFamily::read_form(const Request& req) const {
  if (!is_urlencoded_form(req)) {
    return std::unexpected(
        unsupported_media(req, "Send the form as application/x-www-form-urlencoded."));
  }
  if (auto refused = refuse_cross_site(req)) return std::unexpected(*std::move(refused));
  FormData form = FormData::parse(req.body());
  const PageLanguage lang = language_of(req, &form);
  return FormPost{std::move(form), lang};
}

Response PageFamily::sign_out(Request& req, std::string_view signed_out_path) const {
  auto post = read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  if (!end_session(req, services_.sessions, form.get("csrf"))) return csrf_failed(req, lang);
  return signed_out_redirect(
      std::string(signed_out_path) + "?signed_out=1&lang=" + lang_code(lang.lang), req);
}

}  // namespace grievance::http::pages
