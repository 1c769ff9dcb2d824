#include "server/http/pages/routes.hpp"

namespace grievance::http {

void register_page_routes(Router& router, const AppDeps& deps) {
  auto kit = std::make_shared<const pages::PageKit>(deps.web_dir);
  pages::register_worker_pages(router, deps, kit);
  pages::register_staff_pages(router, deps, kit);
}

}  // namespace grievance::http
