// Mutation fuzzing of the request path without sockets: valid bodies and targets are mutated
// (bit flips, truncation, byte insertion, splicing of JSON fragments) and sent through the
// real App. Every answer must be a well-formed response with the error object (docs/architecture.md
// "Errors and input") on 4xx, never a 5xx, and under ASan/UBSan never a memory error. Deterministic
// seeds.
//
// CI runs a short mode; GRIEVANCE_FUZZ_ITERATIONS=1000000 runs the documented long mode.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "support/fakes.hpp"

namespace grievance::http {
namespace {

namespace bhttp = boost::beast::http;

int iterations() {
  if (const char* env = std::getenv("GRIEVANCE_FUZZ_ITERATIONS")) return std::atoi(env);
  return 20000;
}

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  std::string mutate(std::string s) {
    const int rounds = 1 + pick(4);
    for (int i = 0; i < rounds; ++i) {
      switch (pick(7)) {
        case 0:  // flip a bit
          if (!s.empty()) s[index(s)] ^= static_cast<char>(1 << pick(8));
          break;
        case 1:  // truncate
          if (!s.empty()) s.resize(index(s));
          break;
        case 2:  // insert a random byte
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(s.empty() ? 0 : index(s)),
                   static_cast<char>(pick(256)));
          break;
        case 3: {  // insert a JSON fragment
          static const char* kFragments[] = {
              "{",       "}",           "[",           "]",        "\"",
              ":",       ",",           "null",        "true",     "-1",
              "1e999",   "\"\\u0000\"", "\"\\ud800\"", "\xc0\xaf", "\xf4\x90\x80\x80",
              "{\"a\":", "[[[[[["};
          auto f = kFragments[pick(sizeof kFragments / sizeof *kFragments)];
          s.insert(s.empty() ? 0 : index(s), f);
          break;
        }
        case 4:  // duplicate a slice
          if (s.size() > 2) {
            auto a = index(s), b = index(s);
            if (a > b) std::swap(a, b);
            s.insert(b, s.substr(a, b - a));
          }
          break;
        case 5:  // delete a slice
          if (s.size() > 2) {
            auto a = index(s);
            s.erase(a, 1 + pick(8));
          }
          break;
        default:  // replace a byte with a special one
          if (!s.empty()) {
            static const char kSpecial[] = {'\0', '\n', '"', '\\', '%', '/', '\x7f', '\xff'};
            s[index(s)] = kSpecial[pick(sizeof kSpecial)];
          }
      }
    }
    return s;
  }

  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }

 private:
  std::size_t index(const std::string& s) { return rng_() % s.size(); }
  std::mt19937_64 rng_;
};

class RequestFuzz : public ::testing::Test {
 protected:
  RequestFuzz() {
    store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "PT", "ID"});
    store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kUnion, "SB", "ID"});
    store_.directory().create_site(
        domain::Site{0, "Kebun", "ID", "Riau", domain::Sector::kPalmOil, 1});
    app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
    admin_bearer_ = staff("admin@fuzz.example", "admin", std::nullopt);
    union_bearer_ = staff("union@fuzz.example", "union", 2);
  }

  // A staff account and a bearer header of its session.
  std::string staff(const std::string& email, const std::string& role,
                    std::optional<std::int64_t> org) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org;
    d.password = "fuzzing password 2026";
    EXPECT_TRUE(domain::new_user(store_.directory(), store_.accounts(), *hasher_, d, clock_.now()));
    auto res = send(bhttp::verb::post, "/api/v1/session",
                    nlohmann::json{{"email", email}, {"password", *d.password}}.dump(),
                    "application/json");
    return "Bearer " + nlohmann::json::parse(res.body()).value("token", "");
  }

  Response send(bhttp::verb method, std::string target, std::string body, std::string ct,
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::content_type, ct);
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    RequestContext ctx{"127.0.0.1", true, "fuzz"};
    return app_->handle(req, ctx);
  }

  static void check(const Response& res, const std::string& what) {
    ASSERT_LT(res.result_int(), 500u) << what << "\n" << res.body();
    ASSERT_EQ(res["X-Content-Type-Options"], "nosniff") << what;
    if (res.result_int() >= 400 &&
        res[bhttp::field::content_type].starts_with("application/json")) {
      auto j = nlohmann::json::parse(res.body(), nullptr, false);
      ASSERT_TRUE(j.is_object() && j["error"]["code"].is_string()) << what << "\n" << res.body();
    }
  }

  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{1};
  testing::ManualClock clock_;
  std::unique_ptr<domain::PasswordHasher> hasher_ = crypto::make_password_hasher(4);
  domain::Services service_{store_.ports(crypto_, random_, clock_, hasher_.get()),
                            domain::ServiceConfig{}};
  std::unique_ptr<App> app_;
  std::string admin_bearer_, union_bearer_;
};

