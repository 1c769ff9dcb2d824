#include "server/domain/deadlines.hpp"

#include <algorithm>
#include <array>

namespace grievance::domain {
namespace {

using S = CaseStatus;
constexpr std::array kAckRunning = {S::kReceived};
constexpr std::array kResponseRunning = {S::kReceived, S::kAcknowledged};
// Every status that is not settled (is_settled below).
constexpr std::array kResolutionRunning = {S::kReceived, S::kAcknowledged, S::kInDialogue,
                                           S::kRemedyProposed, S::kReopened};
constexpr std::array kRules = {
    OverdueRule{DeadlineKind::kAcknowledgement, kAckRunning},
    OverdueRule{DeadlineKind::kResponse, kResponseRunning},
    OverdueRule{DeadlineKind::kResolution, kResolutionRunning},
};

}  // namespace

std::span<const OverdueRule> overdue_rules() { return kRules; }

TimePoint due_time(const Deadlines& d, DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kAcknowledgement:
      return d.ack_due;
    case DeadlineKind::kResponse:
      return d.response_due;
    case DeadlineKind::kResolution:
      return d.resolution_due;
  }
  return d.resolution_due;
}

bool is_settled(CaseStatus s) {
  return std::find(kResolutionRunning.begin(), kResolutionRunning.end(), s) ==
         kResolutionRunning.end();
}

bool is_overdue(const Case& c, TimePoint now) {
  const auto states = deadline_states(c, now);
  return std::any_of(states.begin(), states.end(), [](const DeadlineState& d) { return d.late; });
}

std::vector<DeadlineState> deadline_states(const Case& c, TimePoint now) {
  std::vector<DeadlineState> out;
  for (const OverdueRule& rule : kRules) {
    DeadlineState d{rule.deadline, due_time(c.deadlines, rule.deadline)};
    const bool running = std::find(rule.running_in.begin(), rule.running_in.end(), c.status) !=
                         rule.running_in.end();
    d.met = !running;
    // While the company waits for the complainant's answer the clock stands still: nothing is
    // late (the deadlines move on by the paused time when the answer comes).
    d.late = running && !c.paused_since && d.due < now;
    out.push_back(d);
  }
  return out;
}

std::optional<TimePoint> next_due(const Case& c) {
  for (const OverdueRule& rule : kRules) {
    if (std::find(rule.running_in.begin(), rule.running_in.end(), c.status) !=
        rule.running_in.end()) {
      return due_time(c.deadlines, rule.deadline);
    }
  }
  return std::nullopt;
}

}  // namespace grievance::domain
