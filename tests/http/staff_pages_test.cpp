// The staff pages without sockets (issue 3 item 7): build a request, call the App, read the
// HTML. Sign-in, the case list scoped by the access policy, the admin pages refused to
// everybody but admins, CSRF on every form post, and the union's batch upload answered by
// printable receipt slips.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "server/crypto/crypto.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/lifecycle.hpp"
#include "server/domain/services.hpp"
#include "server/http/pages/i18n.hpp"
#include "server/http/pages/templates.hpp"
#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"
#include "support/fakes.hpp"
#include "support/page_text.hpp"

namespace grievance::http {
namespace {

using testing::all_matches;
using testing::count;
using testing::first_match;

namespace bhttp = boost::beast::http;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kStaffForm = "application/x-www-form-urlencoded";
constexpr const char* kStaffPassword = "correct horse battery staple";
const std::string kBoundary = "----WebKitFormBoundaryStaffPagesTest1";

std::string staff_csrf(const std::string& html) {
  return first_match(html, "name=\"csrf\" value=\"([^\"]+)\"");
}

// The text a reader sees in an HTML fragment: tags dropped, the few entities the templates
// write decoded, white space collapsed.
std::string text_of(const std::string& html) {
  std::string out = std::regex_replace(html, std::regex("<[^>]*>"), " ");
  for (const auto& [entity, c] :
       {std::pair{"&amp;", "&"}, std::pair{"&#39;", "'"}, std::pair{"&quot;", "\""},
        std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&#x27;", "'"}}) {
    out = std::regex_replace(out, std::regex(entity), c);
  }
  out = std::regex_replace(out, std::regex("\\s+"), " ");
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The form whose action is `action`, as the urlencoded body a browser sends for it: its hidden
// inputs plus `extra`. Empty when the page has no such form.
std::string form_body(const std::string& html, const std::string& action,
                      const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  const auto start = html.find("action=\"" + action + "\"");
  if (start == std::string::npos) return {};
  const std::string form = html.substr(start, html.find("</form>", start) - start);
  std::string body;
  const std::regex hidden("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(form.begin(), form.end(), hidden);
       it != std::sregex_iterator(); ++it) {
    body += (body.empty() ? "" : "&") + web::url_encode((*it)[1].str()) + "=" +
            web::url_encode((*it)[2].str());
  }
  for (const auto& [name, value] : extra) {
    body += (body.empty() ? "" : "&") + web::url_encode(name) + "=" + web::url_encode(value);
  }
  return body;
}

// A multipart/form-data body as a browser sends it for the batch form.
std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::string& csv, const std::string& filename = "forms.csv") {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  }
  body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
          filename + "\"\r\nContent-Type: text/csv\r\n\r\n" + csv + "\r\n--" + kBoundary + "--\r\n";
  return body;
}

void expect_staff_page_basics(const Response& res, std::string_view lang) {
  const std::string& html = res.body();
  EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  EXPECT_NE(html.find("<html lang=\"" + std::string(lang) + "\">"), std::string::npos) << html;
  EXPECT_EQ(count(html, "<h1"), 1) << "exactly one h1";
  EXPECT_EQ(count(html, "<main id=\"main\""), 1);
  EXPECT_NE(html.find("class=\"skip-link\" href=\"#main\""), std::string::npos);
  EXPECT_EQ(count(html, "hreflang="), 5) << "a visible switch with every language";
  EXPECT_EQ(html.find("<script>"), std::string::npos) << "no inline scripts (CSP)";
  EXPECT_EQ(html.find(" style="), std::string::npos) << "no inline styles (CSP)";
  EXPECT_EQ(count(html, "<table"), count(html, "<caption")) << "every table has a caption";
}

class StaffPagesTest : public ::testing::Test {
 protected:
  StaffPagesTest() {
    sawit_ = add_org(domain::OrgKind::kCompany, "PT Sawit Riau", "ID");
    garment_ = add_org(domain::OrgKind::kCompany, "Saigon Garments", "VN");
    union_ = add_org(domain::OrgKind::kUnion, "Serikat Buruh Kebun", "ID");
    site_sawit_ = *store_.directory().create_site(
        domain::Site{0, "Kebun Kampar", "ID", "Riau", domain::Sector::kPalmOil, sawit_});
    site_garment_ = *store_.directory().create_site(domain::Site{
        0, "Xuong May Binh Duong", "VN", "Binh Duong", domain::Sector::kTextile, garment_});
    add_user("admin@example.org", "admin");
    add_user("officer@union.example", "union", union_);
    add_user("csr@sawit.example", "company", sawit_);
    add_user("csr@garment.example", "company", garment_);
    app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }

  std::int64_t add_org(domain::OrgKind kind, const std::string& name, const std::string& c) {
    return *store_.directory().create_organisation(domain::Organisation{0, kind, name, c});
  }
  void add_user(const std::string& email, const std::string& role,
                std::optional<std::int64_t> org = std::nullopt) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org;
    d.password = kStaffPassword;
    auto u = domain::new_user(store_.directory(), store_.accounts(), *hasher_, d, clock_.now());
    ASSERT_TRUE(u) << u.error().message;
  }

  Response call(bhttp::verb method, std::string target, std::string body = {}, Headers headers = {},
                std::string_view content_type = kStaffForm) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "grievance.example");
    req.set(bhttp::field::accept, "text/html");
    if (method == bhttp::verb::post) {
      if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
      req.body() = std::move(body);
      req.prepare_payload();
    }
    for (auto& [k, v] : headers) req.set(k, v);
    RequestContext ctx{"203.0.113.9", false, "test"};
    return app_->handle(req, ctx);
  }
  Response get(std::string target, const std::string& cookie = {}) {
    Headers h;
    if (!cookie.empty()) h.emplace_back("Cookie", cookie);
    return call(bhttp::verb::get, std::move(target), {}, h);
  }
  Response post(std::string target, std::string body, const std::string& cookie = {}) {
    Headers h;
    if (!cookie.empty()) h.emplace_back("Cookie", cookie);
    return call(bhttp::verb::post, std::move(target), std::move(body), h);
  }
  Response upload(const std::string& body, const std::string& cookie, Headers headers = {}) {
    headers.emplace_back("Cookie", cookie);
    return call(bhttp::verb::post, "/staff/batch", body, headers,
                "multipart/form-data; boundary=" + kBoundary);
  }
  // A union officer files a CSV through the batch pages as a browser does: a fresh form, the
  // upload, and where the pages answer with a check before filing, its "file" button.
  Response file_csv(const std::string& csv, const std::string& cookie, const std::string& lang,
                    Headers headers = {}) {
    const auto form = get("/staff/batch?lang=" + lang, cookie);
    auto res = upload(multipart({{"csrf", staff_csrf(form.body())}, {"lang", lang}}, csv), cookie,
                      headers);
    const std::string confirm = form_body(res.body(), "/staff/batch/file");
    if (confirm.empty()) return res;
    headers.emplace_back("Cookie", cookie);
    return call(bhttp::verb::post, "/staff/batch/file", confirm, headers);
  }

  Response sign_in_response(const std::string& email, const std::string& password = kStaffPassword,
                            const std::string& lang = "en") {
    return post("/staff/sign-in", "lang=" + lang + "&email=" + web::url_encode(email) +
                                      "&password=" + web::url_encode(password) + "&totp=");
  }
  // The Cookie header value of a fresh staff session.
  std::string sign_in(const std::string& email) {
    auto res = sign_in_response(email);
    EXPECT_EQ(res.result_int(), 303) << res.body();
    const std::string cookie(res[bhttp::field::set_cookie]);
    EXPECT_TRUE(cookie.starts_with("__Host-session=")) << cookie;
    return cookie.substr(0, cookie.find(';'));
  }

  std::string file_at(std::int64_t site, const std::string& narrative, bool anonymous = true) {
    domain::ComplaintDraft d;
    d.language = "id";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = narrative;
    d.site_id = site;
    d.country = site == site_garment_ ? "VN" : "ID";
    d.anonymous = anonymous;
    if (!anonymous) d.contact = domain::ContactDraft{"Siti Rahma", "+62 812 0000 1111", {}};
    auto filed = service_.filing.file_complaint(d, domain::Channel::kWeb);
    EXPECT_TRUE(filed) << filed.error().message;
    return filed ? filed->filed.reference : std::string();
  }

  // A session of `role` in organisation `org_id`, for steps taken through the services.
  static domain::Session as(domain::Role role, std::int64_t org_id) {
    domain::Session s;
    s.role = role;
    s.org_id = org_id;
    return s;
  }

  // A complaint the union files at Sawit's site, with a mandate to follow the case or not.
  std::string file_by_union(bool follow, const std::string& narrative = "Upah lembur.") {
    domain::ComplaintDraft d;
    d.language = "id";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = narrative;
    d.site_id = site_sawit_;
    d.mandate = domain::Mandate{follow, false, false, 1};
    const auto filer = as(domain::Role::kUnion, union_);
    auto filed = service_.filing.file_complaint(d, domain::Channel::kUnion, {}, &filer);
    EXPECT_TRUE(filed) << filed.error().message;
    return filed ? filed->filed.reference : std::string();
  }

  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{17};
  testing::ManualClock clock_;
  // scrypt with a tiny N: these tests are about the pages, not the hash's cost.
  std::unique_ptr<domain::PasswordHasher> hasher_ = crypto::make_password_hasher(4);
  domain::Services service_{store_.ports(crypto_, random_, clock_, hasher_.get()),
                            domain::ServiceConfig{}};
  std::int64_t sawit_ = 0, garment_ = 0, union_ = 0, site_sawit_ = 0, site_garment_ = 0;
  std::unique_ptr<App> app_;
};

// ---- sign-in --------------------------------------------------------------------------------

TEST_F(StaffPagesTest, SignInSetsTheSessionCookieAndLeadsToTheCases) {
  auto form = get("/staff/sign-in");
  EXPECT_EQ(form.result_int(), 200);
  expect_staff_page_basics(form, "en");
  EXPECT_NE(form.body().find("<label class=\"label\" for=\"email\">"), std::string::npos);
  EXPECT_NE(form.body().find("autocomplete=\"current-password\""), std::string::npos);
  EXPECT_EQ(form.body().find("staff-nav"), std::string::npos) << "no menu before sign-in";

  auto res = sign_in_response("Admin@Example.org");
  EXPECT_EQ(res.result_int(), 303) << res.body();
  EXPECT_EQ(res[bhttp::field::location], "/staff/cases?lang=en");
  const std::string set_cookie(res[bhttp::field::set_cookie]);
  EXPECT_TRUE(set_cookie.starts_with("__Host-session=")) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("Secure"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);

  auto cases = get("/staff/cases?lang=en", set_cookie.substr(0, set_cookie.find(';')));
  EXPECT_EQ(cases.result_int(), 200) << cases.body();
  expect_staff_page_basics(cases, "en");
  EXPECT_NE(cases.body().find("admin@example.org"), std::string::npos) << "who is signed in";
  EXPECT_NE(cases.body().find("href=\"/staff/admin/users?lang=en\""), std::string::npos);
}

TEST_F(StaffPagesTest, AFailedSignInShowsTheErrorSummaryAndKeepsOnlyTheEmail) {
  auto res = sign_in_response("admin@example.org", "wrong password entirely");
  EXPECT_EQ(res.result_int(), 401);
  expect_staff_page_basics(res, "en");
  EXPECT_NE(res.body().find("class=\"error-summary\""), std::string::npos);
  EXPECT_NE(res.body().find("<a href=\"#email\">The email address, password or code is not right"),
            std::string::npos)
      << res.body();
  EXPECT_NE(res.body().find("value=\"admin@example.org\""), std::string::npos);
  EXPECT_EQ(res.body().find("wrong password entirely"), std::string::npos);
  EXPECT_TRUE(res[bhttp::field::set_cookie].empty());
  EXPECT_NE(res.body().find("<title>Error: "), std::string::npos);

  auto empty = post("/staff/sign-in", "lang=en&email=&password=");
  EXPECT_EQ(empty.result_int(), 400);
  EXPECT_NE(empty.body().find("href=\"#email\""), std::string::npos);
  EXPECT_NE(empty.body().find("href=\"#password\""), std::string::npos);
}

TEST_F(StaffPagesTest, RepeatedFailuresAreAnsweredPolitelyWith429) {
  Response last;
  for (int i = 0; i < 8 && last.result_int() != 429; ++i) {
    last = sign_in_response("csr@sawit.example", "not the password " + std::to_string(i));
  }
  ASSERT_EQ(last.result_int(), 429) << last.body();
  EXPECT_FALSE(last[bhttp::field::retry_after].empty());
  EXPECT_NE(last.body().find("Too many tries"), std::string::npos);
  EXPECT_NE(last.body().find("class=\"error-summary\""), std::string::npos);
}

TEST_F(StaffPagesTest, SignOutEndsTheSessionForReal) {
  const auto cookie = sign_in("csr@sawit.example");
  auto cases = get("/staff/cases", cookie);
  ASSERT_EQ(cases.result_int(), 200);
  auto out = post("/staff/sign-out", "lang=en&csrf=" + staff_csrf(cases.body()), cookie);
  EXPECT_EQ(out.result_int(), 303);
  EXPECT_EQ(out[bhttp::field::location], "/staff/sign-in?signed_out=1&lang=en");
  EXPECT_NE(std::string(out[bhttp::field::set_cookie]).find("Max-Age=0"), std::string::npos);
  auto again = get("/staff/cases", cookie);
  EXPECT_EQ(again.result_int(), 303) << "the old cookie no longer works";
  EXPECT_EQ(again[bhttp::field::location], "/staff/sign-in?lang=en");
}

TEST_F(StaffPagesTest, WithoutAStaffSessionEveryPageLeadsToSignIn) {
  // A complainant's session is not a staff session.
  domain::ComplaintDraft d;
  d.language = "en";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "No overtime pay.";
  d.site_id = site_sawit_;
  d.country = "ID";
  d.anonymous = true;
  auto filed = service_.filing.file_complaint(d, domain::Channel::kWeb);
  ASSERT_TRUE(filed);
  auto follow = post("/follow", "lang=en&reference=" + filed->filed.reference +
                                    "&access_code=" + filed->access_code);
  ASSERT_EQ(follow.result_int(), 303);
  const std::string set_cookie(follow[bhttp::field::set_cookie]);
  const std::string complainant = set_cookie.substr(0, set_cookie.find(';'));

  for (const std::string& cookie : {std::string(), complainant}) {
    for (const char* path :
         {"/staff", "/staff/cases", "/staff/batch", "/staff/admin/organisations",
          "/staff/admin/users", "/staff/admin/sites", "/staff/admin/supply-links"}) {
      auto res = get(path, cookie);
      EXPECT_EQ(res.result_int(), 303) << path;
      EXPECT_EQ(res[bhttp::field::location], "/staff/sign-in?lang=en") << path;
    }
    auto view = get("/staff/cases/" + filed->filed.reference, cookie);
    EXPECT_EQ(view.result_int(), 303);
  }
}

