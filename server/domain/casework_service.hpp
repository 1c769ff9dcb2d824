// Casework: reading cases as the access policy allows, the dialogue, the case list and the
// admins' triage (routing a case whose site was unknown). Every read answers a view that is
// complete for its reader (case_view.hpp). Next: the lifecycle (transitions, remedy, appeals).
// Thread-safe: one instance serves every request thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/case_view.hpp"
#include "server/domain/config.hpp"
#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/attachment_store.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/sign_in_throttle.hpp"

namespace grievance::domain {

// One action of a proposed remedy plan, as typed: what, which organisation carries it out (a
// party of the case), due by (YYYY-MM-DD).
struct RemedyActionInput {
  std::string what;
  std::int64_t org_id = 0;
  std::string due;
};

// A lifecycle move (POST .../transitions), as typed; the table (lifecycle.hpp) says which of
// the optional parts the move needs.
struct TransitionRequest {
  std::string to;                          // the target status's wire name
  std::string reason;                      // every move: a text the complainant reads
  std::string reasoning;                   // a rejection, an unfounded closure, an upheld appeal
  std::string outcome;                     // a closure's outcome (wire name)
  std::string external_body;               // an escalation's body (wire name)
  std::vector<RemedyActionInput> actions;  // remedy_proposed
};

// The complainant's verdict on a proposed plan (POST .../feedback).
struct FeedbackRequest {
  bool accept = false;
  int satisfaction = 0;  // 1..5
  std::string comment;
};

class Casework {
 public:
  Casework(CaseStore& cases, DirectoryStore& directory, AccountStore& accounts, Crypto& crypto,
           RandomSource& random, const Clock& clock, const ServiceConfig& config,
           SignInThrottle& throttle);

  // The case as the session may see it: one read snapshot of the case, its parties and
  // events; names from the directory snapshot. kNotFound when the session may not see it (or
  // the reference is malformed), so existence never leaks.
  Result<CaseView> view_case(const Session& session, std::string_view reference);
  // A complainant's own case (the session names it). kNotFound for other sessions.
  Result<CaseView> view_own_case(const Session& session);

  // A dialogue message, as the access policy allows (may_post_message); kNotFound when the
  // case is invisible, kForbidden when visible but the caller may not write, kInvalidField
  // for a bad body or a visibility the caller may not use.
  Result<CaseEvent> post_message(const Session& session, std::string_view reference,
                                 std::string_view body, Visibility visibility);

  // The cases the session may see, filtered, newest first. kForbidden for roles that have
  // no case list (complainant, auditor); kInvalidField for a bad filter or cursor.
  Result<CasePage> list_cases(const Session& s, const CaseListRequest& r);

  // Admin: route a triage case to a company (responsible) and its buyers. kForbidden for
  // non-admins (and kNotFound for cases they cannot see); kInvalidField when the org is not
  // an enabled company; kConflict when the case is already routed.
  Result<CaseView> assign_case(const Session& s, std::string_view reference,
                               std::int64_t company_org_id);

  // A lifecycle move (docs/domain.md "Lifecycle"). kNotFound when the case is invisible,
  // kForbidden when the caller has no part in the lifecycle (a buyer, a union without a follow
  // mandate), kInvalidTransition when the table has no such move for the caller from the case's
  // status (or the appeal window has passed), kInvalidField for a missing reason, reasoning,
  // outcome, external body or plan, kConflict when another change came first. Answers the
  // case as the caller now sees it.
  Result<CaseView> transition(const Session& session, std::string_view reference,
                              const TransitionRequest& request);
  // The complainant (or the following union) accepts the proposed plan (-> resolved) or refuses
  // it (-> in_dialogue), with a satisfaction score 1-5 and a comment the company reads.
  Result<CaseView> feedback(const Session& session, std::string_view reference,
                            const FeedbackRequest& request);
  // The company marks remedy action `number` done, with a note on what was done.
  Result<CaseView> mark_action_done(const Session& session, std::string_view reference, int number,
                                    std::string_view note);
  // The complainant (or the following union) confirms or disputes a done action.
  Result<CaseView> judge_action(const Session& session, std::string_view reference, int number,
                                std::string_view verdict, std::string_view note);

