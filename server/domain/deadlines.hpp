// Deadlines and "overdue": ONE rule, here. The case list's SQL (storage/sqlite/case_list.cpp)
// is generated from overdue_rules(), the in-memory fake calls is_overdue(), and the store
// contract suite checks both against each other.
//
// Defaults (docs/domain.md, "Deadlines"): acknowledgement within 7 days, first substantive
// response within 30 days, resolution target 90 days - the EU Whistleblower Directive's 7-day
// acknowledgement and 3-month feedback (Directive (EU) 2019/1937 Art. 9(1)(b) and (f)).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "server/domain/types.hpp"

namespace grievance::domain {

enum class DeadlineKind { kAcknowledgement, kResponse, kResolution };

// A deadline runs while the case is in one of `running_in`; past its due time in one of those
// statuses the case is overdue.
struct OverdueRule {
  DeadlineKind deadline;
  std::span<const CaseStatus> running_in;
};

// Every rule; a case is overdue when any rule holds.
std::span<const OverdueRule> overdue_rules();

TimePoint due_time(const Deadlines& d, DeadlineKind kind);

// Is the case past a deadline it has not met at `now`? Never while its clock is paused
// (Case::paused_since: the company waits for the complainant's answer).
bool is_overdue(const Case& c, TimePoint now);

// Statuses after which no deadline runs.
bool is_settled(CaseStatus s);

// One deadline of a case as the case pages show it: met (the case has moved past the stages it
// covers), late (still running and past due), or open.
struct DeadlineState {
  DeadlineKind deadline;
  TimePoint due;
  bool met = false;
  bool late = false;
};
// The three deadlines in order (acknowledgement, response, resolution) at `now`.
std::vector<DeadlineState> deadline_states(const Case& c, TimePoint now);
// The deadline the case is working towards now (the first one still running), if any.
std::optional<TimePoint> next_due(const Case& c);

}  // namespace grievance::domain
