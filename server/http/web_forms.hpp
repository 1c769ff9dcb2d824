// Decoding what a browser sends without JavaScript: application/x-www-form-urlencoded bodies
// and query strings (WHATWG URL "application/x-www-form-urlencoded parser"), and the Cookie
// header (RFC 6265 section 5.4). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace grievance::http::web {

// Ordered name/value pairs; a name may repeat (checkboxes).
class FormData {
 public:
  // "+" is a space, "%XX" a byte; a malformed escape is kept literally (as browsers do).
  // Pairs without "=" get an empty value; empty pairs are skipped.
  static FormData parse(std::string_view urlencoded);

  // The first value of `name`, or "" when absent.
  std::string get(std::string_view name) const;
  // The first value, or nullopt when absent.
  std::optional<std::string> find(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string> all(std::string_view name) const;
  bool has(std::string_view name) const { return find(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// Percent-decoding with "+" as space.
std::string url_decode(std::string_view s);
// Percent-encoding of everything but unreserved characters (RFC 3986 section 2.3).
std::string url_encode(std::string_view s);

// The query string of a request target ("/a?b=c" -> "b=c"), or "" when none; and the path.
std::string_view target_query(std::string_view target);
std::string_view target_path(std::string_view target);

// `s` without the spaces and tabs around it (header items, cookie pairs, template tags).
std::string_view trim_blanks(std::string_view s);
// `s` in ASCII lower case: header names and values, language tags, codes (never user text).
std::string ascii_lower(std::string_view s);
// The media type of a Content-Type value, lower case, without its parameters and blanks
// ("Application/JSON; charset=utf-8" -> "application/json").
std::string media_type(std::string_view content_type);

// The value of cookie `name` in a Cookie header, or "" when absent.
std::string cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace grievance::http::web
