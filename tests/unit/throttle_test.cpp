#include <gtest/gtest.h>

#include "server/domain/sign_in_throttle.hpp"

namespace grievance::domain {
namespace {

using namespace std::chrono_literals;

TEST(SignInThrottle, LocksAfterTheLimitAndUnlocksAfterTheLockout) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 3;
  cfg.max_failures_per_client = 100;
  SignInThrottle t(cfg);
  TimePoint now{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  EXPECT_EQ(t.retry_after("s", "c", now), 0);
  t.record_failure("s", "c", now);
  t.record_failure("s", "c", now);
  EXPECT_EQ(t.retry_after("s", "c", now), 0);
  t.record_failure("s", "c", now);
  EXPECT_EQ(t.retry_after("s", "c", now), 900);
  EXPECT_EQ(t.retry_after("s", "other-client", now), 900) << "the subject is locked for everyone";
  EXPECT_EQ(t.retry_after("other-subject", "c", now), 0);
  EXPECT_EQ(t.retry_after("s", "c", now + 900s), 0);
}

TEST(SignInThrottle, FailuresOutsideTheWindowAreForgotten) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 3;
  SignInThrottle t(cfg);
  TimePoint now{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  t.record_failure("s", "c", now);
  t.record_failure("s", "c", now + 1s);
  t.record_failure("s", "c", now + 16min);  // the first two are stale by now
  EXPECT_EQ(t.retry_after("s", "c", now + 16min), 0);
}

TEST(SignInThrottle, SuccessClearsTheSubject) {
  ThrottleConfig cfg;
  cfg.max_failures_per_subject = 2;
  SignInThrottle t(cfg);
  TimePoint now{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  t.record_failure("s", "c", now);
  t.record_success("s");
  t.record_failure("s", "c", now);
  EXPECT_EQ(t.retry_after("s", "c", now), 0);
}

TEST(SignInThrottle, ClientLimitSpansSubjects) {
  ThrottleConfig cfg;
  cfg.max_failures_per_client = 4;
  SignInThrottle t(cfg);
  TimePoint now{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  for (int i = 0; i < 4; ++i) t.record_failure("s" + std::to_string(i), "c", now);
  EXPECT_GT(t.retry_after("fresh", "c", now), 0);
  EXPECT_EQ(t.retry_after("fresh", "d", now), 0);
}

}  // namespace
}  // namespace grievance::domain
