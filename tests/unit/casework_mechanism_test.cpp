// What the complainant tells the mechanism rather than the company, the operator's review, the
// three identity levels, the rights each view carries, and the company's clock starting at a
// triage assignment (docs/domain.md "Who sees what", "What each party may do", "Deadlines") -
// with fakes and an injected clock.
#include <algorithm>

#include "support/casework_fixture.hpp"

namespace grievance::domain {
namespace {

using namespace std::chrono_literals;
using CaseworkMechanismTest = testing::CaseworkFixture;

bool has_event(const CaseView& v, EventType type) {
  return std::any_of(v.events.begin(), v.events.end(),
                     [&](const CaseEvent& e) { return e.type == type; });
}

std::vector<std::string> move_names(const CaseView& v) {
  std::vector<std::string> out;
  for (const auto* rule : v.moves) out.emplace_back(rule->name);
  return out;
}

std::size_t flagged(Services& s, const Session& viewer, const char* flag) {
  CaseListRequest r;
  r.flag = flag;
  auto page = s.casework.list_cases(viewer, r);
  EXPECT_TRUE(page) << page.error().message;
  return page ? page->rows.size() : 0;
}

TEST_F(CaseworkMechanismTest, ARetaliationReportReachesTheOperatorAndTheUnionNeverACompany) {
  const Session union_officer = staff("union@example.org");
  Session worker;
  const auto ref = file(&worker, Mandate{true, false, false, 0}, &union_officer);
  const Session company = staff("plantation@example.org");
  const Session buyer = staff("brand@example.org");
  const Session admin = staff("admin@example.org");

  EXPECT_FALSE(service_->casework.view_case(company, ref)->may_report_retaliation);
  EXPECT_EQ(service_->casework.report_retaliation(company, ref, "x").error().code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(service_->casework.view_own_case(worker)->may_report_retaliation);
  auto reported =
      service_->casework.report_retaliation(worker, ref, "The foreman moved me to night shifts.");
  ASSERT_TRUE(reported) << reported.error().message;
  EXPECT_TRUE(reported->c.retaliation);

  // The operator and the union read it and see the flag; no company learns it exists.
  for (const Session* s : {&admin, &union_officer}) {
    auto v = service_->casework.view_case(*s, ref);
    EXPECT_TRUE(has_event(*v, EventType::kRetaliationReported));
    EXPECT_TRUE(v->c.retaliation);
  }
  for (const Session* s : {&company, &buyer}) {
    auto v = service_->casework.view_case(*s, ref);
    EXPECT_FALSE(has_event(*v, EventType::kRetaliationReported));
    EXPECT_FALSE(v->c.retaliation);
    CaseListRequest all;
    auto rows = service_->casework.list_cases(*s, all);
    ASSERT_EQ(rows->rows.size(), 1u);
    EXPECT_FALSE(rows->rows[0].c.retaliation);
    CaseListRequest by_flag;
    by_flag.flag = "retaliation";
    EXPECT_EQ(service_->casework.list_cases(*s, by_flag).error().code, ErrorCode::kForbidden);
  }
  // In front of the operator at once: the queue, and the review form.
  EXPECT_EQ(flagged(*service_, admin, "retaliation"), 1u);
  EXPECT_EQ(flagged(*service_, admin, "remedy_failed"), 0u);
  EXPECT_TRUE(service_->casework.view_case(admin, ref)->may_review);
  EXPECT_EQ(service_->casework.review(company, ref, "retaliation", "done").error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(service_->casework.review(admin, ref, "remedy_failed", "x").error().code,
            ErrorCode::kInvalidTransition);
  auto reviewed =
      service_->casework.review(admin, ref, "retaliation", "We called the labour inspector.");
  ASSERT_TRUE(reviewed) << reviewed.error().message;
  EXPECT_FALSE(reviewed->c.retaliation);
  EXPECT_EQ(flagged(*service_, admin, "retaliation"), 0u);
  // The review note is the complainant's side's, not the company's.
  EXPECT_TRUE(has_event(*service_->casework.view_own_case(worker), EventType::kReviewed));
  EXPECT_FALSE(has_event(*service_->casework.view_case(company, ref), EventType::kReviewed));
}

TEST_F(CaseworkMechanismTest, AMechanismMessageNeverReachesACompany) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  EXPECT_TRUE(service_->casework.view_own_case(worker)->may_write_mechanism);
  EXPECT_FALSE(service_->casework.view_case(company, ref)->may_write_mechanism);
  ASSERT_TRUE(service_->casework.post_message(worker, ref, "I'm afraid the foreman knows.",
                                              Visibility::kMechanism));
  EXPECT_EQ(service_->casework.view_case(company, ref)->events.size(),
            service_->casework.view_own_case(worker)->events.size() - 1);
  EXPECT_TRUE(service_->casework.view_case(staff("admin@example.org"), ref)->events.back().body ==
              "I'm afraid the foreman knows.");
}

TEST_F(CaseworkMechanismTest, AFollowUpAnsweredNoPutsTheCaseInFrontOfTheOperator) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  const Session admin = staff("admin@example.org");
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  ASSERT_TRUE(move(company, ref, "remedy_proposed", plan({{"Pay", plantation_, "2026-12-31"}})));
  ASSERT_TRUE(service_->casework.feedback(worker, ref, {true, 4, ""}));
  TransitionRequest close;
  close.outcome = "remedy_accepted";
  ASSERT_TRUE(move(company, ref, "closed", close));
  // Not asked yet.
  EXPECT_FALSE(service_->casework.view_own_case(worker)->may_answer_follow_up);
  EXPECT_EQ(service_->casework.answer_follow_up(worker, ref, "yes", "").error().code,
            ErrorCode::kInvalidTransition);
  clock_.advance(std::chrono::days(config_.follow_up_days) + 1h);
  ASSERT_EQ(service_->deadlines.run_once()->notices, 1);
  ASSERT_TRUE(service_->casework.view_own_case(worker)->may_answer_follow_up);
  EXPECT_EQ(service_->casework.answer_follow_up(company, ref, "yes", "").error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(service_->casework.answer_follow_up(worker, ref, "maybe", "").error().field, "held");
  auto answered =
      service_->casework.answer_follow_up(worker, ref, "no", "The wages stopped again in May.");
  ASSERT_TRUE(answered) << answered.error().message;
  EXPECT_EQ(answered->c.follow_up_answer, RemedyHeld::kNo);
  EXPECT_TRUE(answered->c.remedy_failed);
  EXPECT_EQ(service_->casework.answer_follow_up(worker, ref, "yes", "").error().code,
            ErrorCode::kInvalidTransition)
      << "answered once";
  // The company reads the answer; the operator has it in the queue and may reopen the case.
  EXPECT_TRUE(has_event(*service_->casework.view_case(company, ref), EventType::kFollowUpAnswered));
  EXPECT_EQ(flagged(*service_, admin, "remedy_failed"), 1u);
  auto seen = service_->casework.view_case(admin, ref);
  EXPECT_TRUE(seen->may_review);
  EXPECT_NE(std::find(move_names(*seen).begin(), move_names(*seen).end(), "reopen"),
            move_names(*seen).end());
  ASSERT_TRUE(service_->casework.review(admin, ref, "remedy_failed", "Reopened with the company."));
  EXPECT_EQ(flagged(*service_, admin, "remedy_failed"), 0u);
}

TEST_F(CaseworkMechanismTest, AnAnswerThatTheRemedyHeldNeedsNoOperator) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  ASSERT_TRUE(move(company, ref, "remedy_proposed", plan({{"Pay", plantation_, "2026-12-31"}})));
  ASSERT_TRUE(service_->casework.feedback(worker, ref, {true, 4, ""}));
  TransitionRequest close;
  close.outcome = "remedy_accepted";
  ASSERT_TRUE(move(company, ref, "closed", close));
  clock_.advance(std::chrono::days(config_.follow_up_days) + 1h);
  auto answered = service_->casework.answer_follow_up(worker, ref, "partly", "");
  ASSERT_TRUE(answered) << "the check is due even before the scheduler ran";
  EXPECT_FALSE(answered->c.remedy_failed);
  EXPECT_EQ(flagged(*service_, staff("admin@example.org"), "remedy_failed"), 0u);
}

TEST_F(CaseworkMechanismTest, AnAnonymousComplaintHasNothingToShareOrDisclose) {
  Session worker;
  const auto ref = file(&worker);  // no contact
  const Session company = staff("plantation@example.org");
  auto own = service_->casework.view_own_case(worker);
  EXPECT_EQ(own->c.identity, IdentityLevel::kAnonymous);
  EXPECT_FALSE(own->may_share_identity);
  EXPECT_EQ(service_->casework.set_identity_sharing(worker, ref, true).error().code,
            ErrorCode::kInvalidTransition);
  EXPECT_FALSE(service_->casework.view_case(company, ref)->may_request_disclosure);
  EXPECT_EQ(service_->casework.request_disclosure(company, ref, "We need to pay her.").error().code,
            ErrorCode::kInvalidTransition);
}

TEST_F(CaseworkMechanismTest, AConfidentialContactReachesACompanyOnlyByConsentUntilWithdrawn) {
  Session worker;
  const auto ref = file_with_contact(&worker, false);
  const Session company = staff("plantation@example.org");
  const Session buyer = staff("brand@example.org");
  const Session admin = staff("admin@example.org");
  EXPECT_EQ(service_->casework.view_own_case(worker)->c.identity, IdentityLevel::kConfidential);
  EXPECT_TRUE(service_->casework.view_case(admin, ref)->c.complaint.contact);
  EXPECT_FALSE(service_->casework.view_case(company, ref)->c.complaint.contact);

  // The company asks, with a reason; one request at a time; the buyer does not see it.
  EXPECT_EQ(service_->casework.request_disclosure(company, ref, " ").error().field, "reason");
  auto asked = service_->casework.request_disclosure(company, ref, "To pay the wages to her.");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(service_->casework.request_disclosure(company, ref, "Again.").error().code,
            ErrorCode::kConflict);
  EXPECT_FALSE(service_->casework.view_case(buyer, ref)->c.disclosure_requested_by);
  EXPECT_EQ(service_->casework.answer_disclosure(company, ref, true, "").error().code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(service_->casework.view_own_case(worker)->may_answer_disclosure);
  // Refused: nothing changes for the company; it may ask again later.
  auto refused = service_->casework.answer_disclosure(worker, ref, false, "Not yet.");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->c.identity, IdentityLevel::kConfidential);
  EXPECT_FALSE(service_->casework.view_case(company, ref)->c.complaint.contact);
  ASSERT_TRUE(service_->casework.request_disclosure(company, ref, "The payroll needs a name."));
  // Granted: the companies see the contact; the consent is its own event.
  auto granted = service_->casework.answer_disclosure(worker, ref, true, "");
  ASSERT_TRUE(granted) << granted.error().message;
  EXPECT_EQ(granted->c.identity, IdentityLevel::kShared);
  EXPECT_TRUE(has_event(*granted, EventType::kIdentityShared));
  EXPECT_TRUE(service_->casework.view_case(company, ref)->c.complaint.contact);
  EXPECT_TRUE(service_->casework.view_case(buyer, ref)->c.complaint.contact);
  // Withdrawn for the future.
  EXPECT_TRUE(service_->casework.view_own_case(worker)->may_withdraw_identity);
  auto withdrawn = service_->casework.set_identity_sharing(worker, ref, false);
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_TRUE(has_event(*withdrawn, EventType::kIdentityWithdrawn));
  EXPECT_FALSE(service_->casework.view_case(company, ref)->c.complaint.contact);
  EXPECT_EQ(service_->casework.set_identity_sharing(worker, ref, false).error().code,
            ErrorCode::kInvalidTransition);
}

TEST_F(CaseworkMechanismTest, ConsentAtFilingIsItsOwnEvent) {
  Session worker;
  const auto ref = file_with_contact(&worker, true);
  auto v = service_->casework.view_case(staff("plantation@example.org"), ref);
  EXPECT_EQ(v->c.identity, IdentityLevel::kShared);
  EXPECT_TRUE(has_event(*v, EventType::kIdentityShared));
  EXPECT_TRUE(v->c.complaint.contact);
  // A union's mandate without consent keeps the worker's contact from the companies.
  const Session union_officer = staff("union@example.org");
  ComplaintDraft d;
  d.language = "en";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Wages were not paid.";
  d.site_id = site_;
  d.country = "ID";
  d.anonymous = false;
  ContactDraft contact;
  contact.name = std::string("Siti");
  d.contact = contact;
  d.mandate = Mandate{true, false, false, 0};
  auto filed = service_->filing.file_complaint(d, Channel::kUnion, {}, &union_officer);
  ASSERT_TRUE(filed) << filed.error().message;
  auto by_union = service_->casework.view_case(union_officer, filed->filed.reference);
  EXPECT_EQ(by_union->c.identity, IdentityLevel::kConfidential);
  EXPECT_FALSE(
      service_->casework.view_case(staff("plantation@example.org"), filed->filed.reference)
          ->c.complaint.contact);
}

TEST_F(CaseworkMechanismTest, EachViewCarriesTheMovesItsReaderMayMake) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  using Names = std::vector<std::string>;
  EXPECT_EQ(move_names(*service_->casework.view_case(company, ref)),
            (Names{"acknowledge", "respond", "reject", "escalate"}));
  EXPECT_EQ(move_names(*service_->casework.view_own_case(worker)), (Names{"escalate", "withdraw"}));
  EXPECT_TRUE(move_names(*service_->casework.view_case(staff("brand@example.org"), ref)).empty());
  EXPECT_TRUE(service_->casework.view_case(company, ref)->may_ask);
  EXPECT_EQ(move(company, ref, "remedy_proposed", plan({{"Pay", plantation_, "2026-12-31"}}))
                .error()
                .code,
            ErrorCode::kInvalidTransition);
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  ASSERT_TRUE(move(company, ref, "remedy_proposed", plan({{"Pay", plantation_, "2026-12-31"}})));
  auto own = service_->casework.view_own_case(worker);
  EXPECT_TRUE(own->may_feedback);
  EXPECT_FALSE(own->may_judge_actions);
  // Accepting is feedback with a score, never a bare move.
  EXPECT_EQ(move_names(*own), (Names{"escalate", "withdraw"}));
  EXPECT_EQ(move(worker, ref, "resolved").error().code, ErrorCode::kInvalidTransition);
  EXPECT_TRUE(service_->casework.view_case(company, ref)->may_mark_done);
  ASSERT_TRUE(service_->casework.mark_action_done(company, ref, 1, "Paid."));
  EXPECT_FALSE(service_->casework.view_case(company, ref)->may_mark_done);
  EXPECT_TRUE(service_->casework.view_own_case(worker)->may_judge_actions);
  // Rejected: the worker may appeal until the window ends, and the view says until when.
  Session other;
  const auto ref2 = file(&other);
  TransitionRequest reject;
  reject.reasoning = "The site is not ours.";
  ASSERT_TRUE(move(company, ref2, "rejected", reject));
  auto rejected = service_->casework.view_own_case(other);
  EXPECT_EQ(move_names(*rejected), (Names{"appeal"}));
  ASSERT_TRUE(rejected->appeal_until);
  EXPECT_EQ(*rejected->appeal_until, clock_.now() + std::chrono::days(config_.appeal_window_days));
  clock_.advance(std::chrono::days(config_.appeal_window_days) + 1h);
  rejected = service_->casework.view_own_case(other);
  EXPECT_TRUE(move_names(*rejected).empty());
  EXPECT_FALSE(rejected->appeal_until);
}

TEST_F(CaseworkMechanismTest, TheCompanysClockStartsWhenATriageCaseIsAssigned) {
  ComplaintDraft d;
  d.language = "en";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Wages were not paid.";
  d.place = "A mill near Pekanbaru";
  d.country = "ID";
  d.anonymous = true;
  auto filed = service_->filing.file_complaint(d, Channel::kWeb, {}, nullptr);
  ASSERT_TRUE(filed) << filed.error().message;
  const auto ref = filed->filed.reference;
  const Session admin = staff("admin@example.org");
  // Ten days in triage: the operator owed the acknowledgement and missed it.
  clock_.advance(std::chrono::days(10));
  auto assigned = service_->casework.assign_case(admin, ref, plantation_);
  ASSERT_TRUE(assigned) << assigned.error().message;
  const TimePoint now = clock_.now();
  EXPECT_EQ(assigned->c.deadlines.ack_due, now + std::chrono::days(config_.ack_days));
  EXPECT_EQ(assigned->c.deadlines.response_due, now + std::chrono::days(config_.response_days));
  EXPECT_EQ(assigned->c.deadlines.resolution_due, now + std::chrono::days(config_.resolution_days));
  EXPECT_FALSE(assigned->overdue) << "the company is not late for the office's delay";
  // The office's missed acknowledgement stays on the record, before the routing.
  std::vector<EventType> types;
  for (const auto& e : assigned->events) types.push_back(e.type);
  const auto breach = std::find(types.begin(), types.end(), EventType::kDeadlineBreached);
  ASSERT_NE(breach, types.end());
  EXPECT_LT(breach - types.begin(),
            std::find(types.rbegin(), types.rend(), EventType::kRouted).base() - types.begin());
  // Nothing more is owed until the company's reminder.
  EXPECT_EQ(service_->deadlines.run_once()->notices, 0);
  clock_.advance(std::chrono::days(config_.ack_days - config_.reminder_days) + 1h);
  EXPECT_EQ(service_->deadlines.run_once()->notices, 1);
}

}  // namespace
}  // namespace grievance::domain
