// The complainant's case page through a case's whole life (issue 9 item 6): in plain words who
// has the case now and what happens next for every status, the reasons of each move, the
// remedy plan action by action, and the forms - confirm or dispute a done action, accept or
// refuse the plan with a satisfaction score, appeal, withdraw (with a confirmation step), a
// message only the complaints office reads. Plain HTML forms (JavaScript off): each is shown
// only when the domain's view allows it, and a post the domain refuses shows its error on the
// page. The company's steps go through the domain services directly.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "server/domain/directory_service.hpp"
#include "server/domain/services.hpp"
#include "server/http/server_app.hpp"
#include "support/fakes.hpp"
#include "support/page_text.hpp"

namespace grievance::http {
namespace {

using testing::count;
using testing::first_match;
using testing::section_text;

namespace bhttp = boost::beast::http;
using Headers = std::vector<std::pair<std::string, std::string>>;
using domain::CaseStatus;

constexpr std::string_view kWorkerForm = "application/x-www-form-urlencoded";
constexpr const char* kWorkerPassword = "correct horse battery";

class WorkerCasePagesTest : public ::testing::Test {
 protected:
  WorkerCasePagesTest() {
    company_ = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "PT Sawit", "ID"});
    brand_ = *store_.directory().create_organisation(
        domain::Organisation{0, domain::OrgKind::kCompany, "Brand Co", "NL"});
    EXPECT_TRUE(store_.directory().create_supply_link(
        domain::SupplyLink{0, company_, brand_, std::nullopt, false}));
    site_id_ = *store_.directory().create_site(
        domain::Site{0, "Kebun Sawit Kampar", "ID", "Riau", domain::Sector::kPalmOil, company_});
    user("admin@example.org", "admin", std::nullopt);
    user("csr@sawit.example", "company", company_);
    user("csr@brand.example", "company", brand_);
    app_ = make_app(AppDeps{service_, std::string(GRIEVANCE_SOURCE_DIR) + "/web", "", 1 << 20});
  }

  void user(const char* email, const char* role, std::optional<std::int64_t> org_id) {
    domain::UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org_id;
    d.password = kWorkerPassword;
    ASSERT_TRUE(domain::new_user(store_.directory(), store_.accounts(), hasher_, d, clock_.now()));
  }
  domain::Session staff(const char* email) {
    auto s = service_.staff.sign_in(email, kWorkerPassword, "", "client");
    EXPECT_TRUE(s);
    return s ? s->session : domain::Session{};
  }

