// The statistics dashboard without sockets (issue 11 item 5; docs/domain.md "Statistics"):
// GET /staff/stats shows each reader the cases of its scope - the operator every case exactly, a
// company its own, a union its filings, the auditor protected numbers in which a planted group
// of 3 cases is "fewer than 5" and never "3" - with filters that narrow, a bad date shown as an
// error on its field in the reader's language, every chart's table holding the numbers of
// GET /api/v1/stats for the same question, export links for the auditor and the operator only,
// and no complaint text anywhere. A complainant and a visitor are sent to the sign-in page, and
// the auditor lands on the dashboard after signing in.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/http/pages/staff/stats_charts.hpp"
#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"
#include "support/page_text.hpp"
#include "support/stats_world.hpp"

namespace grievance::http {
namespace {

using nlohmann::json;
using testing::count;
using testing::first_match;
using testing::section_text;
namespace bhttp = boost::beast::http;

constexpr const char* kMarker = "NARRATIVE-DASHBOARD-7Q";
constexpr int kMarchAtA1 = 4;     // filed in March 2026 at company A's estate
constexpr int kNovAtA1 = 8;       // filed in November 2026 at company A's estate
constexpr int kPagesAtB1 = 3;     // the planted small group: company B's mill, health and safety
constexpr int kPagesByUnion = 6;  // filed by the union at company A's second estate, November

domain::TimePoint march_10() {
  return domain::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 3 / 10}} +
         std::chrono::hours{9};
}

class StatsPagesTest : public testing::StatsWorld {
 protected:
  StatsPagesTest() : StatsWorld(march_10()) {
    for (int i = 0; i < kMarchAtA1; ++i) file(a1_, "wages", "");
    clock_.advance(std::chrono::hours(24 * 264));  // to 29 November 2026
    for (int i = 0; i < kNovAtA1; ++i) file(a1_, "wages", "");
    for (int i = 0; i < kPagesAtB1; ++i) file(b1_, "health_safety", "");
    const auto union_token = bearer_of("union@stats.example");
    for (int i = 0; i < kPagesByUnion; ++i) file(a2_, "wages", union_token);
  }

  Response call(bhttp::verb method, const std::string& target, std::string body,
                const std::string& cookie, const std::string& bearer = {},
                const char* type = "application/x-www-form-urlencoded") {
    return send(method, target,
                {.body = std::move(body), .bearer = bearer, .cookie = cookie, .type = type});
  }
  Response get(const std::string& target, const std::string& cookie) {
    return call(bhttp::verb::get, target, {}, cookie);
  }
  Response sign_in_response(const std::string& email) {
    return call(bhttp::verb::post, "/staff/sign-in",
                "lang=en&email=" + web::url_encode(email) +
                    "&password=" + web::url_encode(kPassword) + "&totp=",
                "");
  }
  std::string sign_in(const std::string& email) {
    auto res = sign_in_response(email);
    EXPECT_EQ(res.result_int(), 303) << res.body();
    const std::string cookie(res[bhttp::field::set_cookie]);
    return cookie.substr(0, cookie.find(';'));
  }
  void file(std::int64_t site, const char* category, const std::string& union_bearer) {
    StatsWorld::file(site, category, union_bearer, kMarker);
  }
  // The dashboard as `email` reads it.
  std::string page(const std::string& email, const std::string& query = "?lang=en",
                   int expected = 200) {
    auto res = get("/staff/stats" + query, sign_in(email));
    EXPECT_EQ(res.result_int(), expected) << email << " " << query;
    return res.body();
  }
  json api(const std::string& email, const std::string& query) {
    auto res = call(bhttp::verb::get, "/api/v1/stats" + query, {}, "", bearer_of(email));
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json::parse(res.body());
  }
  // The headline figure `name` as shown.
  static std::string figure(const std::string& html, const std::string& name) {
    return first_match(html,
                       "id=\"figure-" + name + "\"[\\s\\S]*?<dd[^>]*>([^<]*(?:&lt;[^<]*)?)</dd>");
  }
  // The cell of table `table` in the row keyed `key` and the column `col` (and `key2`).
  static std::string cell(const std::string& html, const std::string& table, const std::string& key,
                          const std::string& col, const std::string& key2 = {}) {
    const auto start = html.find("id=\"table-" + table + "\"");
    if (start == std::string::npos) return "(no table " + table + ")";
    const auto end = html.find("</table>", start);
    const std::string part = html.substr(start, end - start);
    const auto row = part.find("<tr data-key=\"" + key + "\"");
    if (row == std::string::npos) return "(no row " + key + ")";
    const std::string tr = part.substr(row, part.find("</tr>", row) - row);
    const std::string attrs =
        "data-col=\"" + col + "\"" + (key2.empty() ? "" : " data-key2=\"" + key2 + "\"");
    return first_match(tr, "<td " + attrs + "[^>]*>([^<]*)</td>");
  }
};

