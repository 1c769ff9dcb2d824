#include "server/domain/lifecycle.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace grievance::domain {
namespace {

using S = CaseStatus;
using A = Actor;
using O = Outcome;

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Actor, 3> kActors{{
    {A::kComplainant, "complainant"},
    {A::kResponsibleCompany, "responsible_company"},
    {A::kOperator, "operator"},
}};
template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E v) {
  for (const auto& [value, name] : names) {
    if (value == v) return name;
  }
  return "";
}
// ---- the table ---------------------------------------------------------------------------
// The statuses a case is worked on in; `reopened` is worked on like `in_dialogue`.
constexpr std::array kOpen = {S::kReceived, S::kAcknowledged, S::kInDialogue, S::kRemedyProposed,
                              S::kReopened};

constexpr std::array kFromReceived = {S::kReceived};
constexpr std::array kFromReceivedAcknowledgedReopened = {S::kReceived, S::kAcknowledged,
                                                          S::kReopened};
constexpr std::array kFromDialogue = {S::kAcknowledged, S::kInDialogue, S::kReopened};
constexpr std::array kFromProposed = {S::kRemedyProposed};
constexpr std::array kFromResolved = {S::kResolved};
constexpr std::array kFromReject = {S::kReceived, S::kAcknowledged, S::kInDialogue, S::kReopened};
constexpr std::array kFromWithdraw = {S::kReceived,       S::kAcknowledged, S::kInDialogue,
                                      S::kRemedyProposed, S::kReopened,     S::kEscalated};
constexpr std::array kFromEscalated = {S::kEscalated};
constexpr std::array kFromAppealable = {S::kClosed, S::kRejected};
constexpr std::array kFromAppealed = {S::kAppealed};
constexpr std::array kFromReopenable = {S::kAppealed, S::kClosed, S::kWithdrawn, S::kEscalated};

constexpr std::array kByCompany = {A::kResponsibleCompany};
constexpr std::array kByComplainant = {A::kComplainant};
constexpr std::array kByOperator = {A::kOperator};
constexpr std::array kByCompanyOrOperator = {A::kResponsibleCompany, A::kOperator};
constexpr std::array kByAnyone = {A::kComplainant, A::kResponsibleCompany, A::kOperator};

constexpr std::array kRemedyOutcomes = {O::kRemedyAccepted, O::kRemedyPartlyAccepted};
constexpr std::array kDialogueOutcomes = {O::kUnfounded, O::kNoAnswerFromComplainant};
constexpr std::array kReferredOutcome = {O::kReferred};

const std::array kRules = {
    // The company (or, while the case waits in triage, the operator) confirms it has the case.
    LifecycleRule{"acknowledge", kFromReceived, S::kAcknowledged, kByCompanyOrOperator},
    // The first substantive response; a reopened case returns to the dialogue the same way.
    LifecycleRule{"respond", kFromReceivedAcknowledgedReopened, S::kInDialogue, kByCompany},
    LifecycleRule{"propose_remedy", kFromDialogue, S::kRemedyProposed, kByCompany,
                  Needs::kRemedyPlan},
    // The complainant's verdict on a plan (POST .../feedback).
    LifecycleRule{"refuse_remedy", kFromProposed, S::kInDialogue, kByComplainant},
    LifecycleRule{"accept_remedy", kFromProposed, S::kResolved, kByComplainant},
    LifecycleRule{"close", kFromResolved, S::kClosed, kByCompanyOrOperator, Needs::kOutcome,
                  kRemedyOutcomes},
    // Closing without a remedy: unfounded (with reasoning) or no answer from the complainant.
    LifecycleRule{"close_without_remedy", kFromDialogue, S::kClosed, kByCompany, Needs::kOutcome,
                  kDialogueOutcomes},
    LifecycleRule{"reject", kFromReject, S::kRejected, kByCompany, Needs::kReasoning},
    LifecycleRule{"escalate", kOpen, S::kEscalated, kByAnyone, Needs::kExternalBody},
    LifecycleRule{"close_referred", kFromEscalated, S::kClosed, kByCompanyOrOperator,
                  Needs::kOutcome, kReferredOutcome},
    LifecycleRule{"withdraw", kFromWithdraw, S::kWithdrawn, kByComplainant},
    // Within the appeal window; the operator, never the company, decides.
    LifecycleRule{"appeal", kFromAppealable, S::kAppealed, kByComplainant},
    LifecycleRule{"uphold_closure", kFromAppealed, S::kClosed, kByOperator, Needs::kReasoning},
    LifecycleRule{"uphold_rejection", kFromAppealed, S::kRejected, kByOperator, Needs::kReasoning},
    LifecycleRule{"reopen", kFromReopenable, S::kReopened, kByOperator},
};

}  // namespace

std::string_view to_string(Actor v) { return name_of(kActors, v); }

std::span<const LifecycleRule> lifecycle_rules() { return kRules; }

const LifecycleRule* find_rule(CaseStatus from, CaseStatus to, Actor actor) {
  for (const LifecycleRule& rule : kRules) {
    if (rule.to != to) continue;
    if (std::find(rule.from.begin(), rule.from.end(), from) == rule.from.end()) continue;
    if (std::find(rule.by.begin(), rule.by.end(), actor) == rule.by.end()) continue;
    return &rule;
  }
  return nullptr;
}

bool needs_reasoning(const LifecycleRule& rule, std::optional<Outcome> outcome) {
  return rule.needs == Needs::kReasoning || outcome == O::kUnfounded;
}

bool is_open(CaseStatus s) { return std::find(kOpen.begin(), kOpen.end(), s) != kOpen.end(); }

bool is_closure(CaseStatus s) { return s == S::kClosed || s == S::kRejected || s == S::kWithdrawn; }

std::optional<Outcome> implied_outcome(CaseStatus to) {
  if (to == S::kRejected) return O::kNotAdmissible;
  if (to == S::kWithdrawn) return O::kWithdrawn;
  return std::nullopt;
}

}  // namespace grievance::domain
