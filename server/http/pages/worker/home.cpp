// GET /: what the mechanism is for and what happens after a complaint, with the domain's
// time frames (UNGP 31(c)).
#include "server/http/pages/worker/worker_pages.hpp"

namespace grievance::http::pages::worker {

Response home(const WorkerPages& pages, Request& req) {
  const PageKit& kit = pages.kit();
  const auto& config = pages.services().config();
  const auto lang = language_of(req);
  nlohmann::json data = kit.base_data(lang.lang);
  data["signed_out"] = query_of(req).get("signed_out") == "1";
  data["home_step_3"] =
      kit.format(lang.lang, "home_step_3", {{"days", std::to_string(config.ack_days)}});
  data["home_step_4"] = kit.format(lang.lang, "home_step_4",
                                   {{"days", std::to_string(config.response_days)},
                                    {"resolution_days", std::to_string(config.resolution_days)}});
  return pages.render(req, lang, {bhttp::status::ok, "home_title", "home", "/"}, data);
}

}  // namespace grievance::http::pages::worker