  // The responsible company asks the complainant a question and waits for the answer: a
  // message to the parties and a clock_paused event everyone sees; the deadlines stand still
  // until the complainant's side answers (post_message), when a clock_resumed event moves them
  // on by the paused time. kInvalidTransition when the case is not open or already waiting.
  Result<CaseView> ask_complainant(const Session& session, std::string_view reference,
                                   std::string_view question);

  // ---- what the complainant tells the mechanism, and the operator's review
  // (casework_mechanism.cpp; docs/domain.md "Who sees what", "What each party may do") ----

  // The complainant (or the following union) reports retaliation: a mechanism-only event (never
  // a company), the case flagged for the operator at once. kForbidden for anyone else.
  Result<CaseView> report_retaliation(const Session& session, std::string_view reference,
                                      std::string_view body);
  // The follow-up check's answer: did the remedy hold ("yes", "partly", "no")? "no" puts the
  // case in front of the operator (remedy_failed). kInvalidTransition before the check asks or
  // after it was answered.
  Result<CaseView> answer_follow_up(const Session& session, std::string_view reference,
                                    std::string_view held, std::string_view comment);
  // The complainant's side shares the identity with the companies (explicit consent, an event)
  // or withdraws that consent for the future. kInvalidTransition when there is nothing to change
  // (anonymous: no contact is kept; already shared or not shared).
  Result<CaseView> set_identity_sharing(const Session& session, std::string_view reference,
                                        bool share);
  // The complainant's side lists the case in the public register (`list`) or takes it off
  // (docs/domain.md "Public register"): a register_consent event ("given", "withdrawn") that
  // only the complainant's side and the operator read, in any status. kForbidden for anyone
  // else who sees the case, kInvalidTransition when nothing changes, kConflict when another
  // change came first.
  Result<CaseView> set_register_listing(const Session& session, std::string_view reference,
                                        bool list);
  // A company of the case asks to learn who the complainant is, with a reason the complainant
  // reads. kInvalidTransition when the complainant is anonymous or already shared, kConflict
  // when a request waits.
  Result<CaseView> request_disclosure(const Session& session, std::string_view reference,
                                      std::string_view reason);
  // The complainant's side grants (the identity is shared) or refuses the waiting request.
  Result<CaseView> answer_disclosure(const Session& session, std::string_view reference, bool grant,
                                     std::string_view comment);
  // An admin has dealt with a flag ("retaliation", "remedy_failed"): it is cleared, with a note
  // for the complainant and the union (mechanism visibility).
  Result<CaseView> review(const Session& session, std::string_view reference, std::string_view flag,
                          std::string_view note);

  // A translation of the narrative (the `filed` event's seq) or of a message, in `language`,
  // by whoever handles the case (CaseRights::may_translate; casework_translations.cpp). It is
  // an event read by exactly those who read the original; the original is never changed.
  // kNotFound for an event the caller cannot see, kInvalidField for an event that is not a
  // narrative or a message, an internal note, a bad language or text.
  Result<CaseView> add_translation(const Session& session, std::string_view reference,
                                   std::int64_t seq, std::string_view language,
                                   std::string_view text);
  // ---- a lost access code (casework_mechanism.cpp; docs/domain.md "Lost access codes") ----

  // The operator or the union that filed the case (may_reissue_code), having checked outside
  // the system who asks, issues a new access code: generated and stored (its HMAC only) as
  // filing does; the old code stops working, every complainant session of the case ends, the
  // reference's sign-in lock is lifted, and an access_code_reissued event (mechanism
  // visibility) records the reason. Answers the new code in clear, once: never log or store
  // it. kNotFound when the case is invisible, kForbidden without the right, kInvalidField
  // without a reason, kConflict when another change came first.
  Result<std::string> reissue_access_code(const Session& session, std::string_view reference,
                                          std::string_view reason);

