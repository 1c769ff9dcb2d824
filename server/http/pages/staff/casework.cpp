// The casework forms of the staff case view (issue 9, docs/domain.md "Lifecycle"): for the
// responsible company the lifecycle moves (acknowledge, respond, propose a remedy plan, reject,
// escalate, close), "ask the complainant and wait" and marking remedy actions done; for a union
// that follows the case the verdict on each done action and the answer to the plan; for the
// complaints office (admins) the triage acknowledgement, the appeals and reopening. Every form
// is shown only when the domain's view says the viewer may use it, and every post calls one
// Casework method: the domain decides again and the page shows what it refused as field errors.
#include <algorithm>
#include <charconv>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "server/domain/codes.hpp"
#include "server/domain/lifecycle.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/pages/staff/case_page.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

namespace {

using domain::Language;
using domain::Role;
using nlohmann::json;

// The most rows the plan form takes (the domain's plan holds at most 20 actions).
constexpr int kMaxPlanRows = 20;

std::string case_path(const domain::CaseView& view) { return "/staff/cases/" + view.c.reference; }

// The error of field `field` of form `form`, or "".
std::string error_of(const CaseForms& forms, const std::string& form, const std::string& field) {
  for (const FieldError& e : forms.errors) {
    if (e.field == form + "." + field) return e.message;
  }
  return {};
}

// What was typed in field `field` of form `form` when the page comes back refused.
std::string typed(const CaseForms& forms, const std::string& form, const std::string& field) {
  return forms.form == form ? forms.values.get(field) : std::string();
}

json choices(const PageKit& kit, Language l, std::string_view prefix, auto values,
             std::string_view chosen) {
  json out = json::array();
  for (auto v : values) {
    const std::string code(domain::to_string(v));
    out.push_back({{"value", code},
                   {"label", kit.text(l, std::string(prefix) + code)},
                   {"selected", code == chosen}});
  }
  return out;
}

// The plan's rows: what, which organisation, due by; blank unless the page comes back refused.
json plan_rows(const PageKit& kit, Language l, const domain::CaseView& view, const CaseForms& forms,
               const std::string& form) {
  // The organisations the domain lets this viewer name (CaseRights::plan_organisations).
  json orgs = json::array();
  for (auto org_id : view.plan_organisations) {
    orgs.push_back({{"value", std::to_string(org_id)}, {"label", view.organisation_name(org_id)}});
  }
  json rows = json::array();
  const int count = forms.form == form ? forms.plan_rows : 3;
  for (int n = 1; n <= count; ++n) {
    const std::string k = std::to_string(n);
    json row_orgs = orgs;
    const std::string org_typed = typed(forms, form, "org_" + k);
    for (auto& o : row_orgs) o["selected"] = o["value"] == org_typed || row_orgs.size() == 1;
    rows.push_back({{"n", k},
                    {"legend", kit.format(l, "staff_plan_row_legend", {{"n", k}})},
                    {"what", typed(forms, form, "what_" + k)},
                    {"due", typed(forms, form, "due_" + k)},
                    {"orgs", row_orgs},
                    {"err_what", error_of(forms, form, "what_" + k)},
                    {"err_org", error_of(forms, form, "org_" + k)},
                    {"err_due", error_of(forms, form, "due_" + k)}});
  }
  return rows;
}

json move_form(const PageKit& kit, Language l, const domain::CaseView& view,
               const domain::LifecycleRule& rule, const CaseForms& forms) {
  const std::string name(rule.name);
  const std::string form = "move-" + name;
  json m = {{"name", name},
            {"form", form},
            {"title", kit.text(l, "staff_move_" + name)},
            {"hint", kit.text(l, "staff_move_" + name + "_hint")},
            {"to", std::string(domain::to_string(rule.to))},
            {"action", case_path(view) + "/transitions"},
            {"reason", typed(forms, form, "reason")},
            {"err_reason", error_of(forms, form, "reason")},
            {"err_move", error_of(forms, form, "move")},
            // Open when the page comes back to this form (refused, or with more plan rows).
            {"open", forms.form == form}};
  const bool unfounded_possible = std::find(rule.outcomes.begin(), rule.outcomes.end(),
                                            domain::Outcome::kUnfounded) != rule.outcomes.end();
  if (rule.needs == domain::Needs::kReasoning || unfounded_possible) {
    m["reasoning_field"] = true;
    m["reasoning"] = typed(forms, form, "reasoning");
    m["err_reasoning"] = error_of(forms, form, "reasoning");
    m["reasoning_hint"] =
        kit.text(l, unfounded_possible ? "staff_reasoning_hint_unfounded" : "staff_reasoning_hint");
  }
  if (rule.needs == domain::Needs::kOutcome) {
    std::string chosen = typed(forms, form, "outcome");
    if (rule.outcomes.size() == 1) chosen = std::string(domain::to_string(rule.outcomes[0]));
    m["outcomes"] = choices(kit, l, "staff_outcome_", rule.outcomes, chosen);
    m["has_outcomes"] = true;
    m["err_outcome"] = error_of(forms, form, "outcome");
  }
  if (rule.needs == domain::Needs::kExternalBody) {
    m["bodies"] = choices(kit, l, "staff_body_", domain::all_external_bodies(),
                          typed(forms, form, "external_body"));
    m["has_bodies"] = true;
    m["err_external_body"] = error_of(forms, form, "external_body");
  }
  if (rule.needs == domain::Needs::kRemedyPlan) {
    m["is_plan"] = true;
    m["rows"] = plan_rows(kit, l, view, forms, form);
    m["err_plan"] = error_of(forms, form, "plan");
  }
  return m;
}

// One action of the plan as everyone on the case reads it, with the forms the viewer may use.
json plan_action(const PageKit& kit, Language l, const domain::CaseView& view,
                 const domain::RemedyAction& a, const domain::CaseRights& rights,
                 const CaseForms& forms) {
  const std::string n = std::to_string(a.number);
  json row = {{"n", n},
              {"what", a.what},
              {"org", view.organisation_name(a.org_id)},
              {"due", kit.catalogues().date(l, a.due)},
              {"due_iso", domain::format_date(a.due)},
              {"done", a.done_at.has_value()}};
  if (a.done_at) {
    row["state"] = kit.format(l, "staff_action_done", {{"date", kit.day_text(l, *a.done_at)}});
    row["done_note"] = a.done_note;
  } else {
    row["state"] = kit.text(l, "staff_action_open");
  }
  if (a.verdict) {
    const bool confirmed = *a.verdict == domain::ActionVerdict::kConfirmed;
    row["verdict"] = kit.text(l, confirmed ? "staff_action_confirmed" : "staff_action_disputed");
    row["disputed"] = !confirmed;
    row["verdict_note"] = a.verdict_note;
  }
  const std::string base = case_path(view) + "/actions/" + n;
  if (rights.may_mark_done && !a.done_at) {
    const std::string form = "done-" + n;
    row["done_form"] = {{"action", base + "/done"},
                        {"title", kit.format(l, "staff_done_title", {{"n", n}})},
                        {"note", typed(forms, form, "note")},
                        {"err_note", error_of(forms, form, "note")},
                        {"err_move", error_of(forms, form, "move")}};
  }
  if (rights.may_judge_actions && a.done_at && !a.verdict) {
    const std::string form = "verdict-" + n;
    const std::string chosen = typed(forms, form, "verdict");
    row["verdict_form"] = {{"action", base + "/verdict"},
                           {"title", kit.format(l, "staff_verdict_title", {{"n", n}})},
                           {"confirmed", chosen == "confirmed"},
                           {"disputed", chosen == "disputed"},
                           {"note", typed(forms, form, "note")},
                           {"err_verdict", error_of(forms, form, "verdict")},
                           {"err_note", error_of(forms, form, "note")},
                           {"err_move", error_of(forms, form, "move")}};
  }
  return row;
}

}  // namespace

