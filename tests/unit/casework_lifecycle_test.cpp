// The lifecycle through the Casework service (docs/domain.md "Lifecycle"): who moves a case,
// what each move must carry, the remedy plan action by action, the complainant's verdict and
// the appeal window - with fakes and an injected clock. The table itself is tested
// exhaustively in lifecycle_test.cpp.
#include <gtest/gtest.h>

#include "support/casework_fixture.hpp"

namespace grievance::domain {
namespace {

using namespace std::chrono_literals;
using CaseworkLifecycleTest = testing::CaseworkFixture;

TEST_F(CaseworkLifecycleTest, ACaseGoesFromReceivedToClosedWithARemedyTheWorkerConfirmed) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  ASSERT_TRUE(move(company, ref, "in_dialogue"));
  // The plan names only organisations the company may name: itself, never a buyer it is not
  // told about (the answer must not tell it which companies the case reached).
  EXPECT_EQ(service_->casework.view_case(company, ref)->plan_organisations,
            std::vector<std::int64_t>{plantation_});
  auto naming_buyer = move(company, ref, "remedy_proposed",
                           plan({{"Pay the wages of March", plantation_, "2026-12-31"},
                                 {"Audit the payroll", brand_, "2027-01-31"}}));
  ASSERT_FALSE(naming_buyer);
  EXPECT_EQ(naming_buyer.error().field, "actions[1].organisation");
  auto naming_stranger =
      move(company, ref, "remedy_proposed", plan({{"Audit the payroll", other_, "2027-01-31"}}));
  ASSERT_FALSE(naming_stranger);
  EXPECT_EQ(naming_stranger.error().message, naming_buyer.error().message) << "no probing";
  auto proposed = move(company, ref, "remedy_proposed",
                       plan({{"Pay the wages of March", plantation_, "2026-12-31"},
                             {"Audit the payroll", plantation_, "2027-01-31"}}));
  ASSERT_TRUE(proposed) << proposed.error().message;
  ASSERT_EQ(proposed->c.remedy.size(), 2u);
  EXPECT_EQ(proposed->c.remedy[1].number, 2);
  EXPECT_EQ(proposed->c.remedy[1].org_id, plantation_);

  // The worker refuses: back to the dialogue, the score recorded.
  auto refused = service_->casework.feedback(worker, ref, {false, 2, "Only half the wages."});
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->c.status, CaseStatus::kInDialogue);
  EXPECT_EQ(refused->c.satisfaction, 2);

  ASSERT_TRUE(move(company, ref, "remedy_proposed",
                   plan({{"Pay all wages of March", plantation_, "2026-12-31"}})));
  clock_.advance(24h);
  auto done = service_->casework.mark_action_done(company, ref, 1, "Paid on 1 December.");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(done->c.remedy[0].done_at);
  auto confirmed = service_->casework.judge_action(worker, ref, 1, "confirmed", "");
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->c.remedy[0].verdict, ActionVerdict::kConfirmed);

  auto accepted = service_->casework.feedback(worker, ref, {true, 4, "Thank you."});
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->c.status, CaseStatus::kResolved);
  EXPECT_EQ(accepted->c.satisfaction, 4);

  TransitionRequest close;
  close.outcome = "remedy_accepted";
  auto closed = move(company, ref, "closed", close);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->c.outcome, Outcome::kRemedyAccepted);
  ASSERT_TRUE(closed->c.follow_up_due);
  EXPECT_EQ(*closed->c.follow_up_due, clock_.now() + std::chrono::days(config_.follow_up_days));

  // The worker reads every move with its reason, and who moved it, in order.
  auto seen = service_->casework.view_own_case(worker);
  ASSERT_TRUE(seen);
  std::vector<std::string> moves;
  for (const auto& e : seen->events) {
    if (e.type == EventType::kStatusChanged) moves.emplace_back(to_string(*e.to_status));
  }
  EXPECT_EQ(moves,
            (std::vector<std::string>{"acknowledged", "in_dialogue", "remedy_proposed",
                                      "in_dialogue", "remedy_proposed", "resolved", "closed"}));
}

