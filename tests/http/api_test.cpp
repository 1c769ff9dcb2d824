// Handler tests without sockets (STYLE point 3): build a request, call the App, check the
// response. Every bad input gets its 4xx with the error object of docs/architecture.md "Errors and
// input", and nothing is stored.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/crypto/crypto.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/domain/totp.hpp"
#include "server/http/server_app.hpp"
#include "support/fakes.hpp"

namespace grievance::http {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() {
    store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "PT Sawit", "ID"});
    site_id_ = *store_.directory().create_site(
        domain::Site{0, "Kebun Sawit Kampar", "ID", "Riau", domain::Sector::kPalmOil, 1});
    store_.directory().create_site(
        domain::Site{0, "May Binh Duong", "VN", "Binh Duong", domain::Sector::kTextile, 1});
    app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 65536});
  }

  Response call(bhttp::verb method, std::string target, std::string body = {},
                std::string content_type = "application/json",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!body.empty() || method == bhttp::verb::post) {
      if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
      req.body() = std::move(body);
      req.prepare_payload();
    }
    for (auto& [k, v] : headers) req.set(k, v);
    RequestContext ctx{"127.0.0.1", true, "test"};
    return app_->handle(req, ctx);
  }

  json complaint() {
    return {{"language", "id"},
            {"categories", {"wages", "health_safety"}},
            {"narrative", "Upah lembur tidak dibayar. MARKER-7731"},
            {"site_id", site_id_},
            {"country", "ID"},
            {"incident_date", "2026-10-01"},
            {"anonymous", true}};
  }

  json file(json body) {
    auto res = call(bhttp::verb::post, "/api/v1/complaints", body.dump());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return json::parse(res.body());
  }

  // Expects a 4xx with the error object; returns it.
  json expect_error(const Response& res, unsigned status, std::string code,
                    std::string field = {}) {
    EXPECT_EQ(res.result_int(), status) << res.body();
    auto j = json::parse(res.body(), nullptr, false);
    EXPECT_TRUE(j.is_object() && j.contains("error")) << res.body();
    if (!j.is_object() || !j.contains("error")) return {};
    EXPECT_EQ(j["error"]["code"], code) << res.body();
    EXPECT_TRUE(j["error"]["message"].is_string());
    if (!field.empty()) {
      EXPECT_EQ(j["error"].value("field", ""), field) << res.body();
    }
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    return j;
  }

  std::pair<std::string, json> sign_in(const json& filed) {
    auto res =
        call(bhttp::verb::post, "/api/v1/session",
             json{{"reference", filed["reference"]}, {"access_code", filed["access_code"]}}.dump());
    EXPECT_EQ(res.result_int(), 201) << res.body();
    auto j = json::parse(res.body());
    return {j["token"], j};
  }

  // ---- staff ----
  static constexpr const char* kPassword = "correct horse battery staple";

  // A staff account straight in the store, as `grievance admin create-user` makes one.
  std::int64_t add_user(const std::string& email, const std::string& role,
                        std::optional<std::int64_t> org = std::nullopt) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org;
    d.password = kPassword;
    auto u = domain::new_user(store_.directory(), store_.accounts(), *hasher_, d, clock_.now());
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return u ? u->id : 0;
  }
  std::int64_t add_org(domain::OrgKind kind, const std::string& name, const std::string& country) {
    return *store_.directory().create_organisation(domain::Organisation{0, kind, name, country});
  }

  Response staff_sign_in(const std::string& email, const std::string& password = kPassword,
                         const std::string& totp = {}) {
    json body = {{"email", email}, {"password", password}};
    if (!totp.empty()) body["totp"] = totp;
    return call(bhttp::verb::post, "/api/v1/session", body.dump());
  }
  // "Bearer <token>" of a fresh staff session.
  std::string bearer_of(const std::string& email) {
    auto res = staff_sign_in(email);
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return "Bearer " + json::parse(res.body())["token"].get<std::string>();
  }

  Response as(const std::string& bearer, bhttp::verb method, std::string target,
              std::string body = {}, std::string content_type = "application/json",
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Authorization", bearer);
    return call(method, std::move(target), std::move(body), std::move(content_type),
                std::move(headers));
  }
  json ok_json(const Response& res, unsigned status = 200) {
    EXPECT_EQ(res.result_int(), status) << res.body();
    return json::parse(res.body(), nullptr, false);
  }

  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{5};
  testing::ManualClock clock_;
  // scrypt with a tiny N: these tests are about the API, not the hash's cost.
  std::unique_ptr<domain::PasswordHasher> hasher_ = crypto::make_password_hasher(4);
  domain::Services service_{store_.ports(crypto_, random_, clock_, hasher_.get()),
                            domain::ServiceConfig{}};
  std::int64_t site_id_ = 0;
  std::unique_ptr<App> app_;
};

void expect_security_headers(const Response& res) {
  EXPECT_EQ(res["Strict-Transport-Security"], "max-age=63072000; includeSubDomains");
  EXPECT_NE(res["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(res["Content-Security-Policy"].find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(res["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  EXPECT_EQ(res.find(bhttp::field::server), res.end());
}

TEST_F(ApiTest, HealthzAnswersOkAnd503WhenTheStoreIsDown) {
  auto res = call(bhttp::verb::get, "/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(json::parse(res.body()), json({{"status", "ok"}}));
  expect_security_headers(res);
  store_.fail_writes = true;
  EXPECT_EQ(call(bhttp::verb::get, "/healthz").result_int(), 503);
}

TEST_F(ApiTest, HealthzAnswersDegradedWhileTheDiskRefusesWrites) {
  store_.writes_refused = true;
  auto res = call(bhttp::verb::get, "/healthz");
  EXPECT_EQ(res.result_int(), 503);
  EXPECT_EQ(json::parse(res.body()), json({{"status", "degraded"}, {"writes", "refused"}}));
  expect_security_headers(res);
  store_.writes_refused = false;
  EXPECT_EQ(call(bhttp::verb::get, "/healthz").result_int(), 200);
}

TEST_F(ApiTest, MetaListsTheVocabulary) {
  auto res = call(bhttp::verb::get, "/api/v1/meta");
  ASSERT_EQ(res.result_int(), 200);
  auto j = json::parse(res.body());
  EXPECT_EQ(j["languages"], json({"en", "nl", "id", "vi", "fr"}));
  EXPECT_EQ(j["categories"].size(), 11u);
  EXPECT_EQ(j["statuses"].size(), 11u);
  EXPECT_EQ(j["deadlines_days"]["acknowledgement"], 7);
}

TEST_F(ApiTest, SitesForThePickerWithFilters) {
  auto all = json::parse(call(bhttp::verb::get, "/api/v1/sites").body());
  EXPECT_EQ(all["sites"].size(), 2u);
  auto vn = json::parse(call(bhttp::verb::get, "/api/v1/sites?country=VN").body());
  ASSERT_EQ(vn["sites"].size(), 1u);
  EXPECT_EQ(vn["sites"][0]["name"], "May Binh Duong");
  EXPECT_FALSE(vn["sites"][0].contains("operator_org_id")) << "no company internals";
  auto q = json::parse(call(bhttp::verb::get, "/api/v1/sites?q=kampar").body());
  EXPECT_EQ(q["sites"].size(), 1u);
  auto riau = json::parse(call(bhttp::verb::get, "/api/v1/sites?q=Riau&country=ID").body());
  EXPECT_EQ(riau["sites"].size(), 1u);
  expect_error(call(bhttp::verb::get, "/api/v1/sites?country=indonesia"), 400, "invalid_field",
               "country");
  expect_error(call(bhttp::verb::get, "/api/v1/sites?q=" + std::string(101, 'a')), 400,
               "invalid_field", "q");
}

TEST_F(ApiTest, FilingAnswers201WithReferenceCodeAckDueAndReceipt) {
  auto res = call(bhttp::verb::post, "/api/v1/complaints", complaint().dump());
  ASSERT_EQ(res.result_int(), 201) << res.body();
  expect_security_headers(res);
  auto j = json::parse(res.body());
  EXPECT_EQ(j["status"], "received");
  EXPECT_EQ(j["reference"].get<std::string>().size(), 13u);
  EXPECT_EQ(j["access_code"].get<std::string>().size(), 16u);
  EXPECT_EQ(j["access_code_grouped"].get<std::string>().size(), 19u);
  EXPECT_EQ(j["ack_due"], "2026-12-06T09:00:00Z") << "7 days after the manual clock's now";
  EXPECT_EQ(j["receipt"]["reference"], j["reference"]);
  EXPECT_EQ(res[bhttp::field::location], "/api/v1/cases/" + j["reference"].get<std::string>());
  EXPECT_EQ(*store_.cases().count_cases(), 1);

  // The receipt verifies, and a changed one does not.
  auto ok = call(bhttp::verb::post, "/api/v1/receipts/verify", j["receipt"].dump());
  ASSERT_EQ(ok.result_int(), 200) << ok.body();
  EXPECT_EQ(json::parse(ok.body())["valid"], true);
  auto changed = j["receipt"];
  changed["filed_at"] = "2026-11-29T09:00:01Z";
  EXPECT_EQ(json::parse(
                call(bhttp::verb::post, "/api/v1/receipts/verify", changed.dump()).body())["valid"],
            false);
  auto wrapped = json{{"receipt", j["receipt"]}};
  EXPECT_EQ(json::parse(
                call(bhttp::verb::post, "/api/v1/receipts/verify", wrapped.dump()).body())["valid"],
            true);
  expect_error(call(bhttp::verb::post, "/api/v1/receipts/verify", R"({"reference":"x"})"), 400,
               "invalid_field");
}

TEST_F(ApiTest, IdempotencyKeyMakesARetryAnswerTheFirstFiling) {
  const std::string key = "7f3c9a2e-5b1d-4c8e-9f60-2a7b3c4d5e6f";
  auto first = call(bhttp::verb::post, "/api/v1/complaints", complaint().dump(), "application/json",
                    {{"Idempotency-Key", key}});
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto retry = call(bhttp::verb::post, "/api/v1/complaints", complaint().dump(), "application/json",
                    {{"Idempotency-Key", key}});
  ASSERT_EQ(retry.result_int(), 200) << retry.body();
  auto a = json::parse(first.body()), b = json::parse(retry.body());
  EXPECT_EQ(a["reference"], b["reference"]);
  EXPECT_EQ(a["receipt"], b["receipt"]);
  EXPECT_EQ(b["replayed"], true);
  EXPECT_FALSE(b.contains("access_code"));
  EXPECT_EQ(*store_.cases().count_cases(), 1);

  auto other = complaint();
  other["narrative"] = "another story";
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", other.dump(), "application/json",
                    {{"Idempotency-Key", key}}),
               409, "conflict");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", complaint().dump(), "application/json",
                    {{"Idempotency-Key", "short"}}),
               400, "invalid_field", "Idempotency-Key");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", complaint().dump(), "application/json",
                    {{"Idempotency-Key", "has spaces in it, which is not allowed"}}),
               400, "invalid_field", "Idempotency-Key");
  EXPECT_EQ(*store_.cases().count_cases(), 1);
}

