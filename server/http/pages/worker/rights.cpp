// GET /rights (issue 10 item 6; docs/domain.md "Workers' rights and other avenues"): a worker's
// rights at work and the other places to get help in their country - the National Contact
// Point for the OECD Guidelines, the labour inspectorate, legal aid, unions - chosen with
// ?country= (the receipt and the case page preselect the workplace's country). A country the
// table does not know gets the generic advice. No request leaves for another site: the bodies'
// addresses are plain links the worker may follow. Works with JavaScript off.
#include "server/domain/validation.hpp"
#include "server/domain/worker_avenues.hpp"
#include "server/http/pages/worker/worker_pages.hpp"

namespace grievance::http::pages::worker {
namespace {

using domain::Language;
using nlohmann::json;

json avenue_json(const PageKit& kit, Language l, const domain::Avenue& a) {
  const std::string kind(domain::to_string(a.kind));
  json out = {{"kind", kit.text(l, "rights_kind_" + kind)},
              {"what", kit.text(l, "rights_kind_" + kind + "_text")},
              {"name", std::string(a.name)}};
  if (a.contact.starts_with("https://")) {
    out["href"] = std::string(a.contact);
    out["contact"] = std::string(a.contact.substr(8));
  } else if (!a.contact.empty()) {
    out["contact"] = std::string(a.contact);
  }
  return out;
}

}  // namespace

std::string rights_href(Language lang, std::string_view country) {
  std::string href = "/rights?lang=" + lang_code(lang);
  if (domain::is_country_code(country)) href += "&country=" + std::string(country);
  return href;
}

Response rights_page(const WorkerPages& pages, Request& req) {
  const PageKit& kit = pages.kit();
  const auto lang = language_of(req);
  const Language l = lang.lang;
  const FormData query = query_of(req);
  std::string country = query.get("country");
  for (char& ch : country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (!domain::is_country_code(country)) country.clear();

  json data = kit.base_data(l);
  std::vector<std::string> codes;
  for (const auto& c : domain::avenue_countries()) codes.emplace_back(c.country);
  if (!country.empty()) codes.push_back(country);
  data["countries"] = kit.country_options(l, codes, country);
  data["ncp_list"] = std::string(domain::kNcpListUrl);
  if (!country.empty()) {
    data["chosen"] = true;
    data["country_title"] =
        kit.format(l, "rights_country_title", {{"country", kit.country_name(l, country)}});
    if (const domain::CountryAvenues* known = domain::avenues_of(country)) {
      json avenues = json::array();
      for (const domain::Avenue& a : known->avenues) avenues.push_back(avenue_json(kit, l, a));
      data["avenues"] = std::move(avenues);
      data["no_ncp"] = !known->has_ncp;
    } else {
      data["unknown_country"] = true;
    }
  }
  return pages.render(req, lang, {bhttp::status::ok, "rights_title", "rights", "/rights"}, data);
}

}  // namespace grievance::http::pages::worker
