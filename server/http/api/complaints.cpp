// POST /api/v1/complaints (one complaint) and POST /api/v1/complaints/batch (a union's
// digitised paper forms, JSON array or CSV).
#include <algorithm>

#include "server/domain/access_policy.hpp"
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/batch_input.hpp"
#include "server/http/complaint_input.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {
namespace {

using domain::Error;
using domain::fail;

// Who files through POST /api/v1/complaints, and on which channel ("anyone, or union user").
// No credentials: an anonymous worker (web). A complainant's session is only for following
// the own case, so its holder files like anyone (web) and needs no CSRF token (the session
// lends the filing no authority). A union user files for a worker (union; the union and the
// mandate are recorded). An admin may take a complaint in on a worker's behalf (api).
// Companies and auditors never file: 403. Presented credentials must be valid (401), and a
// union's or admin's cookie needs the CSRF token like every cookie state change.
struct Filer {
  std::optional<domain::Session> session;  // the union user, when one files
  domain::Channel channel = domain::Channel::kWeb;
};

domain::Result<Filer> filing_caller(const Request& req, domain::SessionService& sessions) {
  auto credentials = credentials_from(req);
  if (!credentials) return Filer{};
  auto session = sessions.authenticate(credentials->token);
  if (!session) return fail(session.error());
  switch (session->role) {
    case domain::Role::kComplainant:
      return Filer{};
    case domain::Role::kUnion:
    case domain::Role::kAdmin:
      break;
    default:
      return fail(Error::forbidden("Companies and auditors do not file complaints."));
  }
  auto checked = authenticate(req, sessions);  // the CSRF check for cookies
  if (!checked) return fail(checked.error());
  if (session->role == domain::Role::kUnion) return Filer{*session, domain::Channel::kUnion};
  return Filer{std::nullopt, domain::Channel::kApi};
}

}  // namespace

Response file_complaint(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_TRY(filer, filing_caller(req, api.services.sessions));
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_TRY(draft, complaint_draft_from_json(body));
  GRV_TRY(key, idempotency_key(req, "api:"));
  GRV_TRY(filed, api.services.filing.file_complaint(draft, filer.channel, key,
                                                    filer.session ? &*filer.session : nullptr));
  auto res =
      answer(filed.replayed ? bhttp::status::ok : bhttp::status::created, req, [&](JsonWriter& w) {
        w.begin_object();
        write_filed_members(w, filed);
        w.end_object();
      });
  res.set(bhttp::field::location, "/api/v1/cases/" + filed.filed.reference);
  return res;
}

// Each row is filed or answered with its error; the domain stores every valid row in one
// transaction.
Response file_batch(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  if (!domain::may_file_batch(session.role)) {
    return error_response(Error::forbidden("Only a union files batches of complaints."), req);
  }
  GRV_TRY(key, idempotency_key(req, ""));  // the domain scopes it per union and row
  GRV_TRY(batch, read_batch(req, std::max(api.batch_body_limit, api.body_limit)));
  // Every row goes to the domain in its place (a row that could not be read as an empty
  // draft, which the domain refuses): the domain derives each row's filing key from its
  // position, so a retry after a corrected row lines up.
  std::vector<domain::ComplaintDraft> drafts;
  drafts.reserve(batch.rows.size());
  for (const auto& row : batch.rows) drafts.push_back(row.draft.value_or(domain::ComplaintDraft{}));
  // Without an Idempotency-Key the body itself is the key: the same file sent again by the
  // same union answers the first upload's result (issue 8), as on the staff page.
  GRV_TRY(result, api.services.filing.file_batch(session, drafts, key, req.body()));
  int failed = 0;
  for (std::size_t i = 0; i < batch.rows.size(); ++i) {
    if (!batch.rows[i].draft || i >= result.rows.size() || !result.rows[i].ok) ++failed;
  }
  return answer(
      result.stored > 0 ? bhttp::status::created : bhttp::status::ok, req, [&](JsonWriter& w) {
        w.begin_object()
            .field("stored", result.stored)
            .field("replayed", result.replayed)
            .field("failed", failed)
            .key("rows")
            .begin_array();
        for (std::size_t i = 0; i < batch.rows.size(); ++i) {
          const auto& in = batch.rows[i];
          const domain::BatchRowResult* out = i < result.rows.size() ? &result.rows[i] : nullptr;
          w.begin_object().field("row", in.row);
          if (batch.csv) w.field("line", in.line);
          if (!in.draft || out == nullptr || !out->ok) {
            w.key("error");
            write_error(w, in.draft && out ? out->error : in.error, batch.csv);
          } else {
            write_filed_members(w, out->filed);
          }
          w.end_object();
        }
        w.end_array().end_object();
      });
}

}  // namespace grievance::http::api
