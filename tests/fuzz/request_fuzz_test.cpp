// Mutation fuzzing of the request path without sockets: valid bodies and targets are mutated
// (bit flips, truncation, byte insertion, splicing of JSON fragments) and sent through the
// real App. Every answer must be a well-formed response with the SPEC's error object on 4xx,
// never a 5xx, and under ASan/UBSan never a memory error. Deterministic seeds.
//
// CI runs a short mode; GRIEVANCE_FUZZ_ITERATIONS=1000000 runs the documented long mode.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "server/domain/case_service.hpp"
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
    store_.create_site(domain::Site{0, "Kebun", "ID", "Riau", domain::Sector::kPalmOil, 1});
    app_ = make_app(
        AppDeps{service_, store_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
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

  testing::InMemoryStore store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{1};
  testing::ManualClock clock_;
  domain::CaseService service_{store_, crypto_, random_, clock_, domain::ServiceConfig{}};
  std::unique_ptr<App> app_;
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

}  // namespace
}  // namespace grievance::http
