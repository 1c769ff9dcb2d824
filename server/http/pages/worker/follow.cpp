// Following one's own complaint: sign in with the reference and the access code (GET and POST
// /follow) and signing out (POST /signout). The case page is case_page.cpp, its forms
// case_forms.cpp. The session is the complainant's own: the domain shows them their case and
// nothing else.
#include <string>
#include <string_view>
#include <vector>

#include "server/http/auth.hpp"
#include "server/http/pages/worker/worker_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::worker {

namespace {

using domain::Language;
using nlohmann::json;

Response render_follow(const WorkerPages& pages, const Request& req, PageLanguage lang,
                       std::string_view reference, const std::vector<FieldError>& errors,
                       bhttp::status status) {
  json data = pages.kit().form_data(lang.lang, errors);
  data["v"] = {{"reference", reference}};
  data["office_contact"] = pages.services().config().office_contact;
  return pages.render(req, lang, {status, "follow_title", "follow", "/follow", !errors.empty()},
                      data);
}

}  // namespace

Response follow_form(const WorkerPages& pages, Request& req) {
  return render_follow(pages, req, language_of(req), {}, {}, bhttp::status::ok);
}

Response follow_sign_in(const WorkerPages& pages, Request& req, const RequestContext& ctx) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  const PageKit& kit = pages.kit();
  const std::string reference = form.get("reference");
  const std::string code = form.get("access_code");

  std::vector<FieldError> errors;
  if (reference.find_first_not_of(" \t") == std::string::npos) {
    errors.push_back({"reference", "reference", kit.text(lang.lang, "error_reference_missing")});
  }
  if (code.find_first_not_of(" \t") == std::string::npos) {
    errors.push_back({"access_code", "access_code", kit.text(lang.lang, "error_code_missing")});
  }
  if (!errors.empty()) {
    return render_follow(pages, req, lang, reference, errors, bhttp::status::bad_request);
  }

  auto signed_in = pages.services().complainants.sign_in(reference, code, ctx.client_address);
  if (!signed_in) {
    const auto& e = signed_in.error();
    if (e.code == domain::ErrorCode::kRateLimited) {
      errors.push_back(kit.too_many_attempts(lang.lang, "reference", e));
      auto res =
          render_follow(pages, req, lang, reference, errors, bhttp::status::too_many_requests);
      set_retry_after(res, e);
      return res;
    }
    if (e.code == domain::ErrorCode::kUnauthorized) {
      errors.push_back({"reference", "reference", kit.text(lang.lang, "error_sign_in_failed")});
      return render_follow(pages, req, lang, reference, errors, bhttp::status::unauthorized);
    }
    return pages.error_page(req, lang, e);
  }
  return signed_in_redirect(with_lang("/case", lang.lang), *signed_in, req);
}

Response sign_out(const WorkerPages& pages, Request& req) { return pages.sign_out(req, "/"); }

}  // namespace grievance::http::pages::worker
