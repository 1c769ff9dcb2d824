// The checks on a request's head before anything reads its body (docs/security.md
// "Requests"): framing that a proxy in front could read differently (request smuggling), the
// Host header and the form of the target. A problem is answered 400 and the connection closed.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/http/app.hpp"

namespace grievance::net {

// What is wrong with a request's head, or nothing.
struct HeadProblem {
  std::string_view code;
  std::string_view message;
};

// Framing and target only (no Host allow-list).
std::optional<HeadProblem> framing_problem(const http::Request& head);

// framing_problem(), then the Host: one of `our_hosts` (compared without case).
std::optional<HeadProblem> head_problem(const http::Request& head,
                                        std::span<const std::string> our_hosts);

}  // namespace grievance::net
