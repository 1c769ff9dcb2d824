// The lifecycle table, checked exhaustively: every (from, to, actor) of 11 statuses x 11
// statuses x 3 actors against the table below, written out independently of the code. A move
// not listed here must be refused; a listed one must be allowed with the listed needs.
#include "server/domain/lifecycle.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

namespace grievance::domain {
namespace {

using S = CaseStatus;
using A = Actor;

struct Allowed {
  S from;
  S to;
  A by;
  std::string_view rule;
  Needs needs;
};

// The lifecycle as designed (docs/domain.md "Lifecycle"). c: complainant side, r: responsible
// company, o: operator.
const Allowed kExpected[] = {
    {S::kReceived, S::kAcknowledged, A::kResponsibleCompany, "acknowledge", Needs::kNothing},
    {S::kReceived, S::kAcknowledged, A::kOperator, "acknowledge", Needs::kNothing},
    {S::kReceived, S::kInDialogue, A::kResponsibleCompany, "respond", Needs::kNothing},
    {S::kAcknowledged, S::kInDialogue, A::kResponsibleCompany, "respond", Needs::kNothing},
    {S::kReopened, S::kInDialogue, A::kResponsibleCompany, "respond", Needs::kNothing},
    {S::kAcknowledged, S::kRemedyProposed, A::kResponsibleCompany, "propose_remedy",
     Needs::kRemedyPlan},
    {S::kInDialogue, S::kRemedyProposed, A::kResponsibleCompany, "propose_remedy",
     Needs::kRemedyPlan},
    {S::kReopened, S::kRemedyProposed, A::kResponsibleCompany, "propose_remedy",
     Needs::kRemedyPlan},
    {S::kRemedyProposed, S::kInDialogue, A::kComplainant, "refuse_remedy", Needs::kNothing},
    {S::kRemedyProposed, S::kResolved, A::kComplainant, "accept_remedy", Needs::kNothing},
    {S::kResolved, S::kClosed, A::kResponsibleCompany, "close", Needs::kOutcome},
    {S::kResolved, S::kClosed, A::kOperator, "close", Needs::kOutcome},
    {S::kAcknowledged, S::kClosed, A::kResponsibleCompany, "close_without_remedy", Needs::kOutcome},
    {S::kInDialogue, S::kClosed, A::kResponsibleCompany, "close_without_remedy", Needs::kOutcome},
    {S::kReopened, S::kClosed, A::kResponsibleCompany, "close_without_remedy", Needs::kOutcome},
    {S::kReceived, S::kRejected, A::kResponsibleCompany, "reject", Needs::kReasoning},
    {S::kAcknowledged, S::kRejected, A::kResponsibleCompany, "reject", Needs::kReasoning},
    {S::kInDialogue, S::kRejected, A::kResponsibleCompany, "reject", Needs::kReasoning},
    {S::kReopened, S::kRejected, A::kResponsibleCompany, "reject", Needs::kReasoning},
    {S::kEscalated, S::kClosed, A::kResponsibleCompany, "close_referred", Needs::kOutcome},
    {S::kEscalated, S::kClosed, A::kOperator, "close_referred", Needs::kOutcome},
    {S::kClosed, S::kAppealed, A::kComplainant, "appeal", Needs::kNothing},
    {S::kRejected, S::kAppealed, A::kComplainant, "appeal", Needs::kNothing},
    {S::kAppealed, S::kClosed, A::kOperator, "uphold_closure", Needs::kReasoning},
    {S::kAppealed, S::kRejected, A::kOperator, "uphold_rejection", Needs::kReasoning},
    {S::kAppealed, S::kReopened, A::kOperator, "reopen", Needs::kNothing},
    {S::kClosed, S::kReopened, A::kOperator, "reopen", Needs::kNothing},
    {S::kWithdrawn, S::kReopened, A::kOperator, "reopen", Needs::kNothing},
    {S::kEscalated, S::kReopened, A::kOperator, "reopen", Needs::kNothing},
};

std::vector<Allowed> expected_with_generated_rows() {
  std::vector<Allowed> out(std::begin(kExpected), std::end(kExpected));
  // Escalation from every open status, by anyone; withdrawal by the complainant from every
  // open status and from escalated.
  for (S from :
       {S::kReceived, S::kAcknowledged, S::kInDialogue, S::kRemedyProposed, S::kReopened}) {
    for (A by : {A::kComplainant, A::kResponsibleCompany, A::kOperator}) {
      out.push_back({from, S::kEscalated, by, "escalate", Needs::kExternalBody});
    }
  }
  for (S from : {S::kReceived, S::kAcknowledged, S::kInDialogue, S::kRemedyProposed, S::kReopened,
                 S::kEscalated}) {
    out.push_back({from, S::kWithdrawn, A::kComplainant, "withdraw", Needs::kNothing});
  }
  return out;
}

TEST(Lifecycle, EveryFromToActorIsAllowedExactlyAsDesigned) {
  const auto expected = expected_with_generated_rows();
  std::map<std::tuple<S, S, A>, const Allowed*> allowed;
  for (const auto& a : expected) allowed[{a.from, a.to, a.by}] = &a;
  int checked = 0, allowed_count = 0;
  for (S from : all_case_statuses()) {
    for (S to : all_case_statuses()) {
      for (A by : {A::kComplainant, A::kResponsibleCompany, A::kOperator}) {
        ++checked;
        const LifecycleRule* rule = find_rule(from, to, by);
        auto it = allowed.find({from, to, by});
        SCOPED_TRACE(std::string(to_string(from)) + " -> " + std::string(to_string(to)) + " by " +
                     std::string(to_string(by)));
        if (it == allowed.end()) {
          EXPECT_EQ(rule, nullptr) << "refused by design, allowed by the table: " << rule->name;
          continue;
        }
        ++allowed_count;
        ASSERT_NE(rule, nullptr) << "allowed by design, refused by the table";
        EXPECT_EQ(rule->name, it->second->rule);
        EXPECT_EQ(rule->needs, it->second->needs);
      }
    }
  }
  EXPECT_EQ(checked, 11 * 11 * 3);
  EXPECT_EQ(allowed_count, static_cast<int>(expected.size()));
  ::testing::Test::RecordProperty("lifecycle", std::to_string(allowed_count) + " of " +
                                                   std::to_string(checked) + " moves allowed");
}

TEST(Lifecycle, ClosuresRecordTheirOutcomes) {
  EXPECT_EQ(implied_outcome(S::kRejected), Outcome::kNotAdmissible);
  EXPECT_EQ(implied_outcome(S::kWithdrawn), Outcome::kWithdrawn);
  EXPECT_FALSE(implied_outcome(S::kClosed)) << "a closure names its outcome";
  const LifecycleRule* close = find_rule(S::kResolved, S::kClosed, A::kResponsibleCompany);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(std::set<Outcome>(close->outcomes.begin(), close->outcomes.end()),
            (std::set<Outcome>{Outcome::kRemedyAccepted, Outcome::kRemedyPartlyAccepted}));
  const LifecycleRule* without = find_rule(S::kInDialogue, S::kClosed, A::kResponsibleCompany);
  ASSERT_NE(without, nullptr);
  EXPECT_EQ(std::set<Outcome>(without->outcomes.begin(), without->outcomes.end()),
            (std::set<Outcome>{Outcome::kUnfounded, Outcome::kNoAnswerFromComplainant}));
  // CSDDD Art. 14(4)(c): an unfounded closure gives its reasoning; "no answer" does not need to.
  EXPECT_TRUE(needs_reasoning(*without, Outcome::kUnfounded));
  EXPECT_FALSE(needs_reasoning(*without, Outcome::kNoAnswerFromComplainant));
  const LifecycleRule* referred = find_rule(S::kEscalated, S::kClosed, A::kOperator);
  ASSERT_NE(referred, nullptr);
  EXPECT_EQ(referred->outcomes.size(), 1u);
  EXPECT_EQ(referred->outcomes[0], Outcome::kReferred);
  // Every status is either open, a closure, or one of resolved/escalated/appealed.
  for (S s : all_case_statuses()) {
    EXPECT_FALSE(is_open(s) && is_closure(s)) << to_string(s);
  }
  for (Outcome o : all_outcomes()) EXPECT_EQ(parse_outcome(to_string(o)), o);
  for (ExternalBody b : all_external_bodies()) EXPECT_EQ(parse_external_body(to_string(b)), b);
  EXPECT_FALSE(parse_outcome("accepted"));
}

}  // namespace
}  // namespace grievance::domain
