// The seam between net/ and http/: net owns sockets, TLS, limits and timeouts; the App turns
// a complete request into a complete response and never touches a socket (Beast's
// handle_request), so every handler is testable by building a request and calling it.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace grievance::http {

namespace bhttp = boost::beast::http;

// Beast allocates one block per header field (and one for a request's target): about
// fifteen blocks of 50-300 bytes per request, more per size than glibc's per-thread cache
// holds, so every request went to malloc's slower paths (4% of a keep-alive GET /healthz in
// perf). These come from small per-thread free lists instead. A block freed on another
// thread (a response built on the blocking pool, sent from an I/O thread) joins that
// thread's list; each list is capped, so memory stays bounded. Thread-safe.
void* allocate_field_block(std::size_t bytes);
void free_field_block(void* block, std::size_t bytes) noexcept;

template <class T>
class FieldAllocator {
 public:
  using value_type = T;
  using is_always_equal = std::true_type;
  using propagate_on_container_move_assignment = std::true_type;

  FieldAllocator() noexcept = default;
  template <class U>
  FieldAllocator(const FieldAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) { return static_cast<T*>(allocate_field_block(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_field_block(p, n * sizeof(T)); }

  template <class U>
  bool operator==(const FieldAllocator<U>&) const noexcept {
    return true;
  }
};

using Fields = bhttp::basic_fields<FieldAllocator<char>>;
using Request = bhttp::request<bhttp::string_body, Fields>;
using Response = bhttp::response<bhttp::string_body, Fields>;

// A response written in pieces as it is made (a large export; docs/architecture.md "Streamed
// responses"), so that no answer is ever held whole in memory. The handler calls begin() with
// the head (status and headers, which finish() has completed; net replaces any Content-Length
// with chunked transfer coding), then write() for each piece, then end(). Each write returns
// once the piece is on its way to the client: a slow reader slows the producer and never
// fills memory; a client that stops reading for the write timeout is cut off (false). Once
// begin() is called, the Response the handler returns is not sent. Called from the handler's
// thread only (the blocking pool, never an I/O thread).
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual bool begin(Response& head) = 0;  // false: the client is gone; stop
  virtual bool write(std::string_view piece) = 0;
  virtual bool end() = 0;
};

struct RequestContext {
  // For rate limiting only; never logged, never stored. An IPv4 address, or an IPv6 /64
  // prefix ("2001:db8:1:2::/64").
  std::string client_address;
  bool client_is_loopback = false;
  std::string request_id;  // also in every log line of this request
  // Where a handler may stream its answer (ResponseStream); null where nothing can (a test
  // calling App::handle, an inline handler): the handler then answers in one Response.
  ResponseStream* stream = nullptr;
};

// What net learns about a request once its header is complete: the App matches the route
// once (App::route) and net hands the answer back with the complete request (App::handle).
struct Dispatch {
  static constexpr std::uint32_t kNoRoute = 0xffffffff;      // no route: 404 or the fallback
  static constexpr std::uint32_t kWrongMethod = 0xfffffffe;  // a route has the path: 405
  std::uint32_t route = kNoRoute;  // the App's own handle of the matched route; opaque to net
  // True when the handler never writes to storage and reads only by short point queries
  // (health, meta, static files, pages and case reads): net then calls it on the I/O thread,
  // saving two thread hand-offs. Writes wait for a group commit's fsync and always go to the
  // blocking pool.
  bool runs_inline = false;
  // True when body_allowance() may grant this request more than the server's body limit.
  bool may_allow_larger_body = false;
};

class App {
 public:
  virtual ~App() = default;

  // Matches the route of a request whose header is complete (`header` may have no body yet).
  // Thread-safe, never throws, allocates nothing for a matched route, never touches storage.
  virtual Dispatch route(const Request& header) const = 0;

  // What net may accept as the body of this request, asked once its header is complete and
  // before the body is read, only when dispatch.may_allow_larger_body. nullopt: the server's
  // body_limit and read_timeout. A larger allowance is only for authenticated callers of routes
  // that need it (a union's batch of paper forms), so an anonymous client can never make the
  // server read more. May read storage (authentication); never writes.
  struct BodyAllowance {
    std::size_t limit;
    std::chrono::seconds read_timeout;
  };
  virtual std::optional<BodyAllowance> body_allowance(const Request& header,
                                                      const Dispatch& dispatch) {
    (void)header;
    (void)dispatch;
    return std::nullopt;
  }
  // The largest limit body_allowance() ever grants (0: none). Net parses headers against it, so
  // that a large Content-Length is not refused before the route is known.
  virtual std::size_t largest_body_allowance() const { return 0; }

  // Thread-safe, never throws. The response carries the security headers (docs/security.md "TLS and
  // headers"), keep-alive and version matching the request, and prepare_payload() has been called.
  // REQUIRES: `dispatch` is what route() answered for this request's header.
  virtual Response handle(Request& req, const RequestContext& ctx, const Dispatch& dispatch) = 0;

  // Matches, then handles: for callers without a server (tests, tools).
  Response handle(Request& req, const RequestContext& ctx) { return handle(req, ctx, route(req)); }
  bool runs_inline(const Request& req) const { return route(req).runs_inline; }

  // For errors that net detects before a request is complete (413 body too large, 431
  // headers too large, 400 unparsable, 408 timeout, 503 overloaded): the same error object
  // and security headers as every other response.
  virtual Response error_response(unsigned status, std::string_view code, std::string_view message,
                                  unsigned version, bool keep_alive) const = 0;
};

}  // namespace grievance::http
