// What the complainant tells the mechanism rather than the company, and the operator's review
// (docs/domain.md "Who sees what", "What each party may do"): retaliation reports, the
// follow-up check's answer, who may know the complainant, and the companies' requests to.
// Every change checks the right the view shows (case_rights.hpp) and is one optimistic write.
#include "server/domain/case_rights.hpp"
#include "server/domain/casework_events.hpp"
#include "server/domain/casework_service.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/complainant_sessions.hpp"
#include "server/domain/public_register.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {
namespace {

Status check_note(std::string_view field, std::string_view value, const Limits& limits,
                  bool required) {
  return check_text(field, value, limits.message_max_chars, required);
}

// The complainant's side: the worker, or the union whose mandate lets it follow the case.
bool on_complainant_side(const Session& s, const Case& c) {
  return lifecycle_actor(s, c) == Actor::kComplainant;
}

}  // namespace

Result<CaseView> Casework::report_retaliation(const Session& session, std::string_view reference,
                                              std::string_view body) {
  if (auto ok = validate_message_body(body, config_.limits); !ok) return fail(ok.error());
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  const TimePoint now = clock_.now();
  if (!rights_of(session, *c, now, config_).may_report_retaliation) {
    return fail(Error::forbidden("Only the complainant or their union reports retaliation."));
  }
  Case u = *c;
  u.retaliation = true;
  CaseEvent e = event_by(session, now, EventType::kRetaliationReported);
  e.visibility = Visibility::kMechanism;  // never a company (SPEC section 5)
  e.body = std::string(body);
  return commit(session, *c, std::move(u), {std::move(e)});
}

Result<CaseView> Casework::answer_follow_up(const Session& session, std::string_view reference,
                                            std::string_view held_text, std::string_view comment) {
  const auto held = parse_remedy_held(held_text);
  if (!held) return fail(Error::invalid_field("held", "Must be yes, partly or no."));
  if (auto ok = check_note("comment", comment, config_.limits, false); !ok) {
    return fail(ok.error());
  }
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (!on_complainant_side(session, *c)) {
    return fail(Error::forbidden("Only the complainant answers the follow-up question."));
  }
  const TimePoint now = clock_.now();
  if (!rights_of(session, *c, now, config_).may_answer_follow_up) {
    return fail(Error::invalid_transition(
        c->follow_up_answer ? "The follow-up question was already answered."
                            : "The follow-up question has not been asked for this case."));
  }
  Case u = *c;
  u.follow_up_answer = held;
  if (held == RemedyHeld::kNo) u.remedy_failed = true;  // in front of the operator
  CaseEvent e = event_by(session, now, EventType::kFollowUpAnswered);
  e.detail = std::string(to_string(*held));
  e.body = std::string(comment);
  return commit(session, *c, std::move(u), {std::move(e)});
}

Result<CaseView> Casework::set_identity_sharing(const Session& session, std::string_view reference,
                                                bool share) {
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (!on_complainant_side(session, *c)) {
    return fail(Error::forbidden("Only the complainant decides who may know who they are."));
  }
  if (c->identity == IdentityLevel::kAnonymous) {
    return fail(Error::invalid_transition(
        "The complaint is anonymous: no contact details are kept, so there is nothing to share."));
  }
  const TimePoint now = clock_.now();
  const CaseRights rights = rights_of(session, *c, now, config_);
  if (share ? !rights.may_share_identity : !rights.may_withdraw_identity) {
    return fail(Error::invalid_transition(share ? "The identity is already shared."
                                                : "The identity is not shared."));
  }
  Case u = *c;
  u.identity = share ? IdentityLevel::kShared : IdentityLevel::kConfidential;
  std::vector<CaseEvent> events;
  if (share && c->disclosure_requested_by) {
    // Sharing answers a waiting request too.
    CaseEvent answered = event_by(session, now, EventType::kDisclosureAnswered);
    answered.detail = "granted";
    events.push_back(std::move(answered));
    u.disclosure_requested_by.reset();
  }
  events.push_back(
      event_by(session, now, share ? EventType::kIdentityShared : EventType::kIdentityWithdrawn));
  return commit(session, *c, std::move(u), std::move(events));
}

Result<CaseView> Casework::set_register_listing(const Session& session, std::string_view reference,
                                                bool list) {
  auto record = read_visible(session, reference);
  if (!record) return fail(record.error());
  const Case& c = record->c;
  const TimePoint now = clock_.now();
  if (!rights_of(session, c, now, config_).may_decide_register) {
    return fail(Error::forbidden("Only the complainant decides whether the case is published."));
  }
  if (listed_in_register(record->events) == list) {
    return fail(Error::invalid_transition(list ? "The case is already in the public register."
                                               : "The case is not in the public register."));
  }
  CaseEvent e = event_by(session, now, EventType::kRegisterConsent);
  // The worker's choice stays with the worker's side and the operator: a company reads the
  // register like anyone, and never learns who asked for what or when.
  e.visibility = Visibility::kMechanism;
  e.detail = std::string(list ? kRegisterGiven : kRegisterWithdrawn);
  return commit(session, c, c, {std::move(e)});
}