TEST_F(ApiTest, FilingWithAFreeTextPlaceAndContact) {
  auto c = complaint();
  c.erase("site_id");
  c["place"] = "Kebun dekat Dumai";
  c["anonymous"] = false;
  c["contact"] = {{"name", "Siti"}, {"phone", "+62 812 3456 7890"}};
  file(c);
  EXPECT_EQ(*store_.cases().count_cases(), 1);
}

TEST_F(ApiTest, AKnownSiteNamesTheCountry) {
  auto c = complaint();
  c.erase("country");
  file(c);
  EXPECT_EQ(*store_.cases().count_cases(), 1);
}

struct BadInput {
  std::string name;
  std::function<void(json&)> mutate;
  std::string field;
};

TEST_F(ApiTest, EveryBadInputIs400WithTheFieldAndStoresNothing) {
  std::vector<BadInput> cases = {
      {"unknown field", [](json& j) { j["priority"] = "high"; }, "priority"},
      {"language missing", [](json& j) { j.erase("language"); }, "language"},
      {"language number", [](json& j) { j["language"] = 1; }, "language"},
      {"language unknown", [](json& j) { j["language"] = "de"; }, "language"},
      {"categories string", [](json& j) { j["categories"] = "wages"; }, "categories"},
      {"categories empty", [](json& j) { j["categories"] = json::array(); }, "categories"},
      {"categories number item", [](json& j) { j["categories"] = {1}; }, "categories"},
      {"category unknown", [](json& j) { j["categories"] = {"bribery"}; }, "categories"},
      {"narrative missing", [](json& j) { j.erase("narrative"); }, "narrative"},
      {"narrative empty", [](json& j) { j["narrative"] = ""; }, "narrative"},
      {"narrative object", [](json& j) { j["narrative"] = json::object(); }, "narrative"},
      {"narrative too long", [](json& j) { j["narrative"] = std::string(20001, 'x'); },
       "narrative"},
      {"site_id string", [](json& j) { j["site_id"] = "1"; }, "site_id"},
      {"site_id float", [](json& j) { j["site_id"] = 1.5; }, "site_id"},
      {"site_id bool", [](json& j) { j["site_id"] = true; }, "site_id"},
      {"site_id unknown", [](json& j) { j["site_id"] = 999; }, "site_id"},
      {"no site nor place", [](json& j) { j.erase("site_id"); }, "site_id"},
      {"place number", [](json& j) { j["place"] = 5; }, "place"},
      {"country missing without a site",
       [](json& j) {
         j.erase("country");
         j.erase("site_id");
         j["place"] = "Dumai";
       },
       "country"},
      {"country lower", [](json& j) { j["country"] = "id"; }, "country"},
      {"country unknown", [](json& j) { j["country"] = "XX"; }, "country"},
      {"incident_date format", [](json& j) { j["incident_date"] = "01/10/2026"; }, "incident_date"},
      {"incident_date future", [](json& j) { j["incident_date"] = "2027-01-01"; }, "incident_date"},
      {"incident_date number", [](json& j) { j["incident_date"] = 20261001; }, "incident_date"},
      {"anonymous string", [](json& j) { j["anonymous"] = "yes"; }, "anonymous"},
      {"contact string", [](json& j) { j["contact"] = "siti"; }, "contact"},
      {"contact unknown field",
       [](json& j) {
         j["contact"] = {{"address", "x"}};
       },
       "contact.address"},
      {"contact email",
       [](json& j) {
         j["contact"] = {{"email", "nope"}};
       },
       "contact.email"},
      {"contact phone type",
       [](json& j) {
         j["contact"] = {{"phone", 62812}};
       },
       "contact.phone"},
      {"mandate from a worker",
       [](json& j) {
         j["mandate"] = {{"follow", true}};
       },
       "mandate"},
      {"mandate unknown field",
       [](json& j) {
         j["mandate"] = {{"x", 1}};
       },
       "mandate.x"},
      {"mandate headcount type",
       [](json& j) {
         j["mandate"] = {{"headcount", "many"}};
       },
       "mandate.headcount"},
  };
  for (const auto& c : cases) {
    auto body = complaint();
    c.mutate(body);
    auto res = call(bhttp::verb::post, "/api/v1/complaints", body.dump());
    SCOPED_TRACE(c.name);
    expect_error(res, 400, "invalid_field", c.field);
    expect_security_headers(res);
  }
  EXPECT_EQ(*store_.cases().count_cases(), 0);
  EXPECT_EQ(store_.writes, 0);
}

TEST_F(ApiTest, InvalidUtf8Is400NamingTheField) {
  std::string body = complaint().dump();
  auto pos = body.find("MARKER-7731");
  body.replace(pos, 6, "\xff\xfe\xfd\xfc\xfb\xfa");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", body), 400, "invalid_field",
               "narrative");
  EXPECT_EQ(*store_.cases().count_cases(), 0);
}

TEST_F(ApiTest, MalformedBodiesContentTypesAndSizes) {
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", "{not json"), 400, "invalid_request");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", "[1,2]"), 400, "invalid_request");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", "\"text\""), 400, "invalid_request");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", complaint().dump(), "text/plain"), 415,
               "unsupported_media_type");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", "language=id",
                    "application/x-www-form-urlencoded"),
               415, "unsupported_media_type");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", complaint().dump(), ""), 415,
               "unsupported_media_type");
  EXPECT_EQ(call(bhttp::verb::post, "/api/v1/complaints", complaint().dump(),
                 "Application/JSON; charset=utf-8")
                .result_int(),
            201);
  auto big = complaint();
  big["narrative"] = std::string(70000, 'x');  // over this test app's 64 KiB body limit
  auto res = call(bhttp::verb::post, "/api/v1/complaints", big.dump());
  expect_error(res, 413, "payload_too_large");
  expect_security_headers(res);
  EXPECT_EQ(*store_.cases().count_cases(), 1);
}

