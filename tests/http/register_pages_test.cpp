// The public register through HTTP (issue 11 item 6; docs/domain.md "Public register"): the
// worker's form on the case page (plain POST, JavaScript off), GET /register and
// GET /api/v1/register. A listed case shows its allowed fields; markers planted in the narrative,
// a message and the contact name never appear; an unlisted case and a case whose consent was
// withdrawn never appear; the site is named only from k cases there on; headline counts below k
// read "fewer than 5".
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "support/fakes.hpp"
#include "support/page_text.hpp"

namespace grievance::http {
namespace {

using testing::first_match;
using testing::section_text;

namespace bhttp = boost::beast::http;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kRegisterForm = "application/x-www-form-urlencoded";
constexpr const char* kRegisterPassword = "correct horse battery";
constexpr const char* kNarrativeMarker = "NARRATIVEMARKER";
constexpr const char* kMessageMarker = "MESSAGEMARKER";
constexpr const char* kNameMarker = "NAMEMARKER";

class RegisterPagesTest : public ::testing::Test {
 protected:
  RegisterPagesTest() {
    company_ = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "PT Sawit", "ID"});
    brand_ = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "Brand Co", "NL"});
    EXPECT_TRUE(store_.directory().create_supply_link(
        domain::SupplyLink{0, company_, brand_, std::nullopt, false}));
    site_id_ = *store_.directory().create_site(
        domain::Site{0, "Kebun Sawit Kampar", "ID", "Riau", domain::Sector::kPalmOil, company_});
    union_ = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kUnion, "Serikat Buruh", "ID"});
    user("csr@sawit.example", "company", company_);
    user("officer@union.example", "union", union_);
    app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }

  void user(const char* email, const char* role, std::optional<std::int64_t> org_id) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org_id;
    d.password = kRegisterPassword;
    ASSERT_TRUE(domain::new_user(store_.directory(), store_.accounts(), hasher_, d, clock_.now()));
  }

  Response call(bhttp::verb method, std::string target, std::string body = {},
                Headers headers = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, kRegisterForm);
      req.body() = std::move(body);
      req.prepare_payload();
    }
    for (auto& [k, v] : headers) req.set(k, v);
    RequestContext ctx{"203.0.113.9", false, "test"};
    return app_->handle(req, ctx);
  }
  Response post(std::string target, const std::string& body) {
    return call(bhttp::verb::post, std::move(target), "lang=en&csrf=" + csrf_ + "&" + body,
                {{"Cookie", cookie_}});
  }
  std::string case_page() {
    auto res = call(bhttp::verb::get, "/case?lang=en", {}, {{"Cookie", cookie_}});
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return res.body();
  }
  std::string register_page(const std::string& query = "lang=en") {
    auto res = call(bhttp::verb::get, "/register?" + query);
    EXPECT_EQ(res.result_int(), 200) << res.body();
    EXPECT_EQ(res.body().find("<script>"), std::string::npos) << "no inline scripts (CSP)";
    return res.body();
  }
  nlohmann::json register_api(const std::string& query = "") {
    auto res = call(bhttp::verb::get, "/api/v1/register" + query);
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return nlohmann::json::parse(res.body(), nullptr, false);
  }

  // Files a complaint at the site through the form, with the markers in the narrative and the
  // contact name, signs its complainant in and writes a message with a marker.
  std::string file_and_sign_in() {
    auto res = call(
        bhttp::verb::post, "/complaints",
        "lang=en&categories=wages&categories=health_safety&narrative=Overtime+" +
            std::string(kNarrativeMarker) + "+not+paid.&site_id=" + std::to_string(site_id_) +
            "&place=&country=&incident_date=2026-10-01&anonymous=yes&contact_name=" + kNameMarker +
            "&contact_phone=%2B84901234567&contact_email=");
    EXPECT_EQ(res.result_int(), 201) << res.body();
    const std::string ref = first_match(res.body(), "id=\"reference\">([A-Z0-9-]+)<");
    const std::string code = first_match(res.body(), "id=\"access-code\">([0-9 ]+)<");
    auto in =
        call(bhttp::verb::post, "/follow", "lang=en&reference=" + ref + "&access_code=" + code);
    EXPECT_EQ(in.result_int(), 303) << in.body();
    const std::string cookie(in[bhttp::field::set_cookie]);
    cookie_ = cookie.substr(0, cookie.find(';'));
    csrf_ = first_match(case_page(), "name=\"csrf\" value=\"([^\"]+)\"");
    EXPECT_EQ(post("/case/messages", std::string("body=Still+") + kMessageMarker).result_int(),
              303);
    return ref;
  }
  // More cases at the same site, not listed.
  void file_more(int n) {
    for (int i = 0; i < n; ++i) {
      domain::ComplaintDraft d;
      d.language = "en";
      d.categories = std::vector<std::string>{"wages"};
      d.narrative = "Wages were not paid.";
      d.site_id = site_id_;
      d.country = "ID";
      d.anonymous = true;
      ASSERT_TRUE(service_.filing.file_complaint(d, domain::Channel::kWeb, {}, nullptr));
    }
  }

  static void expect_no_marker(const std::string& text) {
    for (const char* marker : {kNarrativeMarker, kMessageMarker, kNameMarker, "84901234567"}) {
      EXPECT_EQ(text.find(marker), std::string::npos) << marker;
    }
  }

  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{11};
  testing::ManualClock clock_;
  testing::PlainHasher hasher_;
  domain::Services service_{store_.ports(crypto_, random_, clock_, &hasher_),
                            domain::ServiceConfig{}};
  // The Cookie header value of a staff session signed in through the staff page.
  std::string staff_cookie(const char* email) {
    auto res =
        call(bhttp::verb::post, "/staff/sign-in",
             std::string("lang=en&email=") + email + "&password=correct+horse+battery&totp=");
    EXPECT_EQ(res.result_int(), 303) << res.body();
    const std::string cookie(res[bhttp::field::set_cookie]);
    return cookie.substr(0, cookie.find(';'));
  }

  std::int64_t company_ = 0, brand_ = 0, site_id_ = 0, union_ = 0;
  std::unique_ptr<App> app_;
  std::string cookie_, csrf_;
};