  Response call(bhttp::verb method, std::string target, std::string body = {},
                Headers headers = {}) {
    Request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, kWorkerForm);
      req.body() = std::move(body);
      req.prepare_payload();
    }
    for (auto& [k, v] : headers) req.set(k, v);
    RequestContext ctx{"203.0.113.9", false, "test"};
    return app_->handle(req, ctx);
  }
  Response get(std::string target) {
    return call(bhttp::verb::get, std::move(target), {}, {{"Cookie", cookie_}});
  }
  Response post(std::string target, const std::string& body) {
    return call(bhttp::verb::post, std::move(target), "lang=en&csrf=" + csrf_ + "&" + body,
                {{"Cookie", cookie_}});
  }
  std::string page() {
    auto res = get("/case?lang=en");
    EXPECT_EQ(res.result_int(), 200) << res.body();
    EXPECT_EQ(res.body().find("<script>"), std::string::npos) << "no inline scripts (CSP)";
    return res.body();
  }

  // Files a complaint through the form - anonymous, or with a name and phone number that only
  // the complaints office sees (confidential) - and signs its complainant in.
  void file(bool with_contact = false) {
    auto res = call(bhttp::verb::post, "/complaints",
                    "lang=en&categories=wages&narrative=Overtime+not+paid.&site_id=" +
                        std::to_string(site_id_) +
                        "&place=&country=&incident_date=2026-10-01&anonymous=yes" +
                        (with_contact ? "&contact_name=Nguyen+Thi+Lan&contact_phone=%2B84901234567"
                                      : "&contact_name=&contact_phone=") +
                        "&contact_email=");
    ASSERT_EQ(res.result_int(), 201) << res.body();
    ref_ = first_match(res.body(), "id=\"reference\">([A-Z0-9-]+)<");
    code_ = first_match(res.body(), "id=\"access-code\">([0-9 ]+)<");
    sign_in();
  }
  // Signs the complainant in (again: a session ends after a while).
  void sign_in() {
    auto in =
        call(bhttp::verb::post, "/follow", "lang=en&reference=" + ref_ + "&access_code=" + code_);
    ASSERT_EQ(in.result_int(), 303) << in.body();
    const std::string cookie(in[bhttp::field::set_cookie]);
    cookie_ = cookie.substr(0, cookie.find(';'));
    csrf_ = first_match(page(), "name=\"csrf\" value=\"([^\"]+)\"");
    ASSERT_FALSE(csrf_.empty());
  }

  void move(const domain::Session& s, const char* to, domain::TransitionRequest r = {}) {
    r.to = to;
    if (r.reason.empty()) r.reason = std::string("Reason for ") + to + ".";
    auto moved = service_.casework.transition(s, ref_, r);
    ASSERT_TRUE(moved) << to << ": " << moved.error().message;
  }
  void company_moves(std::initializer_list<const char*> tos) {
    for (const char* to : tos) move(staff("csr@sawit.example"), to);
  }
  void propose_two_actions() {
    domain::TransitionRequest r;
    r.reason = "We will pay and check.";
    r.actions = {{"Pay the overtime of March", company_, "2026-12-31"},
                 {"Audit the payroll", company_, "2027-01-31"}};
    move(staff("csr@sawit.example"), "remedy_proposed", r);
  }
  void mark_done(int n, const char* note) {
    ASSERT_TRUE(service_.casework.mark_action_done(staff("csr@sawit.example"), ref_, n, note));
  }
  CaseStatus status() {
    return service_.casework.view_case(staff("admin@example.org"), ref_)->c.status;
  }

  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{11};
  testing::ManualClock clock_;
  testing::PlainHasher hasher_;
  domain::Services service_{store_.ports(crypto_, random_, clock_, &hasher_),
                            domain::ServiceConfig{}};
  std::int64_t company_ = 0, brand_ = 0, site_id_ = 0;
  std::unique_ptr<App> app_;
  std::string ref_, code_, cookie_, csrf_;
};

// ---- who has the case and what happens next ------------------------------------------------

TEST_F(WorkerCasePagesTest, EveryStatusSaysWhoHasTheCaseAndWhatHappensNext) {
  file();
  std::string now = section_text(page(), "case-now");
  EXPECT_NE(now.find("PT Sawit, the company that runs your workplace"), std::string::npos) << now;
  EXPECT_NE(now.find("must confirm that it has your complaint, by 6 December 2026"),
            std::string::npos)
      << now;

  company_moves({"acknowledged"});
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("must give you a real answer by 29 December 2026"), std::string::npos) << now;

  company_moves({"in_dialogue"});
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("should propose a solution by 27 February 2027"), std::string::npos) << now;

  propose_two_actions();
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("You. The company is waiting for your answer"), std::string::npos) << now;
  EXPECT_NE(now.find("accept or refuse the plan"), std::string::npos) << now;

  ASSERT_EQ(post("/case/feedback", "accept=yes&satisfaction=4&comment=").result_int(), 303);
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("You accepted the plan"), std::string::npos) << now;

  domain::TransitionRequest close;
  close.outcome = "remedy_accepted";
  move(staff("csr@sawit.example"), "closed", close);
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("Nobody: the case is finished"), std::string::npos) << now;
  EXPECT_NE(now.find("How it ended: you accepted the solution"), std::string::npos) << now;

  ASSERT_EQ(post("/case/appeal", "reason=The+wages+are+still+missing.").result_int(), 303);
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("The complaints office"), std::string::npos) << now;
  EXPECT_NE(now.find("not the company"), std::string::npos) << now;

  move(staff("admin@example.org"), "reopened");
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("opened your complaint again"), std::string::npos) << now;

  domain::TransitionRequest escalate;
  escalate.external_body = "labour_inspectorate";
  move(staff("csr@sawit.example"), "escalated", escalate);
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("the labour inspectorate"), std::string::npos) << now;

  ASSERT_EQ(post("/case/withdraw", "confirm=yes&reason=").result_int(), 303);
  now = section_text(page(), "case-now");
  EXPECT_NE(now.find("You withdrew your complaint"), std::string::npos) << now;
}

