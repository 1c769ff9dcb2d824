// The clock's hand on the cases (docs/domain.md "Deadlines"): writes the reminders, breaches and
// follow-up checks the cases are owed (deadline_notices.hpp) and moves each case's pointer to
// its next notice, in one transaction per case. Idempotent: run it as often as you like, after
// a restart or a long stop it catches up without writing a notice twice (a change that came
// first - a transition writing the same notices - makes the case's write fail with kConflict and
// the next run finds nothing owed). The app runs it every minute on its own thread.
#pragma once

#include "server/domain/config.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"

namespace grievance::domain {

class DeadlineScheduler {
 public:
  DeadlineScheduler(CaseStore& cases, const Clock& clock, const ServiceConfig& config);

  struct Run {
    int cases = 0;    // cases whose notices were written
    int notices = 0;  // events written
    int skipped = 0;  // changed meanwhile: left for the next run
  };
  // Writes everything owed up to the clock's now.
  Result<Run> run_once();

 private:
  CaseStore& cases_;
  const Clock& clock_;
  const ServiceConfig& config_;
};

}  // namespace grievance::domain
