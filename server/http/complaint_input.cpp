#include "server/http/complaint_input.hpp"

#include "server/http/json_input.hpp"

namespace grievance::http {
namespace {

using domain::Error;
using domain::fail;
using nlohmann::json;

}  // namespace

domain::Result<domain::ComplaintDraft> complaint_draft_from_json(const json& body) {
  using R = domain::Result<domain::ComplaintDraft>;
  if (auto s =
          require_object(body, {"language", "categories", "narrative", "site_id", "place",
                                "country", "incident_date", "anonymous", "contact", "mandate"});
      !s) {
    return R(std::unexpect, s.error());
  }
  domain::ComplaintDraft d;
  auto language = get_string(body, "language");
  if (!language) return fail(language.error());
  d.language = *language;
  auto categories = get_string_array(body, "categories");
  if (!categories) return fail(categories.error());
  d.categories = *categories;
  auto narrative = get_string(body, "narrative");
  if (!narrative) return fail(narrative.error());
  d.narrative = *narrative;
  auto site_id = get_int(body, "site_id");
  if (!site_id) return fail(site_id.error());
  d.site_id = *site_id;
  auto place = get_string(body, "place");
  if (!place) return fail(place.error());
  d.place = *place;
  auto country = get_string(body, "country");
  if (!country) return fail(country.error());
  d.country = *country;
  auto incident_date = get_string(body, "incident_date");
  if (!incident_date) return fail(incident_date.error());
  d.incident_date = *incident_date;
  auto anonymous = get_bool(body, "anonymous");
  if (!anonymous) return fail(anonymous.error());
  d.anonymous = *anonymous;

  if (auto it = body.find("contact"); it != body.end() && !it->is_null()) {
    if (auto s = require_object(*it, {"name", "phone", "email"}, "contact.", "contact"); !s) {
      return fail(s.error());
    }
    domain::ContactDraft c;
    for (auto [key, slot] :
         {std::pair{"name", &c.name}, std::pair{"phone", &c.phone}, std::pair{"email", &c.email}}) {
      auto v = get_string(*it, key, "contact.");
      if (!v) return fail(v.error());
      *slot = *v;
    }
    d.contact = c;
  }
  if (auto it = body.find("mandate"); it != body.end() && !it->is_null()) {
    if (auto s = require_object(
            *it, {"follow", "share_identity_with_company", "collective", "headcount"}, "mandate.",
            "mandate");
        !s) {
      return fail(s.error());
    }
    domain::Mandate m;
    for (auto [key, slot] :
         {std::pair{"follow", &m.follow},
          std::pair{"share_identity_with_company", &m.share_identity_with_company},
          std::pair{"collective", &m.collective}}) {
      auto v = get_bool(*it, key, "mandate.");
      if (!v) return fail(v.error());
      *slot = v->value_or(false);
    }
    auto headcount = get_int(*it, "headcount", "mandate.");
    if (!headcount) return fail(headcount.error());
    if (headcount->value_or(0) < 0 || headcount->value_or(0) > 1000000) {
      return fail(Error::invalid_field("mandate.headcount", "Out of range."));
    }
    m.headcount = static_cast<int>(headcount->value_or(0));
    d.mandate = m;
  }
  return d;
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