constexpr int kAll = kMarchAtA1 + kNovAtA1 + kPagesAtB1 + kPagesByUnion;

TEST_F(StatsPagesTest, EachRoleSeesTheCasesOfItsScope) {
  const auto admin = page("admin@stats.example");
  EXPECT_EQ(figure(admin, "registered"), std::to_string(kAll));
  EXPECT_NE(admin.find("<h1>Statistics</h1>"), std::string::npos);

  const auto a = page("a@stats.example");
  EXPECT_EQ(figure(a, "registered"), std::to_string(kMarchAtA1 + kNovAtA1 + kPagesByUnion));
  EXPECT_NE(a.find("<h1>Statistics of your company&#39;s cases</h1>"), std::string::npos) << a;
  const auto b = page("b@stats.example");
  EXPECT_EQ(figure(b, "registered"), std::to_string(kPagesAtB1)) << "its own, exactly";

  const auto union_page = page("union@stats.example");
  EXPECT_EQ(figure(union_page, "registered"), std::to_string(kPagesByUnion));
  EXPECT_NE(union_page.find("<h1>Statistics of the complaints your union filed</h1>"),
            std::string::npos);

  const auto auditor = page("auditor@stats.example");
  const std::string shown = figure(auditor, "registered");
  ASSERT_FALSE(shown.empty()) << auditor;
  EXPECT_LE(std::abs(std::stoi(shown) - kAll), domain::kMaxNoise);
  EXPECT_NE(auditor.find("fewer than 5"), std::string::npos) << "the protection is explained";

  for (const std::string& html : {admin, a, b, union_page, auditor}) {
    EXPECT_EQ(html.find(kMarker), std::string::npos) << "no complaint text";
    EXPECT_EQ(html.find(last_filing_["reference"].get<std::string>()), std::string::npos);
    EXPECT_EQ(count(html, "href=\"/staff/stats?lang=en\" aria-current=\"page\""), 1)
        << "the navigation's Statistics item";
    EXPECT_EQ(html.find("style="), std::string::npos) << "the CSP forbids style attributes";
    EXPECT_EQ(html.find("<script>"), std::string::npos);
  }
}

TEST_F(StatsPagesTest, ThePlantedSmallGroupIsFewerThanFiveForTheAuditorNeverThree) {
  const auto admin = page("admin@stats.example");
  const std::string b = std::to_string(b_);
  EXPECT_EQ(cell(admin, "overdue", b, "open"), std::to_string(kPagesAtB1));
  EXPECT_EQ(cell(admin, "categories", "2026-11", "registered", "health_safety"),
            std::to_string(kPagesAtB1));

  const auto auditor = page("auditor@stats.example");
  EXPECT_EQ(cell(auditor, "overdue", b, "open"), "&lt;5");
  EXPECT_EQ(cell(auditor, "overdue", b, "registered"), "&lt;5");
  EXPECT_EQ(cell(auditor, "categories", "2026-11", "registered", "health_safety"), "&lt;5");
  EXPECT_EQ(cell(auditor, "categories", "2026-03", "registered", "wages"), "&lt;5");
  // The company's bar in the chart: a hatched bar labelled "fewer than 5", no number.
  const std::string bar =
      first_match(auditor, "(<g class=\"bar-row\" data-key=\"" + b + "\">[\\s\\S]*?</g>)");
  ASSERT_FALSE(bar.empty()) << auditor;
  EXPECT_NE(bar.find("PT Pabrik B"), std::string::npos) << "named, not numbered";
  EXPECT_NE(bar.find("bar--fewer"), std::string::npos) << bar;
  EXPECT_NE(bar.find("&lt;5"), std::string::npos) << bar;
  EXPECT_EQ(bar.find(">3<"), std::string::npos) << bar;
  EXPECT_EQ(bar.find(">3 "), std::string::npos) << bar;
}