json visibility_choices(const PageKit& kit, Language l, const domain::CaseView& view) {
  const domain::CaseRights& rights = view;
  json out = json::array();
  auto add = [&](const char* value, const char* key) {
    out.push_back({{"value", value},
                   {"id", std::string("visibility-") + value},
                   {"label", kit.text(l, key)},
                   {"checked", out.empty()}});
  };
  add("parties", "staff_visibility_parties");
  if (view.may_write_internal) add("staff", "staff_visibility_staff");
  if (rights.may_write_mechanism) add("mechanism", "staff_visibility_mechanism");
  return out;
}

std::vector<std::string> event_details(const PageKit& kit, Language l, const domain::CaseView&,
                                       const domain::CaseEvent& e) {
  std::vector<std::string> out;
  if (e.action)
    out.push_back(kit.format(l, "staff_event_action", {{"n", std::to_string(*e.action)}}));
  if (e.outcome) {
    out.push_back(kit.format(
        l, "staff_event_outcome",
        {{"outcome", kit.text(l, "staff_outcome_" + std::string(domain::to_string(*e.outcome)))}}));
  }
  if (e.external_body) {
    out.push_back(kit.format(
        l, "staff_event_body",
        {{"body", kit.text(l, "staff_body_" + std::string(domain::to_string(*e.external_body)))}}));
  }
  if (e.score) {
    out.push_back(
        kit.format(l, "staff_fact_satisfaction_value", {{"score", std::to_string(*e.score)}}));
  }
  if (!e.detail.empty()) {
    if (e.type == domain::EventType::kFeedback) {
      out.push_back(
          kit.text(l, e.detail == "accept" ? "staff_feedback_accepted" : "staff_feedback_refused"));
    } else if (e.type == domain::EventType::kActionVerdict) {
      out.push_back(kit.text(
          l, e.detail == "confirmed" ? "staff_action_confirmed" : "staff_action_disputed"));
    } else if (e.type == domain::EventType::kMeetingProposed ||
               e.type == domain::EventType::kMeetingAnswered ||
               e.type == domain::EventType::kMeetingMinutes) {
      // A meeting's data: the meetings section shows it in words (meeting_parts.hpp).
    } else {
      out.push_back(kit.format(l, "staff_event_reasoning", {{"text", e.detail}}));
    }
  }
  return out;
}

