// PUT /api/v1/users/me/notifications: the signed-in staff member's notification e-mail
// (docs/domain.md "Notification e-mail"): {"mode": "off"|"each"|"digest", "language"?}.
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {

Response put_notification_settings(const Api& api, Request& req, const RequestContext&,
                                   const Params&) {
  using domain::Error;
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_CHECK(require_object(body, {"mode", "language"}));
  GRV_TRY(mode_text, get_string(body, "mode"));
  GRV_TRY(language_text, get_string(body, "language"));
  const auto mode = domain::parse_mail_mode(mode_text.value_or(""));
  if (!mode) {
    return error_response(Error::invalid_field("mode", "One of off, each, digest."), req);
  }
  domain::MailPreference p{*mode, std::nullopt};
  if (language_text) {
    p.language = domain::parse_language(*language_text);
    if (!p.language) {
      return error_response(Error::invalid_field("language", "One of en, nl, id, vi, fr."), req);
    }
  }
  if (!api.services.mail) return error_response(Error::unavailable(), req);
  GRV_CHECK(api.services.mail->set(session, p));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object()
        .field("mode", domain::to_string(p.mode))
        .field("language", domain::to_string(p.language.value_or(domain::Language::kEn)))
        .end_object();
  });
}

}  // namespace grievance::http::api