TEST_F(StatsPagesTest, TheFiltersNarrowAndKeepWhatWasAsked) {
  const auto all = page("admin@stats.example");
  EXPECT_EQ(first_match(all, "id=\"from\" name=\"from\" value=\"([^\"]*)\""), "2025-12-01")
      << "the last 12 months by default";
  EXPECT_EQ(first_match(all, "id=\"to\" name=\"to\" value=\"([^\"]*)\""), "2026-11-29");
  const auto since_june = page("admin@stats.example", "?lang=en&from=2026-06-01&to=2026-11-30");
  EXPECT_EQ(figure(since_june, "registered"), std::to_string(kAll - kMarchAtA1));
  EXPECT_EQ(first_match(since_june, "id=\"from\" name=\"from\" value=\"([^\"]*)\""), "2026-06-01");
  const auto health = page("admin@stats.example", "?lang=en&category=health_safety");
  EXPECT_EQ(figure(health, "registered"), std::to_string(kPagesAtB1));
  EXPECT_NE(health.find("<option value=\"health_safety\" selected>"), std::string::npos);
  const auto company_b = page("admin@stats.example", "?lang=en&company=" + std::to_string(b_));
  EXPECT_EQ(figure(company_b, "registered"), std::to_string(kPagesAtB1));
  const auto by_union = page("admin@stats.example", "?lang=en&channel=union");
  EXPECT_EQ(figure(by_union, "registered"), std::to_string(kPagesByUnion));
  // The export links carry the filters; only the auditor and the operator have them.
  EXPECT_NE(company_b.find("/api/v1/exports/stats.csv?from=2025-12-01&amp;to=2026-11-29&amp;"
                           "company=" +
                           std::to_string(b_)),
            std::string::npos)
      << company_b;
  EXPECT_NE(page("auditor@stats.example").find("/api/v1/exports/stats.json?"), std::string::npos);
  EXPECT_EQ(page("a@stats.example").find("/api/v1/exports/stats"), std::string::npos);
  EXPECT_EQ(page("union@stats.example").find("/api/v1/exports/"), std::string::npos);
  // The auditor and the operator choose among every company; a company does not choose.
  EXPECT_NE(page("auditor@stats.example").find(">PT Pabrik B</option>"), std::string::npos);
  EXPECT_EQ(page("a@stats.example").find("id=\"company\""), std::string::npos);
}