TEST_F(ApiTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  auto res = call(bhttp::verb::get, "/api/v1/nothing-here");
  expect_error(res, 404, "not_found");
  expect_security_headers(res);
  auto wrong = call(bhttp::verb::put, "/api/v1/complaints", "{}");
  expect_error(wrong, 405, "method_not_allowed");
  EXPECT_EQ(wrong[bhttp::field::allow], "POST");
  expect_security_headers(wrong);
  EXPECT_EQ(call(bhttp::verb::get, "/healthz/").result_int(), 404);
}

TEST_F(ApiTest, StorageOutageIs503NotA500) {
  store_.fail_writes = true;
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", complaint().dump()), 503,
               "unavailable");
}

TEST_F(ApiTest, ComplainantSignInReadMessageSignOut) {
  auto filed = file(complaint());
  auto res =
      call(bhttp::verb::post, "/api/v1/session",
           json{{"reference", filed["reference"]}, {"access_code", filed["access_code_grouped"]}}
               .dump());
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto signed_in = json::parse(res.body());
  EXPECT_EQ(signed_in["role"], "complainant");
  const std::string cookie = std::string(res[bhttp::field::set_cookie]);
  EXPECT_EQ(cookie.rfind("__Host-session=", 0), 0u);
  for (auto attr : {"Secure", "HttpOnly", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(cookie.find(attr), std::string::npos) << attr;
  }
  const std::string token = signed_in["token"];
  const std::string bearer = "Bearer " + token;
  const std::string path = "/api/v1/cases/" + filed["reference"].get<std::string>();

  auto view = call(bhttp::verb::get, path, {}, {}, {{"Authorization", bearer}});
  ASSERT_EQ(view.result_int(), 200) << view.body();
  auto v = json::parse(view.body());
  EXPECT_EQ(v["status"], "received");
  EXPECT_EQ(v["narrative"], "Upah lembur tidak dibayar. MARKER-7731");
  EXPECT_EQ(v["stages"].size(), 6u);
  EXPECT_EQ(v["stages"][1]["indicative_days"], 7);
  EXPECT_EQ(v["deadlines"]["ack_due"], filed["ack_due"]);
  ASSERT_EQ(v["events"].size(), 2u);
  EXPECT_EQ(v["events"][0]["type"], "filed");
  EXPECT_EQ(v["events"][1]["type"], "routed") << "to the site's operator";
  EXPECT_EQ(v["access"], "message");
  EXPECT_FALSE(v.contains("parties")) << "only admins see the parties";
  EXPECT_FALSE(v.contains("union_org_id"));
  for (const auto& e : v["events"]) EXPECT_FALSE(e.contains("actor_org_id")) << e;

  auto msg = call(bhttp::verb::post, path + "/messages", R"({"body":"Kapan ada jawaban?"})",
                  "application/json", {{"Authorization", bearer}});
  ASSERT_EQ(msg.result_int(), 201) << msg.body();
  EXPECT_EQ(json::parse(msg.body())["type"], "message");
  v = json::parse(call(bhttp::verb::get, path, {}, {}, {{"Authorization", bearer}}).body());
  ASSERT_EQ(v["events"].size(), 3u);
  EXPECT_EQ(v["events"][2]["body"], "Kapan ada jawaban?");

  expect_error(call(bhttp::verb::post, path + "/messages", R"({"body":""})", "application/json",
                    {{"Authorization", bearer}}),
               400, "invalid_field", "body");
  expect_error(call(bhttp::verb::post, path + "/messages", R"({"body":"x","to":"ceo"})",
                    "application/json", {{"Authorization", bearer}}),
               400, "invalid_field", "to");
  expect_error(call(bhttp::verb::post, path + "/messages", R"({"body":"x","visibility":"secret"})",
                    "application/json", {{"Authorization", bearer}}),
               400, "invalid_field", "visibility");

  auto out = call(bhttp::verb::delete_, "/api/v1/session", {}, {}, {{"Authorization", bearer}});
  EXPECT_EQ(out.result_int(), 200);
  EXPECT_NE(std::string(out[bhttp::field::set_cookie]).find("Max-Age=0"), std::string::npos);
  expect_error(call(bhttp::verb::get, path, {}, {}, {{"Authorization", bearer}}), 401,
               "unauthorized");
  EXPECT_EQ(store_.session_count(), 0u);
}

TEST_F(ApiTest, NoOrBadCredentialsAre401) {
  auto filed = file(complaint());
  const std::string path = "/api/v1/cases/" + filed["reference"].get<std::string>();
  expect_error(call(bhttp::verb::get, path), 401, "unauthorized");
  expect_error(call(bhttp::verb::get, path, {}, {}, {{"Authorization", "Bearer nonsense"}}), 401,
               "unauthorized");
  expect_error(call(bhttp::verb::get, path, {}, {}, {{"Authorization", "Basic dXNlcjpwYXNz"}}), 401,
               "unauthorized");
  expect_error(call(bhttp::verb::delete_, "/api/v1/session"), 401, "unauthorized");
}

TEST_F(ApiTest, AnotherCaseWithAValidSessionIs404) {
  auto mine = file(complaint());
  auto theirs = file(complaint());
  auto [token, _] = sign_in(mine);
  const std::string bearer = "Bearer " + token;
  expect_error(call(bhttp::verb::get, "/api/v1/cases/" + theirs["reference"].get<std::string>(), {},
                    {}, {{"Authorization", bearer}}),
               404, "not_found");
  expect_error(call(bhttp::verb::post,
                    "/api/v1/cases/" + theirs["reference"].get<std::string>() + "/messages",
                    R"({"body":"hi"})", "application/json", {{"Authorization", bearer}}),
               404, "not_found");
  expect_error(
      call(bhttp::verb::get, "/api/v1/cases/GRV-0000-0000", {}, {}, {{"Authorization", bearer}}),
      404, "not_found");
}

// Issue 8: five wrong codes locked the reference for its complainant too. Now a reference
// that has seen five wrong codes refuses further wrong codes (429, Retry-After), and its right
// code still signs in.
TEST_F(ApiTest, WrongCodesAre401ThenSlowedWith429ButTheRightCodeSignsIn) {
  auto filed = file(complaint());
  json wrong = {{"reference", filed["reference"]}, {"access_code", "0000000000000000"}};
  for (int i = 0; i < 5; ++i) {
    expect_error(call(bhttp::verb::post, "/api/v1/session", wrong.dump()), 401, "unauthorized");
  }
  auto slowed = call(bhttp::verb::post, "/api/v1/session", wrong.dump());
  expect_error(slowed, 429, "rate_limited");
  EXPECT_EQ(slowed[bhttp::field::retry_after], "900");
  auto right =
      call(bhttp::verb::post, "/api/v1/session",
           json{{"reference", filed["reference"]}, {"access_code", filed["access_code"]}}.dump());
  EXPECT_EQ(right.result_int(), 201) << right.body();
  expect_error(call(bhttp::verb::post, "/api/v1/session", R"({"reference":"GRV-AAAA-AAAA"})"), 400,
               "invalid_field", "access_code");
  expect_error(call(bhttp::verb::post, "/api/v1/session", R"({"reference":1,"access_code":"1"})"),
               400, "invalid_field", "reference");
}

TEST_F(ApiTest, CookieAuthenticatedStateChangesNeedTheCsrfToken) {
  auto filed = file(complaint());
  auto [token, signed_in] = sign_in(filed);
  const std::string cookie = "lang=id; __Host-session=" + token;
  const std::string path = "/api/v1/cases/" + filed["reference"].get<std::string>();
  EXPECT_EQ(call(bhttp::verb::get, path, {}, {}, {{"Cookie", cookie}}).result_int(), 200)
      << "reads need no CSRF token";
  expect_error(call(bhttp::verb::post, path + "/messages", R"({"body":"hi"})", "application/json",
                    {{"Cookie", cookie}}),
               403, "csrf_failed");
  expect_error(call(bhttp::verb::post, path + "/messages", R"({"body":"hi"})", "application/json",
                    {{"Cookie", cookie}, {"X-CSRF-Token", "forged"}}),
               403, "csrf_failed");
  EXPECT_EQ(call(bhttp::verb::post, path + "/messages", R"({"body":"hi"})", "application/json",
                 {{"Cookie", cookie}, {"X-CSRF-Token", signed_in["csrf_token"]}})
                .result_int(),
            201);
  expect_error(call(bhttp::verb::delete_, "/api/v1/session", {}, {}, {{"Cookie", cookie}}), 403,
               "csrf_failed");
  // Bearer calls need no CSRF defence.
  EXPECT_EQ(call(bhttp::verb::post, path + "/messages", R"({"body":"hi"})", "application/json",
                 {{"Authorization", "Bearer " + token}})
                .result_int(),
            201);
}

TEST_F(ApiTest, HeadIsAGetWithoutBody) {
  auto res = call(bhttp::verb::head, "/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[bhttp::field::content_length], "15");
}

TEST_F(ApiTest, InlineRoutesAreOnlyTheNonBlockingOnes) {
  for (std::string target : {"/healthz", "/api/v1/meta", "/api/v1/sites?q=x",
                             "/api/v1/cases/GRV-AAAA-AAAA", "/", "/complaint", "/case"}) {
    Request get{bhttp::verb::get, target, 11};
    EXPECT_TRUE(app_->runs_inline(get)) << target;
  }
  // Everything that writes waits for an fsync and must leave the I/O thread.
  for (auto [method, target] : {std::pair{bhttp::verb::post, "/api/v1/complaints"},
                                {bhttp::verb::post, "/api/v1/session"},
                                {bhttp::verb::delete_, "/api/v1/session"},
                                {bhttp::verb::post, "/api/v1/cases/GRV-AAAA-AAAA/messages"},
                                {bhttp::verb::post, "/complaints"},
                                {bhttp::verb::post, "/follow"},
                                {bhttp::verb::post, "/case/messages"},
                                {bhttp::verb::post, "/signout"},
                                {bhttp::verb::post, "/api/v1/complaints/batch"},
                                {bhttp::verb::post, "/api/v1/session/totp"},
                                {bhttp::verb::post, "/api/v1/cases/GRV-AAAA-AAAA/assign"},
                                {bhttp::verb::get, "/api/v1/cases?status=received"},
                                {bhttp::verb::post, "/api/v1/organisations"},
                                {bhttp::verb::patch, "/api/v1/users/1"},
                                {bhttp::verb::delete_, "/api/v1/sites/1"},
                                {bhttp::verb::post, "/api/v1/supply-links"}}) {
    Request req{method, target, 11};
    EXPECT_FALSE(app_->runs_inline(req)) << target;
  }
}

TEST_F(ApiTest, NetErrorsCarryTheErrorObjectAndHeaders) {
  auto res = app_->error_response(413, "payload_too_large", "Too large.", 11, false);
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(json::parse(res.body())["error"]["code"], "payload_too_large");
  expect_security_headers(res);
}

// ---- staff sign-in ---------------------------------------------------------------------

// A lost access code (docs/domain.md "Lost access codes"): one JSON object with the new code,
// grouped as at filing; the old code and its session end; a reason is required.
TEST_F(ApiTest, AnAdminIssuesANewAccessCodeAndTheOldOneEnds) {
  add_user("admin@example.org", "admin");
  const json filed = file(complaint());
  auto [worker_token, worker] = sign_in(filed);
  const std::string admin = bearer_of("admin@example.org");
  const std::string path =
      "/api/v1/cases/" + filed["reference"].get<std::string>() + "/access-code";
  expect_error(as(admin, bhttp::verb::post, path, R"({"reason":""})"), 400, "invalid_field",
               "reason");
  auto j = ok_json(as(admin, bhttp::verb::post, path, R"({"reason":"Lost phone."})"));
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["reference"], filed["reference"]);
  const std::string code = j["access_code"];
  EXPECT_EQ(code.size(), 16u);
  EXPECT_EQ(j["access_code_grouped"], domain::group_access_code(code));
  EXPECT_EQ(as("Bearer " + worker_token, bhttp::verb::get,
               "/api/v1/cases/" + filed["reference"].get<std::string>())
                .result_int(),
            401);
  EXPECT_EQ(
      call(bhttp::verb::post, "/api/v1/session",
           json{{"reference", filed["reference"]}, {"access_code", filed["access_code"]}}.dump())
          .result_int(),
      401);
  json renewed = filed;
  renewed["access_code"] = code;
  sign_in(renewed);
}

TEST_F(ApiTest, StaffSignInWrongPasswordSignOutAndCookie) {
  add_user("Admin@Example.org", "admin");
  expect_error(staff_sign_in("admin@example.org", "wrong password here"), 401, "unauthorized");
  expect_error(staff_sign_in("nobody@example.org"), 401, "unauthorized");
  auto res = staff_sign_in("ADMIN@example.org");
  ASSERT_EQ(res.result_int(), 201) << res.body();
  auto j = json::parse(res.body());
  EXPECT_EQ(j["role"], "admin");
  EXPECT_TRUE(j["csrf_token"].is_string());
  EXPECT_TRUE(j["expires"].is_string());
  EXPECT_EQ(std::string(res[bhttp::field::set_cookie]).rfind("__Host-session=", 0), 0u);
  const std::string bearer = "Bearer " + j["token"].get<std::string>();
  EXPECT_EQ(as(bearer, bhttp::verb::get, "/api/v1/organisations").result_int(), 200);

  // Sign-out really invalidates the token.
  EXPECT_EQ(as(bearer, bhttp::verb::delete_, "/api/v1/session").result_int(), 200);
  expect_error(as(bearer, bhttp::verb::get, "/api/v1/organisations"), 401, "unauthorized");
  expect_error(as(bearer, bhttp::verb::get, "/api/v1/cases"), 401, "unauthorized");
}

TEST_F(ApiTest, StaffSignInBodyNamesOneKindOfCredentials) {
  add_user("admin@example.org", "admin");
  expect_error(call(bhttp::verb::post, "/api/v1/session",
                    R"({"reference":"GRV-AAAA-AAAA","access_code":"1","email":"a@b.org",)"
                    R"("password":"x"})"),
               400, "invalid_field", "email");
  expect_error(call(bhttp::verb::post, "/api/v1/session", "{}"), 400, "invalid_field", "reference");
  expect_error(call(bhttp::verb::post, "/api/v1/session", R"({"email":"admin@example.org"})"), 400,
               "invalid_field", "password");
  expect_error(call(bhttp::verb::post, "/api/v1/session", R"({"password":"x"})"), 400,
               "invalid_field", "email");
  expect_error(call(bhttp::verb::post, "/api/v1/session", R"({"email":1,"password":"x"})"), 400,
               "invalid_field", "email");
  expect_error(call(bhttp::verb::post, "/api/v1/session",
                    R"({"email":"admin@example.org","password":"x","remember":true})"),
               400, "invalid_field", "remember");
}

TEST_F(ApiTest, StaffLockoutAfterRepeatedWrongPasswordsIs429) {
  add_user("officer@example.org", "admin");
  int attempts = 0;
  Response last;
  do {
    last = staff_sign_in("officer@example.org", "not the password at all");
    ++attempts;
  } while (last.result_int() == 401 && attempts < 20);
  expect_error(last, 429, "rate_limited");
  EXPECT_LE(attempts, 6) << "locked after the configured 5 failures";
  EXPECT_FALSE(std::string(last[bhttp::field::retry_after]).empty());
  // Even the right password waits until the lockout ends.
  expect_error(staff_sign_in("officer@example.org"), 429, "rate_limited");
  clock_.advance(std::chrono::minutes(16));
  EXPECT_EQ(staff_sign_in("officer@example.org").result_int(), 201);
}

TEST_F(ApiTest, TotpEnrolmentThenRequiredWrongAndReplayedCodesRefused) {
  const auto org = add_org(domain::OrgKind::kCompany, "PT Sawit Dua", "ID");
  add_user("grievance@sawit.example", "company", org);
  auto res = staff_sign_in("grievance@sawit.example");
  ASSERT_EQ(res.result_int(), 201);
  auto signed_in = json::parse(res.body());
  const std::string token = signed_in["token"];

  // A cookie call without the CSRF token is refused; a bearer call needs none.
  expect_error(call(bhttp::verb::post, "/api/v1/session/totp", {}, {},
                    {{"Cookie", "__Host-session=" + token}}),
               403, "csrf_failed");
  expect_error(as("Bearer " + token, bhttp::verb::post, "/api/v1/session/totp", R"({"x":1})"), 400,
               "invalid_field", "x");
  auto enrolled = ok_json(as("Bearer " + token, bhttp::verb::post, "/api/v1/session/totp",
                             json{{"password", kPassword}}.dump()));
  const std::string secret_b32 = enrolled["secret"];
  EXPECT_EQ(enrolled["otpauth_uri"].get<std::string>().rfind("otpauth://totp/", 0), 0u);
  auto secret = domain::base32_decode(secret_b32);
  ASSERT_TRUE(secret);

  expect_error(staff_sign_in("grievance@sawit.example"), 401, "unauthorized");
  expect_error(staff_sign_in("grievance@sawit.example", kPassword, "000000"), 401, "unauthorized");
  const auto code = domain::totp_code(crypto_, *secret, domain::totp_step(clock_.now()));
  ASSERT_EQ(staff_sign_in("grievance@sawit.example", kPassword, code).result_int(), 201);
  // A code is accepted once.
  expect_error(staff_sign_in("grievance@sawit.example", kPassword, code), 401, "unauthorized");
  clock_.advance(std::chrono::seconds(30));
  const auto next = domain::totp_code(crypto_, *secret, domain::totp_step(clock_.now()));
  EXPECT_EQ(staff_sign_in("grievance@sawit.example", kPassword, next).result_int(), 201);

  // A complainant has no second factor.
  auto [complainant, _] = sign_in(file(complaint()));
  expect_error(as("Bearer " + complainant, bhttp::verb::post, "/api/v1/session/totp",
                  json{{"password", kPassword}}.dump()),
               403, "forbidden");
  expect_error(call(bhttp::verb::post, "/api/v1/session/totp"), 401, "unauthorized");
}

// Issue 8: a session alone replaced an enrolled second factor (a stolen session took it over).
// Enrolling needs the password; replacing an enrolled factor also a current code; every
// failure answers alike. And a right password with a wrong code answers like a wrong password.
TEST_F(ApiTest, TotpEnrolmentNeedsThePasswordAndReplacingItACurrentCode) {
  add_user("officer@union.example", "admin");
  const std::string bearer = bearer_of("officer@union.example");
  const auto enrol = [&](const json& body) {
    return as(bearer, bhttp::verb::post, "/api/v1/session/totp", body.dump());
  };
  expect_error(as(bearer, bhttp::verb::post, "/api/v1/session/totp"), 400, "invalid_request");
  expect_error(enrol(json::object()), 400, "invalid_field", "password");
  const auto refused =
      expect_error(enrol({{"password", "not the password at all"}}), 403, "forbidden", "password");
  auto first = ok_json(enrol({{"password", kPassword}}));
  auto secret = domain::base32_decode(first["secret"].get<std::string>());
  ASSERT_TRUE(secret);
  const auto code = domain::totp_code(crypto_, *secret, domain::totp_step(clock_.now()));
  const std::string wrong_code = code == "000000" ? "111111" : "000000";

  // Enrolled: the password alone, a wrong code, or a wrong password answer alike.
  for (const json& body :
       {json{{"password", kPassword}}, json{{"password", kPassword}, {"totp", wrong_code}},
        json{{"password", "not the password at all"}, {"totp", code}}}) {
    auto res = enrol(body);
    EXPECT_EQ(res.result_int(), 403) << body;
    EXPECT_EQ(json::parse(res.body()), refused) << body;
  }
  auto second = ok_json(enrol({{"password", kPassword}, {"totp", code}}));
  EXPECT_NE(second["secret"], first["secret"]);

  // Signing in: a right password with a missing or wrong code answers like a wrong password.
  clock_.advance(std::chrono::minutes(16));  // past the failures above
  auto wrong_password = staff_sign_in("officer@union.example", "not the password at all");
  auto no_code = staff_sign_in("officer@union.example");
  auto bad_code = staff_sign_in("officer@union.example", kPassword, wrong_code);
  const auto expected = expect_error(wrong_password, 401, "unauthorized");
  EXPECT_EQ(json::parse(no_code.body()), expected);
  EXPECT_EQ(json::parse(bad_code.body()), expected);
  EXPECT_EQ(no_code.result_int(), 401);
  EXPECT_EQ(bad_code.result_int(), 401);
}

TEST_F(ApiTest, StaffSessionsExpireWhenIdleAndAfterTheAbsoluteLifetime) {
  add_user("admin@example.org", "admin");
  const auto idle = bearer_of("admin@example.org");
  clock_.advance(std::chrono::minutes(31));
  expect_error(as(idle, bhttp::verb::get, "/api/v1/users"), 401, "unauthorized");

  const auto busy = bearer_of("admin@example.org");
  for (int i = 0; i < 23; ++i) {  // active every 20 minutes for 7 h 40 min
    clock_.advance(std::chrono::minutes(20));
    ASSERT_EQ(as(busy, bhttp::verb::get, "/api/v1/users").result_int(), 200) << i;
  }
  clock_.advance(std::chrono::minutes(21));  // past 8 h
  expect_error(as(busy, bhttp::verb::get, "/api/v1/users"), 401, "unauthorized");
}

// ---- admin CRUD --------------------------------------------------------------------------

TEST_F(ApiTest, AdminManagesOrganisationsAndUsers) {
  add_user("admin@example.org", "admin");
  const auto admin = bearer_of("admin@example.org");

  auto created = as(admin, bhttp::verb::post, "/api/v1/organisations",
                    R"({"kind":"union","name":"SERBUNDO","country":"ID"})");
  auto org = ok_json(created, 201);
  EXPECT_EQ(org["kind"], "union");
  EXPECT_EQ(org["disabled"], false);
  const auto org_id = org["id"].get<std::int64_t>();
  EXPECT_EQ(created[bhttp::field::location], "/api/v1/organisations/" + std::to_string(org_id));
  auto listed = ok_json(as(admin, bhttp::verb::get, "/api/v1/organisations"));
  EXPECT_EQ(listed["organisations"].size(), 2u);
  const std::string path = "/api/v1/organisations/" + std::to_string(org_id);
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, path)), org);
  auto patched = ok_json(as(admin, bhttp::verb::patch, path, R"({"name":"SERBUNDO Riau"})"));
  EXPECT_EQ(patched["name"], "SERBUNDO Riau");
  EXPECT_EQ(patched["country"], "ID");
  expect_error(as(admin, bhttp::verb::patch, path, R"({"kind":"company"})"), 400, "invalid_field",
               "kind");
  expect_error(as(admin, bhttp::verb::post, "/api/v1/organisations",
                  R"({"kind":"bank","name":"X","country":"ID"})"),
               400, "invalid_field", "kind");
  expect_error(as(admin, bhttp::verb::post, "/api/v1/organisations",
                  R"({"kind":"union","name":"X","country":"ID","id":5})"),
               400, "invalid_field", "id");
  for (auto bad : {"0", "-1", "abc", "1e3", "99999999999999999999", "999"}) {
    expect_error(as(admin, bhttp::verb::get, std::string("/api/v1/organisations/") + bad), 404,
                 "not_found");
  }

  // Users: never a password hash or TOTP secret; a duplicate e-mail is 409.
  auto user = ok_json(as(admin, bhttp::verb::post, "/api/v1/users",
                         json{{"email", "Officer@Serbundo.example"},
                              {"role", "union"},
                              {"org_id", org_id},
                              {"password", kPassword}}
                             .dump()),
                      201);
  EXPECT_EQ(user["email"], "officer@serbundo.example");
  EXPECT_EQ(user["totp_enrolled"], false);
  EXPECT_EQ(user["org_id"], org_id);
  for (auto secret : {"password", "password_hash", "totp_secret"}) {
    EXPECT_FALSE(user.contains(secret)) << secret;
  }
  auto all_users = as(admin, bhttp::verb::get, "/api/v1/users");
  EXPECT_EQ(all_users.body().find("scrypt"), std::string::npos);
  EXPECT_EQ(ok_json(all_users)["users"].size(), 2u);
  expect_error(as(admin, bhttp::verb::post, "/api/v1/users",
                  json{{"email", "officer@serbundo.example"},
                       {"role", "union"},
                       {"org_id", org_id},
                       {"password", "another twelve chars"}}
                      .dump()),
               409, "conflict");
  expect_error(as(admin, bhttp::verb::post, "/api/v1/users",
                  json{{"email", "short@serbundo.example"},
                       {"role", "union"},
                       {"org_id", org_id},
                       {"password", "short"}}
                      .dump()),
               400, "invalid_field", "password");
  const std::string user_path = "/api/v1/users/" + std::to_string(user["id"].get<int>());

  // The new user signs in; disabling (DELETE) signs them out and refuses the next sign-in.
  const auto officer = bearer_of("officer@serbundo.example");
  EXPECT_EQ(as(officer, bhttp::verb::get, "/api/v1/cases").result_int(), 200);
  expect_error(as(officer, bhttp::verb::get, "/api/v1/users"), 403, "forbidden");
  auto disabled = ok_json(as(admin, bhttp::verb::delete_, user_path));
  EXPECT_EQ(disabled["disabled"], true);
  expect_error(as(officer, bhttp::verb::get, "/api/v1/cases"), 401, "unauthorized");
  expect_error(staff_sign_in("officer@serbundo.example"), 401, "unauthorized");
  auto org_disabled = ok_json(as(admin, bhttp::verb::delete_, path));
  EXPECT_EQ(org_disabled["disabled"], true);

  expect_error(call(bhttp::verb::get, "/api/v1/users"), 401, "unauthorized");
  expect_error(call(bhttp::verb::post, "/api/v1/organisations", "{}"), 401, "unauthorized");
}