// ---- CSRF -----------------------------------------------------------------------------------

TEST_F(StaffPagesTest, EveryPostWithoutTheCsrfTokenIsRefused) {
  const auto admin = sign_in("admin@example.org");
  const auto officer = sign_in("officer@union.example");
  const auto orgs_before = store_.directory().list_organisations()->size();
  const auto users_before = store_.accounts().list_users()->size();
  const std::string id = std::to_string(sawit_);
  const std::vector<std::pair<std::string, std::string>> posts = {
      {"/staff/sign-out", "lang=en"},
      {"/staff/admin/organisations", "lang=en&kind=company&name=Forged+Ltd&country=NL"},
      {"/staff/admin/organisations/" + id, "lang=en&disabled=true"},
      {"/staff/admin/users", "lang=en&email=forged%40x.org&role=admin&password=aaaaaaaaaaaaaaa"},
      {"/staff/admin/sites", "lang=en&name=Forged&country=ID&sector=palm_oil"},
      {"/staff/admin/supply-links",
       "lang=en&supplier_org_id=" + id + "&buyer_org_id=" + std::to_string(garment_)},
  };
  for (const auto& [path, body] : posts) {
    for (const std::string& csrf : {std::string(), std::string("&csrf=not-the-token")}) {
      auto res = post(path, body + csrf, admin);
      EXPECT_EQ(res.result_int(), 403) << path << csrf;
      EXPECT_NE(res.body().find("The form has expired"), std::string::npos) << path;
    }
  }
  auto batch = upload(multipart({{"lang", "en"}, {"csrf", "forged"}},
                                "language,categories,narrative,site_id,anonymous,mandate_follow\n"
                                "en,wages,Forged,1,true,true\n"),
                      officer);
  EXPECT_EQ(batch.result_int(), 403) << batch.body();
  EXPECT_EQ(*store_.cases().count_cases(), 0);
  EXPECT_EQ(store_.directory().list_organisations()->size(), orgs_before);
  EXPECT_EQ(store_.accounts().list_users()->size(), users_before);
  EXPECT_FALSE((*store_.directory().find_organisation(sawit_))->disabled);
  EXPECT_EQ(get("/staff/cases", admin).result_int(), 200) << "still signed in";
}

TEST_F(StaffPagesTest, CrossSiteFormsAndWrongMediaTypesAreRefused) {
  auto cross = call(bhttp::verb::post, "/staff/sign-in",
                    "lang=en&email=admin%40example.org&password=correct+horse+battery+staple",
                    {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(cross.result_int(), 403);
  EXPECT_TRUE(cross[bhttp::field::set_cookie].empty());
  auto json_body = call(bhttp::verb::post, "/staff/sign-in", "{}", {}, "application/json");
  EXPECT_EQ(json_body.result_int(), 415);
  const auto officer = sign_in("officer@union.example");
  auto not_multipart = post("/staff/batch", "csrf=x", officer);
  EXPECT_EQ(not_multipart.result_int(), 415);
}

// ---- the case list and the case view --------------------------------------------------------

TEST_F(StaffPagesTest, ACompanySeesOnlyItsOwnCases) {
  const auto mine = file_at(site_sawit_, "Upah lembur tidak dibayar. MARKER-SAWIT");
  const auto theirs = file_at(site_garment_, "Khong tra luong. MARKER-GARMENT");
  const auto cookie = sign_in("csr@sawit.example");

  auto list = get("/staff/cases?lang=en", cookie);
  ASSERT_EQ(list.result_int(), 200) << list.body();
  expect_staff_page_basics(list, "en");
  EXPECT_NE(list.body().find(">" + mine + "</a>"), std::string::npos) << list.body();
  EXPECT_EQ(list.body().find(theirs), std::string::npos);
  EXPECT_NE(list.body().find("<th scope=\"col\">Your part</th>"), std::string::npos);
  EXPECT_NE(list.body().find("<td>Responsible company</td>"), std::string::npos);
  EXPECT_EQ(list.body().find("id=\"company\""), std::string::npos) << "no company filter";
  EXPECT_EQ(list.body().find("MARKER-"), std::string::npos) << "no narratives in the list";

  auto other = get("/staff/cases/" + theirs, cookie);
  EXPECT_EQ(other.result_int(), 404);
  EXPECT_EQ(other.body().find("MARKER-GARMENT"), std::string::npos);
  auto unknown = get("/staff/cases/GRV-0000-0000", cookie);
  EXPECT_EQ(unknown.result_int(), 404);
  EXPECT_EQ(other.body().substr(other.body().find("<main")),
            unknown.body().substr(unknown.body().find("<main")))
      << "a foreign case looks exactly like a missing one";

  auto view = get("/staff/cases/" + mine, cookie);
  ASSERT_EQ(view.result_int(), 200) << view.body();
  expect_staff_page_basics(view, "en");
  EXPECT_NE(view.body().find("MARKER-SAWIT"), std::string::npos);
  EXPECT_NE(view.body().find("id=\"contact-hidden\""), std::string::npos) << "anonymous";
  EXPECT_NE(view.body().find("class=\"timeline\""), std::string::npos);
  EXPECT_NE(view.body().find("Confirm receipt"), std::string::npos);

  // The other company sees the other case, and not this one.
  const auto garment = sign_in("csr@garment.example");
  auto theirs_list = get("/staff/cases?lang=en", garment);
  EXPECT_NE(theirs_list.body().find(">" + theirs + "</a>"), std::string::npos);
  EXPECT_EQ(theirs_list.body().find(mine), std::string::npos);
}

TEST_F(StaffPagesTest, ACompanySeesANamedComplainantsContactOnlyWithConsent) {
  const auto named = file_at(site_sawit_, "Saya dipecat. MARKER-NAMED", /*anonymous=*/false);
  auto company = get("/staff/cases/" + named, sign_in("csr@sawit.example"));
  ASSERT_EQ(company.result_int(), 200);
  auto admin = get("/staff/cases/" + named, sign_in("admin@example.org"));
  ASSERT_EQ(admin.result_int(), 200);
  EXPECT_NE(admin.body().find("Siti Rahma"), std::string::npos);
  EXPECT_NE(admin.body().find("PT Sawit Riau (Responsible company)"), std::string::npos);
  // What the company sees follows CaseView::show_contact, nothing else.
  const bool shown = company.body().find("Siti Rahma") != std::string::npos;
  EXPECT_EQ(shown, company.body().find("id=\"contact-hidden\"") == std::string::npos);
}

TEST_F(StaffPagesTest, FiltersTriageAndPaging) {
  for (int i = 0; i < 3; ++i) {
    file_at(site_sawit_, "Kasus " + std::to_string(i));
    clock_.advance(std::chrono::minutes(1));
  }
  file_at(site_garment_, "Vu viec");
  // A complaint without a known site waits in triage.
  domain::ComplaintDraft d;
  d.language = "fr";
  d.categories = std::vector<std::string>{"child_labour"};
  d.narrative = "Des enfants travaillent.";
  d.place = "Cooperative near Soubre";
  d.country = "CI";
  d.anonymous = true;
  auto triage_case = service_.filing.file_complaint(d, domain::Channel::kWeb);
  ASSERT_TRUE(triage_case);
  const auto admin = sign_in("admin@example.org");

  auto all = get("/staff/cases?lang=en", admin);
  EXPECT_EQ(count(all.body(), "<th scope=\"row\">"), 5);
  EXPECT_NE(all.body().find("id=\"company\""), std::string::npos) << "admins filter by company";

  auto by_country = get("/staff/cases?lang=en&country=VN", admin);
  EXPECT_EQ(count(by_country.body(), "<th scope=\"row\">"), 1);
  EXPECT_NE(by_country.body().find("<option value=\"VN\" selected>"), std::string::npos);

  auto by_company = get("/staff/cases?lang=en&company=" + std::to_string(sawit_), admin);
  EXPECT_EQ(count(by_company.body(), "<th scope=\"row\">"), 3);

  auto triage = get("/staff/cases?lang=en&triage=1", admin);
  EXPECT_EQ(count(triage.body(), "<th scope=\"row\">"), 1);
  EXPECT_NE(triage.body().find(triage_case->filed.reference), std::string::npos);
  EXPECT_NE(triage.body().find("Waiting for triage"), std::string::npos);

  auto bad = get("/staff/cases?lang=en&status=nonsense", admin);
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_NE(bad.body().find("class=\"error-summary\""), std::string::npos);

  // Paging through the cursor keeps the filters.
  auto page1 = get("/staff/cases?lang=en&q=Kebun", admin);
  EXPECT_EQ(count(page1.body(), "<th scope=\"row\">"), 3);
  EXPECT_EQ(page1.body().find("rel=\"next\""), std::string::npos) << "one page only";

  // The company filter is ignored for a company (its scope is its own cases).
  auto company =
      get("/staff/cases?lang=en&company=" + std::to_string(garment_), sign_in("csr@sawit.example"));
  EXPECT_EQ(count(company.body(), "<th scope=\"row\">"), 3);
}

TEST_F(StaffPagesTest, AuditorsHaveNoCaseList) {
  const auto auditor_org = add_org(domain::OrgKind::kAuditor, "Audit Co", "NL");
  add_user("auditor@audit.example", "auditor", auditor_org);
  const auto reference = file_at(site_sawit_, "MARKER-AUDIT");
  const auto cookie = sign_in("auditor@audit.example");
  auto list = get("/staff/cases", cookie);
  EXPECT_EQ(list.result_int(), 403);
  EXPECT_EQ(list.body().find(reference), std::string::npos);
  auto view = get("/staff/cases/" + reference, cookie);
  EXPECT_EQ(view.result_int(), 404);
  EXPECT_EQ(view.body().find("MARKER-AUDIT"), std::string::npos);
}

// ---- admin pages ----------------------------------------------------------------------------

TEST_F(StaffPagesTest, AdminPagesAreRefusedToEveryoneButAdmins) {
  const auto orgs_before = store_.directory().list_organisations()->size();
  for (const char* email : {"officer@union.example", "csr@sawit.example"}) {
    const auto cookie = sign_in(email);
    auto cases = get("/staff/cases", cookie);
    const auto csrf = staff_csrf(cases.body());
    EXPECT_EQ(cases.body().find("/staff/admin/"), std::string::npos) << "no admin links";
    for (const char* path : {"/staff/admin/organisations", "/staff/admin/users",
                             "/staff/admin/sites", "/staff/admin/supply-links"}) {
      auto page = get(path, cookie);
      EXPECT_EQ(page.result_int(), 404) << email << " " << path;
      EXPECT_EQ(page.body().find("<table"), std::string::npos);
    }
    auto created =
        post("/staff/admin/organisations",
             "lang=en&csrf=" + csrf + "&kind=company&name=Sneaky+Ltd&country=NL", cookie);
    EXPECT_EQ(created.result_int(), 404);
    auto disabled = post("/staff/admin/organisations/" + std::to_string(sawit_),
                         "lang=en&csrf=" + csrf + "&disabled=true", cookie);
    EXPECT_EQ(disabled.result_int(), 404);
  }
  EXPECT_EQ(store_.directory().list_organisations()->size(), orgs_before);
  EXPECT_FALSE((*store_.directory().find_organisation(sawit_))->disabled);
  // Only unions upload batches.
  EXPECT_EQ(get("/staff/batch", sign_in("csr@sawit.example")).result_int(), 404);
  EXPECT_EQ(get("/staff/batch", sign_in("admin@example.org")).result_int(), 404);
}

TEST_F(StaffPagesTest, AnAdminManagesTheDirectoryThroughTheForms) {
  const auto admin = sign_in("admin@example.org");
  auto orgs = get("/staff/admin/organisations?lang=en", admin);
  ASSERT_EQ(orgs.result_int(), 200) << orgs.body();
  expect_staff_page_basics(orgs, "en");
  EXPECT_NE(orgs.body().find("<caption"), std::string::npos);
  EXPECT_NE(orgs.body().find("<th scope=\"row\">PT Sawit Riau</th>"), std::string::npos);
  const auto csrf = staff_csrf(orgs.body());
  ASSERT_FALSE(csrf.empty());

  // Invalid: every missing field in the error summary, what was typed kept.
  auto invalid = post("/staff/admin/organisations",
                      "lang=en&csrf=" + csrf + "&kind=&name=Cocoa+Trade+BV&country=", admin);
  EXPECT_EQ(invalid.result_int(), 400);
  EXPECT_NE(invalid.body().find("href=\"#kind\""), std::string::npos);
  EXPECT_NE(invalid.body().find("href=\"#country\""), std::string::npos);
  EXPECT_NE(invalid.body().find("value=\"Cocoa Trade BV\""), std::string::npos);
  auto wrong_country = post("/staff/admin/organisations",
                            "lang=en&csrf=" + csrf + "&kind=company&name=X&country=Q1", admin);
  EXPECT_EQ(wrong_country.result_int(), 400);
  EXPECT_NE(wrong_country.body().find("href=\"#country\""), std::string::npos);

  auto created =
      post("/staff/admin/organisations",
           "lang=en&csrf=" + csrf + "&kind=company&name=Cocoa+Trade+BV&country=nl", admin);
  EXPECT_EQ(created.result_int(), 303) << created.body();
  EXPECT_EQ(created[bhttp::field::location], "/staff/admin/organisations?created=1&lang=en");
  auto after = get("/staff/admin/organisations?created=1&lang=en", admin);
  EXPECT_NE(after.body().find("<th scope=\"row\">Cocoa Trade BV</th>"), std::string::npos);
  EXPECT_NE(after.body().find("role=\"status\""), std::string::npos);
  std::int64_t trader = 0;
  const auto orgs_now = store_.directory().list_organisations();
  ASSERT_TRUE(orgs_now);
  for (const auto& o : *orgs_now) {
    if (o.name == "Cocoa Trade BV") trader = o.id;
  }
  ASSERT_GT(trader, 0);
  const auto stored = store_.directory().find_organisation(trader);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->country, "NL") << "country codes are upper-cased";

  // A site, a supply link, a user.
  auto site =
      post("/staff/admin/sites",
           "lang=en&csrf=" + csrf +
               "&name=Koperasi+Soubre&country=CI&region=Nawa&sector=cocoa&operator_org_id=" +
               std::to_string(sawit_),
           admin);
  EXPECT_EQ(site.result_int(), 303) << site.body();
  auto link = post("/staff/admin/supply-links",
                   "lang=en&csrf=" + csrf + "&supplier_org_id=" + std::to_string(sawit_) +
                       "&buyer_org_id=" + std::to_string(trader) + "&sector=",
                   admin);
  EXPECT_EQ(link.result_int(), 303) << link.body();
  auto links = get("/staff/admin/supply-links?lang=en", admin);
  EXPECT_NE(links.body().find("<th scope=\"row\">PT Sawit Riau</th><td>Cocoa Trade BV</td>"),
            std::string::npos)
      << links.body();
  auto self_link = post("/staff/admin/supply-links",
                        "lang=en&csrf=" + csrf + "&supplier_org_id=" + std::to_string(sawit_) +
                            "&buyer_org_id=" + std::to_string(sawit_),
                        admin);
  EXPECT_EQ(self_link.result_int(), 400);

  auto user = post("/staff/admin/users",
                   "lang=en&csrf=" + csrf +
                       "&email=buyer%40trade.example&role=company&password=a+long+enough+pass&"
                       "org_id=" +
                       std::to_string(trader),
                   admin);
  EXPECT_EQ(user.result_int(), 303) << user.body();
  auto duplicate = post("/staff/admin/users",
                        "lang=en&csrf=" + csrf +
                            "&email=buyer%40trade.example&role=company&password=a+long+enough+"
                            "pass&org_id=" +
                            std::to_string(trader),
                        admin);
  EXPECT_EQ(duplicate.result_int(), 409);
  EXPECT_NE(duplicate.body().find("There is already an account with this email address"),
            std::string::npos);
  EXPECT_EQ(duplicate.body().find("a long enough pass"), std::string::npos) << "no password echo";
  auto short_password = post(
      "/staff/admin/users",
      "lang=en&csrf=" + csrf +
          "&email=x%40trade.example&role=company&password=short&org_id=" + std::to_string(trader),
      admin);
  EXPECT_EQ(short_password.result_int(), 400);
  EXPECT_NE(short_password.body().find("href=\"#password\""), std::string::npos);
  auto users = get("/staff/admin/users?lang=en", admin);
  EXPECT_NE(users.body().find("buyer@trade.example"), std::string::npos);
  EXPECT_EQ(users.body().find("$scrypt$"), std::string::npos) << "no password hashes";

  // Disable (the confirmation page's button) and enable again.
  auto off = post("/staff/admin/organisations/" + std::to_string(trader) + "/disable",
                  "lang=en&csrf=" + csrf, admin);
  EXPECT_EQ(off.result_int(), 303);
  EXPECT_TRUE((*store_.directory().find_organisation(trader))->disabled);
  auto on = post("/staff/admin/organisations/" + std::to_string(trader) + "/enable",
                 "lang=en&csrf=" + csrf, admin);
  EXPECT_EQ(on.result_int(), 303);
  EXPECT_FALSE((*store_.directory().find_organisation(trader))->disabled);
  auto missing = post("/staff/admin/organisations/999999/disable", "lang=en&csrf=" + csrf, admin);
  EXPECT_EQ(missing.result_int(), 404);
}

// ---- the union's batch upload ---------------------------------------------------------------

TEST_F(StaffPagesTest, ABatchUploadAnswersWithOneSlipPerStoredComplaint) {
  const auto officer = sign_in("officer@union.example");
  auto form = get("/staff/batch?lang=en", officer);
  ASSERT_EQ(form.result_int(), 200) << form.body();
  expect_staff_page_basics(form, "en");
  EXPECT_NE(form.body().find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(form.body().find("<label class=\"label\" for=\"file\">"), std::string::npos);

  const std::string csv =
      "language,categories,narrative,site_id,country,anonymous,mandate_follow\r\n"
      "id,wages;health_safety,\"Upah lembur, tidak dibayar\"," +
      std::to_string(site_sawit_) +
      ",ID,true,true\r\n"
      "vi,working_hours,\"Làm thêm giờ không được trả lương\"," +
      std::to_string(site_garment_) +
      ",VN,true,false\r\n"
      "en,,Missing categories,1,ID,true,true\r\n";
  auto res = file_csv(csv, officer, "en");
  ASSERT_EQ(res.result_int(), 201) << res.body();
  expect_staff_page_basics(res, "en");
  const auto codes = all_matches(res.body(), "class=\"code slip__code\">([0-9 ]+)<");
  ASSERT_EQ(codes.size(), 2u) << res.body();
  for (const auto& c : codes)
    EXPECT_TRUE(std::regex_match(c, std::regex("\\d{4} \\d{4} \\d{4} \\d{4}")));
  const auto refs = all_matches(res.body(), "class=\"code slip__reference\">([A-Z0-9-]+)<");
  ASSERT_EQ(refs.size(), 2u);
  // Each slip in the language of its complaint, with the follow-up address.
  EXPECT_NE(res.body().find("<li class=\"slip\" lang=\"id\">"), std::string::npos);
  EXPECT_NE(res.body().find("<li class=\"slip\" lang=\"vi\">"), std::string::npos);
  EXPECT_NE(res.body().find("/follow?lang=id"), std::string::npos);
  EXPECT_NE(res.body().find("Nomor pengaduan Anda"), std::string::npos) << res.body();
  // The invalid row is listed above the slips, with its row and line.
  EXPECT_NE(res.body().find("id=\"problems\""), std::string::npos);
  EXPECT_LT(res.body().find("id=\"problems\""), res.body().find("id=\"slips\""));
  EXPECT_NE(res.body().find("<tr><th scope=\"row\">3</th><td>4</td><td class=\"mono\">categories"),
            std::string::npos)
      << res.body();
  EXPECT_NE(res.body().find("2 complaints stored, 1 rows with a problem"), std::string::npos);
  // The slips verify: the reference and code sign the worker in.
  std::string digits = codes[0];
  std::erase(digits, ' ');
  EXPECT_TRUE(service_.complainants.sign_in(refs[0], digits, "198.51.100.1"));
  EXPECT_EQ(*store_.cases().count_cases(), 2);
}

// Issue 8: uploading the same file again (same content, same union) answers the first upload's
// result - the same references, marked as filed before, and why no secret code is shown -
// instead of filing every complaint a second time. Through the pages and through the API alike.
TEST_F(StaffPagesTest, TheSameFileUploadedAgainFilesNothingTwice) {
  const auto officer = sign_in("officer@union.example");
  const std::string csv =
      "language,categories,narrative,site_id,anonymous,mandate_follow\n"
      "id,wages,Upah lembur tidak dibayar," +
      std::to_string(site_sawit_) +
      ",true,true\n"
      "id,health_safety,Tidak ada masker," +
      std::to_string(site_sawit_) + ",true,false\n";
  auto first = file_csv(csv, officer, "en");
  ASSERT_EQ(first.result_int(), 201) << first.body();
  const auto refs = all_matches(first.body(), "class=\"code slip__reference\">([A-Z0-9-]+)<");
  ASSERT_EQ(refs.size(), 2u);
  ASSERT_EQ(*store_.cases().count_cases(), 2);

  // A new form, the same file: nothing new is stored; the page answers the same references.
  auto again = file_csv(csv, officer, "en");
  EXPECT_EQ(again.result_int(), 200) << again.body();
  EXPECT_EQ(*store_.cases().count_cases(), 2) << "no complaint filed twice";
  EXPECT_TRUE(all_matches(again.body(), "class=\"code slip__code\">([0-9 ]+)<").empty());
  const std::string read = text_of(again.body());
  EXPECT_NE(read.find("0 complaints stored, 0 rows with a problem, 2 stored before"),
            std::string::npos)
      << read;
  for (const auto& r : refs) EXPECT_NE(read.find(r), std::string::npos) << r;
  // Why no code is shown, and what to do.
  EXPECT_NE(read.find("secret codes are never stored"), std::string::npos) << read;
  EXPECT_NE(read.find("slips printed after the first upload"), std::string::npos) << read;

  // The API answers the same file as filed before, without an Idempotency-Key.
  const std::string api_csv =
      "language,categories,narrative,site_id,anonymous,mandate_follow\n"
      "en,wages,Overtime not paid for the night shift," +
      std::to_string(site_sawit_) + ",true,true\n";
  const auto login = call(
      bhttp::verb::post, "/api/v1/session",
      std::string("{\"email\":\"officer@union.example\",\"password\":\"") + kStaffPassword + "\"}",
      {}, "application/json");
  const std::string token = first_match(login.body(), "\"token\":\"([^\"]+)\"");
  ASSERT_FALSE(token.empty()) << login.body();
  Request req{bhttp::verb::post, "/api/v1/complaints/batch", 11};
  req.set(bhttp::field::host, "grievance.example");
  req.set(bhttp::field::content_type, "text/csv");
  req.set(bhttp::field::authorization, "Bearer " + token);
  req.body() = api_csv;
  req.prepare_payload();
  RequestContext ctx{"203.0.113.9", false, "test"};
  auto api_first = app_->handle(req, ctx);
  EXPECT_EQ(api_first.result_int(), 201) << api_first.body();
  auto api_again = app_->handle(req, ctx);
  EXPECT_EQ(api_again.result_int(), 200) << api_again.body();
  EXPECT_NE(api_again.body().find("\"replayed\":true"), std::string::npos) << api_again.body();
  EXPECT_EQ(first_match(api_first.body(), "\"reference\":\"([A-Z0-9-]+)\""),
            first_match(api_again.body(), "\"reference\":\"([A-Z0-9-]+)\""));
  EXPECT_EQ(*store_.cases().count_cases(), 3);
  // The same file uploaded by the pages is the API's file too: same content, same union.
  auto through_pages = file_csv(api_csv, officer, "en");
  EXPECT_EQ(through_pages.result_int(), 200) << through_pages.body();
  EXPECT_EQ(*store_.cases().count_cases(), 3);
}

// Issue 8: a slip handed to a worker names the address to follow the complaint. It comes from
// the configured public origin only (here none: a relative path), never from the request's Host.
TEST_F(StaffPagesTest, SlipsNeverTakeTheirAddressFromTheHostHeader) {
  const auto officer = sign_in("officer@union.example");
  const std::string csv =
      "language,categories,narrative,site_id,anonymous,mandate_follow\n"
      "en,wages,Unpaid overtime," +
      std::to_string(site_sawit_) + ",true,true\n";
  auto res = file_csv(csv, officer, "en", {{"Host", "evil.example"}});
  ASSERT_EQ(res.result_int(), 201) << res.body();
  EXPECT_EQ(res.body().find("evil.example"), std::string::npos) << res.body();
  const auto urls = all_matches(res.body(), "class=\"mono slip__url\">([^<]*)<");
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0], "/follow?lang=en");

  // With a configured origin, the slip prints it, whatever the Host says.
  app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web",
                          "https://complaints.example.org", 1 << 20});
  const std::string other =
      "language,categories,narrative,site_id,anonymous,mandate_follow\n"
      "en,wages,Unpaid overtime again," +
      std::to_string(site_sawit_) + ",true,true\n";
  auto configured = file_csv(other, officer, "en", {{"Host", "evil.example"}});
  ASSERT_EQ(configured.result_int(), 201) << configured.body();
  EXPECT_EQ(configured.body().find("evil.example"), std::string::npos);
  EXPECT_NE(configured.body().find("https://complaints.example.org/follow?lang=en"),
            std::string::npos);
}

