// The admin's management API: /api/v1/organisations, /users, /sites, /supply-links, each
// with list, create, read, partial update (PATCH) and DELETE (= disable, answering the
// disabled record). Admin only: 401 without a session, 403 for every other role (these are not
// cases: the routes' existence is no secret). Path ids are positive integers (anything else is
// 404). Each named handler below is one line over the five generic ones, which take a Kind:
// the record's domain functions and its JSON.
#include "server/domain/access_policy.hpp"
#include "server/domain/directory_service.hpp"
#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/json_input.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {
namespace {

using domain::DirectoryService;
using domain::Error;
using domain::fail;
using domain::Session;
using nlohmann::json;

// The caller, when it is an admin: 401 without (valid) credentials, CSRF for cookies, 403 for
// every other role.
domain::Result<Session> admin_session(const Request& req, const Api& api) {
  auto s = authenticate(req, api.services.sessions);
  if (!s) return s;
  if (!domain::may_administer(s->role)) {
    return fail(
        Error::forbidden("Only an administrator may manage organisations, users, sites "
                         "and supply links."));
  }
  if (api.services.directory == nullptr) {
    return fail(Error::unavailable("Administration is not available."));
  }
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

// ---- one record kind's five handlers ---------------------------------------------------

template <class Record, class Draft>
struct Kind {
  std::string_view list_key;  // "organisations": the member holding a listing
  void (*write)(JsonWriter&, const Record&);
  domain::Result<Draft> (*draft)(const json& body, bool create);
  domain::Result<std::vector<Record>> (DirectoryService::*list)(const Session&);
  domain::Result<Record> (DirectoryService::*get)(const Session&, std::int64_t);
  domain::Result<Record> (DirectoryService::*create)(const Session&, const Draft&);
  domain::Result<Record> (DirectoryService::*update)(const Session&, std::int64_t, const Draft&);
};

const Kind<domain::Organisation, domain::OrganisationDraft> kOrganisations{
    "organisations",
    write_organisation,
    organisation_draft,
    &DirectoryService::list_organisations,
    &DirectoryService::get_organisation,
    &DirectoryService::create_organisation,
    &DirectoryService::update_organisation};
const Kind<domain::User, domain::UserDraft> kUsers{"users",
                                                   write_user,
                                                   user_draft,
                                                   &DirectoryService::list_users,
                                                   &DirectoryService::get_user,
                                                   &DirectoryService::create_user,
                                                   &DirectoryService::update_user};
const Kind<domain::Site, domain::SiteDraft> kSites{"sites",
                                                   write_site,
                                                   site_draft,
                                                   &DirectoryService::list_sites,
                                                   &DirectoryService::get_site,
                                                   &DirectoryService::create_site,
                                                   &DirectoryService::update_site};
const Kind<domain::SupplyLink, domain::SupplyLinkDraft> kSupplyLinks{
    "supply_links",
    write_supply_link,
    supply_link_draft,
    &DirectoryService::list_supply_links,
    &DirectoryService::get_supply_link,
    &DirectoryService::create_supply_link,
    &DirectoryService::update_supply_link};

template <class R, class D>
Response list_of(const Kind<R, D>& kind, const Api& api, Request& req) {
  GRV_TRY(session, admin_session(req, api));
  GRV_TRY(records, (api.services.directory.get()->*kind.list)(session));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) {
    w.begin_object().key(kind.list_key).begin_array();
    for (const auto& r : records) kind.write(w, r);
    w.end_array().end_object();
  });
}

template <class R, class D>
Response create_of(const Kind<R, D>& kind, const Api& api, Request& req, std::string_view path) {
  GRV_TRY(session, admin_session(req, api));
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_TRY(draft, kind.draft(body, /*create=*/true));
  GRV_TRY(created, (api.services.directory.get()->*kind.create)(session, draft));
  auto res = answer(bhttp::status::created, req, [&](JsonWriter& w) { kind.write(w, created); });
  res.set(bhttp::field::location, std::string(path) + "/" + std::to_string(created.id));
  return res;
}

