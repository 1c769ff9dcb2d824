// Pieces that the worker's case page (worker/follow.cpp) and the staff case view
// (staff/cases.cpp) render the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "server/domain/case_view.hpp"
#include "server/domain/local_time.hpp"
#include "server/http/pages/i18n.hpp"

namespace grievance::http::web {

// The calendar day (UTC) of a time, for dates shown in words.
domain::Date day_of(domain::TimePoint t);

// UNGP 31(c): each stage with its indicative time frame and state, as template data
// ({name, frame, state, reached, current}). `day0_key` names the filing stage's frame ("on the
// day you send it" for the worker, "on the day of filing" for staff); `step_prefix` the catalogue
// keys of the stage names ("step_": the worker's words, "staff_step_": staff's); `zone` the
// zone whose calendar days the due dates are (the workplace's for the worker, UTC for staff).
nlohmann::json stage_frames_json(const Catalogues& catalogues, domain::Language lang,
                                 std::span<const domain::StageFrame> stages,
                                 std::string_view day0_key, std::string_view step_prefix,
                                 const domain::TimeZone& zone);

// An attachment in a timeline (docs/domain.md "Evidence"): "Photo, 1.2 MB, identifying
// details removed" in the reader's words.
std::string attachment_note(const Catalogues& catalogues, domain::Language lang,
                            const domain::CaseEvent::Attachment& a);

}  // namespace grievance::http::web