void add_casework(const StaffPages& pages, Language l, const domain::Session& /*session*/,
                  const domain::CaseView& view, const CaseForms& forms, json& data) {
  const PageKit& kit = pages.kit();
  const domain::Case& c = view.c;
  const domain::CaseRights& rights = view;  // what the domain lets this viewer do now

  // The decision so far, in words.
  json decision = json::array();
  auto fact = [&](const char* id, std::string_view key, std::string value) {
    decision.push_back({{"id", id}, {"label", kit.text(l, key)}, {"value", std::move(value)}});
  };
  if (c.paused_since) {
    fact("paused", "staff_fact_paused",
         kit.format(l, "staff_paused_since", {{"date", kit.day_text(l, *c.paused_since)}}));
  }
  if (c.outcome) {
    fact("outcome", "staff_fact_outcome",
         kit.text(l, "staff_outcome_" + std::string(domain::to_string(*c.outcome))));
  }
  if (c.satisfaction) {
    fact("satisfaction", "staff_fact_satisfaction",
         kit.format(l, "staff_fact_satisfaction_value",
                    {{"score", std::to_string(*c.satisfaction)}}));
  }
  if (c.escalated_to) {
    fact("escalated", "staff_fact_escalated",
         kit.text(l, "staff_body_" + std::string(domain::to_string(*c.escalated_to))));
  }
  if (rights.may_review && c.retaliation) {
    fact("retaliation", "staff_fact_retaliation", kit.text(l, "staff_retaliation_waits"));
  }
  if (rights.may_review && c.remedy_failed) {
    fact("remedy-failed", "staff_fact_remedy_failed", kit.text(l, "staff_remedy_failed_waits"));
  }
  if (c.disclosure_requested_by) {
    fact("disclosure", "staff_fact_disclosure", kit.text(l, "staff_disclosure_waits"));
  }
  if (rights.appeal_open_until) {
    fact("appeal", "staff_fact_appeal",
         kit.format(l, "staff_appeal_until",
                    {{"date", kit.day_text(l, *rights.appeal_open_until)}}));
  }
  data["paused"] = c.paused_since.has_value();
  data["decision"] = std::move(decision);
  data["has_decision"] = !data["decision"].empty();

  // The remedy plan: everyone on the case reads it; the forms are the viewer's rights.
  json plan = json::array();
  for (const domain::RemedyAction& a : c.remedy) {
    plan.push_back(plan_action(kit, l, view, a, rights, forms));
  }
  data["has_plan"] = !plan.empty();
  data["plan"] = std::move(plan);

  json moves = json::array();
  for (const domain::LifecycleRule* rule : rights.moves) {
    moves.push_back(move_form(kit, l, view, *rule, forms));
  }
  data["has_moves"] = !moves.empty();
  data["moves"] = std::move(moves);

  if (rights.may_ask) {
    data["ask"] = {{"action", case_path(view) + "/ask"},
                   {"body", typed(forms, "ask", "body")},
                   {"err_body", error_of(forms, "ask", "body")},
                   {"err_move", error_of(forms, "ask", "move")}};
  }
  if (rights.may_review) {
    // The flags that wait for the office's review, one to choose.
    const std::string chosen = typed(forms, "review", "flag");
    json flags = json::array();
    for (const auto& [flag, set] :
         {std::pair{"retaliation", c.retaliation}, std::pair{"remedy_failed", c.remedy_failed}}) {
      if (!set) continue;
      flags.push_back(
          {{"value", flag},
           {"id", flags.empty() ? std::string("review-flag") : std::string("review-flag-") + flag},
           {"label", kit.text(l, std::string("staff_tag_") + flag)},
           {"checked", chosen == flag || (chosen.empty() && flags.empty())}});
    }
    data["review"] = {{"action", case_path(view) + "/review"},
                      {"flags", flags},
                      {"note", typed(forms, "review", "note")},
                      {"err_flag", error_of(forms, "review", "flag")},
                      {"err_note", error_of(forms, "review", "note")}};
  }
  if (rights.may_reissue_code) {
    // A lost access code (docs/domain.md "Lost access codes"): a reason and a confirmation
    // that who asks was checked outside the system.
    data["newcode"] = {{"action", case_path(view) + "/access-code"},
                       {"reason", typed(forms, "newcode", "reason")},
                       {"err_reason", error_of(forms, "newcode", "reason")},
                       {"err_confirm", error_of(forms, "newcode", "confirm")}};
  }
  if (rights.may_decide_register) {
    // docs/domain.md "Public register": the union that filed the case, for the worker.
    data["register"] = {{"action", case_path(view) + "/register"},
                        {"listed", view.listed_in_register},
                        {"err", error_of(forms, "register", "list")}};
  }
  if (rights.may_request_disclosure) {
    data["disclosure"] = {{"action", case_path(view) + "/disclosure"},
                          {"reason", typed(forms, "disclosure", "reason")},
                          {"err_reason", error_of(forms, "disclosure", "reason")}};
  }
  if (rights.may_feedback) {
    const std::string answer = typed(forms, "feedback", "answer");
    const std::string score = typed(forms, "feedback", "satisfaction");
    json scores = json::array();
    for (int s = 1; s <= 5; ++s) {
      const std::string v = std::to_string(s);
      scores.push_back(
          {{"value", v},
           {"id", s == 1 ? std::string("feedback-satisfaction") : "feedback-satisfaction-" + v},
           {"label", kit.text(l, "staff_satisfaction_" + v)},
           {"checked", v == score}});
    }
    data["feedback"] = {{"action", case_path(view) + "/feedback"},
                        {"accept", answer == "accept"},
                        {"refuse", answer == "refuse"},
                        {"scores", scores},
                        {"comment", typed(forms, "feedback", "comment")},
                        {"err_answer", error_of(forms, "feedback", "answer")},
                        {"err_satisfaction", error_of(forms, "feedback", "satisfaction")},
                        {"err_comment", error_of(forms, "feedback", "comment")},
                        {"err_move", error_of(forms, "feedback", "move")}};
  }
}

