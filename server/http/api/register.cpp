// GET /api/v1/register (issue 11 item 6; docs/domain.md "Public register"): the public register
// as JSON, without signing in - the protected headline of the mechanism and one page of the
// cases their complainants listed. The domain decides every field (PublicRegister); this file
// reads the filters and writes the answer.
#include <cstdio>

#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/responses.hpp"
#include "server/http/stats_format.hpp"

namespace grievance::http::api {
namespace {

void write_entry(JsonWriter& w, const domain::RegisterEntry& e) {
  w.begin_object();
  w.key("reference").value(e.reference);
  w.key("company");
  if (e.company) {
    w.value(*e.company);
  } else {
    w.null();
  }
  w.key("country").value(e.country);
  w.key("sector");
  if (e.sector) {
    w.value(domain::to_string(*e.sector));
  } else {
    w.null();
  }
  w.key("categories").begin_array();
  for (auto c : e.categories) w.value(domain::to_string(c));
  w.end_array();
  w.key("status").value(domain::to_string(e.status));
  char month[16];
  std::snprintf(month, sizeof month, "%04d-%02u", static_cast<int>(e.filed.year()),
                static_cast<unsigned>(e.filed.month()));
  w.key("filed_month").value(std::string_view(month));
  w.key("closed_on");
  if (e.closed) {
    w.value(domain::format_date(*e.closed));
  } else {
    w.null();
  }
  w.key("outcome");
  if (e.outcome) {
    w.value(domain::to_string(*e.outcome));
  } else {
    w.null();
  }
  w.key("site");
  if (e.site) {
    w.value(*e.site);
  } else {
    w.null();
  }
  w.key("site_hidden").value(e.site_hidden);
  w.end_object();
}

// The filters of /register, or the first unknown parameter (400).
domain::Result<domain::RegisterRequest> register_request(std::string_view target) {
  if (auto ok = require_query_params(target, {"company", "country", "sector", "page"}); !ok) {
    return domain::fail(ok.error());
  }
  domain::RegisterRequest r;
  for (auto [name, slot] : {std::pair{"company", &r.company}, std::pair{"country", &r.country},
                            std::pair{"sector", &r.sector}, std::pair{"page", &r.page}}) {
    *slot = query_param(target, name).value_or("");
  }
  return r;
}

}  // namespace

Response public_register(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_TRY(request, register_request(req.target()));
  GRV_TRY(page, api.services.public_register.page(request));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object();
    w.key("k").value(page.k);
    w.key("year").value(page.year);
    w.key("headline").begin_object();
    w.key("all_time");
    write_stats_table(w, page.total);
    w.key("this_year");
    write_stats_table(w, page.this_year);
    w.end_object();
    w.key("cases").begin_array();
    for (const auto& e : page.entries) write_entry(w, e);
    w.end_array();
    w.key("page").value(page.page);
    w.key("next_page");
    if (page.has_next) {
      w.value(page.page + 1);
    } else {
      w.null();
    }
    w.end_object();
  });
}

}  // namespace grievance::http::api
