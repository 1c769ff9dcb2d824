#include "server/http/auth.hpp"

#include "server/domain/codes.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http {
namespace {

bool is_state_change(bhttp::verb v) {
  return v != bhttp::verb::get && v != bhttp::verb::head && v != bhttp::verb::options;
}

// The cookie from any of the request's Cookie headers; nullopt when absent or empty.
std::optional<std::string> session_cookie_value(const Request& req) {
  for (auto it = req.find(bhttp::field::cookie);
       it != req.end() && it->name() == bhttp::field::cookie; ++it) {
    auto value = web::cookie_value(std::string_view(it->value()), kSessionCookie);
    if (!value.empty()) return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Credentials> credentials_from(const Request& req) {
  if (auto it = req.find(bhttp::field::authorization); it != req.end()) {
    std::string_view v = it->value();
    constexpr std::string_view kBearer = "Bearer ";
    if (v.size() > kBearer.size() && v.substr(0, kBearer.size()) == kBearer) {
      return Credentials{std::string(web::trim_blanks(v.substr(kBearer.size()))), false};
    }
    return Credentials{"", false};  // another scheme: treated as a bad token
  }
  if (auto c = session_cookie_value(req)) return Credentials{*c, true};
  return std::nullopt;
}

domain::Result<domain::Session> authenticate(const Request& req, domain::SessionService& sessions,
                                             std::string_view form_csrf_token) {
  auto credentials = credentials_from(req);
  if (!credentials) return domain::fail(domain::Error::unauthorized("Sign in first."));
  auto session = sessions.authenticate(credentials->token);
  if (!session) return session;
  if (credentials->from_cookie && is_state_change(req.method())) {
    std::string_view presented = form_csrf_token;
    if (auto it = req.find("X-CSRF-Token"); it != req.end()) presented = it->value();
    if (presented.empty() || !domain::constant_time_equal(presented, session->csrf_token)) {
      return domain::fail(domain::Error{domain::ErrorCode::kCsrfFailed,
                                        "The form has expired. Reload the page and try again.",
                                        {}});
    }
  }
  return session;
}

std::string session_cookie(std::string_view token, int max_age_seconds) {
  // __Host- prefix: Secure, Path=/, no Domain, so no subdomain can set or read it.
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_seconds);
}

std::string clear_session_cookie() {
  return std::string(kSessionCookie) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
}

}  // namespace grievance::http
