#include "server/http/admin_api.hpp"

#include <string>

#include "server/domain/access_policy.hpp"
#include "server/domain/directory_service.hpp"
#include "server/http/api_common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http {
namespace {

using domain::DirectoryService;
using domain::Error;
using domain::fail;
using domain::Session;
using nlohmann::json;

// The caller, when it is an admin: 401 without (valid) credentials, CSRF for cookies, 403 for
// every other role (these are not cases: the route's existence is no secret).
domain::Result<Session> admin_session(const Request& req, domain::SessionService& sessions,
                                      DirectoryService* admin) {
  auto s = authenticate(req, sessions);
  if (!s) return s;
  if (!domain::may_administer(s->role)) {
    return fail(
        Error::forbidden("Only an administrator may manage organisations, users, sites "
                         "and supply links."));
  }
  if (admin == nullptr) return fail(Error::unavailable("Administration is not available."));
  return s;
}

// A JSON member that may be null: nullopt when absent, `if_null` when null.
template <class T>
domain::Result<std::optional<T>> nullable_int(const json& body, std::string_view key,
                                              std::optional<T> if_null) {
  if (auto it = body.find(key); it != body.end() && it->is_null()) return if_null;
  return get_int(body, key);
}

// ---- drafts from request bodies -----------------------------------------------------------

domain::Result<domain::OrganisationDraft> organisation_draft(const json& body, bool create) {
  auto shape = create ? require_object(body, {"kind", "name", "country", "disabled"})
                      : require_object(body, {"name", "country", "disabled"});
  if (!shape) return fail(shape.error());
  domain::OrganisationDraft d;
  auto kind = get_string(body, "kind");
  if (!kind) return fail(kind.error());
  d.kind = *kind;
  auto name = get_string(body, "name");
  if (!name) return fail(name.error());
  d.name = *name;
  auto country = get_string(body, "country");
  if (!country) return fail(country.error());
  d.country = *country;
  auto disabled = get_bool(body, "disabled");
  if (!disabled) return fail(disabled.error());
  d.disabled = *disabled;
  return d;
}

domain::Result<domain::SiteDraft> site_draft(const json& body, bool create) {
  if (auto s = require_object(
          body, {"name", "country", "region", "sector", "operator_org_id", "disabled"});
      !s) {
    return fail(s.error());
  }
  domain::SiteDraft d;
  for (auto [key, slot] : {std::pair{"name", &d.name}, std::pair{"country", &d.country},
                           std::pair{"region", &d.region}, std::pair{"sector", &d.sector}}) {
    auto v = get_string(body, key);
    if (!v) return fail(v.error());
    *slot = *v;
  }
  // PATCH {"operator_org_id": null} removes the operator (the domain's 0).
  auto op = nullable_int<std::int64_t>(body, "operator_org_id",
                                       create ? std::nullopt : std::optional<std::int64_t>(0));
  if (!op) return fail(op.error());
  d.operator_org_id = *op;
  auto disabled = get_bool(body, "disabled");
  if (!disabled) return fail(disabled.error());
  d.disabled = *disabled;
  return d;
}

domain::Result<domain::SupplyLinkDraft> supply_link_draft(const json& body, bool create) {
  auto shape = create
                   ? require_object(body, {"supplier_org_id", "buyer_org_id", "sector", "disabled"})
                   : require_object(body, {"disabled"});
  if (!shape) return fail(shape.error());
  domain::SupplyLinkDraft d;
  auto supplier = get_int(body, "supplier_org_id");
  if (!supplier) return fail(supplier.error());
  d.supplier_org_id = *supplier;
  auto buyer = get_int(body, "buyer_org_id");
  if (!buyer) return fail(buyer.error());
  d.buyer_org_id = *buyer;
  auto sector = get_string(body, "sector");
  if (!sector) return fail(sector.error());
  d.sector = *sector;
  auto disabled = get_bool(body, "disabled");
  if (!disabled) return fail(disabled.error());
  d.disabled = *disabled;
  return d;
}

domain::Result<domain::UserDraft> user_draft(const json& body, bool /*create*/) {
  if (auto s = require_object(body, {"email", "role", "org_id", "password", "disabled"}); !s) {
    return fail(s.error());
  }
  domain::UserDraft d;
  for (auto [key, slot] : {std::pair{"email", &d.email}, std::pair{"role", &d.role},
                           std::pair{"password", &d.password}}) {
    auto v = get_string(body, key);
    if (!v) return fail(v.error());
    *slot = *v;
  }
  auto org = get_int(body, "org_id");
  if (!org) return fail(org.error());
  d.org_id = *org;
  auto disabled = get_bool(body, "disabled");
  if (!disabled) return fail(disabled.error());
  d.disabled = *disabled;
  return d;
}

// ---- one resource's five routes -----------------------------------------------------------

template <class Record, class Draft>
struct Crud {
  std::string path;      // "/api/v1/organisations"
  std::string list_key;  // "organisations"
  json (*to_json)(const Record&);
  domain::Result<Draft> (*from_json)(const json&, bool create);
  domain::Result<std::vector<Record>> (DirectoryService::*list)(const Session&);
  domain::Result<Record> (DirectoryService::*get)(const Session&, std::int64_t);
  domain::Result<Record> (DirectoryService::*create)(const Session&, const Draft&);
  domain::Result<Record> (DirectoryService::*update)(const Session&, std::int64_t, const Draft&);
  bool add_list = true;  // false for sites: GET /api/v1/sites is the public picker
};

template <class Record, class Draft>
void add_crud(Router& router, const AppDeps& deps, const Crud<Record, Draft>& crud) {
  using bhttp::verb;
  domain::SessionService* sessions = &deps.services.sessions;
  DirectoryService* admin = deps.services.directory.get();
  const std::size_t body_limit = deps.body_limit;
  const std::string item_path = crud.path + "/{id}";

  if (crud.add_list) {
    router.add(verb::get, crud.path,
               [sessions, admin, crud](Request& req, const RequestContext&, const PathParams&) {
                 GRV_TRY(session, admin_session(req, *sessions, admin));
                 GRV_TRY(records, (admin->*crud.list)(session));
                 json out = json::array();
                 for (const auto& r : records) out.push_back(crud.to_json(r));
                 return json_response(bhttp::status::ok, dump(json{{crud.list_key, out}}), req);
               });
  }
  router.add(
      verb::post, crud.path,
      [sessions, admin, crud, body_limit](Request& req, const RequestContext&, const PathParams&) {
        GRV_TRY(session, admin_session(req, *sessions, admin));
        GRV_CHECK(require_json_content_type(req));
        GRV_TRY(body, parse_json_body(req, body_limit));
        GRV_TRY(draft, crud.from_json(body, /*create=*/true));
        GRV_TRY(created, (admin->*crud.create)(session, draft));
        auto res = json_response(bhttp::status::created, dump(crud.to_json(created)), req);
        res.set(bhttp::field::location, crud.path + "/" + std::to_string(created.id));
        return res;
      });
  router.add(
      verb::get, item_path,
      [sessions, admin, crud](Request& req, const RequestContext&, const PathParams& p) {
        GRV_TRY(session, admin_session(req, *sessions, admin));
        auto id = parse_path_id(p.get("id"));
        if (!id) return error_response(Error::not_found(), req);
        GRV_TRY(record, (admin->*crud.get)(session, *id));
        return json_response(bhttp::status::ok, dump(crud.to_json(record)), req);
      },
      /*runs_inline=*/true);
  router.add(verb::patch, item_path,
             [sessions, admin, crud, body_limit](Request& req, const RequestContext&,
                                                 const PathParams& p) {
               GRV_TRY(session, admin_session(req, *sessions, admin));
               auto id = parse_path_id(p.get("id"));
               if (!id) return error_response(Error::not_found(), req);
               GRV_CHECK(require_json_content_type(req));
               GRV_TRY(body, parse_json_body(req, body_limit));
               GRV_TRY(draft, crud.from_json(body, /*create=*/false));
               GRV_TRY(updated, (admin->*crud.update)(session, *id, draft));
               return json_response(bhttp::status::ok, dump(crud.to_json(updated)), req);
             });
  router.add(verb::delete_, item_path,
             [sessions, admin, crud](Request& req, const RequestContext&, const PathParams& p) {
               GRV_TRY(session, admin_session(req, *sessions, admin));
               auto id = parse_path_id(p.get("id"));
               if (!id) return error_response(Error::not_found(), req);
               Draft draft;
               draft.disabled = true;  // "delete" disables: history keeps pointing at it
               GRV_TRY(updated, (admin->*crud.update)(session, *id, draft));
               return json_response(bhttp::status::ok, dump(crud.to_json(updated)), req);
             });
}

}  // namespace

