// The lifecycle of a case as data (docs/domain.md "Lifecycle"): which actor may move a case
// from which status to which, and what each move must carry. Request Tracker's idea - the
// lifecycle is a table with rights per transition - applied to a grievance mechanism (UNGP 31
// "predictable"; CSDDD Art. 14(4)(c): a rejection and an "unfounded" closure give reasons).
// Pure data and functions: tested exhaustively in tests/unit/lifecycle_test.cpp.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "server/domain/types.hpp"

namespace grievance::domain {

// Who acts in the lifecycle. Derived from the session and the case by lifecycle_actor(): the
// access policy decides who may see a case; this decides who may move it.
enum class Actor {
  kComplainant,         // the worker who filed, or the filing union on the worker's behalf (mandate
                        // follow)
  kResponsibleCompany,  // the company operating the site: it leads the response
  kOperator,            // the mechanism's operator (admin), independent of the companies
};

std::string_view to_string(Actor v);

// What a transition must carry besides the reason every transition has (a text the
// complainant reads).
enum class Needs {
  kNothing,
  kReasoning,     // a substantiated reasoning (rejection, unfounded closure, upheld appeal)
  kExternalBody,  // which body the case goes to
  kRemedyPlan,    // at least one action: what, which organisation, by when
  kOutcome,       // a closure's outcome from `outcomes`
};

// One row of the table: `by` may move a case in one of `from` to `to`.
struct LifecycleRule {
  std::string_view name;  // "acknowledge", "reject", ...: the API's and the pages' word for it
  std::span<const CaseStatus> from;
  CaseStatus to;
  std::span<const Actor> by;
  Needs needs = Needs::kNothing;
  std::span<const Outcome> outcomes = {};  // for Needs::kOutcome; rejected/withdrawn imply theirs
};

// Every rule, in the order of a case's life.
std::span<const LifecycleRule> lifecycle_rules();

// The rule that lets `actor` move a case from `from` to `to`, or nullptr when there is none
// (the move is refused: 409 invalid_transition).
const LifecycleRule* find_rule(CaseStatus from, CaseStatus to, Actor actor);

// Does this move need a substantiated reasoning? A rejection, an upheld appeal, and a closure
// whose outcome is "unfounded" (CSDDD Art. 14(4)(c)).
bool needs_reasoning(const LifecycleRule& rule, std::optional<Outcome> outcome);

// The statuses a case is still being worked on in (deadlines run; messages, meetings, plans).
bool is_open(CaseStatus s);
// The statuses that end a case and record an outcome (closed, rejected, withdrawn); escalated
// leaves the mechanism until the external body's result is recorded with a closure.
bool is_closure(CaseStatus s);
// The outcome a closure to `to` implies when the rule itself fixes it (rejected: not
// admissible; withdrawn: withdrawn), nullopt otherwise.
std::optional<Outcome> implied_outcome(CaseStatus to);

}  // namespace grievance::domain
