// Meetings (CSDDD Art. 14(4)(b); docs/domain.md "Meetings"): the complainant's side and the
// responsible company propose times to meet, the other side accepts one, counters with others
// or declines; after the agreed time either side records short minutes. Every step is a case
// event for the parties (meetings.hpp says how its data is kept under the hash chain).
#include <algorithm>

#include "server/domain/case_rights.hpp"
#include "server/domain/casework_events.hpp"
#include "server/domain/casework_service.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/meetings.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {

namespace {

constexpr std::size_t kReasonMaxChars = 2000;
constexpr std::size_t kMinutesMaxChars = 4000;

CaseEvent proposal_event(const Session& session, TimePoint now, const std::vector<TimePoint>& times,
                         const MeetingRequest& r, std::optional<std::int64_t> replaces) {
  CaseEvent e = event_by(session, now, EventType::kMeetingProposed);
  e.body = r.call ? std::string() : r.place;
  e.detail = proposal_detail(times, r, replaces);
  return e;
}

}  // namespace

Result<CaseView> Casework::propose_meeting(const Session& session, std::string_view reference,
                                           const MeetingRequest& request) {
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  const TimePoint now = clock_.now();
  if (!rights_of(session, *c, now, config_).may_propose_meeting) {
    return fail(Error::forbidden(
        "Meetings are proposed by the complainant's side and the responsible company while the "
        "case is open."));
  }
  auto times = validate_meeting(request, now);
  if (!times) return fail(times.error());
  return commit(session, *c, *c, {proposal_event(session, now, *times, request, std::nullopt)});
}

Result<CaseView> Casework::answer_meeting(const Session& session, std::string_view reference,
                                          std::int64_t meeting,
                                          const MeetingAnswerRequest& request) {
  auto record = read_visible(session, reference);
  if (!record) return fail(record.error());
  const Case& c = record->c;
  const TimePoint now = clock_.now();
  const CaseRights rights = rights_of(session, c, now, config_);
  if (!rights.may_answer_meeting) {
    return fail(Error::forbidden(
        "Meetings are answered by the complainant's side and the responsible company while the "
        "case is open."));
  }
  const auto meetings = meetings_of(record->events, rights.meeting_side, now);
  auto m = std::find_if(meetings.begin(), meetings.end(),
                        [&](const Meeting& x) { return x.id == meeting; });
  if (m == meetings.end()) return fail(Error::not_found("No such meeting in this case."));
  if (m->proposed_by == *rights.meeting_side) {
    return fail(Error::forbidden("The other side answers a proposal."));
  }
  if (m->state != MeetingState::kProposed) {
    return fail(Error::invalid_transition("This proposal was already answered."));
  }
  if (request.answer == "accept") {
    auto t = parse_time(request.time);
    if (!t || std::find(m->times.begin(), m->times.end(), *t) == m->times.end()) {
      return fail(Error::invalid_field("time", "Accept one of the proposed times."));
    }
    if (*t <= now) return fail(Error::invalid_field("time", "This time has passed."));
    CaseEvent e = event_by(session, now, EventType::kMeetingAnswered);
    e.detail = answer_detail(meeting, *t);
    return commit(session, c, c, {std::move(e)});
  }
  if (request.answer == "decline") {
    if (auto s = check_text("reason", request.reason, kReasonMaxChars, true); !s) {
      return fail(s.error());
    }
    CaseEvent e = event_by(session, now, EventType::kMeetingAnswered);
    e.detail = answer_detail(meeting, std::nullopt);
    e.body = request.reason;
    return commit(session, c, c, {std::move(e)});
  }
  if (request.answer == "counter") {
    auto times = validate_meeting(request.counter, now);
    if (!times) return fail(times.error());
    return commit(session, c, c, {proposal_event(session, now, *times, request.counter, meeting)});
  }
  return fail(Error::invalid_field("answer", "Must be accept, decline or counter."));
}

Result<CaseView> Casework::record_minutes(const Session& session, std::string_view reference,
                                          std::int64_t meeting, std::string_view text) {
  auto record = read_visible(session, reference);
  if (!record) return fail(record.error());
  const Case& c = record->c;
  const TimePoint now = clock_.now();
  const CaseRights rights = rights_of(session, c, now, config_);
  if (!rights.may_record_minutes) {
    return fail(Error::forbidden("Minutes are recorded by the two sides of the meeting."));
  }
  if (auto s = check_text("text", text, kMinutesMaxChars, true); !s) return fail(s.error());
  const auto meetings = meetings_of(record->events, rights.meeting_side, now);
  auto m = std::find_if(meetings.begin(), meetings.end(),
                        [&](const Meeting& x) { return x.id == meeting; });
  if (m == meetings.end()) return fail(Error::not_found("No such meeting in this case."));
  if (!m->agreed_time) return fail(Error::invalid_transition("This meeting was not agreed."));
  if (now < *m->agreed_time) {
    return fail(Error::invalid_transition("Minutes are recorded after the meeting."));
  }
  if (!m->may_minute) {
    return fail(Error::invalid_transition("Your side has recorded the minutes already."));
  }
  CaseEvent e = event_by(session, now, EventType::kMeetingMinutes);
  e.detail = minutes_detail(meeting);
  e.body = std::string(text);
  return commit(session, c, c, {std::move(e)});
}

}  // namespace grievance::domain
