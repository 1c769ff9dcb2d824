// Building responses. Every response goes through finish(), which adds the security headers
// of docs/security.md "TLS and headers" (HSTS, CSP without inline scripts, no-referrer,
// frame-ancestors 'none', nosniff, Cache-Control: no-store unless it is a static asset) and no
// server banner.
#pragma once

#include <string>
#include <string_view>

#include "server/domain/result.hpp"
#include "server/http/app.hpp"

namespace grievance::http {

// Adds the security headers, sets version/keep-alive from the request and prepares the
// payload. `cacheable` is true only for static assets.
void finish(Response& res, unsigned version, bool keep_alive, bool cacheable = false);

// A JSON body (already serialised), status, content type application/json; charset=utf-8.
Response json_response(bhttp::status status, std::string body, const Request& req);

// The ONE error -> HTTP mapping (GlobaLeaks rest/errors.py): each ErrorCode has exactly one
// status; the body is {"error":{"code","message","field"?}}. kRateLimited adds Retry-After.
// kInternal is logged with an incident id by the caller; the client sees only the id.
bhttp::status status_for(domain::ErrorCode code);
Response error_response(const domain::Error& error, const Request& req);
std::string error_body(std::string_view code, std::string_view message, std::string_view field);

// text/html; charset=utf-8.
Response html_response(bhttp::status status, std::string body, const Request& req);
// 303 See Other to `location` (POST/redirect/GET for the no-JavaScript forms).
Response redirect_response(std::string_view location, const Request& req);

}  // namespace grievance::http
