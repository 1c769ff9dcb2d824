#include "server/http/json_input.hpp"

#include "server/domain/validation.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http {
namespace {

using domain::Error;
using domain::fail;

std::string field_name(std::string_view prefix, std::string_view key) {
  return std::string(prefix) + std::string(key);
}

Error wrong_type(std::string_view prefix, std::string_view key, std::string_view type) {
  return Error::invalid_field(field_name(prefix, key), "Must be " + std::string(type) + ".");
}

// Offset of the first byte that makes `s` invalid UTF-8 (s.size() when valid).
std::size_t first_invalid_utf8(std::string_view s) {
  std::size_t lo = 0, hi = s.size();
  if (domain::is_valid_utf8(s)) return s.size();
  // Binary search on prefixes; a prefix cut inside a sequence looks invalid too, so step back
  // to a character boundary when checking.
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    std::size_t cut = mid;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    if (domain::is_valid_utf8(s.substr(0, cut))) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo == 0 ? 0 : lo - 1;
}

// The name of the JSON member whose value contains offset `pos` (best effort).
std::string member_before(std::string_view body, std::size_t pos) {
  auto colon = body.rfind(':', pos);
  while (colon != std::string_view::npos) {
    auto close = body.find_last_not_of(" \t\r\n", colon == 0 ? 0 : colon - 1);
    if (close != std::string_view::npos && body[close] == '"') {
      auto open = body.rfind('"', close == 0 ? 0 : close - 1);
      if (open != std::string_view::npos) {
        return std::string(body.substr(open + 1, close - open - 1));
      }
    }
    if (colon == 0) break;
    colon = body.rfind(':', colon - 1);
  }
  return "body";
}

}  // namespace

domain::Status require_json_content_type(const Request& req) {
  auto it = req.find(bhttp::field::content_type);
  std::string_view ct = it == req.end() ? std::string_view{} : std::string_view(it->value());
  if (web::media_type(ct) != "application/json") {
    return fail(
        Error{domain::ErrorCode::kUnsupportedMediaType, "Send the body as application/json.", {}});
  }
  return {};
}

domain::Result<nlohmann::json> parse_json_body(const Request& req, std::size_t limit) {
  const std::string& body = req.body();
  if (body.size() > limit) {
    return fail(Error{domain::ErrorCode::kPayloadTooLarge, "The request body is too large.", {}});
  }
  if (auto bad = first_invalid_utf8(body); bad < body.size()) {
    return fail(Error::invalid_field(member_before(body, bad), "Must be valid UTF-8 text."));
  }
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return fail(Error{domain::ErrorCode::kInvalidRequest, "The body is not valid JSON.", {}});
  }
  return j;
}

domain::Status require_object(const nlohmann::json& j,
                              std::initializer_list<std::string_view> allowed,
                              std::string_view prefix, std::string_view name) {
  if (!j.is_object()) {
    if (prefix.empty()) {
      return fail(Error{domain::ErrorCode::kInvalidRequest, "The body must be a JSON object.", {}});
    }
    return fail(Error::invalid_field(std::string(name), "Must be an object."));
  }
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (auto a : allowed) known = known || a == key;
    if (!known) return fail(Error::invalid_field(field_name(prefix, key), "Unknown field."));
  }
  return {};
}

domain::Result<std::optional<std::string>> get_string(const nlohmann::json& obj,
                                                      std::string_view key,
                                                      std::string_view prefix) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return fail(wrong_type(prefix, key, "a string"));
  return std::optional<std::string>(it->get<std::string>());
}

domain::Result<std::optional<bool>> get_bool(const nlohmann::json& obj, std::string_view key,
                                             std::string_view prefix) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return fail(wrong_type(prefix, key, "true or false"));
  return std::optional<bool>(it->get<bool>());
}

domain::Result<std::optional<std::int64_t>> get_int(const nlohmann::json& obj, std::string_view key,
                                                    std::string_view prefix) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::int64_t>();
  if (it->is_number_unsigned()) {
    auto v = it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(INT64_MAX))
      return fail(wrong_type(prefix, key, "an integer"));
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v));
  }
  if (!it->is_number_integer()) return fail(wrong_type(prefix, key, "an integer"));
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

domain::Result<std::optional<std::vector<std::string>>> get_string_array(const nlohmann::json& obj,
                                                                         std::string_view key,
                                                                         std::string_view prefix) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::vector<std::string>>();
  if (!it->is_array()) return fail(wrong_type(prefix, key, "an array of strings"));
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) return fail(wrong_type(prefix, key, "an array of strings"));
    out.push_back(v.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

domain::Result<nlohmann::json> json_object_body(const Request& req, std::size_t limit,
                                                std::initializer_list<std::string_view> allowed) {
  if (auto s = require_json_content_type(req); !s) return domain::fail(s.error());
  auto body = parse_json_body(req, limit);
  if (!body) return body;
  if (auto s = require_object(*body, allowed); !s) return domain::fail(s.error());
  return body;
}

}  // namespace grievance::http