namespace {

// A refused post: the domain's error as the page shows it. `field_of` maps the domain's field
// name to the form's field ("" for a field of the form as a whole).
template <class FieldOf>
Response refused(const StaffPages& pages, const Request& req, const CasePost& post,
                 const std::string& reference, const std::string& form, const domain::Error& e,
                 FieldOf field_of, CaseForms forms = {}) {
  const Language l = post.lang.lang;
  const PageKit& kit = pages.kit();
  forms.form = form;
  forms.values = post.form;
  switch (e.code) {
    case domain::ErrorCode::kNotFound:
      return pages.not_found_page(req, post.lang, &post.session);
    case domain::ErrorCode::kForbidden:
      // Visible but not the viewer's to do (a buyer, a union that only filed the case).
      return pages.message_page(req, post.lang, bhttp::status::forbidden,
                                {"staff_cannot_act_title", "staff_cannot_act_text",
                                 "/staff/cases/" + reference, "staff_back_to_case"},
                                &post.session);
    case domain::ErrorCode::kInvalidField: {
      auto [field, key] = field_of(e.field);
      forms.errors.push_back({form + "." + field, form + "-" + field, kit.text(l, key)});
      forms.status = bhttp::status::unprocessable_entity;
      break;
    }
    case domain::ErrorCode::kInvalidTransition:
    case domain::ErrorCode::kConflict:
      // The case changed (or the time for this step has passed): the page as it is now.
      forms.errors.push_back({form + ".move", "status", kit.text(l, "staff_error_move")});
      forms.status = bhttp::status::conflict;
      break;
    default:
      return pages.error_page(req, post.lang, e);
  }
  return render_case(pages, req, post.lang, post.session, reference, forms);
}

}  // namespace

