// The route table: what matches, what is 404 and what is 405 with which Allow, and the
// placeholders a handler sees. Also finish(), which every routed response goes through.
#include "server/http/router.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <stdexcept>
#include <string>

#include "server/http/responses.hpp"

namespace grievance::http {
namespace {

using bhttp::verb;

Handler answering(std::string body) {
  return [body](Request& req, const RequestContext&, const PathParams&) {
    Response res{bhttp::status::ok, req.version()};
    res.body() = body;
    return res;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(verb::get, "/healthz", answering("health"), /*runs_inline=*/true);
    router_.add(verb::get, "/api/v1/cases/{reference}", answering("case"), true);
    router_.add(verb::post, "/api/v1/cases/{reference}/messages", answering("message"));
    router_.add(verb::get, "/api/v1/cases/{reference}/messages", answering("messages"));
    router_.add(verb::post, "/api/v1/session", answering("sign in"));
    router_.add(verb::delete_, "/api/v1/session", answering("sign out"));
    router_.add(verb::patch, "/api/v1/users/{id}/keys/{key}", answering("key"));
    router_.add(verb::get, "/", answering("home"), true);
    router_.add(verb::get, "/static/{file}", answering("static"), true);
  }

  std::string pattern(verb method, std::string_view target) const {
    const auto m = router_.match(method, target);
    return m.route != nullptr ? m.route->pattern : std::string();
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralsAndPlaceholders) {
  EXPECT_EQ(pattern(verb::get, "/healthz"), "/healthz");
  EXPECT_EQ(pattern(verb::get, "/api/v1/cases/GRV-AAAA-AAAA"), "/api/v1/cases/{reference}");
  EXPECT_EQ(pattern(verb::post, "/api/v1/cases/GRV-AAAA-AAAA/messages"),
            "/api/v1/cases/{reference}/messages");
  EXPECT_EQ(pattern(verb::get, "/api/v1/cases/GRV-AAAA-AAAA/messages"),
            "/api/v1/cases/{reference}/messages");
  EXPECT_EQ(pattern(verb::get, "/"), "/");
  EXPECT_TRUE(router_.match(verb::get, "/healthz").route->runs_inline);
  EXPECT_FALSE(router_.match(verb::post, "/api/v1/session").route->runs_inline);
}

TEST_F(RouterTest, IgnoresTheQueryAndRepeatedSlashes) {
  EXPECT_EQ(pattern(verb::get, "/healthz?verbose=1"), "/healthz");
  EXPECT_EQ(pattern(verb::get, "/api//v1/cases/X?a=/b/"), "/api/v1/cases/{reference}");
  EXPECT_EQ(pattern(verb::get, "/?lang=nl"), "/");
}

TEST_F(RouterTest, HeadFindsTheGetRoute) {
  EXPECT_EQ(pattern(verb::head, "/healthz"), "/healthz");
  EXPECT_EQ(router_.match(verb::head, "/api/v1/session").route, nullptr);
  EXPECT_TRUE(router_.match(verb::head, "/api/v1/session").path_known);
}

TEST_F(RouterTest, UnknownPathsAreNotKnown) {
  for (std::string_view target :
       {"/healthz/", "/api/v1/cases/", "/api/v1/cases", "/nope", "/static", "/static/a/b",
        "/api/v1/cases/X/messages/more", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t"}) {
    const auto m = router_.match(verb::get, target);
    EXPECT_EQ(m.route, nullptr) << target;
    EXPECT_FALSE(m.path_known) << target;
  }
}

TEST_F(RouterTest, AnotherMethodIsKnownWithItsAllowList) {
  const auto m = router_.match(verb::get, "/api/v1/session");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(router_.allow("/api/v1/session"), "POST, DELETE");
  EXPECT_EQ(router_.allow("/api/v1/cases/X/messages?x=1"), "POST, GET");
  EXPECT_EQ(router_.allow("/nope"), "");
}

TEST_F(RouterTest, ParamsAreTheTargetsSegments) {
  const auto target = std::string_view("/api/v1/users/42/keys/k-1?x=/y");
  const auto m = router_.match(verb::patch, target);
  ASSERT_NE(m.route, nullptr);
  const PathParams params = Router::params(*m.route, target);
  EXPECT_EQ(params.get("id"), "42");
  EXPECT_EQ(params.get("key"), "k-1");
  EXPECT_EQ(params.get("other"), "");
}

TEST_F(RouterTest, TheFirstRegisteredRouteWins) {
  router_.add(verb::get, "/api/v1/cases/mine", answering("shadowed"));
  EXPECT_EQ(pattern(verb::get, "/api/v1/cases/mine"), "/api/v1/cases/{reference}");
}

TEST(Router, RefusesPatternsWithTooManyPlaceholders) {
  Router router;
  EXPECT_THROW(router.add(verb::get, "/{a}/{b}/{c}/{d}/{e}", answering("x")),
               std::invalid_argument);
  EXPECT_TRUE(router.routes().empty());
}

// finish() inserts the security headers without looking for them one by one; a header a
// handler already set is still replaced, never doubled.
TEST(Finish, AddsEachSecurityHeaderOnceAndKeepsAStaticAssetsCacheControl) {
  Response res{bhttp::status::ok, 11};
  res.set("x-frame-options", "SAMEORIGIN");
  res.set(bhttp::field::server, "banner/1.0");
  res.set(bhttp::field::cache_control, "public, max-age=31536000, immutable");
  res.body() = "x";
  finish(res, 11, true, /*cacheable=*/true);
  EXPECT_EQ(res.count("X-Frame-Options"), 1u);
  EXPECT_EQ(res["X-Frame-Options"], "DENY");
  EXPECT_EQ(res.count(bhttp::field::server), 0u);
  EXPECT_EQ(res[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  for (std::string_view name :
       {"Strict-Transport-Security", "Content-Security-Policy", "Referrer-Policy",
        "X-Content-Type-Options", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy",
        "Permissions-Policy"}) {
    EXPECT_EQ(res.count(name), 1u) << name;
  }
  EXPECT_EQ(res[bhttp::field::content_length], "1");

  finish(res, 11, false);  // again, not cacheable: still once each
  EXPECT_EQ(res.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  // The eight security headers, Cache-Control, Content-Length, Connection: close.
  EXPECT_EQ(std::distance(res.begin(), res.end()), 11);
}

}  // namespace
}  // namespace grievance::http
