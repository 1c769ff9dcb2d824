// Online guessing of access codes and passwords is stopped here (docs/security.md "Limits and
// throttling"). Attempts are counted per subject (a reference or an account) and per client, and
// staff sign-ins also overall; a count over its limit locks further attempts for a while. Kept
// in memory only: client addresses are never stored. Thread-safe.
//
// An attempt is counted when it starts, before it is evaluated (issue 8: 30 parallel wrong
// passwords were all checked against a limit of 5, because each looked at the count before
// any had failed). reserve() takes a place under one lock; the attempt then ends as a failure
// (it stays counted), a success (given back) or not evaluated at all (given back).
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
  // A wrong access code for a reference that is already locked costs its client this many
  // failures: guessing against a reference under attack uses a client up sooner, while the
  // right code still signs in (docs/security.md "Access codes").
  int locked_subject_cost = 5;
  // A flood of failing staff sign-ins (each costs a password hash): this many failures across
  // all accounts and clients within the window start a flood, which lasts `lockout` after the
  // last time the count was reached. During a flood a client may fail only
  // `max_failures_per_client_in_flood` times per window (docs/security.md "Limits and
  // throttling" explains why this counts every failure, not only unknown e-mails).
  int max_staff_failures_overall = 50;
  int max_failures_per_client_in_flood = 2;
};

enum class SignInKind {
  kComplainant,  // reference + access code: one HMAC, the right code always passes
  kStaff,        // e-mail + password: a password hash
};

class SignInThrottle {
 public:
  struct Attempt {
    std::string subject;  // "case:<reference>" or "user:<e-mail>"
    std::string client;   // IPv4 address or IPv6 /64 (server/net/server.hpp client_key)
    SignInKind kind = SignInKind::kComplainant;
  };

  // A reserved attempt. Ends with exactly one of failed() or succeeded(); destroyed without
  // either, it is given back uncounted (it was never evaluated: busy, a store error).
  class Reservation {
   public:
    Reservation(Reservation&& other) noexcept;
    Reservation& operator=(Reservation&&) = delete;
    Reservation(const Reservation&) = delete;
    ~Reservation();

    // Seconds to wait when the attempt was refused (nothing is held then); 0 when reserved.
    int retry_after() const { return retry_after_; }
    // The attempt was wrong and stays counted. For a complainant the reference is counted
    // now: answers the seconds to wait when the reference is locked (the answer is then "too
    // many attempts", and the client paid locked_subject_cost), else 0.
    // REQUIRES: retry_after() == 0, not settled.
    int failed(TimePoint now);
    // The attempt was right: the client's place is given back and the subject's count cleared.
    // REQUIRES: retry_after() == 0, not settled.
    void succeeded();

   private:
    friend class SignInThrottle;
    Reservation(SignInThrottle* throttle, Attempt attempt, int retry_after)
        : throttle_(throttle), attempt_(std::move(attempt)), retry_after_(retry_after) {}
    SignInThrottle* throttle_;  // null once settled or when refused
    Attempt attempt_;
    int retry_after_;
  };

  explicit SignInThrottle(ThrottleConfig config) : config_(config) {}

  // Counts the attempt before it is evaluated. Refused (retry_after() > 0) when the client is
  // locked or its failures and attempts in flight reach its limit; for staff likewise the
  // account, and during a flood a client that has already failed. A complainant's reference is
  // not checked here: the right code passes even while the reference is locked.
  Reservation reserve(Attempt attempt, TimePoint now);

  // Forgets the subject's failures and lock (a reissued access code: the old code's guesses no
  // longer count against the new one). Attempts in flight stay counted.
  void clear_subject(const std::string& subject);

  // True while failing staff sign-ins count as a flood.
  bool flooded(TimePoint now);

 private:
  struct Counter {
    int failures = 0;  // within the window that began at window_start
    int pending = 0;   // reserved, not yet settled
    TimePoint window_start;
    TimePoint locked_until;
  };
  int settle_failure(const Attempt& a, TimePoint now);
  void settle_success(const Attempt& a);
  void give_back(const Attempt& a);
  void refresh(Counter& c, TimePoint now) const;
  void count(Counter& c, int cost, int limit, TimePoint now);
  void prune(std::unordered_map<std::string, Counter>& map, TimePoint now);
  static int seconds_until(TimePoint t, TimePoint now);

  const ThrottleConfig config_;
  std::mutex mu_;
  std::unordered_map<std::string, Counter> subjects_;  // GUARDED_BY(mu_)
  std::unordered_map<std::string, Counter> clients_;   // GUARDED_BY(mu_)
  Counter staff_overall_;                              // GUARDED_BY(mu_)
};

}  // namespace grievance::domain