std::string form_error(const CaseForms& forms, const std::string& form, const std::string& field) {
  return error_of(forms, form, field);
}
std::string form_typed(const CaseForms& forms, const std::string& form, const std::string& field) {
  return typed(forms, form, field);
}
Response form_refused(
    const StaffPages& pages, const Request& req, const CasePost& post, const std::string& reference,
    const std::string& form, const domain::Error& e,
    const std::function<std::pair<std::string, const char*>(const std::string&)>& field_of,
    CaseForms forms) {
  return refused(pages, req, post, reference, form, e, field_of, std::move(forms));
}
Response form_done(const Request& req, const std::string& reference, Language l, const char* what) {
  return redirect_response(
      "/staff/cases/" + reference + "?lang=" + lang_code(l) + "&" + what + "=1", req);
}

namespace {

Response done(const Request& req, const std::string& reference, Language l, const char* what) {
  return form_done(req, reference, l, what);
}

std::optional<int> parse_number(std::string_view s) {
  int n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 1 || n > 1000) return std::nullopt;
  return n;
}

std::pair<std::string, const char*> note_field(const std::string& field) {
  if (field == "verdict") return {"verdict", "staff_error_verdict"};
  return {"note", "staff_error_note"};
}

}  // namespace

Response case_transition(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const FormData& f = post->form;
  const std::string reference = normalised_reference(params.get("reference"));
  // The form names its move; the domain's table decides whether the viewer may make it.
  std::string move = f.get("move");
  const domain::LifecycleRule* rule = nullptr;
  for (const domain::LifecycleRule& r : domain::lifecycle_rules()) {
    if (r.name == move) rule = &r;
  }
  if (rule == nullptr) return pages.not_found_page(req, post->lang, &post->session);
  const std::string form = "move-" + move;

  domain::TransitionRequest r;
  r.to = std::string(domain::to_string(rule->to));
  r.reason = f.get("reason");
  r.reasoning = f.get("reasoning");
  r.outcome = f.get("outcome");
  r.external_body = f.get("external_body");
  // The plan's rows: a row left blank is no action; the row numbers of the actions sent.
  int rows = 0;
  std::vector<int> row_of;
  for (int n = 1; n <= kMaxPlanRows; ++n) {
    const std::string k = std::to_string(n);
    if (!f.has("what_" + k)) break;
    rows = n;
    const std::string what = f.get("what_" + k), due = f.get("due_" + k);
    const bool blank =
        std::all_of(what.begin(), what.end(), [](char ch) { return ch == ' '; }) && due.empty();
    if (blank) continue;
    r.actions.push_back({what, parse_id(f.get("org_" + k)).value_or(0), due});
    row_of.push_back(n);
  }
  if (rule->needs == domain::Needs::kRemedyPlan && f.has("more_rows")) {
    // "Add rows": the same form again with three more blank rows, nothing sent yet.
    CaseForms forms;
    forms.form = form;
    forms.values = f;
    forms.plan_rows = std::min(kMaxPlanRows, std::max(rows, 3) + 3);
    return render_case(pages, req, post->lang, post->session, reference, forms);
  }
  auto moved = pages.services().casework.transition(post->session, reference, r);
  if (!moved) {
    CaseForms forms;
    forms.plan_rows = std::max(rows, 3);
    const auto field_of = [&](const std::string& field) -> std::pair<std::string, const char*> {
      static const std::regex action(R"(actions\[(\d+)\]\.(what|organisation|due))");
      std::smatch m;
      if (std::regex_match(field, m, action)) {
        const std::size_t i = std::stoul(m[1]);
        const std::string n = i < row_of.size() ? std::to_string(row_of[i]) : "1";
        if (m[2] == "what") return {"what_" + n, "staff_error_plan_what"};
        if (m[2] == "organisation") return {"org_" + n, "staff_error_plan_org"};
        return {"due_" + n, "staff_error_plan_due"};
      }
      if (field == "actions") return {"what_1", "staff_error_plan"};
      if (field == "reasoning") return {"reasoning", "staff_error_reasoning"};
      if (field == "outcome") return {"outcome", "staff_error_outcome"};
      if (field == "external_body") return {"external_body", "staff_error_external_body"};
      return {"reason", "staff_error_reason"};
    };
    return refused(pages, req, *post, reference, form, moved.error(), field_of, forms);
  }
  return done(req, reference, post->lang.lang, "moved");
}

