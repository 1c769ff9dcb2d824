#include "server/http/api/common.hpp"

#include <algorithm>
#include <cctype>

#include "server/domain/validation.hpp"
#include "server/http/json_input.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http {

using domain::Error;
using domain::fail;

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  return web::FormData::parse(web::target_query(target)).find(name);
}

domain::Status require_query_params(std::string_view target,
                                    std::initializer_list<std::string_view> allowed) {
  const auto form = web::FormData::parse(web::target_query(target));
  for (const auto& [name, value] : form.pairs()) {
    (void)value;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string shown = domain::is_valid_utf8(name) && name.size() <= 64 ? name : "query";
      return fail(Error::invalid_field(shown, "Unknown query parameter."));
    }
  }
  return {};
}

std::optional<std::int64_t> parse_path_id(std::string_view segment) {
  if (segment.empty() || segment.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

domain::Result<std::string> idempotency_key(const Request& req, std::string_view scope) {
  auto it = req.find("Idempotency-Key");
  if (it == req.end()) return std::string();
  std::string_view v = it->value();
  const bool ok = v.size() >= 16 && v.size() <= 128 && std::all_of(v.begin(), v.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                           c == '.' || c == ':';
                  });
  if (!ok) {
    return fail(Error::invalid_field("Idempotency-Key",
                                     "Must be 16 to 128 letters, digits or . _ : - characters."));
  }
  return std::string(scope) + std::string(v);
}

domain::Status require_empty_body(const Request& req, std::size_t limit) {
  if (req.body().empty()) return {};
  if (auto s = require_json_content_type(req); !s) return s;
  auto body = parse_json_body(req, limit);
  if (!body) return fail(body.error());
  return require_object(*body, {});
}

}  // namespace grievance::http