// Each reader's download links, and each link answers that reader (the session's cookie is
// enough for a GET): the auditor and the operator the table and the case rows with the filters
// asked; a company its annual disclosure for last year and this year, never the others'
// exports; the operator a company's disclosure once it filters by that company; a union none.
TEST_F(StatsPagesTest, EachReaderDownloadsWhatItMayAndEveryLinkAnswers) {
  const auto links = [](const std::string& html) {
    std::vector<std::string> out;
    for (std::string href : testing::all_matches(html, "href=\"(/api/v1/exports/[^\"]*)\"")) {
      for (std::size_t at; (at = href.find("&amp;")) != std::string::npos;)
        href.replace(at, 5, "&");
      out.push_back(href);
    }
    return out;
  };
  const std::string health = "?lang=en&category=health_safety";
  const auto auditor = links(page("auditor@stats.example", health));
  EXPECT_EQ(auditor, (std::vector<std::string>{
                         "/api/v1/exports/stats.csv?from=2025-12-01&to=2026-11-29&category="
                         "health_safety&group_by=month",
                         "/api/v1/exports/stats.json?from=2025-12-01&to=2026-11-29&category="
                         "health_safety&group_by=month",
                         "/api/v1/exports/cases.csv?from=2025-12-01&to=2026-11-29&category="
                         "health_safety",
                         "/api/v1/exports/cases.json?from=2025-12-01&to=2026-11-29&category="
                         "health_safety"}));
  EXPECT_NE(page("auditor@stats.example", health).find("fewer than 5 cases share a site"),
            std::string::npos)
      << "the auditor is told the case rows are coarsened";
  const auto company = links(page("a@stats.example"));
  EXPECT_EQ(company, (std::vector<std::string>{"/api/v1/exports/disclosure.json?year=2025",
                                               "/api/v1/exports/disclosure.json?year=2026"}));
  EXPECT_TRUE(links(page("union@stats.example")).empty());
  const auto admin = links(page("admin@stats.example", "?lang=en&company=" + std::to_string(a_)));
  ASSERT_EQ(admin.size(), 6u);
  EXPECT_EQ(admin[4], "/api/v1/exports/disclosure.json?year=2025&company=" + std::to_string(a_));
  EXPECT_EQ(links(page("admin@stats.example")).size(), 4u) << "no company, no disclosure";

  // Every link answers its reader, signed in by cookie as the browser would be.
  for (const auto& [email, hrefs] :
       {std::pair{"auditor@stats.example", auditor}, std::pair{"a@stats.example", company},
        std::pair{"admin@stats.example", admin}}) {
    const std::string cookie = sign_in(email);
    for (const std::string& href : hrefs) {
      auto res = get(href, cookie);
      EXPECT_EQ(res.result_int(), 200) << email << " " << href << " " << res.body();
      EXPECT_EQ(res.body().find(kMarker), std::string::npos) << href;
    }
  }
  // This year's disclosure counts the company's cases filed so far: its 12 at the first estate,
  // the union's 6 at its second.
  const std::string company_cookie = sign_in("a@stats.example");
  const auto filed = [&](const std::string& href) {
    return json::parse(get(href, company_cookie).body())["esrs_s1_17"]["complaints_filed"];
  };
  EXPECT_EQ(filed(company[1]), kMarchAtA1 + kNovAtA1 + kPagesByUnion);
  EXPECT_EQ(filed(company[0]), 0) << "nothing filed last year";
}

