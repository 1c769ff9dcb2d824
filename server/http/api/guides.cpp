// The follow-up guides (issue 10 item 6; docs/domain.md "Follow-up guides"):
// GET /api/v1/guides/{category}?lang=  (union, company, admin) the guide in force;
// PUT /api/v1/guides/{category}?lang=  (admin) replaces it;
// DELETE /api/v1/guides/{category}?lang=  (admin) back to the shipped default.
// Each section is an array of lines (bullets); `lang` defaults to en. An unknown category is 404.
#include "server/domain/follow_up_guides.hpp"
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {
namespace {

using domain::Error;

struct GuideKey {
  domain::Category category;
  domain::Language language;
};

domain::Result<GuideKey> guide_key(const Request& req, const Params& p) {
  auto category = domain::parse_category(p.get("category"));
  if (!category) return domain::fail(Error::not_found("No such category."));
  if (auto s = require_query_params(req.target(), {"lang"}); !s) return domain::fail(s.error());
  const auto lang_text = query_param(req.target(), "lang");
  auto language = domain::parse_language(lang_text.value_or("en"));
  if (!language) return domain::fail(Error::invalid_field("lang", "One of en, nl, id, vi, fr."));
  return GuideKey{*category, *language};
}

Response guide_answer(Request& req, const domain::Guide& g) {
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object()
        .field("category", domain::to_string(g.category))
        .field("language", domain::to_string(g.language))
        .field("edited", g.edited);
    if (g.updated_at) w.field("updated_at", domain::format_time(*g.updated_at));
    const std::string* sections[] = {&g.text.check, &g.text.involve, &g.text.remedies,
                                     &g.text.pitfalls};
    for (std::size_t i = 0; i < 4; ++i) {
      w.key(domain::kGuideSections[i]).begin_array();
      for (std::string_view line : domain::guide_lines(*sections[i])) w.value(line);
      w.end_array();
    }
    w.end_object();
  });
}

}  // namespace

Response get_guide(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(key, guide_key(req, p));
  GRV_TRY(guide, api.services.guides.guide(session, key.category, key.language));
  return guide_answer(req, guide);
}

// {"check": [lines], "involve": [...], "remedies": [...], "pitfalls": [...]}: every section,
// each an array of lines (absent: empty).
Response put_guide(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(key, guide_key(req, p));
  GRV_TRY(body,
          json_object_body(req, api.body_limit, {"check", "involve", "remedies", "pitfalls"}));
  domain::GuideText text;
  std::string* sections[] = {&text.check, &text.involve, &text.remedies, &text.pitfalls};
  for (std::size_t i = 0; i < 4; ++i) {
    GRV_TRY(lines, get_string_array(body, domain::kGuideSections[i]));
    for (const std::string& line : lines.value_or(std::vector<std::string>{})) {
      if (!sections[i]->empty()) *sections[i] += '\n';
      *sections[i] += line;
    }
  }
  GRV_TRY(guide, api.services.guides.update(session, key.category, key.language, text));
  return guide_answer(req, guide);
}

Response reset_guide(const Api& api, Request& req, const RequestContext&, const Params& p) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(key, guide_key(req, p));
  GRV_TRY(guide, api.services.guides.reset(session, key.category, key.language));
  return guide_answer(req, guide);
}

}  // namespace grievance::http::api
