// The complainant's forms on the case page (issue 9 item 6), each a plain POST with the
// session's CSRF token: a message (to everyone, or to the complaints office only), the
// verdict on a done remedy action, the answer to a remedy plan, an appeal, a withdrawal, a
// retaliation report, the follow-up answer, sharing the identity or not, the answer to a
// company's request to learn it, listing the case in the public register or not. Each
// calls one Casework method; the domain decides. A refusal is shown on the case page: a bad
// field next to the field (400), a move that is no longer open (the case changed meanwhile)
// as an error on the form (409).
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/local_time.hpp"
#include "server/http/auth.hpp"
#include "server/http/pages/meeting_parts.hpp"
#include "server/http/pages/worker/worker_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::worker {

namespace {

using domain::ErrorCode;
using nlohmann::json;

// A signed-in complainant's form post: the fields, the language, the session and the case's
// reference; else the response that refuses it (a bad CSRF token, no session).
struct CasePost {
  FormData form;
  PageLanguage lang;
  domain::Session session;
  std::string reference;
};

std::expected<CasePost, Response> read_case_post(const WorkerPages& pages, Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::unexpected(std::move(post).error());
  auto& [form, lang] = *post;
  auto session = authenticate(req, pages.services().sessions, form.get("csrf"));
  if (!session) {
    if (session.error().code == ErrorCode::kCsrfFailed) {
      return std::unexpected(pages.csrf_failed(req, lang));
    }
    return std::unexpected(pages.to_follow(req, lang.lang));
  }
  auto own = pages.services().casework.view_own_case(*session);
  if (!own) return std::unexpected(pages.to_follow(req, lang.lang));
  return CasePost{std::move(form), lang, *std::move(session), own->c.reference};
}

// One field of a form: its name in the domain's errors, the id the summary links to, and the
// catalogue key of the message shown when the domain refuses it.
struct Field {
  std::string_view domain_field;
  std::string field;
  std::string target;
  std::string_view message_key;
};

// The case page again with the domain's refusal `e` on the form: a refused field next to it
// (400); a move the case no longer allows on the form's first field (409). `form.values`
// keeps what was typed.
Response refused(const WorkerPages& pages, Request& req, const CasePost& post, CaseForm form,
                 const domain::Error& e, const std::vector<Field>& fields) {
  const PageKit& kit = pages.kit();
  const domain::Language l = post.lang.lang;
  if (e.code == ErrorCode::kInvalidField) {
    for (const Field& f : fields) {
      if (e.field == f.domain_field) {
        form.errors.push_back({f.field, f.target, kit.text(l, f.message_key)});
        return render_case(pages, req, post.lang, post.session, form, {},
                           bhttp::status::bad_request);
      }
    }
  }
  if (e.code == ErrorCode::kInvalidTransition || e.code == ErrorCode::kConflict ||
      e.code == ErrorCode::kForbidden || e.code == ErrorCode::kNotFound ||
      e.code == ErrorCode::kInvalidField) {
    const Field& first = fields.front();
    form.errors.push_back({first.field, first.target, kit.text(l, "case_error_not_now")});
    return render_case(pages, req, post.lang, post.session, form, {}, bhttp::status::conflict);
  }
  return pages.error_page(req, post.lang, e);
}

Response done_redirect(const Request& req, const CasePost& post, std::string_view what) {
  return redirect_response("/case?done=" + std::string(what) + "&lang=" + lang_code(post.lang.lang),
                           req);
}

}  // namespace

Response post_message(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string body = post->form.get("body");
  const std::string to = post->form.get("to");
  CaseForm form{{{"body", body}, {"to", to}}, {}, 0};
  const std::vector<Field> fields{{"body", "body", "body", "error_message_body"},
                                  {"visibility", "to", "to-parties", "case_error_to"}};
  // Everyone on the case (the default), or the complaints office and the union only: the
  // company never reads those (docs/domain.md "Who sees what").
  domain::Visibility visibility = domain::Visibility::kParties;
  if (to == "mechanism") {
    visibility = domain::Visibility::kMechanism;
  } else if (!to.empty() && to != "parties") {
    return refused(pages, req, *post, std::move(form),
                   domain::Error::invalid_field("visibility", "Unknown reader."), fields);
  }
  auto posted =
      pages.services().casework.post_message(post->session, post->reference, body, visibility);
  if (!posted) return refused(pages, req, *post, std::move(form), posted.error(), fields);
  return redirect_response("/case?sent=1&lang=" + lang_code(post->lang.lang), req);
}