json organisation_json(const domain::Organisation& o) {
  return {{"id", o.id},
          {"kind", domain::to_string(o.kind)},
          {"name", o.name},
          {"country", o.country},
          {"disabled", o.disabled}};
}

json site_json(const domain::Site& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"country", s.country},
          {"region", s.region},
          {"sector", domain::to_string(s.sector)},
          {"operator_org_id", s.operator_org_id ? json(*s.operator_org_id) : json()},
          {"disabled", s.disabled}};
}

json supply_link_json(const domain::SupplyLink& l) {
  return {{"id", l.id},
          {"supplier_org_id", l.supplier_org_id},
          {"buyer_org_id", l.buyer_org_id},
          {"sector", l.sector ? json(domain::to_string(*l.sector)) : json()},
          {"disabled", l.disabled}};
}

json user_json(const domain::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"role", domain::to_string(u.role)},
          {"org_id", u.org_id ? json(*u.org_id) : json()},
          {"disabled", u.disabled},
          {"totp_enrolled", !u.totp_secret.empty()},
          {"created_at", domain::format_time(u.created_at)}};
}

Response admin_site_listing(Request& req, domain::SessionService& sessions,
                            DirectoryService* admin) {
  GRV_TRY(session, admin_session(req, sessions, admin));
  GRV_TRY(sites, admin->list_sites(session));
  json out = json::array();
  for (const auto& s : sites) out.push_back(site_json(s));
  return json_response(bhttp::status::ok, dump(json{{"sites", out}}), req);
}

