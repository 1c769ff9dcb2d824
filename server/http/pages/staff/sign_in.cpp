// Staff sign-in with e-mail, password and (where enrolled or required) a TOTP code, and
// sign-out. The domain's throttle counts failures per client across accounts.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

namespace {

Response render_sign_in(const StaffPages& pages, const Request& req, PageLanguage lang,
                        std::string_view email, const std::vector<FieldError>& errors,
                        bhttp::status status, bool signed_out) {
  nlohmann::json data = pages.kit().form_data(lang.lang, errors);
  data["v"] = {{"email", email}};
  data["signed_out"] = signed_out;
  return pages.render(
      req, lang,
      {status, "staff_sign_in_title", "staff_sign_in", "/staff/sign-in", !errors.empty()}, data,
      nullptr, "");
}

}  // namespace

Response staff_home(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  const auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  return redirect_response(with_lang(landing_path(session->role), lang.lang), req);
}

Response sign_in_form(const StaffPages& pages, Request& req) {
  return render_sign_in(pages, req, language_of(req), {}, {}, bhttp::status::ok,
                        query_of(req).get("signed_out") == "1");
}

Response sign_in(const StaffPages& pages, Request& req, const RequestContext& ctx) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  const PageKit& kit = pages.kit();
  const std::string email = form.get("email");
  const std::string password = form.get("password");
  std::vector<FieldError> errors;
  if (blank(email)) errors.push_back({"email", "email", kit.text(lang.lang, "staff_error_email")});
  if (password.empty()) {
    errors.push_back({"password", "password", kit.text(lang.lang, "staff_error_password_missing")});
  }
  if (!errors.empty()) {
    return render_sign_in(pages, req, lang, email, errors, bhttp::status::bad_request, false);
  }
  std::string totp = form.get("totp");
  totp.erase(std::remove_if(totp.begin(), totp.end(), [](char c) { return c == ' '; }), totp.end());
  auto signed_in = pages.services().staff.sign_in(email, password, totp, ctx.client_address);
  if (!signed_in) {
    const auto& e = signed_in.error();
    if (e.code == domain::ErrorCode::kRateLimited) {
      errors.push_back(kit.too_many_attempts(lang.lang, "email", e));
      auto res =
          render_sign_in(pages, req, lang, email, errors, bhttp::status::too_many_requests, false);
      set_retry_after(res, e);
      return res;
    }
    if (e.code == domain::ErrorCode::kUnauthorized) {
      errors.push_back({"email", "email", kit.text(lang.lang, "staff_error_sign_in_failed")});
      return render_sign_in(pages, req, lang, email, errors, bhttp::status::unauthorized, false);
    }
    return pages.error_page(req, lang, e);
  }
  return signed_in_redirect(with_lang(landing_path(signed_in->session.role), lang.lang), *signed_in,
                            req);
}

Response sign_out(const StaffPages& pages, Request& req) {
  return pages.sign_out(req, "/staff/sign-in");
}

}  // namespace grievance::http::pages::staff
