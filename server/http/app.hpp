// The seam between net/ and http/: net owns sockets, TLS, limits and timeouts; the App turns
// a complete request into a complete response and never touches a socket (Beast's
// handle_request), so every handler is testable by building a request and calling it.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace grievance::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

struct RequestContext {
  // For rate limiting only; never logged, never stored. An IPv4 address, or an IPv6 /64
  // prefix ("2001:db8:1:2::/64").
  std::string client_address;
  bool client_is_loopback = false;
  std::string request_id;  // also in every log line of this request
};

class App {
 public:
  virtual ~App() = default;

  // True when handle() for this request never writes to storage and reads only by short
  // point queries (health, meta, static files, pages and case reads): net then calls it on
  // the I/O thread, saving two thread hand-offs. Writes wait for a group commit's fsync and
  // always go to the blocking pool.
  virtual bool runs_inline(const Request& req) const = 0;

  // Thread-safe, never throws. The response carries the security headers (SPEC section 5),
  // keep-alive and version matching the request, and prepare_payload() has been called.
  virtual Response handle(Request& req, const RequestContext& ctx) = 0;

  // For errors that net detects before a request is complete (413 body too large, 431
  // headers too large, 400 unparsable, 408 timeout, 503 overloaded): the same error object
  // and security headers as every other response.
  virtual Response error_response(unsigned status, std::string_view code, std::string_view message,
                                  unsigned version, bool keep_alive) const = 0;
};

}  // namespace grievance::http
