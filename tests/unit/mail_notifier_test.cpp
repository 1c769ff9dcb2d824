// Notification e-mail in the domain (docs/domain.md "Notification e-mail"): who is mailed at
// each notification, who gets a digest, and that a digest leaves at most once a day with
// every notification since the previous one.
#include <gtest/gtest.h>

#include "server/domain/mail_service.hpp"
#include "support/fake_mail.hpp"

namespace grievance::domain {
namespace {

using namespace std::chrono_literals;
using testing::FakeMailStore;
using testing::ListingComposer;
using testing::RecordingTransport;

const TimePoint kT0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} + 8h;

Notification notice(std::int64_t id, std::int64_t org, std::string ref, TimePoint at = kT0) {
  return {.id = id,
          .org_id = org,
          .reference = std::move(ref),
          .event = EventType::kMessage,
          .status = CaseStatus::kReceived,
          .at = at};
}

Session staff(std::int64_t user, Role role = Role::kCompany) {
  Session s;
  s.user_id = user;
  s.role = role;
  return s;
}

class MailNotifierTest : public ::testing::Test {
 protected:
  MailNotifierTest() {
    store.add_user(1, {"each@a.example", 10});
    store.add_user(2, {"digest@a.example", 10});
    store.add_user(3, {"off@a.example", 10});
    store.add_user(4, {"other@b.example", 20});
    store.add_user(5, {"gone@a.example", 10, true});
    EXPECT_TRUE(settings.set(staff(1), {MailMode::kEach, Language::kNl}));
    EXPECT_TRUE(settings.set(staff(2), {MailMode::kDigest, Language::kFr}));
    EXPECT_TRUE(settings.set(staff(4), {MailMode::kEach, std::nullopt}));
    EXPECT_TRUE(settings.set(staff(5), {MailMode::kEach, std::nullopt}));
  }
  FakeMailStore store;
  ListingComposer composer;
  RecordingTransport transport;
  MailSettings settings{store};
  MailNotifier notifier{store, composer, transport};
};

TEST_F(MailNotifierTest, OffIsTheDefaultAndOnlyStaffChoose) {
  auto p = settings.get(staff(3));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->mode, MailMode::kOff);
  EXPECT_FALSE(p->language);
  Session complainant;
  complainant.role = Role::kComplainant;
  complainant.case_id = 7;
  EXPECT_EQ(settings.get(complainant).error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(settings.set(complainant, {MailMode::kEach, {}}).error().code,
            ErrorCode::kUnauthorized);
}

TEST_F(MailNotifierTest, EachEventSubscribersOfTheOrganisationOnly) {
  ASSERT_TRUE(notifier.notify(notice(1, 10, "GRV-A")));
  // Not the digest reader, not the one who stayed off, not another organisation, not a
  // disabled account.
  EXPECT_EQ(transport.sent, (std::vector<std::string>{"each@a.example|GRV-A"}));
}

TEST_F(MailNotifierTest, DigestGroupsEverythingSinceTheLastOnceADay) {
  ASSERT_TRUE(notifier.notify(notice(1, 10, "GRV-A")));
  ASSERT_TRUE(notifier.notify(notice(2, 10, "GRV-B")));
  ASSERT_TRUE(notifier.notify(notice(2, 10, "GRV-B")));  // the dispatcher retried: kept once
  transport.sent.clear();
  ASSERT_TRUE(notifier.send_digests(kT0 + 1h));
  EXPECT_EQ(transport.sent, (std::vector<std::string>{"digest@a.example|digest:GRV-A,GRV-B,"}));
  // Nothing waits: nothing leaves; a new one waits a day after the last digest.
  ASSERT_TRUE(notifier.send_digests(kT0 + 2h));
  ASSERT_TRUE(notifier.notify(notice(3, 10, "GRV-C")));
  transport.sent.clear();
  ASSERT_TRUE(notifier.send_digests(kT0 + 20h));
  EXPECT_TRUE(transport.sent.empty());
  ASSERT_TRUE(notifier.send_digests(kT0 + 25h));
  EXPECT_EQ(transport.sent, (std::vector<std::string>{"digest@a.example|digest:GRV-C,"}));
}

TEST_F(MailNotifierTest, AFailedDigestIsKeptForTheNextTry) {
  ASSERT_TRUE(notifier.notify(notice(1, 10, "GRV-A")));
  transport.fail = true;
  EXPECT_FALSE(notifier.send_digests(kT0 + 1h));
  transport.fail = false;
  ASSERT_TRUE(notifier.send_digests(kT0 + 2h));
  EXPECT_EQ(transport.sent.back(), "digest@a.example|digest:GRV-A,");
}

TEST_F(MailNotifierTest, TurningTheDigestOffDropsWhatWaits) {
  ASSERT_TRUE(notifier.notify(notice(1, 10, "GRV-A")));
  ASSERT_TRUE(settings.set(staff(2), {MailMode::kOff, Language::kFr}));
  transport.sent.clear();
  ASSERT_TRUE(notifier.send_digests(kT0 + 1h));
  EXPECT_TRUE(transport.sent.empty());
}

}  // namespace
}  // namespace grievance::domain