TEST_F(CaseworkLifecycleTest, OnlyTheTableDecidesWhoMovesACase) {
  Session worker;
  const auto ref = file(&worker);
  // A buyer reads and writes but does not lead the response.
  auto by_buyer = move(staff("brand@example.org"), ref, "acknowledged");
  ASSERT_FALSE(by_buyer);
  EXPECT_EQ(by_buyer.error().code, ErrorCode::kForbidden);
  // The complainant cannot acknowledge their own complaint.
  auto by_worker = move(worker, ref, "acknowledged");
  ASSERT_FALSE(by_worker);
  EXPECT_EQ(by_worker.error().code, ErrorCode::kInvalidTransition);
  // A company that is not a party does not learn the case exists.
  ASSERT_TRUE(
      store_.directory().create_site(Site{0, "Other site", "ID", "", Sector::kOther, other_}));
  user("other@example.org", "company", other_);
  auto by_stranger = move(staff("other@example.org"), ref, "acknowledged");
  ASSERT_FALSE(by_stranger);
  EXPECT_EQ(by_stranger.error().code, ErrorCode::kNotFound);
  // Skipping a stage is refused; the status is unchanged.
  auto skip = move(staff("plantation@example.org"), ref, "resolved");
  ASSERT_FALSE(skip);
  EXPECT_EQ(skip.error().code, ErrorCode::kInvalidTransition);
  EXPECT_EQ(status_of(ref), CaseStatus::kReceived);
  // An unknown status and a missing reason are input errors.
  auto unknown = move(staff("plantation@example.org"), ref, "done");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "to");
  TransitionRequest blank;
  blank.reason = "  ";
  auto no_reason = move(staff("plantation@example.org"), ref, "acknowledged", blank);
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "reason");
}

TEST_F(CaseworkLifecycleTest, AUnionMovesTheCaseOnlyWithAMandateToFollowIt) {
  const Session union_officer = staff("union@example.org");
  const auto followed = file(nullptr, Mandate{true, false, false, 0}, &union_officer);
  const auto not_following = file(nullptr, Mandate{false, false, false, 0}, &union_officer);
  auto withdraw = move(union_officer, followed, "withdrawn");
  ASSERT_TRUE(withdraw) << withdraw.error().message;
  EXPECT_EQ(withdraw->c.outcome, Outcome::kWithdrawn);
  auto refused = move(union_officer, not_following, "withdrawn");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_F(CaseworkLifecycleTest, EachMoveCarriesWhatTheTableAsksFor) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  // A rejection without reasoning (CSDDD Art. 14(4)(c)).
  auto reject = move(company, ref, "rejected");
  ASSERT_FALSE(reject);
  EXPECT_EQ(reject.error().field, "reasoning");
  // An escalation names its body.
  auto escalate = move(company, ref, "escalated");
  ASSERT_FALSE(escalate);
  EXPECT_EQ(escalate.error().field, "external_body");
  TransitionRequest wrong_body;
  wrong_body.external_body = "the press";
  EXPECT_EQ(move(company, ref, "escalated", wrong_body).error().field, "external_body");
  // Only a closure has an outcome; only a proposal has actions.
  TransitionRequest stray;
  stray.outcome = "unfounded";
  EXPECT_EQ(move(company, ref, "acknowledged", stray).error().field, "outcome");
  ASSERT_TRUE(move(company, ref, "in_dialogue"));
  // A closure from the dialogue: unfounded needs reasoning, a remedy outcome does not fit.
  TransitionRequest unfounded;
  unfounded.outcome = "unfounded";
  EXPECT_EQ(move(company, ref, "closed", unfounded).error().field, "reasoning");
  TransitionRequest remedy_outcome;
  remedy_outcome.outcome = "remedy_accepted";
  EXPECT_EQ(move(company, ref, "closed", remedy_outcome).error().field, "outcome");
  // A plan: at least one action, by a company the case is routed to, due today or later.
  EXPECT_EQ(move(company, ref, "remedy_proposed", plan({})).error().field, "actions");
  EXPECT_EQ(
      move(company, ref, "remedy_proposed", plan({{"Pay", other_, "2027-01-01"}})).error().field,
      "actions[0].organisation");
  EXPECT_EQ(move(company, ref, "remedy_proposed",
                 plan({{"Pay", plantation_, "2027-01-01"}, {"Pay", plantation_, "2020-01-01"}}))
                .error()
                .field,
            "actions[1].due");
  EXPECT_EQ(status_of(ref), CaseStatus::kInDialogue) << "a refused move changes nothing";

  unfounded.reasoning = "The payroll shows every hour paid; see the records shared on 2 May.";
  auto closed = move(company, ref, "closed", unfounded);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->c.outcome, Outcome::kUnfounded);
  EXPECT_FALSE(closed->c.follow_up_due) << "no remedy, nothing to follow up";
  auto seen = service_->casework.view_own_case(worker);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->events.back().detail, unfounded.reasoning) << "the worker reads the reasoning";
}

