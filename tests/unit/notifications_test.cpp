// The notifications' rules (docs/domain.md "Notifications"): the table of which event types
// notify whom, the recipients as the AccessPolicy allows, the payload's fields and nothing else,
// and the back-off with full jitter.
#include "server/domain/notifications.hpp"

#include <gtest/gtest.h>

#include "server/domain/webhook_admin.hpp"

namespace grievance::domain {
namespace {

constexpr std::int64_t kResponsible = 11, kBuyer = 12, kUnion = 21;

Case routed_case() {
  Case c;
  c.id = 5;
  c.reference = "GRV-7KQ2-M9XD";
  c.status = CaseStatus::kInDialogue;
  c.parties = {{kResponsible, PartyRole::kResponsible}, {kBuyer, PartyRole::kBuyer}};
  c.complaint.union_org_id = kUnion;
  c.complaint.narrative = "NARRATIVE-SECRET";
  return c;
}

CaseEvent event(EventType type, Visibility v = Visibility::kParties) {
  CaseEvent e;
  e.type = type;
  e.visibility = v;
  e.actor_role = Role::kComplainant;
  e.body = "MESSAGE-SECRET";
  return e;
}

TEST(NotificationRules, EveryEventTypeHasADecision) {
  // The table is a switch over every type: a new type must be decided (the compiler warns).
  EXPECT_TRUE(notify_rule(EventType::kRouted).parties);
  EXPECT_TRUE(notify_rule(EventType::kMessage).parties);
  EXPECT_TRUE(notify_rule(EventType::kStatusChanged).parties);
  EXPECT_TRUE(notify_rule(EventType::kDeadlineReminder).parties);
  EXPECT_TRUE(notify_rule(EventType::kDeadlineBreached).parties);
  EXPECT_TRUE(notify_rule(EventType::kRetaliationReported).operator_);
  EXPECT_TRUE(notify_rule(EventType::kFollowUpAnswered).operator_);
  EXPECT_FALSE(notify_rule(EventType::kTranslation).parties);
  EXPECT_FALSE(notify_rule(EventType::kAccessCodeReissued).parties);
  EXPECT_FALSE(notify_rule(EventType::kAccessCodeReissued).operator_);
}

TEST(NotificationRules, APartiesMessageGoesToEveryCompanyAndTheUnionButNotTheOperator) {
  const auto got = notification_recipients(routed_case(), event(EventType::kMessage));
  EXPECT_EQ(got, (std::vector<std::int64_t>{kResponsible, kBuyer, kUnion}));
}

TEST(NotificationRules, TheAuthorsOwnOrganisationIsNotTold) {
  auto e = event(EventType::kMessage);
  e.actor_role = Role::kCompany;
  e.actor_org_id = kResponsible;
  EXPECT_EQ(notification_recipients(routed_case(), e), (std::vector<std::int64_t>{kBuyer, kUnion}));
}

TEST(NotificationRules, ARetaliationReportNeverReachesACompany) {
  const auto got = notification_recipients(
      routed_case(), event(EventType::kRetaliationReported, Visibility::kMechanism));
  EXPECT_EQ(got, (std::vector<std::int64_t>{kOperatorOrgId, kUnion}));
}

TEST(NotificationRules, AMechanismMessageGoesToTheUnionAndTheOperatorOnly) {
  const auto got =
      notification_recipients(routed_case(), event(EventType::kMessage, Visibility::kMechanism));
  EXPECT_EQ(got, (std::vector<std::int64_t>{kOperatorOrgId, kUnion}));
}

TEST(NotificationRules, AnInternalNoteTellsNobodyElse) {
  auto e = event(EventType::kMessage, Visibility::kOrganisation);
  e.actor_role = Role::kCompany;
  e.actor_org_id = kResponsible;
  EXPECT_TRUE(notification_recipients(routed_case(), e).empty());
}

TEST(NotificationRules, ATriageCaseTellsTheOperatorAndARoutedFilingItsCompanies) {
  Case triage = routed_case();
  triage.parties.clear();
  triage.complaint.union_org_id.reset();
  EXPECT_EQ(notification_recipients(triage, event(EventType::kFiled)),
            (std::vector<std::int64_t>{kOperatorOrgId}));
  EXPECT_EQ(notification_recipients(routed_case(), event(EventType::kFiled)),
            (std::vector<std::int64_t>{kResponsible, kBuyer, kUnion}));
}

TEST(NotificationRules, ACaseAssignedFromTriageTellsTheCompanyItReached) {
  // Found by the API contract test: a routed event carries the company it reached as its
  // actor_org_id, and "the author's organisation is not told" left that company untold.
  auto assigned = event(EventType::kRouted);
  assigned.actor_role = Role::kAdmin;
  assigned.actor_org_id = kBuyer;
  EXPECT_EQ(notification_recipients(routed_case(), assigned), (std::vector<std::int64_t>{kBuyer}));
  // At filing the `filed` event tells every company once; its routed events add nothing.
  auto at_filing = assigned;
  at_filing.actor_role = Role::kSystem;
  EXPECT_TRUE(notification_recipients(routed_case(), at_filing).empty());
}

TEST(NotificationRules, AnAppealTellsTheOperatorToo) {
  auto e = event(EventType::kStatusChanged);
  e.to_status = CaseStatus::kAppealed;
  const auto got = notification_recipients(routed_case(), e);
  EXPECT_EQ(got, (std::vector<std::int64_t>{kOperatorOrgId, kResponsible, kBuyer, kUnion}));
}

TEST(NotificationRules, AFollowUpAnswerTellsTheOperatorAndTheParties) {
  const auto got = notification_recipients(routed_case(), event(EventType::kFollowUpAnswered));
  EXPECT_EQ(got, (std::vector<std::int64_t>{kOperatorOrgId, kResponsible, kBuyer, kUnion}));
}

TEST(NotificationPayload, CarriesTheSixFieldsAndNoText) {
  Notification n{42,
                 kResponsible,
                 "GRV-7KQ2-M9XD",
                 EventType::kMessage,
                 CaseStatus::kInDialogue,
                 TimePoint(std::chrono::seconds(1'800'000'000))};
  const std::string body = notification_payload(n, "https://grievance.example.org");
  EXPECT_EQ(body,
            "{\"id\":42,\"type\":\"message\",\"reference\":\"GRV-7KQ2-M9XD\",\"status\":\"in_"
            "dialogue\",\"occurred_at\":\"2027-01-15T08:00:00Z\",\"link\":\"https://"
            "grievance.example.org/staff/cases/GRV-7KQ2-M9XD\"}");
}

TEST(NotificationPayload, AReferenceCannotInjectJson) {
  Notification n{1, 1, "GRV-1\",\"x\":\"y", EventType::kRouted, CaseStatus::kReceived, {}};
  const std::string body = notification_payload(n, "https://h");
  EXPECT_EQ(body.find("\"x\""), std::string::npos);
}

TEST(RetryDelay, GrowsExponentiallyUpToTheCapWithFullJitter) {
  using std::chrono::seconds;
  const seconds base{30}, cap{6 * 3600};
  EXPECT_EQ(retry_delay(1, base, cap, 0.999999), seconds(29));
  EXPECT_EQ(retry_delay(2, base, cap, 0.999999), seconds(59));
  EXPECT_EQ(retry_delay(3, base, cap, 0.5), seconds(60));
  EXPECT_EQ(retry_delay(1, base, cap, 0.0), seconds(0));            // full jitter: may be at once
  EXPECT_EQ(retry_delay(20, base, cap, 0.999999), seconds(21599));  // capped at 6 h
  EXPECT_EQ(retry_delay(200, base, cap, 0.5), seconds(10800));      // no overflow
}

TEST(WebhookUrl, OnlyHttpsWithoutUserInformationOrPrivateAddresses) {
  EXPECT_TRUE(check_webhook_url("https://hooks.example.org/grievance", false));
  EXPECT_TRUE(check_webhook_url("https://hooks.example.org:8443/a?b=c", false));
  EXPECT_FALSE(check_webhook_url("http://hooks.example.org/", false));
  EXPECT_FALSE(check_webhook_url("https://user:pw@hooks.example.org/", false));
  EXPECT_FALSE(check_webhook_url("https://hooks.example.org@evil.example/", false));
  EXPECT_FALSE(check_webhook_url("https://127.0.0.1:9/", false));
  EXPECT_FALSE(check_webhook_url("https://localhost/", false));
  EXPECT_FALSE(check_webhook_url("https://10.1.2.3/", false));
  EXPECT_FALSE(check_webhook_url("https://172.20.0.1/", false));
  EXPECT_FALSE(check_webhook_url("https://192.168.1.1/", false));
  EXPECT_FALSE(check_webhook_url("https://169.254.169.254/latest/meta-data", false));
  EXPECT_FALSE(check_webhook_url("https://[::1]/", false));
  EXPECT_FALSE(check_webhook_url("https://hooks.example.org/a b", false));
  EXPECT_FALSE(check_webhook_url("https://", false));
  EXPECT_TRUE(check_webhook_url("https://127.0.0.1:9/", true));  // tests only
}

}  // namespace
}  // namespace grievance::domain
