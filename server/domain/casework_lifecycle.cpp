// Casework's lifecycle half (docs/domain.md "Lifecycle"): transitions by the table in
// lifecycle.cpp, the remedy plan action by action, and the complainant's verdict. Every change
// is one optimistic write: the case as read, its new state and its events, or nothing.
#include <algorithm>
#include <chrono>

#include "server/domain/access_policy.hpp"
#include "server/domain/case_rights.hpp"
#include "server/domain/casework_events.hpp"
#include "server/domain/casework_service.hpp"
#include "server/domain/deadline_notices.hpp"
#include "server/domain/lifecycle.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {
namespace {

constexpr std::size_t kMaxRemedyActions = 20;

bool is_blank_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; });
}

// A text the move needs (field named), or an optional one that is checked when present.
Status check_move_text(std::string_view field, std::string_view value, const Limits& limits,
                       bool required) {
  return check_text(field, value, limits.message_max_chars, required);
}

Date today(TimePoint now) { return Date{std::chrono::floor<std::chrono::days>(now)}; }

Result<std::vector<RemedyAction>> parse_plan(const std::vector<RemedyActionInput>& input,
                                             const Case& c, const CaseRights& rights, TimePoint now,
                                             const Limits& limits) {
  if (input.empty()) {
    return fail(Error::invalid_field("actions", "A remedy plan needs at least one action."));
  }
  if (input.size() > kMaxRemedyActions) {
    return fail(Error::invalid_field(
        "actions", "A plan has at most " + std::to_string(kMaxRemedyActions) + " actions."));
  }
  std::vector<RemedyAction> plan;
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto& a = input[i];
    const std::string at = "actions[" + std::to_string(i) + "]";
    if (auto ok = check_text(at + ".what", a.what, limits.message_max_chars, true); !ok) {
      return fail(ok.error());
    }
    // Only an organisation the proposer may name: a company cannot probe which other
    // companies the case reached.
    if (!party_role(c, a.org_id) ||
        std::find(rights.plan_organisations.begin(), rights.plan_organisations.end(), a.org_id) ==
            rights.plan_organisations.end()) {
      return fail(Error::invalid_field(at + ".organisation",
                                       "Must be your organisation or another you may name."));
    }
    auto due = parse_date(a.due);
    if (!due) return fail(Error::invalid_field(at + ".due", "Must be a date YYYY-MM-DD."));
    if (*due < today(now)) {
      return fail(Error::invalid_field(at + ".due", "Must not be in the past."));
    }
    RemedyAction r;
    r.number = static_cast<int>(i) + 1;
    r.what = a.what;
    r.org_id = a.org_id;
    r.due = *due;
    plan.push_back(std::move(r));
  }
  return plan;
}

std::string refused_move(CaseStatus from, CaseStatus to) {
  return "A case that is " + std::string(to_string(from)) + " cannot be moved to " +
         std::string(to_string(to)) + " by you.";
}

}  // namespace

Result<CaseView> Casework::commit(const Session& session, const Case& before, Case updated,
                                  std::vector<CaseEvent> events) {
  // What the clock owed the case before this change comes first (the scheduler may not have
  // run yet: a deadline that passed a minute ago was still breached); then the pointer moves
  // to the next notice the changed case is owed.
  const TimePoint now = clock_.now();
  auto owed = owed_notice_events(before, config_, now);
  events.insert(events.begin(), owed.begin(), owed.end());
  updated.next_check_at = next_notice_after(updated, config_, now);
  if (auto ok = cases_.update_case(updated, events, before.event_count); !ok) {
    if (ok.error().code == ErrorCode::kConflict) {
      return fail(Error::conflict("The case changed meanwhile. Reload it and try again."));
    }
    return fail(ok.error());
  }
  return view_case(session, before.reference);
}

