// Who is calling. A session token arrives either as "Authorization: Bearer <token>" (API
// clients; no CSRF defence needed) or as the "__Host-session" cookie (browsers), in which case
// every state-changing request must carry the session's CSRF token, in the "X-CSRF-Token"
// header (fetch) or the "csrf" form field (HTML forms), checked in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/domain/sessions.hpp"
#include "server/http/app.hpp"

namespace grievance::http {

inline constexpr std::string_view kSessionCookie = "__Host-session";

struct Credentials {
  std::string token;
  bool from_cookie = false;
};

// The token from the Authorization header, else from the cookie; nullopt when neither.
std::optional<Credentials> credentials_from(const Request& req);

// Authenticates the caller. For a state-changing method with cookie credentials,
// `csrf_token` (from the header or form) must equal the session's CSRF token.
// Errors: kUnauthorized (no or bad token), kCsrfFailed.
domain::Result<domain::Session> authenticate(const Request& req, domain::SessionService& sessions,
                                             std::string_view form_csrf_token = {});

// Set-Cookie value for a new session / for clearing it.
std::string session_cookie(std::string_view token, int max_age_seconds);
std::string clear_session_cookie();

}  // namespace grievance::http
