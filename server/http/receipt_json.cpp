#include "server/http/receipt_json.hpp"

#include "server/http/json_input.hpp"

namespace grievance::http {

nlohmann::json receipt_to_json(const domain::Receipt& r) {
  return {{"reference", r.reference},
          {"filed_at", domain::format_time(r.filed_at)},
          {"content_sha256", r.content_sha256},
          {"key_id", r.key_id},
          {"signature", r.signature}};
}

domain::Result<domain::Receipt> receipt_from_json(const nlohmann::json& body) {
  using domain::Error;
  using domain::fail;
  if (!body.is_object()) {
    return fail(Error{domain::ErrorCode::kInvalidRequest, "A receipt is a JSON object.", {}});
  }
  const nlohmann::json& r = body.contains("receipt") ? body["receipt"] : body;
  if (auto s = require_object(r, {"reference", "filed_at", "content_sha256", "key_id", "signature"},
                              {}, "receipt");
      !s) {
    return fail(s.error());
  }
  domain::Receipt receipt;
  for (auto [key, slot] :
       {std::pair{"reference", &receipt.reference},
        std::pair{"content_sha256", &receipt.content_sha256}, std::pair{"key_id", &receipt.key_id},
        std::pair{"signature", &receipt.signature}}) {
    auto v = get_string(r, key);
    if (!v) return fail(v.error());
    if (!*v) return fail(Error::invalid_field(key, "Required."));
    *slot = **v;
  }
  auto filed_at = get_string(r, "filed_at");
  if (!filed_at) return fail(filed_at.error());
  auto t = *filed_at ? domain::parse_time(**filed_at) : std::nullopt;
  if (!t) return fail(Error::invalid_field("filed_at", "Must be a UTC time."));
  receipt.filed_at = *t;
  return receipt;
}

}  // namespace grievance::http
