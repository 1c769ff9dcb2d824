// Decoding multipart/form-data (RFC 7578 on the RFC 2046 section 5.1 syntax): what a browser
// sends for a form with <input type="file">, without JavaScript. Minimal on purpose - it
// serves the union's batch upload of a CSV file (issue 3 item 6): parts with a
// Content-Disposition "form-data" name, an optional filename and Content-Type; no nested
// multipart, no Content-Transfer-Encoding (RFC 7578 section 4.7 deprecates it).
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace grievance::http::web {

struct MultipartPart {
  std::string name;                     // the form field's name
  std::optional<std::string> filename;  // set for a file input (possibly empty: none chosen)
  std::string content_type;             // of the part; "" when the part names none
  std::string body;                     // the bytes, as sent
};

// Limits a client cannot exceed (the body size itself is bounded by net).
struct MultipartLimits {
  std::size_t max_parts = 32;
  std::size_t max_header_bytes = 4096;  // one part's header block
};

// The boundary of a Content-Type "multipart/form-data; boundary=..." (quoted or not);
// nullopt when the type is another one or the boundary is missing or not 1..70 characters
// (RFC 2046 section 5.1.1).
std::optional<std::string> multipart_boundary(std::string_view content_type);

class MultipartForm {
 public:
  // Parses `body` split by `boundary`. nullopt when the body is malformed: no opening or
  // closing delimiter, a part without a form-data Content-Disposition and name, a header
  // block over the limit, more parts than the limit. A preamble and an epilogue are ignored.
  static std::optional<MultipartForm> parse(std::string_view body, std::string_view boundary,
                                            const MultipartLimits& limits = {});

  // Like parse(), but the first part named `file_field` is not copied: `body` is cut down in
  // place to that part's bytes and moved into it (a 20 MB photo is never held twice); `body`
  // is left empty when the part was found, unchanged otherwise. The other parts are copied.
  static std::optional<MultipartForm> parse_in_place(std::string& body, std::string_view boundary,
                                                     std::string_view file_field,
                                                     const MultipartLimits& limits = {});

  // The first part named `name`, or null.
  const MultipartPart* find(std::string_view name) const;
  // The body of the first part named `name`, or "" when absent.
  std::string get(std::string_view name) const;
  const std::vector<MultipartPart>& parts() const { return parts_; }

 private:
  static std::optional<MultipartForm> parse_impl(
      std::string_view body, std::string_view boundary, const MultipartLimits& limits,
      std::string_view file_field, std::optional<std::pair<std::size_t, std::size_t>>* file_span);
  std::vector<MultipartPart> parts_;
};

}  // namespace grievance::http::web
