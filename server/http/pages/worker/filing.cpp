// Filing a complaint without JavaScript: the form (GET /complaint), then POST /complaints
// with step=check (the check-your-answers page), step=edit (back to the form, filled in) or
// no step (file it: the receipt with the reference and the access code, shown once).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/codes.hpp"
#include "server/domain/local_time.hpp"
#include "server/domain/validation.hpp"
#include "server/http/auth.hpp"
#include "server/http/pages/case_page_parts.hpp"
#include "server/http/pages/worker/worker_pages.hpp"

namespace grievance::http::pages::worker {

namespace {

using domain::Language;
using nlohmann::json;

// RFC 3986 percent-encoding of everything but unreserved characters (for a data: URL).
std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// The localised message for a domain field name ("contact.email" -> error_contact_email).
FieldError error_for(const PageKit& kit, std::string_view domain_field, Language lang) {
  std::string field(domain_field);
  std::replace(field.begin(), field.end(), '.', '_');
  std::string target = field;
  if (field == "categories") {
    target = "cat-" + std::string(domain::to_string(domain::Category::kWages));
  }
  if (field == "anonymous") target = "anonymous-yes";
  const std::string key = "error_" + field;
  const std::string& message = kit.text(lang, key);
  if (message == key) return {field, "narrative", kit.text(lang, "error_generic")};
  return {field, target, message};
}

domain::ComplaintDraft draft_from(domain::FilingService& filing, const FormData& form,
                                  Language lang) {
  domain::ComplaintDraft d;
  d.language = lang_code(lang);
  d.categories = form.all("categories");
  d.narrative = form.get("narrative");
  const std::string site = form.get("site_id");
  if (!site.empty()) {
    std::int64_t id = 0;
    const bool digits = site.size() <= 18 && std::all_of(site.begin(), site.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        });
    if (digits) id = std::stoll(site);
    d.site_id = digits ? id : -1;  // the domain refuses ids <= 0 as unknown sites
  }
  if (!blank(form.get("place"))) d.place = form.get("place");
  std::string country = form.get("country");
  if (d.site_id && *d.site_id > 0) {
    // The country box belongs to the "I do not know the site" answer: with a site picked,
    // the domain's one rule names the country from the site.
    if (auto s = filing.site(*d.site_id); s && s->has_value()) {
      country.clear();
      d.country = domain::complaint_country(d, &**s);
    }
  }
  if (!country.empty()) d.country = country;
  if (!form.get("incident_date").empty()) d.incident_date = form.get("incident_date");
  const std::string anonymous = form.get("anonymous");
  if (anonymous == "yes") d.anonymous = true;
  if (anonymous == "no") d.anonymous = false;
  domain::ContactDraft contact;
  if (!blank(form.get("contact_name"))) contact.name = form.get("contact_name");
  if (!blank(form.get("contact_phone"))) contact.phone = form.get("contact_phone");
  if (!blank(form.get("contact_email"))) contact.email = form.get("contact_email");
  if (contact.name || contact.phone || contact.email) d.contact = contact;
  return d;
}

// Every error we can name at once (GOV.UK: list them all), then the domain's own rules for
// anything subtler; nothing here is stored.
std::vector<FieldError> check_form(const WorkerPages& pages, const FormData& form,
                                   const domain::ComplaintDraft& d, Language lang) {
  const PageKit& kit = pages.kit();
  domain::Services& services = pages.services();
  std::vector<FieldError> errors;
  if (!d.categories || d.categories->empty()) {
    errors.push_back(error_for(kit, "categories", lang));
  }
  if (!d.narrative || blank(*d.narrative)) errors.push_back(error_for(kit, "narrative", lang));
  const bool has_site = d.site_id.has_value();
  if (has_site) {
    auto site = *d.site_id > 0 ? services.filing.site(*d.site_id)
                               : domain::Result<std::optional<domain::Site>>(std::nullopt);
    if (site && !site->has_value()) errors.push_back(error_for(kit, "site_id", lang));
  } else {
    if (!d.place) errors.push_back({"place", "place", kit.text(lang, "error_place")});
    if (!d.country) errors.push_back(error_for(kit, "country", lang));
  }
  const std::string anonymous = form.get("anonymous");
  if (anonymous != "yes" && anonymous != "no") {
    errors.push_back(error_for(kit, "anonymous", lang));
  }
  // The domain names every field it refuses at once (issue 8: no errors in stages).
  for (const domain::FieldProblem& p :
       domain::complaint_problems(d, services.config().limits, services.filing.today())) {
    FieldError e = error_for(kit, p.error.field, lang);
    // The domain names site_id when neither a site nor a place is given; the form asks for
    // the place in that case.
    if (e.field == "site_id" && !has_site) e = {"place", "place", kit.text(lang, "error_place")};
    if (p.rule == "name_to_share") e.message = kit.text(lang, "error_contact_name_to_share");
    const bool known = std::any_of(errors.begin(), errors.end(),
                                   [&](const FieldError& x) { return x.field == e.field; });
    if (!known) errors.push_back(e);
  }
  // Show them in the order of the form.
  static constexpr std::string_view kOrder[] = {
      "categories",    "narrative", "site_id",      "place",         "country",
      "incident_date", "anonymous", "contact_name", "contact_phone", "contact_email"};
  auto rank = [](const FieldError& e) {
    auto it = std::find(std::begin(kOrder), std::end(kOrder), e.field);
    return it - std::begin(kOrder);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const FieldError& a, const FieldError& b) { return rank(a) < rank(b); });
  return errors;
}

