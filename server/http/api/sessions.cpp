// POST /api/v1/session (sign in), DELETE /api/v1/session (sign out),
// POST /api/v1/session/totp (enrol a second factor).
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {
namespace {

using domain::Error;

Response signed_in_response(const domain::SignedIn& signed_in, const Request& req) {
  const auto ttl = signed_in.session.expires_at - signed_in.session.created_at;
  auto res = answer(bhttp::status::created, req, [&](JsonWriter& w) {
    w.begin_object()
        .field("token", signed_in.token)
        .field("role", domain::to_string(signed_in.session.role))
        .field("expires", domain::format_time(signed_in.session.expires_at))
        .field("csrf_token", signed_in.session.csrf_token)
        .end_object();
  });
  res.set(bhttp::field::set_cookie, session_cookie(signed_in.token, static_cast<int>(ttl.count())));
  return res;
}

}  // namespace

// A complainant with reference and access code, or staff with e-mail, password and (when
// enrolled or required) a TOTP code. One kind of credentials per request.
Response sign_in(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_CHECK(require_object(body, {"reference", "access_code", "email", "password", "totp"}));
  const bool complainant = body.contains("reference") || body.contains("access_code");
  const bool staff = body.contains("email") || body.contains("password") || body.contains("totp");
  if (complainant && staff) {
    return error_response(Error::invalid_field("email",
                                               "Sign in either with reference and access code, "
                                               "or with e-mail and password, not both."),
                          req);
  }
  if (staff) {
    GRV_TRY(email, get_string(body, "email"));
    GRV_TRY(password, get_string(body, "password"));
    GRV_TRY(totp, get_string(body, "totp"));
    if (!email || !password) {
      return error_response(Error::invalid_field(email ? "password" : "email", "Required."), req);
    }
    GRV_TRY(signed_in,
            api.services.staff.sign_in(*email, *password, totp.value_or(""), ctx.client_address));
    return signed_in_response(signed_in, req);
  }
  GRV_TRY(reference, get_string(body, "reference"));
  GRV_TRY(code, get_string(body, "access_code"));
  if (!reference || !code) {
    return error_response(
        Error::invalid_field(reference ? "access_code" : "reference", "Required."), req);
  }
  GRV_TRY(signed_in, api.services.complainants.sign_in(*reference, *code, ctx.client_address));
  return signed_in_response(signed_in, req);
}

Response sign_out(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  (void)session;
  auto credentials = credentials_from(req);
  GRV_CHECK(api.services.sessions.sign_out(credentials->token));
  auto res = json_response(bhttp::status::ok, R"({"status":"signed_out"})", req);
  res.set(bhttp::field::set_cookie, clear_session_cookie());
  return res;
}

// A staff user enrols (or replaces) the TOTP second factor; the secret is shown once. The body
// carries the password, and to replace an enrolled factor a current code of it
// (docs/security.md "Staff accounts").
Response enrol_totp(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_CHECK(require_object(body, {"password", "totp"}));
  GRV_TRY(password, get_string(body, "password"));
  GRV_TRY(totp, get_string(body, "totp"));
  if (!password) return error_response(Error::invalid_field("password", "Required."), req);
  GRV_TRY(enrolment,
          api.services.staff.enrol_totp(session, *password, totp.value_or(""), ctx.client_address));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object()
        .field("secret", enrolment.secret_base32)
        .field("otpauth_uri", enrolment.otpauth_uri)
        .end_object();
  });
}

}  // namespace grievance::http::api
