#include "server/net/request_head.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace grievance::net {

namespace bhttp = boost::beast::http;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

// Request smuggling: a proxy in front and this server must never disagree on where a request
// ends. RFC 9112 6.1: a Transfer-Encoding this server does not apply (anything but exactly
// "chunked": xchunked, identity, gzip, chunked; or two such fields), or one in an HTTP/1.0
// request, makes the framing unreliable; 6.3: Transfer-Encoding together with Content-Length
// is a smuggling attempt. 3.2: exactly one Host. 3.2.2: only the origin form of the target
// (an absolute form would name another authority than Host). Beast applies chunked when it is
// the last coding and otherwise reads no body at all, leaving the body to be parsed as the next
// request: hence these checks before the body is read. The connection is then closed.
std::optional<HeadProblem> framing_problem(const http::Request& head) {
  static constexpr HeadProblem kAmbiguous{"invalid_request",
                                          "The request's length is ambiguous: use exactly one of "
                                          "Content-Length or Transfer-Encoding: chunked."};
  const auto codings = head.equal_range(bhttp::field::transfer_encoding);
  if (codings.first != codings.second) {
    if (std::next(codings.first) != codings.second || !iequals(codings.first->value(), "chunked") ||
        head.version() < 11 || head.count(bhttp::field::content_length) != 0) {
      return kAmbiguous;
    }
  }
  if (head.count(bhttp::field::host) != 1) {
    return HeadProblem{"invalid_request", "A request needs exactly one Host header."};
  }
  if (!head.target().starts_with('/')) {
    return HeadProblem{"invalid_request", "The request target must be a path."};
  }
  return std::nullopt;
}

std::optional<HeadProblem> head_problem(const http::Request& head,
                                        std::span<const std::string> our_hosts) {
  if (auto problem = framing_problem(head)) return problem;
  const auto host = head[bhttp::field::host];
  for (const auto& ours : our_hosts) {
    if (iequals(host, ours)) return std::nullopt;
  }
  return HeadProblem{"invalid_host", "The Host header does not name this server."};
}

}  // namespace grievance::net
