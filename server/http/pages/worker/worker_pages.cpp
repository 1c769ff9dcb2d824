// The worker's layout and message pages, and the worker pages' route table.
#include "server/http/pages/worker/worker_pages.hpp"

#include "server/http/pages/routes.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::worker {

Response WorkerPages::render(const Request& req, PageLanguage lang, const PageSpec& spec,
                             const nlohmann::json& data) const {
  return kit().render(req, lang, spec, data, Layout{"layout"});
}

Response WorkerPages::message_page(const Request& req, PageLanguage lang, bhttp::status status,
                                   const Message& message) const {
  // The title of a message page is its heading.
  return render(req, lang, {status, message.heading_key, "error", "/"},
                kit().message_data(lang.lang, message));
}

Response WorkerPages::error_page(const Request& req, PageLanguage lang,
                                 const domain::Error& e) const {
  log_page_failure(e, "page_failed");
  return message_page(req, lang, status_for(e.code),
                      {"error_page_title", "error_page_text", "/", "nav_home"});
}

Response WorkerPages::csrf_failed(const Request& req, PageLanguage lang) const {
  return message_page(req, lang, bhttp::status::forbidden,
                      {"error_csrf_title", "error_csrf_text", "/case", "error_csrf_link"});
}

Response WorkerPages::to_follow(const Request& req, domain::Language lang) const {
  return redirect_response(with_lang("/follow", lang), req);
}

Response not_found(const WorkerPages& pages, Request& req) {
  const std::string_view target = req.target();
  auto accept = req.find(bhttp::field::accept);
  const bool browser = accept != req.end() && std::string_view(accept->value()).find("text/html") !=
                                                  std::string_view::npos;
  if (!browser || target.starts_with("/api/")) {
    return error_response(domain::Error::not_found("No such page or resource."), req);
  }
  return pages.message_page(req, language_of(req), bhttp::status::not_found,
                            {"not_found_title", "not_found_text", "/", "nav_home"});
}

}  // namespace grievance::http::pages::worker

namespace grievance::http::pages {

void register_worker_pages(Router& router, const AppDeps& deps,
                           std::shared_ptr<const PageKit> kit) {
  using namespace worker;
  kit->require_templates({"layout", "home", "complaint", "check", "receipt", "follow", "case",
                          "withdraw", "error", "rights", "register"});
  auto family = std::make_shared<const WorkerPages>(kit, deps.services);
  auto handler = [&](auto fn) { return page_handler(family, fn); };
  using bhttp::verb;
  router.add(verb::get, "/", handler(home), /*runs_inline=*/true);
  router.add(verb::get, "/complaint", handler(complaint_form), /*runs_inline=*/true);
  router.add(verb::post, "/complaints", handler(file_complaint));
  router.add(verb::get, "/follow", handler(follow_form), /*runs_inline=*/true);
  router.add(verb::post, "/follow", handler(follow_sign_in));
  router.add(verb::get, "/case", handler(case_page), /*runs_inline=*/true);
  router.add(verb::post, "/case/messages", handler(post_message));
  router.add(verb::post, "/case/actions/verdict", handler(post_verdict));
  router.add(verb::post, "/case/feedback", handler(post_feedback));
  router.add(verb::post, "/case/appeal", handler(post_appeal));
  router.add(verb::get, "/case/withdraw", handler(withdraw_page), /*runs_inline=*/true);
  router.add(verb::post, "/case/withdraw", handler(post_withdraw));
  router.add(verb::post, "/case/retaliation", handler(post_retaliation));
  router.add(verb::post, "/case/follow-up", handler(post_follow_up));
  router.add(verb::post, "/case/identity", handler(post_identity));
  router.add(verb::post, "/case/disclosure", handler(post_disclosure));
  router.add(verb::post, "/case/register", handler(post_register));
  router.add(verb::post, "/case/meetings", handler(post_meeting));
  router.add(verb::post, "/case/meetings/answer", handler(post_meeting_answer));
  router.add(verb::post, "/case/meetings/minutes", handler(post_meeting_minutes));
  router.add(verb::get, "/rights", handler(rights_page), /*runs_inline=*/true);
  // Not inline: the headline scans the statistics' facts.
  router.add(verb::get, "/register", handler(register_page));
  router.add(verb::post, "/case/attachments", handler(post_attachment));
  router.add(verb::post, "/signout", handler(sign_out));
  router.set_fallback(handler(not_found));
  router.add(
      verb::get, "/static/{file}",
      [kit](Request& req, const RequestContext&, const PathParams& params) {
        return serve_static_file(kit->static_files(), req, params.get("file"));
      },
      /*runs_inline=*/true);
}

}  // namespace grievance::http::pages