TEST_F(RegisterPagesTest, TheWorkerListsTheCaseAndTakesItOffFromTheCasePage) {
  const std::string ref = file_and_sign_in();
  std::string form = section_text(case_page(), "register");
  // What is published and what never is, in plain words.
  EXPECT_NE(form.find("Public register"), std::string::npos) << form;
  EXPECT_NE(form.find("the company"), std::string::npos) << form;
  EXPECT_NE(form.find("Your name, your words, your messages"), std::string::npos) << form;
  EXPECT_NE(form.find("This case is not on the public list."), std::string::npos) << form;
  EXPECT_NE(form.find("Put my case on the public list"), std::string::npos) << form;
  EXPECT_EQ(register_page().find(ref), std::string::npos);

  // A post without the session's CSRF token changes nothing.
  auto forged =
      call(bhttp::verb::post, "/case/register", "lang=en&csrf=x&list=yes", {{"Cookie", cookie_}});
  EXPECT_EQ(forged.result_int(), 403);
  EXPECT_EQ(register_page().find(ref), std::string::npos);

  auto listed = post("/case/register", "list=yes");
  ASSERT_EQ(listed.result_int(), 303) << listed.body();
  EXPECT_EQ(listed[bhttp::field::location], "/case?done=register&lang=en");
  const std::string after = case_page();
  form = section_text(after, "register");
  EXPECT_NE(form.find("This case is on the public list now."), std::string::npos) << form;
  EXPECT_NE(form.find("Take my case off the public list"), std::string::npos) << form;
  EXPECT_NE(after.find("The case was put on the public list"), std::string::npos);
  const std::string reg = register_page();
  EXPECT_NE(section_text(reg, "register-cases").find(ref), std::string::npos);

  // Taken off again: gone from the register at once.
  ASSERT_EQ(post("/case/register", "list=no").result_int(), 303);
  EXPECT_NE(case_page().find("The case was taken off the public list"), std::string::npos);
  EXPECT_EQ(register_page().find(ref), std::string::npos);
  EXPECT_EQ(register_api()["cases"].size(), 0u);
  // The same choice again is refused on the form, not an error page.
  auto again = post("/case/register", "list=no");
  EXPECT_EQ(again.result_int(), 409);
  EXPECT_NE(section_text(again.body(), "register").find("This cannot be done now"),
            std::string::npos);
  EXPECT_NE(again.body().find("id=\"register-error\""), std::string::npos);
}

