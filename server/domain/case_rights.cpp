#include "server/domain/case_rights.hpp"

#include <algorithm>
#include <chrono>

#include "server/domain/access_policy.hpp"

namespace grievance::domain {

bool is_feedback_move(const LifecycleRule& rule) {
  return rule.name == "accept_remedy" || rule.name == "refuse_remedy";
}

std::optional<TimePoint> appeal_window_end(const Case& c, const ServiceConfig& config) {
  if (c.status != CaseStatus::kClosed && c.status != CaseStatus::kRejected) return std::nullopt;
  if (!c.settled_at) return std::nullopt;
  return *c.settled_at + std::chrono::days(config.appeal_window_days);
}

CaseRights rights_of(const Session& s, const Case& c, TimePoint now, const ServiceConfig& config) {
  CaseRights r;
  const CaseAccess access = case_access(s, c);
  if (access == CaseAccess::kNone) return r;
  const auto actor = lifecycle_actor(s, c);
  const auto appeal_end = appeal_window_end(c, config);
  const bool may_appeal = appeal_end && now <= *appeal_end;
  if (actor) {
    for (const LifecycleRule& rule : lifecycle_rules()) {
      if (is_feedback_move(rule)) continue;
      if (std::find(rule.from.begin(), rule.from.end(), c.status) == rule.from.end()) continue;
      if (std::find(rule.by.begin(), rule.by.end(), *actor) == rule.by.end()) continue;
      if (rule.to == CaseStatus::kAppealed && !may_appeal) continue;
      r.moves.push_back(&rule);
    }
  }
  const bool complainant_side = actor == Actor::kComplainant;
  const bool responsible = actor == Actor::kResponsibleCompany;

  r.may_write = access >= CaseAccess::kMessage && may_post_message(s, c, Visibility::kParties);
  r.may_write_internal = may_post_message(s, c, Visibility::kOrganisation);
  r.may_write_mechanism = may_post_message(s, c, Visibility::kMechanism);
  r.may_assign = s.role == Role::kAdmin && c.parties.empty();
  r.may_ask = responsible && is_open(c.status) && !c.paused_since;
  const bool plan_under_way =
      c.status == CaseStatus::kRemedyProposed || c.status == CaseStatus::kResolved;
  r.may_mark_done = responsible && plan_under_way &&
                    std::any_of(c.remedy.begin(), c.remedy.end(),
                                [](const RemedyAction& a) { return !a.done_at; });
  r.may_judge_actions = complainant_side &&
                        std::any_of(c.remedy.begin(), c.remedy.end(),
                                    [](const RemedyAction& a) { return a.done_at && !a.verdict; });
  r.may_feedback = complainant_side && c.status == CaseStatus::kRemedyProposed;
  r.may_answer_follow_up = complainant_side && c.status == CaseStatus::kClosed && c.follow_up_due &&
                           now >= *c.follow_up_due && !c.follow_up_answer;
  r.may_report_retaliation = complainant_side;
  r.may_share_identity = complainant_side && c.identity == IdentityLevel::kConfidential;
  r.may_withdraw_identity = complainant_side && c.identity == IdentityLevel::kShared;
  r.may_request_disclosure = s.role == Role::kCompany && access >= CaseAccess::kMessage &&
                             c.identity == IdentityLevel::kConfidential &&
                             !c.disclosure_requested_by && is_open(c.status);
  r.may_answer_disclosure = complainant_side && c.disclosure_requested_by.has_value() &&
                            c.identity == IdentityLevel::kConfidential;
  r.may_decide_register = complainant_side;
  r.may_review = s.role == Role::kAdmin && (c.retaliation || c.remedy_failed);
  r.may_translate = s.role != Role::kComplainant && access >= CaseAccess::kMessage;
  // A lost access code: the operator, or the union that filed the case (case_access made sure
  // it is that union, whatever its mandate), after checking who asks outside the system.
  r.may_reissue_code = s.role == Role::kAdmin || s.role == Role::kUnion;
  if (may_appeal) r.appeal_open_until = appeal_end;
  // Meetings: between the worker's side and the company that runs the workplace. A buyer is
  // not a side: it reads the meetings but answers for no workplace (docs/domain.md "Meetings").
  if (complainant_side) r.meeting_side = MeetingSide::kComplainant;
  if (responsible) r.meeting_side = MeetingSide::kCompany;
  r.may_propose_meeting = r.meeting_side.has_value() && is_open(c.status);
  r.may_answer_meeting = r.may_propose_meeting;
  r.may_record_minutes = r.meeting_side.has_value();
  r.may_attach = r.may_write || r.may_write_mechanism;
  if (complainant_side && may_appeal) r.appeal_until = appeal_end;
  const bool may_propose = std::any_of(r.moves.begin(), r.moves.end(), [](const auto* rule) {
    return rule->needs == Needs::kRemedyPlan;
  });
  if (may_propose) {
    for (const CaseParty& p : c.parties) {
      if (may_see_organisation(s, c, p.org_id)) r.plan_organisations.push_back(p.org_id);
    }
  }
  return r;
}

}  // namespace grievance::domain
