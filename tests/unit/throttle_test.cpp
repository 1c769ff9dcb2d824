#include <gtest/gtest.h>

#include "server/domain/sign_in_throttle.hpp"

namespace grievance::domain {
namespace {

using namespace std::chrono_literals;

const TimePoint kThrottleNow{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};

SignInThrottle::Attempt staff(std::string subject, std::string client) {
  return {std::move(subject), std::move(client), SignInKind::kStaff};
}
SignInThrottle::Attempt complainant(std::string subject, std::string client) {
  return {std::move(subject), std::move(client), SignInKind::kComplainant};
}

// Reserves and fails one attempt; the reservation's retry_after (0 when it was evaluated).
int fail_once(SignInThrottle& t, const SignInThrottle::Attempt& a, TimePoint now) {
  auto r = t.reserve(a, now);
  if (r.retry_after() > 0) return r.retry_after();
  r.failed(now);
  return 0;
}

TEST(SignInThrottle, LocksAfterTheLimitAndUnlocksAfterTheLockout) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 3;
  cfg.max_failures_per_client = 100;
  SignInThrottle t(cfg);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(fail_once(t, staff("s", "c"), kThrottleNow), 0);
  EXPECT_EQ(t.reserve(staff("s", "c"), kThrottleNow).retry_after(), 900);
  EXPECT_EQ(t.reserve(staff("s", "other-client"), kThrottleNow).retry_after(), 900)
      << "the subject is locked for everyone";
  EXPECT_EQ(t.reserve(staff("other-subject", "c"), kThrottleNow).retry_after(), 0);
  EXPECT_EQ(t.reserve(staff("s", "c"), kThrottleNow + 900s).retry_after(), 0);
}

TEST(SignInThrottle, FailuresOutsideTheWindowAreForgotten) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 3;
  SignInThrottle t(cfg);
  fail_once(t, staff("s", "c"), kThrottleNow);
  fail_once(t, staff("s", "c"), kThrottleNow + 1s);
  fail_once(t, staff("s", "c"), kThrottleNow + 16min);  // the first two are stale by now
  EXPECT_EQ(t.reserve(staff("s", "c"), kThrottleNow + 16min).retry_after(), 0);
}

TEST(SignInThrottle, SuccessClearsTheSubject) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 2;
  SignInThrottle t(cfg);
  fail_once(t, staff("s", "c"), kThrottleNow);
  t.reserve(staff("s", "c"), kThrottleNow).succeeded();
  fail_once(t, staff("s", "c"), kThrottleNow);
  EXPECT_EQ(t.reserve(staff("s", "c"), kThrottleNow).retry_after(), 0);
}

TEST(SignInThrottle, ClientLimitSpansSubjects) {
  ThrottleConfig cfg;
  cfg.max_failures_per_client = 4;
  SignInThrottle t(cfg);
  for (int i = 0; i < 4; ++i) fail_once(t, complainant("s" + std::to_string(i), "c"), kThrottleNow);
  EXPECT_GT(t.reserve(complainant("fresh", "c"), kThrottleNow).retry_after(), 0);
  EXPECT_EQ(t.reserve(complainant("fresh", "d"), kThrottleNow).retry_after(), 0);
}

// Issue 8: attempts are counted when they start, so attempts in flight count against the limit.
TEST(SignInThrottle, AttemptsInFlightCountAgainstTheLimits) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 3;
  cfg.max_failures_per_client = 5;
  SignInThrottle t(cfg);
  auto a = t.reserve(staff("s", "c1"), kThrottleNow);
  auto b = t.reserve(staff("s", "c2"), kThrottleNow);
  auto c = t.reserve(staff("s", "c3"), kThrottleNow);
  ASSERT_EQ(a.retry_after() + b.retry_after() + c.retry_after(), 0);
  auto d = t.reserve(staff("s", "c4"), kThrottleNow);
  EXPECT_GT(d.retry_after(), 0) << "three in flight for a limit of three";
  // One is given back (not evaluated): a place frees up, uncounted.
  { auto dropped = std::move(c); }
  auto e = t.reserve(staff("s", "c5"), kThrottleNow);
  EXPECT_EQ(e.retry_after(), 0);
  // A success gives its place back and clears the subject.
  a.succeeded();
  b.failed(kThrottleNow);
  e.failed(kThrottleNow);
  EXPECT_EQ(t.reserve(staff("s", "c6"), kThrottleNow).retry_after(), 0);

  // The client's limit counts its attempts in flight across subjects.
  std::vector<SignInThrottle::Reservation> held;
  for (int i = 0; i < 5; ++i) {
    held.push_back(t.reserve(complainant("r" + std::to_string(i), "one"), kThrottleNow));
    ASSERT_EQ(held.back().retry_after(), 0) << i;
  }
  EXPECT_GT(t.reserve(complainant("r9", "one"), kThrottleNow).retry_after(), 0);
  held.clear();  // none was evaluated: all given back
  EXPECT_EQ(t.reserve(complainant("r9", "one"), kThrottleNow).retry_after(), 0);
}

