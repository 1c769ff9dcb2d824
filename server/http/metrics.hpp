// GET /metrics (docs/operations.md "Monitoring"): the request counters and latency histograms
// the App keeps, and the Prometheus text exposition format 0.0.4 they and the domain's counts
// are written in (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// Labels name route TEMPLATES ("/api/v1/cases/{reference}"), methods and statuses only: never a
// path, a query, a reference (a label would tell which cases exist) or a client address.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/app.hpp"

namespace grievance::http {

// Writes metric families in the text format: "# HELP", "# TYPE", then samples. Label values
// are escaped (backslash, double quote, line feed) and HELP text too (backslash, line feed).
class PrometheusText {
 public:
  using Label = std::pair<std::string_view, std::string_view>;

  // REQUIRES: `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*, each family declared once, its samples
  // right after it.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, std::initializer_list<Label> labels, double value);
  void sample(std::string_view name, std::initializer_list<Label> labels, std::int64_t value);
  void sample(std::string_view name, const std::vector<Label>& labels, std::string_view value);

  std::string& text() { return out_; }

 private:
  void labels(const Label* begin, const Label* end);
  std::string out_;
};

// A float as the format writes it: shortest round-trip decimal, "+Inf", "-Inf", "NaN".
std::string prometheus_number(double value);

// Requests answered, by route template (+ method) and status, and the time each took in its
// handler. Recording is lock-free (relaxed atomics, one cache-line-aligned block per route), so
// it costs a few atomic increments per request on any thread.
class RequestMetrics {
 public:
  // The upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  RequestMetrics();
  ~RequestMetrics();
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  // The route table's (method, pattern) in route-index order (Dispatch::route).
  // REQUIRES: called once, before any record(); the patterns outlive this object.
  void set_routes(std::vector<std::pair<bhttp::verb, std::string_view>> routes);

  // One answered request. `dispatch_route` is Dispatch::route (a route index, or kNoRoute /
  // kWrongMethod: counted as route "unmatched" with the request's method). A HEAD answered by a
  // GET route counts under that route's method. Thread-safe, lock-free, never throws.
  void record(std::uint32_t dispatch_route, bhttp::verb method, unsigned status,
              std::int64_t duration_us) noexcept;

  // grievance_http_requests_total and grievance_http_request_duration_seconds. Thread-safe.
  void write(PrometheusText& out) const;

 private:
  struct Series;
  std::vector<std::pair<std::string_view, std::string_view>> labels_;  // (method, route) per series
  std::unique_ptr<Series[]> series_;
  std::size_t routes_ = 0;
};

}  // namespace grievance::http
