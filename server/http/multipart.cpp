#include "server/http/multipart.hpp"

#include <algorithm>

#include "server/http/web_forms.hpp"

namespace grievance::http::web {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// Parameters of a header value after its first ";": name=token or name="quoted\"string".
// Names are lower-cased. Returns false on an unterminated quoted string.
bool parse_parameters(std::string_view s, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    const std::size_t eq = s.find('=', i);
    const std::size_t semi = s.find(';', i);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
      // A parameter without a value: skip it.
      i = semi == std::string_view::npos ? s.size() : semi;
      continue;
    }
    std::string name = ascii_lower(trim_blanks(s.substr(i, eq - i)));
    i = eq + 1;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        const char c = s[i++];
        if (c == '\\' && i < s.size()) {
          value += s[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return false;
    } else {
      const std::size_t end = std::min(s.find(';', i), s.size());
      value = std::string(trim_blanks(s.substr(i, end - i)));
      i = end;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

// One part: header lines, an empty line, the body. False when malformed.
// The body is copied unless `body_at` is given: then only its offset in `raw` is stored there.
bool parse_part(std::string_view raw, const MultipartLimits& limits, MultipartPart& part,
                std::size_t* body_at = nullptr) {
  const std::size_t header_end = raw.starts_with(kCrlf) ? 0 : raw.find("\r\n\r\n");
  if (header_end == std::string_view::npos || header_end > limits.max_header_bytes) return false;
  std::string_view headers = raw.substr(0, header_end);
  const std::size_t body_start = header_end == 0 ? 2 : header_end + 4;
  if (body_at) {
    *body_at = body_start;
  } else {
    part.body = std::string(raw.substr(body_start));
  }
  bool has_disposition = false;
  while (!headers.empty()) {
    const std::size_t eol = headers.find(kCrlf);
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string name = ascii_lower(trim_blanks(line.substr(0, colon)));
    const std::string_view value = trim_blanks(line.substr(colon + 1));
    if (name == "content-disposition") {
      const std::size_t semi = value.find(';');
      if (ascii_lower(trim_blanks(value.substr(0, semi))) != "form-data") return false;
      std::vector<std::pair<std::string, std::string>> params;
      if (semi != std::string_view::npos && !parse_parameters(value.substr(semi + 1), params)) {
        return false;
      }
      for (auto& [k, v] : params) {
        if (k == "name" && !has_disposition) {
          part.name = v;
          has_disposition = true;
        } else if (k == "filename" && !part.filename) {
          part.filename = v;
        }
      }
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  return has_disposition && !part.name.empty();
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  if (media_type(content_type) != "multipart/form-data") return std::nullopt;
  if (semi == std::string_view::npos) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> params;
  if (!parse_parameters(content_type.substr(semi + 1), params)) return std::nullopt;
  for (auto& [k, v] : params) {
    if (k != "boundary") continue;
    if (v.empty() || v.size() > 70) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

std::optional<MultipartForm> MultipartForm::parse(std::string_view body, std::string_view boundary,
                                                  const MultipartLimits& limits) {
  return parse_impl(body, boundary, limits, {}, nullptr);
}

std::optional<MultipartForm> MultipartForm::parse_in_place(std::string& body,
                                                           std::string_view boundary,
                                                           std::string_view file_field,
                                                           const MultipartLimits& limits) {
  std::optional<std::pair<std::size_t, std::size_t>> span;
  auto form = parse_impl(body, boundary, limits, file_field, &span);
  if (!form) return std::nullopt;
  if (span) {
    // Only the file's bytes stay, moved to the front of the same buffer: no second copy.
    body.resize(span->first + span->second);
    body.erase(0, span->first);
    for (auto& part : form->parts_) {
      if (part.name == file_field) {
        part.body = std::move(body);
        body.clear();
        break;
      }
    }
  }
  return form;
}

std::optional<MultipartForm> MultipartForm::parse_impl(
    std::string_view body, std::string_view boundary, const MultipartLimits& limits,
    std::string_view file_field, std::optional<std::pair<std::size_t, std::size_t>>* file_span) {
  if (boundary.empty()) return std::nullopt;
  const std::string delimiter = "--" + std::string(boundary);
  const std::string inner = "\r\n" + delimiter;  // a delimiter after the first

  // The first delimiter opens the body or follows the preamble's CRLF.
  std::size_t pos;
  if (body.starts_with(delimiter)) {
    pos = delimiter.size();
  } else {
    pos = body.find(inner);
    if (pos == std::string_view::npos) return std::nullopt;
    pos += inner.size();
  }

  MultipartForm form;
  for (;;) {
    if (body.substr(pos).starts_with("--")) return form;  // the close delimiter
    // Transport padding (RFC 2046: linear white space) before the line break.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (!body.substr(pos).starts_with(kCrlf)) return std::nullopt;
    pos += kCrlf.size();
    const std::size_t end = body.find(inner, pos);
    if (end == std::string_view::npos) return std::nullopt;  // never closed
    if (form.parts_.size() >= limits.max_parts) return std::nullopt;
    MultipartPart part;
    std::size_t body_at = 0;
    const bool in_place = file_span != nullptr && !*file_span;
    if (!parse_part(body.substr(pos, end - pos), limits, part, in_place ? &body_at : nullptr)) {
      return std::nullopt;
    }
    if (in_place && part.name == file_field) {
      *file_span = std::pair{pos + body_at, end - pos - body_at};
    } else if (in_place) {
      part.body = std::string(body.substr(pos + body_at, end - pos - body_at));
    }
    form.parts_.push_back(std::move(part));
    pos = end + inner.size();
  }
}

const MultipartPart* MultipartForm::find(std::string_view name) const {
  for (const auto& p : parts_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string MultipartForm::get(std::string_view name) const {
  const MultipartPart* p = find(name);
  return p ? p->body : std::string();
}

}  // namespace grievance::http::web