Response post_verdict(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  int number = 0;
  const std::string action = post->form.get("action");
  if (action.size() > 0 && action.size() < 4 &&
      action.find_first_not_of("0123456789") == std::string::npos) {
    number = std::stoi(action);
  }
  const std::string verdict = post->form.get("verdict");
  const std::string note = post->form.get("note");
  CaseForm form{{{"verdict", verdict}, {"note", note}}, {}, number};
  const std::string n = std::to_string(number);
  const std::vector<Field> fields{
      {"verdict", "verdict", "verdict-" + n + "-confirmed", "case_error_verdict"},
      {"note", "note", "note-" + n, "case_error_verdict_note"}};
  auto judged =
      pages.services().casework.judge_action(post->session, post->reference, number, verdict, note);
  if (!judged) return refused(pages, req, *post, std::move(form), judged.error(), fields);
  return done_redirect(req, *post, "verdict");
}

Response post_feedback(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string accept = post->form.get("accept");
  const std::string satisfaction = post->form.get("satisfaction");
  const std::string comment = post->form.get("comment");
  CaseForm form{{{"accept", accept}, {"satisfaction", satisfaction}, {"comment", comment}}, {}, 0};
  const std::vector<Field> fields{
      {"accept", "accept", "accept-yes", "case_error_accept"},
      {"satisfaction", "satisfaction", "satisfaction-1", "case_error_satisfaction"},
      {"comment", "comment", "comment", "case_error_comment"}};
  // The form's own questions first, so that every missing answer is named at once.
  if (accept != "yes" && accept != "no") {
    form.errors.push_back(
        {"accept", "accept-yes", pages.kit().text(post->lang.lang, "case_error_accept")});
  }
  domain::FeedbackRequest r;
  r.accept = accept == "yes";
  r.satisfaction = satisfaction.size() == 1 && satisfaction[0] >= '1' && satisfaction[0] <= '5'
                       ? satisfaction[0] - '0'
                       : 0;
  r.comment = comment;
  if (r.satisfaction == 0) {
    form.errors.push_back({"satisfaction", "satisfaction-1",
                           pages.kit().text(post->lang.lang, "case_error_satisfaction")});
  }
  if (!form.errors.empty()) {
    return render_case(pages, req, post->lang, post->session, form, {}, bhttp::status::bad_request);
  }
  auto answered = pages.services().casework.feedback(post->session, post->reference, r);
  if (!answered) return refused(pages, req, *post, std::move(form), answered.error(), fields);
  return done_redirect(req, *post, "feedback");
}

Response post_appeal(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string reason = post->form.get("reason");
  CaseForm form{{{"appeal_reason", reason}}, {}, 0};
  const std::vector<Field> fields{
      {"reason", "appeal_reason", "appeal-reason", "case_error_appeal"}};
  domain::TransitionRequest r;
  r.to = "appealed";
  r.reason = reason;
  auto appealed = pages.services().casework.transition(post->session, post->reference, r);
  if (!appealed) return refused(pages, req, *post, std::move(form), appealed.error(), fields);
  return done_redirect(req, *post, "appeal");
}