TEST_F(StatsPagesTest, ABadDateIsShownOnItsFieldInTheReadersLanguage) {
  auto html = page("admin@stats.example", "?lang=en&from=2026-13-01&to=2026-11-29", 400);
  EXPECT_NE(html.find("id=\"from-error\""), std::string::npos) << html;
  EXPECT_NE(section_text(html, "from-error").find("for example 2026-01-31"), std::string::npos);
  EXPECT_NE(html.find("href=\"#from\""), std::string::npos) << "the error summary links to it";
  EXPECT_NE(html.find("value=\"2026-13-01\""), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(html.find("id=\"chart-categories\""), std::string::npos) << "no chart for it";

  html = page("auditor@stats.example", "?lang=nl&from=2026-11-29&to=2026-01-01", 400);
  EXPECT_NE(html.find("id=\"to-error\""), std::string::npos);
  EXPECT_NE(html.find("niet vóór"), std::string::npos) << "Dutch";
  EXPECT_EQ(html.find("Statistics"), std::string::npos) << "nothing left in English";
}

TEST_F(StatsPagesTest, AComplainantAndAVisitorAreSentToSignIn) {
  auto visitor = get("/staff/stats", "");
  EXPECT_EQ(visitor.result_int(), 303);
  EXPECT_NE(std::string(visitor[bhttp::field::location]).find("/staff/sign-in"), std::string::npos);
  auto session = call(
      bhttp::verb::post, "/api/v1/session",
      json{{"reference", last_filing_["reference"]}, {"access_code", last_filing_["access_code"]}}
          .dump(),
      "", "", "application/json");
  ASSERT_EQ(session.result_int(), 201) << session.body();
  const std::string cookie(session[bhttp::field::set_cookie]);
  auto complainant = get("/staff/stats", cookie.substr(0, cookie.find(';')));
  EXPECT_EQ(complainant.result_int(), 303);
  EXPECT_EQ(complainant.body().find("figure-registered"), std::string::npos);
}

TEST_F(StatsPagesTest, TheAuditorLandsOnTheDashboardNotADeadEnd) {
  auto signed_in = sign_in_response("auditor@stats.example");
  ASSERT_EQ(signed_in.result_int(), 303);
  EXPECT_EQ(std::string(signed_in[bhttp::field::location]), "/staff/stats?lang=en");
  const std::string cookie =
      std::string(signed_in[bhttp::field::set_cookie])
          .substr(0, std::string(signed_in[bhttp::field::set_cookie]).find(';'));
  auto home = get("/staff", cookie);
  EXPECT_EQ(std::string(home[bhttp::field::location]), "/staff/stats?lang=en");
  auto cases = get("/staff/cases?lang=en", cookie);
  EXPECT_EQ(cases.result_int(), 403);
  EXPECT_NE(cases.body().find("href=\"/staff/stats?lang=en\">See the statistics</a>"),
            std::string::npos)
      << "the case list's refusal leads to the statistics";
  // Everyone else still lands on the case list.
  EXPECT_EQ(std::string(sign_in_response("a@stats.example")[bhttp::field::location]),
            "/staff/cases?lang=en");
}

// Over many companies (a million cases: 150) the chart by company draws the 20 with the most
// overdue, then open, cases and says so; its table still lists every company, by name.
TEST_F(StatsPagesTest, TheChartByCompanyDrawsTwentyAndItsTableEveryCompany) {
  std::vector<std::int64_t> companies;
  for (int i = 1; i <= 24; ++i) {
    const std::string name = "Company " + std::to_string(100 + i);
    const auto org = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, name, "ID"});
    const auto site = *store_.directory().create_site(
        domain::Site{0, "Site " + name, "ID", "Riau", domain::Sector::kPalmOil, org});
    for (int n = 0; n < i; ++n) file(site, "wages", "");
    companies.push_back(org);
  }
  const auto html = page("admin@stats.example", "?lang=en&from=2026-01-01&to=2026-11-29");
  const std::string svg = first_match(html, "id=\"chart-overdue\"[\\s\\S]*?(<svg[\\s\\S]*?</svg>)");
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(count(svg, "class=\"bar-row\""), 20);
  // The most open first (nothing is overdue yet): 24 cases, then 23, ...; one case is not drawn.
  EXPECT_NE(svg.find("data-key=\"" + std::to_string(companies.back()) + "\""), std::string::npos);
  EXPECT_EQ(svg.find("data-key=\"" + std::to_string(companies.front()) + "\""), std::string::npos);
  EXPECT_LT(svg.find("data-key=\"" + std::to_string(companies[23]) + "\""),
            svg.find("data-key=\"" + std::to_string(companies[22]) + "\""));
  EXPECT_NE(html.find("The 20 companies with the most overdue cases (then open ones) of 26"),
            std::string::npos);
  const std::string table = section_text(html, "table-overdue");
  for (int i = 1; i <= 24; ++i) {
    EXPECT_NE(table.find("Company " + std::to_string(100 + i)), std::string::npos) << i;
  }
  // In Vietnamese too.
  const auto vi = page("admin@stats.example", "?lang=vi&from=2026-01-01&to=2026-11-29");
  EXPECT_NE(vi.find("20 công ty có nhiều hồ sơ quá hạn nhất"), std::string::npos);
}

