// What the operator's monitoring may know (GET /metrics; docs/operations.md "Monitoring"):
// counts of cases by status, overdue cases, the outbox's backlog, and how late the periodic
// jobs (the deadline scheduler, the notification dispatcher) run. Counts only: never a case,
// a reference, an organisation or a person.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/outbox_store.hpp"

namespace grievance::domain {

// The runs of one periodic job, as its own thread reports them. Thread-safe (atomics): the
// job's thread writes, a scrape reads.
class JobRuns {
 public:
  explicit JobRuns(std::string_view name) : name_(name) {}
  JobRuns(const JobRuns&) = delete;
  JobRuns& operator=(const JobRuns&) = delete;

  // The job runs every `interval` after the end of its previous run (app::Ticker), the first
  // run due at `now`. Call once, before the job's thread starts.
  void schedule(std::chrono::seconds interval, TimePoint now);
  void started(TimePoint now);
  void finished(TimePoint now, bool ok);

  struct State {
    std::string_view name;
    bool scheduled = false;  // schedule() was called (a process without the job: false)
    std::chrono::seconds interval{0};
    // How late the job is at `now`: how long ago its next run was due (the end of the last run,
    // or the start, plus the interval), 0 when not yet due. Grows while a run hangs or the
    // thread is stuck; a run that is due simply has not started yet.
    std::chrono::seconds lag{0};
    std::optional<TimePoint> last_success;  // the end of the last run that succeeded
    std::chrono::seconds last_duration{0};  // of the last finished run
    std::int64_t succeeded = 0, failed = 0;
    bool running = false;
  };
  State state(TimePoint now) const;

 private:
  static std::int64_t seconds(TimePoint t) { return t.time_since_epoch().count(); }

  std::string_view name_;
  std::atomic<bool> scheduled_{false};
  std::atomic<std::int64_t> interval_{0};
  std::atomic<std::int64_t> due_{0};  // when the next run is due (seconds since the epoch)
  std::atomic<std::int64_t> started_{0};
  std::atomic<std::int64_t> last_success_{-1};
  std::atomic<std::int64_t> last_duration_{0};
  std::atomic<std::int64_t> succeeded_{0}, failed_{0};
  std::atomic<bool> running_{false};
};

struct MonitoringSnapshot {
  TimePoint at{};
  CaseCounts cases;
  std::optional<OutboxBacklog> outbox;  // none without an outbox store
  std::vector<JobRuns::State> jobs;
};

class Monitoring {
 public:
  // `outbox` may be null (no outbox store: no backlog in the snapshot).
  Monitoring(CaseStore& cases, OutboxStore* outbox, const Clock& clock);
  Monitoring(const Monitoring&) = delete;
  Monitoring& operator=(const Monitoring&) = delete;

  // The counts are read from the stores at most once per kCountsMaxAge (a few index scans each;
  // a scraper polling in a loop, or several scrapers, cost no more); the jobs' states are
  // always current. Errors: the stores' (kUnavailable).
  static constexpr std::chrono::seconds kCountsMaxAge{5};
  Result<MonitoringSnapshot> snapshot();
  // The jobs' states alone (no store read): what a scrape still shows while the database is down.
  std::vector<JobRuns::State> job_states() const;

  JobRuns deadline_runs{"deadlines"};
  JobRuns notification_runs{"notifications"};

 private:
  CaseStore& cases_;
  OutboxStore* outbox_;
  const Clock& clock_;
  std::mutex mu_;  // one scrape reads the stores at a time; never on a request's hot path
  std::optional<MonitoringSnapshot> counts_;  // GUARDED_BY(mu_)
};

}  // namespace grievance::domain