Response case_ask(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  auto asked =
      pages.services().casework.ask_complainant(post->session, reference, post->form.get("body"));
  if (!asked) {
    return refused(pages, req, *post, reference, "ask", asked.error(), [](const std::string&) {
      return std::pair<std::string, const char*>{"body", "staff_error_body"};
    });
  }
  return done(req, reference, post->lang.lang, "asked");
}

Response case_action_done(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  const auto number = parse_number(params.get("number"));
  if (!number) return pages.not_found_page(req, post->lang, &post->session);
  auto marked = pages.services().casework.mark_action_done(post->session, reference, *number,
                                                           post->form.get("note"));
  if (!marked) {
    return refused(pages, req, *post, reference, "done-" + std::to_string(*number), marked.error(),
                   note_field);
  }
  return done(req, reference, post->lang.lang, "marked");
}

Response case_action_verdict(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  const auto number = parse_number(params.get("number"));
  if (!number) return pages.not_found_page(req, post->lang, &post->session);
  auto judged = pages.services().casework.judge_action(
      post->session, reference, *number, post->form.get("verdict"), post->form.get("note"));
  if (!judged) {
    return refused(pages, req, *post, reference, "verdict-" + std::to_string(*number),
                   judged.error(), note_field);
  }
  return done(req, reference, post->lang.lang, "judged");
}