TEST_F(RequestFuzz, MutatedComplaintBodiesNeverCrashOr500) {
  const std::string seed_body =
      R"({"language":"vi","categories":["wages","harassment"],"narrative":"Quản đốc la mắng",)"
      R"("site_id":1,"country":"VN","incident_date":"2026-10-01","anonymous":false,)"
      R"("contact":{"name":"Lan","phone":"+84 90 123 4567","email":"lan@example.org"}})";
  Mutator m(20261129);
  for (int i = 0; i < iterations(); ++i) {
    auto body = m.mutate(seed_body);
    check(send(bhttp::verb::post, "/api/v1/complaints", body, "application/json"),
          "complaint #" + std::to_string(i));
    if (HasFatalFailure()) return;
  }
}

TEST_F(RequestFuzz, MutatedFormBodiesNeverCrashOr500) {
  const std::string seed_body =
      "language=fr&categories=wages&categories=child_labour&narrative=Pas+de+salaire%20depuis"
      "&site_id=1&country=CI&incident_date=2026-09-30&anonymous=yes&contact_name=&lang=fr";
  Mutator m(7);
  for (int i = 0; i < iterations(); ++i) {
    check(send(bhttp::verb::post, "/complaints", m.mutate(seed_body),
               "application/x-www-form-urlencoded"),
          "form #" + std::to_string(i));
    if (HasFatalFailure()) return;
  }
}

TEST_F(RequestFuzz, MutatedTargetsAndSessionsNeverCrashOr500) {
  const std::string targets[] = {"/api/v1/sites?q=kebun&country=ID", "/api/v1/cases/GRV-7KQ2-M9XD",
                                 "/static/app.css", "/follow?lang=id", "/case"};
  Mutator m(99);
  for (int i = 0; i < iterations(); ++i) {
    auto target = m.mutate(targets[static_cast<std::size_t>(m.pick(5))]);
    if (target.empty() || target[0] != '/') target.insert(0, "/");
    check(send(bhttp::verb::get, target, "", "text/plain",
               {{"Authorization", m.mutate("Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")},
                {"Cookie", m.mutate("__Host-session=abc; lang=vi")},
                {"Accept-Language", m.mutate("vi-VN,vi;q=0.9,en;q=0.1")}}),
          "target #" + std::to_string(i));
    if (HasFatalFailure()) return;
    check(send(bhttp::verb::post, "/api/v1/session",
               m.mutate(R"({"reference":"GRV-7KQ2-M9XD","access_code":"1234 5678 9012 3456"})"),
               "application/json"),
          "session #" + std::to_string(i));
    if (HasFatalFailure()) return;
  }
}