TEST_F(CaseworkLifecycleTest, TheOperatorNotTheCompanyDecidesAnAppealWithinItsWindow) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  TransitionRequest reject;
  reject.reasoning = "The site is not ours since January.";
  ASSERT_TRUE(move(company, ref, "rejected", reject));
  clock_.advance(std::chrono::days(config_.appeal_window_days) - 1h);
  auto appeal = move(worker, ref, "appealed");
  ASSERT_TRUE(appeal) << appeal.error().message;
  // The company cannot decide on an appeal against itself.
  EXPECT_EQ(move(company, ref, "rejected", reject).error().code, ErrorCode::kInvalidTransition);
  const Session admin = staff("admin@example.org");
  EXPECT_EQ(move(admin, ref, "rejected").error().field, "reasoning");
  auto reopened = move(admin, ref, "reopened");
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_FALSE(reopened->c.outcome);
  ASSERT_TRUE(move(company, ref, "in_dialogue"));

  // Past the window, an appeal is refused.
  Session late_worker;
  const auto late = file(&late_worker);
  ASSERT_TRUE(move(company, late, "rejected", reject));
  clock_.advance(std::chrono::days(config_.appeal_window_days) + 1h);
  auto too_late = move(late_worker, late, "appealed");
  ASSERT_FALSE(too_late);
  EXPECT_EQ(too_late.error().code, ErrorCode::kInvalidTransition);
}

