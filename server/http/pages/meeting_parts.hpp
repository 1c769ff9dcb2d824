// What the worker's case page (worker/case_page.cpp) and the staff case view (staff/meetings.cpp)
// show of meetings and translations the same way (docs/domain.md "Meetings", "Translations"):
// each meeting in the reader's words with its times on the workplace's clock, and the reading
// of the meeting forms' fields. Times are entered and shown in the zone of the workplace
// (local_time.hpp) on both pages: the meeting happens there.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "server/domain/case_view.hpp"
#include "server/domain/local_time.hpp"
#include "server/domain/meetings.hpp"
#include "server/http/pages/kit.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::pages {

// How many time inputs the pages' meeting forms offer (the API takes up to 5).
inline constexpr int kMeetingTimeInputs = 3;

// "9 October 2026, 02:05 WIB": a moment on the clock of `zone`.
std::string local_time_text(const PageKit& kit, domain::Language l, domain::TimePoint t,
                            const domain::TimeZone& zone);

// The value of an <input type="datetime-local"> for `t` in `zone` ("2026-12-03T09:00").
std::string datetime_local_value(domain::TimePoint t, const domain::TimeZone& zone);

// The meetings as template data, in the words of `viewer` (the worker: "you" and "the
// company"; staff: "the complainant's side" and "the company", or "your company"):
// [{id, title, state, times:[{value, label}], where, needs:[..], agreed, reason,
//   minutes:[{by, at, text}], may_answer, may_minute}].
nlohmann::json meetings_json(const PageKit& kit, domain::Language l, const domain::CaseView& v,
                             const domain::TimeZone& zone, bool worker);

// A proposal from a page form: times "time_1".."time_N" (datetime-local, in `zone`; empty ones
// skipped, an unreadable one passed on as typed so the domain refuses it), "where"
// ("place"/"call"), "place", "interpreter", "interpreter_language", "companion".
domain::MeetingRequest meeting_request_of(const web::FormData& form, const domain::TimeZone& zone);

// The translations of event `seq` in the view, for showing under the original:
// [{heading ("Translation into Dutch, by Plantation"), language (code), text}].
nlohmann::json translations_of(const PageKit& kit, domain::Language l, const domain::CaseView& v,
                               std::int64_t seq, bool worker);

}  // namespace grievance::http::pages