TEST_F(RegisterPagesTest, AListedCaseShowsTheAllowedFieldsAndNothingElse) {
  const std::string ref = file_and_sign_in();
  ASSERT_EQ(post("/case/register", "list=yes").result_int(), 303);
  // Another case, never listed, at the same site.
  const std::string hidden_cookie = cookie_;
  const std::string unlisted = file_and_sign_in();
  cookie_ = hidden_cookie;

  const std::string page = register_page();
  const std::string cases = section_text(page, "register-cases");
  EXPECT_NE(cases.find(ref), std::string::npos) << cases;
  EXPECT_EQ(page.find(unlisted), std::string::npos);
  EXPECT_NE(cases.find("PT Sawit"), std::string::npos) << cases;
  EXPECT_EQ(cases.find("Brand Co"), std::string::npos) << "a buyer is not named" << cases;
  EXPECT_NE(cases.find("Indonesia"), std::string::npos) << cases;
  EXPECT_NE(cases.find("Palm oil"), std::string::npos) << cases;
  EXPECT_NE(cases.find("Pay and wages"), std::string::npos) << cases;
  EXPECT_NE(cases.find("November 2026"), std::string::npos) << cases;
  EXPECT_EQ(cases.find("29 November 2026"), std::string::npos) << "the month, never the day";
  // Two cases at the site: fewer than k, so the site is not named.
  EXPECT_EQ(page.find("Kebun Sawit Kampar"), std::string::npos);
  EXPECT_NE(cases.find("Not shown, to protect the workers"), std::string::npos) << cases;
  expect_no_marker(page);

  const auto api = register_api();
  ASSERT_EQ(api["cases"].size(), 1u) << api.dump();
  const auto& row = api["cases"][0];
  EXPECT_EQ(row["reference"], ref);
  EXPECT_EQ(row["company"], "PT Sawit");
  EXPECT_EQ(row["country"], "ID");
  EXPECT_EQ(row["sector"], "palm_oil");
  EXPECT_EQ(row["categories"], nlohmann::json::array({"wages", "health_safety"}));
  EXPECT_EQ(row["status"], "received");
  EXPECT_EQ(row["filed_month"], "2026-11");
  EXPECT_TRUE(row["closed_on"].is_null());
  EXPECT_TRUE(row["outcome"].is_null());
  EXPECT_TRUE(row["site"].is_null());
  EXPECT_EQ(row["site_hidden"], true);
  expect_no_marker(api.dump());
}

TEST_F(RegisterPagesTest, TheSiteIsNamedFromKCasesThereOn) {
  file_and_sign_in();
  ASSERT_EQ(post("/case/register", "list=yes").result_int(), 303);
  file_more(3);  // four cases at the site
  EXPECT_EQ(register_page().find("Kebun Sawit Kampar"), std::string::npos);
  EXPECT_TRUE(register_api()["cases"][0]["site"].is_null());
  file_more(1);  // five: k
  EXPECT_NE(section_text(register_page(), "register-cases").find("Kebun Sawit Kampar"),
            std::string::npos);
  EXPECT_EQ(register_api()["cases"][0]["site"], "Kebun Sawit Kampar");
}

TEST_F(RegisterPagesTest, HeadlineCountsBelowKReadFewerThanK) {
  file_and_sign_in();
  const std::string figures = section_text(register_page(), "register-figures");
  EXPECT_NE(figures.find("Complaints received"), std::string::npos) << figures;
  EXPECT_NE(figures.find("fewer than 5"), std::string::npos) << figures;
  EXPECT_EQ(figures.find(">1<"), std::string::npos) << figures;
  const auto api = register_api();
  EXPECT_EQ(api["k"], 5);
  EXPECT_EQ(api["headline"]["all_time"]["protection"], "protected");
  EXPECT_EQ(api["headline"]["all_time"]["rows"][0]["registered"], "<5");
  EXPECT_EQ(api["headline"]["this_year"]["rows"][0]["registered"], "<5");
}

