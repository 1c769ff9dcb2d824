// The JSON API (SPEC section 4, "HTTP"). Thin handlers: check the declared shape, call one
// domain function, map the result (GlobaLeaks handlers/whistleblower/submission.py).
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/domain/codes.hpp"
#include "server/http/auth.hpp"
#include "server/http/files.hpp"
#include "server/http/json_input.hpp"
#include "server/http/receipt_json.hpp"
#include "server/http/responses.hpp"
#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http {
namespace {

using domain::Error;
using domain::fail;
using nlohmann::json;

// Unwraps a domain Result inside a handler: on error, return the mapped error response.
#define GRV_TRY(var, expr)                                             \
  auto var##_result = (expr);                                          \
  if (!var##_result) return error_response(var##_result.error(), req); \
  auto& var = *var##_result

#define GRV_CHECK(expr)                                                                        \
  do {                                                                                         \
    if (auto grv_status = (expr); !grv_status) return error_response(grv_status.error(), req); \
  } while (0)

// A query parameter, decoded as browsers encode it; nullopt when absent.
std::optional<std::string> query(std::string_view target, std::string_view name) {
  return web::FormData::parse(web::target_query(target)).find(name);
}

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

// "Idempotency-Key: <16..128 of [A-Za-z0-9._:-]>" makes a retried POST answer the first one
// (scoped "api:" so it never meets a web form's nonce). Empty when absent.
domain::Result<std::string> idempotency_key(const Request& req) {
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
  return "api:" + std::string(v);
}

json event_json(const domain::CaseEvent& e) {
  json j = {{"seq", e.seq},
            {"at", domain::format_time(e.at)},
            {"type", domain::to_string(e.type)},
            {"actor_role", domain::to_string(e.actor_role)},
            {"visibility", domain::to_string(e.visibility)}};
  if (e.from_status) j["from_status"] = domain::to_string(*e.from_status);
  if (e.to_status) j["to_status"] = domain::to_string(*e.to_status);
  if (!e.body.empty()) j["body"] = e.body;
  return j;
}

json case_json(const domain::CaseView& v, domain::CaseStore& store) {
  const auto& c = v.c;
  const auto& k = c.complaint;
  json categories = json::array();
  for (auto cat : k.categories) categories.push_back(domain::to_string(cat));
  json site = nullptr;
  if (k.site_id) {
    if (auto s = store.find_site(*k.site_id); s && s->has_value()) {
      site = {{"id", (*s)->id},
              {"name", (*s)->name},
              {"country", (*s)->country},
              {"region", (*s)->region},
              {"sector", domain::to_string((*s)->sector)}};
    }
  }
  json stages = json::array();
  for (const auto& s : v.stages) {
    json st = {{"stage", domain::to_string(s.stage)},
               {"indicative_days", s.indicative_days},
               {"reached", s.reached},
               {"current", s.current}};
    if (s.due) st["due"] = domain::format_time(*s.due);
    stages.push_back(st);
  }
  json events = json::array();
  for (const auto& e : v.events) events.push_back(event_json(e));
  json j = {
      {"reference", c.reference},
      {"status", domain::to_string(c.status)},
      {"channel", domain::to_string(k.channel)},
      {"language", domain::to_string(k.language)},
      {"categories", categories},
      {"narrative", k.narrative},
      {"site", site},
      {"place", k.place},
      {"country", k.country},
      {"incident_date", k.incident_date ? json(domain::format_date(*k.incident_date)) : json()},
      {"anonymous", k.anonymous},
      {"created_at", domain::format_time(c.created_at)},
      {"updated_at", domain::format_time(c.updated_at)},
      {"deadlines",
       {{"ack_due", domain::format_time(c.deadlines.ack_due)},
        {"response_due", domain::format_time(c.deadlines.response_due)},
        {"resolution_due", domain::format_time(c.deadlines.resolution_due)}}},
      {"stages", stages},
      {"events", events}};
  if (v.show_contact && k.contact) {
    j["contact"] = {
        {"name", k.contact->name}, {"phone", k.contact->phone}, {"email", k.contact->email}};
  }
  return j;
}

}  // namespace

void register_api_routes(Router& router, const AppDeps& deps) {
  using bhttp::verb;
  auto& cases = deps.cases;
  auto& store = deps.store;
  const std::size_t body_limit = deps.body_limit;

  router.add(
      verb::get, "/healthz",
      [&store](Request& req, const RequestContext&, const PathParams&) {
        if (!store.healthy()) {
          return json_response(bhttp::status::service_unavailable, R"({"status":"unavailable"})",
                               req);
        }
        return json_response(bhttp::status::ok, R"({"status":"ok"})", req);
      },
      /*runs_inline=*/true);

  router.add(
      verb::get, "/api/v1/meta",
      [&cases](Request& req, const RequestContext&, const PathParams&) {
        json languages = json::array(), categories = json::array(), sectors = json::array(),
             statuses = json::array();
        for (auto v : domain::all_languages()) languages.push_back(domain::to_string(v));
        for (auto v : domain::all_categories()) categories.push_back(domain::to_string(v));
        for (auto v : domain::all_sectors()) sectors.push_back(domain::to_string(v));
        for (auto v : domain::all_case_statuses()) statuses.push_back(domain::to_string(v));
        const auto& cfg = cases.config();
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
      [&store](Request& req, const RequestContext&, const PathParams&) {
        auto q = query(req.target(), "q");
        auto country = query(req.target(), "country");
        std::string qs = q.value_or(""), cs = country.value_or("");
        if (qs.size() > 100 || !domain::is_valid_utf8(qs)) {
          return error_response(Error::invalid_field("q", "At most 100 characters."), req);
        }
        if (!cs.empty() && (cs.size() != 2 || !std::isupper(static_cast<unsigned char>(cs[0])) ||
                            !std::isupper(static_cast<unsigned char>(cs[1])))) {
          return error_response(
              Error::invalid_field("country", "Must be a country code such as ID."), req);
        }
        auto sites = store.search_sites(qs, cs, 200);
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

  router.add(verb::post, "/api/v1/complaints",
             [&cases, body_limit](Request& req, const RequestContext&, const PathParams&) {
               GRV_CHECK(require_json_content_type(req));
               GRV_TRY(body, parse_json_body(req, body_limit));
               GRV_TRY(draft, complaint_draft_from_json(body));
               GRV_TRY(key, idempotency_key(req));
               GRV_TRY(filed, cases.file_complaint(draft, domain::Channel::kWeb, key));
               json j = {{"reference", filed.filed.reference},
                         {"status", domain::to_string(filed.filed.status)},
                         {"ack_due", domain::format_time(filed.filed.deadlines.ack_due)},
                         {"receipt", receipt_to_json(filed.receipt)}};
               if (filed.replayed) {
                 // The code is never stored, so a retry cannot show it again.
                 j["replayed"] = true;
               } else {
                 j["access_code"] = filed.access_code;
                 j["access_code_grouped"] = domain::group_access_code(filed.access_code);
               }
               auto res = json_response(filed.replayed ? bhttp::status::ok : bhttp::status::created,
                                        dump(j), req);
               res.set(bhttp::field::location, "/api/v1/cases/" + filed.filed.reference);
               return res;
             });

  router.add(verb::post, "/api/v1/receipts/verify",
             [&cases, body_limit](Request& req, const RequestContext&, const PathParams&) {
               GRV_CHECK(require_json_content_type(req));
               GRV_TRY(body, parse_json_body(req, body_limit));
               GRV_TRY(receipt, receipt_from_json(body));
               const bool valid = cases.verify_receipt(receipt);
               json j = {{"valid", valid}};
               if (valid) {
                 j["reference"] = receipt.reference;
                 j["filed_at"] = domain::format_time(receipt.filed_at);
                 j["content_sha256"] = receipt.content_sha256;
               }
               return json_response(bhttp::status::ok, dump(j), req);
             });

  router.add(
      verb::post, "/api/v1/session",
      [&cases, body_limit](Request& req, const RequestContext& ctx, const PathParams&) {
        GRV_CHECK(require_json_content_type(req));
        GRV_TRY(body, parse_json_body(req, body_limit));
        GRV_CHECK(require_object(body, {"reference", "access_code", "email", "password", "totp"}));
        GRV_TRY(reference, get_string(body, "reference"));
        GRV_TRY(code, get_string(body, "access_code"));
        if (!reference || !code) {
          return error_response(
              Error::invalid_field(reference ? "access_code" : "reference", "Required."), req);
        }
        GRV_TRY(signed_in, cases.sign_in_complainant(*reference, *code, ctx.client_address));
        const auto ttl = signed_in.session.expires_at - signed_in.session.created_at;
        json j = {{"token", signed_in.token},
                  {"role", domain::to_string(signed_in.session.role)},
                  {"expires", domain::format_time(signed_in.session.expires_at)},
                  {"csrf_token", signed_in.session.csrf_token}};
        auto res = json_response(bhttp::status::created, dump(j), req);
        res.set(bhttp::field::set_cookie,
                session_cookie(signed_in.token, static_cast<int>(ttl.count())));
        return res;
      });

  router.add(verb::delete_, "/api/v1/session",
             [&cases](Request& req, const RequestContext&, const PathParams&) {
               GRV_TRY(session, authenticate(req, cases));
               (void)session;
               auto credentials = credentials_from(req);
               GRV_CHECK(cases.sign_out(credentials->token));
               auto res = json_response(bhttp::status::ok, R"({"status":"signed_out"})", req);
               res.set(bhttp::field::set_cookie, clear_session_cookie());
               return res;
             });

  router.add(
      verb::get, "/api/v1/cases/{reference}",
      [&cases, &store](Request& req, const RequestContext&, const PathParams& p) {
        GRV_TRY(session, authenticate(req, cases));
        GRV_TRY(view, cases.view_case(session, p.get("reference")));
        return json_response(bhttp::status::ok, dump(case_json(view, store)), req);
      },
      /*runs_inline=*/true);

  router.add(verb::post, "/api/v1/cases/{reference}/messages",
             [&cases, body_limit](Request& req, const RequestContext&, const PathParams& p) {
               GRV_TRY(session, authenticate(req, cases));
               GRV_CHECK(require_json_content_type(req));
               GRV_TRY(body, parse_json_body(req, body_limit));
               GRV_CHECK(require_object(body, {"body", "visibility"}));
               GRV_TRY(text, get_string(body, "body"));
               GRV_TRY(visibility_name, get_string(body, "visibility"));
               if (!text) return error_response(Error::invalid_field("body", "Required."), req);
               auto visibility = domain::parse_visibility(visibility_name.value_or("parties"));
               if (!visibility) {
                 return error_response(
                     Error::invalid_field("visibility", "Must be parties or staff."), req);
               }
               GRV_TRY(event, cases.post_message(session, p.get("reference"), *text, *visibility));
               return json_response(bhttp::status::created, dump(event_json(event)), req);
             });

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