Response post_withdraw(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string reason = post->form.get("reason");
  // The confirmation step: without "yes, withdraw" nothing happens.
  if (post->form.get("confirm") != "yes") {
    return render_withdraw(pages, req, post->lang, post->session, reason, bhttp::status::ok);
  }
  domain::TransitionRequest r;
  r.to = "withdrawn";
  // Every move carries a reason the other side reads; the worker need not give one.
  r.reason = blank(reason) ? pages.kit().text(post->lang.lang, "withdraw_default_reason") : reason;
  auto withdrawn = pages.services().casework.transition(post->session, post->reference, r);
  if (!withdrawn) {
    return refused(pages, req, *post, {}, withdrawn.error(),
                   {{"reason", "withdraw", "withdraw-link", "case_error_not_now"}});
  }
  return done_redirect(req, *post, "withdraw");
}

Response post_retaliation(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string body = post->form.get("body");
  CaseForm form{{{"retaliation", body}}, {}, 0};
  const std::vector<Field> fields{
      {"body", "retaliation", "retaliation-body", "case_error_retaliation"}};
  // The form's own check first: an empty report is never sent.
  if (blank(body)) {
    return refused(pages, req, *post, std::move(form),
                   domain::Error::invalid_field("body", "Say what is happening."), fields);
  }
  auto reported =
      pages.services().casework.report_retaliation(post->session, post->reference, body);
  if (!reported) return refused(pages, req, *post, std::move(form), reported.error(), fields);
  return done_redirect(req, *post, "retaliation");
}

Response post_follow_up(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string held = post->form.get("held");
  const std::string comment = post->form.get("comment");
  CaseForm form{{{"held", held}, {"follow_up_comment", comment}}, {}, 0};
  const std::vector<Field> fields{
      {"held", "held", "held-yes", "case_error_held"},
      {"comment", "follow_up_comment", "follow-up-comment", "case_error_comment"}};
  auto answered =
      pages.services().casework.answer_follow_up(post->session, post->reference, held, comment);
  if (!answered) return refused(pages, req, *post, std::move(form), answered.error(), fields);
  return done_redirect(req, *post, "follow_up");
}

Response post_identity(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const bool share = post->form.get("share") == "yes";
  const std::vector<Field> fields{
      {"understood", "understood", "understood", "case_error_share_confirm"}};
  // Consent is explicit: sharing needs the box that says what it means ticked.
  if (share && post->form.get("understood") != "yes") {
    return refused(pages, req, *post, {},
                   domain::Error::invalid_field("understood", "Tick the box."), fields);
  }
  auto set = pages.services().casework.set_identity_sharing(post->session, post->reference, share);
  if (!set) return refused(pages, req, *post, {}, set.error(), fields);
  return done_redirect(req, *post, "identity");
}

// docs/domain.md "Public register": list the case, or take it off (list=yes / list=no).
Response post_register(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string list = post->form.get("list");
  const std::vector<Field> fields{{"list", "register", "register-send", "case_error_not_now"}};
  if (list != "yes" && list != "no") {
    return refused(pages, req, *post, {}, domain::Error::invalid_field("list", "yes or no"),
                   fields);
  }
  auto set =
      pages.services().casework.set_register_listing(post->session, post->reference, list == "yes");
  if (!set) return refused(pages, req, *post, {}, set.error(), fields);
  return done_redirect(req, *post, "register");
}

Response post_disclosure(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string grant = post->form.get("grant");
  const std::string comment = post->form.get("comment");
  CaseForm form{{{"disclosure_comment", comment}}, {}, 0};
  const std::vector<Field> fields{
      {"grant", "grant", "grant-no", "case_error_disclosure"},
      {"comment", "disclosure_comment", "disclosure-comment", "case_error_comment"}};
  if (grant != "yes" && grant != "no") {
    return refused(pages, req, *post, std::move(form),
                   domain::Error::invalid_field("grant", "Choose yes or no."), fields);
  }
  auto answered = pages.services().casework.answer_disclosure(post->session, post->reference,
                                                              grant == "yes", comment);
  if (!answered) return refused(pages, req, *post, std::move(form), answered.error(), fields);
  return done_redirect(req, *post, "disclosure");
}

namespace {

// The workplace's zone: the worker types and reads meeting times on its clock.
domain::TimeZone zone_of(const domain::CaseView& v) {
  return domain::complaint_time_zone(v.c.complaint, v.site ? &*v.site : nullptr);
}

}  // namespace

