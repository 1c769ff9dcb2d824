// The complainant's case page (GET /case) and the withdrawal's confirmation page (GET
// /case/withdraw). In plain words, for every status: who has the case now and what happens
// next, the reasons of each move, the remedy plan action by action, and the forms the
// domain's view allows (issue 9 item 6). Plain HTML forms: everything works with JavaScript
// off. The page decides no right: each form is shown from the view's rights (case_view.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/lifecycle.hpp"
#include "server/domain/local_time.hpp"
#include "server/http/auth.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/pages/meeting_parts.hpp"
#include "server/http/pages/worker/worker_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::worker {

namespace {

using domain::CaseStatus;
using domain::EventType;
using domain::Language;
using nlohmann::json;

// What the complainant may do on the page now: the view's rights (case_rights.hpp), never
// decided here.
struct WorkerRights {
  bool write = false;
  bool write_mechanism = false;
  bool judge = false;
  bool feedback = false;
  bool appeal = false;
  bool withdraw = false;
  bool follow_up = false;
  bool retaliation = false;
  bool share = false;
  bool unshare = false;
  bool answer_disclosure = false;
};

WorkerRights rights_of(const domain::CaseView& v) {
  WorkerRights r;
  r.write = v.may_write;
  r.write_mechanism = v.may_write_mechanism;
  r.judge = v.may_judge_actions;
  r.feedback = v.may_feedback;
  for (const domain::LifecycleRule* move : v.moves) {
    if (move->to == CaseStatus::kAppealed) r.appeal = true;
    if (move->to == CaseStatus::kWithdrawn) r.withdraw = true;
  }
  r.follow_up = v.may_answer_follow_up;
  r.retaliation = v.may_report_retaliation;
  r.share = v.may_share_identity;
  r.unshare = v.may_withdraw_identity;
  r.answer_disclosure = v.may_answer_disclosure;
  return r;
}

std::string code_of(CaseStatus s) { return std::string(domain::to_string(s)); }

std::string date_text(const PageKit& kit, Language l, domain::TimePoint t,
                      const domain::TimeZone& zone) {
  return kit.catalogues().date(l, domain::local_date(t, zone));
}

// The last move into the case's current status: its reason and reasoning are the decision the
// complainant reads at the top of the page.
const domain::CaseEvent* last_move(const domain::CaseView& v) {
  for (auto it = v.events.rbegin(); it != v.events.rend(); ++it) {
    if (it->type == EventType::kStatusChanged && it->to_status == v.c.status) return &*it;
  }
  return nullptr;
}

// Who has the case now and what happens next, in plain words, for every status (issue 9:
// "the worker always sees who has the case now and what happens next").
json now_block(const PageKit& kit, Language l, const domain::CaseView& v,
               const domain::TimeZone& zone) {
  const domain::Case& c = v.c;
  std::string company;
  for (const domain::CaseParty& p : v.holders) {
    if (p.role == domain::PartyRole::kResponsible) company = v.organisation_name(p.org_id);
  }
  const std::string who_company = company.empty()
                                      ? kit.text(l, "case_who_office")
                                      : kit.format(l, "case_who_company", {{"name", company}});
  const auto by = [&](domain::TimePoint t) { return date_text(kit, l, t, zone); };
  std::string who, next;
  const bool waits_for_answer = c.paused_since && domain::is_open(c.status);
  switch (c.status) {
    case CaseStatus::kReceived:
      if (v.holders.empty()) {
        who = kit.text(l, "case_who_office");
        next = kit.text(l, "case_next_received_triage");
      } else {
        who = who_company;
        next = kit.format(l, "case_next_received", {{"date", by(c.deadlines.ack_due)}});
      }
      break;
    case CaseStatus::kAcknowledged:
      who = who_company;
      next = kit.format(l, "case_next_acknowledged", {{"date", by(c.deadlines.response_due)}});
      break;
    case CaseStatus::kInDialogue:
      who = who_company;
      next = kit.format(l, "case_next_in_dialogue", {{"date", by(c.deadlines.resolution_due)}});
      break;
    case CaseStatus::kRemedyProposed:
      who = kit.text(l, "case_who_you");
      next = kit.text(l, "case_next_remedy_proposed");
      break;
    case CaseStatus::kResolved:
      who = who_company;
      next = kit.text(l, "case_next_resolved");
      break;
    case CaseStatus::kClosed:
      who = kit.text(l, "case_who_nobody");
      next = kit.format(
          l, "case_next_closed",
          {{"outcome",
            c.outcome ? kit.text(l, "case_outcome_" + std::string(domain::to_string(*c.outcome)))
                      : std::string()}});
      break;
    case CaseStatus::kRejected:
      who = kit.text(l, "case_who_nobody");
      next = kit.text(l, "case_next_rejected");
      break;
    case CaseStatus::kEscalated: {
      const std::string body =
          c.escalated_to
              ? kit.text(l, "case_body_" + std::string(domain::to_string(*c.escalated_to)))
              : std::string();
      who = kit.format(l, "case_who_body", {{"body", body}});
      next = kit.format(l, "case_next_escalated", {{"body", body}});
      break;
    }
    case CaseStatus::kWithdrawn:
      who = kit.text(l, "case_who_nobody");
      next = kit.text(l, "case_next_withdrawn");
      break;
    case CaseStatus::kReopened:
      who = who_company;
      next = kit.text(l, "case_next_reopened");
      break;
    case CaseStatus::kAppealed:
      who = kit.text(l, "case_who_office_appeal");
      next = kit.text(l, "case_next_appealed");
      break;
  }
  if (waits_for_answer) {
    who = kit.text(l, "case_who_you");
    next = kit.text(l, "case_next_paused");
  }
  json out = {{"who", who}, {"next", next}, {"paused", waits_for_answer}};
  if (const domain::CaseEvent* move = last_move(v)) {
    // The reasoning a rejection, an "unfounded" closure or an upheld appeal carries (CSDDD
    // Art. 14(4)(c)); the reason every move has is in the timeline.
    if (!move->detail.empty()) out["reasoning"] = move->detail;
  }
  return out;
}

// One timeline entry as the complainant reads it: a title, the text, and what the step
// carries besides (a move's reasoning, outcome, external body; who reads a message).
json event_json(const PageKit& kit, Language l, const domain::CaseEvent& e,
                const domain::TimeZone& zone) {
  std::string title;
  std::string body = e.body;
  json notes = json::array();
  const std::string number = e.action ? std::to_string(*e.action) : std::string();
  switch (e.type) {
    case EventType::kStatusChanged:
      title = kit.format(l, "event_status_changed",
                         {{"status", e.to_status ? kit.text(l, "status_" + code_of(*e.to_status))
                                                 : std::string()}});
      if (!e.detail.empty()) {
        notes.push_back(kit.format(l, "case_event_reasoning", {{"text", e.detail}}));
      }
      if (e.outcome && e.to_status == CaseStatus::kClosed) {
        notes.push_back(kit.format(
            l, "case_event_outcome",
            {{"outcome",
              kit.text(l, "case_outcome_" + std::string(domain::to_string(*e.outcome)))}}));
      }
      break;
    case EventType::kRouted:
      // One line for the routing, however many companies it reached: the page names them and
      // their parts above (issue 8).
      title = kit.text(l, e.body == "triage" ? "event_routed_triage" : "event_routed_companies");
      body.clear();
      break;
    case EventType::kActionDone:
      title = kit.format(l, "case_event_action_done", {{"number", number}});
      break;
    case EventType::kActionVerdict:
      title = kit.format(
          l, e.detail == "disputed" ? "case_event_action_disputed" : "case_event_action_confirmed",
          {{"number", number}});
      break;
    case EventType::kFeedback:
      title = kit.format(
          l, e.detail == "accept" ? "case_event_plan_accepted" : "case_event_plan_refused",
          {{"score", e.score ? std::to_string(*e.score) : std::string()}});
      break;
    case EventType::kMessage:
      title = kit.text(l, "event_message");
      if (e.visibility == domain::Visibility::kMechanism) {
        notes.push_back(kit.text(l, "case_event_mechanism_only"));
      }
      break;
    case EventType::kTranslation:
      // docs/domain.md "Translations": a translation, marked as one, with its text.
      title = kit.format(
          l, "event_translation",
          {{"language", kit.text(l, "language_name_" + std::string(domain::to_string(
                                                           e.language.value_or(Language::kEn))))}});
      if (e.visibility == domain::Visibility::kMechanism) {
        notes.push_back(kit.text(l, "case_event_mechanism_only"));
      }
      break;
    case EventType::kMeetingProposed:
      // The times, the place and the needs are in the meetings section above.
      title = kit.text(l, "event_meeting_proposed");
      body.clear();
      break;
    case EventType::kMeetingAnswered:
      title = kit.text(
          l, domain::meeting_accepted(e) ? "event_meeting_agreed" : "event_meeting_declined");
      break;
    case EventType::kMeetingMinutes:
      title = kit.text(l, "event_meeting_minutes");
      break;
    case EventType::kClockPaused:
    case EventType::kClockResumed:
      title = kit.text(l, "event_" + std::string(domain::to_string(e.type)));
      break;
    case EventType::kRegisterConsent:
      title = kit.text(l, e.detail == domain::kRegisterGiven ? "event_register_listed"
                                                             : "event_register_unlisted");
      body.clear();
      break;
    case EventType::kAttachment:
      // docs/domain.md "Evidence": the file (a download link), its size and type.
      title = kit.text(l, "event_attachment");
      body.clear();
      if (e.attachment) {
        notes.push_back(web::attachment_note(kit.catalogues(), l, *e.attachment));
        if (e.visibility == domain::Visibility::kMechanism) {
          notes.push_back(kit.text(l, "case_event_mechanism_only"));
        }
      }
      break;
    case EventType::kRetaliationReported:
    case EventType::kFollowUpAnswered:
    case EventType::kDisclosureRequested:
    case EventType::kDisclosureAnswered:
    case EventType::kAccessCodeReissued:
      // The worker's own words, the company's reason for asking the name, or the office's
      // reason for a new access code: kept with them.
      title = kit.text(l, "event_" + std::string(domain::to_string(e.type)));
      if (e.visibility == domain::Visibility::kMechanism) {
        notes.push_back(kit.text(l, "case_event_mechanism_only"));
      }
      break;
    default:
      title = kit.text(l, "event_" + std::string(domain::to_string(e.type)));
      body.clear();
      break;
  }
  json file = nullptr;
  if (e.type == EventType::kAttachment && e.attachment) {
    file = {{"name", e.body}, {"seq", e.seq}};
  }
  return {{"file", std::move(file)},
          {"at", local_time_text(kit, l, e.at, zone)},
          {"at_iso", domain::format_time(e.at)},
          {"actor", kit.text(l, "actor_" + std::string(domain::to_string(e.actor_role)))},
          {"mine", e.actor_role == domain::Role::kComplainant},
          {"title", std::move(title)},
          {"body", std::move(body)},
          {"notes", std::move(notes)}};
}

// The remedy plan, action by action: what, who, by when, the company's note when done, the
// complainant's verdict - and the verdict form where one is still owed.
json plan_json(const PageKit& kit, Language l, const domain::CaseView& v,
               const WorkerRights& rights, const CaseForm& form, const domain::TimeZone& zone) {
  json actions = json::array();
  for (const domain::RemedyAction& a : v.c.remedy) {
    json item = {{"number", a.number},
                 {"what", a.what},
                 {"who", v.organisation_name(a.org_id)},
                 {"due", kit.catalogues().date(l, a.due)},
                 {"done", a.done_at.has_value()},
                 {"done_note", a.done_note},
                 {"verdict_note", a.verdict_note}};
    if (a.done_at) item["done_on"] = date_text(kit, l, *a.done_at, zone);
    if (a.verdict) {
      item["verdict_text"] =
          kit.text(l, a.verdict == domain::ActionVerdict::kConfirmed ? "case_action_confirmed"
                                                                     : "case_action_disputed");
    }
    const bool owed = rights.judge && a.done_at && !a.verdict;
    item["may_judge"] = owed;
    if (owed && form.action == a.number) {
      item["v_note"] = form.values.value("note", "");
      const std::string verdict = form.values.value("verdict", "");
      item["v_confirmed"] = verdict == "confirmed";
      item["v_disputed"] = verdict == "disputed";
      for (const FieldError& e : form.errors) {
        item["err_" + e.field] = e.message;
      }
    }
    actions.push_back(std::move(item));
  }
  return actions;
}

}  // namespace