TEST_F(ApiTest, AdminManagesSitesAndSupplyLinks) {
  add_user("admin@example.org", "admin");
  const auto admin = bearer_of("admin@example.org");
  const auto mill = add_org(domain::OrgKind::kCompany, "Mill", "ID");
  const auto brand = add_org(domain::OrgKind::kCompany, "Brand", "NL");
  const auto union_id = add_org(domain::OrgKind::kUnion, "Union", "ID");

  auto site = ok_json(as(admin, bhttp::verb::post, "/api/v1/sites",
                         json{{"name", "Pabrik Kelapa Sawit Dumai"},
                              {"country", "ID"},
                              {"region", "Riau"},
                              {"sector", "palm_oil"},
                              {"operator_org_id", mill}}
                             .dump()),
                      201);
  EXPECT_EQ(site["operator_org_id"], mill);
  const std::string site_path = "/api/v1/sites/" + std::to_string(site["id"].get<int>());
  expect_error(as(admin, bhttp::verb::post, "/api/v1/sites",
                  json{{"name", "X"}, {"country", "ID"}, {"sector", "gold"}}.dump()),
               400, "invalid_field", "sector");
  auto cleared = ok_json(as(admin, bhttp::verb::patch, site_path, R"({"operator_org_id":null})"));
  EXPECT_TRUE(cleared["operator_org_id"].is_null());
  ok_json(as(admin, bhttp::verb::patch, site_path, json{{"operator_org_id", mill}}.dump()));
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::delete_, site_path))["disabled"], true);

  // The public picker hides the disabled site and the operator; ?all=1 is the admin's view.
  auto picker = ok_json(call(bhttp::verb::get, "/api/v1/sites?q=Dumai"));
  EXPECT_EQ(picker["sites"].size(), 0u);
  auto all = ok_json(as(admin, bhttp::verb::get, "/api/v1/sites?all=1"));
  EXPECT_EQ(all["sites"].size(), 3u);
  bool found = false;
  for (const auto& s : all["sites"]) {
    if (s["id"] == site["id"]) {
      found = true;
      EXPECT_EQ(s["disabled"], true);
      EXPECT_EQ(s["operator_org_id"], mill);
    }
  }
  EXPECT_TRUE(found);
  expect_error(call(bhttp::verb::get, "/api/v1/sites?all=1"), 401, "unauthorized");
  expect_error(as(admin, bhttp::verb::get, "/api/v1/sites?all=yes"), 400, "invalid_field", "all");

  // Supply links: a self link is refused, a duplicate is a conflict, a cycle is allowed.
  auto link = [&](std::int64_t supplier, std::int64_t buyer) {
    return as(admin, bhttp::verb::post, "/api/v1/supply-links",
              json{{"supplier_org_id", supplier}, {"buyer_org_id", buyer}}.dump());
  };
  auto l1 = ok_json(link(mill, brand), 201);
  EXPECT_TRUE(l1["sector"].is_null());
  EXPECT_EQ(l1["disabled"], false);
  expect_error(link(mill, mill), 400, "invalid_field");
  expect_error(link(mill, brand), 409, "conflict");
  expect_error(link(mill, union_id), 400, "invalid_field");
  auto cycle = ok_json(link(brand, mill), 201);
  auto with_sector = ok_json(
      as(admin, bhttp::verb::post, "/api/v1/supply-links",
         json{{"supplier_org_id", 1}, {"buyer_org_id", brand}, {"sector", "palm_oil"}}.dump()),
      201);
  EXPECT_EQ(with_sector["sector"], "palm_oil");
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, "/api/v1/supply-links"))["supply_links"].size(),
            3u);
  const std::string cycle_path = "/api/v1/supply-links/" + std::to_string(cycle["id"].get<int>());
  expect_error(as(admin, bhttp::verb::patch, cycle_path, json{{"buyer_org_id", brand}}.dump()), 400,
               "invalid_field", "buyer_org_id");
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::delete_, cycle_path))["disabled"], true);
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, cycle_path))["disabled"], true);
}

