// A union officer files one complaint for a worker, with the worker's mandate (issue 8 item 4):
// GET /staff/complaint (the form) and POST /staff/complaint (filed: the worker's slip with the
// reference and the secret code, shown once). FilingService::file_complaint with the officer's
// session records the union, the mandate and the `union` channel, and routes the case.
//
// One question sets who may know the worker's name: the complaint is anonymous to the
// companies unless the worker agreed, and then the mandate records that consent too (a
// company sees a union's filing's identity only with both: docs/domain.md "Who sees what").
// Every problem of the form is named at once (FilingService::complaint_problems). The form
// carries a nonce, so a refreshed answer files once and answers the first filing.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/codes.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

namespace {

using domain::Language;
using nlohmann::json;

std::optional<bool> yes_no(const std::string& v) {
  if (v == "true") return true;
  if (v == "false") return false;
  return std::nullopt;
}

// The form's answers as a draft, and the questions the form asks that the draft has no field
// for (who may know the name, whether the union follows, one worker or a group).
struct ReadForm {
  domain::ComplaintDraft draft;
  std::vector<std::string> unanswered;  // form fields
};

ReadForm read_complaint(const FormData& form) {
  ReadForm out;
  domain::ComplaintDraft& d = out.draft;
  auto text = [&](const char* name) -> std::optional<std::string> {
    std::string v = form.get(name);
    if (blank(v)) return std::nullopt;
    return v;
  };
  d.language = text("language");
  if (auto categories = form.all("categories"); !categories.empty()) d.categories = categories;
  d.narrative = form.get("narrative");
  if (auto site = text("site_id")) {
    // Not an id: the domain names it (an unknown site), never a silent "no site".
    d.site_id = parse_id(*site).value_or(-1);
  }
  d.place = text("place");
  d.country = text("country");
  d.incident_date = text("incident_date");
  domain::ContactDraft contact{text("contact_name"), text("contact_phone"), text("contact_email")};
  if (contact.name || contact.phone || contact.email) d.contact = contact;

  domain::Mandate mandate;
  const auto share = yes_no(form.get("share_identity"));
  if (!share) out.unanswered.push_back("share_identity");
  // Anonymous to the companies unless the worker agreed; the mandate records the consent.
  d.anonymous = !share.value_or(false);
  mandate.share_identity_with_company = share.value_or(false);
  const auto follow = yes_no(form.get("mandate_follow"));
  if (!follow) out.unanswered.push_back("mandate_follow");
  mandate.follow = follow.value_or(false);
  const auto collective = yes_no(form.get("collective"));
  if (!collective) out.unanswered.push_back("collective");
  mandate.collective = collective.value_or(false);
  if (mandate.collective) {
    const std::string count = form.get("mandate_headcount");
    const auto n = parse_id(count);
    mandate.headcount = n && *n <= 1000000 ? static_cast<int>(*n) : -1;
  } else {
    mandate.headcount = 1;
  }
  d.mandate = mandate;
  return out;
}

// A domain field as the form names it, and the id the error summary links to.
std::pair<std::string, std::string> form_field(const std::string& domain_field) {
  if (domain_field == "categories") return {"categories", "cat-wages"};
  if (domain_field == "mandate") return {"mandate_follow", "mandate_follow-yes"};
  if (domain_field == "mandate.headcount") return {"mandate_headcount", "mandate_headcount"};
  if (domain_field == "share_identity") return {"share_identity", "share_identity-no"};
  if (domain_field == "mandate_follow") return {"mandate_follow", "mandate_follow-yes"};
  if (domain_field == "collective") return {"collective", "collective-no"};
  std::string field = domain_field;
  std::replace(field.begin(), field.end(), '.', '_');
  return {field, field};
}

// The message for a field: the staff wording where the worker's form speaks to the worker
// ("Your name ..."), else the complaint form's.
FieldError field_error(const PageKit& kit, Language l, const std::string& domain_field) {
  auto [field, target] = form_field(domain_field);
  for (const std::string& key : {"staff_complaint_error_" + field, "error_" + field}) {
    const std::string& message = kit.text(l, key);
    if (message != key) return {field, target, message};
  }
  return {field, target, kit.text(l, "staff_error_generic")};
}

Response render_form(const StaffPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& s, const FormData& form,
                     const std::vector<FieldError>& errors, bhttp::status status) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  json data = kit.form_data(l, errors);
  data["nonce"] = valid_form_nonce(form.get("nonce")) ? form.get("nonce") : new_form_nonce();
  json languages = json::array();
  for (auto language : domain::all_languages()) {
    const std::string code = lang_code(language);
    languages.push_back({{"value", code},
                         {"label", std::string(web::language_endonym(language))},
                         {"selected", code == form.get("language")}});
  }
  data["languages"] = std::move(languages);
  const auto chosen = form.all("categories");
  json categories = json::array();
  for (auto c : domain::all_categories()) {
    const std::string code(domain::to_string(c));
    categories.push_back(
        {{"code", code},
         {"label", kit.text(l, "category_" + code)},
         {"checked", std::find(chosen.begin(), chosen.end(), code) != chosen.end()}});
  }
  data["categories"] = std::move(categories);
  // The workplaces a complaint may name, by country.
  json groups = json::array();
  if (auto sites = pages.services().filing.find_sites("", "", domain::kMaxBatchRows * 10)) {
    const std::string chosen_site = form.get("site_id");
    for (const domain::Site& site : *sites) {  // sorted by country
      if (groups.empty() || groups.back()["code"] != site.country) {
        groups.push_back({{"code", site.country},
                          {"country_name", kit.country_name(l, site.country)},
                          {"sites", json::array()}});
      }
      const std::string id = std::to_string(site.id);
      groups.back()["sites"].push_back(
          {{"id", id},
           {"label", site.region.empty() ? site.name : site.name + " (" + site.region + ")"},
           {"selected", id == chosen_site}});
    }
  }
  data["site_groups"] = std::move(groups);
  data["countries"] = kit.all_country_options(l, form.get("country"));
  auto answer = [&](const char* name, const char* value) { return form.get(name) == value; };
  data["v"] = {{"narrative", form.get("narrative")},
               {"place", form.get("place")},
               {"incident_date", form.get("incident_date")},
               {"contact_name", form.get("contact_name")},
               {"contact_phone", form.get("contact_phone")},
               {"contact_email", form.get("contact_email")},
               {"mandate_headcount", form.get("mandate_headcount")},
               {"share_yes", answer("share_identity", "true")},
               {"share_no", answer("share_identity", "false")},
               {"follow_yes", answer("mandate_follow", "true")},
               {"follow_no", answer("mandate_follow", "false")},
               {"collective_yes", answer("collective", "true")},
               {"collective_no", answer("collective", "false")}};
  data["today"] = domain::format_date(pages.services().filing.today());
  return pages.render(
      req, lang,
      {status, "staff_complaint_title", "staff_complaint", "/staff/complaint", !errors.empty()},
      data, &s, "complaint");
}