// The workplace, country first (issue 8: one dropdown of every site does not work with a few
// hundred): GET /complaint offers the countries that have sites; ?country=XX lists that
// country's sites (at most kSiteListCap, `q` searches them); ?site_id=N (or "other", the
// place in words) leads to the rest of the form. Every step is a plain GET form, so it works
// without JavaScript (docs/domain.md "Filing"). A posted form (check, edit, errors) always
// shows the rest of the form with the workplace it carries.
constexpr int kSiteListCap = 30;

bool is_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string site_label(const domain::Site& s) {
  return s.region.empty() ? s.name : s.name + " (" + s.region + ")";
}

json workplace_picker(const WorkerPages& pages, Language l, const FormData& form, bool from_query) {
  const PageKit& kit = pages.kit();
  domain::FilingService& filing = pages.services().filing;
  std::vector<std::string> countries;
  if (auto c = filing.site_countries()) countries = *c;
  const std::string country = form.get("country");
  const std::string site_id = form.get("site_id");
  const bool site_country =
      std::find(countries.begin(), countries.end(), country) != countries.end();
  json picker = {{"lang", lang_code(l)}};
  auto rest_of_form = [&](std::optional<domain::Site> site, bool known_id) {
    picker["form"] = true;
    if (known_id) {
      picker["has_site"] = true;
      picker["site_id"] = site_id;
      if (site) {
        picker["workplace_text"] = site_label(*site) + ", " + kit.country_name(l, site->country);
        picker["change_country"] = site->country;
      }
    } else {
      picker["other"] = true;
      picker["workplace_text"] = kit.text(l, "picker_not_listed");
      if (site_country) picker["change_country"] = country;
      picker["countries"] = kit.country_options(l, countries, country);
    }
    return picker;
  };
  if (!from_query) {
    if (!site_id.empty() && site_id != "other") {
      std::optional<domain::Site> site;
      if (is_digits(site_id)) {
        if (auto s = filing.site(std::stoll(site_id)); s && s->has_value()) site = **s;
      }
      return rest_of_form(site, true);
    }
    return rest_of_form(std::nullopt, false);
  }
  if (is_digits(site_id)) {
    if (auto s = filing.site(std::stoll(site_id)); s && s->has_value()) {
      return rest_of_form(**s, true);
    }
  }
  if (site_id == "other" || country == "other") return rest_of_form(std::nullopt, false);
  if (!site_country) {
    picker["country_step"] = true;
    picker["countries"] = kit.country_options(l, countries, "");
    // Only the countries that have sites: country_options adds the programme's countries.
    json only = json::array();
    for (auto& o : picker["countries"]) {
      if (std::find(countries.begin(), countries.end(), o["value"].get<std::string>()) !=
          countries.end()) {
        only.push_back(o);
      }
    }
    picker["countries"] = std::move(only);
    return picker;
  }
  picker["site_step"] = true;
  picker["country"] = country;
  picker["country_name"] = kit.country_name(l, country);
  std::string q = form.get("q");
  if (q.size() > 100) q.resize(100);
  picker["q"] = q;
  json sites = json::array();
  if (auto found = filing.find_sites(q, country, kSiteListCap + 1)) {
    for (const domain::Site& s : *found) {
      if (static_cast<int>(sites.size()) == kSiteListCap) {
        picker["more"] = true;
        break;
      }
      sites.push_back({{"id", std::to_string(s.id)}, {"label", site_label(s)}});
    }
  }
  picker["none"] = sites.empty();
  picker["sites"] = std::move(sites);
  return picker;
}

