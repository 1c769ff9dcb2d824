#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <new>
#include <utility>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/http/auth.hpp"
#include "server/http/log.hpp"
#include "server/http/metrics.hpp"
#include "server/http/responses.hpp"
#include "server/http/server_app.hpp"

namespace grievance::http {
namespace {

// ---- field blocks (app.hpp) -----------------------------------------------------------------

// AddressSanitizer sees use-after-free only in memory it hands out itself.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPoolFieldBlocks = false;
#else
constexpr bool kPoolFieldBlocks = true;
#endif

constexpr std::array<std::size_t, 4> kBlockSizes = {64, 128, 256, 512};
constexpr std::size_t kMaxCachedBlocks = 128;  // per size and thread: at most 120 KiB a thread

struct FreeBlock {
  FreeBlock* next;
};

class FieldBlockCache {
 public:
  ~FieldBlockCache() {
    for (FreeBlock* head : heads_) {
      while (head != nullptr) ::operator delete(std::exchange(head, head->next));
    }
    destroyed() = true;
  }

  // Blocks freed during thread exit, after this thread's cache is gone, go straight back.
  static bool& destroyed() {
    thread_local bool gone = false;
    return gone;
  }

  void* take(std::size_t size_class) {
    FreeBlock* block = heads_[size_class];
    if (block == nullptr) return ::operator new(kBlockSizes[size_class]);
    heads_[size_class] = block->next;
    --counts_[size_class];
    return block;
  }

  void give(void* p, std::size_t size_class) {
    if (counts_[size_class] == kMaxCachedBlocks) return ::operator delete(p);
    heads_[size_class] = new (p) FreeBlock{heads_[size_class]};
    ++counts_[size_class];
  }

 private:
  std::array<FreeBlock*, kBlockSizes.size()> heads_{};
  std::array<std::size_t, kBlockSizes.size()> counts_{};
};

FieldBlockCache& field_block_cache() {
  thread_local FieldBlockCache cache;
  return cache;
}

// The index of the smallest block size that holds `bytes`; kBlockSizes.size() if none does.
std::size_t size_class(std::size_t bytes) {
  std::size_t c = 0;
  while (c < kBlockSizes.size() && kBlockSizes[c] < bytes) ++c;
  return c;
}

}  // namespace

void* allocate_field_block(std::size_t bytes) {
  const auto c = size_class(bytes);
  if (!kPoolFieldBlocks || c == kBlockSizes.size()) return ::operator new(bytes);
  // Full size: the block may join another thread's list when it is freed.
  if (FieldBlockCache::destroyed()) return ::operator new(kBlockSizes[c]);
  return field_block_cache().take(c);
}

void free_field_block(void* block, std::size_t bytes) noexcept {
  const auto c = size_class(bytes);
  if (!kPoolFieldBlocks || c == kBlockSizes.size() || FieldBlockCache::destroyed()) {
    return ::operator delete(block);
  }
  field_block_cache().give(block, c);
}

namespace {

class GrievanceApp final : public App {
 public:
  explicit GrievanceApp(const AppDeps& deps)
      : sessions_(deps.services.sessions),
        batch_allowance_{std::max(deps.batch_body_limit, deps.body_limit), deps.batch_read_timeout},
        attachment_allowance_{std::max(deps.attachment_body_limit, deps.body_limit),
                              deps.batch_read_timeout} {
    AppDeps with_metrics = deps;
    with_metrics.request_metrics = &request_metrics_;
    register_api_routes(router_, with_metrics);
    register_page_routes(router_, with_metrics);
    std::vector<std::pair<bhttp::verb, std::string_view>> routes;
    for (const auto& r : router_.routes()) routes.emplace_back(r.method, r.pattern);
    request_metrics_.set_routes(std::move(routes));
    // A union's batch (AppDeps::batch_body_limit) may be larger than any other request.
    // Evidence (AppDeps::attachment_body_limit) to anyone signed in.
    for (const auto& r : router_.routes()) {
      const bool post = r.method == bhttp::verb::post;
      batch_routes_.push_back(post &&
                              (r.pattern == "/api/v1/complaints/batch" ||
                               r.pattern == "/staff/batch" || r.pattern == "/staff/batch/file"));
      attachment_routes_.push_back(post && r.pattern.ends_with("/attachments"));
    }
  }