TEST_F(StaffPagesTest, ABadFileIsExplainedOnTheForm) {
  const auto officer = sign_in("officer@union.example");
  const auto csrf = staff_csrf(get("/staff/batch", officer).body());
  auto no_file = upload(multipart({{"csrf", csrf}, {"lang", "en"}}, "", ""), officer);
  EXPECT_EQ(no_file.result_int(), 400);
  EXPECT_NE(no_file.body().find("<a href=\"#file\">Choose a CSV file</a>"), std::string::npos);
  auto unknown =
      upload(multipart({{"csrf", csrf}, {"lang", "en"}}, "language,salary\nen,1\n"), officer);
  EXPECT_EQ(unknown.result_int(), 400);
  EXPECT_NE(unknown.body().find("unknown or repeated column: salary"), std::string::npos);
  auto broken =
      upload(multipart({{"csrf", csrf}, {"lang", "en"}}, "language,narrative\nen,\"never closed\n"),
             officer);
  EXPECT_EQ(broken.result_int(), 400);
  EXPECT_NE(broken.body().find("look at line 2"), std::string::npos) << broken.body();
  auto header_only =
      upload(multipart({{"csrf", csrf}, {"lang", "nl"}}, "language,narrative\n"), officer);
  EXPECT_EQ(header_only.result_int(), 400);
  EXPECT_NE(header_only.body().find("<html lang=\"nl\">"), std::string::npos);
  auto garbage = call(bhttp::verb::post, "/staff/batch", "not multipart", {{"Cookie", officer}},
                      "multipart/form-data; boundary=" + kBoundary);
  EXPECT_EQ(garbage.result_int(), 400);
  EXPECT_EQ(*store_.cases().count_cases(), 0);
}

// Issue 8: the batch page offers a CSV template and the codes a file needs - the sites with their
// ids (a union sees them nowhere else), the category codes and the languages.
TEST_F(StaffPagesTest, TheBatchPageOffersTheTemplateAndTheCodes) {
  const auto closed = *store_.directory().create_site(domain::Site{
      0, "Kebun Tutup", "ID", "Riau", domain::Sector::kPalmOil, sawit_, /*disabled=*/true});
  const auto officer = sign_in("officer@union.example");
  auto form = get("/staff/batch?lang=en", officer);
  ASSERT_EQ(form.result_int(), 200);
  EXPECT_NE(form.body().find("href=\"/staff/batch/template.csv\""), std::string::npos)
      << form.body();
  EXPECT_NE(form.body().find("href=\"/staff/batch/codes?lang=en\""), std::string::npos);

  auto tpl = get("/staff/batch/template.csv", officer);
  ASSERT_EQ(tpl.result_int(), 200) << tpl.body();
  EXPECT_TRUE(std::string(tpl[bhttp::field::content_type]).starts_with("text/csv"));
  EXPECT_NE(std::string(tpl[bhttp::field::content_disposition]).find("attachment"),
            std::string::npos);
  std::string header = tpl.body().substr(0, tpl.body().find('\r'));
  if (header.starts_with("\xEF\xBB\xBF")) header.erase(0, 3);  // a BOM, for spreadsheets
  EXPECT_EQ(header,
            "language,categories,narrative,site_id,place,country,incident_date,anonymous,"
            "contact_name,contact_phone,contact_email,mandate_follow,"
            "mandate_share_identity_with_company,mandate_collective,mandate_headcount");
  // The template, filled in, is a file the page takes.
  auto filled = file_csv(tpl.body() + "id,wages,Upah lembur," + std::to_string(site_sawit_) +
                             ",,,,true,,,,true,false,false,\r\n",
                         officer, "en");
  EXPECT_EQ(filled.result_int(), 201) << filled.body();

  auto codes = get("/staff/batch/codes?lang=en", officer);
  ASSERT_EQ(codes.result_int(), 200) << codes.body();
  expect_staff_page_basics(codes, "en");
  const std::string read = text_of(codes.body());
  EXPECT_NE(read.find(std::to_string(site_sawit_) + " Kebun Kampar Riau Indonesia Palm oil"),
            std::string::npos)
      << read;
  EXPECT_NE(read.find(std::to_string(site_garment_) + " Xuong May Binh Duong"), std::string::npos);
  EXPECT_EQ(read.find("Kebun Tutup"), std::string::npos) << "only sites a complaint may name";
  EXPECT_EQ(closed > 0, true);
  EXPECT_NE(read.find("freedom_of_association Joining a union"), std::string::npos) << read;
  EXPECT_NE(read.find("vi Tiếng Việt"), std::string::npos);
  auto dutch = get("/staff/batch/codes?lang=nl", officer);
  EXPECT_NE(text_of(dutch.body()).find("Kebun Kampar Riau Indonesië"), std::string::npos);

  // Only unions file batches.
  const auto company = sign_in("csr@sawit.example");
  EXPECT_EQ(get("/staff/batch/codes", company).result_int(), 404);
  EXPECT_EQ(get("/staff/batch/template.csv", company).result_int(), 404);
  EXPECT_EQ(get("/staff/batch/template.csv").result_int(), 303);
}

