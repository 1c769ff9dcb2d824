// The pages of issue 10 item 6 without sockets: the follow-up guides on the staff case view
// (collapsed, for the case's categories, escaped), the admin's guide pages (edit, refuse, reset),
// the guides API, and the worker's rights page per country, linked from the receipt's and the
// case page's country.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/domain/follow_up_guides.hpp"
#include "server/domain/worker_avenues.hpp"
#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::testing {
namespace {

namespace bhttp = boost::beast::http;
using http::Request;
using http::Response;

class GuidePagesTest : public CaseworkFixture {
 protected:
  void SetUp() override {
    CaseworkFixture::SetUp();
    app_ = http::make_app(
        http::AppDeps{*service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }

  Response send(bhttp::verb method, const std::string& target, const std::string& cookie = {},
                const std::string& body = {}, const char* type = nullptr) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "grievance.example");
    req.set(bhttp::field::accept, "text/html");
    if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
    if (type != nullptr) {
      req.set(bhttp::field::content_type, type);
      req.body() = body;
      req.prepare_payload();
    }
    http::RequestContext ctx{"203.0.113.7", false, "guide-test"};
    return app_->handle(req, ctx);
  }
  Response form(const std::string& target, const std::string& cookie, const std::string& body) {
    return send(bhttp::verb::post, target, cookie, body, "application/x-www-form-urlencoded");
  }
  static std::string cookie_of(const Response& res) {
    const std::string c(res[bhttp::field::set_cookie]);
    return c.substr(0, c.find(';'));
  }
  std::string staff_cookie(const char* email) {
    auto res = form("/staff/sign-in", "",
                    "lang=en&totp=&email=" + http::web::url_encode(email) +
                        "&password=" + http::web::url_encode(kPassword));
    EXPECT_EQ(res.result_int(), 303) << res.body();
    return cookie_of(res);
  }
  static std::string csrf(const std::string& html) {
    const auto at = html.find("name=\"csrf\" value=\"");
    if (at == std::string::npos) return {};
    const auto start = at + 19;
    return html.substr(start, html.find('"', start) - start);
  }
  static bool has(const std::string& html, const std::string& needle) {
    return html.find(needle) != std::string::npos;
  }

