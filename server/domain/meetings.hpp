// Meetings between the complainant's side and the company (CSDDD Art. 14(4)(b); docs/domain.md
// "Meetings"). A meeting is a thread of case events: a proposal (kMeetingProposed: 1-5 times,
// a place or a call, an interpreter, a union companion), possibly answered by a counter-proposal
// (another kMeetingProposed that names the one it replaces), then accepted or declined
// (kMeetingAnswered), and after the agreed time its short minutes (kMeetingMinutes).
//
// The structured part of each event is kept in the event's sealed `detail` text as "key=value"
// lines (meeting_detail()), its free text (place, decline reason, minutes) in the sealed `body`:
// the hash chain covers both as it always has, so no new column or chain block is needed, and
// events without them hash exactly as before. Pure functions: no I/O, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// The two sides that meet: the complainant (or the union following the case for them) and the
// responsible company. Buyers, auditors and the operator read meetings but take no part.
enum class MeetingSide { kComplainant, kCompany };

// At most this many times in one proposal.
inline constexpr std::size_t kMeetingTimesMax = 5;

// A proposal as typed (POST .../meetings): times in UTC wire format (parse_time).
struct MeetingRequest {
  std::vector<std::string> times;
  std::string place;  // a place text; empty with `call`
  bool call = false;  // a (phone or video) call instead of a place
  bool interpreter = false;
  std::string interpreter_language;  // free text ("Javanese"), with `interpreter` only
  bool companion = false;            // the complainant wants a union companion
};

// An answer as typed (POST .../meetings/{id}/answer): "accept" one of the proposed `time`s,
// "decline" with a `reason`, or "counter" with other times (`counter`).
struct MeetingAnswerRequest {
  std::string answer;
  std::string time;
  std::string reason;
  MeetingRequest counter;
};

enum class MeetingState {
  kProposed,   // waits for the other side's answer
  kCountered,  // the other side proposed other times (replaced_by)
  kAgreed,     // a time was accepted
  kDeclined,   // the other side declined, with a reason
  kHeld,       // agreed, and minutes were recorded
};
std::string_view to_string(MeetingState s);

struct MeetingMinutes {
  MeetingSide by = MeetingSide::kComplainant;
  TimePoint at;
  std::string text;
};

// One proposal as the case's events tell it, for a viewer.
struct Meeting {
  std::int64_t id = 0;  // the seq of the kMeetingProposed event
  MeetingSide proposed_by = MeetingSide::kComplainant;
  TimePoint proposed_at;
  std::vector<TimePoint> times;
  std::string place;
  bool call = false;
  bool interpreter = false;
  std::string interpreter_language;
  bool companion = false;
  std::optional<std::int64_t> replaces;     // the proposal this one counters
  std::optional<std::int64_t> replaced_by;  // the counter-proposal that answered this one
  MeetingState state = MeetingState::kProposed;
  std::optional<TimePoint> agreed_time;
  std::string decline_reason;
  std::vector<MeetingMinutes> minutes;
  // What the viewer may do with this meeting now (decided by meetings_of).
  bool may_answer = false;  // an open proposal by the other side
  bool may_minute = false;  // agreed, its time has come, no minutes by the viewer's side yet
};

// The side an event's actor is on (a complainant or union actor: the complainant's side).
MeetingSide meeting_side_of(const CaseEvent& e);

// True for a kMeetingAnswered event that accepted a time (false: declined).
bool meeting_accepted(const CaseEvent& e);

// The meetings told by `events` (in order), oldest first; `viewer` is the viewer's side
// (CaseRights::meeting_side) or nullopt for a reader who takes no part.
std::vector<Meeting> meetings_of(const std::vector<CaseEvent>& events,
                                 std::optional<MeetingSide> viewer, TimePoint now);

// Checks a proposal (1-5 distinct times, each after `now`; a place or a call; text limits) and
// answers its times sorted; kInvalidField naming the field otherwise.
Result<std::vector<TimePoint>> validate_meeting(const MeetingRequest& r, TimePoint now);

// The `detail` text of each meeting event, and its reading (nullopt: not a meeting's detail).
std::string proposal_detail(const std::vector<TimePoint>& times, const MeetingRequest& r,
                            std::optional<std::int64_t> replaces);
std::string answer_detail(std::int64_t meeting, std::optional<TimePoint> accepted);
std::string minutes_detail(std::int64_t meeting);

}  // namespace grievance::domain