// Issue 8: an upload is checked before anything is filed: every row with every problem, in the
// words of the staff member filling in the file (not the worker's form), then a button to file.
TEST_F(StaffPagesTest, TheBatchIsCheckedBeforeFilingWithEveryProblemOfEveryRow) {
  const auto officer = sign_in("officer@union.example");
  const std::string site = std::to_string(site_sawit_);
  const std::string csv =
      "language,categories,narrative,site_id,incident_date,anonymous,contact_email,"
      "mandate_follow\n"
      "id,wages,Upah lembur tidak dibayar," +
      site +
      ",,true,,true\n"
      "en,,Five problems on one form,999999,2999-01-01,maybe,not-an-email,true\n"
      "en,wages,No mandate on this form," +
      site + ",,true,,\n";
  const auto form = get("/staff/batch?lang=en", officer);
  auto preview =
      upload(multipart({{"csrf", staff_csrf(form.body())}, {"lang", "en"}}, csv), officer);
  ASSERT_EQ(preview.result_int(), 200) << preview.body();
  expect_staff_page_basics(preview, "en");
  EXPECT_EQ(*store_.cases().count_cases(), 0) << "nothing is filed before the check";
  const std::string read = text_of(preview.body());
  EXPECT_NE(read.find("3 rows: 1 ready to file, 2 with problems"), std::string::npos) << read;

  // Every problem of the second row, each naming its column, in staff wording.
  const std::string html = preview.body();
  const auto row2 =
      html.substr(html.find("id=\"row-2\""),
                  html.find("</tr>", html.find("id=\"row-2\"")) - html.find("id=\"row-2\""));
  EXPECT_EQ(count(row2, "<li"), 5) << row2;
  const std::string problems = text_of(row2);
  for (const char* column :
       {"categories", "site_id", "incident_date", "anonymous", "contact_email"}) {
    EXPECT_NE(problems.find(column), std::string::npos) << column << ": " << problems;
  }
  EXPECT_NE(problems.find("category codes"), std::string::npos) << problems;
  EXPECT_NE(problems.find("Write true ("), std::string::npos) << problems;
  EXPECT_NE(read.find("mandate_follow"), std::string::npos) << "the third row's problem";
  for (const char* worker_words :
       {"Choose if the company may know your name", "Choose at least one kind of problem",
        "Enter a real date", "Choose a workplace from the list"}) {
    EXPECT_EQ(read.find(worker_words), std::string::npos) << worker_words;
  }

  // Filing files the ready row only, and the slips page answers every row.
  const std::string confirm = form_body(html, "/staff/batch/file");
  ASSERT_FALSE(confirm.empty()) << "a button to file the ready rows";
  auto filed = call(bhttp::verb::post, "/staff/batch/file", confirm, {{"Cookie", officer}});
  ASSERT_EQ(filed.result_int(), 201) << filed.body();
  EXPECT_EQ(*store_.cases().count_cases(), 1);
  EXPECT_NE(text_of(filed.body()).find("1 complaints stored, 2 rows with a problem"),
            std::string::npos);

  // A file whose every row has a problem offers no button to file.
  const std::string bad =
      "language,categories,narrative,site_id,anonymous,mandate_follow\n"
      "en,,Nothing to file,1,true,true\n";
  auto none = upload(multipart({{"csrf", staff_csrf(form.body())}, {"lang", "en"}}, bad), officer);
  EXPECT_EQ(none.result_int(), 200) << none.body();
  EXPECT_TRUE(form_body(none.body(), "/staff/batch/file").empty());
  // The filing step needs the session's CSRF token like every form.
  auto forged = call(bhttp::verb::post, "/staff/batch/file",
                     std::regex_replace(confirm, std::regex("csrf=[^&]*"), "csrf=forged"),
                     {{"Cookie", officer}});
  EXPECT_EQ(forged.result_int(), 403);
  EXPECT_EQ(*store_.cases().count_cases(), 1);
}

// ---- the timeline from the viewer's point of view -------------------------------------------

// Issue 8: in staff views the complainant's filing and messages were labelled "You" for the
// company, the buyer and the admin alike. Each event's actor is named from the viewer's point of
// view: the complainant, the union, a company by name, "your organisation" only for the viewer's.
// A catalogue text as a page shows it (HTML-escaped).
std::string text(const std::string& lang, const std::string& key) {
  std::ifstream in(std::string(GRIEVANCE_SOURCE_DIR) + "/web/i18n/" + lang + ".json");
  return web::html_escape(nlohmann::json::parse(in).at(key).get<std::string>());
}

// The staff case page speaks to staff: "Your complaint so far" and "You send your complaint"
// are the worker's words, read on the company's page as if the company had complained.
TEST_F(StaffPagesTest, TheCasePageUsesStaffWordsNotTheWorkersInEveryLanguage) {
  const auto reference = file_at(site_sawit_, "Upah lembur tidak dibayar.");
  const auto company = sign_in("csr@sawit.example");
  for (const char* lang : {"en", "nl", "id", "vi", "fr"}) {
    SCOPED_TRACE(lang);
    const auto page = get("/staff/cases/" + reference + "?lang=" + lang, company);
    ASSERT_EQ(page.result_int(), 200);
    for (const char* worker_key :
         {"case_timeline_title", "step_received", "step_acknowledged", "step_resolved"}) {
      const std::string worker_words = text(lang, worker_key);
      EXPECT_EQ(page.body().find(worker_words), std::string::npos)
          << "the worker's \"" << worker_words << "\" on a staff page";
    }
    EXPECT_NE(page.body().find(text(lang, "staff_case_timeline_title")), std::string::npos);
    EXPECT_NE(page.body().find(text(lang, "staff_step_received")), std::string::npos);
  }
}

// docs/domain.md "Translations": the company reads the complaint's translation marked as one,
// with who made it, and the original stays.
TEST_F(StaffPagesTest, ACompanyReadsATranslationMarkedAsOneWithWhoMadeIt) {
  const auto reference = file_at(site_sawit_, "Upah lembur tidak dibayar.");
  domain::Session admin;
  admin.role = domain::Role::kAdmin;
  ASSERT_TRUE(service_.casework.add_translation(admin, reference, 1, "nl",
                                                "Het overwerk is niet betaald."));
  const auto view = get("/staff/cases/" + reference + "?lang=en", sign_in("csr@sawit.example"));
  ASSERT_EQ(view.result_int(), 200);
  const std::string page = text_of(view.body());
  EXPECT_NE(page.find("Translation into Dutch"), std::string::npos) << page;
  EXPECT_NE(page.find("Het overwerk is niet betaald."), std::string::npos);
  EXPECT_NE(page.find("Upah lembur tidak dibayar."), std::string::npos) << "the original stays";
  EXPECT_NE(page.find("complaints office"), std::string::npos) << "who made it";
}

TEST_F(StaffPagesTest, TheTimelineNamesEachActorFromTheViewersPointOfView) {
  const auto reference = file_at(site_sawit_, "Upah lembur tidak dibayar.");
  const auto case_id = (*store_.cases().find_case_by_reference(reference))->id;
  domain::Session complainant;
  complainant.role = domain::Role::kComplainant;
  complainant.case_id = case_id;
  ASSERT_TRUE(service_.casework.post_message(complainant, reference, "Sudah dua bulan.",
                                             domain::Visibility::kParties));
  const auto company = sign_in("csr@sawit.example");
  const auto page = get("/staff/cases/" + reference + "?lang=en", company);
  ASSERT_EQ(page.result_int(), 200);
  const std::string csrf = staff_csrf(page.body());
  auto sent = post("/staff/cases/" + reference + "/messages",
                   "lang=en&csrf=" + csrf + "&visibility=parties&body=We+are+checking+the+payroll.",
                   company);
  ASSERT_EQ(sent.result_int(), 303) << sent.body();

  auto actors_of = [&](const std::string& cookie) {
    const auto view = get("/staff/cases/" + reference + "?lang=en", cookie);
    EXPECT_EQ(view.result_int(), 200);
    std::vector<std::string> out;
    for (const auto& meta : all_matches(view.body(), "<p class=\"timeline__meta\">(.*?)</p>")) {
      out.push_back(text_of(meta));
    }
    return out;
  };
  auto has = [](const std::vector<std::string>& metas, const std::string& what) {
    return std::any_of(metas.begin(), metas.end(),
                       [&](const std::string& m) { return m.find(what) != std::string::npos; });
  };
  auto says_you = [](const std::vector<std::string>& metas) {
    return std::any_of(metas.begin(), metas.end(), [](const std::string& m) {
      return std::regex_search(m, std::regex("· You\\b"));
    });
  };
  const auto for_company = actors_of(company);
  ASSERT_EQ(for_company.size(), 4u);  // filed, routed, the worker's message, the company's
  EXPECT_FALSE(says_you(for_company)) << for_company[0];
  EXPECT_NE(for_company[0].find("The complainant"), std::string::npos) << for_company[0];
  EXPECT_NE(for_company[2].find("The complainant"), std::string::npos) << for_company[2];
  EXPECT_NE(for_company[3].find("Your organisation"), std::string::npos) << for_company[3];

  const auto for_admin = actors_of(sign_in("admin@example.org"));
  ASSERT_EQ(for_admin.size(), 4u);
  EXPECT_FALSE(says_you(for_admin));
  EXPECT_NE(for_admin[0].find("The complainant"), std::string::npos) << for_admin[0];
  EXPECT_NE(for_admin[3].find("PT Sawit Riau"), std::string::npos) << for_admin[3];
  EXPECT_EQ(for_admin[3].find("Your organisation"), std::string::npos) << for_admin[3];
  EXPECT_TRUE(has(for_admin, "The complainant"));

  // A union's filing is the union's, named for the union itself as its own organisation.
  domain::ComplaintDraft d;
  d.language = "id";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Diisi oleh serikat.";
  d.site_id = site_sawit_;
  d.mandate = domain::Mandate{true, false, false, 1};
  domain::Session union_filer;
  union_filer.role = domain::Role::kUnion;
  union_filer.org_id = union_;
  auto by_union = service_.filing.file_complaint(d, domain::Channel::kUnion, {}, &union_filer);
  ASSERT_TRUE(by_union) << by_union.error().message;
  const auto union_view = get("/staff/cases/" + by_union->filed.reference + "?lang=en",
                              sign_in("officer@union.example"));
  const auto union_metas = all_matches(union_view.body(), "<p class=\"timeline__meta\">(.*?)</p>");
  ASSERT_FALSE(union_metas.empty());
  EXPECT_NE(text_of(union_metas[0]).find("Your organisation"), std::string::npos)
      << text_of(union_metas[0]);
  const auto company_view = get("/staff/cases/" + by_union->filed.reference + "?lang=en", company);
  const auto company_metas =
      all_matches(company_view.body(), "<p class=\"timeline__meta\">(.*?)</p>");
  ASSERT_FALSE(company_metas.empty());
  EXPECT_NE(text_of(company_metas[0]).find("union"), std::string::npos)
      << text_of(company_metas[0]);
  EXPECT_EQ(text_of(company_metas[0]).find("Your organisation"), std::string::npos);
}

// ---- writing, filing and assigning from the pages --------------------------------------------

// Issue 8: a union following a case (mandate.follow) writes in it from the case page; a union that
// only filed it may read but not write.
TEST_F(StaffPagesTest, AUnionWritesInTheCasesItFollows) {
  auto file = [&](bool follow) {
    return file_by_union(follow, follow ? "Serikat mengikuti." : "Serikat hanya mengajukan.");
  };
  const auto followed = file(true);
  const auto only_filed = file(false);
  const auto officer = sign_in("officer@union.example");
  auto page = get("/staff/cases/" + followed + "?lang=en", officer);
  ASSERT_EQ(page.result_int(), 200);
  EXPECT_NE(page.body().find("action=\"/staff/cases/" + followed + "/messages\""),
            std::string::npos)
      << page.body();
  EXPECT_EQ(page.body().find("name=\"visibility\" value=\"staff\""), std::string::npos)
      << "a union writes no internal notes";
  const std::string csrf = staff_csrf(page.body());
  auto empty =
      post("/staff/cases/" + followed + "/messages", "lang=en&csrf=" + csrf + "&body=+", officer);
  EXPECT_EQ(empty.result_int(), 400);
  EXPECT_NE(empty.body().find("href=\"#body\""), std::string::npos);
  auto sent = post("/staff/cases/" + followed + "/messages",
                   "lang=en&csrf=" + csrf + "&body=Pekerja+siap+bertemu.", officer);
  ASSERT_EQ(sent.result_int(), 303) << sent.body();
  auto after = get(std::string(sent[bhttp::field::location]), officer);
  EXPECT_NE(after.body().find("Pekerja siap bertemu."), std::string::npos);

  auto read_only = get("/staff/cases/" + only_filed + "?lang=en", officer);
  ASSERT_EQ(read_only.result_int(), 200);
  EXPECT_EQ(read_only.body().find("/messages\""), std::string::npos);
  auto refused = post("/staff/cases/" + only_filed + "/messages",
                      "lang=en&csrf=" + csrf + "&body=Boleh+menulis%3F", officer);
  EXPECT_EQ(refused.result_int(), 403);
  auto forged =
      post("/staff/cases/" + followed + "/messages", "lang=en&csrf=forged&body=Forged", officer);
  EXPECT_EQ(forged.result_int(), 403);
  // A company that may not see the case gets the same page as for a case that does not exist.
  const auto garment = sign_in("csr@garment.example");
  auto foreign = post(
      "/staff/cases/" + followed + "/messages",
      "lang=en&csrf=" + staff_csrf(get("/staff/cases", garment).body()) + "&body=Hello", garment);
  EXPECT_EQ(foreign.result_int(), 404);
}

