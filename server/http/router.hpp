// Route table: method + path pattern -> handler. Patterns are literal segments and
// "{name}" placeholders matching one non-empty segment ("/api/v1/cases/{reference}").
// An unknown path answers 404, a known path with another method 405 with Allow.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/app.hpp"

namespace grievance::http {

struct PathParams {
  std::vector<std::pair<std::string, std::string>> values;
  // The value of {name}; empty if absent.
  std::string_view get(std::string_view name) const;
};

using Handler = std::function<Response(Request&, const RequestContext&, const PathParams&)>;

class Router {
 public:
  // REQUIRES: called before serving starts (the table is read without locks afterwards).
  void add(bhttp::verb method, std::string pattern, Handler handler, bool runs_inline = false);

  struct Match {
    const Handler* handler = nullptr;  // null when nothing matched
    std::string_view pattern;          // the matched route's pattern (for logs)
    PathParams params;
    bool path_known = false;  // some route has this path (then 405, not 404)
    std::string allow;        // "GET, POST" for 405 answers
    bool runs_inline = false;
  };
  // `target` may carry a query string; it is ignored for matching.
  Match match(bhttp::verb method, std::string_view target) const;

  struct Route {
    bhttp::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    bool runs_inline;
  };
  const std::vector<Route>& routes() const { return routes_; }

  // Answers a path no route knows (the worker pages show an HTML "not found" page to
  // browsers); without one the App answers the JSON 404.
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }
  const Handler* fallback() const { return fallback_ ? &fallback_ : nullptr; }

 private:
  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace grievance::http