Response render_form(const WorkerPages& pages, const Request& req, PageLanguage lang,
                     const FormData& form, const std::vector<FieldError>& errors,
                     bhttp::status status) {
  const PageKit& kit = pages.kit();
  domain::FilingService& filing = pages.services().filing;
  const Language l = lang.lang;
  json data = kit.form_data(l, errors);
  data["today"] = domain::format_date(filing.today());
  // One nonce per filled-in form, carried through the check step: a refreshed or re-sent
  // receipt page then answers the first filing instead of filing twice.
  data["submission"] =
      valid_form_nonce(form.get("submission")) ? form.get("submission") : new_form_nonce();

  const auto chosen = form.all("categories");
  json categories = json::array();
  for (domain::Category c : domain::all_categories()) {
    const std::string code(domain::to_string(c));
    categories.push_back(
        {{"code", code},
         {"label", kit.text(l, "category_" + code)},
         {"checked", std::find(chosen.begin(), chosen.end(), code) != chosen.end()}});
  }
  data["categories"] = std::move(categories);

  data["picker"] = workplace_picker(pages, l, form, /*from_query=*/false);
  const std::string anonymous = form.get("anonymous");
  data["v"] = {
      {"narrative", form.get("narrative")},         {"place", form.get("place")},
      {"incident_date", form.get("incident_date")}, {"anonymous_yes", anonymous == "yes"},
      {"anonymous_no", anonymous == "no"},          {"contact_name", form.get("contact_name")},
      {"contact_phone", form.get("contact_phone")}, {"contact_email", form.get("contact_email")}};
  return pages.render(
      req, lang, {status, "complaint_title", "complaint", "/complaint", !errors.empty()}, data);
}

Response render_check(const WorkerPages& pages, const Request& req, PageLanguage lang,
                      const FormData& form, const domain::ComplaintDraft& d) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  json data = kit.base_data(l);
  json chosen = json::array();
  json hidden = json::array();
  for (const auto& code : *d.categories) {
    chosen.push_back(kit.text(l, "category_" + code));
    hidden.push_back({{"name", "categories"}, {"value", code}});
  }
  data["chosen_categories"] = std::move(chosen);
  for (const char* name : {"narrative", "site_id", "place", "country", "incident_date", "anonymous",
                           "contact_name", "contact_phone", "contact_email", "submission"}) {
    if (form.has(name)) hidden.push_back({{"name", name}, {"value", form.get(name)}});
  }
  data["hidden"] = std::move(hidden);
  data["v"] = {{"narrative", form.get("narrative")}};

  std::string place;
  if (d.site_id) {
    if (auto s = pages.services().filing.site(*d.site_id); s && s->has_value()) {
      place = (*s)->name + ((*s)->region.empty() ? "" : ", " + (*s)->region);
    }
  } else if (d.place) {
    place = *d.place;
  }
  if (d.country) place += (place.empty() ? "" : ", ") + kit.country_name(l, *d.country);
  data["place_text"] = place;

  std::string date_text = kit.text(l, "check_date_unknown");
  if (d.incident_date) {
    if (auto date = domain::parse_date(*d.incident_date)) {
      date_text = kit.catalogues().date(l, *date);
    }
  }
  data["date_text"] = date_text;
  data["anonymous_text"] =
      kit.text(l, d.anonymous.value_or(true) ? "anonymous_yes" : "anonymous_no");
  json contact = json::array();
  if (d.contact) {
    for (const auto& v : {d.contact->name, d.contact->phone, d.contact->email}) {
      if (v) contact.push_back(*v);
    }
  }
  data["contact_lines"] = std::move(contact);
  return pages.render(req, lang, {bhttp::status::ok, "check_title", "check", "/complaint"}, data);
}

