#include "server/http/pages/case_page_parts.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace grievance::http::web {

domain::Date day_of(domain::TimePoint t) {
  return domain::Date{std::chrono::floor<std::chrono::days>(t)};
}

nlohmann::json stage_frames_json(const Catalogues& catalogues, domain::Language lang,
                                 std::span<const domain::StageFrame> stages,
                                 std::string_view day0_key, std::string_view step_prefix,
                                 const domain::TimeZone& zone) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : stages) {
    std::string frame = s.indicative_days == 0
                            ? catalogues.text(lang, day0_key)
                            : catalogues.format(lang, "stage_frame_days",
                                                {{"days", std::to_string(s.indicative_days)}});
    if (s.due) {
      frame += " · " + catalogues.format(
                           lang, "stage_frame_due",
                           {{"date", catalogues.date(lang, domain::local_date(*s.due, zone))}});
    }
    const char* state = s.current   ? "stage_state_current"
                        : s.reached ? "stage_state_done"
                                    : "stage_state_waiting";
    // A step has its own name, never its status's ("Solved ... Not yet" read as done: issue 8).
    std::string step_key(step_prefix);
    step_key += domain::to_string(s.stage);
    std::string name = catalogues.text(lang, step_key);
    if (name == step_key)
      name = catalogues.text(lang, "status_" + std::string(domain::to_string(s.stage)));
    out.push_back({{"name", name},
                   {"frame", frame},
                   {"state", catalogues.text(lang, state)},
                   {"reached", s.reached && !s.current},
                   {"current", s.current}});
  }
  return out;
}

std::string attachment_note(const Catalogues& catalogues, domain::Language lang,
                            const domain::CaseEvent::Attachment& a) {
  const std::string_view type = a.media_type;
  const char* kind = type.starts_with("image/")   ? "attach_kind_photo"
                     : type.starts_with("audio/") ? "attach_kind_recording"
                                                  : "attach_kind_document";
  char size[32];
  if (a.size >= 1024 * 1024) {
    std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(a.size) / (1024.0 * 1024.0));
  } else {
    std::snprintf(size, sizeof size, "%lld KB", static_cast<long long>((a.size + 1023) / 1024));
  }
  std::string out = catalogues.format(lang, "attach_note",
                                      {{"kind", catalogues.text(lang, kind)}, {"size", size}});
  if (a.metadata_removed) out += " " + catalogues.text(lang, "attach_metadata_removed");
  return out;
}

}  // namespace grievance::http::web
