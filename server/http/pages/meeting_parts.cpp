#include "server/http/pages/meeting_parts.hpp"

#include <chrono>
#include <cstdio>

namespace grievance::http::pages {

namespace {

using domain::Language;
using domain::MeetingSide;
using nlohmann::json;

// Who a side is for the reader: the worker reads "you" and "the company"; staff read "the
// complainant's side" and "the company" ("your company" for the company's own staff).
std::string side_text(const PageKit& kit, Language l, const domain::CaseView& v, MeetingSide side,
                      bool worker) {
  if (worker) {
    return kit.text(
        l, side == MeetingSide::kComplainant ? "meeting_side_you" : "meeting_side_company");
  }
  if (side == MeetingSide::kComplainant) return kit.text(l, "meeting_side_complainant");
  return kit.text(l, v.meeting_side == MeetingSide::kCompany ? "meeting_side_your_company"
                                                             : "meeting_side_company");
}

// Reads "2026-12-03T09:00" (seconds optional).
std::optional<std::chrono::local_seconds> parse_datetime_local(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  char tail = 0;
  const std::string text(s.substr(0, 16));
  if (s.size() < 16 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail) != 5) {
    return std::nullopt;
  }
  const std::chrono::year_month_day day{std::chrono::year{y}, std::chrono::month(mo),
                                        std::chrono::day(d)};
  if (!day.ok() || h > 23 || mi > 59) return std::nullopt;
  return std::chrono::local_days{day} + std::chrono::hours{h} + std::chrono::minutes{mi};
}

}  // namespace

std::string local_time_text(const PageKit& kit, Language l, domain::TimePoint t,
                            const domain::TimeZone& zone) {
  const domain::LocalTime local = domain::to_local(t, zone);
  const auto day = std::chrono::floor<std::chrono::days>(local.time);
  const std::chrono::hh_mm_ss hms{local.time - day};
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return kit.catalogues().date(l, domain::Date{day}) + ", " + hm + " " + std::string(local.label);
}

std::string datetime_local_value(domain::TimePoint t, const domain::TimeZone& zone) {
  const auto local = domain::to_local(t, zone).time;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  char out[40];  // room for any int the compiler cannot rule out (-Wformat-truncation)
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return out;
}

json meetings_json(const PageKit& kit, Language l, const domain::CaseView& v,
                   const domain::TimeZone& zone, bool worker) {
  json out = json::array();
  for (const domain::Meeting& m : v.meetings) {
    json times = json::array();
    for (const auto t : m.times) {
      times.push_back(
          {{"value", domain::format_time(t)},
           {"label", local_time_text(kit, l, t, zone)},
           {"id", "meeting-" + std::to_string(m.id) + "-t" + std::to_string(times.size() + 1)}});
    }
    json needs = json::array();
    if (m.interpreter) {
      needs.push_back(
          kit.format(l, "meeting_needs_interpreter", {{"language", m.interpreter_language}}));
    }
    if (m.companion) needs.push_back(kit.text(l, "meeting_needs_companion"));
    json minutes = json::array();
    for (const auto& x : m.minutes) {
      minutes.push_back({{"by", kit.format(l, "meeting_minutes_by",
                                           {{"who", side_text(kit, l, v, x.by, worker)}})},
                         {"at", local_time_text(kit, l, x.at, zone)},
                         {"text", x.text}});
    }
    json item = {{"id", m.id},
                 {"title", kit.format(l, "meeting_proposed_by",
                                      {{"who", side_text(kit, l, v, m.proposed_by, worker)},
                                       {"date", local_time_text(kit, l, m.proposed_at, zone)}})},
                 {"state", kit.text(l, "meeting_state_" + std::string(domain::to_string(m.state)))},
                 {"times", std::move(times)},
                 {"where", m.call ? kit.text(l, "meeting_by_call")
                                  : kit.format(l, "meeting_at_place", {{"place", m.place}})},
                 {"has_needs", !needs.empty()},
                 {"needs", std::move(needs)},
                 {"minutes", std::move(minutes)},
                 {"may_answer", m.may_answer},
                 {"may_minute", m.may_minute},
                 {"zone", std::string(domain::to_local(m.proposed_at, zone).label)}};
    if (m.agreed_time) {
      item["agreed"] = kit.format(l, "meeting_agreed_at",
                                  {{"time", local_time_text(kit, l, *m.agreed_time, zone)}});
    }
    if (m.state == domain::MeetingState::kDeclined) item["reason"] = m.decline_reason;
    out.push_back(std::move(item));
  }
  return out;
}

domain::MeetingRequest meeting_request_of(const web::FormData& form, const domain::TimeZone& zone) {
  domain::MeetingRequest r;
  for (int i = 1; i <= kMeetingTimeInputs; ++i) {
    const std::string typed = form.get("time_" + std::to_string(i));
    if (typed.empty()) continue;
    if (auto local = parse_datetime_local(typed)) {
      r.times.push_back(domain::format_time(domain::from_local(*local, zone)));
    } else {
      r.times.push_back(typed);  // the domain refuses it as "times"
    }
  }
  r.call = form.get("where") == "call";
  if (!r.call) r.place = form.get("place");
  r.interpreter = form.get("interpreter") == "yes";
  if (r.interpreter) r.interpreter_language = form.get("interpreter_language");
  r.companion = form.get("companion") == "yes";
  return r;
}

json translations_of(const PageKit& kit, Language l, const domain::CaseView& v, std::int64_t seq,
                     bool worker) {
  json out = json::array();
  for (std::size_t i = 0; i < v.events.size(); ++i) {
    const domain::CaseEvent& e = v.events[i];
    if (e.type != domain::EventType::kTranslation || e.translates != seq) continue;
    const std::string language(domain::to_string(e.language.value_or(Language::kEn)));
    std::string who;
    if (i < v.event_labels.size() && !v.event_labels[i].actor.name.empty()) {
      who = v.event_labels[i].actor.name;
    } else {
      const std::string role(domain::to_string(e.actor_role));
      who = worker            ? kit.text(l, "actor_" + role)
            : role == "admin" ? kit.text(l, "staff_actor_office")
                              : kit.text(l, "staff_actor_" + role);
    }
    out.push_back({{"heading", kit.format(l, "translation_by",
                                          {{"language", kit.text(l, "language_name_" + language)},
                                           {"who", who}})},
                   {"language", language},
                   {"text", e.body}});
  }
  return out;
}

}  // namespace grievance::http::pages
