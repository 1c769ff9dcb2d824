// GET /api/v1/stats and the statistics exports (issue 11; SPEC section 4; docs/domain.md
// "Statistics"). The domain decides the scope and the protection; this file reads the filters
// and writes the table (stats_format.hpp).
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/responses.hpp"
#include "server/http/stats_format.hpp"

namespace grievance::http::api {
namespace {

using domain::Error;

// The filters of /stats, or the first unknown parameter (400).
domain::Result<domain::StatsRequest> stats_request(std::string_view target) {
  if (auto ok = require_query_params(target, {"from", "to", "company", "site", "sector", "country",
                                              "category", "channel", "group_by"});
      !ok) {
    return domain::fail(ok.error());
  }
  domain::StatsRequest r;
  for (auto [name, slot] :
       {std::pair{"from", &r.from}, std::pair{"to", &r.to}, std::pair{"company", &r.company},
        std::pair{"site", &r.site}, std::pair{"sector", &r.sector},
        std::pair{"country", &r.country}, std::pair{"category", &r.category},
        std::pair{"channel", &r.channel}, std::pair{"group_by", &r.group_by}}) {
    *slot = query_param(target, name).value_or("");
  }
  return r;
}

// Exports are for the auditor and the operator (SPEC section 4); an organisation reads its own
// numbers through /stats and its pages.
bool may_export(domain::Role r) { return r == domain::Role::kAuditor || r == domain::Role::kAdmin; }

// The table as a file: CSV or JSON.
Response export_stats(const Api& api, Request& req, bool csv) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  if (!may_export(session.role)) {
    return error_response(Error::forbidden("Exports are for auditors and the operator."), req);
  }
  GRV_TRY(request, stats_request(req.target()));
  GRV_TRY(table, api.services.stats.table(session, request));
  Response res{bhttp::status::ok, req.version()};
  if (csv) {
    res.body() = stats_csv(table);
    res.set(bhttp::field::content_type, "text/csv; charset=utf-8; header=present");
  } else {
    JsonWriter w(res.body());
    write_stats_table(w, table);
    res.set(bhttp::field::content_type, "application/json; charset=utf-8");
  }
  res.set(bhttp::field::content_disposition,
          std::string("attachment; filename=\"grievance-stats.") + (csv ? "csv" : "json") + "\"");
  finish(res, req.version(), req.keep_alive());
  return res;
}

}  // namespace

Response stats(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(request, stats_request(req.target()));
  GRV_TRY(table, api.services.stats.table(session, request));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { write_stats_table(w, table); });
}

Response export_stats_csv(const Api& api, Request& req, const RequestContext&, const Params&) {
  return export_stats(api, req, true);
}
Response export_stats_json(const Api& api, Request& req, const RequestContext&, const Params&) {
  return export_stats(api, req, false);
}

}  // namespace grievance::http::api
