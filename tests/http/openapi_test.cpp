// Keeps web/openapi.json true: every API route is described, and every described operation
// is a route.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "support/fakes.hpp"

namespace grievance::http {
namespace {

TEST(OpenApi, DescribesExactlyTheApiRoutes) {
  testing::FakeStores store;
  testing::FakeCrypto crypto;
  testing::SeededRandom random;
  testing::ManualClock clock;
  domain::Services service(store.ports(crypto, random, clock), {});
  const std::string web = std::string(GRIEVANCE_SOURCE_DIR) + "/web";
  AppDeps deps{service, web, ""};
  Router router;
  register_api_routes(router, deps);

  std::ifstream in(web + "/openapi.json");
  auto spec = nlohmann::json::parse(in);
  EXPECT_EQ(spec["openapi"].get<std::string>().substr(0, 2), "3.");

  std::set<std::pair<std::string, std::string>> routes, described;
  for (const auto& r : router.routes()) {
    std::string method(boost::beast::http::to_string(r.method));
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routes.emplace(r.pattern, method);
  }
  for (const auto& [path, ops] : spec["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      described.emplace(path, method);
      EXPECT_TRUE(op.contains("responses")) << path << " " << method;
    }
  }
  for (const auto& r : routes)
    EXPECT_TRUE(described.count(r)) << "undocumented: " << r.second << " " << r.first;
  for (const auto& d : described)
    EXPECT_TRUE(routes.count(d)) << "no such route: " << d.second << " " << d.first;
  EXPECT_GE(routes.size(), 10u);
}

}  // namespace
}  // namespace grievance::http