// Issue 8: a union officer files a single complaint for a worker, with the worker's mandate, from
// the pages; the answer is the worker's slip with the reference and the secret code.
TEST_F(StaffPagesTest, AUnionFilesOneComplaintWithAMandate) {
  const auto officer = sign_in("officer@union.example");
  auto cases = get("/staff/cases?lang=en", officer);
  EXPECT_NE(cases.body().find("href=\"/staff/complaint?lang=en\""), std::string::npos)
      << "in the union's menu";
  auto form = get("/staff/complaint?lang=en", officer);
  ASSERT_EQ(form.result_int(), 200) << form.body();
  expect_staff_page_basics(form, "en");
  const std::string csrf = staff_csrf(form.body());
  const std::string nonce = first_match(form.body(), "name=\"nonce\" value=\"([0-9a-f]{32})\"");
  ASSERT_FALSE(nonce.empty());

  // Every missing answer at once.
  auto empty = post("/staff/complaint", "lang=en&csrf=" + csrf + "&nonce=" + nonce, officer);
  EXPECT_EQ(empty.result_int(), 400);
  for (const char* field : {"#language", "#cat-wages", "#narrative", "#site_id",
                            "#share_identity-no", "#mandate_follow-yes", "#collective-no"}) {
    EXPECT_NE(empty.body().find(std::string("href=\"") + field + "\""), std::string::npos) << field;
  }
  EXPECT_EQ(*store_.cases().count_cases(), 0);

  const std::string body = "lang=en&csrf=" + csrf + "&nonce=" + nonce +
                           "&language=id&categories=wages&categories=working_hours"
                           "&narrative=Lembur+tidak+dibayar.&site_id=" +
                           std::to_string(site_sawit_) +
                           "&share_identity=false&mandate_follow=true"
                           "&collective=true&mandate_headcount=14";
  auto filed = post("/staff/complaint", body, officer);
  ASSERT_EQ(filed.result_int(), 201) << filed.body();
  const auto reference = first_match(filed.body(), "class=\"code slip__reference\">([A-Z0-9-]+)<");
  const auto code = first_match(filed.body(), "class=\"code slip__code\">([0-9 ]+)<");
  ASSERT_FALSE(reference.empty());
  ASSERT_FALSE(code.empty());
  auto stored = (*store_.cases().find_case_by_reference(reference)).value();
  EXPECT_EQ(stored.complaint.channel, domain::Channel::kUnion);
  EXPECT_EQ(stored.complaint.union_org_id, union_);
  ASSERT_TRUE(stored.complaint.mandate);
  EXPECT_TRUE(stored.complaint.mandate->follow);
  EXPECT_TRUE(stored.complaint.mandate->collective);
  EXPECT_EQ(stored.complaint.mandate->headcount, 14);
  // Sent again (a refresh): the same complaint, not a second one, and no code shown again.
  auto again = post("/staff/complaint", body, officer);
  EXPECT_EQ(again.result_int(), 200) << again.body();
  EXPECT_NE(again.body().find(reference), std::string::npos);
  EXPECT_TRUE(first_match(again.body(), "class=\"code slip__code\">([0-9 ]+)<").empty());
  EXPECT_EQ(*store_.cases().count_cases(), 1);
  // Only unions file from the staff pages.
  EXPECT_EQ(get("/staff/complaint", sign_in("csr@sawit.example")).result_int(), 404);
}

// Issue 8: an admin routes a triage case to a company from the case page.
TEST_F(StaffPagesTest, AnAdminAssignsATriageCaseFromTheCasePage) {
  domain::ComplaintDraft d;
  d.language = "fr";
  d.categories = std::vector<std::string>{"child_labour"};
  d.narrative = "Des enfants travaillent.";
  d.place = "Cooperative near Soubre";
  d.country = "CI";
  auto filed = service_.filing.file_complaint(d, domain::Channel::kWeb);
  ASSERT_TRUE(filed);
  const auto reference = filed->filed.reference;
  const auto admin = sign_in("admin@example.org");
  auto page = get("/staff/cases/" + reference + "?lang=en", admin);
  ASSERT_EQ(page.result_int(), 200);
  EXPECT_NE(page.body().find("action=\"/staff/cases/" + reference + "/assign\""), std::string::npos)
      << page.body();
  EXPECT_NE(page.body().find("<option value=\"" + std::to_string(sawit_) + "\">PT Sawit Riau"),
            std::string::npos);
  const std::string csrf = staff_csrf(page.body());
  auto none =
      post("/staff/cases/" + reference + "/assign", "lang=en&csrf=" + csrf + "&org_id=", admin);
  EXPECT_EQ(none.result_int(), 400);
  EXPECT_NE(none.body().find("href=\"#org_id\""), std::string::npos);
  auto assigned = post("/staff/cases/" + reference + "/assign",
                       "lang=en&csrf=" + csrf + "&org_id=" + std::to_string(sawit_), admin);
  ASSERT_EQ(assigned.result_int(), 303) << assigned.body();
  auto stored = (*store_.cases().find_case_by_reference(reference)).value();
  ASSERT_EQ(stored.parties.size(), 1u);
  EXPECT_EQ(stored.parties[0].org_id, sawit_);
  auto after = get(std::string(assigned[bhttp::field::location]), admin);
  EXPECT_EQ(after.body().find("/assign\""), std::string::npos) << "assigned once";
  EXPECT_NE(after.body().find("PT Sawit Riau (Responsible company)"), std::string::npos);
  // The company now sees it; nobody else may assign.
  const auto company = sign_in("csr@sawit.example");
  EXPECT_EQ(get("/staff/cases/" + reference, company).result_int(), 200);
  auto by_company = post("/staff/cases/" + reference + "/assign",
                         "lang=en&csrf=" + staff_csrf(get("/staff/cases", company).body()) +
                             "&org_id=" + std::to_string(garment_),
                         company);
  EXPECT_EQ(by_company.result_int(), 404);
}

// ---- the directory: countries by name, edit pages, confirmation, passwords -------------------

// Issue 8: typing "Malaysia" in the country box saved "MA" (Morocco), cut by maxlength. Countries
// are chosen by name, and a value that is not a country is refused, never cut.
TEST_F(StaffPagesTest, CountriesAreChosenByNameAndNeverCut) {
  const auto admin = sign_in("admin@example.org");
  for (const char* path : {"/staff/admin/organisations?lang=en", "/staff/admin/sites?lang=en"}) {
    auto page = get(path, admin);
    ASSERT_EQ(page.result_int(), 200) << path;
    EXPECT_NE(page.body().find("<select class=\"select\" id=\"country\" name=\"country\""),
              std::string::npos)
        << path;
    EXPECT_NE(page.body().find("<option value=\"MY\">Malaysia</option>"), std::string::npos);
    EXPECT_NE(page.body().find("<option value=\"MA\">Morocco</option>"), std::string::npos);
    EXPECT_EQ(page.body().find("maxlength=\"2\""), std::string::npos) << path;
  }
  auto dutch = get("/staff/admin/organisations?lang=nl", admin);
  EXPECT_NE(dutch.body().find("<option value=\"MY\">Maleisië</option>"), std::string::npos);
  const std::string csrf = staff_csrf(get("/staff/admin/organisations", admin).body());
  auto typed =
      post("/staff/admin/organisations",
           "lang=en&csrf=" + csrf + "&kind=company&name=Sime+Plantations&country=Malaysia", admin);
  EXPECT_EQ(typed.result_int(), 400) << "a name that is not a code is refused, not cut";
  EXPECT_NE(typed.body().find("href=\"#country\""), std::string::npos);
  auto chosen =
      post("/staff/admin/organisations",
           "lang=en&csrf=" + csrf + "&kind=company&name=Sime+Plantations&country=MY", admin);
  ASSERT_EQ(chosen.result_int(), 303) << chosen.body();
  auto orgs = *store_.directory().list_organisations();
  auto sime = std::find_if(orgs.begin(), orgs.end(),
                           [](const auto& o) { return o.name == "Sime Plantations"; });
  ASSERT_NE(sime, orgs.end());
  EXPECT_EQ(sime->country, "MY");
  EXPECT_NE(text_of(get("/staff/admin/organisations?lang=en", admin).body())
                .find("Sime Plantations Company Malaysia"),
            std::string::npos);
}

// Issue 8: organisations, sites, supply links and users can be edited from the pages.
TEST_F(StaffPagesTest, AnAdminEditsEveryKindOfRecord) {
  const auto admin = sign_in("admin@example.org");
  auto orgs = get("/staff/admin/organisations?lang=en", admin);
  const std::string edit_org = "/staff/admin/organisations/" + std::to_string(sawit_);
  EXPECT_NE(orgs.body().find("href=\"" + edit_org + "?lang=en\""), std::string::npos)
      << orgs.body();
  auto org_page = get(edit_org + "?lang=en", admin);
  ASSERT_EQ(org_page.result_int(), 200) << org_page.body();
  expect_staff_page_basics(org_page, "en");
  EXPECT_NE(org_page.body().find("value=\"PT Sawit Riau\""), std::string::npos);
  const std::string csrf = staff_csrf(org_page.body());
  auto renamed =
      post(edit_org, "lang=en&csrf=" + csrf + "&name=PT+Sawit+Riau+Lestari&country=MY", admin);
  ASSERT_EQ(renamed.result_int(), 303) << renamed.body();
  auto org = (*store_.directory().find_organisation(sawit_)).value();
  EXPECT_EQ(org.name, "PT Sawit Riau Lestari");
  EXPECT_EQ(org.country, "MY");
  auto blank_name = post(edit_org, "lang=en&csrf=" + csrf + "&name=&country=ID", admin);
  EXPECT_EQ(blank_name.result_int(), 400);
  EXPECT_NE(blank_name.body().find("href=\"#name\""), std::string::npos);

  const std::string edit_site = "/staff/admin/sites/" + std::to_string(site_sawit_);
  ASSERT_EQ(get(edit_site + "?lang=en", admin).result_int(), 200);
  auto site = post(edit_site,
                   "lang=en&csrf=" + csrf +
                       "&name=Kebun+Kampar+Utara&country=ID&region=Riau&sector=palm_oil"
                       "&operator_org_id=" +
                       std::to_string(garment_),
                   admin);
  ASSERT_EQ(site.result_int(), 303) << site.body();
  auto stored_site = (*store_.directory().find_site(site_sawit_)).value();
  EXPECT_EQ(stored_site.name, "Kebun Kampar Utara");
  EXPECT_EQ(stored_site.operator_org_id, garment_);

  domain::Session admin_session;
  admin_session.role = domain::Role::kAdmin;
  auto link = service_.directory->create_supply_link(
      admin_session, domain::SupplyLinkDraft{sawit_, garment_, std::nullopt, std::nullopt});
  ASSERT_TRUE(link) << link.error().message;
  auto link_page = get("/staff/admin/supply-links/" + std::to_string(link->id) + "?lang=en", admin);
  ASSERT_EQ(link_page.result_int(), 200) << link_page.body();
  EXPECT_NE(text_of(link_page.body()).find("Saigon Garments"), std::string::npos);

  auto users = *store_.accounts().list_users();
  auto csr = std::find_if(users.begin(), users.end(),
                          [](const auto& u) { return u.email == "csr@sawit.example"; });
  ASSERT_NE(csr, users.end());
  const std::string edit_user = "/staff/admin/users/" + std::to_string(csr->id);
  auto user_page = get(edit_user + "?lang=en", admin);
  ASSERT_EQ(user_page.result_int(), 200) << user_page.body();
  EXPECT_NE(user_page.body().find("value=\"csr@sawit.example\""), std::string::npos);
  auto moved = post(edit_user,
                    "lang=en&csrf=" + csrf + "&email=csr%40sawit.example&role=company&org_id=" +
                        std::to_string(garment_),
                    admin);
  ASSERT_EQ(moved.result_int(), 303) << moved.body();
  EXPECT_EQ((*store_.accounts().find_user(csr->id))->org_id, garment_);
  EXPECT_EQ(get("/staff/admin/users/999999?lang=en", admin).result_int(), 404);
  EXPECT_EQ(get(edit_user, sign_in("officer@union.example")).result_int(), 404);
}

// Issue 8: disabling asks first (a confirmation page, without JavaScript); the page says what it
// does, and only its own button disables.
TEST_F(StaffPagesTest, DisablingAsksForConfirmation) {
  const auto admin = sign_in("admin@example.org");
  auto orgs = get("/staff/admin/organisations?lang=en", admin);
  const std::string disable = "/staff/admin/organisations/" + std::to_string(sawit_) + "/disable";
  EXPECT_NE(orgs.body().find("href=\"" + disable + "?lang=en\""), std::string::npos) << orgs.body();
  const std::string csrf = staff_csrf(orgs.body());
  // The old one-click form changes nothing now.
  auto one_click = post("/staff/admin/organisations/" + std::to_string(sawit_),
                        "lang=en&csrf=" + csrf + "&disabled=true", admin);
  EXPECT_NE(one_click.result_int(), 303);
  EXPECT_FALSE((*store_.directory().find_organisation(sawit_))->disabled);

  auto confirm = get(disable + "?lang=en", admin);
  ASSERT_EQ(confirm.result_int(), 200) << confirm.body();
  expect_staff_page_basics(confirm, "en");
  const std::string read = text_of(confirm.body());
  EXPECT_NE(read.find("Disable PT Sawit Riau?"), std::string::npos) << read;
  EXPECT_NE(read.find("signed out"), std::string::npos) << read;
  EXPECT_FALSE((*store_.directory().find_organisation(sawit_))->disabled)
      << "asking changes nothing";
  auto done = post(disable, form_body(confirm.body(), disable), admin);
  ASSERT_EQ(done.result_int(), 303) << done.body();
  EXPECT_TRUE((*store_.directory().find_organisation(sawit_))->disabled);
  auto enable = post("/staff/admin/organisations/" + std::to_string(sawit_) + "/enable",
                     "lang=en&csrf=" + csrf, admin);
  ASSERT_EQ(enable.result_int(), 303);
  EXPECT_FALSE((*store_.directory().find_organisation(sawit_))->disabled);
  EXPECT_EQ(post(disable, "lang=en&csrf=forged", admin).result_int(), 403);
}

