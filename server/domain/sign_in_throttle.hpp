// Online guessing of access codes and passwords is stopped here (docs/security.md "Limits and
// throttling"): failed attempts are counted per subject (a reference or an account) and per client,
// and either count over its limit locks further attempts for a while. Kept in memory only: client
// addresses are never stored. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/domain/types.hpp"

namespace grievance::domain {

struct ThrottleConfig {
  int max_failures_per_subject = 5;
  int max_failures_per_client = 20;
  std::chrono::seconds window{15 * 60};   // failures older than this are forgotten
  std::chrono::seconds lockout{15 * 60};  // how long a subject or client stays locked
};

class SignInThrottle {
 public:
  explicit SignInThrottle(ThrottleConfig config) : config_(config) {}
  // Seconds until attempts are allowed again for this subject or client; 0 when allowed.
  int retry_after(std::string_view subject, std::string_view client, TimePoint now);
  void record_failure(std::string_view subject, std::string_view client, TimePoint now);
  // A success clears the subject's count (not the client's).
  void record_success(std::string_view subject);

 private:
  struct Counter {
    int failures = 0;
    TimePoint window_start;
    TimePoint locked_until;
  };
  int retry_after_locked(const Counter* c, TimePoint now) const;
  void bump(Counter& c, int limit, TimePoint now);

  ThrottleConfig config_;
  std::mutex mu_;
  std::unordered_map<std::string, Counter> subjects_;  // GUARDED_BY(mu_)
  std::unordered_map<std::string, Counter> clients_;   // GUARDED_BY(mu_)
};

}  // namespace grievance::domain
