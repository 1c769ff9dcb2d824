// GET /healthz, /api/v1/meta, /api/v1/sites, /api/v1/openapi.json; POST /api/v1/receipts/verify.
#include <cctype>

#include "server/domain/validation.hpp"
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/complaint_input.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {

using domain::Error;

// docs/operations.md "Health and signals": 503 when the database does not answer, or when it
// answers but the disk refuses writes (a full disk: complaints cannot be filed), so monitors and
// load balancers see both.
Response healthz(const Api& api, Request& req, const RequestContext&, const Params&) {
  const auto health = api.services.health();
  if (!health.answers) {
    return json_response(bhttp::status::service_unavailable, R"({"status":"unavailable"})", req);
  }
  if (health.writes_refused) {
    return json_response(bhttp::status::service_unavailable,
                         R"({"status":"degraded","writes":"refused"})", req);
  }
  return json_response(bhttp::status::ok, R"({"status":"ok"})", req);
}

Response meta(const Api& api, Request& req, const RequestContext&, const Params&) {
  const auto& cfg = api.services.config();
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object();
    const auto list = [&](std::string_view key, auto values) {
      w.key(key).begin_array();
      for (auto v : values) w.value(domain::to_string(v));
      w.end_array();
    };
    list("languages", domain::all_languages());
    list("categories", domain::all_categories());
    list("sectors", domain::all_sectors());
    list("statuses", domain::all_case_statuses());
    w.key("channels").begin_array();
    for (const char* c : {"web", "union", "paper", "phone", "api"}) w.value(c);
    w.end_array();
    w.key("deadlines_days")
        .begin_object()
        .field("acknowledgement", cfg.ack_days)
        .field("response", cfg.response_days)
        .field("resolution", cfg.resolution_days)
        .end_object();
    w.key("limits")
        .begin_object()
        .field("narrative_max_chars", static_cast<std::int64_t>(cfg.limits.narrative_max_chars))
        .field("message_max_chars", static_cast<std::int64_t>(cfg.limits.message_max_chars))
        .end_object();
    w.end_object();
  });
}

// The complaint form's site picker: what a worker needs to recognise the workplace, no company
// internals. ?all=1 is the admin's listing instead (directory.cpp).
Response sites(const Api& api, Request& req, const RequestContext& ctx, const Params& p) {
  if (auto all = query_param(req.target(), "all")) {
    if (*all != "1")
      return error_response(Error::invalid_field("all", "Must be 1 when given."), req);
    return list_sites(api, req, ctx, p);
  }
  const std::string q = query_param(req.target(), "q").value_or("");
  const std::string country = query_param(req.target(), "country").value_or("");
  if (q.size() > 100 || !domain::is_valid_utf8(q)) {
    return error_response(Error::invalid_field("q", "At most 100 characters."), req);
  }
  if (!country.empty() &&
      (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
       !std::isupper(static_cast<unsigned char>(country[1])))) {
    return error_response(Error::invalid_field("country", "Must be a country code such as ID."),
                          req);
  }
  GRV_TRY(found, api.services.filing.find_sites(q, country, 200));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object().key("sites").begin_array();
    for (const auto& s : found) {
      w.begin_object()
          .field("id", s.id)
          .field("name", s.name)
          .field("country", s.country)
          .field("region", s.region)
          .field("sector", domain::to_string(s.sector))
          .end_object();
    }
    w.end_array().end_object();
  });
}

Response verify_receipt(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_TRY(receipt, receipt_from_json(body));
  const bool valid = api.services.filing.verify_receipt(receipt);
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object().field("valid", valid);
    if (valid) {
      w.field("reference", receipt.reference)
          .field("filed_at", domain::format_time(receipt.filed_at))
          .field("content_sha256", receipt.content_sha256);
    }
    w.end_object();
  });
}

// The OpenAPI description is a file kept true by tests/http/openapi_test.cpp.
Response openapi(const Api& api, Request& req, const RequestContext&, const Params&) {
  if (api.openapi.empty()) return error_response(Error::not_found(), req);
  return json_response(bhttp::status::ok, api.openapi, req);
}

}  // namespace grievance::http::api