TEST_F(CaseworkLifecycleTest, ActionsAreMarkedAndJudgedOnceByTheRightSide) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  ASSERT_TRUE(move(company, ref, "in_dialogue"));
  ASSERT_TRUE(
      move(company, ref, "remedy_proposed", plan({{"Pay the wages", plantation_, "2026-12-31"}})));
  // Not done yet: nothing to judge. Not the worker's to mark done; not a buyer's.
  EXPECT_EQ(service_->casework.judge_action(worker, ref, 1, "confirmed", "").error().code,
            ErrorCode::kInvalidTransition);
  EXPECT_EQ(service_->casework.mark_action_done(worker, ref, 1, "done").error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(
      service_->casework.mark_action_done(staff("brand@example.org"), ref, 1, "done").error().code,
      ErrorCode::kForbidden);
  EXPECT_EQ(service_->casework.mark_action_done(company, ref, 2, "done").error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(service_->casework.mark_action_done(company, ref, 1, "Paid."));
  EXPECT_EQ(service_->casework.mark_action_done(company, ref, 1, "Paid.").error().code,
            ErrorCode::kConflict);
  // A dispute says why; the company cannot judge its own action.
  EXPECT_EQ(service_->casework.judge_action(worker, ref, 1, "disputed", "").error().field, "note");
  EXPECT_EQ(service_->casework.judge_action(company, ref, 1, "confirmed", "").error().code,
            ErrorCode::kForbidden);
  auto disputed =
      service_->casework.judge_action(worker, ref, 1, "disputed", "Only half was paid.");
  ASSERT_TRUE(disputed) << disputed.error().message;
  EXPECT_EQ(disputed->c.remedy[0].verdict, ActionVerdict::kDisputed);
  EXPECT_EQ(disputed->c.remedy[0].verdict_note, "Only half was paid.");
  EXPECT_EQ(service_->casework.judge_action(worker, ref, 1, "confirmed", "").error().code,
            ErrorCode::kConflict);
  // Feedback: a score from 1 to 5, only on a proposal.
  EXPECT_EQ(service_->casework.feedback(worker, ref, {true, 6, ""}).error().field, "satisfaction");
  EXPECT_EQ(service_->casework.feedback(company, ref, {true, 3, ""}).error().code,
            ErrorCode::kForbidden);
  ASSERT_TRUE(service_->casework.feedback(worker, ref, {false, 1, "Not paid."}));
  EXPECT_EQ(service_->casework.feedback(worker, ref, {true, 3, ""}).error().code,
            ErrorCode::kInvalidTransition);
}

// ---- deadlines -----------------------------------------------------------------------------

std::vector<std::string> notices_in(const CaseView& v) {
  std::vector<std::string> out;
  for (const auto& e : v.events) {
    if (e.type == EventType::kDeadlineReminder) out.push_back("reminder:" + e.detail);
    if (e.type == EventType::kDeadlineBreached) out.push_back("breach:" + e.detail);
    if (e.type == EventType::kFollowUpDue) out.push_back("follow_up");
  }
  return out;
}

TEST_F(CaseworkLifecycleTest, TheSchedulerWritesEachReminderAndBreachOnceEvenAfterALongStop) {
  const auto ref = file(nullptr);
  const Session admin = staff("admin@example.org");
  // Day 4: nothing owed yet.
  clock_.advance(std::chrono::days(4));
  auto run = service_->deadlines.run_once();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->notices, 0);
  // Day 5 (two days before the acknowledgement is due): the reminder, once.
  clock_.advance(std::chrono::days(1) + 1s);
  ASSERT_EQ(service_->deadlines.run_once()->notices, 1);
  ASSERT_EQ(service_->deadlines.run_once()->notices, 0);
  EXPECT_EQ(notices_in(*service_->casework.view_case(admin, ref)),
            (std::vector<std::string>{"reminder:acknowledgement"}));
  // The server stops for half a year: the first run writes everything owed, once, in order.
  clock_.advance(std::chrono::days(180));
  EXPECT_EQ(service_->deadlines.run_once()->notices, 5);
  EXPECT_EQ(service_->deadlines.run_once()->notices, 0);
  auto view = service_->casework.view_case(admin, ref);
  EXPECT_EQ(notices_in(*view),
            (std::vector<std::string>{"reminder:acknowledgement", "breach:acknowledgement",
                                      "reminder:response", "breach:response", "reminder:resolution",
                                      "breach:resolution"}));
  EXPECT_TRUE(view->overdue);
}

TEST_F(CaseworkLifecycleTest, AMoveFirstWritesWhatTheClockOwedTheCaseAndMeetsItsDeadline) {
  const auto ref = file(nullptr);
  const Session company = staff("plantation@example.org");
  clock_.advance(std::chrono::days(8));  // the scheduler has not run
  auto acknowledged = move(company, ref, "acknowledged");
  ASSERT_TRUE(acknowledged) << acknowledged.error().message;
  EXPECT_EQ(notices_in(*acknowledged),
            (std::vector<std::string>{"reminder:acknowledgement", "breach:acknowledgement"}));
  EXPECT_EQ(acknowledged->events.back().type, EventType::kStatusChanged)
      << "the breach is recorded before the late acknowledgement";
  EXPECT_EQ(service_->deadlines.run_once()->notices, 0) << "nothing owed twice";
  // The acknowledgement is met: only the response and resolution are owed from now on.
  clock_.advance(std::chrono::days(30));
  EXPECT_EQ(service_->deadlines.run_once()->notices, 2);
  EXPECT_EQ(notices_in(*service_->casework.view_case(company, ref)),
            (std::vector<std::string>{"reminder:acknowledgement", "breach:acknowledgement",
                                      "reminder:response", "breach:response"}));
}