// ---- filing as a signed-in user, case list, assignment ---------------------------------

TEST_F(ApiTest, WhoFilesDecidesTheChannelAndTheUnionRecord) {
  const auto union_id = add_org(domain::OrgKind::kUnion, "SERBUNDO", "ID");
  const auto auditor_org = add_org(domain::OrgKind::kAuditor, "Audit BV", "NL");
  add_user("officer@serbundo.example", "union", union_id);
  add_user("grievance@sawit.example", "company", 1);
  add_user("audit@audit.example", "auditor", auditor_org);
  add_user("admin@example.org", "admin");
  const auto union_bearer = bearer_of("officer@serbundo.example");
  const auto admin = bearer_of("admin@example.org");

  auto body = complaint();
  body["mandate"] = {{"follow", true}, {"share_identity_with_company", false}};
  auto filed = ok_json(as(union_bearer, bhttp::verb::post, "/api/v1/complaints", body.dump()), 201);
  const std::string path = "/api/v1/cases/" + filed["reference"].get<std::string>();
  auto seen_by_union = ok_json(as(union_bearer, bhttp::verb::get, path));
  EXPECT_EQ(seen_by_union["channel"], "union");
  EXPECT_EQ(seen_by_union["union_org_id"], union_id);
  EXPECT_EQ(seen_by_union["mandate"]["follow"], true);
  EXPECT_EQ(seen_by_union["access"], "message");
  auto seen_by_company = ok_json(as(bearer_of("grievance@sawit.example"), bhttp::verb::get, path));
  EXPECT_FALSE(seen_by_company.contains("union_org_id"));
  EXPECT_FALSE(seen_by_company.contains("mandate"));
  EXPECT_FALSE(seen_by_company.contains("parties"));
  EXPECT_EQ(seen_by_company["party_role"], "responsible");
  EXPECT_EQ(seen_by_company["access"], "act");
  auto seen_by_admin = ok_json(as(admin, bhttp::verb::get, path));
  EXPECT_EQ(seen_by_admin["parties"][0]["org_id"], 1);
  EXPECT_EQ(seen_by_admin["parties"][0]["role"], "responsible");
  EXPECT_EQ(seen_by_admin["union_org_id"], union_id);

  expect_error(as(union_bearer, bhttp::verb::post, "/api/v1/complaints", complaint().dump()), 400,
               "invalid_field", "mandate");
  // A union's cookie filing needs the CSRF token.
  auto cookie_res = staff_sign_in("officer@serbundo.example");
  auto cookie_session = json::parse(cookie_res.body());
  const std::string cookie = "__Host-session=" + cookie_session["token"].get<std::string>();
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", body.dump(), "application/json",
                    {{"Cookie", cookie}}),
               403, "csrf_failed");
  EXPECT_EQ(call(bhttp::verb::post, "/api/v1/complaints", body.dump(), "application/json",
                 {{"Cookie", cookie}, {"X-CSRF-Token", cookie_session["csrf_token"]}})
                .result_int(),
            201);

  // Companies and auditors never file; an admin takes a complaint in on the api channel.
  expect_error(as(bearer_of("grievance@sawit.example"), bhttp::verb::post, "/api/v1/complaints",
                  complaint().dump()),
               403, "forbidden");
  expect_error(as(bearer_of("audit@audit.example"), bhttp::verb::post, "/api/v1/complaints",
                  complaint().dump()),
               403, "forbidden");
  auto by_admin =
      ok_json(as(admin, bhttp::verb::post, "/api/v1/complaints", complaint().dump()), 201);
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get,
                       "/api/v1/cases/" + by_admin["reference"].get<std::string>()))["channel"],
            "api");
  expect_error(as(admin, bhttp::verb::post, "/api/v1/complaints", body.dump()), 400,
               "invalid_field", "mandate");
  expect_error(
      as("Bearer not-a-token", bhttp::verb::post, "/api/v1/complaints", complaint().dump()), 401,
      "unauthorized");

  // A worker signed in to follow a case files a new one like anyone (web, no union).
  auto [worker, _] = sign_in(file(complaint()));
  auto by_worker = ok_json(
      as("Bearer " + worker, bhttp::verb::post, "/api/v1/complaints", complaint().dump()), 201);
  auto worker_case = ok_json(
      as(admin, bhttp::verb::get, "/api/v1/cases/" + by_worker["reference"].get<std::string>()));
  EXPECT_EQ(worker_case["channel"], "web");
  EXPECT_TRUE(worker_case["union_org_id"].is_null());
}