// Issue 8: a reference's limit applies to wrong codes only; a wrong code for a locked
// reference costs its client locked_subject_cost failures.
TEST(SignInThrottle, AComplainantsReferenceIsCheckedOnlyWhenTheCodeIsWrong) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 2;
  cfg.max_failures_per_client = 10;
  cfg.locked_subject_cost = 5;
  SignInThrottle t(cfg);
  EXPECT_EQ(fail_once(t, complainant("ref", "a"), kThrottleNow), 0);
  EXPECT_EQ(fail_once(t, complainant("ref", "b"), kThrottleNow), 0);  // locks the reference
  // The reference does not refuse an attempt before its code is checked...
  auto right = t.reserve(complainant("ref", "c"), kThrottleNow);
  ASSERT_EQ(right.retry_after(), 0);
  right.succeeded();  // ...and the right code clears it.
  EXPECT_EQ(fail_once(t, complainant("ref", "d"), kThrottleNow), 0);
  EXPECT_EQ(fail_once(t, complainant("ref", "d"), kThrottleNow), 0);  // locked again

  auto wrong = t.reserve(complainant("ref", "guesser"), kThrottleNow);
  ASSERT_EQ(wrong.retry_after(), 0);
  EXPECT_EQ(wrong.failed(kThrottleNow), 900) << "a wrong code for a locked reference: wait";
  auto again = t.reserve(complainant("ref", "guesser"), kThrottleNow);
  ASSERT_EQ(again.retry_after(), 0);
  EXPECT_EQ(again.failed(kThrottleNow), 900);
  // 2 x 5 = 10: the guesser's client is locked for every reference.
  EXPECT_EQ(t.reserve(complainant("other", "guesser"), kThrottleNow).retry_after(), 900);
}

TEST(SignInThrottle, AFloodOfStaffFailuresLimitsClientsThatHaveFailed) {
  ThrottleConfig cfg;
  cfg.max_staff_failures_overall = 4;
  cfg.max_failures_per_client_in_flood = 1;
  SignInThrottle t(cfg);
  for (int i = 0; i < 3; ++i) fail_once(t, staff("u" + std::to_string(i), "c"), kThrottleNow);
  EXPECT_FALSE(t.flooded(kThrottleNow));
  EXPECT_EQ(fail_once(t, staff("u3", "d"), kThrottleNow), 0);
  EXPECT_TRUE(t.flooded(kThrottleNow));
  EXPECT_EQ(t.reserve(staff("u4", "c"), kThrottleNow + 10s).retry_after(), 890)
      << "until the flood ends";
  EXPECT_GT(t.reserve(staff("u4", "d"), kThrottleNow + 10s).retry_after(), 0);
  EXPECT_EQ(t.reserve(staff("u4", "e"), kThrottleNow + 10s).retry_after(), 0) << "no failure yet";
  // Complainants' sign-ins cost no password hash and are not part of the flood.
  EXPECT_EQ(t.reserve(complainant("ref", "c"), kThrottleNow + 10s).retry_after(), 0);
  EXPECT_FALSE(t.flooded(kThrottleNow + 901s));
  EXPECT_EQ(t.reserve(staff("u4", "c"), kThrottleNow + 901s).retry_after(), 0);
}

}  // namespace
}  // namespace grievance::domain
