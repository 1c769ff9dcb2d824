// What a viewer may do in a case now (docs/domain.md "What each party may do"): the lifecycle
// table (lifecycle.hpp) and the access policy (access_policy.hpp), applied to one case at one
// time. Computed once, here: the view carries it so that a page shows only the forms the
// domain accepts, and every Casework call checks the same right before it changes anything.
#pragma once

#include <optional>
#include <vector>

#include "server/domain/config.hpp"
#include "server/domain/lifecycle.hpp"
#include "server/domain/meetings.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

struct CaseRights {
  // The lifecycle moves the viewer may make from the case's status (the appeal only while its
  // window is open). Accepting or refusing a plan is may_feedback (POST .../feedback).
  std::vector<const LifecycleRule*> moves;
  bool may_write = false;               // a message to the parties
  bool may_write_internal = false;      // an internal note of the viewer's organisation
  bool may_write_mechanism = false;     // for the complainant, the union and the operator only
  bool may_assign = false;              // an admin, and the case waits in triage
  bool may_ask = false;                 // the responsible company: ask and pause the clock
  bool may_mark_done = false;           // the responsible company: an action not marked done
  bool may_judge_actions = false;       // the complainant's side: a done action without verdict
  bool may_feedback = false;            // the complainant's side: a plan is proposed
  bool may_answer_follow_up = false;    // the follow-up check asked and was not answered
  bool may_report_retaliation = false;  // the complainant's side, in any status
  bool may_share_identity = false;      // confidential -> shared (consent)
  bool may_withdraw_identity = false;   // shared -> confidential, for the future
  bool may_request_disclosure = false;  // a company of the case; confidential, none pending
  bool may_answer_disclosure = false;   // the complainant's side: a request waits
  // The complainant's side lists the case in the public register or takes it off, in any
  // status (CaseView::listed_in_register says which form applies).
  bool may_decide_register = false;
  bool may_review = false;  // an admin: a retaliation report or a failed remedy waits
  // Who handles the case - a company of the case, the filing union taking part, an admin -
  // may add a translation of the narrative or of a message they can read.
  bool may_translate = false;
  bool may_reissue_code = false;  // an admin or the filing union (any mandate): a lost code
  // Meetings (CSDDD Art. 14(4)(b); meetings.hpp): the complainant's side (the complainant, the
  // union following the case) and the responsible company - not a buyer, which reads them.
  // meeting_side is the viewer's side; proposing needs an open case, answering and minutes
  // are checked per meeting too (Meeting::may_answer, may_minute).
  std::optional<MeetingSide> meeting_side;
  bool may_propose_meeting = false;
  bool may_answer_meeting = false;
  bool may_record_minutes = false;
  // The parties of the case - the complainant's side, the companies of the case, the operator -
  // may add evidence (docs/domain.md "Evidence"); the count limit is checked on upload.
  bool may_attach = false;
  // The end of the appeal window while the viewer may still appeal.
  std::optional<TimePoint> appeal_until;
  // The end of the appeal window while it is open, for every reader of the case: the company
  // and the operator see how long the complainant may still contest the decision.
  std::optional<TimePoint> appeal_open_until;
  // The organisations a remedy plan the viewer proposes may name as an action's owner: the
  // parties of the case the viewer may see named (may_see_organisation) - for the responsible
  // company itself, never a buyer it does not know (docs/domain.md "Who sees what").
  std::vector<std::int64_t> plan_organisations;
};

// The accept/refuse moves of the table: made through feedback (with a satisfaction score),
// never as a bare transition.
bool is_feedback_move(const LifecycleRule& rule);

// The end of the window in which a settled case (closed, rejected) may be appealed; nullopt when
// the case is in no such status.
std::optional<TimePoint> appeal_window_end(const Case& c, const ServiceConfig& config);

// Everything `s` may do in `c` at `now`. `c` is the whole case (parties included).
CaseRights rights_of(const Session& s, const Case& c, TimePoint now, const ServiceConfig& config);

}  // namespace grievance::domain
