// The staff member's own account page: notification e-mail (docs/domain.md "Notification
// e-mail") - none, every update or a daily summary, and the language of the e-mails. Every
// staff role has it; it works without JavaScript (a plain form, CSRF-checked).
#include <string>
#include <vector>

#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

namespace {

using domain::Language;
using domain::MailMode;

Response render_account(const StaffPages& pages, const Request& req, PageLanguage lang,
                        const domain::Session& session, const domain::MailPreference& p,
                        const std::vector<FieldError>& errors, bhttp::status status, bool saved) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  nlohmann::json data = kit.form_data(l, errors);
  data["saved"] = saved;
  nlohmann::json modes = nlohmann::json::array();
  for (MailMode m : {MailMode::kOff, MailMode::kEach, MailMode::kDigest}) {
    const std::string value(domain::to_string(m));
    modes.push_back({{"id", "mode-" + value},
                     {"value", value},
                     {"label", kit.text(l, "account_mail_" + value)},
                     {"checked", m == p.mode}});
  }
  data["modes"] = std::move(modes);
  // Not chosen yet: the language the pages are read in.
  const Language mail_lang = p.language.value_or(l);
  nlohmann::json languages = nlohmann::json::array();
  for (Language each : domain::all_languages()) {
    languages.push_back({{"value", std::string(domain::to_string(each))},
                         {"label", std::string(web::language_endonym(each))},
                         {"selected", each == mail_lang}});
  }
  data["languages"] = std::move(languages);
  return pages.render(req, lang,
                      {status, "account_title", "staff_account", "/staff/account", !errors.empty()},
                      data, &session, "account");
}

}  // namespace

Response account_page(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (!pages.services().mail) return pages.not_found_page(req, lang, &*session);
  auto p = pages.services().mail->get(*session);
  if (!p) return pages.error_page(req, lang, p.error());
  return render_account(pages, req, lang, *session, *p, {}, bhttp::status::ok,
                        query_of(req).get("saved") == "1");
}

Response account_update(const StaffPages& pages, Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  auto session = pages.form_session(req, lang, form.get("csrf"));
  if (!session) return std::move(session).error();
  if (!pages.services().mail) return pages.not_found_page(req, lang, &*session);
  domain::MailPreference p;
  const auto mode = domain::parse_mail_mode(form.get("mode"));
  p.language = domain::parse_language(form.get("language"));
  if (!mode) {
    p.mode = MailMode::kOff;
    return render_account(pages, req, lang, *session, p,
                          {{"mode", "mode-off", pages.kit().text(lang.lang, "account_error_mode")}},
                          bhttp::status::bad_request, false);
  }
  p.mode = *mode;
  if (!p.language) p.language = lang.lang;
  if (auto s = pages.services().mail->set(*session, p); !s) {
    return pages.error_page(req, lang, s.error());
  }
  // Post/redirect/get: a reload does not post again.
  return redirect_response(with_lang("/staff/account", lang.lang) + "&saved=1", req);
}

}  // namespace grievance::http::pages::staff