Result<CaseView> Casework::request_disclosure(const Session& session, std::string_view reference,
                                              std::string_view reason) {
  if (auto ok = check_note("reason", reason, config_.limits, true); !ok) return fail(ok.error());
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (session.role != Role::kCompany) {
    return fail(Error::forbidden("Only a company of the case asks to learn the identity."));
  }
  const TimePoint now = clock_.now();
  if (!rights_of(session, *c, now, config_).may_request_disclosure) {
    if (c->disclosure_requested_by) {
      return fail(Error::conflict("A request to learn the identity already waits for an answer."));
    }
    return fail(Error::invalid_transition(
        c->identity == IdentityLevel::kAnonymous
            ? "The complainant is anonymous: no contact details are kept."
        : c->identity == IdentityLevel::kShared ? "The identity is already shared with you."
                                                : "The case is not open."));
  }
  Case u = *c;
  u.disclosure_requested_by = session.org_id;
  CaseEvent e = event_by(session, now, EventType::kDisclosureRequested);
  e.body = std::string(reason);
  return commit(session, *c, std::move(u), {std::move(e)});
}

Result<CaseView> Casework::answer_disclosure(const Session& session, std::string_view reference,
                                             bool grant, std::string_view comment) {
  if (auto ok = check_note("comment", comment, config_.limits, false); !ok) {
    return fail(ok.error());
  }
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (!on_complainant_side(session, *c)) {
    return fail(Error::forbidden("Only the complainant answers a request to learn who they are."));
  }
  const TimePoint now = clock_.now();
  if (!rights_of(session, *c, now, config_).may_answer_disclosure) {
    return fail(Error::invalid_transition("No request to learn the identity waits."));
  }
  Case u = *c;
  u.disclosure_requested_by.reset();
  std::vector<CaseEvent> events;
  CaseEvent answered = event_by(session, now, EventType::kDisclosureAnswered);
  answered.detail = grant ? "granted" : "refused";
  answered.body = std::string(comment);
  events.push_back(std::move(answered));
  if (grant) {
    u.identity = IdentityLevel::kShared;
    events.push_back(event_by(session, now, EventType::kIdentityShared));
  }
  return commit(session, *c, std::move(u), std::move(events));
}

Result<CaseView> Casework::review(const Session& session, std::string_view reference,
                                  std::string_view flag_text, std::string_view note) {
  const auto flag = parse_review_flag(flag_text);
  if (!flag) return fail(Error::invalid_field("flag", "Must be retaliation or remedy_failed."));
  if (auto ok = check_note("note", note, config_.limits, true); !ok) return fail(ok.error());
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (session.role != Role::kAdmin) {
    return fail(Error::forbidden("Only the complaints office reviews a case."));
  }
  const bool set = *flag == ReviewFlag::kRetaliation ? c->retaliation : c->remedy_failed;
  if (!set) return fail(Error::invalid_transition("Nothing of this kind waits for review."));
  const TimePoint now = clock_.now();
  Case u = *c;
  (*flag == ReviewFlag::kRetaliation ? u.retaliation : u.remedy_failed) = false;
  CaseEvent e = event_by(session, now, EventType::kReviewed);
  // What the office did about a retaliation report stays with the complainant's side; a failed
  // remedy is the companies' business too.
  e.visibility = *flag == ReviewFlag::kRetaliation ? Visibility::kMechanism : Visibility::kParties;
  e.detail = std::string(to_string(*flag));
  e.body = std::string(note);
  return commit(session, *c, std::move(u), {std::move(e)});
}

Result<std::string> Casework::reissue_access_code(const Session& session,
                                                  std::string_view reference,
                                                  std::string_view reason) {
  if (auto ok = check_note("reason", reason, config_.limits, true); !ok) return fail(ok.error());
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  const TimePoint now = clock_.now();
  if (!rights_of(session, *c, now, config_).may_reissue_code) {
    return fail(Error::forbidden(
        "Only the complaints office or the union that filed the case issues a new access code."));
  }
  // Made and stored exactly as at filing (filing_service.cpp): the CSPRNG's 16 digits, only
  // their HMAC bound to the reference.
  std::string code = generate_access_code(random_);
  CaseEvent e = event_by(session, now, EventType::kAccessCodeReissued);
  e.visibility = Visibility::kMechanism;  // the complainant's side and the operator only
  e.body = std::string(reason);
  if (auto ok = cases_.replace_access_code(c->id, access_code_mac(crypto_, c->reference, code), e,
                                           c->event_count);
      !ok) {
    if (ok.error().code == ErrorCode::kConflict) {
      return fail(Error::conflict("The case changed meanwhile. Reload it and try again."));
    }
    return fail(ok.error());
  }
  // The SQLite store ended the sessions in the same transaction; this forgets cached ones (and
  // ends them in a store that keeps sessions apart).
  if (auto ok = accounts_.delete_case_sessions(c->id); !ok) return fail(ok.error());
  throttle_.clear_subject("case:" + c->reference);
  return code;
}

}  // namespace grievance::domain
