#include "server/domain/notifications.hpp"

#include <algorithm>
#include <cmath>

#include "server/domain/access_policy.hpp"

namespace grievance::domain {

NotifyRule notify_rule(EventType type) {
  switch (type) {
    case EventType::kFiled:  // the companies it was routed to; the operator for a triage case
    case EventType::kRouted:
    case EventType::kStatusChanged:  // the operator too for an appeal (see recipients)
    case EventType::kMessage:
    case EventType::kAttachment:
    case EventType::kDeadlineBreached:
    case EventType::kClockPaused:
    case EventType::kClockResumed:
    case EventType::kDeadlineReminder:
    case EventType::kActionDone:
    case EventType::kActionVerdict:
    case EventType::kFeedback:
    case EventType::kIdentityShared:
    case EventType::kIdentityWithdrawn:
    case EventType::kDisclosureRequested:
    case EventType::kDisclosureAnswered:
    case EventType::kReviewed:
    case EventType::kMeetingProposed:  // a meeting is between the worker's side and the company
    case EventType::kMeetingAnswered:
    case EventType::kMeetingMinutes:
      return {true, false};
    case EventType::kRetaliationReported:  // mechanism-only: the union and the operator
    case EventType::kFollowUpAnswered:
      return {true, true};
    case EventType::kFollowUpDue:         // a question to the complainant
    case EventType::kTranslation:         // the translated text follows its original's event
    case EventType::kAccessCodeReissued:  // between the complainant and the operator
    case EventType::kRegisterConsent:     // the worker's own choice; the register shows it
      return {false, false};
  }
  return {};
}

std::vector<std::int64_t> notification_recipients(const Case& c, const CaseEvent& e) {
  const NotifyRule rule = notify_rule(e.type);
  std::vector<std::int64_t> out;
  if (e.type == EventType::kRouted) {
    // A routed event names the company it reached (actor_org_id), not an author. At filing
    // the `filed` event tells every company at once; a case assigned later from triage tells
    // the company it now reached, and only that one.
    if (e.actor_role != Role::kSystem && e.actor_org_id) out.push_back(*e.actor_org_id);
    return out;
  }
  const auto sees = [&](Role role, std::int64_t org) {
    Session s;
    s.role = role;
    s.org_id = org;
    return may_see_event(s, c, e) && !(e.actor_org_id && *e.actor_org_id == org);
  };
  if (rule.parties) {
    for (const CaseParty& p : c.parties) {
      if (sees(Role::kCompany, p.org_id)) out.push_back(p.org_id);
    }
    if (c.complaint.union_org_id && sees(Role::kUnion, *c.complaint.union_org_id)) {
      out.push_back(*c.complaint.union_org_id);
    }
  }
  bool to_operator =
      e.actor_role != Role::kAdmin &&
      (rule.operator_ || (e.type == EventType::kFiled && c.parties.empty()) ||
       (e.type == EventType::kStatusChanged && e.to_status == CaseStatus::kAppealed) ||
       (e.type == EventType::kMessage && e.visibility == Visibility::kMechanism));
  if (to_operator) out.push_back(kOperatorOrgId);
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string notification_payload(const Notification& n, std::string_view public_origin) {
  // Every value is a wire name, a number, a time or a reference ([A-Z0-9-]): no escaping needed,
  // but the reference is checked so that nothing else can slip in.
  std::string reference;
  for (char ch : n.reference) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
        ch == '-') {
      reference += ch;
    }
  }
  std::string out = "{\"id\":" + std::to_string(n.id) + ",\"type\":\"";
  out += to_string(n.event);
  out += "\",\"reference\":\"" + reference + "\",\"status\":\"";
  out += to_string(n.status);
  out += "\",\"occurred_at\":\"" + format_time(n.at) + "\",\"link\":\"";
  out += public_origin;
  out += "/staff/cases/" + reference + "\"}";
  return out;
}

std::chrono::seconds retry_delay(int attempt, std::chrono::seconds base, std::chrono::seconds cap,
                                 double unit) {
  const int shift = std::clamp(attempt - 1, 0, 40);
  double ceiling = static_cast<double>(base.count()) * std::ldexp(1.0, shift);
  ceiling = std::min(ceiling, static_cast<double>(cap.count()));
  unit = std::clamp(unit, 0.0, 1.0);
  return std::chrono::seconds(static_cast<std::int64_t>(std::floor(ceiling * unit)));
}

}  // namespace grievance::domain