// Issue 8: an admin sets a new password for a staff member; their sessions end.
TEST_F(StaffPagesTest, AnAdminResetsAStaffPassword) {
  const auto company = sign_in("csr@sawit.example");
  ASSERT_EQ(get("/staff/cases", company).result_int(), 200);
  const auto admin = sign_in("admin@example.org");
  auto users = *store_.accounts().list_users();
  auto csr = std::find_if(users.begin(), users.end(),
                          [](const auto& u) { return u.email == "csr@sawit.example"; });
  ASSERT_NE(csr, users.end());
  const std::string edit_user = "/staff/admin/users/" + std::to_string(csr->id);
  auto page = get(edit_user + "?lang=en", admin);
  ASSERT_EQ(page.result_int(), 200);
  EXPECT_NE(page.body().find("action=\"" + edit_user + "/password\""), std::string::npos)
      << page.body();
  const std::string csrf = staff_csrf(page.body());
  auto too_short = post(edit_user + "/password", "lang=en&csrf=" + csrf + "&password=short", admin);
  EXPECT_EQ(too_short.result_int(), 400);
  EXPECT_NE(too_short.body().find("href=\"#password\""), std::string::npos);
  EXPECT_EQ(get("/staff/cases", company).result_int(), 200) << "nothing changed";
  auto reset = post(edit_user + "/password",
                    "lang=en&csrf=" + csrf + "&password=a+brand+new+passphrase", admin);
  ASSERT_EQ(reset.result_int(), 303) << reset.body();
  EXPECT_EQ(get("/staff/cases", company).result_int(), 303) << "the old session has ended";
  EXPECT_EQ(sign_in_response("csr@sawit.example").result_int(), 401);
  EXPECT_EQ(sign_in_response("csr@sawit.example", "a brand new passphrase").result_int(), 303);
  auto after = get(std::string(reset[bhttp::field::location]), admin);
  EXPECT_NE(text_of(after.body()).find("signed out"), std::string::npos);
}

// ---- language -------------------------------------------------------------------------------

TEST_F(StaffPagesTest, DutchRendersDutchEverywhere) {
  auto sign_in_page = get("/staff/sign-in?lang=nl");
  expect_staff_page_basics(sign_in_page, "nl");
  EXPECT_NE(sign_in_page.body().find("Inloggen voor medewerkers"), std::string::npos);
  EXPECT_NE(std::string(sign_in_page[bhttp::field::set_cookie]).find("lang=nl"), std::string::npos);
  auto by_header =
      call(bhttp::verb::get, "/staff/sign-in", {}, {{"Accept-Language", "nl-NL,nl;q=0.9"}});
  EXPECT_NE(by_header.body().find("<html lang=\"nl\">"), std::string::npos);

  auto failed = sign_in_response("admin@example.org", "wrong wrong wrong", "nl");
  EXPECT_NE(failed.body().find("Het e-mailadres, wachtwoord of de code klopt niet"),
            std::string::npos);

  const auto reference = file_at(site_sawit_, "Upah lembur.");
  auto res = post("/staff/sign-in",
                  "lang=nl&email=csr%40sawit.example&password=correct+horse+"
                  "battery+staple");
  ASSERT_EQ(res.result_int(), 303);
  EXPECT_EQ(res[bhttp::field::location], "/staff/cases?lang=nl");
  const std::string set_cookie(res[bhttp::field::set_cookie]);
  const auto cookie = set_cookie.substr(0, set_cookie.find(';'));
  auto list = get("/staff/cases?lang=nl", cookie);
  expect_staff_page_basics(list, "nl");
  EXPECT_NE(list.body().find("Zaken filteren"), std::string::npos);
  EXPECT_NE(list.body().find("Verantwoordelijk bedrijf"), std::string::npos);
  EXPECT_NE(list.body().find("Ontvangen"), std::string::npos) << "status in Dutch";
  auto view = get("/staff/cases/" + reference + "?lang=nl", cookie);
  EXPECT_NE(view.body().find("Termijnen"), std::string::npos);
  EXPECT_NE(view.body().find("Ontvangst bevestigen"), std::string::npos);

  const auto admin = sign_in("admin@example.org");
  for (const char* path : {"/staff/admin/organisations?lang=nl", "/staff/admin/users?lang=nl",
                           "/staff/admin/sites?lang=nl", "/staff/admin/supply-links?lang=nl"}) {
    auto page = get(path, admin);
    EXPECT_EQ(page.result_int(), 200) << path;
    expect_staff_page_basics(page, "nl");
    EXPECT_NE(page.body().find("Opslaan"), std::string::npos) << path;
  }
}

// ---- hostile input --------------------------------------------------------------------------

// Mutated multipart bodies, forms and targets: always an answer, never a 5xx, never a crash.
TEST_F(StaffPagesTest, MutatedInputNeverAnswers5xx) {
  const auto officer = sign_in("officer@union.example");
  const auto admin = sign_in("admin@example.org");
  const auto officer_csrf = staff_csrf(get("/staff/batch", officer).body());
  const auto admin_csrf = staff_csrf(get("/staff/cases", admin).body());
  const std::string batch =
      multipart({{"csrf", officer_csrf}, {"lang", "id"}, {"batch_key", std::string(32, 'a')}},
                "language,categories,narrative,site_id,country,anonymous,mandate_follow\r\n"
                "id,wages;health_safety,\"Upah, \"\"lembur\"\"\"," +
                    std::to_string(site_sawit_) + ",ID,true,true\r\n");
  const std::string org_form =
      "lang=nl&csrf=" + admin_csrf + "&kind=company&name=PT+Baru&country=ID";
  std::mt19937 rng(20261129);
  auto mutate = [&](std::string s) {
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 4) {
        case 0:
          s[at] = static_cast<char>(rng() % 256);
          break;
        case 1:
          s.erase(at, 1 + rng() % 8);
          break;
        case 2:
          s.insert(at, std::string(1 + rng() % 3, "\r\n-\"=&%;"[rng() % 9]));
          break;
        default:
          s.insert(at, s.substr(rng() % s.size(), rng() % 16));
          break;
      }
    }
    return s;
  };
  const std::string targets[] = {"/staff/cases?status=received&country=ID&cursor=abc&q=x",
                                 "/staff/cases/GRV-7KQ2-M9XD?lang=vi",
                                 "/staff/admin/users?created=1&lang=fr", "/staff/batch?lang=nl"};
  for (int i = 0; i < 400; ++i) {
    auto up = call(bhttp::verb::post, "/staff/batch", mutate(batch), {{"Cookie", officer}},
                   "multipart/form-data; boundary=" + kBoundary);
    EXPECT_LT(up.result_int(), 500) << i;
    auto org = post("/staff/admin/organisations", mutate(org_form), admin);
    EXPECT_LT(org.result_int(), 500) << i;
    auto sign =
        post("/staff/sign-in", mutate("lang=en&email=a%40b.c&password=0123456789ab&totp=1"));
    EXPECT_LT(sign.result_int(), 500) << i;
    auto page = get(mutate(targets[i % 4]), i % 2 ? admin : officer);
    EXPECT_LT(page.result_int(), 500) << i;
  }
}

// ---- weight ---------------------------------------------------------------------------------

// The whole first load (HTML + every asset it references) stays under 100 KB (docs/architecture.md
// "Pages"), on the staff pages too: union officers upload from the field on phones.
TEST_F(StaffPagesTest, FirstLoadOfEveryStaffPageIsUnder100KB) {
  for (int i = 0; i < 50; ++i) file_at(i % 2 ? site_sawit_ : site_garment_, "Kasus");
  const auto admin = sign_in("admin@example.org");
  const auto officer = sign_in("officer@union.example");
  std::string csv = "language,categories,narrative,site_id,country,anonymous,mandate_follow\n";
  for (int i = 0; i < 40; ++i) {
    csv += "id,wages,Upah," + std::to_string(site_sawit_) + ",ID,true,true\n";
  }
  const auto slips = file_csv(csv, officer, "en");
  ASSERT_EQ(slips.result_int(), 201);
  const std::vector<std::pair<std::string, Response>> pages = {
      {"sign-in", get("/staff/sign-in?lang=vi")},
      {"cases (50)", get("/staff/cases?lang=vi", admin)},
      {"users", get("/staff/admin/users?lang=vi", admin)},
      {"batch", get("/staff/batch?lang=vi", officer)},
      {"slips (40)", slips},
  };
  for (const auto& [name, page] : pages) {
    ASSERT_GE(page.result_int(), 200) << name;
    ASSERT_LT(page.result_int(), 300) << name;
    std::size_t total = page.body().size();
    std::set<std::string> assets;
    const std::regex ref("(?:href|src)=\"(/static/[^\"#]+)");
    for (auto it = std::sregex_iterator(page.body().begin(), page.body().end(), ref);
         it != std::sregex_iterator(); ++it) {
      assets.insert((*it)[1]);
    }
    EXPECT_EQ(assets.size(), 4u) << name << ": site.css, staff.css, site.js, favicon";
    for (const auto& asset : assets) {
      auto res = get(asset);
      EXPECT_EQ(res.result_int(), 200) << asset;
      total += res.body().size();
    }
    std::printf("first load %s: %zu bytes (HTML %zu + %zu assets)\n", name.c_str(), total,
                page.body().size(), assets.size());
    EXPECT_LT(total, 100u * 1024u) << name;
  }
}

// ---- casework (issue 9): the forms of the case view, by who may use them ---------------------

namespace casework {

// The action of the form that holds `needle` (a move's hidden name, ...): the hidden inputs a
// browser sends for it plus `extra`.
std::string move_body(const std::string& html, const std::string& move,
                      const std::vector<std::pair<std::string, std::string>>& extra) {
  const auto at = html.find("name=\"move\" value=\"" + move + "\"");
  if (at == std::string::npos) return {};
  const auto start = html.rfind("<form", at);
  const std::string form = html.substr(start, html.find("</form>", at) - start);
  std::string body;
  const std::regex hidden("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(form.begin(), form.end(), hidden);
       it != std::sregex_iterator(); ++it) {
    body += (body.empty() ? "" : "&") + web::url_encode((*it)[1].str()) + "=" +
            web::url_encode((*it)[2].str());
  }
  for (const auto& [name, value] : extra) {
    body += "&" + web::url_encode(name) + "=" + web::url_encode(value);
  }
  return body;
}

}  // namespace casework

TEST_F(StaffPagesTest, TheResponsibleCompanyWorksACaseFromThePageAndABuyerOnlyReads) {
  ASSERT_TRUE(store_.directory().create_supply_link(
      domain::SupplyLink{0, sawit_, garment_, std::nullopt, false}));
  const auto reference = file_at(site_sawit_, "Upah lembur belum dibayar.");
  const std::string path = "/staff/cases/" + reference;
  const auto company = sign_in("csr@sawit.example");
  const auto stored = [&] { return (*store_.cases().find_case_by_reference(reference)).value(); };
  auto page = get(path + "?lang=en", company);
  ASSERT_EQ(page.result_int(), 200);
  expect_staff_page_basics(page, "en");
  for (const char* move : {"acknowledge", "respond", "reject", "escalate"}) {
    EXPECT_NE(page.body().find(std::string("name=\"move\" value=\"") + move + "\""),
              std::string::npos)
        << move;
  }
  EXPECT_EQ(page.body().find("name=\"move\" value=\"reopen\""), std::string::npos)
      << "the complaints office reopens, not the company";
  EXPECT_NE(page.body().find("action=\"" + path + "/ask\""), std::string::npos);

  // Every move carries a reason the complainant reads: without one, the field's error.
  auto blank = post(path + "/transitions",
                    casework::move_body(page.body(), "acknowledge", {{"reason", " "}}), company);
  EXPECT_EQ(blank.result_int(), 422);
  EXPECT_NE(blank.body().find("href=\"#move-acknowledge-reason\""), std::string::npos)
      << blank.body();
  EXPECT_NE(blank.body().find("<details class=\"move\" id=\"move-acknowledge\" open>"),
            std::string::npos);
  auto acked =
      post(path + "/transitions",
           casework::move_body(page.body(), "acknowledge", {{"reason", "We have it."}}), company);
  ASSERT_EQ(acked.result_int(), 303) << acked.body();
  EXPECT_EQ(stored().status, domain::CaseStatus::kAcknowledged);
  auto after = get(std::string(acked[bhttp::field::location]), company);
  EXPECT_NE(after.body().find("The case moved to its next step."), std::string::npos);
  EXPECT_NE(text_of(after.body()).find("We have it."), std::string::npos);

  // Ask and wait: the clock pauses, and the page says so.
  const std::string csrf = staff_csrf(after.body());
  auto empty_question = post(path + "/ask", "lang=en&csrf=" + csrf + "&body=", company);
  EXPECT_EQ(empty_question.result_int(), 422);
  EXPECT_NE(empty_question.body().find("href=\"#ask-body\""), std::string::npos);
  auto asked = post(path + "/ask", "lang=en&csrf=" + csrf + "&body=Which+days%3F", company);
  ASSERT_EQ(asked.result_int(), 303) << asked.body();
  EXPECT_TRUE(stored().paused_since.has_value());
  page = get(path + "?lang=en", company);
  EXPECT_NE(page.body().find("id=\"paused-tag\""), std::string::npos);
  EXPECT_NE(page.body().find("Time limits paused"), std::string::npos) << "in the timeline";
  EXPECT_EQ(page.body().find("action=\"" + path + "/ask\""), std::string::npos)
      << "one question at a time";

  ASSERT_EQ(
      post(path + "/transitions",
           casework::move_body(page.body(), "respond", {{"reason", "We looked into it."}}), company)
          .result_int(),
      303);
  page = get(path + "?lang=en", company);

  // The plan: three blank rows, more on request, blank rows ignored.
  const std::string org = std::to_string(sawit_);
  EXPECT_NE(page.body().find("name=\"what_3\""), std::string::npos);
  EXPECT_EQ(page.body().find("name=\"what_4\""), std::string::npos);
  auto more = post(path + "/transitions",
                   casework::move_body(page.body(), "propose_remedy",
                                       {{"what_1", "Pay the overtime"}, {"more_rows", "1"}}),
                   company);
  EXPECT_EQ(more.result_int(), 200);
  EXPECT_NE(more.body().find("name=\"what_6\""), std::string::npos);
  EXPECT_NE(more.body().find("value=\"Pay the overtime\""), std::string::npos) << "kept";
  EXPECT_EQ(stored().status, domain::CaseStatus::kInDialogue) << "nothing sent yet";
  auto past = post(path + "/transitions",
                   casework::move_body(page.body(), "propose_remedy",
                                       {{"reason", "Our plan."},
                                        {"what_1", "Pay the overtime"},
                                        {"org_1", org},
                                        {"due_1", "2026-01-01"}}),
                   company);
  EXPECT_EQ(past.result_int(), 422);
  EXPECT_NE(past.body().find("href=\"#move-propose_remedy-due_1\""), std::string::npos)
      << past.body();
  auto proposed = post(path + "/transitions",
                       casework::move_body(page.body(), "propose_remedy",
                                           {{"reason", "Our plan."},
                                            {"what_1", "Pay the overtime"},
                                            {"org_1", org},
                                            {"due_1", "2026-12-20"},
                                            {"what_2", ""},
                                            {"org_2", org},
                                            {"due_2", ""},
                                            {"what_3", "Signed time sheets"},
                                            {"org_3", org},
                                            {"due_3", "2027-01-31"}}),
                       company);
  ASSERT_EQ(proposed.result_int(), 303) << proposed.body();
  ASSERT_EQ(stored().remedy.size(), 2u);
  EXPECT_EQ(stored().remedy[1].what, "Signed time sheets");

  // Each action marked done with a note.
  page = get(path + "?lang=en", company);
  EXPECT_NE(page.body().find("action=\"" + path + "/actions/1/done\""), std::string::npos);
  EXPECT_NE(page.body().find("action=\"" + path + "/actions/2/done\""), std::string::npos);
  auto no_note =
      post(path + "/actions/1/done", "lang=en&csrf=" + staff_csrf(page.body()) + "&note=", company);
  EXPECT_EQ(no_note.result_int(), 422);
  EXPECT_NE(no_note.body().find("href=\"#done-1-note\""), std::string::npos);
  auto marked = post(path + "/actions/1/done",
                     "lang=en&csrf=" + staff_csrf(page.body()) + "&note=Paid+on+pay+day.", company);
  ASSERT_EQ(marked.result_int(), 303) << marked.body();
  EXPECT_TRUE(stored().remedy[0].done_at.has_value());

  // The buyer reads the plan and the timeline, and has no form at all.
  const auto buyer = sign_in("csr@garment.example");
  auto read = get(path + "?lang=en", buyer);
  ASSERT_EQ(read.result_int(), 200);
  EXPECT_NE(read.body().find("Signed time sheets"), std::string::npos);
  EXPECT_NE(read.body().find("Paid on pay day."), std::string::npos);
  for (const char* action : {"/transitions\"", "/ask\"", "/done\"", "/verdict\"", "/feedback\""}) {
    EXPECT_EQ(read.body().find(action), std::string::npos) << action;
  }
  const std::string buyer_csrf = staff_csrf(read.body());
  EXPECT_EQ(post(path + "/transitions",
                 "lang=en&csrf=" + buyer_csrf + "&move=reject&reason=No&reasoning=No", buyer)
                .result_int(),
            403);
  EXPECT_EQ(post(path + "/actions/2/done", "lang=en&csrf=" + buyer_csrf + "&note=Done", buyer)
                .result_int(),
            403);
  EXPECT_FALSE(stored().remedy[1].done_at.has_value());
  // Without the session's token nothing moves.
  EXPECT_EQ(post(path + "/actions/2/done", "lang=en&csrf=forged&note=Done", company).result_int(),
            403);
}

