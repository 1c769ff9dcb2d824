#include "server/domain/monitoring.hpp"

#include <algorithm>

namespace grievance::domain {

void JobRuns::schedule(std::chrono::seconds interval, TimePoint now) {
  interval_.store(interval.count(), std::memory_order_relaxed);
  due_.store(seconds(now), std::memory_order_relaxed);
  scheduled_.store(true, std::memory_order_release);
}

void JobRuns::started(TimePoint now) {
  started_.store(seconds(now), std::memory_order_relaxed);
  running_.store(true, std::memory_order_release);
}

void JobRuns::finished(TimePoint now, bool ok) {
  const auto end = seconds(now);
  last_duration_.store(std::max<std::int64_t>(0, end - started_.load(std::memory_order_relaxed)),
                       std::memory_order_relaxed);
  if (ok) {
    last_success_.store(end, std::memory_order_relaxed);
    succeeded_.fetch_add(1, std::memory_order_relaxed);
  } else {
    failed_.fetch_add(1, std::memory_order_relaxed);
  }
  due_.store(end + interval_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  running_.store(false, std::memory_order_release);
}

JobRuns::State JobRuns::state(TimePoint now) const {
  State s;
  s.name = name_;
  s.scheduled = scheduled_.load(std::memory_order_acquire);
  s.running = running_.load(std::memory_order_acquire);
  s.interval = std::chrono::seconds(interval_.load(std::memory_order_relaxed));
  if (s.scheduled) {
    s.lag = std::chrono::seconds(
        std::max<std::int64_t>(0, seconds(now) - due_.load(std::memory_order_relaxed)));
  }
  if (const auto t = last_success_.load(std::memory_order_relaxed); t >= 0) {
    s.last_success = TimePoint(std::chrono::seconds(t));
  }
  s.last_duration = std::chrono::seconds(last_duration_.load(std::memory_order_relaxed));
  s.succeeded = succeeded_.load(std::memory_order_relaxed);
  s.failed = failed_.load(std::memory_order_relaxed);
  return s;
}

Monitoring::Monitoring(CaseStore& cases, OutboxStore* outbox, const Clock& clock)
    : cases_(cases), outbox_(outbox), clock_(clock) {}

Result<MonitoringSnapshot> Monitoring::snapshot() {
  const TimePoint now = clock_.now();
  MonitoringSnapshot out;
  {
    std::lock_guard lock(mu_);
    if (!counts_ || now - counts_->at >= kCountsMaxAge || now < counts_->at) {
      MonitoringSnapshot fresh;
      fresh.at = now;
      auto cases = cases_.case_counts(now);
      if (!cases) return fail(cases.error());
      fresh.cases = std::move(*cases);
      if (outbox_ != nullptr) {
        auto backlog = outbox_->backlog();
        if (!backlog) return fail(backlog.error());
        fresh.outbox = *backlog;
      }
      counts_ = std::move(fresh);
    }
    out = *counts_;
  }
  out.jobs = job_states();
  return out;
}

std::vector<JobRuns::State> Monitoring::job_states() const {
  const TimePoint now = clock_.now();
  std::vector<JobRuns::State> out;
  for (const JobRuns* job : {&deadline_runs, &notification_runs}) out.push_back(job->state(now));
  return out;
}

}  // namespace grievance::domain
