// Handler tests without sockets (STYLE point 3): build a request, call the App, check the
// response. Every bad input gets its 4xx with the SPEC's error object, and nothing is stored.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/domain/case_service.hpp"
#include "server/http/server_app.hpp"
#include "support/fakes.hpp"

namespace grievance::http {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() {
    store_.create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "PT Sawit", "ID"});
    site_id_ = *store_.create_site(
        domain::Site{0, "Kebun Sawit Kampar", "ID", "Riau", domain::Sector::kPalmOil, 1});
    store_.create_site(
        domain::Site{0, "May Binh Duong", "VN", "Binh Duong", domain::Sector::kTextile, 1});
    app_ =
        make_app(AppDeps{service_, store_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 65536});
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

  testing::InMemoryStore store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{5};
  testing::ManualClock clock_;
  domain::CaseService service_{store_, crypto_, random_, clock_, domain::ServiceConfig{}};
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

TEST_F(ApiTest, MetaListsTheVocabulary) {
  auto res = call(bhttp::verb::get, "/api/v1/meta");
  ASSERT_EQ(res.result_int(), 200);
  auto j = json::parse(res.body());
  EXPECT_EQ(j["languages"], json({"en", "nl", "id", "vi", "fr"}));
  EXPECT_EQ(j["categories"].size(), 11u);
  EXPECT_EQ(j["statuses"].size(), 10u);
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
  EXPECT_EQ(*store_.count_cases(), 1);

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
  EXPECT_EQ(*store_.count_cases(), 1);

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
  EXPECT_EQ(*store_.count_cases(), 1);
}

TEST_F(ApiTest, FilingWithAFreeTextPlaceAndContact) {
  auto c = complaint();
  c.erase("site_id");
  c["place"] = "Kebun dekat Dumai";
  c["anonymous"] = false;
  c["contact"] = {{"name", "Siti"}, {"phone", "+62 812 3456 7890"}};
  file(c);
  EXPECT_EQ(*store_.count_cases(), 1);
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
      {"country missing", [](json& j) { j.erase("country"); }, "country"},
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
  EXPECT_EQ(*store_.count_cases(), 0);
  EXPECT_EQ(store_.writes, 0);
}

TEST_F(ApiTest, InvalidUtf8Is400NamingTheField) {
  std::string body = complaint().dump();
  auto pos = body.find("MARKER-7731");
  body.replace(pos, 6, "\xff\xfe\xfd\xfc\xfb\xfa");
  expect_error(call(bhttp::verb::post, "/api/v1/complaints", body), 400, "invalid_field",
               "narrative");
  EXPECT_EQ(*store_.count_cases(), 0);
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
  EXPECT_EQ(*store_.count_cases(), 1);
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
  ASSERT_EQ(v["events"].size(), 1u);
  EXPECT_EQ(v["events"][0]["type"], "filed");

  auto msg = call(bhttp::verb::post, path + "/messages", R"({"body":"Kapan ada jawaban?"})",
                  "application/json", {{"Authorization", bearer}});
  ASSERT_EQ(msg.result_int(), 201) << msg.body();
  EXPECT_EQ(json::parse(msg.body())["type"], "message");
  v = json::parse(call(bhttp::verb::get, path, {}, {}, {{"Authorization", bearer}}).body());
  ASSERT_EQ(v["events"].size(), 2u);
  EXPECT_EQ(v["events"][1]["body"], "Kapan ada jawaban?");

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

TEST_F(ApiTest, WrongCodeIs401ThenLockedOutWith429AndRetryAfter) {
  auto filed = file(complaint());
  json wrong = {{"reference", filed["reference"]}, {"access_code", "0000000000000000"}};
  for (int i = 0; i < 5; ++i) {
    expect_error(call(bhttp::verb::post, "/api/v1/session", wrong.dump()), 401, "unauthorized");
  }
  auto locked =
      call(bhttp::verb::post, "/api/v1/session",
           json{{"reference", filed["reference"]}, {"access_code", filed["access_code"]}}.dump());
  expect_error(locked, 429, "rate_limited");
  EXPECT_EQ(locked[bhttp::field::retry_after], "900");
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
                                {bhttp::verb::post, "/signout"}}) {
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

}  // namespace
}  // namespace grievance::http
