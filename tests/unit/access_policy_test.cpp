// The one access policy (issue 3 item 4), checked as a table: every role against every
// relation a case can have to it.
#include "server/domain/access_policy.hpp"

#include <gtest/gtest.h>

#include "server/domain/deadlines.hpp"

namespace grievance::domain {
namespace {

constexpr std::int64_t kCompanyA = 1, kCompanyB = 2, kCompanyC = 3, kUnion1 = 10, kUnion2 = 11,
                       kAuditor = 20;

Session session(Role role, std::optional<std::int64_t> org = std::nullopt,
                std::optional<std::int64_t> case_id = std::nullopt) {
  Session s;
  s.role = role;
  s.org_id = org;
  s.case_id = case_id;
  return s;
}

// A case at company A's site, B buying from A; variations set below.
Case routed_case(std::int64_t id) {
  Case c;
  c.id = id;
  c.parties = {{kCompanyA, PartyRole::kResponsible}, {kCompanyB, PartyRole::kBuyer}};
  c.complaint.anonymous = true;
  c.complaint.contact = Contact{"MARKER", "+62 811", "w@example.org"};
  return c;
}

TEST(AccessPolicyTest, CaseAccessTable) {
  Case web = routed_case(1);
  Case by_union = routed_case(2);
  by_union.complaint.union_org_id = kUnion1;
  by_union.complaint.mandate = Mandate{/*follow=*/true, false, false, 0};
  Case by_union_no_follow = routed_case(3);
  by_union_no_follow.complaint.union_org_id = kUnion1;
  by_union_no_follow.complaint.mandate = Mandate{/*follow=*/false, false, false, 0};
  Case triage;
  triage.id = 4;

  struct Row {
    const char* who;
    Session s;
    CaseAccess web, by_union, no_follow, triage;
  };
  using A = CaseAccess;
  const Row rows[] = {
      {"complainant of case 1", session(Role::kComplainant, std::nullopt, 1), A::kMessage, A::kNone,
       A::kNone, A::kNone},
      {"complainant of case 4", session(Role::kComplainant, std::nullopt, 4), A::kNone, A::kNone,
       A::kNone, A::kMessage},
      {"admin", session(Role::kAdmin), A::kAct, A::kAct, A::kAct, A::kAct},
      {"company A (responsible)", session(Role::kCompany, kCompanyA), A::kAct, A::kAct, A::kAct,
       A::kNone},
      {"company B (buyer)", session(Role::kCompany, kCompanyB), A::kMessage, A::kMessage,
       A::kMessage, A::kNone},
      {"company C (unrelated)", session(Role::kCompany, kCompanyC), A::kNone, A::kNone, A::kNone,
       A::kNone},
      {"company without org", session(Role::kCompany), A::kNone, A::kNone, A::kNone, A::kNone},
      {"union 1 (filed)", session(Role::kUnion, kUnion1), A::kNone, A::kMessage, A::kRead,
       A::kNone},
      {"union 2", session(Role::kUnion, kUnion2), A::kNone, A::kNone, A::kNone, A::kNone},
      {"auditor", session(Role::kAuditor, kAuditor), A::kNone, A::kNone, A::kNone, A::kNone},
      {"system", session(Role::kSystem), A::kNone, A::kNone, A::kNone, A::kNone},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(case_access(r.s, web), r.web) << r.who;
    EXPECT_EQ(case_access(r.s, by_union), r.by_union) << r.who;
    EXPECT_EQ(case_access(r.s, by_union_no_follow), r.no_follow) << r.who;
    EXPECT_EQ(case_access(r.s, triage), r.triage) << r.who;
  }
}

TEST(AccessPolicyTest, IdentityReachesACompanyOnlyWithConsent) {
  // The three levels (SPEC section 5): the level, not the filing's flags, decides.
  Case anonymous = routed_case(1);
  anonymous.identity = IdentityLevel::kAnonymous;
  Case confidential = routed_case(2);
  confidential.identity = IdentityLevel::kConfidential;
  Case named = routed_case(3);
  named.complaint.anonymous = false;
  named.identity = IdentityLevel::kShared;
  Case withdrawn = named;  // consent withdrawn for the future
  withdrawn.id = 4;
  withdrawn.identity = IdentityLevel::kConfidential;

  const auto a = session(Role::kCompany, kCompanyA);
  const auto b = session(Role::kCompany, kCompanyB);
  const auto c = session(Role::kCompany, kCompanyC);
  EXPECT_FALSE(may_see_identity(a, anonymous));
  EXPECT_FALSE(may_see_identity(b, anonymous));
  EXPECT_FALSE(may_see_identity(a, confidential));
  EXPECT_FALSE(may_see_identity(b, confidential));
  EXPECT_TRUE(may_see_identity(a, named));
  EXPECT_TRUE(may_see_identity(b, named));
  EXPECT_FALSE(may_see_identity(c, named));  // not routed to C
  EXPECT_FALSE(may_see_identity(a, withdrawn));
  Case union_named_consent = named;
  union_named_consent.id = 5;
  union_named_consent.complaint.union_org_id = kUnion1;
  union_named_consent.complaint.mandate = Mandate{true, true, false, 0};
  Case union_named_no_consent = union_named_consent;
  union_named_no_consent.id = 6;
  union_named_no_consent.complaint.mandate->share_identity_with_company = false;
  union_named_no_consent.identity = IdentityLevel::kConfidential;
  EXPECT_TRUE(may_see_identity(a, union_named_consent));
  EXPECT_FALSE(may_see_identity(a, union_named_no_consent));
  for (const Case* k : {&anonymous, &named, &union_named_consent}) {
    EXPECT_FALSE(may_see_identity(session(Role::kAuditor, kAuditor), *k));
    EXPECT_TRUE(may_see_identity(session(Role::kAdmin), *k));
    EXPECT_FALSE(may_see_identity(session(Role::kUnion, kUnion2), *k));
  }
  EXPECT_TRUE(may_see_identity(session(Role::kUnion, kUnion1), union_named_no_consent));
  EXPECT_TRUE(may_see_identity(session(Role::kComplainant, std::nullopt, 1), anonymous));
  EXPECT_FALSE(may_see_identity(session(Role::kComplainant, std::nullopt, 2), anonymous));
}

// The three visibilities (docs/domain.md "Who sees what"): an organisation's note stays with
// that organisation and the operator; a mechanism message never reaches a company.
TEST(AccessPolicyTest, NotesStayWithTheirOrganisationAndMechanismMessagesWithTheMechanism) {
  Case c = routed_case(1);
  c.complaint.union_org_id = kUnion1;
  c.complaint.mandate = Mandate{true, false, false, 0};
  CaseEvent note;  // the responsible company's internal note
  note.visibility = Visibility::kOrganisation;
  note.actor_role = Role::kCompany;
  note.actor_org_id = kCompanyA;
  CaseEvent message;
  message.visibility = Visibility::kParties;
  CaseEvent to_mechanism;  // "I'm afraid the foreman knows"
  to_mechanism.visibility = Visibility::kMechanism;
  to_mechanism.actor_role = Role::kComplainant;
  const auto complainant = session(Role::kComplainant, std::nullopt, 1);
  const auto union1 = session(Role::kUnion, kUnion1);
  const auto a = session(Role::kCompany, kCompanyA);
  const auto b = session(Role::kCompany, kCompanyB);
  const auto admin = session(Role::kAdmin);
  EXPECT_FALSE(may_see_event(complainant, c, note));
  EXPECT_FALSE(may_see_event(union1, c, note));
  EXPECT_TRUE(may_see_event(a, c, note));
  EXPECT_FALSE(may_see_event(b, c, note)) << "a buyer never reads the responsible's notes";
  EXPECT_TRUE(may_see_event(admin, c, note));
  EXPECT_TRUE(may_see_event(complainant, c, to_mechanism));
  EXPECT_TRUE(may_see_event(union1, c, to_mechanism));
  EXPECT_TRUE(may_see_event(admin, c, to_mechanism));
  EXPECT_FALSE(may_see_event(a, c, to_mechanism));
  EXPECT_FALSE(may_see_event(b, c, to_mechanism));
  EXPECT_FALSE(may_see_event(session(Role::kCompany, kCompanyC), c, message));
  EXPECT_TRUE(may_see_event(complainant, c, message));
  EXPECT_TRUE(may_post_message(union1, c, Visibility::kParties));
  EXPECT_FALSE(may_post_message(union1, c, Visibility::kOrganisation));
  EXPECT_FALSE(may_post_message(complainant, c, Visibility::kOrganisation));
  EXPECT_TRUE(may_post_message(complainant, c, Visibility::kMechanism));
  EXPECT_TRUE(may_post_message(b, c, Visibility::kOrganisation));
  EXPECT_FALSE(may_post_message(a, c, Visibility::kMechanism));
  EXPECT_FALSE(may_post_message(session(Role::kAuditor, kAuditor), c, Visibility::kParties));
}

// Which organisations a viewer may see named in a case (events' actor organisations), on a
// need to know: every viewer against every organisation of a union-filed case.
TEST(AccessPolicyTest, OrganisationsAreNamedOnANeedToKnow) {
  Case c = routed_case(2);
  c.parties.push_back({kCompanyC, PartyRole::kBuyer});  // a second buyer
  c.complaint.union_org_id = kUnion1;
  c.complaint.mandate = Mandate{true, false, false, 0};
  struct Row {
    const char* who;
    Session s;
    bool a, b, c, union1;  // may see: the responsible A, buyers B and C, the filing union
  };
  const Row rows[] = {
      {"admin", session(Role::kAdmin), true, true, true, true},
      {"company A (responsible)", session(Role::kCompany, kCompanyA), true, false, false, false},
      {"company B (buyer)", session(Role::kCompany, kCompanyB), true, true, false, false},
      {"company C (buyer)", session(Role::kCompany, kCompanyC), true, false, true, false},
      {"union 1 (filed it)", session(Role::kUnion, kUnion1), true, true, true, true},
      {"union 2", session(Role::kUnion, kUnion2), false, false, false, false},
      {"complainant", session(Role::kComplainant, std::nullopt, 2), false, false, false, false},
      {"auditor", session(Role::kAuditor, kAuditor), false, false, false, false},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.who);
    EXPECT_EQ(may_see_organisation(r.s, c, kCompanyA), r.a);
    EXPECT_EQ(may_see_organisation(r.s, c, kCompanyB), r.b);
    EXPECT_EQ(may_see_organisation(r.s, c, kCompanyC), r.c);
    EXPECT_EQ(may_see_organisation(r.s, c, kUnion1), r.union1);
  }
}

TEST(AccessPolicyTest, RouteLevelRights) {
  for (Role r : {Role::kComplainant, Role::kUnion, Role::kCompany, Role::kAuditor, Role::kAdmin,
                 Role::kSystem}) {
    EXPECT_EQ(may_list_cases(r), r == Role::kUnion || r == Role::kCompany || r == Role::kAdmin);
    EXPECT_EQ(may_file_batch(r), r == Role::kUnion);
    EXPECT_EQ(may_administer(r), r == Role::kAdmin);
  }
}

TEST(AccessPolicyTest, OverdueFollowsTheDeadlines) {
  Case c;
  const TimePoint t0{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  c.created_at = t0;
  c.deadlines = {t0 + std::chrono::days{7}, t0 + std::chrono::days{30}, t0 + std::chrono::days{90}};
  c.status = CaseStatus::kReceived;
  EXPECT_FALSE(is_overdue(c, t0 + std::chrono::days{7}));
  EXPECT_TRUE(is_overdue(c, t0 + std::chrono::days{8}));
  c.status = CaseStatus::kAcknowledged;
  EXPECT_FALSE(is_overdue(c, t0 + std::chrono::days{8}));
  EXPECT_TRUE(is_overdue(c, t0 + std::chrono::days{31}));
  c.status = CaseStatus::kInDialogue;
  EXPECT_FALSE(is_overdue(c, t0 + std::chrono::days{31}));
  EXPECT_TRUE(is_overdue(c, t0 + std::chrono::days{91}));
  for (auto s : {CaseStatus::kResolved, CaseStatus::kClosed, CaseStatus::kRejected,
                 CaseStatus::kWithdrawn, CaseStatus::kEscalated}) {
    c.status = s;
    EXPECT_FALSE(is_overdue(c, t0 + std::chrono::days{400}));
  }
}

}  // namespace
}  // namespace grievance::domain