// Issue 10 item 5: a worker who signs in with a new access code reads why it was issued (the
// office's reason, office-only), not just that it was.
TEST_F(WorkerCasePagesTest, ANewAccessCodeShowsTheOfficesReasonToTheWorker) {
  file();
  auto code = service_.casework.reissue_access_code(staff("admin@example.org"), ref_,
                                                    "Checked with the union office by phone.");
  ASSERT_TRUE(code) << code.error().message;
  code_ = *code;
  sign_in();
  const std::string timeline = section_text(page(), "timeline");
  EXPECT_NE(timeline.find("Checked with the union office by phone."), std::string::npos)
      << timeline;
}

TEST_F(WorkerCasePagesTest, ARejectionShowsTheCompanysReasoningAndTheAppealForm) {
  file();
  domain::TransitionRequest r;
  r.reason = "We looked at the payroll.";
  r.reasoning = "The overtime was paid on 5 October; the payslip shows it.";
  move(staff("csr@sawit.example"), "rejected", r);
  const std::string html = page();
  const std::string now = section_text(html, "case-now");
  EXPECT_NE(now.find("did not accept your complaint"), std::string::npos) << now;
  EXPECT_NE(now.find("The overtime was paid on 5 October; the payslip shows it."),
            std::string::npos)
      << now;
  EXPECT_NE(html.find("action=\"/case/appeal\""), std::string::npos);
  // The timeline keeps the reason and the reasoning of the move.
  const std::string timeline = section_text(html, "timeline");
  EXPECT_NE(timeline.find("We looked at the payroll."), std::string::npos) << timeline;
  EXPECT_NE(timeline.find("The overtime was paid on 5 October"), std::string::npos) << timeline;
}

