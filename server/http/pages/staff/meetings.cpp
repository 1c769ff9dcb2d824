// Meetings and translations on the staff case view (docs/domain.md "Meetings",
// "Translations"). The responsible company and the union following the case propose a meeting,
// accept one of the other side's times, propose others or decline, and record the minutes after
// the meeting; whoever handles the case (CaseRights::may_translate) adds a translation under the
// narrative or a message, and every translation is shown under its original. Each form is shown
// from the view's rights and each post calls one Casework method: the domain decides.
#include <string>

#include "server/domain/local_time.hpp"
#include "server/http/pages/meeting_parts.hpp"
#include "server/http/pages/staff/case_page.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

namespace {

using domain::Language;
using nlohmann::json;

constexpr Language kLanguages[] = {Language::kEn, Language::kNl, Language::kId, Language::kVi,
                                   Language::kFr};

domain::TimeZone zone_of(const domain::CaseView& v) {
  return domain::complaint_time_zone(v.c.complaint, v.site ? &*v.site : nullptr);
}

// The seq of the `filed` event: the narrative's, for its translations.
std::optional<std::int64_t> narrative_seq(const domain::CaseView& v) {
  for (const auto& e : v.events) {
    if (e.type == domain::EventType::kFiled) return e.seq;
  }
  return std::nullopt;
}

// A translate form for event `seq` ({action, seq, id, languages, err_*, text}).
json translate_form(const PageKit& kit, Language l, const domain::CaseView& v,
                    const CaseForms& forms, std::int64_t seq) {
  const std::string form = "translate-" + std::to_string(seq);
  json languages = json::array();
  const std::string chosen = form_typed(forms, form, "language");
  for (Language x : kLanguages) {
    const std::string code(domain::to_string(x));
    languages.push_back({{"value", code},
                         {"label", kit.text(l, "language_name_" + code)},
                         {"selected", code == chosen}});
  }
  return {{"action", "/staff/cases/" + v.c.reference + "/translations"},
          {"seq", seq},
          {"id", form},
          {"languages", std::move(languages)},
          {"text", form_typed(forms, form, "text")},
          {"err_language", form_error(forms, form, "language")},
          {"err_text", form_error(forms, form, "text")}};
}

std::pair<std::string, const char*> meeting_field(const std::string& field) {
  if (field == "place") return {"place", "meeting_error_place"};
  if (field == "interpreter_language") {
    return {"interpreter_language", "meeting_error_interpreter_language"};
  }
  if (field == "time" || field == "answer") return {"choice", "meeting_error_choice"};
  if (field == "reason") return {"reason", "meeting_error_reason"};
  if (field == "text") return {"text", "meeting_error_minutes"};
  return {"times", "meeting_error_times"};
}

std::optional<std::int64_t> parse_seq(std::string_view s) {
  if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stoll(std::string(s));
}

}  // namespace

void add_meetings(const StaffPages& pages, Language l, const domain::Session&,
                  const domain::CaseView& view, const CaseForms& forms, json& data) {
  const PageKit& kit = pages.kit();
  const domain::TimeZone zone = zone_of(view);
  const std::string path = "/staff/cases/" + view.c.reference;
  json meetings = meetings_json(kit, l, view, zone, /*worker=*/false);
  for (auto& m : meetings) {
    const std::string answer_form = "answer-" + m["id"].dump();
    m["answer_action"] = path + "/meetings/answer";
    m["minutes_action"] = path + "/meetings/minutes";
    m["err_choice"] = form_error(forms, answer_form, "choice");
    m["err_times"] = form_error(forms, answer_form, "times");
    m["err_reason"] = form_error(forms, answer_form, "reason");
    m["reason_typed"] = form_typed(forms, answer_form, "reason");
    const std::string minutes_form = "minutes-" + m["id"].dump();
    m["err_text"] = form_error(forms, minutes_form, "text");
    m["text_typed"] = form_typed(forms, minutes_form, "text");
  }
  data["meetings"] = std::move(meetings);
  data["has_meetings"] = !view.meetings.empty() || view.may_propose_meeting;
  data["meeting_zone"] = std::string(domain::to_local(view.c.created_at, zone).label);
  if (view.may_propose_meeting) {
    const std::string form = "meeting";
    data["meeting_form"] = {
        {"action", path + "/meetings"},
        {"place", form_typed(forms, form, "place")},
        {"call", form_typed(forms, form, "where") == "call"},
        {"err_times", form_error(forms, form, "times")},
        {"err_place", form_error(forms, form, "place")},
        {"err_interpreter_language", form_error(forms, form, "interpreter_language")}};
  }
  // Translations: under the narrative and under each message, with a form for whoever may add
  // one (an internal note is never translated: the domain refuses it, so no form).
  if (auto seq = narrative_seq(view)) {
    data["narrative_translations"] = translations_of(kit, l, view, *seq, /*worker=*/false);
    if (view.may_translate) data["narrative_translate"] = translate_form(kit, l, view, forms, *seq);
  }
  auto& events = data["events"];
  for (std::size_t i = 0; i < view.events.size() && i < events.size(); ++i) {
    const domain::CaseEvent& e = view.events[i];
    if (e.type != domain::EventType::kMessage) continue;
    events[i]["translations"] = translations_of(kit, l, view, e.seq, /*worker=*/false);
    if (view.may_translate && e.visibility != domain::Visibility::kOrganisation) {
      events[i]["translate"] = translate_form(kit, l, view, forms, e.seq);
    }
  }
}

