// The public register in the domain (issue 11 item 6; docs/domain.md "Public register"): who
// may list a case and take it off, the consent events, that they change no statistic, and what
// a listed case shows the public - with fakes and an injected clock.
#include "server/domain/public_register.hpp"

#include <algorithm>

#include "server/domain/stats/case_facts.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::domain {
namespace {

using PublicRegisterTest = testing::CaseworkFixture;

std::vector<const CaseEvent*> consents(const CaseView& v) {
  std::vector<const CaseEvent*> out;
  for (const auto& e : v.events) {
    if (e.type == EventType::kRegisterConsent) out.push_back(&e);
  }
  return out;
}

std::vector<std::string> listed(Services& s) {
  auto page = s.public_register.page({});
  EXPECT_TRUE(page) << page.error().message;
  std::vector<std::string> out;
  if (page) {
    for (const auto& e : page->entries) out.push_back(e.reference);
  }
  return out;
}

TEST_F(PublicRegisterTest, TheComplainantListsTheCaseAndTakesItOffAgain) {
  Session worker;
  const auto ref = file(&worker);
  auto before = service_->casework.view_own_case(worker);
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->may_decide_register);
  EXPECT_FALSE(before->listed_in_register);
  EXPECT_TRUE(listed(*service_).empty());

  auto on = service_->casework.set_register_listing(worker, ref, true);
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_TRUE(on->listed_in_register);
  ASSERT_EQ(consents(*on).size(), 1u);
  EXPECT_EQ(consents(*on)[0]->detail, "given");
  EXPECT_EQ(consents(*on)[0]->actor_role, Role::kComplainant);
  EXPECT_EQ(consents(*on)[0]->visibility, Visibility::kMechanism);
  EXPECT_EQ(listed(*service_), std::vector<std::string>{ref});
  // Nothing to change: listing twice is refused, and so is taking off what is not listed.
  EXPECT_EQ(service_->casework.set_register_listing(worker, ref, true).error().code,
            ErrorCode::kInvalidTransition);

  auto off = service_->casework.set_register_listing(worker, ref, false);
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_FALSE(off->listed_in_register);
  ASSERT_EQ(consents(*off).size(), 2u);
  EXPECT_EQ(consents(*off)[1]->detail, "withdrawn");
  EXPECT_TRUE(listed(*service_).empty());
  EXPECT_EQ(service_->casework.set_register_listing(worker, ref, false).error().code,
            ErrorCode::kInvalidTransition);
  // And back on: consent is the last word, at any time.
  ASSERT_TRUE(service_->casework.set_register_listing(worker, ref, true));
  EXPECT_EQ(listed(*service_), std::vector<std::string>{ref});
}

TEST_F(PublicRegisterTest, AWithdrawnOrClosedCaseMayBeListedToo) {
  Session worker;
  const auto ref = file(&worker);
  TransitionRequest r;
  r.to = "withdrawn";
  r.reason = "I found another way.";
  ASSERT_TRUE(service_->casework.transition(worker, ref, r));
  ASSERT_TRUE(service_->casework.set_register_listing(worker, ref, true));
  EXPECT_EQ(listed(*service_), std::vector<std::string>{ref});
}