Result<CaseView> Casework::transition(const Session& session, std::string_view reference,
                                      const TransitionRequest& r) {
  const auto to = parse_case_status(r.to);
  if (!to) return fail(Error::invalid_field("to", "Unknown status."));
  if (auto ok = check_move_text("reason", r.reason, config_.limits, true); !ok) {
    return fail(ok.error());
  }
  if (auto ok = check_move_text("reasoning", r.reasoning, config_.limits, false); !ok) {
    return fail(ok.error());
  }
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  const auto actor = lifecycle_actor(session, *c);
  if (!actor) return fail(Error::forbidden("You may follow this case but not move it."));
  const LifecycleRule* rule = find_rule(c->status, *to, *actor);
  if (!rule) return fail(Error::invalid_transition(refused_move(c->status, *to)));
  if (is_feedback_move(*rule)) {
    return fail(Error::invalid_transition(
        "A remedy proposal is accepted or refused with feedback and a satisfaction score."));
  }
  const TimePoint now = clock_.now();
  if (*to == CaseStatus::kAppealed) {
    const auto end = appeal_window_end(*c, config_);
    if (!end || now > *end) {
      return fail(Error::invalid_transition("The time to appeal this decision has passed."));
    }
  }

  std::optional<Outcome> outcome = implied_outcome(*to);
  if (rule->needs == Needs::kOutcome) {
    outcome = parse_outcome(r.outcome);
    if (!outcome ||
        std::find(rule->outcomes.begin(), rule->outcomes.end(), *outcome) == rule->outcomes.end()) {
      return fail(Error::invalid_field("outcome", "This closure cannot have that outcome."));
    }
  } else if (!r.outcome.empty()) {
    return fail(Error::invalid_field("outcome", "Only a closure records an outcome."));
  }
  std::optional<ExternalBody> body;
  if (rule->needs == Needs::kExternalBody) {
    body = parse_external_body(r.external_body);
    if (!body) return fail(Error::invalid_field("external_body", "Name the external body."));
  } else if (!r.external_body.empty()) {
    return fail(Error::invalid_field("external_body", "Only an escalation names a body."));
  }
  if (needs_reasoning(*rule, outcome) && is_blank_text(r.reasoning)) {
    return fail(Error::invalid_field("reasoning", "Give the reasoning the complainant will read."));
  }
  std::vector<RemedyAction> plan;
  if (rule->needs == Needs::kRemedyPlan) {
    auto parsed =
        parse_plan(r.actions, *c, rights_of(session, *c, now, config_), now, config_.limits);
    if (!parsed) return fail(parsed.error());
    plan = std::move(*parsed);
  } else if (!r.actions.empty()) {
    return fail(Error::invalid_field("actions", "Only a remedy proposal carries actions."));
  }

  Case u = *c;
  u.status = *to;
  if (rule->needs == Needs::kRemedyPlan) u.remedy = std::move(plan);
  if (is_closure(*to) || *to == CaseStatus::kEscalated) u.settled_at = now;
  if (*to == CaseStatus::kEscalated) u.escalated_to = body;
  if (is_closure(*to) && c->status == CaseStatus::kAppealed && rule->needs != Needs::kOutcome) {
    // Upholding on appeal: the decision stands as it was, with its outcome and (for a remedy)
    // its follow-up check; the event records the outcome it upholds.
    outcome = c->outcome;
    u.outcome = c->outcome;
  } else if (is_closure(*to)) {
    u.outcome = outcome;
    const bool remedied =
        outcome == Outcome::kRemedyAccepted || outcome == Outcome::kRemedyPartlyAccepted;
    u.follow_up_due =
        remedied ? std::optional(now + std::chrono::days(config_.follow_up_days)) : std::nullopt;
  }
  if (*to == CaseStatus::kReopened) {
    u.outcome.reset();
    u.settled_at.reset();
    u.follow_up_due.reset();
  }

  CaseEvent e = event_by(session, now, EventType::kStatusChanged);
  e.from_status = c->status;
  e.to_status = *to;
  e.body = r.reason;
  e.detail = r.reasoning;
  e.outcome = outcome;
  e.external_body = body;
  return commit(session, *c, std::move(u), {std::move(e)});
}

Result<CaseView> Casework::feedback(const Session& session, std::string_view reference,
                                    const FeedbackRequest& r) {
  if (r.satisfaction < 1 || r.satisfaction > 5) {
    return fail(Error::invalid_field("satisfaction", "Must be a whole number from 1 to 5."));
  }
  if (auto ok = check_move_text("comment", r.comment, config_.limits, false); !ok) {
    return fail(ok.error());
  }
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  const auto actor = lifecycle_actor(session, *c);
  if (actor != Actor::kComplainant) {
    return fail(Error::forbidden("Only the complainant answers a remedy proposal."));
  }
  const CaseStatus to = r.accept ? CaseStatus::kResolved : CaseStatus::kInDialogue;
  if (c->status != CaseStatus::kRemedyProposed || !find_rule(c->status, to, *actor)) {
    return fail(Error::invalid_transition("There is no remedy proposal to answer."));
  }
  const TimePoint now = clock_.now();
  Case u = *c;
  u.status = to;
  u.satisfaction = r.satisfaction;

  CaseEvent verdict = event_by(session, now, EventType::kFeedback);
  verdict.score = r.satisfaction;
  verdict.detail = r.accept ? "accept" : "refuse";
  verdict.body = r.comment;
  CaseEvent move = event_by(session, now, EventType::kStatusChanged);
  move.from_status = c->status;
  move.to_status = to;
  move.body = r.accept ? "The complainant accepted the proposed remedy."
                       : "The complainant refused the proposed remedy.";
  return commit(session, *c, std::move(u), {std::move(verdict), std::move(move)});
}