TEST_F(ApiTest, CaseListFiltersAndCursorPaging) {
  add_user("admin@example.org", "admin");
  add_user("grievance@sawit.example", "company", 1);
  auto admin = bearer_of("admin@example.org");
  std::vector<std::string> refs;
  for (int i = 0; i < 5; ++i) {
    auto c = complaint();
    if (i == 3) {
      c["country"] = "VN";
      c["site_id"] = site_id_ + 1;
      c["categories"] = {"harassment"};
    }
    if (i == 4) {
      c.erase("site_id");
      c["place"] = "Kebun dekat Dumai";
      c["anonymous"] = false;
      c["contact"] = {{"name", "Siti"}, {"phone", "+62 812 3456 7890"}};
    }
    refs.push_back(file(c)["reference"]);
    clock_.advance(std::chrono::minutes(1));
  }
  // Newest first, in pages of two.
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = ok_json(as(admin, bhttp::verb::get,
                           "/api/v1/cases?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    ++pages;
    EXPECT_LE(page["cases"].size(), 2u);
    for (const auto& c : page["cases"]) {
      seen.push_back(c["reference"]);
      EXPECT_FALSE(c.contains("narrative"));
      EXPECT_FALSE(c.contains("contact"));
      EXPECT_TRUE(c.contains("parties")) << "admins see the parties";
      EXPECT_EQ(c["overdue"], false);
    }
    cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, std::vector<std::string>(refs.rbegin(), refs.rend()));
  auto first = ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?limit=1"))["cases"][0];
  EXPECT_EQ(first["reference"], refs[4]);
  EXPECT_TRUE(first["site"].is_null());
  auto vn = ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?country=VN"))["cases"];
  ASSERT_EQ(vn.size(), 1u);
  EXPECT_EQ(vn[0]["site"]["name"], "May Binh Duong");
  EXPECT_EQ(vn[0]["categories"], json({"harassment"}));
  EXPECT_EQ(
      ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?category=harassment"))["cases"].size(),
      1u);
  EXPECT_EQ(
      ok_json(as(admin, bhttp::verb::get,
                 "/api/v1/cases?site=" + std::to_string(site_id_) + "&status=received"))["cases"]
          .size(),
      3u);
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?triage=1"))["cases"].size(), 1u);
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?company=1"))["cases"].size(), 4u);
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?q=dumai"))["cases"].size(), 1u);
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?overdue=true"))["cases"].size(), 0u);
  clock_.advance(std::chrono::hours(24 * 8));
  admin = bearer_of("admin@example.org");  // the idle session expired meanwhile
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, "/api/v1/cases?overdue=true"))["cases"].size(), 5u);

  // A company sees only what is routed to it, with its part; never the parties.
  auto company =
      ok_json(as(bearer_of("grievance@sawit.example"), bhttp::verb::get, "/api/v1/cases"))["cases"];
  EXPECT_EQ(company.size(), 4u);
  for (const auto& c : company) {
    EXPECT_EQ(c["party_role"], "responsible");
    EXPECT_FALSE(c.contains("parties"));
  }

  for (auto [query, field] : {std::pair{"status=open", "status"},
                              {"limit=0", "limit"},
                              {"limit=101", "limit"},
                              {"cursor=xyz", "cursor"},
                              {"country=Indonesia", "country"},
                              {"stauts=received", "stauts"},
                              {"triage=maybe", "triage"},
                              {"overdue=soon", "overdue"}}) {
    expect_error(as(admin, bhttp::verb::get, std::string("/api/v1/cases?") + query), 400,
                 "invalid_field", field);
  }
  auto [worker, _] = sign_in(file(complaint()));
  expect_error(as("Bearer " + worker, bhttp::verb::get, "/api/v1/cases"), 403, "forbidden");
  expect_error(call(bhttp::verb::get, "/api/v1/cases"), 401, "unauthorized");
}