  std::unique_ptr<http::App> app_;
};

TEST_F(GuidePagesTest, CaseViewShowsTheGuidesOfTheCaseCollapsed) {
  const std::string ref = file(nullptr);
  for (const char* email : {"plantation@example.org", "union@example.org", "admin@example.org"}) {
    SCOPED_TRACE(email);
    const std::string cookie = staff_cookie(email);
    auto res = send(bhttp::verb::get, "/staff/cases/" + ref + "?lang=id", cookie);
    if (std::string(email) == "union@example.org") {
      // The union did not file this case: it does not see it at all.
      EXPECT_EQ(res.result_int(), 404);
      continue;
    }
    ASSERT_EQ(res.result_int(), 200);
    const std::string& html = res.body();
    ASSERT_TRUE(has(html, "<details class=\"guide\" id=\"guide-wages\">")) << html;
    EXPECT_FALSE(has(html, "id=\"guide-child_labour\""));
    EXPECT_TRUE(has(html, "Yang perlu diperiksa") || has(html, "Apa yang perlu diperiksa"));
    const GuideText shipped = default_guide(Category::kWages, Language::kId);
    const std::string first_line(guide_lines(shipped.check)[0]);
    EXPECT_TRUE(has(html, std::string(first_line.substr(0, 30)))) << html;
    // Below the timeline's start in the page: the guides sit in the side column, collapsed.
    EXPECT_LT(html.find("id=\"timeline-title\""), html.find("id=\"guides-title\""));
    EXPECT_FALSE(has(html, "<details class=\"guide\" id=\"guide-wages\" open"));
  }
}

TEST_F(GuidePagesTest, AdminEditsAGuideAndTheCompanySeesItEscaped) {
  const std::string ref = file(nullptr);
  const std::string admin = staff_cookie("admin@example.org");
  auto list = send(bhttp::verb::get, "/staff/admin/guides?lang=en&in=en", admin);
  ASSERT_EQ(list.result_int(), 200);
  EXPECT_TRUE(has(list.body(), "/staff/admin/guides/forced_labour?lang=en&amp;in=en"));
  auto edit = send(bhttp::verb::get, "/staff/admin/guides/wages?lang=en&in=en", admin);
  ASSERT_EQ(edit.result_int(), 200);
  const std::string token = csrf(edit.body());
  ASSERT_FALSE(token.empty());

  // Too long a line: the form again, with the error, nothing saved.
  auto bad = form("/staff/admin/guides/wages", admin,
                  "csrf=" + token + "&lang=en&guide_lang=en&check=" + std::string(500, 'x'));
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_TRUE(has(bad.body(), "id=\"check-error\""));
  EXPECT_FALSE(
      service_->guides.guide(staff("admin@example.org"), Category::kWages, Language::kEn)->edited);

  auto saved = form("/staff/admin/guides/wages", admin,
                    "csrf=" + token + "&lang=en&guide_lang=en&check=" +
                        http::web::url_encode("Ask the <b>payroll</b> office\nCount the slips") +
                        "&involve=&remedies=&pitfalls=" + http::web::url_encode("Retaliation"));
  ASSERT_EQ(saved.result_int(), 303) << saved.body();

  const std::string company = staff_cookie("plantation@example.org");
  auto page = send(bhttp::verb::get, "/staff/cases/" + ref + "?lang=en", company);
  ASSERT_EQ(page.result_int(), 200);
  EXPECT_TRUE(has(page.body(), "<li>Ask the &lt;b&gt;payroll&lt;/b&gt; office</li>"))
      << page.body();
  EXPECT_FALSE(has(page.body(), "<b>payroll</b>"));
  EXPECT_TRUE(has(page.body(), "<li>Count the slips</li>"));

  // Reset: the default again.
  auto again = send(bhttp::verb::get, "/staff/admin/guides/wages?lang=en&in=en", admin);
  ASSERT_TRUE(has(again.body(), "id=\"guide-reset\""));
  auto reset = form("/staff/admin/guides/wages/reset", admin,
                    "csrf=" + csrf(again.body()) + "&lang=en&guide_lang=en");
  ASSERT_EQ(reset.result_int(), 303);
  page = send(bhttp::verb::get, "/staff/cases/" + ref + "?lang=en", company);
  EXPECT_FALSE(has(page.body(), "payroll</b>"));
  EXPECT_FALSE(has(page.body(), "Count the slips"));
}

TEST_F(GuidePagesTest, OnlyTheAdminReachesTheGuidePages) {
  const std::string company = staff_cookie("plantation@example.org");
  EXPECT_EQ(send(bhttp::verb::get, "/staff/admin/guides", company).result_int(), 404);
  EXPECT_EQ(send(bhttp::verb::get, "/staff/admin/guides/wages", company).result_int(), 404);
  auto page = send(bhttp::verb::get, "/staff/cases?lang=en", company);
  auto post = form("/staff/admin/guides/wages", company,
                   "csrf=" + csrf(page.body()) + "&lang=en&guide_lang=en&check=Hacked");
  EXPECT_EQ(post.result_int(), 404);
  EXPECT_FALSE(
      service_->guides.guide(staff("admin@example.org"), Category::kWages, Language::kEn)->edited);
  // Without a session: the sign-in page.
  EXPECT_EQ(send(bhttp::verb::get, "/staff/admin/guides").result_int(), 303);
  const std::string admin = staff_cookie("admin@example.org");
  EXPECT_EQ(send(bhttp::verb::get, "/staff/admin/guides/not_a_category", admin).result_int(), 404);
}

TEST_F(GuidePagesTest, ApiReadsAndEditsGuides) {
  auto bearer = [&](const char* email) {
    auto s = service_->staff.sign_in(email, kPassword, "", "api");
    EXPECT_TRUE(s);
    return "Bearer " + s->token;
  };
  auto api = [&](bhttp::verb method, const std::string& target, const std::string& auth,
                 const std::string& body = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "grievance.example");
    req.set(bhttp::field::authorization, auth);
    if (!body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    http::RequestContext ctx{"203.0.113.7", false, "guide-test"};
    return app_->handle(req, ctx);
  };
  auto got =
      api(bhttp::verb::get, "/api/v1/guides/child_labour?lang=vi", bearer("brand@example.org"));
  ASSERT_EQ(got.result_int(), 200) << got.body();
  auto j = nlohmann::json::parse(got.body());
  EXPECT_EQ(j["category"], "child_labour");
  EXPECT_EQ(j["language"], "vi");
  EXPECT_EQ(j["edited"], false);
  EXPECT_GE(j["remedies"].size(), 2u);
  EXPECT_EQ(api(bhttp::verb::get, "/api/v1/guides/nope?lang=vi", bearer("brand@example.org"))
                .result_int(),
            404);
  EXPECT_EQ(api(bhttp::verb::get, "/api/v1/guides/wages?lang=xx", bearer("brand@example.org"))
                .result_int(),
            400);
  const std::string body = R"({"check":["One","Two"],"pitfalls":["Retaliation"]})";
  EXPECT_EQ(api(bhttp::verb::put, "/api/v1/guides/wages?lang=fr", bearer("brand@example.org"), body)
                .result_int(),
            403);
  auto put =
      api(bhttp::verb::put, "/api/v1/guides/wages?lang=fr", bearer("admin@example.org"), body);
  ASSERT_EQ(put.result_int(), 200) << put.body();
  j = nlohmann::json::parse(put.body());
  EXPECT_EQ(j["edited"], true);
  EXPECT_EQ(j["check"], nlohmann::json::array({"One", "Two"}));
  EXPECT_TRUE(j["involve"].empty());
  auto del = api(bhttp::verb::delete_, "/api/v1/guides/wages?lang=fr", bearer("admin@example.org"));
  ASSERT_EQ(del.result_int(), 200);
  EXPECT_EQ(nlohmann::json::parse(del.body())["edited"], false);
}

TEST_F(GuidePagesTest, RightsPageNamesTheBodiesOfTheCountry) {
  auto id = send(bhttp::verb::get, "/rights?lang=id&country=ID");
  ASSERT_EQ(id.result_int(), 200);
  EXPECT_TRUE(has(id.body(), "<html lang=\"id\">"));
  EXPECT_TRUE(has(id.body(), "Komnas HAM"));
  EXPECT_TRUE(has(id.body(), "Pengawas Ketenagakerjaan"));
  // Indonesia has no NCP of its own: the list of all of them.
  EXPECT_TRUE(has(id.body(), "id=\"no-ncp\""));
  EXPECT_TRUE(has(id.body(), "<option value=\"ID\" selected>"));

  auto nl = send(bhttp::verb::get, "/rights?lang=nl&country=nl");
  ASSERT_EQ(nl.result_int(), 200);
  EXPECT_TRUE(has(nl.body(), "Nationaal Contactpunt OESO-richtlijnen"));
  EXPECT_TRUE(has(nl.body(), "Nederlandse Arbeidsinspectie"));
  EXPECT_FALSE(has(nl.body(), "id=\"no-ncp\""));

  // Every country of the table, in every language, words every kind of body it lists.
  for (const domain::CountryAvenues& c : domain::avenue_countries()) {
    for (const char* lang : {"en", "nl", "id", "vi", "fr"}) {
      auto res = send(bhttp::verb::get,
                      "/rights?lang=" + std::string(lang) + "&country=" + std::string(c.country));
      ASSERT_EQ(res.result_int(), 200);
      EXPECT_FALSE(has(res.body(), "rights_")) << c.country << " " << lang;
      EXPECT_TRUE(has(res.body(), "id=\"avenues\"")) << c.country;
    }
  }
  // A country without a list, and no country: the advice for anywhere; nothing for a non-code.
  auto other = send(bhttp::verb::get, "/rights?lang=fr&country=PE");
  EXPECT_TRUE(has(other.body(), "id=\"unknown-country\""));
  EXPECT_TRUE(has(other.body(), "id=\"anywhere\""));
  auto bare = send(bhttp::verb::get, "/rights?country=%3Cscript%3E");
  ASSERT_EQ(bare.result_int(), 200);
  EXPECT_FALSE(has(bare.body(), "id=\"avenues\""));
  EXPECT_FALSE(has(bare.body(), "<script>"));
  // No script or style from another site on the worker's page.
  EXPECT_FALSE(has(id.body(), "src=\"http"));
  EXPECT_FALSE(has(id.body(), "<link rel=\"stylesheet\" href=\"http"));
}

// The worker's first load of the rights page, HTML and its /static/ files, stays within the
// budget of the worker pages (PagesTest.FirstPageLoadIsUnder100KB): a cheap phone on a slow line.
TEST_F(GuidePagesTest, RightsPageLoadsUnder100KB) {
  auto page = send(bhttp::verb::get, "/rights?lang=vi&country=VN");
  ASSERT_EQ(page.result_int(), 200);
  std::size_t bytes = page.body().size();
  std::set<std::string> statics;
  const std::string& html = page.body();
  for (auto at = html.find("\"/static/"); at != std::string::npos;
       at = html.find("\"/static/", at + 1)) {
    std::string path = html.substr(at + 1, html.find_first_of("\"#", at + 1) - at - 1);
    for (auto amp = path.find("&amp;"); amp != std::string::npos; amp = path.find("&amp;")) {
      path.replace(amp, 5, "&");
    }
    statics.insert(path);
  }
  EXPECT_GE(statics.size(), 2u);
  for (const std::string& path : statics) {
    auto res = send(bhttp::verb::get, path);
    EXPECT_EQ(res.result_int(), 200) << path;
    bytes += res.body().size();
  }
  EXPECT_LT(bytes, 100u * 1024u);
}

TEST_F(GuidePagesTest, CasePageLinksToTheRightsOfTheWorkplaceCountry) {
  ComplaintDraft d;
  d.language = "vi";
  d.categories = std::vector<std::string>{"harassment"};
  d.narrative = "The supervisor shouts at us.";
  d.site_id = site_;
  d.country = "ID";
  d.anonymous = true;
  auto filed = service_->filing.file_complaint(d, Channel::kWeb, {}, nullptr);
  ASSERT_TRUE(filed);
  auto signed_in =
      form("/follow", "",
           "lang=vi&reference=" + filed->filed.reference + "&access_code=" + filed->access_code);
  ASSERT_EQ(signed_in.result_int(), 303) << signed_in.body();
  auto page = send(bhttp::verb::get, "/case?lang=vi", cookie_of(signed_in));
  ASSERT_EQ(page.result_int(), 200);
  EXPECT_TRUE(has(page.body(), "id=\"rights-link\" href=\"/rights?lang=vi&amp;country=ID\""))
      << page.body();
}

}  // namespace
}  // namespace grievance::testing