Result<CaseView> Casework::mark_action_done(const Session& session, std::string_view reference,
                                            int number, std::string_view note) {
  if (auto ok = check_move_text("note", note, config_.limits, true); !ok) return fail(ok.error());
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (lifecycle_actor(session, *c) != Actor::kResponsibleCompany) {
    return fail(Error::forbidden("Only the company responsible marks remedy actions done."));
  }
  if (c->status != CaseStatus::kRemedyProposed && c->status != CaseStatus::kResolved) {
    return fail(Error::invalid_transition("The case has no remedy plan under way."));
  }
  auto it = std::find_if(c->remedy.begin(), c->remedy.end(),
                         [&](const RemedyAction& a) { return a.number == number; });
  if (it == c->remedy.end()) return fail(Error::not_found("No such action in the plan."));
  if (it->done_at) return fail(Error::conflict("This action is already marked done."));
  const TimePoint now = clock_.now();
  Case u = *c;
  RemedyAction& a = u.remedy[static_cast<std::size_t>(it - c->remedy.begin())];
  a.done_at = now;
  a.done_note = std::string(note);
  CaseEvent e = event_by(session, now, EventType::kActionDone);
  e.action = number;
  e.body = std::string(note);
  return commit(session, *c, std::move(u), {std::move(e)});
}

Result<CaseView> Casework::judge_action(const Session& session, std::string_view reference,
                                        int number, std::string_view verdict_text,
                                        std::string_view note) {
  const auto verdict = parse_action_verdict(verdict_text);
  if (!verdict) return fail(Error::invalid_field("verdict", "Must be confirmed or disputed."));
  const bool disputed = verdict == ActionVerdict::kDisputed;
  if (auto ok = check_move_text("note", note, config_.limits, disputed); !ok) {
    return fail(ok.error());
  }
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (lifecycle_actor(session, *c) != Actor::kComplainant) {
    return fail(Error::forbidden("Only the complainant confirms or disputes an action."));
  }
  if (c->remedy.empty()) return fail(Error::invalid_transition("The case has no remedy plan."));
  auto it = std::find_if(c->remedy.begin(), c->remedy.end(),
                         [&](const RemedyAction& a) { return a.number == number; });
  if (it == c->remedy.end()) return fail(Error::not_found("No such action in the plan."));
  if (!it->done_at) {
    return fail(Error::invalid_transition("The company has not marked this action done yet."));
  }
  if (it->verdict) return fail(Error::conflict("You have already answered for this action."));
  const TimePoint now = clock_.now();
  Case u = *c;
  RemedyAction& a = u.remedy[static_cast<std::size_t>(it - c->remedy.begin())];
  a.verdict = verdict;
  a.verdict_note = std::string(note);
  a.verdict_at = now;
  CaseEvent e = event_by(session, now, EventType::kActionVerdict);
  e.action = number;
  e.detail = std::string(to_string(*verdict));
  e.body = std::string(note);
  return commit(session, *c, std::move(u), {std::move(e)});
}

Result<CaseView> Casework::ask_complainant(const Session& session, std::string_view reference,
                                           std::string_view question) {
  if (auto ok = validate_message_body(question, config_.limits); !ok) return fail(ok.error());
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (lifecycle_actor(session, *c) != Actor::kResponsibleCompany) {
    return fail(Error::forbidden("Only the company responsible waits for an answer."));
  }
  if (!is_open(c->status)) return fail(Error::invalid_transition("The case is not open."));
  if (c->paused_since) {
    return fail(Error::invalid_transition("The case already waits for the complainant's answer."));
  }
  const TimePoint now = clock_.now();
  Case u = *c;
  u.paused_since = now;
  CaseEvent asked = event_by(session, now, EventType::kMessage);
  asked.body = std::string(question);
  CaseEvent paused = event_by(session, now, EventType::kClockPaused);
  return commit(session, *c, std::move(u), {std::move(asked), std::move(paused)});
}

}  // namespace grievance::domain
