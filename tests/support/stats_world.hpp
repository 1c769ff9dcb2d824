// The world of the statistics handler tests (tests/http/stats_api_test.cpp,
// stats_pages_test.cpp): two companies (A with two estates, B with a mill), a union, an auditor
// organisation and a user of each role over the in-memory fakes, and the App to call. Each test
// files its own cases (file()).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "support/fakes.hpp"

namespace grievance::testing {

class StatsWorld : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "correct horse battery staple";

  explicit StatsWorld(domain::TimePoint start) : clock_(start) {
    const auto org = [this](domain::OrgKind kind, const char* name) {
      return *store_.directory().create_organisation(domain::Organisation{0, kind, name, "ID"});
    };
    a_ = org(domain::OrgKind::kCompany, "PT Sawit A");
    b_ = org(domain::OrgKind::kCompany, "PT Pabrik B");
    union_ = org(domain::OrgKind::kUnion, "Serikat");
    const auto auditor_org = org(domain::OrgKind::kAuditor, "Audit");
    const auto site = [this](const char* name, std::int64_t op) {
      return *store_.directory().create_site(
          domain::Site{0, name, "ID", "Riau", domain::Sector::kPalmOil, op});
    };
    a1_ = site("Kebun A1", a_);
    a2_ = site("Kebun A2", a_);
    b1_ = site("Pabrik B1", b_);
    add_user("admin@stats.example", "admin");
    add_user("a@stats.example", "company", a_);
    add_user("b@stats.example", "company", b_);
    add_user("union@stats.example", "union", union_);
    add_user("auditor@stats.example", "auditor", auditor_org);
    app_ = http::make_app(
        http::AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }

  void add_user(const std::string& email, const std::string& role,
                std::optional<std::int64_t> org = std::nullopt) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org;
    d.password = kPassword;
    auto u = domain::new_user(store_.directory(), store_.accounts(), *hasher_, d, clock_.now());
    ASSERT_TRUE(u) << u.error().message;
  }

  // One request: JSON (or `type`) body, a bearer token or a session cookie, optionally a stream.
  struct Call {
    std::string body{};
    std::string bearer{};
    std::string cookie{};
    const char* type = "application/json";
    http::ResponseStream* stream = nullptr;
  };
  http::Response send(boost::beast::http::verb method, const std::string& target, Call c) {
    namespace bhttp = boost::beast::http;
    http::Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.set(bhttp::field::accept, c.cookie.empty() ? "application/json" : "text/html");
    if (!c.cookie.empty()) req.set(bhttp::field::cookie, c.cookie);
    if (!c.bearer.empty()) req.set(bhttp::field::authorization, c.bearer);
    if (!c.body.empty()) {
      req.set(bhttp::field::content_type, c.type);
      req.body() = std::move(c.body);
    }
    req.prepare_payload();
    http::RequestContext ctx{"127.0.0.1", false, "test"};
    ctx.stream = c.stream;
    return app_->handle(req, ctx);
  }
  std::string bearer_of(const std::string& email) {
    auto res = send(boost::beast::http::verb::post, "/api/v1/session",
                    {.body = nlohmann::json{{"email", email}, {"password", kPassword}}.dump()});
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return "Bearer " + nlohmann::json::parse(res.body()).value("token", "");
  }
  // An anonymous complaint at `site` (with a union's bearer: the union's filing), a minute later
  // than the last.
  void file(std::int64_t site, const char* category, const std::string& union_bearer,
            const char* narrative) {
    nlohmann::json body = {{"language", "id"}, {"categories", {category}}, {"narrative", narrative},
                           {"site_id", site},  {"country", "ID"},          {"anonymous", true}};
    if (!union_bearer.empty()) body["mandate"] = {{"follow", true}};
    auto res = send(boost::beast::http::verb::post, "/api/v1/complaints",
                    {.body = body.dump(), .bearer = union_bearer});
    ASSERT_EQ(res.result_int(), 201) << res.body();
    last_filing_ = nlohmann::json::parse(res.body());
    clock_.advance(std::chrono::minutes(1));
  }

  FakeStores store_;
  FakeCrypto crypto_;
  SeededRandom random_{17};
  ManualClock clock_;
  std::unique_ptr<domain::PasswordHasher> hasher_ = crypto::make_password_hasher(4);
  domain::Services service_{store_.ports(crypto_, random_, clock_, hasher_.get()),
                            domain::ServiceConfig{}};
  std::unique_ptr<http::App> app_;
  std::int64_t a_ = 0, b_ = 0, union_ = 0, a1_ = 0, a2_ = 0, b1_ = 0;
  nlohmann::json last_filing_;
};

}  // namespace grievance::testing