TEST_F(WorkerCasePagesTest, AnUnfoundedClosureShowsItsOutcomeReasoningAndTheAppeal) {
  file();
  company_moves({"acknowledged", "in_dialogue"});
  domain::TransitionRequest r;
  r.outcome = "unfounded";
  r.reasoning = "The time sheets show no overtime in October.";
  move(staff("csr@sawit.example"), "closed", r);
  const std::string html = page();
  const std::string now = section_text(html, "case-now");
  EXPECT_NE(now.find("How it ended: the company found that the complaint was not right"),
            std::string::npos)
      << now;
  EXPECT_NE(now.find("The time sheets show no overtime in October."), std::string::npos);
  EXPECT_NE(now.find("You can do this until 27 December 2026."), std::string::npos) << now;
  EXPECT_NE(html.find("action=\"/case/appeal\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"/case/withdraw"), std::string::npos) << "nothing to withdraw";
}

TEST_F(WorkerCasePagesTest, AWaitingQuestionStopsTheClockAndTheAnswerStartsIt) {
  file();
  company_moves({"acknowledged"});
  ASSERT_TRUE(service_.casework.ask_complainant(staff("csr@sawit.example"), ref_,
                                                "Which month was not paid?"));
  std::string html = page();
  std::string now = section_text(html, "case-now");
  EXPECT_NE(now.find("The company asked you a question"), std::string::npos) << now;
  EXPECT_NE(now.find("the clock is stopped until you answer"), std::string::npos) << now;
  EXPECT_NE(html.find("Which month was not paid?"), std::string::npos);
  EXPECT_NE(section_text(html, "message").find("Your answer starts the clock again"),
            std::string::npos);

  ASSERT_EQ(post("/case/messages", "to=parties&body=March.").result_int(), 303);
  html = page();
  now = section_text(html, "case-now");
  EXPECT_EQ(now.find("The company asked you a question"), std::string::npos) << now;
  EXPECT_NE(section_text(html, "timeline").find("The time limits run again"), std::string::npos);
}

// ---- the plan -------------------------------------------------------------------------------

TEST_F(WorkerCasePagesTest, ThePlanShowsEachActionAndAsksAVerdictOnlyForDoneOnes) {
  file();
  company_moves({"acknowledged", "in_dialogue"});
  propose_two_actions();
  mark_done(1, "Paid with the April wages.");
  std::string html = page();
  const std::string plan = section_text(html, "plan");
  EXPECT_NE(plan.find("Pay the overtime of March"), std::string::npos) << plan;
  EXPECT_NE(plan.find("PT Sawit"), std::string::npos);
  EXPECT_NE(plan.find("31 December 2026"), std::string::npos);
  EXPECT_NE(plan.find("Audit the payroll"), std::string::npos);
  EXPECT_EQ(plan.find("Brand Co"), std::string::npos) << "a company names only itself";
  EXPECT_NE(plan.find("Paid with the April wages."), std::string::npos);
  EXPECT_NE(plan.find("Not done yet"), std::string::npos);
  EXPECT_EQ(count(html, "action=\"/case/actions/verdict\""), 1) << "only the done action";

  // Disputing needs a note: the error is on the page, next to the field.
  auto bad = post("/case/actions/verdict", "action=1&verdict=disputed&note=");
  ASSERT_EQ(bad.result_int(), 400);
  EXPECT_NE(bad.body().find("<a href=\"#note-1\">"), std::string::npos) << bad.body();
  EXPECT_NE(bad.body().find("id=\"note-1-error\""), std::string::npos);
  EXPECT_NE(bad.body().find("Error:"), std::string::npos);
  EXPECT_NE(bad.body().find("value=\"disputed\" checked"), std::string::npos) << "kept";

  auto ok = post("/case/actions/verdict", "action=1&verdict=confirmed&note=Got+it.");
  ASSERT_EQ(ok.result_int(), 303) << ok.body();
  EXPECT_EQ(ok[bhttp::field::location], "/case?done=verdict&lang=en");
  html = get("/case?done=verdict&lang=en").body();
  EXPECT_NE(section_text(html, "plan").find("You confirmed that this was done"), std::string::npos);
  EXPECT_EQ(count(html, "action=\"/case/actions/verdict\""), 0);

  mark_done(2, "Audit done.");
  ASSERT_EQ(
      post("/case/actions/verdict", "action=2&verdict=disputed&note=Nobody+came.").result_int(),
      303);
  const std::string after = section_text(page(), "plan");
  EXPECT_NE(after.find("You said this was not done"), std::string::npos) << after;
  EXPECT_NE(after.find("Nobody came."), std::string::npos);
}

TEST_F(WorkerCasePagesTest, FeedbackNeedsAScoreInWordsAndRefusingReturnsToTheDialogue) {
  file();
  company_moves({"acknowledged", "in_dialogue"});
  propose_two_actions();
  std::string html = page();
  EXPECT_NE(html.find("action=\"/case/feedback\""), std::string::npos);
  // Radio buttons with words, not only numbers.
  EXPECT_EQ(count(html, "name=\"satisfaction\""), 5);
  EXPECT_NE(html.find("Very unhappy"), std::string::npos);
  EXPECT_NE(html.find("Very happy"), std::string::npos);

  auto bad = post("/case/feedback", "accept=no&comment=Too+little.");
  ASSERT_EQ(bad.result_int(), 400);
  EXPECT_NE(bad.body().find("<a href=\"#satisfaction-1\">"), std::string::npos) << bad.body();
  EXPECT_NE(bad.body().find("Too little."), std::string::npos) << "the comment is kept";
  EXPECT_EQ(status(), CaseStatus::kRemedyProposed);

  ASSERT_EQ(post("/case/feedback", "accept=no&satisfaction=2&comment=Too+little.").result_int(),
            303);
  EXPECT_EQ(status(), CaseStatus::kInDialogue);
  html = page();
  EXPECT_EQ(html.find("action=\"/case/feedback\""), std::string::npos) << "nothing to answer";
  EXPECT_NE(section_text(html, "timeline").find("You refused the plan"), std::string::npos);
}

TEST_F(WorkerCasePagesTest, APostTheDomainRefusesShowsItsErrorOnThePage) {
  file();
  company_moves({"acknowledged", "in_dialogue"});
  propose_two_actions();
  page();
  // The case went to a mediator meanwhile: the plan form the worker still has open is
  // refused, and the page says so.
  move(staff("csr@sawit.example"), "escalated", [] {
    domain::TransitionRequest e;
    e.external_body = "mediation";
    return e;
  }());
  auto stale = post("/case/feedback", "accept=yes&satisfaction=5&comment=");
  ASSERT_EQ(stale.result_int(), 409) << stale.body();
  EXPECT_NE(stale.body().find("error-summary"), std::string::npos);
  EXPECT_NE(stale.body().find("This cannot be done now"), std::string::npos) << stale.body();
  EXPECT_EQ(status(), CaseStatus::kEscalated);
}

TEST_F(WorkerCasePagesTest, EveryNewFormNeedsTheCsrfField) {
  file();
  company_moves({"acknowledged", "in_dialogue"});
  propose_two_actions();
  mark_done(1, "Paid.");
  for (const char* target :
       {"/case/feedback", "/case/actions/verdict", "/case/appeal", "/case/withdraw"}) {
    auto res = call(bhttp::verb::post, target,
                    "lang=en&action=1&verdict=confirmed&accept=yes&satisfaction=5&confirm=yes"
                    "&reason=x",
                    {{"Cookie", cookie_}});
    EXPECT_EQ(res.result_int(), 403) << target;
  }
  EXPECT_EQ(status(), CaseStatus::kRemedyProposed);
}

// ---- appeal and withdrawal ------------------------------------------------------------------

TEST_F(WorkerCasePagesTest, TheAppealFormIsOnlyThereAfterARejectionOrClosure) {
  file();
  EXPECT_EQ(page().find("action=\"/case/appeal\""), std::string::npos);
  auto early = post("/case/appeal", "reason=Please+look+again.");
  EXPECT_EQ(early.result_int(), 409) << "the domain refuses; the page says so";
  domain::TransitionRequest r;
  r.reasoning = "Not admissible.";
  move(staff("csr@sawit.example"), "rejected", r);
  EXPECT_NE(page().find("action=\"/case/appeal\""), std::string::npos);
  auto empty = post("/case/appeal", "reason=");
  ASSERT_EQ(empty.result_int(), 400);
  EXPECT_NE(empty.body().find("<a href=\"#appeal-reason\">"), std::string::npos);
  ASSERT_EQ(post("/case/appeal", "reason=Please+look+again.").result_int(), 303);
  EXPECT_EQ(status(), CaseStatus::kAppealed);
}

TEST_F(WorkerCasePagesTest, WithdrawingAsksForConfirmationFirst) {
  file();
  std::string html = page();
  EXPECT_NE(html.find("href=\"/case/withdraw?lang=en\""), std::string::npos);
  auto confirm = get("/case/withdraw?lang=en");
  ASSERT_EQ(confirm.result_int(), 200);
  EXPECT_NE(confirm.body().find("Do you want to withdraw your complaint?"), std::string::npos);
  EXPECT_NE(confirm.body().find("name=\"confirm\" value=\"yes\""), std::string::npos);
  EXPECT_NE(confirm.body().find("href=\"/case?lang=en\""), std::string::npos) << "a way back";
  EXPECT_EQ(status(), CaseStatus::kReceived);
  // Without the confirmation nothing happens: the confirmation page again.
  auto unconfirmed = post("/case/withdraw", "reason=");
  EXPECT_EQ(unconfirmed.result_int(), 200);
  EXPECT_EQ(status(), CaseStatus::kReceived);
  ASSERT_EQ(post("/case/withdraw", "confirm=yes&reason=I+found+another+job.").result_int(), 303);
  EXPECT_EQ(status(), CaseStatus::kWithdrawn);
  html = page();
  EXPECT_EQ(html.find("href=\"/case/withdraw"), std::string::npos);
  EXPECT_NE(section_text(html, "timeline").find("I found another job."), std::string::npos);
}

// ---- who reads a message --------------------------------------------------------------------

TEST_F(WorkerCasePagesTest, AMessageForTheComplaintsOfficeOnlyIsNotShownToTheCompany) {
  file();
  const std::string html = page();
  EXPECT_NE(html.find("name=\"to\" value=\"mechanism\""), std::string::npos);
  EXPECT_NE(html.find("The company will not see this"), std::string::npos);
  ASSERT_EQ(post("/case/messages", "to=mechanism&body=I+am+afraid+the+foreman+knows.").result_int(),
            303);
  ASSERT_EQ(post("/case/messages", "to=parties&body=When+will+you+pay%3F").result_int(), 303);
  const std::string mine = page();
  EXPECT_NE(mine.find("I am afraid the foreman knows."), std::string::npos);
  EXPECT_NE(mine.find("Only the complaints office"), std::string::npos) << "says who reads it";
  auto company = service_.casework.view_case(staff("csr@sawit.example"), ref_);
  ASSERT_TRUE(company);
  for (const auto& e : company->events) {
    EXPECT_EQ(e.body.find("foreman"), std::string::npos);
  }
  auto admin = service_.casework.view_case(staff("admin@example.org"), ref_);
  EXPECT_EQ(
      count(admin->events.back().body + admin->events[admin->events.size() - 2].body, "foreman"),
      1);
  auto bad = post("/case/messages", "to=everyone&body=Hi");
  EXPECT_EQ(bad.result_int(), 400);
}

// docs/domain.md "Translations": the worker reads a translation marked as one, in the page's
// language's words, next to the original, which stays.
TEST_F(WorkerCasePagesTest, ATranslationIsShownMarkedAsOneAndTheOriginalStays) {
  file();
  ASSERT_TRUE(service_.casework.add_translation(staff("csr@sawit.example"), ref_, 1, "nl",
                                                "Het overwerk van maart is niet betaald."));
  const std::string html = page();
  const std::string timeline = section_text(html, "timeline");
  EXPECT_NE(timeline.find("Translation into Dutch"), std::string::npos) << timeline;
  EXPECT_NE(timeline.find("Het overwerk van maart is niet betaald."), std::string::npos);
  EXPECT_EQ(timeline.find("event_translation"), std::string::npos) << "no raw key";
  // One <li> per event and nothing but <li> in the list (axe's "list" rule; a merge once closed
  // each item twice and left an attachment's link outside it).
  const auto start = html.find("<ol class=\"timeline\">");
  const std::string list = html.substr(start, html.find("</ol>", start) - start);
  EXPECT_EQ(count(list, "<li"), count(list, "</li>")) << list;
  EXPECT_EQ(list.find("</li>\n<p"), std::string::npos) << list;
}

// ---- what the complainant tells the mechanism (READY-2) --------------------------------------

TEST_F(WorkerCasePagesTest, ARetaliationReportGoesToTheOfficeOnlyAndFlagsTheCase) {
  file();
  std::string html = page();
  const std::string form = section_text(html, "retaliation");
  EXPECT_NE(form.find("The company will not see it."), std::string::npos) << form;
  auto empty = post("/case/retaliation", "body=");
  ASSERT_EQ(empty.result_int(), 400);
  EXPECT_NE(empty.body().find("<a href=\"#retaliation-body\">"), std::string::npos);
  ASSERT_EQ(
      post("/case/retaliation", "body=The+foreman+cut+my+shifts+since+I+complained.").result_int(),
      303);
  html = get("/case?done=retaliation&lang=en").body();
  EXPECT_NE(html.find("The complaints office has your report."), std::string::npos);
  EXPECT_NE(html.find("id=\"retaliation-flagged\""), std::string::npos);
  const std::string timeline = section_text(html, "timeline");
  EXPECT_NE(timeline.find("The foreman cut my shifts since I complained."), std::string::npos)
      << "the worker keeps their own words";
  EXPECT_NE(timeline.find("Only the complaints office (and your union) can read this."),
            std::string::npos);
  auto company = service_.casework.view_case(staff("csr@sawit.example"), ref_);
  ASSERT_TRUE(company);
  for (const auto& e : company->events) EXPECT_EQ(e.body.find("foreman"), std::string::npos);
  auto admin = service_.casework.view_case(staff("admin@example.org"), ref_);
  EXPECT_TRUE(admin->c.retaliation);
}

TEST_F(WorkerCasePagesTest, TheFollowUpQuestionIsAskedOnlyWhenItIsDue) {
  file();
  company_moves({"acknowledged", "in_dialogue"});
  propose_two_actions();
  ASSERT_EQ(post("/case/feedback", "accept=yes&satisfaction=5&comment=").result_int(), 303);
  domain::TransitionRequest close;
  close.outcome = "remedy_accepted";
  move(staff("csr@sawit.example"), "closed", close);
  EXPECT_EQ(page().find("action=\"/case/follow-up\""), std::string::npos) << "not yet";
  clock_.advance(std::chrono::days(181));
  sign_in();
  std::string html = page();
  ASSERT_NE(html.find("action=\"/case/follow-up\""), std::string::npos);
  EXPECT_NE(section_text(html, "follow-up").find("No, the problem is back"), std::string::npos);
  auto missing = post("/case/follow-up", "held=&comment=");
  ASSERT_EQ(missing.result_int(), 400) << missing.body();
  EXPECT_NE(missing.body().find("<a href=\"#held-yes\">"), std::string::npos);
  ASSERT_EQ(post("/case/follow-up", "held=no&comment=The+overtime+is+unpaid+again.").result_int(),
            303);
  EXPECT_EQ(page().find("action=\"/case/follow-up\""), std::string::npos) << "answered";
  EXPECT_TRUE(service_.casework.view_case(staff("admin@example.org"), ref_)->c.remedy_failed);
}

TEST_F(WorkerCasePagesTest, SharingTheNameNeedsConsentAndCanBeStoppedForTheFuture) {
  file(/*with_contact=*/true);
  std::string html = page();
  std::string identity = section_text(html, "identity");
  EXPECT_NE(identity.find("The companies do not know who you are"), std::string::npos) << identity;
  EXPECT_NE(identity.find("they will know it was you"), std::string::npos);
  auto company = [&] { return service_.casework.view_case(staff("csr@sawit.example"), ref_); };
  EXPECT_FALSE(company()->show_contact);

  auto unticked = post("/case/identity", "share=yes");
  ASSERT_EQ(unticked.result_int(), 400);
  EXPECT_NE(unticked.body().find("<a href=\"#understood\">"), std::string::npos);
  EXPECT_FALSE(company()->show_contact);

  ASSERT_EQ(post("/case/identity", "share=yes&understood=yes").result_int(), 303);
  EXPECT_TRUE(company()->show_contact);
  identity = section_text(page(), "identity");
  EXPECT_NE(identity.find("Stop sharing my name from now on"), std::string::npos) << identity;

  ASSERT_EQ(post("/case/identity", "share=no").result_int(), 303);
  EXPECT_FALSE(company()->show_contact);
}

TEST_F(WorkerCasePagesTest, AnAnonymousWorkerHasNoNameToShare) {
  file();
  const std::string identity = section_text(page(), "identity");
  EXPECT_NE(identity.find("you did not give your name"), std::string::npos) << identity;
  EXPECT_EQ(identity.find("Share my name"), std::string::npos);
  EXPECT_EQ(post("/case/identity", "share=yes&understood=yes").result_int(), 409);
}

TEST_F(WorkerCasePagesTest, ACompanysRequestForTheNameIsAnsweredByTheWorker) {
  file(/*with_contact=*/true);
  EXPECT_EQ(page().find("action=\"/case/disclosure\""), std::string::npos);
  ASSERT_TRUE(service_.casework.request_disclosure(staff("csr@sawit.example"), ref_,
                                                   "To check your payslips with you."));
  const std::string html = page();
  const std::string asked = section_text(html, "disclosure");
  EXPECT_NE(asked.find("PT Sawit wants to know who you are"), std::string::npos) << asked;
  EXPECT_NE(asked.find("To check your payslips with you."), std::string::npos);
  EXPECT_NE(asked.find("nothing changes for your complaint"), std::string::npos);
  auto unanswered = post("/case/disclosure", "comment=");
  ASSERT_EQ(unanswered.result_int(), 400);
  EXPECT_NE(unanswered.body().find("<a href=\"#grant-no\">"), std::string::npos);
  ASSERT_EQ(post("/case/disclosure", "grant=no&comment=I+am+afraid.").result_int(), 303);
  EXPECT_EQ(page().find("action=\"/case/disclosure\""), std::string::npos);
  EXPECT_FALSE(service_.casework.view_case(staff("csr@sawit.example"), ref_)->show_contact);
}

TEST_F(WorkerCasePagesTest, TheAppealFormSaysUntilWhen) {
  file();
  domain::TransitionRequest r;
  r.reasoning = "Not admissible.";
  move(staff("csr@sawit.example"), "rejected", r);
  // 28 days from the rejection (29 November 2026).
  EXPECT_NE(section_text(page(), "case-now").find("You can do this until 27 December 2026."),
            std::string::npos);
  clock_.advance(std::chrono::days(29));
  sign_in();
  EXPECT_EQ(page().find("action=\"/case/appeal\""), std::string::npos) << "the window closed";
}

}  // namespace
}  // namespace grievance::http
