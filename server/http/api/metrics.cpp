// GET /metrics (docs/operations.md "Monitoring"): the Prometheus text format, for an admin
// session or a caller on this machine (docs/security.md "Monitoring").
#include "server/http/metrics.hpp"

#include "server/domain/access_policy.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::api {
namespace {

using domain::Error;

// A caller on this machine: its connection comes from a loopback address and no proxy says it
// forwards someone else's request (a reverse proxy on the same host connects from loopback).
bool local_caller(const Request& req, const RequestContext& ctx) {
  if (!ctx.client_is_loopback) return false;
  return req.count(bhttp::field::forwarded) == 0 && req.count("X-Forwarded-For") == 0 &&
         req.count("X-Real-IP") == 0;
}

void write_cases(PrometheusText& out, const domain::MonitoringSnapshot& s) {
  out.family("grievance_cases", "gauge", "Cases in each status.");
  for (const auto& [status, count] : s.cases.by_status) {
    out.sample("grievance_cases", {{"status", domain::to_string(status)}}, count);
  }
  out.family("grievance_cases_overdue", "gauge",
             "Cases past a deadline they have not met (clock not paused).");
  out.sample("grievance_cases_overdue", {}, s.cases.overdue);
  if (!s.outbox) return;
  out.family("grievance_outbox_events_pending", "gauge",
             "Case events not yet fanned out to notifications.");
  out.sample("grievance_outbox_events_pending", {}, s.outbox->events_pending);
  out.family("grievance_notifications_unmailed", "gauge",
             "Notifications not yet handed to the e-mail side.");
  out.sample("grievance_notifications_unmailed", {}, s.outbox->notifications_unmailed);
  out.family("grievance_webhook_deliveries", "gauge",
             "Webhook deliveries waiting (pending: due or backing off) or given up (dead).");
  out.sample("grievance_webhook_deliveries", {{"state", "pending"}}, s.outbox->deliveries_pending);
  out.sample("grievance_webhook_deliveries", {{"state", "dead"}}, s.outbox->deliveries_dead);
}

void write_jobs(PrometheusText& out, const std::vector<domain::JobRuns::State>& jobs) {
  std::vector<const domain::JobRuns::State*> scheduled;
  for (const auto& j : jobs) {
    if (j.scheduled) scheduled.push_back(&j);
  }
  if (scheduled.empty()) return;
  out.family("grievance_scheduler_lag_seconds", "gauge",
             "How long ago the job's next run was due (end of its last run plus its interval); "
             "0 when on time.");
  for (const auto* j : scheduled) {
    out.sample("grievance_scheduler_lag_seconds", {{"job", j->name}},
               static_cast<std::int64_t>(j->lag.count()));
  }
  out.family("grievance_scheduler_interval_seconds", "gauge",
             "The pause between the end of one run and the start of the next.");
  for (const auto* j : scheduled) {
    out.sample("grievance_scheduler_interval_seconds", {{"job", j->name}},
               static_cast<std::int64_t>(j->interval.count()));
  }
  out.family("grievance_scheduler_last_run_duration_seconds", "gauge",
             "How long the job's last finished run took.");
  for (const auto* j : scheduled) {
    out.sample("grievance_scheduler_last_run_duration_seconds", {{"job", j->name}},
               static_cast<std::int64_t>(j->last_duration.count()));
  }
  out.family("grievance_scheduler_last_success_timestamp_seconds", "gauge",
             "When the job's last successful run ended (Unix time).");
  for (const auto* j : scheduled) {
    if (!j->last_success) continue;
    out.sample("grievance_scheduler_last_success_timestamp_seconds", {{"job", j->name}},
               static_cast<std::int64_t>(j->last_success->time_since_epoch().count()));
  }
  out.family("grievance_scheduler_runs_total", "counter", "Finished runs of the job, by result.");
  for (const auto* j : scheduled) {
    out.sample("grievance_scheduler_runs_total", {{"job", j->name}, {"result", "ok"}},
               j->succeeded);
    out.sample("grievance_scheduler_runs_total", {{"job", j->name}, {"result", "error"}},
               j->failed);
  }
}

}  // namespace

Response metrics(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  if (!local_caller(req, ctx)) {
    GRV_TRY(session, authenticate(req, api.services.sessions));
    if (!domain::may_administer(session.role)) {
      return error_response(Error::forbidden("Only an administrator may read the metrics."), req);
    }
  }
  PrometheusText out;
  if (api.request_metrics != nullptr) api.request_metrics->write(out);
  // The counts come from the database; while it does not answer, the request metrics and the
  // jobs still do (that is when they matter most), and grievance_database_up says 0.
  auto snapshot = api.services.monitoring.snapshot();
  out.family(
      "grievance_database_up", "gauge",
      "1 when the case and outbox counts could be read, 0 when the database did not answer.");
  out.sample("grievance_database_up", {}, std::int64_t{snapshot ? 1 : 0});
  if (snapshot) {
    write_cases(out, *snapshot);
    write_jobs(out, snapshot->jobs);
  } else {
    write_jobs(out, api.services.monitoring.job_states());
  }
  Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.body() = std::move(out.text());
  finish(res, req.version(), req.keep_alive());
  return res;
}

}  // namespace grievance::http::api
