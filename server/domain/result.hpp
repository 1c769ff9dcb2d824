// Errors are values with names (LevelDB Status, GlobaLeaks rest/errors.py).
// Every error a client can see has a stable snake_case code; the HTTP layer maps
// each ErrorCode to exactly one status in one function (status_for() in
// server/http/responses.cpp; docs/architecture.md "Errors and input").
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace grievance::domain {

enum class ErrorCode {
  kInvalidField,       // 400: a field is missing, of the wrong type or out of range
  kInvalidRequest,     // 400: the body as a whole is malformed (not JSON, not an object)
  kUnauthorized,       // 401: no or bad credentials
  kForbidden,          // 403: signed in, but the role may not do this (never for cases: 404)
  kCsrfFailed,         // 403: cookie-authenticated state change without a valid CSRF token
  kNotFound,           // 404: unknown, or not visible to the caller (existence never leaks)
  kMethodNotAllowed,   // 405
  kConflict,           // 409
  kInvalidTransition,  // 409: the lifecycle has no such move from the case's status for the caller
  kPayloadTooLarge,    // 413
  kUnsupportedMediaType,  // 415
  kRateLimited,           // 429: too many failed attempts; retry later
  kUnavailable,           // 503: storage not answering / shutting down
  kInternal,              // 500: unexpected; logged with an incident id, never detailed to clients
};

// The stable code string sent to clients, e.g. "invalid_field".
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // a human sentence, safe to show to the caller (never personal data)
  std::string field;    // optional: the offending input field ("narrative", "contact.email")
  int retry_after_seconds = 0;  // for kRateLimited

  static Error invalid_field(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidField, std::move(message), std::move(field)};
  }
  static Error not_found(std::string message = "Not found.") {
    return Error{ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error unauthorized(std::string message) {
    return Error{ErrorCode::kUnauthorized, std::move(message), {}};
  }
  static Error internal(std::string message = "Internal error.") {
    return Error{ErrorCode::kInternal, std::move(message), {}};
  }
  static Error unavailable(std::string message = "Service unavailable.") {
    return Error{ErrorCode::kUnavailable, std::move(message), {}};
  }
  static Error forbidden(std::string message = "You may not do this.") {
    return Error{ErrorCode::kForbidden, std::move(message), {}};
  }
  static Error conflict(std::string message) {
    return Error{ErrorCode::kConflict, std::move(message), {}};
  }
  static Error invalid_transition(std::string message) {
    return Error{ErrorCode::kInvalidTransition, std::move(message), {}};
  }
};

template <class T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace grievance::domain
