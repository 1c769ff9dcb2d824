// The admin's management API (issue 3 item 1): /api/v1/organisations, /api/v1/users,
// /api/v1/sites, /api/v1/supply-links, each with list, create, read, partial update (PATCH)
// and DELETE (= disable, answering the disabled record). Admin only: 401 without a session,
// 403 forbidden for every other role. Path ids are positive integers (anything else is 404).
#pragma once

#include <nlohmann/json.hpp>

#include "server/http/router.hpp"
#include "server/http/server_app.hpp"

namespace grievance::http {

void register_admin_routes(Router& router, const AppDeps& deps);

// GET /api/v1/sites?all=1: the admin's listing (operator, disabled sites too); the public
// picker without all=1 lives in api.cpp.
Response admin_site_listing(Request& req, domain::SessionService& sessions,
                            domain::DirectoryService* admin);

nlohmann::json organisation_json(const domain::Organisation& o);
nlohmann::json site_json(const domain::Site& s);
nlohmann::json supply_link_json(const domain::SupplyLink& l);
// Never the password hash or the TOTP secret: only whether one is enrolled.
nlohmann::json user_json(const domain::User& u);

}  // namespace grievance::http
