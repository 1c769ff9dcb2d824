// Meetings and translations on the case pages (docs/domain.md "Meetings", "Translations"), with
// JavaScript off: the worker proposes a meeting with plain form fields typed on the workplace's
// clock; a proposal in the past is refused on the page and stores nothing; the company accepts
// a time from its case page and adds a translation that is shown under the original. The
// domain services and fakes are tests/support/casework_fixture.hpp's.
#include <regex>

#include "server/http/server_app.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::http {
namespace {

namespace bhttp = boost::beast::http;

std::string meeting_csrf(const std::string& html) {
  std::smatch m;
  return std::regex_search(html, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")) ? m[1].str()
                                                                                    : "";
}

class MeetingPagesTest : public testing::CaseworkFixture {
 protected:
  void SetUp() override {
    CaseworkFixture::SetUp();
    app_ = make_app(AppDeps{*service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }
  // Files a complaint at the plantation's estate (Riau: WIB, UTC+7) and signs the worker in.
  void file_and_sign_in() {
    domain::ComplaintDraft d;
    d.language = "en";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = "Lembur tidak dibayar.";
    d.site_id = site_;
    d.country = "ID";
    d.anonymous = true;
    auto filed = service_->filing.file_complaint(d, domain::Channel::kWeb, {}, nullptr);
    ASSERT_TRUE(filed);
    ref_ = filed->filed.reference;
    auto in = service_->complainants.sign_in(ref_, filed->access_code, "c");
    ASSERT_TRUE(in);
    worker_cookie_ = "__Host-session=" + in->token;
  }
  std::string staff_cookie(const char* email) {
    auto s = service_->staff.sign_in(email, kPassword, "", "client");
    EXPECT_TRUE(s);
    return s ? "__Host-session=" + s->token : "";
  }
  Response call(bhttp::verb method, const std::string& target, const std::string& cookie,
                std::string body = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.set(bhttp::field::cookie, cookie);
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
      req.body() = std::move(body);
      req.prepare_payload();
    }
    return app_->handle(req, RequestContext{"203.0.113.9", false, "test"});
  }
  // A form post from the page at `page` with its CSRF token.
  Response post(const std::string& page, const std::string& target, const std::string& cookie,
                const std::string& fields) {
    const std::string csrf = meeting_csrf(call(bhttp::verb::get, page, cookie).body());
    return call(bhttp::verb::post, target, cookie, "lang=en&csrf=" + csrf + "&" + fields);
  }

  std::unique_ptr<App> app_;
  std::string ref_, worker_cookie_;
};

TEST_F(MeetingPagesTest, TheWorkerProposesOnTheWorkplacesClockAndTheCompanyAcceptsATime) {
  file_and_sign_in();
  const std::string page = call(bhttp::verb::get, "/case?lang=en", worker_cookie_).body();
  ASSERT_NE(page.find("action=\"/case/meetings\""), std::string::npos);
  EXPECT_NE(page.find("type=\"datetime-local\" id=\"meeting-time-1\""), std::string::npos);
  EXPECT_NE(page.find("(WIB)"), std::string::npos) << "the zone the times are typed in";

  // In the past: refused next to the field, nothing stored.
  auto refused = post("/case?lang=en", "/case/meetings", worker_cookie_,
                      "time_1=2026-11-01T09%3A00&where=call");
  EXPECT_EQ(refused.result_int(), 400);
  EXPECT_NE(refused.body().find("href=\"#meeting-time-1\""), std::string::npos);
  EXPECT_TRUE(service_->casework.view_case(staff("admin@example.org"), ref_)->meetings.empty());

  // The fixture's clock is 29 November 2026, 09:00 UTC: 3 December 09:00 WIB is 02:00 UTC.
  auto sent = post("/case?lang=en", "/case/meetings", worker_cookie_,
                   "time_1=2026-12-03T09%3A00&time_2=&time_3=&where=place&place=Union+office"
                   "&interpreter=yes&interpreter_language=Javanese&companion=yes");
  ASSERT_EQ(sent.result_int(), 303) << sent.body();
  const auto view = service_->casework.view_case(staff("admin@example.org"), ref_);
  ASSERT_EQ(view->meetings.size(), 1u);
  EXPECT_EQ(domain::format_time(view->meetings[0].times[0]), "2026-12-03T02:00:00Z");
  EXPECT_EQ(view->meetings[0].interpreter_language, "Javanese");
  const std::string proposed = call(bhttp::verb::get, "/case?lang=en", worker_cookie_).body();
  EXPECT_NE(proposed.find("3 December 2026, 09:00 WIB"), std::string::npos);
  EXPECT_NE(proposed.find("Waiting for an answer"), std::string::npos);

  // The company's case page: the worker's times on the workplace's clock, an answer form.
  const std::string company = staff_cookie("plantation@example.org");
  const std::string path = "/staff/cases/" + ref_;
  const std::string staff_page = call(bhttp::verb::get, path + "?lang=en", company).body();
  EXPECT_NE(staff_page.find("Meeting proposed by the complainant&#39;s side"), std::string::npos);
  EXPECT_NE(staff_page.find("value=\"accept:2026-12-03T02:00:00Z\""), std::string::npos);
  // The buyer reads the meeting but has no form to answer it.
  const std::string buyer_page =
      call(bhttp::verb::get, path + "?lang=en", staff_cookie("brand@example.org")).body();
  EXPECT_NE(buyer_page.find("id=\"meetings\""), std::string::npos);
  EXPECT_EQ(buyer_page.find("/meetings/answer"), std::string::npos);

  const std::string id = std::to_string(view->meetings[0].id);
  auto accepted = post(path + "?lang=en", path + "/meetings/answer", company,
                       "meeting=" + id + "&choice=accept%3A2026-12-03T02%3A00%3A00Z");
  ASSERT_EQ(accepted.result_int(), 303) << accepted.body();
  const std::string agreed = call(bhttp::verb::get, "/case?lang=en", worker_cookie_).body();
  EXPECT_NE(agreed.find("Agreed"), std::string::npos);
}

TEST_F(MeetingPagesTest, TheCompanyTranslatesTheComplaintAndThePageShowsItUnderTheOriginal) {
  file_and_sign_in();
  const std::string company = staff_cookie("plantation@example.org");
  const std::string path = "/staff/cases/" + ref_;
  const std::string before = call(bhttp::verb::get, path + "?lang=en", company).body();
  ASSERT_NE(before.find("action=\"" + path + "/translations\""), std::string::npos);
  EXPECT_NE(before.find("Add a translation"), std::string::npos);
  auto saved = post(path + "?lang=en", path + "/translations", company,
                    "seq=1&language=nl&text=Overuren+niet+betaald.");
  ASSERT_EQ(saved.result_int(), 303) << saved.body();
  const std::string after = call(bhttp::verb::get, path + "?lang=en", company).body();
  const auto narrative = after.find("id=\"narrative\"");
  const auto translation = after.find("Translation into Dutch, by Plantation");
  ASSERT_NE(translation, std::string::npos);
  EXPECT_LT(narrative, translation);
  EXPECT_LT(translation, after.find("id=\"timeline-title\"")) << "directly under the original";
  const std::string worker = call(bhttp::verb::get, "/case?lang=en", worker_cookie_).body();
  EXPECT_NE(worker.find("Translation into Dutch, by "), std::string::npos);
  // An empty translation is refused on the form.
  auto refused =
      post(path + "?lang=en", path + "/translations", company, "seq=1&language=nl&text=");
  EXPECT_EQ(refused.result_int(), 422);
  EXPECT_NE(refused.body().find("href=\"#translate-1-text\""), std::string::npos);
}

}  // namespace
}  // namespace grievance::http
