// The route tables of the two page families over one shared page kit; register_page_routes()
// (server_app.hpp, routes.cpp) builds the kit once and registers both.
#pragma once

#include <memory>

#include "server/http/pages/kit.hpp"
#include "server/http/router.hpp"
#include "server/http/server_app.hpp"

namespace grievance::http::pages {

// The worker pages, their no-JavaScript form posts, /static/ files and the router's fallback
// (worker/worker_pages.cpp). Throws at startup when a template they need is missing.
void register_worker_pages(Router& router, const AppDeps& deps, std::shared_ptr<const PageKit> kit);
// The staff pages (staff/staff_pages.cpp). Throws at startup when a template is missing.
void register_staff_pages(Router& router, const AppDeps& deps, std::shared_ptr<const PageKit> kit);

}  // namespace grievance::http::pages
