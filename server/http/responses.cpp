#include "server/http/responses.hpp"

#include <array>
#include <bitset>
#include <cctype>
#include <iterator>
#include <nlohmann/json.hpp>

namespace grievance::http {

namespace {

// docs/security.md "TLS and headers": on every response, errors included.
struct SecurityHeader {
  std::string_view name;
  std::string_view value;
};
constexpr SecurityHeader kSecurityHeaders[] = {
    {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; "
     "frame-ancestors 'none'"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
};
constexpr std::size_t kHeaderCount = std::size(kSecurityHeaders);

// The headers' field enums (field::unknown for most), looked up once instead of per response.
const std::array<bhttp::field, kHeaderCount>& security_fields() {
  static const auto fields = [] {
    std::array<bhttp::field, kHeaderCount> out{};
    for (std::size_t i = 0; i < kHeaderCount; ++i) {
      out[i] = bhttp::string_to_field(kSecurityHeaders[i].name);
    }
    return out;
  }();
  return fields;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

}  // namespace

void finish(Response& res, unsigned version, bool keep_alive, bool cacheable) {
  // One pass over the few fields a handler set tells which of ours are already there; the
  // absent ones (all of them, nearly always) are inserted without the name lookup and the
  // search for duplicates that set() does. A present one is replaced as set() would.
  std::bitset<kHeaderCount> present;
  bool has_cache_control = false, has_server = false;
  for (const auto& field : res) {
    const auto name = field.name_string();
    has_cache_control = has_cache_control || field.name() == bhttp::field::cache_control;
    has_server = has_server || field.name() == bhttp::field::server;
    for (std::size_t i = 0; i < kHeaderCount; ++i) {
      if (iequals(name, kSecurityHeaders[i].name)) present.set(i);
    }
  }
  const auto& fields = security_fields();
  for (std::size_t i = 0; i < kHeaderCount; ++i) {
    const auto& [name, value] = kSecurityHeaders[i];
    if (present.test(i)) {
      res.set(name, value);
    } else {
      res.insert(fields[i], name, value);
    }
  }
  if (!cacheable) {
    res.set(bhttp::field::cache_control, "no-store");
  } else if (!has_cache_control) {
    res.set(bhttp::field::cache_control, "public, max-age=3600");
  }
  if (has_server) res.erase(bhttp::field::server);  // no version banner
  res.version(version);
  res.keep_alive(keep_alive);
  res.prepare_payload();
}

Response json_response(bhttp::status status, std::string body, const Request& req) {
  Response res{status, req.version()};
  res.set(bhttp::field::content_type, "application/json; charset=utf-8");
  res.body() = std::move(body);
  finish(res, req.version(), req.keep_alive());
  return res;
}

bhttp::status status_for(domain::ErrorCode code) {
  using domain::ErrorCode;
  switch (code) {
    case ErrorCode::kInvalidField:
    case ErrorCode::kInvalidRequest:
      return bhttp::status::bad_request;
    case ErrorCode::kUnauthorized:
      return bhttp::status::unauthorized;
    case ErrorCode::kForbidden:
    case ErrorCode::kCsrfFailed:
      return bhttp::status::forbidden;
    case ErrorCode::kNotFound:
      return bhttp::status::not_found;
    case ErrorCode::kMethodNotAllowed:
      return bhttp::status::method_not_allowed;
    case ErrorCode::kConflict:
    case ErrorCode::kInvalidTransition:
      return bhttp::status::conflict;
    case ErrorCode::kPayloadTooLarge:
      return bhttp::status::payload_too_large;
    case ErrorCode::kUnsupportedMediaType:
      return bhttp::status::unsupported_media_type;
    case ErrorCode::kRateLimited:
      return bhttp::status::too_many_requests;
    case ErrorCode::kUnavailable:
      return bhttp::status::service_unavailable;
    case ErrorCode::kInternal:
      return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

std::string error_body(std::string_view code, std::string_view message, std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  // Messages and fields are ours, but replace rather than throw on any invalid byte.
  return nlohmann::json{{"error", error}}.dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace);
}

Response error_response(const domain::Error& error, const Request& req) {
  auto res = json_response(
      status_for(error.code),
      error_body(domain::error_code_name(error.code), error.message, error.field), req);
  if (error.code == domain::ErrorCode::kRateLimited && error.retry_after_seconds > 0) {
    res.set(bhttp::field::retry_after, std::to_string(error.retry_after_seconds));
  }
  if (error.code == domain::ErrorCode::kUnauthorized) {
    res.set(bhttp::field::www_authenticate, "Bearer");
  }
  return res;
}

Response html_response(bhttp::status status, std::string body, const Request& req) {
  Response res{status, req.version()};
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  res.body() = std::move(body);
  finish(res, req.version(), req.keep_alive());
  return res;
}

Response redirect_response(std::string_view location, const Request& req) {
  Response res{bhttp::status::see_other, req.version()};
  res.set(bhttp::field::location, location);
  finish(res, req.version(), req.keep_alive());
  return res;
}

}  // namespace grievance::http