TEST_F(StaffPagesTest, ARejectionCarriesItsReasoningAndAnEscalationItsBody) {
  const auto company = sign_in("csr@sawit.example");
  const auto rejected = file_at(site_sawit_, "Bukan lokasi kami.");
  auto page = get("/staff/cases/" + rejected + "?lang=en", company);
  auto no_reasoning =
      post("/staff/cases/" + rejected + "/transitions",
           casework::move_body(page.body(), "reject", {{"reason", "Not ours."}}), company);
  EXPECT_EQ(no_reasoning.result_int(), 422);
  EXPECT_NE(no_reasoning.body().find("href=\"#move-reject-reasoning\""), std::string::npos);
  ASSERT_EQ(post("/staff/cases/" + rejected + "/transitions",
                 casework::move_body(page.body(), "reject",
                                     {{"reason", "Not ours."},
                                      {"reasoning", "The site belongs to another company."}}),
                 company)
                .result_int(),
            303);
  page = get("/staff/cases/" + rejected + "?lang=en", company);
  EXPECT_NE(text_of(page.body()).find("Outcome Not admissible"), std::string::npos);
  EXPECT_NE(text_of(page.body()).find("Reasoning: The site belongs to another company."),
            std::string::npos);
  EXPECT_EQ(page.body().find("name=\"move\""), std::string::npos) << "the company is done";
  // The company and the operator see how long the worker may still contest the decision.
  for (const std::string& reader : {company, sign_in("admin@example.org")}) {
    const auto read = text_of(get("/staff/cases/" + rejected + "?lang=en", reader).body());
    EXPECT_NE(read.find("The decision can be appealed until 27 December 2026"), std::string::npos)
        << read;
  }

  const auto escalated = file_at(site_sawit_, "Dipecat setelah bergabung serikat.");
  page = get("/staff/cases/" + escalated + "?lang=fr", company);
  auto no_body =
      post("/staff/cases/" + escalated + "/transitions",
           casework::move_body(page.body(), "escalate", {{"reason", "Inspection."}}), company);
  EXPECT_EQ(no_body.result_int(), 422);
  EXPECT_NE(no_body.body().find("href=\"#move-escalate-external_body\""), std::string::npos);
  EXPECT_NE(text_of(no_body.body()).find("Choisissez l'organisme externe"), std::string::npos);
  ASSERT_EQ(post("/staff/cases/" + escalated + "/transitions",
                 casework::move_body(
                     page.body(), "escalate",
                     {{"reason", "Inspection."}, {"external_body", "labour_inspectorate"}}),
                 company)
                .result_int(),
            303);
  page = get("/staff/cases/" + escalated + "?lang=en", company);
  EXPECT_NE(text_of(page.body()).find("Passed to Labour inspectorate"), std::string::npos);
  EXPECT_NE(page.body().find("name=\"move\" value=\"close_referred\""), std::string::npos);
}

TEST_F(StaffPagesTest, AUnionThatFollowsAnswersThePlanForTheWorker) {
  const auto file = [&](bool follow) { return file_by_union(follow); };
  const auto sawit = as(domain::Role::kCompany, sawit_);
  auto to_plan = [&](const std::string& reference) {
    for (const char* to : {"acknowledged", "in_dialogue"}) {
      domain::TransitionRequest r;
      r.to = to;
      r.reason = "Step.";
      ASSERT_TRUE(service_.casework.transition(sawit, reference, r));
    }
    domain::TransitionRequest r;
    r.to = "remedy_proposed";
    r.reason = "Plan.";
    r.actions = {{"Pay the overtime", sawit_, "2026-12-20"}, {"Time sheets", sawit_, "2027-01-31"}};
    ASSERT_TRUE(service_.casework.transition(sawit, reference, r));
    ASSERT_TRUE(service_.casework.mark_action_done(sawit, reference, 1, "Paid."));
  };
  const auto followed = file(true);
  const auto only_filed = file(false);
  to_plan(followed);
  to_plan(only_filed);
  const std::string path = "/staff/cases/" + followed;
  const auto officer = sign_in("officer@union.example");
  auto page = get(path + "?lang=en", officer);
  ASSERT_EQ(page.result_int(), 200);
  expect_staff_page_basics(page, "en");
  EXPECT_NE(page.body().find("action=\"" + path + "/actions/1/verdict\""), std::string::npos);
  EXPECT_EQ(page.body().find("/actions/2/verdict\""), std::string::npos) << "not done yet";
  EXPECT_NE(page.body().find("action=\"" + path + "/feedback\""), std::string::npos);
  EXPECT_NE(page.body().find("name=\"visibility\" value=\"mechanism\""), std::string::npos);
  EXPECT_NE(page.body().find("name=\"move\" value=\"withdraw\""), std::string::npos);
  EXPECT_EQ(page.body().find("name=\"move\" value=\"propose_remedy\""), std::string::npos);
  const std::string csrf = staff_csrf(page.body());

  auto no_note = post(path + "/actions/1/verdict",
                      "lang=en&csrf=" + csrf + "&verdict=disputed&note=", officer);
  EXPECT_EQ(no_note.result_int(), 422);
  EXPECT_NE(no_note.body().find("href=\"#verdict-1-note\""), std::string::npos);
  ASSERT_EQ(post(path + "/actions/1/verdict",
                 "lang=en&csrf=" + csrf + "&verdict=disputed&note=Only+half+was+paid.", officer)
                .result_int(),
            303);
  auto none = post(path + "/feedback", "lang=en&csrf=" + csrf + "&satisfaction=2", officer);
  EXPECT_EQ(none.result_int(), 422);
  EXPECT_NE(none.body().find("href=\"#feedback-answer\""), std::string::npos);
  auto no_score = post(path + "/feedback", "lang=en&csrf=" + csrf + "&answer=refuse", officer);
  EXPECT_EQ(no_score.result_int(), 422);
  EXPECT_NE(no_score.body().find("href=\"#feedback-satisfaction\""), std::string::npos);
  ASSERT_EQ(
      post(path + "/feedback",
           "lang=en&csrf=" + csrf + "&answer=refuse&satisfaction=2&comment=Half+paid.", officer)
          .result_int(),
      303);
  auto stored = (*store_.cases().find_case_by_reference(followed)).value();
  EXPECT_EQ(stored.status, domain::CaseStatus::kInDialogue);
  EXPECT_EQ(stored.satisfaction, 2);
  page = get(path + "?lang=en", officer);
  EXPECT_NE(text_of(page.body()).find("Disputed: it was not done as said"), std::string::npos);
  EXPECT_NE(text_of(page.body()).find("2 out of 5"), std::string::npos);

  // A message for the worker's side only: the company never reads it.
  ASSERT_EQ(post(path + "/messages",
                 "lang=en&csrf=" + csrf + "&visibility=mechanism&body=The+foreman+knows.", officer)
                .result_int(),
            303);
  EXPECT_EQ(get(path + "?lang=en", sign_in("csr@sawit.example")).body().find("The foreman knows."),
            std::string::npos);
  EXPECT_NE(get(path + "?lang=en", officer).body().find("The foreman knows."), std::string::npos);

  // A union that only filed the case reads the plan and answers nothing.
  auto read_only = get("/staff/cases/" + only_filed + "?lang=en", officer);
  EXPECT_NE(read_only.body().find("Pay the overtime"), std::string::npos);
  EXPECT_EQ(read_only.body().find("/verdict\""), std::string::npos);
  EXPECT_EQ(read_only.body().find("/feedback\""), std::string::npos);
  EXPECT_EQ(post("/staff/cases/" + only_filed + "/feedback",
                 "lang=en&csrf=" + csrf + "&answer=accept&satisfaction=5", officer)
                .result_int(),
            403);
  EXPECT_EQ(post("/staff/cases/" + only_filed + "/actions/1/verdict",
                 "lang=en&csrf=" + csrf + "&verdict=confirmed&note=", officer)
                .result_int(),
            403);
}

TEST_F(StaffPagesTest, TheComplaintsOfficeAcknowledgesTriageAndDecidesAppeals) {
  const auto admin = sign_in("admin@example.org");
  // A triage case: the office owes the acknowledgement.
  domain::ComplaintDraft d;
  d.language = "en";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Somewhere unknown.";
  d.place = "A farm near Soubre";
  d.country = "CI";
  auto triage = service_.filing.file_complaint(d, domain::Channel::kWeb);
  ASSERT_TRUE(triage);
  const std::string triage_path = "/staff/cases/" + triage->filed.reference;
  auto page = get(triage_path + "?lang=en", admin);
  ASSERT_EQ(page.result_int(), 200);
  ASSERT_EQ(
      post(triage_path + "/transitions",
           casework::move_body(page.body(), "acknowledge", {{"reason", "We have it."}}), admin)
          .result_int(),
      303);

  // An appealed rejection: the office, never the company, decides.
  const auto reference = file_at(site_sawit_, "Ditolak tanpa alasan.");
  const auto sawit = as(domain::Role::kCompany, sawit_);
  domain::TransitionRequest reject;
  reject.to = "rejected";
  reject.reason = "No.";
  reject.reasoning = "Not our site.";
  ASSERT_TRUE(service_.casework.transition(sawit, reference, reject));
  domain::Session worker;
  worker.role = domain::Role::kComplainant;
  worker.case_id = (*store_.cases().find_case_by_reference(reference))->id;
  domain::TransitionRequest appeal;
  appeal.to = "appealed";
  appeal.reason = "It is their site.";
  ASSERT_TRUE(service_.casework.transition(worker, reference, appeal));

  auto queue = get("/staff/cases?lang=en&status=appealed", admin);
  EXPECT_NE(queue.body().find("href=\"/staff/cases?lang=en&amp;status=appealed\" "
                              "aria-current=\"page\""),
            std::string::npos)
      << queue.body();
  EXPECT_NE(queue.body().find(reference), std::string::npos);
  EXPECT_EQ(queue.body().find(triage->filed.reference), std::string::npos);

  const std::string path = "/staff/cases/" + reference;
  const auto company = sign_in("csr@sawit.example");
  auto company_page = get(path + "?lang=en", company);
  EXPECT_EQ(company_page.body().find("name=\"move\""), std::string::npos);
  EXPECT_EQ(
      post(path + "/transitions",
           "lang=en&csrf=" + staff_csrf(company_page.body()) + "&move=reopen&reason=Again", company)
          .result_int(),
      409)
      << "the table has no such move for the company";

  page = get(path + "?lang=en", admin);
  for (const char* move : {"uphold_rejection", "reopen"}) {
    EXPECT_NE(page.body().find(std::string("name=\"move\" value=\"") + move + "\""),
              std::string::npos)
        << move;
  }
  auto bare =
      post(path + "/transitions",
           casework::move_body(page.body(), "uphold_rejection", {{"reason", "Upheld."}}), admin);
  EXPECT_EQ(bare.result_int(), 422);
  EXPECT_NE(bare.body().find("href=\"#move-uphold_rejection-reasoning\""), std::string::npos);
  ASSERT_EQ(
      post(path + "/transitions",
           casework::move_body(page.body(), "reopen", {{"reason", "It is their site."}}), admin)
          .result_int(),
      303);
  EXPECT_EQ((*store_.cases().find_case_by_reference(reference))->status,
            domain::CaseStatus::kReopened);
}