TEST_F(PublicRegisterTest, OnlyTheComplainantsSideDecides) {
  const Session union_officer = staff("union@example.org");
  Session worker;
  // Filed by the union with the mandate to follow the case: it acts for the worker.
  const auto ref = file(&worker, Mandate{true, false, false, 0}, &union_officer);
  for (const char* email : {"plantation@example.org", "brand@example.org", "admin@example.org"}) {
    const Session s = staff(email);
    EXPECT_FALSE(service_->casework.view_case(s, ref)->may_decide_register) << email;
    EXPECT_EQ(service_->casework.set_register_listing(s, ref, true).error().code,
              ErrorCode::kForbidden)
        << email;
  }
  // A company of another case does not even learn that this one exists.
  Session other_worker;
  const auto other_ref = file(&other_worker);
  EXPECT_EQ(service_->casework.set_register_listing(other_worker, ref, true).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(listed(*service_).empty());

  EXPECT_TRUE(service_->casework.view_case(union_officer, ref)->may_decide_register);
  auto on = service_->casework.set_register_listing(union_officer, ref, true);
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_EQ(consents(*on)[0]->actor_role, Role::kUnion);
  EXPECT_EQ(listed(*service_), std::vector<std::string>{ref});
  // The worker sees the union's choice and may take the case off.
  EXPECT_TRUE(service_->casework.view_own_case(worker)->listed_in_register);
  ASSERT_TRUE(service_->casework.set_register_listing(worker, ref, false));
  EXPECT_TRUE(listed(*service_).empty());
  (void)other_ref;
}

TEST_F(PublicRegisterTest, ACompanyNeverReadsTheConsentEvents) {
  Session worker;
  const auto ref = file(&worker);
  ASSERT_TRUE(service_->casework.set_register_listing(worker, ref, true));
  for (const char* email : {"plantation@example.org", "brand@example.org"}) {
    auto v = service_->casework.view_case(staff(email), ref);
    ASSERT_TRUE(v);
    EXPECT_TRUE(consents(*v).empty()) << email;
  }
  auto admin = service_->casework.view_case(staff("admin@example.org"), ref);
  EXPECT_EQ(consents(*admin).size(), 1u);
}

TEST(PublicRegisterFacts, AConsentEventChangesNoStatistic) {
  CaseFacts f;
  f.case_id = 7;
  f.status = CaseStatus::kInDialogue;
  f.satisfaction = 4;
  for (std::string_view detail : {kRegisterGiven, kRegisterWithdrawn}) {
    CaseEvent e;
    e.type = EventType::kRegisterConsent;
    e.actor_role = Role::kComplainant;
    e.visibility = Visibility::kMechanism;
    e.detail = std::string(detail);
    EXPECT_EQ(fold(f, e), f) << detail;
  }
}

TEST(PublicRegisterRule, TheLastConsentEventDecides) {
  std::vector<CaseEvent> events(1);
  EXPECT_FALSE(listed_in_register(events));
  CaseEvent given;
  given.type = EventType::kRegisterConsent;
  given.detail = "given";
  CaseEvent withdrawn = given;
  withdrawn.detail = "withdrawn";
  events.push_back(given);
  EXPECT_TRUE(listed_in_register(events));
  events.push_back(CaseEvent{});  // a later message changes nothing
  EXPECT_TRUE(listed_in_register(events));
  events.push_back(withdrawn);
  EXPECT_FALSE(listed_in_register(events));
  EXPECT_EQ(parse_event_type("register_consent"), EventType::kRegisterConsent);
}

TEST_F(PublicRegisterTest, AnEntryShowsOnlyWhatThePublicMayRead) {
  Session worker;
  const auto ref = file(&worker);
  clock_.advance(std::chrono::hours(24));
  ASSERT_TRUE(service_->casework.set_register_listing(worker, ref, true));
  auto page = service_->public_register.page({});
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->entries.size(), 1u);
  const RegisterEntry& e = page->entries[0];
  EXPECT_EQ(e.reference, ref);
  EXPECT_EQ(e.company, std::optional<std::string>("Plantation"));  // the responsible, not a buyer
  EXPECT_EQ(e.country, "ID");
  EXPECT_EQ(e.sector, Sector::kPalmOil);
  EXPECT_EQ(e.categories, std::vector<Category>{Category::kWages});
  EXPECT_EQ(e.status, CaseStatus::kReceived);
  const std::chrono::year_month_day filed(
      std::chrono::floor<std::chrono::days>(clock_.now() - std::chrono::hours(24)));
  EXPECT_EQ(e.filed, filed.year() / filed.month());
  EXPECT_FALSE(e.closed);
  EXPECT_FALSE(e.outcome);
  // One case at the site: fewer than k, so the site is not named.
  EXPECT_FALSE(e.site);
  EXPECT_TRUE(e.site_hidden);
  EXPECT_EQ(page->k, 5);
  EXPECT_FALSE(page->has_next);
}

TEST_F(PublicRegisterTest, TheSiteIsNamedFromKCasesThereOn) {
  Session worker;
  const auto ref = file(&worker);
  ASSERT_TRUE(service_->casework.set_register_listing(worker, ref, true));
  for (int i = 0; i < 3; ++i) file(nullptr);
  auto four = service_->public_register.page({});
  ASSERT_TRUE(four);
  EXPECT_TRUE(four->entries[0].site_hidden);
  file(nullptr);  // the fifth case at the site
  auto five = service_->public_register.page({});
  ASSERT_TRUE(five);
  EXPECT_EQ(five->entries[0].site, std::optional<std::string>("Estate"));
  EXPECT_FALSE(five->entries[0].site_hidden);
}

TEST_F(PublicRegisterTest, TheHeadlineIsProtected) {
  Session worker;
  file(&worker);
  file(nullptr);
  auto page = service_->public_register.page({});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total.protection, Protection::kProtected);
  ASSERT_EQ(page->total.rows.size(), 1u);
  // Two cases: fewer than k, never the number.
  EXPECT_TRUE(page->total.rows[0].registered.fewer_than_k());
  EXPECT_EQ(page->this_year.protection, Protection::kProtected);
  for (int i = 0; i < 8; ++i) file(nullptr);
  auto ten = service_->public_register.page({});
  ASSERT_TRUE(ten);
  ASSERT_TRUE(ten->total.rows[0].registered.value);
  EXPECT_NEAR(static_cast<double>(*ten->total.rows[0].registered.value), 10.0, 2.0);
}

TEST_F(PublicRegisterTest, FiltersAndPagesAreValidated) {
  RegisterRequest r;
  r.sector = "gold";
  EXPECT_EQ(service_->public_register.page(r).error().field, "sector");
  r = {};
  r.country = "id";
  EXPECT_EQ(service_->public_register.page(r).error().field, "country");
  r = {};
  r.company = "x";
  EXPECT_EQ(service_->public_register.page(r).error().field, "company");
  r = {};
  r.page = "0";
  EXPECT_EQ(service_->public_register.page(r).error().field, "page");

  Session worker;
  const auto ref = file(&worker);
  ASSERT_TRUE(service_->casework.set_register_listing(worker, ref, true));
  r = {};
  r.company = std::to_string(brand_);  // a buyer is not the responsible company
  EXPECT_TRUE(service_->public_register.page(r)->entries.empty());
  r.company = std::to_string(plantation_);
  EXPECT_EQ(service_->public_register.page(r)->entries.size(), 1u);
  r = {};
  r.country = "VN";
  EXPECT_TRUE(service_->public_register.page(r)->entries.empty());
  r.sector = "palm_oil";
  r.country = "ID";
  EXPECT_EQ(service_->public_register.page(r)->entries.size(), 1u);
  r.page = "2";
  EXPECT_TRUE(service_->public_register.page(r)->entries.empty());
}

}  // namespace
}  // namespace grievance::domain