TEST_F(RequestFuzz, MutatedBatchesNeverCrashOr500) {
  const std::string json_seed =
      R"([{"language":"id","categories":["wages"],"narrative":"Upah","site_id":1,"country":"ID",)"
      R"("anonymous":true,"mandate":{"follow":true,"headcount":3}},{"language":"vi",)"
      R"("categories":["harassment"],"narrative":"x","place":"Dumai","country":"ID"}])";
  const std::string csv_seed =
      "\xEF\xBB\xBFlanguage,categories,narrative,site_id,country,anonymous,contact_name,"
      "mandate_follow,mandate_headcount\r\n"
      "id,wages;harassment,\"Upah, \"\"lembur\"\"\nbaris dua\",1,ID,yes,Siti,true,2\r\n"
      "vi,wages,Qu\xE1\xBA\xA3n,1,VN,no,,no,\r\n";
  // One key: a mutated row that still parses conflicts with the first filing of its position
  // instead of growing the store without bound.
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", union_bearer_}, {"Idempotency-Key", "fuzz-batch-key-0001"}};
  Mutator m(31337);
  for (int i = 0; i < iterations() / 4; ++i) {
    check(send(bhttp::verb::post, "/api/v1/complaints/batch", m.mutate(json_seed),
               "application/json", headers),
          "json batch #" + std::to_string(i));
    if (HasFatalFailure()) return;
    check(send(bhttp::verb::post, "/api/v1/complaints/batch", m.mutate(csv_seed), "text/csv",
               headers),
          "csv batch #" + std::to_string(i));
    if (HasFatalFailure()) return;
  }
}

TEST_F(RequestFuzz, MutatedAdminBodiesNeverCrashOr500) {
  struct Seed {
    bhttp::verb method;
    const char* target;
    const char* body;
  };
  const Seed seeds[] = {
      {bhttp::verb::post, "/api/v1/organisations",
       R"({"kind":"company","name":"PT Baru","country":"ID","disabled":false})"},
      {bhttp::verb::patch, "/api/v1/organisations/1", R"({"name":"PT Lama","country":"ID"})"},
      {bhttp::verb::post, "/api/v1/sites",
       R"({"name":"Kebun","country":"ID","region":"Riau","sector":"palm_oil","operator_org_id":1})"},
      {bhttp::verb::patch, "/api/v1/sites/1", R"({"operator_org_id":null,"disabled":true})"},
      {bhttp::verb::post, "/api/v1/supply-links",
       R"({"supplier_org_id":1,"buyer_org_id":1,"sector":"cocoa"})"},
      {bhttp::verb::post, "/api/v1/users",
       R"({"email":"a@b.example","role":"union","org_id":2,"password":"long enough pass"})"},
      {bhttp::verb::patch, "/api/v1/users/2", R"({"role":"company","org_id":1})"},
      {bhttp::verb::post, "/api/v1/cases/GRV-7KQ2-M9XD/assign", R"({"org_id":1})"},
      {bhttp::verb::post, "/api/v1/session",
       R"({"email":"admin@fuzz.example","password":"wrong password x","totp":"123456"})"},
      {bhttp::verb::post, "/api/v1/session/totp",
       R"({"password":"wrong password x","totp":"123456"})"},
      {bhttp::verb::put, "/api/v1/users/me/notifications", R"({"mode":"digest","language":"vi"})"},
  };
  Mutator m(4242);
  for (int i = 0; i < iterations() / 4; ++i) {
    const auto& seed = seeds[static_cast<std::size_t>(m.pick(std::size(seeds)))];
    check(send(seed.method, seed.target, m.mutate(seed.body), "application/json",
               {{"Authorization", admin_bearer_}}),
          std::string(seed.target) + " #" + std::to_string(i));
    if (HasFatalFailure()) return;
  }
}

TEST_F(RequestFuzz, MutatedStaffTargetsNeverCrashOr500) {
  const std::string targets[] = {
      "/api/v1/cases?status=received&company=1&site=1&country=ID&sector=cocoa&category=wages"
      "&overdue=true&q=kebun&cursor=1764406800.12&limit=5&triage=0",
      "/api/v1/organisations/1",
      "/api/v1/users/2",
      "/api/v1/sites?all=1",
      "/api/v1/supply-links/1",
      "/api/v1/cases/GRV-7KQ2-M9XD"};
  Mutator m(2718);
  for (int i = 0; i < iterations() / 2; ++i) {
    auto target = m.mutate(targets[static_cast<std::size_t>(m.pick(std::size(targets)))]);
    if (target.empty() || target[0] != '/') target.insert(0, "/");
    check(send(bhttp::verb::get, target, "", "text/plain", {{"Authorization", admin_bearer_}}),
          "staff target #" + std::to_string(i));
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace grievance::http