TEST_F(StaffPagesTest, AFollowingUnionAppealsARejectionAndWithdrawsForTheWorker) {
  const auto file = [&] { return file_by_union(true); };
  const auto sawit = as(domain::Role::kCompany, sawit_);
  const auto rejected = file();
  domain::TransitionRequest reject;
  reject.to = "rejected";
  reject.reason = "No.";
  reject.reasoning = "Not our site.";
  ASSERT_TRUE(service_.casework.transition(sawit, rejected, reject));
  const auto officer = sign_in("officer@union.example");
  auto page = get("/staff/cases/" + rejected + "?lang=en", officer);
  EXPECT_EQ(page.body().find("name=\"move\" value=\"withdraw\""), std::string::npos)
      << "a rejected case is not withdrawn";
  ASSERT_EQ(
      post("/staff/cases/" + rejected + "/transitions",
           casework::move_body(page.body(), "appeal", {{"reason", "It is their site."}}), officer)
          .result_int(),
      303);
  EXPECT_EQ((*store_.cases().find_case_by_reference(rejected))->status,
            domain::CaseStatus::kAppealed);
  // After the appeal window the domain refuses the appeal: the page says the step is gone.
  const auto late = file();
  ASSERT_TRUE(service_.casework.transition(sawit, late, reject));
  page = get("/staff/cases/" + late + "?lang=en", officer);
  EXPECT_NE(page.body().find("id=\"decision-appeal\""), std::string::npos)
      << "the appeal window is shown while it is open";
  clock_.advance(std::chrono::days(29));
  const auto later = sign_in("officer@union.example");  // the first session has expired
  page = get("/staff/cases/" + late + "?lang=en", later);
  EXPECT_EQ(page.body().find("name=\"move\" value=\"appeal\""), std::string::npos)
      << "the window has closed";
  EXPECT_EQ(page.body().find("id=\"decision-appeal\""), std::string::npos);
  auto refused =
      post("/staff/cases/" + late + "/transitions",
           "lang=en&csrf=" + staff_csrf(page.body()) + "&move=appeal&reason=Too+late%3F", later);
  EXPECT_EQ(refused.result_int(), 409);
  EXPECT_NE(refused.body().find("href=\"#status\""), std::string::npos);

  const auto withdrawn = file();
  page = get("/staff/cases/" + withdrawn + "?lang=en", later);
  ASSERT_EQ(post("/staff/cases/" + withdrawn + "/transitions",
                 casework::move_body(page.body(), "withdraw", {{"reason", "Settled."}}), later)
                .result_int(),
            303);
  // The complaints office may reopen what was withdrawn.
  const auto admin = sign_in("admin@example.org");
  page = get("/staff/cases/" + withdrawn + "?lang=en", admin);
  EXPECT_NE(page.body().find("name=\"move\" value=\"reopen\""), std::string::npos);
}

// Every move of the lifecycle table, outcome and external body has its staff words in every
// language: a new row of the table cannot reach the page as a bare key.
TEST_F(StaffPagesTest, EveryMoveOutcomeAndBodyHasItsWordsInEveryLanguage) {
  auto catalogues = web::Catalogues::load(std::string(GRIEVANCE_SOURCE_DIR) + "/web/i18n");
  const auto keys = catalogues.keys();
  const std::set<std::string> known(keys.begin(), keys.end());
  for (const domain::LifecycleRule& rule : domain::lifecycle_rules()) {
    if (rule.name == "accept_remedy" || rule.name == "refuse_remedy") continue;  // feedback form
    EXPECT_TRUE(known.contains("staff_move_" + std::string(rule.name))) << rule.name;
    EXPECT_TRUE(known.contains("staff_move_" + std::string(rule.name) + "_hint")) << rule.name;
  }
  for (auto o : domain::all_outcomes()) {
    EXPECT_TRUE(known.contains("staff_outcome_" + std::string(domain::to_string(o))));
  }
  for (auto b : domain::all_external_bodies()) {
    EXPECT_TRUE(known.contains("staff_body_" + std::string(domain::to_string(b))));
  }
}

// A closure records its outcome; "unfounded" needs the reasoning the complainant reads
// (CSDDD Art. 14(4)(c)), "no answer from the complainant" does not.
TEST_F(StaffPagesTest, AClosureWithoutRemedyNeedsReasoningWhenUnfounded) {
  const auto reference = file_at(site_sawit_, "Tidak berdasar?");
  const auto sawit = as(domain::Role::kCompany, sawit_);
  domain::TransitionRequest ack;
  ack.to = "acknowledged";
  ack.reason = "We have it.";
  ASSERT_TRUE(service_.casework.transition(sawit, reference, ack));
  const std::string path = "/staff/cases/" + reference;
  const auto company = sign_in("csr@sawit.example");
  auto page = get(path + "?lang=en", company);
  EXPECT_NE(page.body().find("<option value=\"unfounded\">Unfounded</option>"), std::string::npos);
  auto no_outcome = post(
      path + "/transitions",
      casework::move_body(page.body(), "close_without_remedy", {{"reason", "Closed."}}), company);
  EXPECT_EQ(no_outcome.result_int(), 422);
  EXPECT_NE(no_outcome.body().find("href=\"#move-close_without_remedy-outcome\""),
            std::string::npos);
  auto unfounded = post(path + "/transitions",
                        casework::move_body(page.body(), "close_without_remedy",
                                            {{"reason", "Closed."}, {"outcome", "unfounded"}}),
                        company);
  EXPECT_EQ(unfounded.result_int(), 422);
  EXPECT_NE(unfounded.body().find("href=\"#move-close_without_remedy-reasoning\""),
            std::string::npos);
  EXPECT_NE(unfounded.body().find("<option value=\"unfounded\" selected>"), std::string::npos)
      << "the choice is kept";
  ASSERT_EQ(
      post(path + "/transitions",
           casework::move_body(page.body(), "close_without_remedy",
                               {{"reason", "Closed."}, {"outcome", "no_answer_from_complainant"}}),
           company)
          .result_int(),
      303);
  page = get(path + "?lang=en", company);
  EXPECT_NE(text_of(page.body()).find("Outcome No answer from the complainant"), std::string::npos);
}

// A retaliation report is in front of the office at once: its queue, a tag on the row, the case
// page's review form; no company ever sees it.
TEST_F(StaffPagesTest, TheOfficeReviewsARetaliationReportFromItsQueue) {
  const auto reference = file_at(site_sawit_, "Saya dipindahkan setelah melapor.");
  domain::Session worker;
  worker.role = domain::Role::kComplainant;
  worker.case_id = (*store_.cases().find_case_by_reference(reference))->id;
  ASSERT_TRUE(service_.casework.report_retaliation(worker, reference, "The foreman moved me."));

  const auto admin = sign_in("admin@example.org");
  auto queue = get("/staff/cases?lang=en&flag=retaliation", admin);
  ASSERT_EQ(queue.result_int(), 200);
  EXPECT_NE(queue.body().find("href=\"/staff/cases?lang=en&amp;flag=retaliation\" "
                              "aria-current=\"page\""),
            std::string::npos);
  EXPECT_NE(queue.body().find(reference), std::string::npos);
  EXPECT_NE(queue.body().find("<strong class=\"tag tag--late\">Retaliation</strong>"),
            std::string::npos);

  const std::string path = "/staff/cases/" + reference;
  const auto company = sign_in("csr@sawit.example");
  auto company_page = get(path + "?lang=en", company);
  EXPECT_EQ(company_page.body().find("The foreman moved me."), std::string::npos);
  EXPECT_EQ(company_page.body().find("id=\"decision-retaliation\""), std::string::npos);
  EXPECT_EQ(company_page.body().find("/review\""), std::string::npos);
  const auto refused = post(path + "/review",
                            "lang=en&csrf=" + staff_csrf(company_page.body()) +
                                "&flag=retaliation&note=Nothing+happened.",
                            company);
  EXPECT_TRUE(refused.result_int() == 403 || refused.result_int() == 404) << refused.result_int();

  auto page = get(path + "?lang=en", admin);
  expect_staff_page_basics(page, "en");
  EXPECT_NE(page.body().find("id=\"decision-retaliation\""), std::string::npos);
  EXPECT_NE(page.body().find("action=\"" + path + "/review\""), std::string::npos);
  ASSERT_EQ(post(path + "/review",
                 "lang=en&csrf=" + staff_csrf(page.body()) +
                     "&flag=retaliation&note=We+spoke+with+the+estate+manager.",
                 admin)
                .result_int(),
            303);
  EXPECT_FALSE((*store_.cases().find_case_by_reference(reference))->retaliation);
  page = get(path + "?lang=en", admin);
  EXPECT_EQ(page.body().find("action=\"" + path + "/review\""), std::string::npos);
}

// A lost access code (docs/domain.md "Lost access codes"): the office issues a new one with a
// reason and a confirmation; the page shows it once, grouped in fours, with what to do with it;
// the old code is refused and the new one signs in. A company has no such form.
TEST_F(StaffPagesTest, TheOfficeIssuesANewAccessCodeShownOnceInGroupsOfFour) {
  domain::ComplaintDraft d;
  d.language = "id";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Kode saya hilang.";
  d.site_id = site_sawit_;
  d.country = "ID";
  d.anonymous = true;
  auto filed = service_.filing.file_complaint(d, domain::Channel::kWeb);
  ASSERT_TRUE(filed);
  const std::string reference = filed->filed.reference;
  const std::string path = "/staff/cases/" + reference;

  const auto company = sign_in("csr@sawit.example");
  auto company_page = get(path + "?lang=en", company);
  EXPECT_EQ(company_page.body().find("/access-code\""), std::string::npos);

  const auto admin = sign_in("admin@example.org");
  auto page = get(path + "?lang=en", admin);
  expect_staff_page_basics(page, "en");
  ASSERT_NE(page.body().find("action=\"" + path + "/access-code\""), std::string::npos);
  // Without the confirmation nothing changes.
  auto unconfirmed = post(path + "/access-code",
                          "lang=en&csrf=" + staff_csrf(page.body()) + "&reason=Lost+phone.", admin);
  EXPECT_EQ(unconfirmed.result_int(), 422);
  EXPECT_NE(text_of(unconfirmed.body()).find("Confirm that you have checked who is asking"),
            std::string::npos);
  EXPECT_TRUE(service_.complainants.sign_in(reference, filed->access_code, "c"));

  auto shown = post(path + "/access-code",
                    "lang=en&csrf=" + staff_csrf(page.body()) +
                        "&reason=Lost+phone%3B+called+back+on+her+known+number.&confirm=yes",
                    admin);
  ASSERT_EQ(shown.result_int(), 200) << shown.body();
  expect_staff_page_basics(shown, "en");
  EXPECT_EQ(shown[bhttp::field::cache_control], "no-store");
  std::smatch m;
  const std::string body = shown.body();
  ASSERT_TRUE(
      std::regex_search(body, m, std::regex(R"(id="new-code">(\d{4} \d{4} \d{4} \d{4})<)")));
  const std::string code = m[1];
  const std::string text = text_of(body);
  EXPECT_NE(text.find("Give this code to the worker yourself, in person or by telephone."),
            std::string::npos);
  EXPECT_NE(text.find("shown only this once"), std::string::npos);

  EXPECT_FALSE(service_.complainants.sign_in(reference, filed->access_code, "c2"));
  EXPECT_TRUE(service_.complainants.sign_in(reference, code, "c3"));
  // The case page keeps the event, never the code.
  page = get(path + "?lang=en", admin);
  EXPECT_NE(text_of(page.body()).find("A new access code was issued to the complainant"),
            std::string::npos);
  EXPECT_EQ(page.body().find(code), std::string::npos);
}

// A company asks to learn who a confidential complainant is, with a reason the complainant
// reads; while the request waits, the form is gone.
TEST_F(StaffPagesTest, ACompanyRequestsDisclosureWithAReason) {
  // Anonymous to the companies, with a contact the office keeps: confidential.
  domain::ComplaintDraft d;
  d.language = "id";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Saya mau dihubungi.";
  d.site_id = site_sawit_;
  d.anonymous = true;
  d.contact = domain::ContactDraft{"Siti Rahma", "+62 812 0000 1111", {}};
  auto filed = service_.filing.file_complaint(d, domain::Channel::kWeb);
  ASSERT_TRUE(filed) << filed.error().message;
  const auto reference = filed->filed.reference;
  const std::string path = "/staff/cases/" + reference;
  const auto company = sign_in("csr@sawit.example");
  auto page = get(path + "?lang=en", company);
  ASSERT_EQ(page.result_int(), 200);
  ASSERT_NE(page.body().find("action=\"" + path + "/disclosure\""), std::string::npos)
      << page.body();
  const std::string csrf = staff_csrf(page.body());
  auto blank = post(path + "/disclosure", "lang=en&csrf=" + csrf + "&reason=", company);
  EXPECT_EQ(blank.result_int(), 422);
  EXPECT_NE(blank.body().find("href=\"#disclosure-reason\""), std::string::npos);
  ASSERT_EQ(post(path + "/disclosure",
                 "lang=en&csrf=" + csrf + "&reason=We+must+pay+the+worker+directly.", company)
                .result_int(),
            303);
  page = get(path + "?lang=en", company);
  EXPECT_EQ(page.body().find("action=\"" + path + "/disclosure\""), std::string::npos);
  EXPECT_NE(page.body().find("id=\"decision-disclosure\""), std::string::npos);
  // The union and the office never ask: they may know already.
  EXPECT_EQ(get(path + "?lang=en", sign_in("admin@example.org")).body().find("/disclosure\""),
            std::string::npos);
}

TEST_F(StaffPagesTest, EveryCaseworkPostWithoutTheCsrfTokenIsRefused) {
  const auto reference = file_at(site_sawit_, "Tanpa token.");
  const std::string path = "/staff/cases/" + reference;
  const auto events_before = (*store_.cases().find_case_by_reference(reference))->event_count;
  for (const char* who : {"admin@example.org", "csr@sawit.example"}) {
    const auto cookie = sign_in(who);
    for (const auto& [route, body] : std::vector<std::pair<std::string, std::string>>{
             {"/transitions", "lang=en&move=acknowledge&reason=Forged"},
             {"/ask", "lang=en&body=Forged"},
             {"/actions/1/done", "lang=en&note=Forged"},
             {"/actions/1/verdict", "lang=en&verdict=confirmed&note="},
             {"/feedback", "lang=en&answer=accept&satisfaction=5"},
             {"/review", "lang=en&flag=retaliation&note=Forged"},
             {"/disclosure", "lang=en&reason=Forged"},
             {"/messages", "lang=en&body=Forged&visibility=mechanism"}}) {
      for (const std::string& csrf : {std::string(), std::string("&csrf=not-the-token")}) {
        auto res = post(path + route, body + csrf, cookie);
        EXPECT_EQ(res.result_int(), 403) << who << route << csrf;
        EXPECT_NE(res.body().find("The form has expired"), std::string::npos) << route;
      }
    }
  }
  EXPECT_EQ((*store_.cases().find_case_by_reference(reference))->event_count, events_before);
}

}  // namespace
}  // namespace grievance::http