// Found by the statistics' fold (issue 11): upholding a closure on appeal dropped the closure's
// outcome and its follow-up check - the case ended "closed" with no outcome, and nobody asked
// months later whether the remedy held.
TEST_F(CaseworkLifecycleTest, AnUpheldClosureKeepsItsOutcomeAndItsFollowUpCheck) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  ASSERT_TRUE(move(company, ref, "in_dialogue"));
  ASSERT_TRUE(move(company, ref, "remedy_proposed", plan({{"Pay", plantation_, "2026-12-31"}})));
  ASSERT_TRUE(service_->casework.feedback(worker, ref, {true, 4, ""}));
  TransitionRequest close;
  close.outcome = "remedy_partly_accepted";
  auto closed = move(company, ref, "closed", close);
  ASSERT_TRUE(closed);
  const auto follow_up_due = closed->c.follow_up_due;
  ASSERT_TRUE(follow_up_due);
  ASSERT_TRUE(move(worker, ref, "appealed"));
  TransitionRequest uphold;
  uphold.reasoning = "The second payment was made on 2 December; the plan was kept.";
  auto upheld = move(staff("admin@example.org"), ref, "closed", uphold);
  ASSERT_TRUE(upheld) << upheld.error().message;
  EXPECT_EQ(upheld->c.outcome, Outcome::kRemedyPartlyAccepted);
  EXPECT_EQ(upheld->c.follow_up_due, follow_up_due);
}

TEST_F(CaseworkLifecycleTest, AClosedRemedyIsFollowedUpMonthsLater) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  ASSERT_TRUE(move(company, ref, "in_dialogue"));
  ASSERT_TRUE(move(company, ref, "remedy_proposed", plan({{"Pay", plantation_, "2026-12-31"}})));
  ASSERT_TRUE(service_->casework.feedback(worker, ref, {true, 5, ""}));
  TransitionRequest close;
  close.outcome = "remedy_accepted";
  ASSERT_TRUE(move(company, ref, "closed", close));
  clock_.advance(std::chrono::days(config_.follow_up_days) - 1h);
  EXPECT_EQ(service_->deadlines.run_once()->notices, 0);
  clock_.advance(2h);
  EXPECT_EQ(service_->deadlines.run_once()->notices, 1);
  EXPECT_EQ(notices_in(*service_->casework.view_own_case(worker)),
            (std::vector<std::string>{"follow_up"}));
  EXPECT_EQ(service_->deadlines.run_once()->notices, 0);
}

TEST_F(CaseworkLifecycleTest, TheClockStandsStillWhileTheCompanyWaitsForTheWorkersAnswer) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  ASSERT_TRUE(move(company, ref, "acknowledged"));
  const auto before = service_->casework.view_case(company, ref)->c.deadlines;
  clock_.advance(std::chrono::days(3));
  auto asked = service_->casework.ask_complainant(company, ref, "Which month was not paid?");
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->events.back().type, EventType::kClockPaused) << "everyone sees the pause";
  EXPECT_EQ(service_->casework.ask_complainant(company, ref, "And?").error().code,
            ErrorCode::kInvalidTransition);
  EXPECT_EQ(service_->casework.ask_complainant(worker, ref, "?").error().code,
            ErrorCode::kForbidden);
  // Two months without an answer: nothing is late, nothing is owed.
  clock_.advance(std::chrono::days(60));
  EXPECT_EQ(service_->deadlines.run_once()->notices, 0);
  EXPECT_FALSE(service_->casework.view_case(company, ref)->overdue);
  CaseListRequest overdue;
  overdue.overdue = "true";
  EXPECT_TRUE(service_->casework.list_cases(company, overdue)->rows.empty());
  // The answer resumes the clock: every deadline moved on by the 60 paused days.
  ASSERT_TRUE(service_->casework.post_message(worker, ref, "March.", Visibility::kParties));
  auto resumed = service_->casework.view_case(company, ref);
  ASSERT_TRUE(resumed);
  EXPECT_FALSE(resumed->c.paused_since);
  EXPECT_EQ(resumed->events.back().type, EventType::kClockResumed);
  EXPECT_EQ(resumed->c.deadlines.response_due, before.response_due + std::chrono::days(60));
  EXPECT_EQ(resumed->c.deadlines.resolution_due, before.resolution_due + std::chrono::days(60));
  EXPECT_FALSE(resumed->overdue);
}

}  // namespace
}  // namespace grievance::domain
