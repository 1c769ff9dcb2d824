// The JSON API (README "HTTP API"; docs/architecture.md "A request's path"): named handlers
// grouped by resource, each a function from request to response that never touches a socket
// (Beast's handle_request). A handler checks the declared shape of the input, calls ONE
// domain function, and writes the domain's answer (GlobaLeaks handlers/, rest/requests.py).
// The route table is routes.cpp; what each handler may show is decided by the domain's views.
//
//   meta.cpp        GET /healthz, /api/v1/meta, /api/v1/sites, /api/v1/openapi.json,
//                   POST /api/v1/receipts/verify
//   sessions.cpp    POST/DELETE /api/v1/session, POST /api/v1/session/totp
//   notification_settings.cpp  PUT /api/v1/users/me/notifications (e-mail opt-in)
//   complaints.cpp  POST /api/v1/complaints, /api/v1/complaints/batch
//   cases.cpp       GET /api/v1/cases, /api/v1/cases/{reference}, POST .../messages, .../assign
//   directory.cpp   /api/v1/organisations, /users, /sites, /supply-links (admin CRUD)
//   guides.cpp      GET/PUT/DELETE /api/v1/guides/{category} (follow-up guides)
//   webhooks.cpp    /api/v1/organisations/{id}/webhooks, /api/v1/webhook-deliveries (admin)
//   metrics.cpp     GET /metrics (Prometheus text; admin or loopback)
//   stats.cpp       GET /api/v1/stats, /api/v1/exports/{stats,cases}.{csv,json} (issue 11)
//   register.cpp    GET /api/v1/register (the public register; no sign-in)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "server/domain/services.hpp"
#include "server/http/app.hpp"
#include "server/http/metrics.hpp"
#include "server/http/router.hpp"

namespace grievance::http::api {

// What every API handler is given besides the request.
struct Api {
  domain::Services& services;
  std::size_t body_limit;        // JSON bodies
  std::size_t batch_body_limit;  // a union's batch (granted by App::body_allowance)
  std::string openapi;           // web/openapi.json, read once at start
  const RequestMetrics* request_metrics = nullptr;  // the App's (null: none, in some tests)
};

using Params = PathParams;

// meta.cpp
Response healthz(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response meta(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response sites(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response verify_receipt(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response openapi(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

// metrics.cpp
Response metrics(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

// register.cpp
Response public_register(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

// stats.cpp
Response stats(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response export_stats_csv(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response export_stats_json(const Api& api, Request& req, const RequestContext& ctx,
                           const Params& p);
Response export_cases_csv(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response export_disclosure(const Api& api, Request& req, const RequestContext& ctx,
                           const Params& p);
Response export_cases_json(const Api& api, Request& req, const RequestContext& ctx,
                           const Params& p);

// notification_settings.cpp: PUT /api/v1/users/me/notifications
Response put_notification_settings(const Api& api, Request& req, const RequestContext& ctx,
                                   const Params& p);

// sessions.cpp
Response sign_in(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response sign_out(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response enrol_totp(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

// complaints.cpp
Response file_complaint(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response file_batch(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

// cases.cpp
Response list_cases(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response get_case(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_message(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response assign_case(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_transition(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_feedback(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_action_done(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_action_verdict(const Api& api, Request& req, const RequestContext& ctx,
                             const Params& p);
Response post_retaliation(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_follow_up(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_identity(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_disclosure(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_disclosure_answer(const Api& api, Request& req, const RequestContext& ctx,
                                const Params& p);
Response post_review(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_translation(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_access_code(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
// meetings.cpp: propose, answer, minutes (docs/domain.md "Meetings").
Response post_meeting(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response post_meeting_answer(const Api& api, Request& req, const RequestContext& ctx,
                             const Params& p);
Response post_meeting_minutes(const Api& api, Request& req, const RequestContext& ctx,
                              const Params& p);

// guides.cpp
Response get_guide(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response put_guide(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response reset_guide(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

// attachments.cpp: evidence upload (raw body or multipart/form-data) and download.
Response post_attachment(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response get_attachment(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
// The Content-Disposition of a download (RFC 6266: attachment, ASCII fallback and UTF-8 name).
std::string content_disposition(std::string_view file_name);

// webhooks.cpp
Response list_webhooks(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response create_webhook(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response delete_webhook(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response list_webhook_deliveries(const Api& api, Request& req, const RequestContext& ctx,
                                 const Params& p);
Response retry_webhook_delivery(const Api& api, Request& req, const RequestContext& ctx,
                                const Params& p);

// directory.cpp: list, create, read, update (PATCH) and disable (DELETE) per record kind.
Response list_organisations(const Api& api, Request& req, const RequestContext& ctx,
                            const Params& p);
Response create_organisation(const Api& api, Request& req, const RequestContext& ctx,
                             const Params& p);
Response get_organisation(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response update_organisation(const Api& api, Request& req, const RequestContext& ctx,
                             const Params& p);
Response disable_organisation(const Api& api, Request& req, const RequestContext& ctx,
                              const Params& p);

Response list_users(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response create_user(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response get_user(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response update_user(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response disable_user(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

// GET /api/v1/sites?all=1 (the public picker without all=1 is sites() in meta.cpp).
Response list_sites(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response create_site(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response get_site(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response update_site(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response disable_site(const Api& api, Request& req, const RequestContext& ctx, const Params& p);

Response list_supply_links(const Api& api, Request& req, const RequestContext& ctx,
                           const Params& p);
Response create_supply_link(const Api& api, Request& req, const RequestContext& ctx,
                            const Params& p);
Response get_supply_link(const Api& api, Request& req, const RequestContext& ctx, const Params& p);
Response update_supply_link(const Api& api, Request& req, const RequestContext& ctx,
                            const Params& p);
Response disable_supply_link(const Api& api, Request& req, const RequestContext& ctx,
                             const Params& p);

}  // namespace grievance::http::api
