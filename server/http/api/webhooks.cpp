// The admin's webhooks API (docs/domain.md "Notifications"): /api/v1/organisations/{id}/webhooks
// (organisation 0: the operator's own), /api/v1/webhook-deliveries and their retry. Admin only:
// 401 without a session, 403 for every other role. The secret is in the 201 answer to the
// creation and nowhere else (never listed, never logged).
#include "server/domain/access_policy.hpp"
#include "server/domain/notifications.hpp"
#include "server/domain/webhook_admin.hpp"
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {
namespace {

using domain::Error;
using domain::fail;
using domain::Session;

domain::Result<Session> webhook_admin(const Request& req, const Api& api) {
  auto s = authenticate(req, api.services.sessions);
  if (!s) return s;
  if (!domain::may_administer(s->role)) {
    return fail(Error::forbidden("Only an administrator may manage webhooks."));
  }
  if (api.services.webhooks == nullptr)
    return fail(Error::unavailable("Webhooks are not available."));
  return s;
}

// A positive id, or 0 for the operator.
std::optional<std::int64_t> org_id(std::string_view segment) {
  if (segment == "0") return domain::kOperatorOrgId;
  return parse_path_id(segment);
}

void write_webhook(JsonWriter& w, const domain::Webhook& h) {
  w.begin_object()
      .field("id", h.id)
      .field("org_id", h.org_id)
      .field("url", h.url)
      .field("created_at", domain::format_time(h.created_at))
      .end_object();
}

void write_delivery(JsonWriter& w, const domain::WebhookDelivery& d) {
  w.begin_object()
      .field("id", d.id)
      .field("webhook_id", d.webhook_id)
      .field("url", d.url)
      .field("org_id", d.notification.org_id)
      .field("event_id", d.notification.id)
      .field("type", std::string(domain::to_string(d.notification.event)))
      .field("reference", d.notification.reference)
      .field("state", std::string(domain::to_string(d.state)))
      .field("attempts", d.attempts)
      .field("next_at", domain::format_time(d.next_at))
      .field("last_error", d.last_error)
      .end_object();
}

}  // namespace

Response list_webhooks(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, webhook_admin(req, api));
  auto org = org_id(p.get("id"));
  if (!org) return error_response(Error::not_found(), req);
  GRV_TRY(hooks, api.services.webhooks->list(session, *org));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object().key("webhooks").begin_array();
    for (const auto& h : hooks) write_webhook(w, h);
    w.end_array().end_object();
  });
}

Response create_webhook(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, webhook_admin(req, api));
  auto org = org_id(p.get("id"));
  if (!org) return error_response(Error::not_found(), req);
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_CHECK(require_object(body, {"url"}));
  GRV_TRY(url, get_string(body, "url"));
  if (!url) return error_response(Error::invalid_field("url", "The address is required."), req);
  GRV_TRY(created, api.services.webhooks->add(session, *org, *url));
  auto res = answer(bhttp::status::created, req, [&](JsonWriter& w) {
    w.begin_object()
        .field("id", created.webhook.id)
        .field("org_id", created.webhook.org_id)
        .field("url", created.webhook.url)
        .field("created_at", domain::format_time(created.webhook.created_at))
        .field("secret", created.secret)  // shown once
        .end_object();
  });
  res.set(bhttp::field::location, "/api/v1/organisations/" + std::to_string(*org) + "/webhooks/" +
                                      std::to_string(created.webhook.id));
  return res;
}

Response delete_webhook(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, webhook_admin(req, api));
  auto org = org_id(p.get("id"));
  auto hook = parse_path_id(p.get("webhook_id"));
  if (!org || !hook) return error_response(Error::not_found(), req);
  GRV_CHECK(api.services.webhooks->remove(session, *org, *hook));
  return answer(bhttp::status::ok, req,
                [&](JsonWriter& w) { w.begin_object().field("deleted", true).end_object(); });
}

Response list_webhook_deliveries(const Api& api, Request& req, const RequestContext&,
                                 const Params&) {
  GRV_TRY(session, webhook_admin(req, api));
  GRV_CHECK(require_query_params(req.target(), {"state"}));
  std::optional<domain::DeliveryState> state;
  if (auto s = query_param(req.target(), "state")) {
    state = domain::parse_delivery_state(*s);
    if (!state) {
      return error_response(
          Error::invalid_field("state", "state is one of pending, delivered, dead."), req);
    }
  }
  GRV_TRY(deliveries, api.services.webhooks->deliveries(session, state));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object().key("deliveries").begin_array();
    for (const auto& d : deliveries) write_delivery(w, d);
    w.end_array().end_object();
  });
}

Response retry_webhook_delivery(const Api& api, Request& req, const RequestContext&,
                                const Params& p) {
  GRV_TRY(session, webhook_admin(req, api));
  auto id = parse_path_id(p.get("id"));
  if (!id) return error_response(Error::not_found(), req);
  GRV_CHECK(require_empty_body(req, api.body_limit));
  GRV_CHECK(api.services.webhooks->retry(session, *id));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object().field("id", *id).field("state", "pending").end_object();
  });
}

}  // namespace grievance::http::api