TEST_F(RegisterPagesTest, ThePageSpeaksFiveLanguagesAndIsLinkedFromEveryWorkerPage) {
  for (const char* lang : {"en", "nl", "id", "vi", "fr"}) {
    const std::string page = register_page(std::string("lang=") + lang);
    EXPECT_NE(page.find(std::string("<html lang=\"") + lang + "\""), std::string::npos) << lang;
    EXPECT_EQ(page.find("register_"), std::string::npos) << lang << ": an untranslated key";
  }
  EXPECT_NE(register_page("lang=nl").find("Openbaar register"), std::string::npos);
  auto home = call(bhttp::verb::get, "/?lang=en");
  EXPECT_NE(home.body().find("href=\"/register?lang=en\""), std::string::npos);
}

TEST_F(RegisterPagesTest, TheUnionThatFiledListsTheCaseFromTheStaffCasePage) {
  auto officer = service_.staff.sign_in("officer@union.example", kRegisterPassword, "", "client");
  ASSERT_TRUE(officer);
  domain::ComplaintDraft d;
  d.language = "en";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Wages were not paid.";
  d.site_id = site_id_;
  d.country = "ID";
  d.anonymous = true;
  d.mandate = domain::Mandate{true, false, false, 0};
  auto filed = service_.filing.file_complaint(d, domain::Channel::kUnion, {}, &officer->session);
  ASSERT_TRUE(filed) << filed.error().message;
  const std::string ref = filed->filed.reference;
  const std::string page_path = "/staff/cases/" + ref + "?lang=en";

  // The responsible company sees no such form.
  const std::string company = staff_cookie("csr@sawit.example");
  auto company_page = call(bhttp::verb::get, page_path, {}, {{"Cookie", company}});
  ASSERT_EQ(company_page.result_int(), 200);
  EXPECT_EQ(company_page.body().find("id=\"register\""), std::string::npos);

  const std::string cookie = staff_cookie("officer@union.example");
  auto page = call(bhttp::verb::get, page_path, {}, {{"Cookie", cookie}});
  ASSERT_EQ(page.result_int(), 200);
  const std::string form = section_text(page.body(), "register");
  EXPECT_NE(form.find("This case is not in the public register."), std::string::npos) << form;
  EXPECT_NE(form.find("Only do so when the worker agrees"), std::string::npos) << form;
  const std::string csrf = first_match(page.body(), "name=\"csrf\" value=\"([^\"]+)\"");
  auto listed = call(bhttp::verb::post, "/staff/cases/" + ref + "/register",
                     "lang=en&csrf=" + csrf + "&list=yes", {{"Cookie", cookie}});
  ASSERT_EQ(listed.result_int(), 303) << listed.body();
  auto after = call(bhttp::verb::get, page_path + "&registered=1", {}, {{"Cookie", cookie}});
  EXPECT_NE(after.body().find("choice about the public register was saved."), std::string::npos);
  EXPECT_NE(section_text(after.body(), "register").find("This case is in the public register."),
            std::string::npos);
  EXPECT_NE(after.body().find("side listed the case in the public register"), std::string::npos);
  EXPECT_NE(section_text(register_page(), "register-cases").find(ref), std::string::npos);
  // The company may not do it for the worker.
  auto forbidden =
      call(bhttp::verb::post, "/staff/cases/" + ref + "/register",
           "lang=en&csrf=" + first_match(company_page.body(), "name=\"csrf\" value=\"([^\"]+)\"") +
               "&list=no",
           {{"Cookie", company}});
  EXPECT_EQ(forbidden.result_int(), 403);
  EXPECT_NE(section_text(register_page(), "register-cases").find(ref), std::string::npos);
}

TEST_F(RegisterPagesTest, BadFiltersAreRefused) {
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/register?sector=gold").result_int(), 400);
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/register?page=0").result_int(), 400);
  EXPECT_EQ(call(bhttp::verb::get, "/api/v1/register?nope=1").result_int(), 400);
  EXPECT_EQ(call(bhttp::verb::get, "/register?lang=en&sector=gold").result_int(), 400);
}

}  // namespace
}  // namespace grievance::http
