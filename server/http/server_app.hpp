// The App that main wires into net: the route table with the API and the worker pages.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "server/domain/services.hpp"
#include "server/http/app.hpp"
#include "server/http/metrics.hpp"
#include "server/http/router.hpp"

namespace grievance::http {

// What the HTTP layer is built from: the domain's use cases (never a store: every answer comes
// from a domain view, so the access policy decides what a handler can show) and its settings.
struct AppDeps {
  domain::Services& services;
  std::string web_dir;  // web/ (templates/, i18n/, static/)
  // The origin of every absolute link ("https://grievance.example.org"; README "Configuration":
  // public_origin): main always sets it, from the configuration or from --listen. Never take an
  // origin from the request's Host (net refuses a Host that is not ours, but a link must not
  // depend on that).
  std::string public_origin;
  std::size_t body_limit = 1 << 20;  // JSON bodies; net enforces it too (413)
  // A union's batch (POST /api/v1/complaints/batch, POST /staff/batch) may be larger and slower
  // than other requests: up to 1,000 digitised forms, uploaded from an office on a slow line.
  // Granted only to a signed-in union user (App::body_allowance).
  std::size_t batch_body_limit = 8u << 20;
  std::chrono::seconds batch_read_timeout{120};
  // An evidence upload (POST .../attachments, API and pages): the largest file
  // (ServiceConfig::attachment_max_bytes) plus room for a multipart envelope; granted to any
  // signed-in caller, with the batch's read timeout.
  std::size_t attachment_body_limit = (20u << 20) + (64u << 10);
  // Where the App counts requests for GET /metrics: make_app sets its own; null elsewhere (a
  // router built without an App, in tests, answers /metrics without request metrics).
  const RequestMetrics* request_metrics = nullptr;
};

// The API routes (server/http/api/routes.cpp).
void register_api_routes(Router& router, const AppDeps& deps);
// The pages (server/http/pages/routes.cpp): the worker pages with their no-JavaScript form
// posts and /static/ files, and the staff pages, over ONE page kit (templates, catalogues and
// static files read once). Throws at start-up when a web file is missing or malformed.
void register_page_routes(Router& router, const AppDeps& deps);

std::unique_ptr<App> make_app(const AppDeps& deps);

}  // namespace grievance::http