  // ---- meetings (casework_meetings.cpp; docs/domain.md "Meetings"; CSDDD Art. 14(4)(b)) ----

  // The complainant's side or the responsible company proposes a meeting (may_propose_meeting):
  // 1-5 future times, a place or a call, an interpreter, a union companion. kNotFound when the
  // case is invisible, kForbidden without the right, kInvalidField for a bad proposal.
  Result<CaseView> propose_meeting(const Session& session, std::string_view reference,
                                   const MeetingRequest& request);
  // The other side answers open proposal `meeting` (its event's seq): accepts one of its times,
  // declines with a reason, or counters with other times (a new proposal replacing it).
  // kNotFound for no such meeting, kForbidden for the proposing side or a non-party,
  // kInvalidTransition when the proposal is no longer open, kInvalidField for a time that was
  // not proposed, a missing reason or a bad counter-proposal.
  Result<CaseView> answer_meeting(const Session& session, std::string_view reference,
                                  std::int64_t meeting, const MeetingAnswerRequest& request);
  // Either side records short minutes of agreed meeting `meeting` once its time has come (once
  // per side). kInvalidTransition before the agreed time or for a meeting not agreed.
  Result<CaseView> record_minutes(const Session& session, std::string_view reference,
                                  std::int64_t meeting, std::string_view text);
  // ---- evidence (casework_attachments.cpp; docs/domain.md "Evidence") ----

  // Where attachment bytes are kept (Services sets it once at start; null: evidence answers
  // kUnavailable).
  void use_attachment_store(AttachmentStore* store) { attachments_ = store; }

  // A party of the case (CaseRights::may_attach) adds a file: `bytes` is checked by content
  // (media.hpp: the allow-list, executables and polyglots refused) and cleaned of identifying
  // metadata IN PLACE, then stored sealed and named by an attachment event (visibility: the
  // parties, or the mechanism when asked and allowed) whose SHA-256 the hash chain covers.
  // kNotFound when the case is invisible, kForbidden without the right, kPayloadTooLarge over
  // attachment_max_bytes, kConflict at attachments_per_case, kUnsupportedMediaType for a file
  // refused by content, kInvalidField for a broken file or an empty one. Answers the event.
  Result<CaseEvent> add_attachment(const Session& session, std::string_view reference,
                                   std::string_view file_name, std::string& bytes,
                                   Visibility visibility = Visibility::kParties);
  // The attachment event with this seq if the session may see it (kNotFound otherwise,
  // whatever the reason), and its bytes handed to `sink` chunk by chunk.
  Result<CaseEvent> attachment_event(const Session& session, std::string_view reference,
                                     std::int64_t seq);
  Status read_attachment(const CaseEvent& event, const std::function<bool(std::string_view)>& sink);

  // UNGP 31(c): each stage of the case with its indicative time frame.
  std::vector<StageFrame> stage_frames(const Case& c) const;

 private:
  // The case if `session` may see it; kNotFound otherwise (also for a malformed reference).
  Result<Case> find_visible(const Session& session, std::string_view reference);
  // The same with the case's events: 404 for a reference the session may not see.
  Result<CaseRecord> read_visible(const Session& session, std::string_view reference);
  // Writes `updated` and `events` if the case is still as `before` was read (kConflict
  // otherwise), and answers the view of the result.
  Result<CaseView> commit(const Session& session, const Case& before, Case updated,
                          std::vector<CaseEvent> events);
  // The view of a read case for `session`; kNotFound when invisible.
  Result<CaseView> view_of(const Session& session, CaseRecord record);

  CaseStore& cases_;
  DirectoryStore& directory_;
  AccountStore& accounts_;
  Crypto& crypto_;
  RandomSource& random_;
  const Clock& clock_;
  const ServiceConfig& config_;
  SignInThrottle& throttle_;
  AttachmentStore* attachments_ = nullptr;
};

}  // namespace grievance::domain
