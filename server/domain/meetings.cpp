#include "server/domain/meetings.hpp"

#include <algorithm>
#include <map>

#include "server/domain/validation.hpp"

namespace grievance::domain {

namespace {

constexpr std::size_t kPlaceMaxChars = 200;
constexpr std::size_t kLanguageMaxChars = 60;

// "key=value" lines; a value never holds a line break (validate_meeting refuses one).
std::map<std::string, std::string, std::less<>> read_detail(std::string_view detail) {
  std::map<std::string, std::string, std::less<>> out;
  while (!detail.empty()) {
    const auto end = detail.find('\n');
    const auto line = detail.substr(0, end);
    if (const auto eq = line.find('='); eq != std::string_view::npos) {
      out.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
    }
    if (end == std::string_view::npos) break;
    detail.remove_prefix(end + 1);
  }
  return out;
}

std::optional<std::int64_t> read_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

std::string_view flag(bool b) { return b ? "1" : "0"; }

}  // namespace

std::string_view to_string(MeetingState s) {
  switch (s) {
    case MeetingState::kProposed:
      return "proposed";
    case MeetingState::kCountered:
      return "countered";
    case MeetingState::kAgreed:
      return "agreed";
    case MeetingState::kDeclined:
      return "declined";
    case MeetingState::kHeld:
      return "held";
  }
  return "proposed";
}

MeetingSide meeting_side_of(const CaseEvent& e) {
  return e.actor_role == Role::kCompany ? MeetingSide::kCompany : MeetingSide::kComplainant;
}

Result<std::vector<TimePoint>> validate_meeting(const MeetingRequest& r, TimePoint now) {
  if (r.times.empty()) return fail(Error::invalid_field("times", "Propose at least one time."));
  if (r.times.size() > kMeetingTimesMax) {
    return fail(Error::invalid_field("times", "Propose at most 5 times."));
  }
  std::vector<TimePoint> times;
  for (const auto& text : r.times) {
    auto t = parse_time(text);
    if (!t) return fail(Error::invalid_field("times", "Must be a time like 2026-12-01T09:00:00Z."));
    if (*t <= now) return fail(Error::invalid_field("times", "Every time must be in the future."));
    times.push_back(*t);
  }
  std::sort(times.begin(), times.end());
  if (std::adjacent_find(times.begin(), times.end()) != times.end()) {
    return fail(Error::invalid_field("times", "The same time twice."));
  }
  if (r.call && !r.place.empty()) {
    return fail(Error::invalid_field("place", "A place or a call, not both."));
  }
  if (!r.call) {
    if (auto s = check_text("place", r.place, kPlaceMaxChars, true); !s) return fail(s.error());
  }
  if (r.interpreter) {
    if (auto s =
            check_text("interpreter_language", r.interpreter_language, kLanguageMaxChars, true);
        !s) {
      return fail(s.error());
    }
    if (r.interpreter_language.find_first_of("\r\n") != std::string::npos) {
      return fail(Error::invalid_field("interpreter_language", "One line."));
    }
  } else if (!r.interpreter_language.empty()) {
    return fail(Error::invalid_field("interpreter_language", "Only with an interpreter."));
  }
  return times;
}

std::string proposal_detail(const std::vector<TimePoint>& times, const MeetingRequest& r,
                            std::optional<std::int64_t> replaces) {
  std::string out = "times=";
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (i) out += ' ';
    out += format_time(times[i]);
  }
  out += "\ncall=";
  out += flag(r.call);
  out += "\ninterpreter=";
  out += flag(r.interpreter);
  out += "\ninterpreter_language=" + r.interpreter_language;
  out += "\ncompanion=";
  out += flag(r.companion);
  if (replaces) out += "\nreplaces=" + std::to_string(*replaces);
  return out;
}

std::string answer_detail(std::int64_t meeting, std::optional<TimePoint> accepted) {
  std::string out = "meeting=" + std::to_string(meeting);
  out += accepted ? "\nanswer=accept\ntime=" + format_time(*accepted) : "\nanswer=decline";
  return out;
}

std::string minutes_detail(std::int64_t meeting) { return "meeting=" + std::to_string(meeting); }

bool meeting_accepted(const CaseEvent& e) {
  return e.type == EventType::kMeetingAnswered && read_detail(e.detail)["answer"] == "accept";
}

std::vector<Meeting> meetings_of(const std::vector<CaseEvent>& events,
                                 std::optional<MeetingSide> viewer, TimePoint now) {
  std::vector<Meeting> out;
  auto find = [&](std::optional<std::int64_t> id) -> Meeting* {
    if (!id) return nullptr;
    auto it = std::find_if(out.begin(), out.end(), [&](const Meeting& m) { return m.id == *id; });
    return it == out.end() ? nullptr : &*it;
  };
  for (const CaseEvent& e : events) {
    if (e.type != EventType::kMeetingProposed && e.type != EventType::kMeetingAnswered &&
        e.type != EventType::kMeetingMinutes) {
      continue;
    }
    const auto d = read_detail(e.detail);
    auto get = [&](std::string_view key) -> std::string_view {
      auto it = d.find(key);
      return it == d.end() ? std::string_view{} : std::string_view(it->second);
    };
    if (e.type == EventType::kMeetingProposed) {
      Meeting m;
      m.id = e.seq;
      m.proposed_by = meeting_side_of(e);
      m.proposed_at = e.at;
      auto times = get("times");
      while (!times.empty()) {
        const auto sp = times.find(' ');
        if (auto t = parse_time(times.substr(0, sp))) m.times.push_back(*t);
        if (sp == std::string_view::npos) break;
        times.remove_prefix(sp + 1);
      }
      m.call = get("call") == "1";
      m.place = m.call ? std::string() : e.body;
      m.interpreter = get("interpreter") == "1";
      m.interpreter_language = std::string(get("interpreter_language"));
      m.companion = get("companion") == "1";
      m.replaces = read_int(get("replaces"));
      if (Meeting* old = find(m.replaces)) {
        old->state = MeetingState::kCountered;
        old->replaced_by = m.id;
      }
      out.push_back(std::move(m));
      continue;
    }
    Meeting* m = find(read_int(get("meeting")));
    if (!m) continue;  // a meeting the viewer cannot see: never expected (all are the parties')
    if (e.type == EventType::kMeetingAnswered) {
      if (get("answer") == "accept") {
        m->state = MeetingState::kAgreed;
        m->agreed_time = parse_time(get("time"));
      } else {
        m->state = MeetingState::kDeclined;
        m->decline_reason = e.body;
      }
    } else {
      m->minutes.push_back(MeetingMinutes{meeting_side_of(e), e.at, e.body});
      m->state = MeetingState::kHeld;
    }
  }
  for (Meeting& m : out) {
    if (!viewer) continue;
    m.may_answer = m.state == MeetingState::kProposed && m.proposed_by != *viewer;
    const bool agreed = m.state == MeetingState::kAgreed || m.state == MeetingState::kHeld;
    m.may_minute = agreed && m.agreed_time && now >= *m.agreed_time &&
                   std::none_of(m.minutes.begin(), m.minutes.end(),
                                [&](const MeetingMinutes& x) { return x.by == *viewer; });
  }
  return out;
}

}  // namespace grievance::domain
