// Route table: method + path pattern -> handler. Patterns are literal segments and
// "{name}" placeholders matching one non-empty segment ("/api/v1/cases/{reference}").
// An unknown path answers 404, a known path with another method 405 with Allow.
//
// Matching runs once per request on the I/O thread (App::route), so it allocates nothing: the
// path is split into views on the stack and compared against the routes with the same number
// of segments; the Allow list is built only when a 405 is answered.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/app.hpp"

namespace grievance::http {

// The values of a matched route's placeholders. Views: names into the route table, values into
// the request target, so a PathParams is valid while both are (for the handler's call).
class PathParams {
 public:
  static constexpr std::size_t kMaxParams = 4;

  // The value of {name}; empty if absent.
  std::string_view get(std::string_view name) const;

  // REQUIRES: fewer than kMaxParams values added (Router::add checks patterns).
  void add(std::string_view name, std::string_view value) { values_[size_++] = {name, value}; }

 private:
  std::array<std::pair<std::string_view, std::string_view>, kMaxParams> values_{};
  std::size_t size_ = 0;
};

using Handler = std::function<Response(Request&, const RequestContext&, const PathParams&)>;

class Router {
 public:
  // REQUIRES: called before serving starts (the table is read without locks afterwards).
  // Throws std::invalid_argument for a pattern with more than PathParams::kMaxParams
  // placeholders.
  void add(bhttp::verb method, std::string pattern, Handler handler, bool runs_inline = false);

  struct Segment {
    std::string text;  // the literal, or the placeholder's name without braces
    bool placeholder;
  };
  struct Route {
    bhttp::verb method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
    bool runs_inline;
  };
  const std::vector<Route>& routes() const { return routes_; }

  struct Match {
    const Route* route = nullptr;  // the first route with this path and method; HEAD finds GET
    bool path_known = false;       // some route has this path (then 405, not 404)
  };
  // `target` may carry a query string; it is ignored for matching. Allocates nothing.
  Match match(bhttp::verb method, std::string_view target) const;

  // The placeholders of `route` bound to `target`'s segments.
  // REQUIRES: `route` matched `target` (match() returned it for this target).
  static PathParams params(const Route& route, std::string_view target);

  // "GET, POST": the methods of the routes with `target`'s path, in registration order (the
  // Allow header of a 405).
  std::string allow(std::string_view target) const;

  // Answers a path no route knows (the worker pages show an HTML "not found" page to
  // browsers); without one the App answers the JSON 404.
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }
  const Handler* fallback() const { return fallback_ ? &fallback_ : nullptr; }

 private:
  // Longer paths than any pattern cannot match and are not split further.
  static constexpr std::size_t kMaxSegments = 16;
  using Segments = std::array<std::string_view, kMaxSegments>;

  // False when the path cannot match any route (trailing slash, too many segments).
  static bool split_target(std::string_view target, Segments& out, std::size_t& count);
  static bool path_matches(const Route& route, const Segments& segments);

  std::vector<Route> routes_;
  // Route indices by segment count, in registration order: a request is compared only with
  // the routes of its own length.
  std::vector<std::vector<std::uint32_t>> by_length_;
  Handler fallback_;
};

}  // namespace grievance::http