Response render_receipt(const WorkerPages& pages, const Request& req, PageLanguage lang,
                        const domain::FiledComplaint& filed, const domain::SignedIn* signed_in) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  json data = kit.base_data(l);
  data["reference"] = filed.filed.reference;
  data["replayed"] = filed.replayed;
  data["access_code"] = domain::group_access_code(filed.access_code);
  data["office_contact"] = pages.services().config().office_contact;
  // Dates in the workplace's zone (docs/domain.md "Local time").
  std::optional<domain::Site> site;
  if (filed.filed.complaint.site_id) {
    if (auto s = pages.services().filing.site(*filed.filed.complaint.site_id);
        s && s->has_value()) {
      site = **s;
    }
  }
  const domain::TimeZone zone =
      domain::complaint_time_zone(filed.filed.complaint, site ? &*site : nullptr);
  auto local_day = [&](domain::TimePoint t) {
    return kit.catalogues().date(l, domain::local_date(t, zone));
  };
  data["ack_text"] =
      kit.format(l, "receipt_ack_due", {{"date", local_day(filed.filed.deadlines.ack_due)}});
  // Who received it: the company that runs the workplace and its buyers, or the complaints
  // office's triage when no company is known (issue 8).
  json holders = json::array();
  for (const domain::CaseParty& p : filed.filed.parties) {
    auto name = pages.services().filing.organisation_name(p.org_id);
    holders.push_back(kit.format(
        l,
        p.role == domain::PartyRole::kResponsible ? "case_holder_responsible" : "case_holder_buyer",
        {{"name", name ? *name : std::string()}}));
  }
  data["triage"] = holders.empty();
  data["holders"] = std::move(holders);
  data["rights_href"] = rights_href(l, site ? site->country : filed.filed.complaint.country);
  // The proof of filing in plain words, and as a file `grievance verify-receipt` and
  // POST /api/v1/receipts/verify read: a data: link, so saving works without JavaScript.
  data["proof_text"] =
      kit.format(l, "receipt_proof_text", {{"date", local_day(filed.receipt.filed_at)}});
  const json proof = {{"receipt",
                       {{"reference", filed.receipt.reference},
                        {"filed_at", domain::format_time(filed.receipt.filed_at)},
                        {"content_sha256", filed.receipt.content_sha256},
                        {"key_id", filed.receipt.key_id},
                        {"signature", filed.receipt.signature}}}};
  data["proof_href"] = "data:application/json;charset=utf-8," + percent_encode(proof.dump(2));
  data["proof_file"] = "receipt-" + filed.filed.reference + ".json";
  // Evidence at filing (docs/domain.md "Evidence"): the filing device is signed in to the new
  // case, so the receipt offers the upload form of the case page right away.
  if (signed_in != nullptr) {
    data["attach"] = {
        {"csrf", signed_in->session.csrf_token},
        {"max_mb", std::to_string(pages.services().config().attachment_max_bytes >> 20)}};
  }
  // The switch leads home: this page cannot be shown again (the code is shown once).
  auto res =
      pages.render(req, lang,
                   {filed.replayed ? bhttp::status::ok : bhttp::status::created,
                    filed.replayed ? "receipt_replayed_title" : "receipt_title", "receipt", "/"},
                   data);
  if (signed_in != nullptr) {
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
        signed_in->session.expires_at - signed_in->session.created_at);
    res.insert(bhttp::field::set_cookie,
               session_cookie(signed_in->token,
                              static_cast<int>(std::max<std::int64_t>(60, ttl.count()))));
  }
  return res;
}

}  // namespace

Response complaint_form(const WorkerPages& pages, Request& req) {
  const PageLanguage lang = language_of(req);
  const FormData query = query_of(req);
  json picker = workplace_picker(pages, lang.lang, query, /*from_query=*/true);
  if (picker.contains("form")) {
    // The workplace is chosen: the rest of the form, carrying it ("other" is no country).
    const bool no_country = !picker.contains("has_site") && query.get("country") == "other";
    return render_form(pages, req, lang, no_country ? FormData{} : query, {}, bhttp::status::ok);
  }
  std::vector<FieldError> errors;
  if (picker.contains("site_step") && query.get("step") == "site") {
    // The site step was sent without a choice.
    errors.push_back({"site_id", "site-other", pages.kit().text(lang.lang, "error_site_id")});
  }
  json data = pages.kit().form_data(lang.lang, errors);
  data["picker"] = std::move(picker);
  return pages.render(req, lang,
                      {errors.empty() ? bhttp::status::ok : bhttp::status::bad_request,
                       "complaint_title", "complaint", "/complaint", !errors.empty()},
                      data);
}

Response file_complaint(const WorkerPages& pages, Request& req, const RequestContext& ctx) {
  auto post = pages.read_form(req);
  if (!post) return std::move(post).error();
  const auto& [form, lang] = *post;
  const std::string step = form.get("step");

  if (step == "edit") return render_form(pages, req, lang, form, {}, bhttp::status::ok);

  domain::FilingService& filing = pages.services().filing;
  domain::ComplaintDraft draft = draft_from(filing, form, lang.lang);
  std::vector<FieldError> errors = check_form(pages, form, draft, lang.lang);
  if (!errors.empty()) {
    return render_form(pages, req, lang, form, errors, bhttp::status::bad_request);
  }

  if (step == "check") return render_check(pages, req, lang, form, draft);

  const std::string submission = form.get("submission");
  auto filed =
      filing.file_complaint(draft, domain::Channel::kWeb,
                            valid_form_nonce(submission) ? "web:" + submission : std::string());
  if (!filed) {
    if (filed.error().code == domain::ErrorCode::kInvalidField) {
      errors.push_back(error_for(pages.kit(), filed.error().field, lang.lang));
      return render_form(pages, req, lang, form, errors, bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, filed.error());
  }
  // The worker who just filed may add evidence at once: the filing signs this device in to the
  // new case as the follow page would (a replay shows no code and signs nobody in).
  std::optional<domain::SignedIn> signed_in;
  if (!filed->replayed) {
    auto in = pages.services().complainants.sign_in(filed->filed.reference, filed->access_code,
                                                    ctx.client_address);
    if (in) signed_in = std::move(*in);
  }
  return render_receipt(pages, req, lang, *filed, signed_in ? &*signed_in : nullptr);
}

}  // namespace grievance::http::pages::worker
