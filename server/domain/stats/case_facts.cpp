#include "server/domain/stats/case_facts.hpp"

#include <algorithm>

#include "server/domain/deadline_notices.hpp"
#include "server/domain/deadlines.hpp"
#include "server/domain/lifecycle.hpp"

namespace grievance::domain {
namespace {

using S = CaseStatus;

std::int64_t seconds_between(TimePoint from, TimePoint to) { return (to - from).count(); }

// Seconds from filing to `at`, without the time the clock stood still (finished pauses and the
// one running, if any): the company's time, not the complainant's.
std::int64_t net_seconds(const CaseFacts& f, TimePoint at) {
  std::int64_t paused = f.paused_seconds;
  if (f.paused_since && *f.paused_since < at) paused += seconds_between(*f.paused_since, at);
  return seconds_between(f.filed_at, at) - paused;
}

bool one_of(S s, std::initializer_list<S> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

void fold_move(CaseFacts& f, const CaseEvent& e) {
  if (!e.to_status) return;
  const S to = *e.to_status;
  const S from = e.from_status.value_or(f.status);
  // The acknowledgement: the first time the company (or the operator in triage) takes the case
  // up - acknowledging, answering at once, or rejecting it. A withdrawal or an escalation out
  // of `received` is not one.
  if (!f.ack_seconds && from == S::kReceived &&
      one_of(to, {S::kAcknowledged, S::kInDialogue, S::kRejected})) {
    f.ack_seconds = net_seconds(f, e.at);
    f.ack_late = f.ack_breached;
  }
  // The first substantive response: the first move out of received/acknowledged that answers
  // the complaint (a dialogue, a plan, a closure or a rejection) - the moves that meet the
  // response deadline of deadlines.cpp, less withdrawal and escalation.
  if (!f.first_response_seconds && one_of(from, {S::kReceived, S::kAcknowledged}) &&
      one_of(to, {S::kInDialogue, S::kRemedyProposed, S::kClosed, S::kRejected})) {
    f.first_response_seconds = net_seconds(f, e.at);
  }
  // The decision: the first closure or rejection since filing or the last reopening. An appeal
  // the operator upholds keeps the time of the decision it upholds.
  if (!f.resolution_seconds && one_of(to, {S::kClosed, S::kRejected})) {
    f.resolution_seconds = net_seconds(f, e.at);
  }
  if (is_closure(to)) {
    // An upheld closure carries no outcome of its own: the decision it upholds stands.
    if (e.outcome) {
      f.outcome = e.outcome;
    } else if (auto implied = implied_outcome(to)) {
      f.outcome = implied;
    }
  }
  if (is_closure(to) || to == S::kEscalated) f.settled_ever = true;
  if (to == S::kEscalated) f.escalated = true;
  if (to == S::kAppealed) {
    f.appealed = true;
    f.appeal_result = AppealResult::kPending;
  }
  if (from == S::kAppealed) {
    f.appeal_result = to == S::kReopened ? AppealResult::kReopened : AppealResult::kUpheld;
  }
  if (to == S::kReopened) {
    f.reopened = true;
    f.outcome.reset();
    f.resolution_seconds.reset();
  }
  f.status = to;
}

// Casework::assign_case: the company's deadlines start at the assignment; the acknowledgement's
// too while the case is still received.
void restart_deadlines(CaseFacts& f, TimePoint at) {
  if (f.status == S::kReceived) f.deadlines.ack_due = at + std::chrono::seconds(f.ack_span_seconds);
  f.deadlines.response_due = at + std::chrono::seconds(f.response_span_seconds);
  f.deadlines.resolution_due = at + std::chrono::seconds(f.resolution_span_seconds);
}

}  // namespace

std::string_view to_string(ComplainantKind v) {
  switch (v) {
    case ComplainantKind::kIndividual:
      return "individual";
    case ComplainantKind::kUnionFiled:
      return "union_filed";
    case ComplainantKind::kCollective:
      return "collective";
  }
  return "individual";
}

std::string_view to_string(AppealResult v) {
  switch (v) {
    case AppealResult::kPending:
      return "pending";
    case AppealResult::kUpheld:
      return "upheld";
    case AppealResult::kReopened:
      return "reopened";
  }
  return "pending";
}

CategorySet category_bit(Category c) {
  return static_cast<CategorySet>(CategorySet{1} << static_cast<unsigned>(c));
}

CategorySet category_set(std::span<const Category> categories) {
  CategorySet set = 0;
  for (Category c : categories) set |= category_bit(c);
  return set;
}

CaseFacts seed_facts(const Case& c, const FactsContext& context) {
  CaseFacts f;
  f.case_id = c.id;
  f.cell_key = context.cell_key;
  f.filed_at = c.created_at;
  f.site_id = c.complaint.site_id;
  f.sector = context.sector;
  f.country = c.complaint.country;
  f.categories = category_set(c.complaint.categories);
  f.channel = c.complaint.channel;
  f.union_org_id = c.complaint.union_org_id;
  if (c.complaint.mandate && c.complaint.mandate->collective) {
    f.kind = ComplainantKind::kCollective;
    f.headcount = c.complaint.mandate->headcount;
  } else if (c.complaint.union_org_id) {
    f.kind = ComplainantKind::kUnionFiled;
  }
  f.status = CaseStatus::kReceived;
  f.deadlines = c.deadlines;
  f.ack_span_seconds = seconds_between(c.created_at, c.deadlines.ack_due);
  f.response_span_seconds = seconds_between(c.created_at, c.deadlines.response_due);
  f.resolution_span_seconds = seconds_between(c.created_at, c.deadlines.resolution_due);
  return f;
}

CaseFacts fold(CaseFacts f, const CaseEvent& e) {
  switch (e.type) {
    case EventType::kFiled:
      f.filed_at = e.at;
      f.status = CaseStatus::kReceived;
      break;
    case EventType::kRouted: {
      // The company the case reached is the event's organisation; its part is the body
      // ("responsible", "buyer"), or "triage" when none was found (filing_service.cpp).
      const auto role = parse_party_role(e.body);
      if (!role || !e.actor_org_id) break;
      if (*role == PartyRole::kResponsible) {
        f.responsible_org_id = e.actor_org_id;
      } else if (std::find(f.buyer_org_ids.begin(), f.buyer_org_ids.end(), *e.actor_org_id) ==
                 f.buyer_org_ids.end()) {
        f.buyer_org_ids.push_back(*e.actor_org_id);
      }
      // Routed by an admin: an assignment out of triage.
      if (e.actor_role == Role::kAdmin) restart_deadlines(f, e.at);
      break;
    }
    case EventType::kStatusChanged:
      fold_move(f, e);
      break;
    case EventType::kDeadlineBreached:
      if (e.detail == to_string(DeadlineKind::kAcknowledgement)) f.ack_breached = true;
      if (e.detail == to_string(DeadlineKind::kResponse)) f.response_breached = true;
      if (e.detail == to_string(DeadlineKind::kResolution)) f.resolution_breached = true;
      break;
    case EventType::kClockPaused:
      if (!f.paused_since) f.paused_since = e.at;
      break;
    case EventType::kClockResumed:
      if (f.paused_since) {
        // As Casework does when the answer comes: every deadline moves on by the paused time.
        const auto paused = e.at - *f.paused_since;
        f.paused_seconds += paused.count();
        f.deadlines.ack_due += paused;
        f.deadlines.response_due += paused;
        f.deadlines.resolution_due += paused;
        f.paused_since.reset();
      }
      break;
    case EventType::kFeedback:
      // The complainant's answer to a plan: "accept" or "refuse" with a score (casework).
      if (e.detail == "accept" || e.detail == "refuse") f.remedy_accepted = e.detail == "accept";
      if (e.score && *e.score >= 1 && *e.score <= 5) f.satisfaction = e.score;
      break;
    case EventType::kActionVerdict:
      if (auto v = parse_action_verdict(e.detail)) {
        (*v == ActionVerdict::kConfirmed ? f.actions_confirmed : f.actions_disputed) += 1;
      }
      break;
    case EventType::kFollowUpDue:
      f.follow_up_asked = true;
      break;
    case EventType::kFollowUpAnswered:
      f.follow_up_asked = true;
      if (auto held = parse_remedy_held(e.detail)) f.remedy_held = held;
      break;
    case EventType::kRetaliationReported:
      f.retaliation_reports += 1;
      break;
    default:
      break;
  }
  return f;
}

CaseFacts facts_of(const Case& c, std::span<const CaseEvent> events, const FactsContext& context) {
  CaseFacts f = seed_facts(c, context);
  for (const CaseEvent& e : events) f = fold(std::move(f), e);
  // Seeded from the case as it is now, the spans were guessed from deadlines that pauses and a
  // triage assignment may have moved. Every due time the fold derives is its anchor (filing or
  // assignment) plus its span plus the pauses after it, so the case's own due time corrects
  // the guess exactly; the case is the authority for its current deadlines.
  f.ack_span_seconds += seconds_between(f.deadlines.ack_due, c.deadlines.ack_due);
  f.response_span_seconds += seconds_between(f.deadlines.response_due, c.deadlines.response_due);
  f.resolution_span_seconds +=
      seconds_between(f.deadlines.resolution_due, c.deadlines.resolution_due);
  f.deadlines = c.deadlines;
  return f;
}

std::optional<TimePoint> overdue_from(const CaseFacts& f) {
  if (f.paused_since) return std::nullopt;
  std::optional<TimePoint> first;
  for (const OverdueRule& rule : overdue_rules()) {
    if (std::find(rule.running_in.begin(), rule.running_in.end(), f.status) ==
        rule.running_in.end()) {
      continue;
    }
    const TimePoint due = due_time(f.deadlines, rule.deadline);
    if (!first || due < *first) first = due;
  }
  return first;
}

bool is_overdue(const CaseFacts& f, TimePoint now) {
  const auto due = overdue_from(f);
  return due && *due < now;
}

}  // namespace grievance::domain