TEST_F(StatsPagesTest, EveryChartHasItsTableWithTheNumbersOfTheApi) {
  for (const char* who : {"admin@stats.example", "auditor@stats.example", "a@stats.example"}) {
    SCOPED_TRACE(who);
    const auto html = page(who);
    const std::string window = "?from=2025-12-01&to=2026-11-29";
    for (const char* chart :
         {"categories", "times", "overdue", "outcomes", "satisfaction", "recurrence"}) {
      const std::string id = std::string("chart-") + chart;
      ASSERT_NE(html.find("id=\"" + id + "\""), std::string::npos) << chart;
      // An image with a title and a text alternative, and its table.
      const std::string svg = first_match(html, "id=\"" + id + "\"[\\s\\S]*?(<svg[^>]*>)");
      EXPECT_NE(svg.find("role=\"img\""), std::string::npos) << svg;
      EXPECT_NE(svg.find("aria-labelledby=\"" + id + "-title " + id + "-desc\""), std::string::npos)
          << svg;
      EXPECT_NE(html.find("<title id=\"" + id + "-title\">"), std::string::npos) << chart;
      EXPECT_NE(html.find("<desc id=\"" + id + "-desc\">"), std::string::npos) << chart;
      EXPECT_NE(html.find("id=\"table-" + std::string(chart) + "\""), std::string::npos) << chart;
    }
    // Each table's cells against the API's rows for the same question.
    const auto check = [&](const char* table, const std::string& group_by, const char* dim,
                           std::initializer_list<const char*> cols) {
      const auto answer = api(who, window + "&group_by=" + group_by);
      int checked = 0;
      for (const auto& row : answer["rows"]) {
        for (const char* col : cols) {
          // A table of the whole window lists one figure per row, keyed by its column.
          const std::string key = dim == nullptr ? col : row[dim].get<std::string>();
          const auto& v = row[col];
          const std::string expected = v.is_null()     ? "–"
                                       : v.is_string() ? "&lt;" + v.get<std::string>().substr(1)
                                                       : v.dump();
          EXPECT_EQ(cell(html, table, key, col), expected) << table << " " << key << " " << col;
          ++checked;
        }
      }
      EXPECT_GT(checked, 0) << table;
    };
    check("times", "month", "month",
          {"to_acknowledgement.median_days", "to_acknowledgement.p90_days",
           "to_resolution.median_days", "to_resolution.p90_days", "registered"});
    check("recurrence", "month", "month", {"recurrent_cases", "recurrent_sites"});
    check("overdue", who == std::string("a@stats.example") ? "site" : "company",
          who == std::string("a@stats.example") ? "site" : "company",
          {"registered", "open", "overdue"});
    check("outcomes", "", nullptr,
          {"by_outcome.remedy_accepted", "by_outcome.unfounded", "by_outcome.withdrawn",
           "remedy_accepted", "remedy_refused"});
    check("satisfaction", "", nullptr,
          {"satisfaction.1", "satisfaction.3", "satisfaction.5", "satisfaction_mean"});
    const auto by_category = api(who, window + "&group_by=month,category");
    for (const auto& row : by_category["rows"]) {
      const auto& v = row["registered"];
      EXPECT_EQ(cell(html, "categories", row["month"], "registered", row["category"]),
                v.is_string() ? "&lt;5" : v.dump());
    }
  }
}

}  // namespace

// The value axis' labels fit left of the plot however large the counts: a million cases give
// months of 50,000 (seen on a 360 px phone: "100000" lost its first digit off the edge).
TEST(StatsChartsTest, ValueAxisLabelsOfLargeCountsFitLeftOfThePlot) {
  const auto ticks_of = [](const std::string& svg) {
    // The value axis' labels are the ticks anchored at their end.
    std::vector<std::string> out;
    const std::regex tick(
        "<text class=\"chart-tick\" x=\"[0-9.]+\" y=\"[0-9.]+\" "
        "text-anchor=\"end\">([^<]*)</text>");
    for (std::sregex_iterator it(svg.begin(), svg.end(), tick), end; it != end; ++it) {
      out.push_back((*it)[1]);
    }
    return out;
  };
  for (double peak : {7.0, 96'000.0, 240'000.0, 3'400'000.0}) {
    pages::staff::Chart c;
    c.id = "months";
    c.series = {{"wages", 0}, {"hours", 1}};
    for (int m = 1; m <= 12; ++m) {
      pages::staff::ChartGroup g;
      g.key = "2026-" + std::to_string(m);
      g.label = std::to_string(m);
      g.values = {{peak * m / 24, false}, {peak * m / 24, false}};
      c.groups.push_back(g);
    }
    for (const std::string& svg :
         {pages::staff::vertical_bar_chart(c, true), pages::staff::line_chart(c)}) {
      const auto ticks = ticks_of(svg);
      ASSERT_GE(ticks.size(), 2u) << peak;
      EXPECT_EQ(ticks.front(), "0");
      for (const auto& t : ticks) EXPECT_LE(t.size(), 4u) << peak << ": " << t;
    }
  }
  pages::staff::Chart c;
  c.id = "months";
  c.series = {{"cases", 0}};
  c.groups = {{"2026-01", "1", {{100'000.0, false}}}};
  const auto ticks = ticks_of(pages::staff::vertical_bar_chart(c, false));
  EXPECT_EQ(ticks, (std::vector<std::string>{"0", "25k", "50k", "75k", "100k"}));
}

}  // namespace grievance::http