Response render_case(const WorkerPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& session, const CaseForm& form, std::string_view done,
                     bhttp::status status) {
  const PageKit& kit = pages.kit();
  auto view = pages.services().casework.view_own_case(session);
  if (!view) {
    if (view.error().code == domain::ErrorCode::kNotFound) return pages.to_follow(req, lang.lang);
    return pages.error_page(req, lang, view.error());
  }
  const Language l = lang.lang;
  const domain::Case& c = view->c;
  const WorkerRights rights = rights_of(*view);
  // The plan's verdict forms show their own errors next to their fields; the summary at the
  // top links to them all.
  json data = kit.form_data(l, form.errors);
  if (form.action != 0) data["err"] = json::object();
  data["v"] = form.values;
  if (!done.empty()) {
    data["done_text"] = kit.text(
        l, done == "message" ? std::string("case_message_sent") : "case_done_" + std::string(done));
  }
  data["csrf"] = session.csrf_token;
  data["reference"] = c.reference;
  const std::string status_code = code_of(c.status);
  data["status_text"] = kit.text(l, "status_" + status_code);
  // A case waiting in triage has no company yet: say who is working on it.
  const bool triage = view->holders.empty();
  data["status_help"] =
      kit.text(l, triage && c.status == CaseStatus::kReceived ? std::string("status_help_triage")
                                                              : "status_help_" + status_code);
  data["triage"] = triage;
  json holders = json::array();
  for (const domain::CaseParty& p : view->holders) {
    const bool responsible = p.role == domain::PartyRole::kResponsible;
    holders.push_back(kit.format(l, responsible ? "case_holder_responsible" : "case_holder_buyer",
                                 {{"name", view->organisation_name(p.org_id)}}));
  }
  data["holders"] = std::move(holders);
  data["rights_href"] = rights_href(l, view->site ? view->site->country : c.complaint.country);

  const domain::TimeZone zone =
      domain::complaint_time_zone(c.complaint, view->site ? &*view->site : nullptr);
  data["now"] = now_block(kit, l, *view, zone);
  data["stages"] =
      web::stage_frames_json(kit.catalogues(), l, view->stages, "stage_frame_day0", "step_", zone);
  json events = json::array();
  bool routed_shown = false;
  for (const auto& e : view->events) {
    if (e.type == EventType::kRouted && e.body != "triage") {
      if (routed_shown) continue;
      routed_shown = true;
    }
    json item = event_json(kit, l, e, zone);
    // docs/domain.md "Translations": each translation also directly under its original.
    if (e.type == EventType::kMessage) {
      item["translations"] = translations_of(kit, l, *view, e.seq, /*worker=*/true);
    }
    if (e.type == EventType::kFiled) {
      data["narrative_translations"] = translations_of(kit, l, *view, e.seq, /*worker=*/true);
    }
    events.push_back(std::move(item));
    if (e.type == EventType::kAttachment && e.attachment) {
      events.back()["file"]["href"] =
          "/api/v1/cases/" + c.reference + "/attachments/" + std::to_string(e.seq);
    }
  }
  data["events"] = std::move(events);
  // Meetings (CSDDD Art. 14(4)(b)): times on the workplace's clock, the forms the view allows.
  data["meetings"] = meetings_json(kit, l, *view, zone, /*worker=*/true);
  data["has_meetings"] = !view->meetings.empty() || view->may_propose_meeting;
  data["may_propose_meeting"] = view->may_propose_meeting;
  data["meeting_zone"] = std::string(domain::to_local(c.created_at, zone).label);
  data["meeting_call"] = form.values.value("where", "") == "call";
  // A refused answer or minutes form shows its errors in its own meeting.
  const std::string refused_meeting = form.values.value("meeting", "");
  for (auto& m : data["meetings"]) {
    if (m["id"].dump() != refused_meeting) continue;
    for (const char* f :
         {"meeting_choice", "meeting_counter_times", "meeting_reason", "meeting_minutes"}) {
      if (data["err"].contains(f)) m[std::string("err_") + f] = data["err"][f];
    }
    m["reason_typed"] = form.values.value("reason", "");
    m["minutes_typed"] = form.values.value("minutes", "");
  }
  data["plan"] = plan_json(kit, l, *view, rights, form, zone);
  data["has_plan"] = !c.remedy.empty();

  if (view->appeal_until && rights.appeal) {
    data["appeal_until"] = kit.format(l, "case_appeal_until",
                                      {{"date", date_text(kit, l, *view->appeal_until, zone)}});
  }
  data["may_answer_follow_up"] = rights.follow_up;
  json held = json::array();
  const std::string held_chosen = form.values.value("held", "");
  for (const char* h : {"yes", "partly", "no"}) {
    held.push_back({{"value", h},
                    {"label", kit.text(l, std::string("case_held_") + h)},
                    {"checked", held_chosen == h}});
  }
  data["held_choices"] = std::move(held);
  data["may_report_retaliation"] = rights.retaliation;
  data["retaliation_flagged"] = c.retaliation;
  data["identity_text"] =
      kit.text(l, "case_identity_" + std::string(domain::to_string(c.identity)));
  data["may_share_identity"] = rights.share;
  data["may_withdraw_identity"] = rights.unshare;
  data["may_answer_disclosure"] = rights.answer_disclosure;
  // docs/domain.md "Public register": the complainant's choice, with what it publishes.
  data["may_decide_register"] = view->may_decide_register;
  data["register_listed"] = view->listed_in_register;
  data["register_href"] = with_lang("/register", l);
  if (rights.answer_disclosure && c.disclosure_requested_by) {
    // The request's reason is the text of its event (the company wrote it for the worker).
    std::string reason;
    for (const auto& e : view->events) {
      if (e.type == EventType::kDisclosureRequested) reason = e.body;
    }
    data["disclosure"] = {
        {"who", kit.format(l, "case_disclosure_who",
                           {{"name", view->organisation_name(*c.disclosure_requested_by)}})},
        {"reason", reason}};
  }

  data["may_write"] = rights.write;
  data["may_attach"] = view->may_attach;
  data["attach_max_mb"] = std::to_string(pages.services().config().attachment_max_bytes >> 20);
  data["may_write_mechanism"] = rights.write_mechanism;
  data["may_feedback"] = rights.feedback;
  data["may_appeal"] = rights.appeal;
  data["may_withdraw"] = rights.withdraw;
  data["withdraw_href"] = with_lang("/case/withdraw", l);
  const std::string to = form.values.value("to", "parties");
  data["to_mechanism"] = to == "mechanism";
  const std::string accept = form.values.value("accept", "");
  data["accept_yes"] = accept == "yes";
  data["accept_no"] = accept == "no";
  json scores = json::array();
  const std::string chosen = form.values.value("satisfaction", "");
  for (int s = 1; s <= 5; ++s) {
    scores.push_back({{"value", s},
                      {"label", kit.text(l, "case_satisfaction_" + std::to_string(s))},
                      {"checked", chosen == std::to_string(s)}});
  }
  data["scores"] = std::move(scores);

  json chosen_categories = json::array();
  for (auto cat : c.complaint.categories) {
    chosen_categories.push_back(kit.text(l, "category_" + std::string(domain::to_string(cat))));
  }
  data["chosen_categories"] = std::move(chosen_categories);
  data["narrative"] = c.complaint.narrative;
  data["filed_on"] = kit.catalogues().date(l, domain::local_date(c.created_at, zone));
  return pages.render(req, lang, {status, "case_title", "case", "/case", !form.errors.empty()},
                      data);
}