Response case_meeting(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  auto view = pages.services().casework.view_case(post->session, reference);
  if (!view) return pages.not_found_page(req, post->lang, &post->session);
  auto proposed = pages.services().casework.propose_meeting(
      post->session, reference, meeting_request_of(post->form, zone_of(*view)));
  if (!proposed) {
    return form_refused(pages, req, *post, reference, "meeting", proposed.error(), meeting_field);
  }
  return form_done(req, reference, post->lang.lang, "meeting");
}

Response case_meeting_answer(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  auto view = pages.services().casework.view_case(post->session, reference);
  if (!view) return pages.not_found_page(req, post->lang, &post->session);
  const auto id = parse_seq(post->form.get("meeting"));
  const domain::Meeting* meeting = nullptr;
  for (const auto& m : view->meetings) {
    if (id && m.id == *id) meeting = &m;
  }
  if (!meeting) return pages.not_found_page(req, post->lang, &post->session);
  domain::MeetingAnswerRequest r;
  const std::string choice = post->form.get("choice");
  if (choice.starts_with("accept:")) {
    r.answer = "accept";
    r.time = choice.substr(7);
  } else {
    r.answer = choice;
  }
  r.reason = post->form.get("reason");
  // Other times for the same meeting: the place and the needs stay as proposed.
  r.counter = meeting_request_of(post->form, zone_of(*view));
  r.counter.call = meeting->call;
  r.counter.place = meeting->place;
  r.counter.interpreter = meeting->interpreter;
  r.counter.interpreter_language = meeting->interpreter_language;
  r.counter.companion = meeting->companion;
  auto answered =
      pages.services().casework.answer_meeting(post->session, reference, meeting->id, r);
  if (!answered) {
    return form_refused(pages, req, *post, reference, "answer-" + std::to_string(meeting->id),
                        answered.error(), meeting_field);
  }
  return form_done(req, reference, post->lang.lang, "meeting_answered");
}

Response case_meeting_minutes(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  const auto id = parse_seq(post->form.get("meeting")).value_or(0);
  auto minuted = pages.services().casework.record_minutes(post->session, reference, id,
                                                          post->form.get("text"));
  if (!minuted) {
    return form_refused(pages, req, *post, reference, "minutes-" + std::to_string(id),
                        minuted.error(), meeting_field);
  }
  return form_done(req, reference, post->lang.lang, "minutes");
}

Response case_translation(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  const auto seq = parse_seq(post->form.get("seq")).value_or(0);
  auto translated = pages.services().casework.add_translation(
      post->session, reference, seq, post->form.get("language"), post->form.get("text"));
  if (!translated) {
    return form_refused(pages, req, *post, reference, "translate-" + std::to_string(seq),
                        translated.error(),
                        [](const std::string& field) -> std::pair<std::string, const char*> {
                          if (field == "language")
                            return {"language", "translation_error_language"};
                          return {"text", "translation_error_text"};
                        });
  }
  return form_done(req, reference, post->lang.lang, "translated");
}

}  // namespace grievance::http::pages::staff