void register_admin_routes(Router& router, const AppDeps& deps) {
  add_crud(router, deps,
           Crud<domain::Organisation, domain::OrganisationDraft>{
               "/api/v1/organisations", "organisations", organisation_json, organisation_draft,
               &DirectoryService::list_organisations, &DirectoryService::get_organisation,
               &DirectoryService::create_organisation, &DirectoryService::update_organisation});
  add_crud(router, deps,
           Crud<domain::User, domain::UserDraft>{
               "/api/v1/users", "users", user_json, user_draft, &DirectoryService::list_users,
               &DirectoryService::get_user, &DirectoryService::create_user,
               &DirectoryService::update_user});
  add_crud(router, deps,
           Crud<domain::Site, domain::SiteDraft>{
               "/api/v1/sites", "sites", site_json, site_draft, &DirectoryService::list_sites,
               &DirectoryService::get_site, &DirectoryService::create_site,
               &DirectoryService::update_site,
               /*add_list=*/false});
  add_crud(router, deps,
           Crud<domain::SupplyLink, domain::SupplyLinkDraft>{
               "/api/v1/supply-links", "supply_links", supply_link_json, supply_link_draft,
               &DirectoryService::list_supply_links, &DirectoryService::get_supply_link,
               &DirectoryService::create_supply_link, &DirectoryService::update_supply_link});
}

}  // namespace grievance::http