Response case_feedback(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  const std::string answer = post->form.get("answer");
  if (answer != "accept" && answer != "refuse") {
    // Neither chosen: the form's own question, asked again (nothing reaches the domain).
    CaseForms forms;
    forms.form = "feedback";
    forms.values = post->form;
    forms.errors.push_back({"feedback.answer", "feedback-answer",
                            pages.kit().text(post->lang.lang, "staff_error_answer")});
    forms.status = bhttp::status::unprocessable_entity;
    return render_case(pages, req, post->lang, post->session, reference, forms);
  }
  domain::FeedbackRequest r;
  r.accept = answer == "accept";
  r.satisfaction = parse_number(post->form.get("satisfaction")).value_or(0);
  r.comment = post->form.get("comment");
  auto answered = pages.services().casework.feedback(post->session, reference, r);
  if (!answered) {
    return refused(pages, req, *post, reference, "feedback", answered.error(),
                   [](const std::string& field) -> std::pair<std::string, const char*> {
                     if (field == "comment") return {"comment", "staff_error_comment"};
                     return {"satisfaction", "staff_error_satisfaction"};
                   });
  }
  return done(req, reference, post->lang.lang, "answered");
}

Response case_review(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  auto reviewed = pages.services().casework.review(post->session, reference, post->form.get("flag"),
                                                   post->form.get("note"));
  if (!reviewed) {
    return refused(pages, req, *post, reference, "review", reviewed.error(),
                   [](const std::string& field) -> std::pair<std::string, const char*> {
                     if (field == "flag") return {"flag", "staff_error_flag"};
                     return {"note", "staff_error_note"};
                   });
  }
  return done(req, reference, post->lang.lang, "reviewed");
}

// A new access code: shown on the answer to this POST only (never stored in clear, so it cannot
// come back after a redirect), grouped in fours as on the filing slip.
Response case_access_code(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  const Language l = post->lang.lang;
  if (post->form.get("confirm") != "yes") {
    CaseForms forms;
    forms.form = "newcode";
    forms.values = post->form;
    forms.errors.push_back({"newcode.confirm", "newcode-confirm",
                            pages.kit().text(l, "staff_error_new_code_confirm")});
    forms.status = bhttp::status::unprocessable_entity;
    return render_case(pages, req, post->lang, post->session, reference, forms);
  }
  auto code = pages.services().casework.reissue_access_code(post->session, reference,
                                                            post->form.get("reason"));
  if (!code) {
    return refused(pages, req, *post, reference, "newcode", code.error(),
                   [](const std::string&) -> std::pair<std::string, const char*> {
                     return {"reason", "staff_error_new_code_reason"};
                   });
  }
  json data = pages.kit().base_data(l);
  data["reference"] = reference;
  data["access_code"] = domain::group_access_code(*code);
  data["case_href"] = with_lang("/staff/cases/" + reference, l);
  return pages.render(
      req, post->lang,
      {bhttp::status::ok, "staff_new_code_title", "staff_new_code", "/staff/cases/" + reference},
      data, &post->session, "cases");
}

Response case_disclosure(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  auto requested = pages.services().casework.request_disclosure(post->session, reference,
                                                                post->form.get("reason"));
  if (!requested) {
    return refused(
        pages, req, *post, reference, "disclosure", requested.error(), [](const std::string&) {
          return std::pair<std::string, const char*>{"reason", "staff_error_disclosure_reason"};
        });
  }
  return done(req, reference, post->lang.lang, "disclosure");
}

// docs/domain.md "Public register": the union lists the case it filed, or takes it off.
Response case_register(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_case_form(pages, req);
  if (!post) return std::move(post).error();
  const std::string reference = normalised_reference(params.get("reference"));
  auto set = pages.services().casework.set_register_listing(post->session, reference,
                                                            post->form.get("list") == "yes");
  if (!set) {
    return refused(pages, req, *post, reference, "register", set.error(), [](const std::string&) {
      return std::pair<std::string, const char*>{"list", "staff_error_move"};
    });
  }
  return done(req, reference, post->lang.lang, "registered");
}

}  // namespace grievance::http::pages::staff
