#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>

#include "server/http/log.hpp"
#include "server/http/responses.hpp"
#include "server/http/server_app.hpp"

namespace grievance::http {
namespace {

class GrievanceApp final : public App {
 public:
  explicit GrievanceApp(const AppDeps& deps) {
    register_api_routes(router_, deps);
    register_page_routes(router_, deps);
    register_staff_page_routes(router_, deps);
  }

  bool runs_inline(const Request& req) const override {
    return router_.match(req.method(), req.target()).runs_inline;
  }

  Response handle(Request& req, const RequestContext& ctx) override {
    const auto start = std::chrono::steady_clock::now();
    auto match = router_.match(req.method(), req.target());
    Response res;
    std::string_view route = "unmatched";
    if (match.handler == nullptr) {
      if (match.path_known) {
        res = error_response(
            domain::Error{
                domain::ErrorCode::kMethodNotAllowed, "This method is not allowed here.", {}},
            req);
        res.set(bhttp::field::allow, match.allow);
      } else if (const Handler* fallback = router_.fallback()) {
        res = call(*fallback, req, ctx, match.params, route);
      } else {
        res = error_response(domain::Error::not_found("No such page or resource."), req);
      }
    } else {
      route = match.pattern;
      res = call(*match.handler, req, ctx, match.params, route);
    }
    if (req.method() == bhttp::verb::head) {
      const auto length = res.body().size();
      res.body().clear();
      res.content_length(length);
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    // The route pattern, never the target: query strings and references stay out of logs.
    log_line("info", "request",
             {{"request_id", ctx.request_id},
              {"method", bhttp::to_string(req.method())},
              {"route", route},
              {"status", std::to_string(res.result_int())},
              {"duration_us", std::to_string(micros)}});
    return res;
  }

  Response error_response(unsigned status, std::string_view code, std::string_view message,
                          unsigned version, bool keep_alive) const override {
    Response res{static_cast<bhttp::status>(status), version};
    res.set(bhttp::field::content_type, "application/json; charset=utf-8");
    res.body() = error_body(code, message, {});
    finish(res, version, keep_alive);
    return res;
  }

  using App::error_response;

 private:
  static Response error_response(const domain::Error& e, const Request& req) {
    return http::error_response(e, req);
  }

  Response call(const Handler& handler, Request& req, const RequestContext& ctx,
                const PathParams& params, std::string_view route) {
    try {
      return handler(req, ctx, params);
    } catch (const std::exception& e) {
      return incident(req, ctx, route, e.what());
    } catch (...) {
      return incident(req, ctx, route, "unknown exception");
    }
  }

  // Anything unexpected: a 500 with an incident id in the log, never details to the client.
  Response incident(const Request& req, const RequestContext& ctx, std::string_view route,
                    std::string_view what) {
    char id[24];
    std::snprintf(id, sizeof id, "inc-%08llx",
                  static_cast<unsigned long long>(++incidents_) ^ 0x5bd1e995ull);
    log_line("error", "unhandled exception",
             {{"request_id", ctx.request_id}, {"incident", id}, {"route", route}, {"what", what}});
    return http::error_response(
        domain::Error::internal("Internal error. Incident " + std::string(id) + "."), req);
  }

  Router router_;
  std::atomic<unsigned long long> incidents_{0};
};

}  // namespace

std::unique_ptr<App> make_app(const AppDeps& deps) { return std::make_unique<GrievanceApp>(deps); }

}  // namespace grievance::http
