// The JSON API (SPEC section 4, "HTTP"). Thin handlers: check the declared shape, call one
// domain function, map the result (GlobaLeaks handlers/whistleblower/submission.py).
#include <cctype>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "server/domain/access_policy.hpp"
#include "server/domain/validation.hpp"
#include "server/http/admin_api.hpp"
#include "server/http/api_common.hpp"
#include "server/http/auth.hpp"
#include "server/http/batch_input.hpp"
#include "server/http/case_json.hpp"
#include "server/http/files.hpp"
#include "server/http/json_input.hpp"
#include "server/http/receipt_json.hpp"
#include "server/http/responses.hpp"
#include "server/http/server_app.hpp"

namespace grievance::http {
namespace {

using domain::Error;
using domain::fail;
using nlohmann::json;

// Who files through POST /api/v1/complaints, and on which channel (SPEC section 4: "anyone, or
// union user"). No credentials: an anonymous worker (web). A complainant's session is only for
// following the own case, so its holder files like anyone (web) and needs no CSRF token (the
// session lends the filing no authority). A union user files for a worker (union; the union
// and the mandate are recorded). An admin may take a complaint in on a worker's behalf (api).
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

json error_json(const domain::Error& e, bool csv) {
  json j = {{"code", domain::error_code_name(e.code)}, {"message", e.message}};
  if (!e.field.empty()) j["field"] = csv ? csv_column_name(e.field) : e.field;
  return j;
}

Response signed_in_response(const domain::SignedIn& signed_in, const Request& req) {
  const auto ttl = signed_in.session.expires_at - signed_in.session.created_at;
  json j = {{"token", signed_in.token},
            {"role", domain::to_string(signed_in.session.role)},
            {"expires", domain::format_time(signed_in.session.expires_at)},
            {"csrf_token", signed_in.session.csrf_token}};
  auto res = json_response(bhttp::status::created, dump(j), req);
  res.set(bhttp::field::set_cookie, session_cookie(signed_in.token, static_cast<int>(ttl.count())));
  return res;
}

}  // namespace

void register_api_routes(Router& router, const AppDeps& deps) {
  using bhttp::verb;
  domain::Services& services = deps.services;
  domain::SessionService& sessions = services.sessions;
  domain::DirectoryService* admin = services.directory.get();
  const std::size_t body_limit = deps.body_limit;

  router.add(
      verb::get, "/healthz",
      [&services](Request& req, const RequestContext&, const PathParams&) {
        if (!services.healthy()) {
          return json_response(bhttp::status::service_unavailable, R"({"status":"unavailable"})",
                               req);
        }
        return json_response(bhttp::status::ok, R"({"status":"ok"})", req);
      },
      /*runs_inline=*/true);

  router.add(
      verb::get, "/api/v1/meta",
      [&services, &sessions](Request& req, const RequestContext&, const PathParams&) {
        json languages = json::array(), categories = json::array(), sectors = json::array(),
             statuses = json::array();
        for (auto v : domain::all_languages()) languages.push_back(domain::to_string(v));
        for (auto v : domain::all_categories()) categories.push_back(domain::to_string(v));
        for (auto v : domain::all_sectors()) sectors.push_back(domain::to_string(v));
        for (auto v : domain::all_case_statuses()) statuses.push_back(domain::to_string(v));
        const auto& cfg = services.config();
        json j = {{"languages", languages},
                  {"categories", categories},
                  {"sectors", sectors},
                  {"statuses", statuses},
                  {"channels", {"web", "union", "paper", "phone", "api"}},
                  {"deadlines_days",
                   {{"acknowledgement", cfg.ack_days},
                    {"response", cfg.response_days},
                    {"resolution", cfg.resolution_days}}},
                  {"limits",
                   {{"narrative_max_chars", cfg.limits.narrative_max_chars},
                    {"message_max_chars", cfg.limits.message_max_chars}}}};
        return json_response(bhttp::status::ok, dump(j), req);
      },
      /*runs_inline=*/true);

  router.add(
      verb::get, "/api/v1/sites",
      [&services, &sessions, admin](Request& req, const RequestContext&, const PathParams&) {
        // ?all=1 is the admin's listing (operator, disabled sites); without it, the public
        // picker of the complaint form.
        if (auto all = query_param(req.target(), "all")) {
          if (*all != "1") {
            return error_response(Error::invalid_field("all", "Must be 1 when given."), req);
          }
          return admin_site_listing(req, sessions, admin);
        }
        auto q = query_param(req.target(), "q");
        auto country = query_param(req.target(), "country");
        std::string qs = q.value_or(""), cs = country.value_or("");
        if (qs.size() > 100 || !domain::is_valid_utf8(qs)) {
          return error_response(Error::invalid_field("q", "At most 100 characters."), req);
        }
        if (!cs.empty() && (cs.size() != 2 || !std::isupper(static_cast<unsigned char>(cs[0])) ||
                            !std::isupper(static_cast<unsigned char>(cs[1])))) {
          return error_response(
              Error::invalid_field("country", "Must be a country code such as ID."), req);
        }
        auto sites = services.filing.find_sites(qs, cs, 200);
        if (!sites) return error_response(sites.error(), req);
        // The picker gets what a worker needs to recognise the workplace; no
        // company internals.
        json out = json::array();
        for (const auto& s : *sites) {
          out.push_back({{"id", s.id},
                         {"name", s.name},
                         {"country", s.country},
                         {"region", s.region},
                         {"sector", domain::to_string(s.sector)}});
        }
        return json_response(bhttp::status::ok, dump(json{{"sites", out}}), req);
      },
      /*runs_inline=*/true);

  router.add(
      verb::post, "/api/v1/complaints",
      [&services, &sessions, body_limit](Request& req, const RequestContext&, const PathParams&) {
        GRV_TRY(filer, filing_caller(req, sessions));
        GRV_CHECK(require_json_content_type(req));
        GRV_TRY(body, parse_json_body(req, body_limit));
        GRV_TRY(draft, complaint_draft_from_json(body));
        GRV_TRY(key, idempotency_key(req, "api:"));
        GRV_TRY(filed, services.filing.file_complaint(draft, filer.channel, key,
                                                      filer.session ? &*filer.session : nullptr));
        auto res = json_response(filed.replayed ? bhttp::status::ok : bhttp::status::created,
                                 dump(filed_json(filed)), req);
        res.set(bhttp::field::location, "/api/v1/cases/" + filed.filed.reference);
        return res;
      });

  // A union's digitised paper forms (issue 3 item 6): JSON array or CSV, each row filed or
  // answered with its error; the domain stores every valid row in one transaction.
  router.add(
      verb::post, "/api/v1/complaints/batch",
      [&services, &sessions, batch_body_limit = std::max(deps.batch_body_limit, body_limit)](
          Request& req, const RequestContext&, const PathParams&) {
        GRV_TRY(session, authenticate(req, sessions));
        if (!domain::may_file_batch(session.role)) {
          return error_response(Error::forbidden("Only a union files batches of complaints."), req);
        }
        GRV_TRY(key, idempotency_key(req, ""));  // the domain scopes it per union and row
        GRV_TRY(batch, read_batch(req, batch_body_limit));
        // Every row goes to the domain in its place (a row that could not be read as
        // an empty draft, which the domain refuses): the domain derives each row's
        // filing key from its position, so a retry after a corrected row lines up.
        std::vector<domain::ComplaintDraft> drafts;
        drafts.reserve(batch.rows.size());
        for (const auto& row : batch.rows) {
          drafts.push_back(row.draft.value_or(domain::ComplaintDraft{}));
        }
        GRV_TRY(result, services.filing.file_batch(session, drafts, key));
        json rows = json::array();
        int failed = 0;
        for (std::size_t i = 0; i < batch.rows.size(); ++i) {
          const auto& in = batch.rows[i];
          json row = {{"row", in.row}};
          if (batch.csv) row["line"] = in.line;
          const domain::BatchRowResult* out = i < result.rows.size() ? &result.rows[i] : nullptr;
          if (!in.draft || out == nullptr || !out->ok) {
            row["error"] = error_json(in.draft && out ? out->error : in.error, batch.csv);
            ++failed;
          } else {
            const json filed = filed_json(out->filed);
            for (const auto& [k, v] : filed.items()) row[k] = v;
          }
          rows.push_back(std::move(row));
        }
        json j = {{"stored", result.stored},
                  {"replayed", result.replayed},
                  {"failed", failed},
                  {"rows", rows}};
        return json_response(result.stored > 0 ? bhttp::status::created : bhttp::status::ok,
                             dump(j), req);
      });

  router.add(
      verb::post, "/api/v1/receipts/verify",
      [&services, &sessions, body_limit](Request& req, const RequestContext&, const PathParams&) {
        GRV_CHECK(require_json_content_type(req));
        GRV_TRY(body, parse_json_body(req, body_limit));
        GRV_TRY(receipt, receipt_from_json(body));
        const bool valid = services.filing.verify_receipt(receipt);
        json j = {{"valid", valid}};
        if (valid) {
          j["reference"] = receipt.reference;
          j["filed_at"] = domain::format_time(receipt.filed_at);
          j["content_sha256"] = receipt.content_sha256;
        }
        return json_response(bhttp::status::ok, dump(j), req);
      });

  // Sign-in: a complainant with reference and access code, or staff with e-mail, password
  // and (when enrolled or required) a TOTP code. One kind of credentials per request.
  router.add(
      verb::post, "/api/v1/session",
      [&services, &sessions, body_limit](Request& req, const RequestContext& ctx,
                                         const PathParams&) {
        GRV_CHECK(require_json_content_type(req));
        GRV_TRY(body, parse_json_body(req, body_limit));
        GRV_CHECK(require_object(body, {"reference", "access_code", "email", "password", "totp"}));
        const bool complainant = body.contains("reference") || body.contains("access_code");
        const bool staff =
            body.contains("email") || body.contains("password") || body.contains("totp");
        if (complainant && staff) {
          return error_response(
              Error::invalid_field("email",
                                   "Sign in either with reference and access code, or with "
                                   "e-mail and password, not both."),
              req);
        }
        if (staff) {
          GRV_TRY(email, get_string(body, "email"));
          GRV_TRY(password, get_string(body, "password"));
          GRV_TRY(totp, get_string(body, "totp"));
          if (!email || !password) {
            return error_response(Error::invalid_field(email ? "password" : "email", "Required."),
                                  req);
          }
          GRV_TRY(signed_in,
                  services.staff.sign_in(*email, *password, totp.value_or(""), ctx.client_address));
          return signed_in_response(signed_in, req);
        }
        GRV_TRY(reference, get_string(body, "reference"));
        GRV_TRY(code, get_string(body, "access_code"));
        if (!reference || !code) {
          return error_response(
              Error::invalid_field(reference ? "access_code" : "reference", "Required."), req);
        }
        GRV_TRY(signed_in, services.complainants.sign_in(*reference, *code, ctx.client_address));
        return signed_in_response(signed_in, req);
      });

  router.add(verb::delete_, "/api/v1/session",
             [&services, &sessions](Request& req, const RequestContext&, const PathParams&) {
               GRV_TRY(session, authenticate(req, sessions));
               (void)session;
               auto credentials = credentials_from(req);
               GRV_CHECK(sessions.sign_out(credentials->token));
               auto res = json_response(bhttp::status::ok, R"({"status":"signed_out"})", req);
               res.set(bhttp::field::set_cookie, clear_session_cookie());
               return res;
             });

  // A staff user enrols (or replaces) the TOTP second factor; the secret is shown once.
  router.add(
      verb::post, "/api/v1/session/totp",
      [&services, &sessions, body_limit](Request& req, const RequestContext&, const PathParams&) {
        GRV_TRY(session, authenticate(req, sessions));
        GRV_CHECK(require_empty_body(req, body_limit));
        GRV_TRY(enrolment, services.staff.enrol_totp(session));
        json j = {{"secret", enrolment.secret_base32}, {"otpauth_uri", enrolment.otpauth_uri}};
        return json_response(bhttp::status::ok, dump(j), req);
      });

  router.add(verb::get, "/api/v1/cases",
             [&services, &sessions](Request& req, const RequestContext&, const PathParams&) {
               GRV_TRY(session, authenticate(req, sessions));
               if (!domain::may_list_cases(session.role)) {
                 return error_response(Error::forbidden("This role has no case list."), req);
               }
               const std::string_view target = req.target();
               GRV_CHECK(require_query_params(
                   target, {"status", "company", "site", "country", "sector", "category", "overdue",
                            "q", "cursor", "limit", "triage"}));
               domain::CaseListRequest r;
               for (auto [name, slot] :
                    {std::pair{"status", &r.status}, std::pair{"company", &r.company},
                     std::pair{"site", &r.site}, std::pair{"country", &r.country},
                     std::pair{"sector", &r.sector}, std::pair{"category", &r.category},
                     std::pair{"overdue", &r.overdue}, std::pair{"q", &r.q},
                     std::pair{"cursor", &r.cursor}, std::pair{"limit", &r.limit}}) {
                 *slot = query_param(target, name).value_or("");
               }
               const auto triage = query_param(target, "triage").value_or("");
               if (triage == "1" || triage == "true") {
                 r.triage = true;
               } else if (!triage.empty() && triage != "0" && triage != "false") {
                 return error_response(Error::invalid_field("triage", "Must be true or false."),
                                       req);
               }
               GRV_TRY(page, services.casework.list_cases(session, r));
               return json_response(bhttp::status::ok, dump(case_page_json(page)), req);
             });

  router.add(
      verb::get, "/api/v1/cases/{reference}",
      [&services, &sessions](Request& req, const RequestContext&, const PathParams& p) {
        GRV_TRY(session, authenticate(req, sessions));
        GRV_TRY(view, services.casework.view_case(session, p.get("reference")));
        return json_response(bhttp::status::ok, dump(case_json(view)), req);
      },
      /*runs_inline=*/true);

  router.add(
      verb::post, "/api/v1/cases/{reference}/messages",
      [&services, &sessions, body_limit](Request& req, const RequestContext&, const PathParams& p) {
        GRV_TRY(session, authenticate(req, sessions));
        GRV_CHECK(require_json_content_type(req));
        GRV_TRY(body, parse_json_body(req, body_limit));
        GRV_CHECK(require_object(body, {"body", "visibility"}));
        GRV_TRY(text, get_string(body, "body"));
        GRV_TRY(visibility_name, get_string(body, "visibility"));
        if (!text) return error_response(Error::invalid_field("body", "Required."), req);
        auto visibility = domain::parse_visibility(visibility_name.value_or("parties"));
        if (!visibility) {
          return error_response(Error::invalid_field("visibility", "Must be parties or staff."),
                                req);
        }
        GRV_TRY(event,
                services.casework.post_message(session, p.get("reference"), *text, *visibility));
        return json_response(bhttp::status::created, dump(event_json(event)), req);
      });

  // Admin: route a triage case to a company (SPEC section 3, "Routing").
  router.add(
      verb::post, "/api/v1/cases/{reference}/assign",
      [&services, &sessions, body_limit](Request& req, const RequestContext&, const PathParams& p) {
        GRV_TRY(session, authenticate(req, sessions));
        GRV_CHECK(require_json_content_type(req));
        GRV_TRY(body, parse_json_body(req, body_limit));
        GRV_CHECK(require_object(body, {"org_id"}));
        GRV_TRY(org_id, get_int(body, "org_id"));
        if (!org_id) return error_response(Error::invalid_field("org_id", "Required."), req);
        GRV_TRY(view, services.casework.assign_case(session, p.get("reference"), *org_id));
        return json_response(bhttp::status::ok, dump(case_json(view)), req);
      });

  register_admin_routes(router, deps);

  // The OpenAPI description is a file kept true by tests/http/openapi_test.cpp.
  auto openapi =
      std::make_shared<std::string>(read_file(deps.web_dir + "/openapi.json").value_or(""));
  router.add(
      verb::get, "/api/v1/openapi.json",
      [openapi](Request& req, const RequestContext&, const PathParams&) {
        if (openapi->empty()) return error_response(Error::not_found(), req);
        return json_response(bhttp::status::ok, *openapi, req);
      },
      /*runs_inline=*/true);
}

}  // namespace grievance::http