TEST_F(ApiTest, AdminAssignsATriageCase) {
  add_user("admin@example.org", "admin");
  add_user("grievance@sawit.example", "company", 1);
  const auto union_id = add_org(domain::OrgKind::kUnion, "SERBUNDO", "ID");
  const auto admin = bearer_of("admin@example.org");
  const auto company = bearer_of("grievance@sawit.example");
  auto c = complaint();
  c.erase("site_id");
  c["place"] = "Somewhere near Dumai";
  const std::string ref = file(c)["reference"];
  const std::string path = "/api/v1/cases/" + ref;
  EXPECT_EQ(ok_json(as(admin, bhttp::verb::get, path))["parties"], json::array());
  expect_error(as(company, bhttp::verb::get, path), 404, "not_found");

  expect_error(as(company, bhttp::verb::post, path + "/assign", R"({"org_id":1})"), 404,
               "not_found");
  expect_error(as(admin, bhttp::verb::post, path + "/assign", R"({})"), 400, "invalid_field",
               "org_id");
  expect_error(as(admin, bhttp::verb::post, path + "/assign", R"({"org_id":"1"})"), 400,
               "invalid_field", "org_id");
  expect_error(as(admin, bhttp::verb::post, path + "/assign", json{{"org_id", union_id}}.dump()),
               400, "invalid_field", "org_id");
  auto assigned = ok_json(as(admin, bhttp::verb::post, path + "/assign", R"({"org_id":1})"));
  EXPECT_EQ(assigned["parties"][0]["org_id"], 1);
  EXPECT_EQ(assigned["parties"][0]["role"], "responsible");
  bool routed_event = false;
  for (const auto& e : assigned["events"]) routed_event |= e["type"] == "routed";
  EXPECT_TRUE(routed_event);
  expect_error(as(admin, bhttp::verb::post, path + "/assign", R"({"org_id":1})"), 409, "conflict");
  EXPECT_EQ(ok_json(as(company, bhttp::verb::get, path))["party_role"], "responsible");
  expect_error(as(company, bhttp::verb::post, path + "/assign", R"({"org_id":1})"), 403,
               "forbidden");
  expect_error(
      as(admin, bhttp::verb::post, "/api/v1/cases/GRV-0000-0000/assign", R"({"org_id":1})"), 404,
      "not_found");
}

TEST_F(ApiTest, EventsShowTheActorOrganisationOnlyToStaff) {
  add_user("grievance@sawit.example", "company", 1);
  auto filed = file(complaint());
  const std::string path = "/api/v1/cases/" + filed["reference"].get<std::string>();
  const auto company = bearer_of("grievance@sawit.example");
  ASSERT_EQ(as(company, bhttp::verb::post, path + "/messages", R"({"body":"We are looking."})")
                .result_int(),
            201);
  auto staff_view = ok_json(as(company, bhttp::verb::get, path));
  auto [worker, _] = sign_in(filed);
  auto worker_view = ok_json(as("Bearer " + worker, bhttp::verb::get, path));
  bool staff_saw_org = false;
  for (const auto& e : staff_view["events"]) staff_saw_org |= e.contains("actor_org_id");
  EXPECT_TRUE(staff_saw_org);
  for (const auto& e : worker_view["events"]) EXPECT_FALSE(e.contains("actor_org_id")) << e;
  EXPECT_EQ(worker_view["events"].back()["body"], "We are looking.");
}

// ---- union batches -----------------------------------------------------------------------

class BatchApiTest : public ApiTest {
 protected:
  BatchApiTest() {
    union_id_ = add_org(domain::OrgKind::kUnion, "SERBUNDO", "ID");
    add_user("officer@serbundo.example", "union", union_id_);
    add_user("admin@example.org", "admin");
    union_ = bearer_of("officer@serbundo.example");
  }
  Response batch(const std::string& body, const std::string& type = "application/json",
                 const std::string& key = {}) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return as(union_, bhttp::verb::post, "/api/v1/complaints/batch", body, type, headers);
  }
  // A union's filing records the worker's mandate.
  json paper_form() {
    auto c = complaint();
    c["mandate"] = {{"follow", false}};
    return c;
  }
  json case_as_admin(const std::string& reference) {
    return ok_json(
        as(bearer_of("admin@example.org"), bhttp::verb::get, "/api/v1/cases/" + reference));
  }
  std::int64_t union_id_ = 0;
  std::string union_;
};

