// The staff account page's notification e-mail settings (docs/domain.md "Notification
// e-mail"): every staff role reaches it from the navigation, off is the default, the choice
// and the language are kept, the form needs the session's CSRF token, and the page reads in
// the five languages.
#include <gtest/gtest.h>

#include <regex>

#include "server/http/server_app.hpp"
#include "server/http/web_forms.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::http {
namespace {

namespace bhttp = boost::beast::http;

std::string mail_csrf(const std::string& html) {
  std::smatch m;
  return std::regex_search(html, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")) ? m[1].str()
                                                                                    : "";
}

class MailSettingsPagesTest : public testing::CaseworkFixture {
 protected:
  void SetUp() override {
    CaseworkFixture::SetUp();
    app_ = make_app(AppDeps{*service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }

  Response call(bhttp::verb method, const std::string& target, const std::string& cookie,
                std::string body = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "grievance.example");
    req.set(bhttp::field::accept, "text/html");
    if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
      req.body() = std::move(body);
      req.prepare_payload();
    }
    return app_->handle(req, RequestContext{"203.0.113.9", false, "test"});
  }
  std::string sign_in(const std::string& email) {
    auto res = call(bhttp::verb::post, "/staff/sign-in", "",
                    "lang=en&totp=&email=" + web::url_encode(email) +
                        "&password=" + web::url_encode(kPassword));
    EXPECT_EQ(res.result_int(), 303) << res.body();
    const std::string cookie(res[bhttp::field::set_cookie]);
    return cookie.substr(0, cookie.find(';'));
  }
  std::int64_t user_id(const std::string& email) {
    return (*store_.accounts().find_user_by_email(email))->id;
  }

  std::unique_ptr<App> app_;
};

TEST_F(MailSettingsPagesTest, EveryStaffRoleReachesItsAccountPageFromTheNavigation) {
  for (const char* email : {"admin@example.org", "plantation@example.org", "union@example.org"}) {
    SCOPED_TRACE(email);
    const auto cookie = sign_in(email);
    auto cases = call(bhttp::verb::get, "/staff/cases?lang=en", cookie);
    EXPECT_NE(cases.body().find("href=\"/staff/account?lang=en\""), std::string::npos);
    auto page = call(bhttp::verb::get, "/staff/account?lang=en", cookie);
    ASSERT_EQ(page.result_int(), 200);
    EXPECT_NE(page.body().find("<h1>Your account</h1>"), std::string::npos);
    // Off by default; the proposed language is the page's.
    EXPECT_NE(page.body().find("value=\"off\" checked"), std::string::npos);
    EXPECT_NE(page.body().find("value=\"en\" lang=\"en\" selected"), std::string::npos);
  }
}

TEST_F(MailSettingsPagesTest, ACompanyUserOptsInToADigestInVietnamese) {
  const auto cookie = sign_in("plantation@example.org");
  auto page = call(bhttp::verb::get, "/staff/account?lang=fr", cookie);
  // The French page proposes French e-mails.
  EXPECT_NE(page.body().find("value=\"fr\" lang=\"fr\" selected"), std::string::npos);
  auto saved = call(bhttp::verb::post, "/staff/account", cookie,
                    "lang=fr&mode=digest&language=vi&csrf=" + mail_csrf(page.body()));
  ASSERT_EQ(saved.result_int(), 303) << saved.body();
  auto p = store_.mail().mail_preference(user_id("plantation@example.org"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->mode, domain::MailMode::kDigest);
  EXPECT_EQ(p->language, domain::Language::kVi);
  const std::string location(saved[bhttp::field::location]);
  auto after = call(bhttp::verb::get, location, cookie);
  EXPECT_NE(after.body().find("Vos réglages sont enregistrés."), std::string::npos);
  EXPECT_NE(after.body().find("value=\"digest\" checked"), std::string::npos);
  EXPECT_NE(after.body().find("value=\"vi\" lang=\"vi\" selected"), std::string::npos);
}

TEST_F(MailSettingsPagesTest, TheFormNeedsTheSessionAndItsCsrfToken) {
  const auto cookie = sign_in("plantation@example.org");
  auto refused =
      call(bhttp::verb::post, "/staff/account", cookie, "lang=en&mode=each&language=en&csrf=wrong");
  EXPECT_EQ(refused.result_int(), 403);
  auto anonymous = call(bhttp::verb::get, "/staff/account?lang=en", "");
  EXPECT_EQ(anonymous.result_int(), 303);
  EXPECT_EQ(store_.mail().mail_preference(user_id("plantation@example.org"))->mode,
            domain::MailMode::kOff);
  // A mode that is not one of the three is answered with the form and its error.
  auto page = call(bhttp::verb::get, "/staff/account?lang=en", cookie);
  auto bad = call(bhttp::verb::post, "/staff/account", cookie,
                  "lang=en&mode=hourly&language=en&csrf=" + mail_csrf(page.body()));
  EXPECT_EQ(bad.result_int(), 400);
  EXPECT_NE(bad.body().find("Choose whether you want e-mails"), std::string::npos);
  EXPECT_NE(bad.body().find("href=\"#mode-off\""), std::string::npos);
}

TEST_F(MailSettingsPagesTest, ThePageReadsInTheFiveLanguages) {
  const auto cookie = sign_in("brand@example.org");
  for (const auto& [lang, heading] :
       std::vector<std::pair<std::string, std::string>>{{"en", "Your account"},
                                                        {"nl", "Uw account"},
                                                        {"id", "Akun Anda"},
                                                        {"vi", "Tài khoản của bạn"},
                                                        {"fr", "Votre compte"}}) {
    auto page = call(bhttp::verb::get, "/staff/account?lang=" + lang, cookie);
    EXPECT_NE(page.body().find("<h1>" + heading + "</h1>"), std::string::npos) << lang;
  }
}

}  // namespace
}  // namespace grievance::http