Response render_filed(const StaffPages& pages, const Request& req, PageLanguage lang,
                      const domain::Session& s, const domain::FiledComplaint& filed) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  const domain::Case& c = filed.filed;
  const Language sl = c.complaint.language;  // the slip speaks the worker's language
  json data = kit.base_data(l);
  data["replayed"] = filed.replayed;
  data["case_href"] = with_lang("/staff/cases/" + c.reference, l);
  data["again_href"] = with_lang("/staff/complaint", l);
  data["slip"] = {{"slip_lang", lang_code(sl)},
                  {"title", kit.text(sl, "service_name")},
                  {"ref_label", kit.text(sl, "receipt_reference_label")},
                  {"reference", c.reference},
                  {"code_label", kit.text(sl, "receipt_code_title")},
                  {"access_code",
                   filed.replayed ? std::string() : domain::group_access_code(filed.access_code)},
                  {"filed_label", kit.text(sl, "case_filed_on")},
                  {"filed_on", kit.day_text(sl, c.created_at)},
                  {"follow_label", kit.text(sl, "slip_follow")},
                  {"follow_url", pages.follow_url(sl)},
                  {"ack_text", kit.format(sl, "receipt_ack_due",
                                          {{"date", kit.day_text(sl, c.deadlines.ack_due)}})},
                  {"keep_secret", kit.text(sl, "receipt_keep_safe_2")},
                  {"lost", kit.text(sl, "receipt_keep_safe_3")}};
  return pages.render(req, lang,
                      {filed.replayed ? bhttp::status::ok : bhttp::status::created,
                       "staff_filed_title", "staff_filed", "/staff/complaint"},
                      data, &s, "complaint");
}

}  // namespace

Response complaint_form(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (!domain::may_file_batch(session->role)) return pages.not_found_page(req, lang, &*session);
  return render_form(pages, req, lang, *session, FormData{}, {}, bhttp::status::ok);
}

Response complaint_file(const StaffPages& pages, Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  auto session = pages.form_session(req, lang, form.get("csrf"));
  if (!session) return std::move(session).error();
  if (!domain::may_file_batch(session->role)) return pages.not_found_page(req, lang, &*session);
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;

  // Every problem at once: the questions left open, then the domain's rules.
  ReadForm read = read_complaint(form);
  auto problems = pages.services().filing.complaint_problems(read.draft, &*session);
  if (!problems) return pages.error_page(req, lang, problems.error());
  std::vector<FieldError> errors;
  for (const domain::Error& e : *problems) errors.push_back(field_error(kit, l, e.field));
  for (const std::string& field : read.unanswered) errors.push_back(field_error(kit, l, field));
  // In the form's order.
  static constexpr std::string_view kOrder[] = {
      "language",      "categories",     "narrative",      "site_id",          "place",
      "country",       "incident_date",  "share_identity", "contact_name",     "contact_phone",
      "contact_email", "mandate_follow", "collective",     "mandate_headcount"};
  auto rank = [](const FieldError& e) {
    const auto it = std::find(std::begin(kOrder), std::end(kOrder), e.field);
    return std::distance(std::begin(kOrder), it);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const FieldError& a, const FieldError& b) { return rank(a) < rank(b); });
  errors.erase(
      std::unique(errors.begin(), errors.end(),
                  [](const FieldError& a, const FieldError& b) { return a.field == b.field; }),
      errors.end());
  if (!errors.empty()) {
    return render_form(pages, req, lang, *session, form, errors, bhttp::status::bad_request);
  }
  const std::string nonce = form.get("nonce");
  auto filed = pages.services().filing.file_complaint(
      read.draft, domain::Channel::kUnion, valid_form_nonce(nonce) ? "staff:" + nonce : "",
      &*session);
  if (!filed) {
    if (filed.error().code == domain::ErrorCode::kInvalidField) {
      return render_form(pages, req, lang, *session, form,
                         {field_error(kit, l, filed.error().field)}, bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, filed.error());
  }
  return render_filed(pages, req, lang, *session, *filed);
}

}  // namespace grievance::http::pages::staff