TEST_F(BatchApiTest, JsonRowsValidAndInvalidAndARetryStoresNothingTwice) {
  auto bad = paper_form();
  bad["categories"] = {"bribery"};
  auto with_mandate = complaint();
  with_mandate["mandate"] = {{"follow", true}, {"collective", true}, {"headcount", 40}};
  json rows = {paper_form(), bad, with_mandate, "not an object"};
  const std::string key = "batch-2026-11-29-serbundo-01";
  auto first = ok_json(batch(rows.dump(), "application/json", key), 201);
  EXPECT_EQ(first["stored"], 2);
  EXPECT_EQ(first["replayed"], 0);
  EXPECT_EQ(first["failed"], 2);
  ASSERT_EQ(first["rows"].size(), 4u);
  EXPECT_EQ(first["rows"][0]["row"], 1);
  EXPECT_EQ(first["rows"][0]["access_code"].get<std::string>().size(), 16u);
  EXPECT_EQ(first["rows"][0]["access_code_grouped"].get<std::string>().size(), 19u);
  EXPECT_TRUE(first["rows"][0]["receipt"].is_object());
  EXPECT_EQ(first["rows"][1]["error"]["code"], "invalid_field");
  EXPECT_EQ(first["rows"][1]["error"]["field"], "categories");
  EXPECT_FALSE(first["rows"][1].contains("reference"));
  EXPECT_EQ(first["rows"][3]["error"]["field"], "row");
  EXPECT_EQ(*store_.cases().count_cases(), 2);
  auto stored = case_as_admin(first["rows"][2]["reference"]);
  EXPECT_EQ(stored["channel"], "paper");
  EXPECT_EQ(stored["union_org_id"], union_id_);
  EXPECT_EQ(stored["mandate"]["headcount"], 40);

  // The same request again: every stored row is answered as replayed, nothing new.
  auto retry = ok_json(batch(rows.dump(), "application/json", key), 200);
  EXPECT_EQ(retry["stored"], 0);
  EXPECT_EQ(retry["replayed"], 2);
  EXPECT_EQ(retry["failed"], 2);
  EXPECT_EQ(retry["rows"][0]["reference"], first["rows"][0]["reference"]);
  EXPECT_EQ(retry["rows"][0]["replayed"], true);
  EXPECT_FALSE(retry["rows"][0].contains("access_code"));
  EXPECT_EQ(*store_.cases().count_cases(), 2);

  // The corrected rows retried with the same key: only they are stored.
  rows[1]["categories"] = {"wages"};
  rows[3] = paper_form();
  rows[3]["narrative"] = "Fourth form";
  auto corrected = ok_json(batch(rows.dump(), "application/json", key), 201);
  EXPECT_EQ(corrected["stored"], 2);
  EXPECT_EQ(corrected["replayed"], 2);
  EXPECT_EQ(corrected["failed"], 0);
  EXPECT_EQ(*store_.cases().count_cases(), 4);
}

TEST_F(BatchApiTest, CsvWithQuotingCrlfBomAndUtf8) {
  const std::string csv =
      "\xEF\xBB\xBFlanguage,categories,narrative,site_id,country,anonymous,contact_name,"
      "contact_phone,mandate_follow\r\n"
      "vi,wages; harassment,\"Qu\xE1\xBA\xA3n \xC4\x91\xE1\xBB\x91\x63 la m\xE1\xBA\xAFng, "
      "\"\"n\xC3\xB3i to\"\"\nd\xC3\xB2ng hai\"," +
      std::to_string(site_id_ + 1) +
      ",VN,yes,,,true\r\n"
      "id,wages,Upah lembur,"
      "" +
      std::to_string(site_id_) + ",ID,no,Siti,+62 812 3456 7890,no\r\n";
  auto res = ok_json(batch(csv, "text/csv; charset=utf-8"), 201);
  ASSERT_EQ(res["stored"], 2) << res.dump();
  EXPECT_EQ(res["rows"][0]["line"], 2);
  EXPECT_EQ(res["rows"][1]["line"], 4) << "the first record spans two lines";
  auto first = case_as_admin(res["rows"][0]["reference"]);
  EXPECT_EQ(first["narrative"],
            "Qu\xE1\xBA\xA3n \xC4\x91\xE1\xBB\x91\x63 la m\xE1\xBA\xAFng, \"n\xC3\xB3i "
            "to\"\nd\xC3\xB2ng hai");
  EXPECT_EQ(first["categories"], json({"wages", "harassment"}));
  EXPECT_EQ(first["anonymous"], true);
  EXPECT_EQ(first["mandate"]["follow"], true);
  auto second = case_as_admin(res["rows"][1]["reference"]);
  EXPECT_EQ(second["contact"]["name"], "Siti");
  EXPECT_EQ(second["anonymous"], false);
  EXPECT_EQ(second["mandate"]["follow"], false);
}

TEST_F(BatchApiTest, CsvRowErrorsNameTheColumn) {
  const std::string site = std::to_string(site_id_);
  const std::string csv =
      "language,categories,narrative,site_id,country,anonymous,contact_email,mandate_follow\n"
      "id,wages,ok," +
      site +
      ",ID,yes,,no\n"
      "id,wages,bad flag," +
      site +
      ",ID,perhaps,,no\n"
      "id,wages,bad mail," +
      site +
      ",ID,yes,not-an-address,no\n"
      "id,wages,too few fields\n"
      "id,wages,bad site,abc,ID,yes,,no\n"
      "id,wages,no mandate," +
      site + ",ID,yes,,\n";
  auto res = ok_json(batch(csv, "text/csv"), 201);
  EXPECT_EQ(res["stored"], 1);
  EXPECT_EQ(res["failed"], 5);
  EXPECT_EQ(res["rows"][1]["error"]["field"], "anonymous");
  EXPECT_EQ(res["rows"][2]["error"]["field"], "contact_email");
  EXPECT_EQ(res["rows"][3]["error"]["field"], "row");
  EXPECT_EQ(res["rows"][4]["error"]["field"], "site_id");
  EXPECT_EQ(res["rows"][5]["error"]["field"], "mandate");
  EXPECT_EQ(*store_.cases().count_cases(), 1);
}

TEST_F(BatchApiTest, WholeBodyProblemsAre4xxAndStoreNothing) {
  expect_error(batch("language,colour\nid,red\n", "text/csv"), 400, "invalid_field", "colour");
  expect_error(batch("language,language\nid,id\n", "text/csv"), 400, "invalid_field", "language");
  expect_error(batch("language,narrative\nid,\"open\n", "text/csv"), 400, "invalid_field", "body");
  expect_error(batch("language,narrative\nid,\xff\xfe\n", "text/csv"), 400, "invalid_field",
               "body");
  expect_error(batch("language,narrative\n", "text/csv"), 400, "invalid_field", "rows");
  expect_error(batch("", "text/csv"), 400, "invalid_field");
  expect_error(batch("[]"), 400, "invalid_field", "rows");
  expect_error(batch("{}"), 400, "invalid_request");
  expect_error(batch("[1,"), 400, "invalid_request");
  expect_error(batch("a,b", "text/plain"), 415, "unsupported_media_type");
  std::string many = "language,narrative\n";
  for (int i = 0; i <= domain::kMaxBatchRows; ++i) many += "id,x\n";
  expect_error(batch(many, "text/csv"), 400, "invalid_field", "rows");
  json too_many = json::array();
  for (int i = 0; i <= domain::kMaxBatchRows; ++i) too_many.push_back(json::object());
  expect_error(batch(too_many.dump()), 400, "invalid_field", "rows");
  expect_error(batch("[]", "application/json", "short"), 400, "invalid_field", "Idempotency-Key");
  EXPECT_EQ(*store_.cases().count_cases(), 0);
  EXPECT_EQ(store_.writes, 0);
}

TEST_F(BatchApiTest, OnlyUnionsFileBatches) {
  const std::string rows = json::array({paper_form()}).dump();
  expect_error(call(bhttp::verb::post, "/api/v1/complaints/batch", rows), 401, "unauthorized");
  expect_error(
      as(bearer_of("admin@example.org"), bhttp::verb::post, "/api/v1/complaints/batch", rows), 403,
      "forbidden");
  auto [worker, _] = sign_in(file(complaint()));
  expect_error(as("Bearer " + worker, bhttp::verb::post, "/api/v1/complaints/batch", rows), 403,
               "forbidden");
  // A cookie without the CSRF token.
  auto signed_in = json::parse(staff_sign_in("officer@serbundo.example").body());
  expect_error(call(bhttp::verb::post, "/api/v1/complaints/batch", rows, "application/json",
                    {{"Cookie", "__Host-session=" + signed_in["token"].get<std::string>()}}),
               403, "csrf_failed");
  EXPECT_EQ(*store_.cases().count_cases(), 1);
}

}  // namespace
}  // namespace grievance::http
