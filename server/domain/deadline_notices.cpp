#include "server/domain/deadline_notices.hpp"

#include <algorithm>

namespace grievance::domain {

std::string_view to_string(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kAcknowledgement:
      return "acknowledgement";
    case DeadlineKind::kResponse:
      return "response";
    case DeadlineKind::kResolution:
      return "resolution";
  }
  return "resolution";
}

std::vector<Notice> notices_of(const Case& c, const ServiceConfig& config) {
  std::vector<Notice> out;
  if (c.paused_since) return out;
  // The deadlines still running in the case's status: met ones are owed nothing. The time
  // `now` does not matter for `met`.
  for (const DeadlineState& d : deadline_states(c, c.created_at)) {
    if (d.met) continue;
    const TimePoint reminder = d.due - std::chrono::days(config.reminder_days);
    if (config.reminder_days > 0 && reminder > c.created_at) {
      out.push_back(Notice{NoticeKind::kReminder, d.deadline, reminder});
    }
    out.push_back(Notice{NoticeKind::kBreach, d.deadline, d.due});
  }
  if (c.status == CaseStatus::kClosed && c.follow_up_due) {
    out.push_back(Notice{NoticeKind::kFollowUp, std::nullopt, *c.follow_up_due});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Notice& a, const Notice& b) { return a.at < b.at; });
  return out;
}

std::vector<Notice> notices_between(const Case& c, const ServiceConfig& config, TimePoint from,
                                    TimePoint to) {
  std::vector<Notice> out;
  for (const Notice& n : notices_of(c, config)) {
    if (n.at >= from && n.at <= to) out.push_back(n);
  }
  return out;
}

std::optional<TimePoint> next_notice_after(const Case& c, const ServiceConfig& config,
                                           TimePoint now) {
  for (const Notice& n : notices_of(c, config)) {
    if (n.at > now) return n.at;
  }
  return std::nullopt;
}

std::vector<CaseEvent> owed_notice_events(const Case& c, const ServiceConfig& config,
                                          TimePoint now) {
  std::vector<CaseEvent> out;
  if (!c.next_check_at || *c.next_check_at > now) return out;
  for (const Notice& n : notices_between(c, config, *c.next_check_at, now)) {
    CaseEvent e;
    e.at = now;
    e.actor_role = Role::kSystem;
    e.visibility = Visibility::kParties;
    switch (n.kind) {
      case NoticeKind::kReminder:
        e.type = EventType::kDeadlineReminder;
        break;
      case NoticeKind::kBreach:
        e.type = EventType::kDeadlineBreached;
        break;
      case NoticeKind::kFollowUp:
        e.type = EventType::kFollowUpDue;
        break;
    }
    if (n.deadline) e.detail = std::string(to_string(*n.deadline));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace grievance::domain