Response render_withdraw(const WorkerPages& pages, const Request& req, PageLanguage lang,
                         const domain::Session& session, std::string_view reason,
                         bhttp::status status) {
  auto view = pages.services().casework.view_own_case(session);
  if (!view) return pages.to_follow(req, lang.lang);
  // Nothing to confirm when the case can no longer be withdrawn: back to the case page.
  if (!rights_of(*view).withdraw) return redirect_response(with_lang("/case", lang.lang), req);
  json data = pages.kit().form_data(lang.lang, {});
  data["csrf"] = session.csrf_token;
  data["reference"] = view->c.reference;
  data["v"] = {{"reason", reason}};
  data["back_href"] = with_lang("/case", lang.lang);
  return pages.render(req, lang, {status, "withdraw_title", "withdraw", "/case/withdraw"}, data);
}

Response case_page(const WorkerPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = authenticate(req, pages.services().sessions);
  if (!session) return pages.to_follow(req, lang.lang);
  const FormData query = query_of(req);
  std::string done = query.get("done");
  if (query.get("sent") == "1") done = "message";
  static constexpr std::string_view kDone[] = {
      "message",          "verdict",     "feedback",   "appeal",     "withdraw",
      "follow_up",        "retaliation", "identity",   "disclosure", "meeting",
      "meeting_answered", "minutes",     "attachment", "register"};
  if (std::find(std::begin(kDone), std::end(kDone), done) == std::end(kDone)) done.clear();
  return render_case(pages, req, lang, *session, {}, done, bhttp::status::ok);
}

Response withdraw_page(const WorkerPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = authenticate(req, pages.services().sessions);
  if (!session) return pages.to_follow(req, lang.lang);
  return render_withdraw(pages, req, lang, *session, {}, bhttp::status::ok);
}

}  // namespace grievance::http::pages::worker