  Dispatch route(const Request& header) const override {
    const auto match = router_.match(header.method(), header.target());
    Dispatch dispatch;
    if (match.route == nullptr) {
      dispatch.route = match.path_known ? Dispatch::kWrongMethod : Dispatch::kNoRoute;
      return dispatch;
    }
    dispatch.route = static_cast<std::uint32_t>(match.route - router_.routes().data());
    dispatch.runs_inline = match.route->runs_inline;
    dispatch.may_allow_larger_body =
        batch_routes_[dispatch.route] || attachment_routes_[dispatch.route];
    return dispatch;
  }

  std::size_t largest_body_allowance() const override {
    return std::max(batch_allowance_.limit, attachment_allowance_.limit);
  }

  std::optional<BodyAllowance> body_allowance(const Request& header,
                                              const Dispatch& dispatch) override {
    if (!dispatch.may_allow_larger_body) return std::nullopt;
    try {
      if (attachment_routes_[dispatch.route]) return attachment_allowance_for(header);
      return batch_allowance_for(header);
    } catch (...) {
      return std::nullopt;  // the server's limits then apply
    }
  }

  // Only a signed-in union user may send a large batch; everyone else keeps the server's
  // limits (and gets 401/403 from the handler anyway). CSRF is the handler's to check.
  std::optional<BodyAllowance> batch_allowance_for(const Request& header) {
    const auto credentials = credentials_from(header);
    if (!credentials) return std::nullopt;
    auto session = sessions_.authenticate(credentials->token);
    if (!session || !domain::may_file_batch(session->role)) return std::nullopt;
    return batch_allowance_;
  }

  // Evidence may be sent by anyone signed in (the complainant included); the handler checks
  // the case right. Everyone else keeps the server's limits.
  std::optional<BodyAllowance> attachment_allowance_for(const Request& header) {
    const auto credentials = credentials_from(header);
    if (!credentials) return std::nullopt;
    if (!sessions_.authenticate(credentials->token)) return std::nullopt;
    return attachment_allowance_;
  }

  using App::handle;

  Response handle(Request& req, const RequestContext& ctx, const Dispatch& dispatch) override {
    const auto start = std::chrono::steady_clock::now();
    Response res;
    std::string_view route = "unmatched";
    const auto& routes = router_.routes();
    if (dispatch.route < routes.size()) {
      const Router::Route& matched = routes[dispatch.route];
      route = matched.pattern;
      res = call(matched.handler, req, ctx, Router::params(matched, req.target()), route);
    } else if (dispatch.route == Dispatch::kWrongMethod) {
      res = error_response(
          domain::Error{
              domain::ErrorCode::kMethodNotAllowed, "This method is not allowed here.", {}},
          req);
      res.set(bhttp::field::allow, router_.allow(req.target()));
    } else if (const Handler* fallback = router_.fallback()) {
      res = call(*fallback, req, ctx, PathParams{}, route);
    } else {
      res = error_response(domain::Error::not_found("No such page or resource."), req);
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
    log_request(ctx.request_id, bhttp::to_string(req.method()), route, res.result_int(), micros);
    // GET /metrics: by route template too, lock-free.
    request_metrics_.record(dispatch.route, req.method(), res.result_int(), micros);
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

  domain::SessionService& sessions_;
  RequestMetrics request_metrics_;  // before router_: its handlers point at it
  const BodyAllowance batch_allowance_;
  const BodyAllowance attachment_allowance_;
  Router router_;
  std::vector<bool> batch_routes_;       // by route index: a union's batch
  std::vector<bool> attachment_routes_;  // by route index: evidence uploads
  std::atomic<unsigned long long> incidents_{0};
};

}  // namespace

std::unique_ptr<App> make_app(const AppDeps& deps) { return std::make_unique<GrievanceApp>(deps); }

}  // namespace grievance::http
