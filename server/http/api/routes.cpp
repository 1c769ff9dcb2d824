// The API's route table: method + path -> named handler (server/http/api/api.hpp). A route
// marked inline runs on the connection's I/O thread: it never writes and reads only by short
// point queries or from memory; everything else runs on the blocking pool (it may wait for a
// group commit's fsync).
#include <memory>

#include "server/http/api/api.hpp"
#include "server/http/files.hpp"
#include "server/http/server_app.hpp"

namespace grievance::http {
namespace {

using Fn = Response (*)(const api::Api&, Request&, const RequestContext&, const PathParams&);

// A router handler calling `fn` with the API's context (shared by every route).
Handler bound(const std::shared_ptr<const api::Api>& context, Fn fn) {
  return [context, fn](Request& req, const RequestContext& ctx, const PathParams& params) {
    return fn(*context, req, ctx, params);
  };
}

}  // namespace

void register_api_routes(Router& router, const AppDeps& deps) {
  using bhttp::verb;
  auto context = std::make_shared<const api::Api>(
      api::Api{deps.services, deps.body_limit, std::max(deps.batch_body_limit, deps.body_limit),
               read_file(deps.web_dir + "/openapi.json").value_or(""), deps.request_metrics});
  const auto add = [&](verb method, const char* pattern, Fn fn, bool runs_inline = false) {
    router.add(method, pattern, bound(context, fn), runs_inline);
  };
  constexpr bool kInline = true;

  add(verb::get, "/healthz", api::healthz, kInline);
  // Not inline: it counts cases (index scans) at most every few seconds.
  add(verb::get, "/metrics", api::metrics);
  add(verb::get, "/api/v1/stats", api::stats);
  add(verb::get, "/api/v1/exports/stats.csv", api::export_stats_csv);
  add(verb::get, "/api/v1/exports/stats.json", api::export_stats_json);
  add(verb::get, "/api/v1/exports/cases.csv", api::export_cases_csv);
  add(verb::get, "/api/v1/exports/cases.json", api::export_cases_json);
  add(verb::get, "/api/v1/exports/disclosure.json", api::export_disclosure);
  add(verb::get, "/api/v1/meta", api::meta, kInline);
  // Not inline: the headline scans the statistics' facts.
  add(verb::get, "/api/v1/register", api::public_register);
  add(verb::get, "/api/v1/openapi.json", api::openapi, kInline);
  add(verb::post, "/api/v1/receipts/verify", api::verify_receipt);

  add(verb::post, "/api/v1/session", api::sign_in);
  add(verb::delete_, "/api/v1/session", api::sign_out);
  add(verb::post, "/api/v1/session/totp", api::enrol_totp);
  add(verb::put, "/api/v1/users/me/notifications", api::put_notification_settings);

  add(verb::post, "/api/v1/complaints", api::file_complaint);
  add(verb::post, "/api/v1/complaints/batch", api::file_batch);

  add(verb::get, "/api/v1/cases", api::list_cases);
  add(verb::get, "/api/v1/cases/{reference}", api::get_case, kInline);
  add(verb::post, "/api/v1/cases/{reference}/messages", api::post_message);
  add(verb::post, "/api/v1/cases/{reference}/assign", api::assign_case);
  add(verb::post, "/api/v1/cases/{reference}/transitions", api::post_transition);
  add(verb::post, "/api/v1/cases/{reference}/feedback", api::post_feedback);
  add(verb::post, "/api/v1/cases/{reference}/actions/{number}/done", api::post_action_done);
  add(verb::post, "/api/v1/cases/{reference}/actions/{number}/verdict", api::post_action_verdict);
  add(verb::post, "/api/v1/cases/{reference}/retaliation", api::post_retaliation);
  add(verb::post, "/api/v1/cases/{reference}/follow-up", api::post_follow_up);
  add(verb::post, "/api/v1/cases/{reference}/identity", api::post_identity);
  add(verb::post, "/api/v1/cases/{reference}/disclosure", api::post_disclosure);
  add(verb::post, "/api/v1/cases/{reference}/disclosure/answer", api::post_disclosure_answer);
  add(verb::post, "/api/v1/cases/{reference}/review", api::post_review);
  add(verb::post, "/api/v1/cases/{reference}/translations", api::post_translation);
  add(verb::post, "/api/v1/cases/{reference}/access-code", api::post_access_code);
  add(verb::post, "/api/v1/cases/{reference}/meetings", api::post_meeting);
  add(verb::post, "/api/v1/cases/{reference}/meetings/{id}/answer", api::post_meeting_answer);
  add(verb::post, "/api/v1/cases/{reference}/meetings/{id}/minutes", api::post_meeting_minutes);

  add(verb::get, "/api/v1/guides/{category}", api::get_guide, kInline);
  add(verb::put, "/api/v1/guides/{category}", api::put_guide);
  add(verb::delete_, "/api/v1/guides/{category}", api::reset_guide);
  add(verb::post, "/api/v1/cases/{reference}/attachments", api::post_attachment);
  add(verb::get, "/api/v1/cases/{reference}/attachments/{seq}", api::get_attachment);

  add(verb::get, "/api/v1/organisations", api::list_organisations);
  add(verb::post, "/api/v1/organisations", api::create_organisation);
  add(verb::get, "/api/v1/organisations/{id}", api::get_organisation, kInline);
  add(verb::patch, "/api/v1/organisations/{id}", api::update_organisation);
  add(verb::delete_, "/api/v1/organisations/{id}", api::disable_organisation);
  add(verb::get, "/api/v1/organisations/{id}/webhooks", api::list_webhooks);
  add(verb::post, "/api/v1/organisations/{id}/webhooks", api::create_webhook);
  add(verb::delete_, "/api/v1/organisations/{id}/webhooks/{webhook_id}", api::delete_webhook);
  add(verb::get, "/api/v1/webhook-deliveries", api::list_webhook_deliveries);
  add(verb::post, "/api/v1/webhook-deliveries/{id}/retry", api::retry_webhook_delivery);

  add(verb::get, "/api/v1/users", api::list_users);
  add(verb::post, "/api/v1/users", api::create_user);
  add(verb::get, "/api/v1/users/{id}", api::get_user, kInline);
  add(verb::patch, "/api/v1/users/{id}", api::update_user);
  add(verb::delete_, "/api/v1/users/{id}", api::disable_user);

  // GET /api/v1/sites is the public picker (?all=1: the admin's listing, api::list_sites).
  add(verb::get, "/api/v1/sites", api::sites, kInline);
  add(verb::post, "/api/v1/sites", api::create_site);
  add(verb::get, "/api/v1/sites/{id}", api::get_site, kInline);
  add(verb::patch, "/api/v1/sites/{id}", api::update_site);
  add(verb::delete_, "/api/v1/sites/{id}", api::disable_site);

  add(verb::get, "/api/v1/supply-links", api::list_supply_links);
  add(verb::post, "/api/v1/supply-links", api::create_supply_link);
  add(verb::get, "/api/v1/supply-links/{id}", api::get_supply_link, kInline);
  add(verb::patch, "/api/v1/supply-links/{id}", api::update_supply_link);
  add(verb::delete_, "/api/v1/supply-links/{id}", api::disable_supply_link);
}

}  // namespace grievance::http
