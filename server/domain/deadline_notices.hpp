// The notices a case is owed by the clock (docs/domain.md "Deadlines"): a reminder some days
// before each deadline that still runs, a breach event when it passes, and the follow-up
// check months after a remedy closure. Pure functions of the case and the configuration; the
// scheduler (deadline_scheduler.hpp) writes them and keeps the case's pointer
// (Case::next_check_at) to the next one, so a restart or a long stop catches up without
// writing anything twice.
#pragma once

#include <optional>
#include <vector>

#include "server/domain/config.hpp"
#include "server/domain/deadlines.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

enum class NoticeKind { kReminder, kBreach, kFollowUp };

struct Notice {
  NoticeKind kind;
  std::optional<DeadlineKind> deadline;  // reminders and breaches
  TimePoint at;
};

// Every notice the case is owed at any time, in time order. None while the clock is paused
// (the deadlines move on by the paused time when it resumes) and none for a settled case but
// its follow-up check.
std::vector<Notice> notices_of(const Case& c, const ServiceConfig& config);

// The notices due in [from, to] (a processed case's pointer to now), in time order.
std::vector<Notice> notices_between(const Case& c, const ServiceConfig& config, TimePoint from,
                                    TimePoint to);

// The time of the first notice after `now`, if any: the case's next pointer.
std::optional<TimePoint> next_notice_after(const Case& c, const ServiceConfig& config,
                                           TimePoint now);

// The events for the notices `c` is owed from its pointer (next_check_at) up to `now`: none when
// the pointer is unset or later. Written at `now` (a catch-up after a stop says when it was
// recorded; the deadline's own time is in the case), by the system, for all parties.
std::vector<CaseEvent> owed_notice_events(const Case& c, const ServiceConfig& config,
                                          TimePoint now);

// The wire word for a deadline ("acknowledgement", "response", "resolution").
std::string_view to_string(DeadlineKind k);

}  // namespace grievance::domain