Response post_meeting(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  auto view = pages.services().casework.view_own_case(post->session);
  if (!view) return pages.to_follow(req, post->lang.lang);
  const FormData& f = post->form;
  CaseForm form{{{"where", f.get("where")},
                 {"place", f.get("place")},
                 {"interpreter_language", f.get("interpreter_language")}},
                {},
                0};
  const std::vector<Field> fields{
      {"times", "meeting_times", "meeting-time-1", "meeting_error_times"},
      {"place", "meeting_place", "meeting-place", "meeting_error_place"},
      {"interpreter_language", "meeting_interpreter_language", "meeting-interpreter-language",
       "meeting_error_interpreter_language"}};
  auto proposed = pages.services().casework.propose_meeting(post->session, post->reference,
                                                            meeting_request_of(f, zone_of(*view)));
  if (!proposed) return refused(pages, req, *post, std::move(form), proposed.error(), fields);
  return done_redirect(req, *post, "meeting");
}

// One form per open proposal: "choice" is "accept:<time>", "counter" (with other times) or
// "decline" (with a reason). Other times keep the proposal's place and needs.
Response post_meeting_answer(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  auto view = pages.services().casework.view_own_case(post->session);
  if (!view) return pages.to_follow(req, post->lang.lang);
  const FormData& f = post->form;
  const std::string id = f.get("meeting");
  const domain::Meeting* meeting = nullptr;
  for (const auto& m : view->meetings) {
    if (std::to_string(m.id) == id) meeting = &m;
  }
  CaseForm form{{{"meeting", id}, {"reason", f.get("reason")}}, {}, 0};
  const std::string target = "meeting-" + id;
  const std::vector<Field> fields{
      {"answer", "meeting_choice", target + "-choice", "meeting_error_choice"},
      {"time", "meeting_choice", target + "-choice", "meeting_error_choice"},
      {"times", "meeting_counter_times", target + "-time-1", "meeting_error_times"},
      {"reason", "meeting_reason", target + "-reason", "meeting_error_reason"}};
  if (!meeting) {
    return refused(pages, req, *post, std::move(form), domain::Error::not_found(), fields);
  }
  domain::MeetingAnswerRequest r;
  const std::string choice = f.get("choice");
  if (choice.starts_with("accept:")) {
    r.answer = "accept";
    r.time = choice.substr(7);
  } else {
    r.answer = choice;
  }
  r.reason = f.get("reason");
  r.counter = meeting_request_of(f, zone_of(*view));
  r.counter.call = meeting->call;
  r.counter.place = meeting->place;
  r.counter.interpreter = meeting->interpreter;
  r.counter.interpreter_language = meeting->interpreter_language;
  r.counter.companion = meeting->companion;
  auto answered =
      pages.services().casework.answer_meeting(post->session, post->reference, meeting->id, r);
  if (!answered) return refused(pages, req, *post, std::move(form), answered.error(), fields);
  return done_redirect(req, *post, "meeting_answered");
}

Response post_meeting_minutes(const WorkerPages& pages, Request& req) {
  auto post = read_case_post(pages, req);
  if (!post) return std::move(post).error();
  const std::string id = post->form.get("meeting");
  const std::string text = post->form.get("text");
  CaseForm form{{{"meeting", id}, {"minutes", text}}, {}, 0};
  const std::vector<Field> fields{
      {"text", "meeting_minutes", "meeting-" + id + "-minutes", "meeting_error_minutes"}};
  std::int64_t meeting = 0;
  if (!id.empty() && id.size() < 13 && id.find_first_not_of("0123456789") == std::string::npos) {
    meeting = std::stoll(id);
  }
  auto minuted =
      pages.services().casework.record_minutes(post->session, post->reference, meeting, text);
  if (!minuted) return refused(pages, req, *post, std::move(form), minuted.error(), fields);
  return done_redirect(req, *post, "minutes");
}

}  // namespace grievance::http::pages::worker