template <class R, class D>
Response get_of(const Kind<R, D>& kind, const Api& api, Request& req, const Params& p) {
  GRV_TRY(session, admin_session(req, api));
  auto id = parse_path_id(p.get("id"));
  if (!id) return error_response(Error::not_found(), req);
  GRV_TRY(record, (api.services.directory.get()->*kind.get)(session, *id));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { kind.write(w, record); });
}

template <class R, class D>
Response update_of(const Kind<R, D>& kind, const Api& api, Request& req, const Params& p) {
  GRV_TRY(session, admin_session(req, api));
  auto id = parse_path_id(p.get("id"));
  if (!id) return error_response(Error::not_found(), req);
  GRV_CHECK(require_json_content_type(req));
  GRV_TRY(body, parse_json_body(req, api.body_limit));
  GRV_TRY(draft, kind.draft(body, /*create=*/false));
  GRV_TRY(updated, (api.services.directory.get()->*kind.update)(session, *id, draft));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { kind.write(w, updated); });
}

// DELETE disables: history (cases, events, links) keeps pointing at the record.
template <class R, class D>
Response disable_of(const Kind<R, D>& kind, const Api& api, Request& req, const Params& p) {
  GRV_TRY(session, admin_session(req, api));
  auto id = parse_path_id(p.get("id"));
  if (!id) return error_response(Error::not_found(), req);
  D draft;
  draft.disabled = true;
  GRV_TRY(updated, (api.services.directory.get()->*kind.update)(session, *id, draft));
  return answer(bhttp::status::ok, req, [&](JsonWriter& w) { kind.write(w, updated); });
}

}  // namespace

// ---- organisations ----
Response list_organisations(const Api& api, Request& req, const RequestContext&, const Params&) {
  return list_of(kOrganisations, api, req);
}
Response create_organisation(const Api& api, Request& req, const RequestContext&, const Params&) {
  return create_of(kOrganisations, api, req, "/api/v1/organisations");
}
Response get_organisation(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return get_of(kOrganisations, api, req, p);
}
Response update_organisation(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return update_of(kOrganisations, api, req, p);
}
Response disable_organisation(const Api& api, Request& req, const RequestContext&,
                              const Params& p) {
  return disable_of(kOrganisations, api, req, p);
}

// ---- users ----
Response list_users(const Api& api, Request& req, const RequestContext&, const Params&) {
  return list_of(kUsers, api, req);
}
Response create_user(const Api& api, Request& req, const RequestContext&, const Params&) {
  return create_of(kUsers, api, req, "/api/v1/users");
}
Response get_user(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return get_of(kUsers, api, req, p);
}
Response update_user(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return update_of(kUsers, api, req, p);
}
Response disable_user(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return disable_of(kUsers, api, req, p);
}

// ---- sites ----
Response list_sites(const Api& api, Request& req, const RequestContext&, const Params&) {
  return list_of(kSites, api, req);
}
Response create_site(const Api& api, Request& req, const RequestContext&, const Params&) {
  return create_of(kSites, api, req, "/api/v1/sites");
}
Response get_site(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return get_of(kSites, api, req, p);
}
Response update_site(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return update_of(kSites, api, req, p);
}
Response disable_site(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return disable_of(kSites, api, req, p);
}

// ---- supply links ----
Response list_supply_links(const Api& api, Request& req, const RequestContext&, const Params&) {
  return list_of(kSupplyLinks, api, req);
}
Response create_supply_link(const Api& api, Request& req, const RequestContext&, const Params&) {
  return create_of(kSupplyLinks, api, req, "/api/v1/supply-links");
}
Response get_supply_link(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return get_of(kSupplyLinks, api, req, p);
}
Response update_supply_link(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return update_of(kSupplyLinks, api, req, p);
}
Response disable_supply_link(const Api& api, Request& req, const RequestContext&, const Params& p) {
  return disable_of(kSupplyLinks, api, req, p);
}

}  // namespace grievance::http::api
