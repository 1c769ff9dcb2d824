// The admin pages of the directory: organisations, staff users, sites and supply links. Each
// list is a table with a form to add one; each record has its page to change it (issue 8), a
// confirmation page before it is disabled (the directory's "delete": history keeps pointing at
// a disabled record) and a button to enable it again; a user's page also sets a new password,
// which signs the user out everywhere. Countries are chosen by name from every country of
// ISO 3166-1 (issue 8: a two-letter box cut "Malaysia" to "MA"). The DirectoryService decides
// who may administer and validates every field; the pages answer 404 to anyone else, as for a
// page that does not exist.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/directory_service.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

using domain::Language;
using domain::Role;
using nlohmann::json;

namespace {

// What differs between the four directories' pages, besides their records and forms.
struct DirectoryPage {
  std::string_view path;           // of the page and its form
  std::string_view title_key;      // catalogue key of the title
  std::string_view template_name;  // web/templates/<name>.html
  std::string_view nav;            // the navigation item it is
  std::string_view first_field;    // where a refusal without a field of its own is shown
};

const DirectoryPage& page_of(Directory d) {
  static constexpr DirectoryPage kPages[] = {
      {"/staff/admin/organisations", "staff_orgs_title", "staff_organisations", "organisations",
       "name"},
      {"/staff/admin/users", "staff_users_title", "staff_users", "users", "email"},
      {"/staff/admin/sites", "staff_sites_title", "staff_sites", "sites", "name"},
      {"/staff/admin/supply-links", "staff_links_title", "staff_supply_links", "supply-links",
       "supplier_org_id"},
  };
  return kPages[static_cast<int>(d)];
}

}  // namespace

std::string_view directory_path(Directory d) { return page_of(d).path; }

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// The message for a directory form field ("org_id" -> staff_error_org_id).
FieldError field_error(const PageKit& kit, Language l, std::string_view domain_field) {
  std::string field(domain_field);
  std::replace(field.begin(), field.end(), '.', '_');
  const std::string key = "staff_error_" + field;
  const std::string& message = kit.text(l, key);
  if (message == key) return {field, field, kit.text(l, "staff_error_generic")};
  return {field, field, message};
}

json org_options(const std::vector<domain::Organisation>& orgs, std::optional<domain::OrgKind> kind,
                 std::string_view chosen) {
  json out = json::array();
  for (const auto& o : orgs) {
    if (o.disabled || (kind && o.kind != *kind)) continue;
    const std::string id = std::to_string(o.id);
    out.push_back({{"value", id}, {"label", o.name}, {"selected", id == chosen}});
  }
  return out;
}

// <option>s for fixed codes, labelled by `key_prefix` + code.
template <class Enum>
json code_options(const PageKit& kit, Language l, std::initializer_list<Enum> values,
                  std::string_view key_prefix, std::string_view chosen) {
  return kit.options(std::span<const Enum>(values.begin(), values.size()), chosen, l, key_prefix);
}

// One row of a directory's table: its cells, and the name its disable/enable button gives.
struct Row {
  json cells;
  std::string name;
};

// A directory's table: a row per record, each with its state, a link to its page, and a link
// to disable it (a confirmation page) or a button to enable it. The domain's error when the
// records cannot be read.
template <class Record, class RowOf>
domain::Status add_rows(const PageKit& kit, Language l, Directory d, json& rows,
                        const domain::Result<std::vector<Record>>& records, RowOf row_of) {
  if (!records) return std::unexpected(records.error());
  for (const Record& record : *records) {
    Row row = row_of(record);
    row.cells["state"] =
        kit.text(l, record.disabled ? "staff_state_disabled" : "staff_state_enabled");
    const std::string path = std::string(directory_path(d)) + "/" + std::to_string(record.id);
    row.cells["edit_href"] = with_lang(path, l);
    // Disabling asks first (a page of its own); enabling again is harmless.
    if (record.disabled) {
      row.cells["enable_action"] = path + "/enable";
    } else {
      row.cells["disable_href"] = with_lang(path + "/disable", l);
    }
    row.cells["toggle_name"] = std::move(row.name);
    rows.push_back(std::move(row.cells));
  }
  return {};
}

// The directory's table and form. `form` refills the form after a refusal.
Response render_directory(const StaffPages& pages, const Request& req, PageLanguage lang,
                          const domain::Session& s, Directory d, const FormData& form,
                          const std::vector<FieldError>& errors, std::string_view notice,
                          bhttp::status status) {
  const PageKit& kit = pages.kit();
  domain::DirectoryService& admin = *pages.directory();
  const Language l = lang.lang;
  json data = kit.form_data(l, errors);
  data["notice"] = notice;
  data["action"] = directory_path(d);
  if (d == Directory::kOrganisations && pages.services().webhooks != nullptr) {
    // The complaints office's own webhooks and every organisation's deliveries (issue 10).
    data["webhook_links"] = {{"operator_href", with_lang("/staff/admin/webhooks", l)},
                             {"deliveries_href", with_lang("/staff/admin/webhook-deliveries", l)}};
  }
  auto orgs = admin.list_organisations(s);
  if (!orgs) return pages.error_page(req, lang, orgs.error());
  std::map<std::int64_t, std::string> names;
  for (const auto& o : *orgs) names[o.id] = o.name;
  auto name_of = [&](std::optional<std::int64_t> id) -> std::string {
    if (!id) return kit.text(l, "staff_none");
    auto it = names.find(*id);
    return it == names.end() ? std::string("#").append(std::to_string(*id)) : it->second;
  };
  auto sector_text = [&](domain::Sector sector) {
    return kit.text(l, "staff_sector_" + std::string(domain::to_string(sector)));
  };
  json rows = json::array();
  domain::Status listed;
  switch (d) {
    case Directory::kOrganisations:
      listed = add_rows(kit, l, d, rows, orgs, [&](const domain::Organisation& o) {
        return Row{{{"name", o.name},
                    {"kind", kit.text(l, "staff_kind_" + std::string(domain::to_string(o.kind)))},
                    {"country", kit.country_name(l, o.country)}},
                   o.name};
      });
      data["kinds"] = code_options(
          kit, l, {domain::OrgKind::kCompany, domain::OrgKind::kUnion, domain::OrgKind::kAuditor},
          "staff_kind_", form.get("kind"));
      data["countries"] = kit.all_country_options(l, upper(form.get("country")));
      data["v"] = {{"name", form.get("name")}};
      break;
    case Directory::kUsers:
      listed = add_rows(kit, l, d, rows, admin.list_users(s), [&](const domain::User& u) {
        return Row{{{"email", u.email},
                    {"role", kit.text(l, "staff_role_" + std::string(domain::to_string(u.role)))},
                    {"org", name_of(u.org_id)},
                    {"totp", kit.text(l, u.totp_secret.empty() ? "staff_no" : "staff_yes")}},
                   u.email};
      });
      data["roles"] =
          code_options(kit, l, {Role::kAdmin, Role::kUnion, Role::kCompany, Role::kAuditor},
                       "staff_role_", form.get("role"));
      data["orgs"] = org_options(*orgs, std::nullopt, form.get("org_id"));
      data["v"] = {{"email", form.get("email")}};
      break;
    case Directory::kSites:
      listed = add_rows(kit, l, d, rows, admin.list_sites(s), [&](const domain::Site& site) {
        return Row{{{"name", site.name},
                    {"region", site.region},
                    {"country", kit.country_name(l, site.country)},
                    {"sector", sector_text(site.sector)},
                    {"operator", name_of(site.operator_org_id)}},
                   site.name};
      });
      data["sectors"] = kit.options(domain::all_sectors(), form.get("sector"), l, "staff_sector_");
      data["companies"] =
          org_options(*orgs, domain::OrgKind::kCompany, form.get("operator_org_id"));
      data["countries"] = kit.all_country_options(l, upper(form.get("country")));
      data["v"] = {{"name", form.get("name")}, {"region", form.get("region")}};
      break;
    case Directory::kSupplyLinks:
      listed = add_rows(kit, l, d, rows, admin.list_supply_links(s),
                        [&](const domain::SupplyLink& link) {
                          const std::string supplier = name_of(link.supplier_org_id);
                          const std::string buyer = name_of(link.buyer_org_id);
                          return Row{{{"supplier", supplier},
                                      {"buyer", buyer},
                                      {"sector", link.sector ? sector_text(*link.sector)
                                                             : kit.text(l, "staff_every_sector")}},
                                     supplier + " → " + buyer};
                        });
      data["sectors"] = kit.options(domain::all_sectors(), form.get("sector"), l, "staff_sector_");
      data["suppliers"] =
          org_options(*orgs, domain::OrgKind::kCompany, form.get("supplier_org_id"));
      data["buyers"] = org_options(*orgs, domain::OrgKind::kCompany, form.get("buyer_org_id"));
      break;
  }
  if (!listed) return pages.error_page(req, lang, listed.error());
  data["has_rows"] = !rows.empty();
  data["rows"] = std::move(rows);
  const DirectoryPage& page = page_of(d);
  return pages.render(req, lang,
                      {status, page.title_key, page.template_name, page.path, !errors.empty()},
                      data, &s, page.nav);
}

// The checks before any directory page: a staff session, an admin, a directory service.
// nullopt when they pass; else the response to send.
std::optional<Response> refuse_non_admin(const StaffPages& pages, const Request& req,
                                         PageLanguage lang, const domain::Session& session) {
  if (!domain::may_administer(session.role)) return pages.not_found_page(req, lang, &session);
  if (pages.directory() == nullptr) {
    return pages.error_page(req, lang, domain::Error::unavailable());
  }
  return std::nullopt;
}

// An admin's form post to a directory page: the form, its language and the admin's session
// (its CSRF token checked); else the response refusing it.
struct AdminPost {
  FormData form;
  PageLanguage lang;
  domain::Session session;
};

std::expected<AdminPost, Response> read_admin_form(const StaffPages& pages, const Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::unexpected(std::move(post).error());
  auto session = pages.form_session(req, post->lang, post->form.get("csrf"));
  if (!session) return std::unexpected(std::move(session).error());
  if (auto refused = refuse_non_admin(pages, req, post->lang, *session)) {
    return std::unexpected(*std::move(refused));
  }
  return AdminPost{std::move(post->form), post->lang, *std::move(session)};
}

// Creates the record the form describes; the errors of its fields, else the domain's answer.
domain::Status create_record(domain::DirectoryService& admin, const domain::Session& session,
                             Directory d, const FormData& form, const PageKit& kit, Language l,
                             std::vector<FieldError>& errors) {
  auto require = [&](const char* field) {
    if (blank(form.get(field))) errors.push_back(field_error(kit, l, field));
  };
  auto id_field = [&](const char* field, bool required) -> std::optional<std::int64_t> {
    const std::string v = form.get(field);
    if (v.empty()) {
      if (required) errors.push_back(field_error(kit, l, field));
      return std::nullopt;
    }
    auto id = parse_id(v);
    if (!id) errors.push_back(field_error(kit, l, field));
    return id;
  };
  auto status_of = [](const auto& created) -> domain::Status {
    if (!created) return std::unexpected(created.error());
    return {};
  };
  switch (d) {
    case Directory::kOrganisations: {
      require("kind");
      require("name");
      require("country");
      if (!errors.empty()) return {};
      domain::OrganisationDraft draft;
      draft.kind = form.get("kind");
      draft.name = form.get("name");
      draft.country = upper(form.get("country"));
      return status_of(admin.create_organisation(session, draft));
    }
    case Directory::kUsers: {
      require("email");
      require("role");
      const auto org = id_field("org_id", false);
      if (form.get("password").empty()) errors.push_back(field_error(kit, l, "password"));
      if (!errors.empty()) return {};
      domain::UserDraft draft;
      draft.email = form.get("email");
      draft.role = form.get("role");
      if (org) draft.org_id = *org;
      draft.password = form.get("password");
      return status_of(admin.create_user(session, draft));
    }
    case Directory::kSites: {
      require("name");
      require("country");
      require("sector");
      const auto op = id_field("operator_org_id", false);
      if (!errors.empty()) return {};
      domain::SiteDraft draft;
      draft.name = form.get("name");
      draft.country = upper(form.get("country"));
      draft.region = form.get("region");
      draft.sector = form.get("sector");
      if (op) draft.operator_org_id = *op;
      return status_of(admin.create_site(session, draft));
    }
    case Directory::kSupplyLinks: {
      const auto supplier = id_field("supplier_org_id", true);
      const auto buyer = id_field("buyer_org_id", true);
      if (!errors.empty()) return {};
      domain::SupplyLinkDraft draft;
      draft.supplier_org_id = *supplier;
      draft.buyer_org_id = *buyer;
      if (!form.get("sector").empty()) draft.sector = form.get("sector");
      return status_of(admin.create_supply_link(session, draft));
    }
  }
  return {};
}

// Every directory's update takes a draft whose only set field is `disabled`.
domain::Status set_disabled(domain::DirectoryService& admin, const domain::Session& session,
                            Directory d, std::int64_t id, bool disabled) {
  auto update = [&](auto draft, auto method) -> domain::Status {
    draft.disabled = disabled;
    if (auto r = (admin.*method)(session, id, draft); !r) return std::unexpected(r.error());
    return {};
  };
  switch (d) {
    case Directory::kOrganisations:
      return update(domain::OrganisationDraft{}, &domain::DirectoryService::update_organisation);
    case Directory::kUsers:
      return update(domain::UserDraft{}, &domain::DirectoryService::update_user);
    case Directory::kSites:
      return update(domain::SiteDraft{}, &domain::DirectoryService::update_site);
    case Directory::kSupplyLinks:
      return update(domain::SupplyLinkDraft{}, &domain::DirectoryService::update_supply_link);
  }
  return {};
}

}  // namespace

Response directory_page(const StaffPages& pages, Directory d, Request& req) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (auto refused = refuse_non_admin(pages, req, lang, *session)) return *std::move(refused);
  const FormData query = query_of(req);
  std::string notice;
  if (query.get("created") == "1") notice = pages.kit().text(lang.lang, "staff_notice_created");
  if (query.get("updated") == "1") notice = pages.kit().text(lang.lang, "staff_notice_updated");
  return render_directory(pages, req, lang, *session, d, FormData{}, {}, notice, bhttp::status::ok);
}

Response directory_create(const StaffPages& pages, Directory d, Request& req) {
  auto post = read_admin_form(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;

  std::vector<FieldError> errors;
  const domain::Status done = create_record(*pages.directory(), session, d, form, kit, l, errors);
  if (errors.empty() && !done) {
    const domain::Error& e = done.error();
    if (e.code == domain::ErrorCode::kInvalidField) {
      errors.push_back(field_error(
          kit, l, e.field.empty() ? page_of(d).first_field : std::string_view(e.field)));
    } else if (e.code == domain::ErrorCode::kConflict) {
      const std::string field(page_of(d).first_field);  // the e-mail for users
      errors.push_back({field, field,
                        kit.text(l, d == Directory::kUsers ? "staff_error_conflict_email"
                                                           : "staff_error_conflict")});
    } else {
      return pages.error_page(req, lang, e);
    }
  }
  if (!errors.empty()) {
    const bool conflict = done ? false : done.error().code == domain::ErrorCode::kConflict;
    return render_directory(pages, req, lang, session, d, form, errors, "",
                            conflict ? bhttp::status::conflict : bhttp::status::bad_request);
  }
  return redirect_response(std::string(directory_path(d)) + "?created=1&lang=" + lang_code(l), req);
}

namespace {

// The words of one directory's record pages.
struct RecordWords {
  std::string_view title_key;        // the record page's title
  std::string_view consequence_key;  // what disabling does, on the confirmation page
};

const RecordWords& words_of(Directory d) {
  static constexpr RecordWords kWords[] = {
      {"staff_edit_org_title", "staff_confirm_org"},
      {"staff_edit_user_title", "staff_confirm_user"},
      {"staff_edit_site_title", "staff_confirm_site"},
      {"staff_edit_link_title", "staff_confirm_link"},
  };
  return kWords[static_cast<int>(d)];
}

// One record as its pages show it: its name, facts, state, and the form's data.
struct Record {
  std::string name;
  bool disabled = false;
  json facts = json::array();
  json data = json::object();
};

// The record `id` of directory `d`, with its form filled from `form` (after a refusal) or else
// from the record. The domain's error (kNotFound) when there is none.
domain::Result<Record> read_record(const StaffPages& pages, const domain::Session& s, Directory d,
                                   std::int64_t id, const FormData* form, Language l) {
  const PageKit& kit = pages.kit();
  domain::DirectoryService& admin = *pages.directory();
  auto orgs = admin.list_organisations(s);
  if (!orgs) return std::unexpected(orgs.error());
  auto name_of = [&](std::optional<std::int64_t> org) -> std::string {
    if (!org) return kit.text(l, "staff_none");
    for (const auto& o : *orgs) {
      if (o.id == *org) return o.name;
    }
    return "#" + std::to_string(*org);
  };
  auto value = [&](const char* field, std::string current) {
    return form != nullptr ? form->get(field) : current;
  };
  auto fact = [&](Record& r, std::string_view key, std::string text) {
    r.facts.push_back({{"label", kit.text(l, key)}, {"value", std::move(text)}});
  };
  auto sector_text = [&](domain::Sector sector) {
    return kit.text(l, "staff_sector_" + std::string(domain::to_string(sector)));
  };
  Record r;
  json& data = r.data;
  switch (d) {
    case Directory::kOrganisations: {
      auto o = admin.get_organisation(s, id);
      if (!o) return std::unexpected(o.error());
      r.name = o->name;
      r.disabled = o->disabled;
      fact(r, "staff_col_kind",
           kit.text(l, "staff_kind_" + std::string(domain::to_string(o->kind))));
      data["editable"] = true;
      data["has_name"] = true;
      data["has_country"] = true;
      data["countries"] = kit.all_country_options(l, upper(value("country", o->country)));
      data["v"] = {{"name", value("name", o->name)}};
      break;
    }
    case Directory::kSites: {
      auto site = admin.get_site(s, id);
      if (!site) return std::unexpected(site.error());
      r.name = site->name;
      r.disabled = site->disabled;
      data["editable"] = true;
      data["has_name"] = true;
      data["has_country"] = true;
      data["has_site"] = true;
      data["countries"] = kit.all_country_options(l, upper(value("country", site->country)));
      data["sectors"] = kit.options(domain::all_sectors(),
                                    value("sector", std::string(domain::to_string(site->sector))),
                                    l, "staff_sector_");
      data["companies"] =
          org_options(*orgs, domain::OrgKind::kCompany,
                      value("operator_org_id",
                            site->operator_org_id ? std::to_string(*site->operator_org_id) : "0"));
      data["v"] = {{"name", value("name", site->name)}, {"region", value("region", site->region)}};
      break;
    }
    case Directory::kSupplyLinks: {
      auto link = admin.get_supply_link(s, id);
      if (!link) return std::unexpected(link.error());
      r.name = name_of(link->supplier_org_id) + " → " + name_of(link->buyer_org_id);
      r.disabled = link->disabled;
      fact(r, "staff_col_supplier", name_of(link->supplier_org_id));
      fact(r, "staff_col_buyer", name_of(link->buyer_org_id));
      fact(r, "staff_col_sector",
           link->sector ? sector_text(*link->sector) : kit.text(l, "staff_every_sector"));
      data["fixed_text"] = kit.text(l, "staff_link_fixed");
      break;
    }
    case Directory::kUsers: {
      auto u = admin.get_user(s, id);
      if (!u) return std::unexpected(u.error());
      r.name = u->email;
      r.disabled = u->disabled;
      fact(r, "staff_col_totp", kit.text(l, u->totp_secret.empty() ? "staff_no" : "staff_yes"));
      data["editable"] = true;
      data["has_email"] = true;
      data["has_password"] = true;
      data["password_action"] =
          std::string(directory_path(d)) + "/" + std::to_string(id) + "/password";
      data["roles"] =
          code_options(kit, l, {Role::kAdmin, Role::kUnion, Role::kCompany, Role::kAuditor},
                       "staff_role_", value("role", std::string(domain::to_string(u->role))));
      data["orgs"] = org_options(*orgs, std::nullopt,
                                 value("org_id", u->org_id ? std::to_string(*u->org_id) : ""));
      data["v"] = {{"email", value("email", u->email)}};
      break;
    }
  }
  fact(r, "staff_col_state",
       kit.text(l, r.disabled ? "staff_state_disabled" : "staff_state_enabled"));
  return r;
}

std::string record_path(Directory d, std::int64_t id) {
  return std::string(directory_path(d)) + "/" + std::to_string(id);
}

Response render_record(const StaffPages& pages, const Request& req, PageLanguage lang,
                       const domain::Session& s, Directory d, std::int64_t id, const FormData* form,
                       const std::vector<FieldError>& errors, std::string_view notice,
                       bhttp::status status, const json& extra = json::object()) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  auto record = read_record(pages, s, d, id, form, l);
  if (!record) {
    if (record.error().code == domain::ErrorCode::kNotFound) {
      return pages.not_found_page(req, lang, &s);
    }
    return pages.error_page(req, lang, record.error());
  }
  json data = kit.form_data(l, errors);
  data.update(record->data);
  if (d == Directory::kOrganisations && !extra.contains("webhooks")) {
    // An organisation's page also shows its webhooks (issue 10 item 1).
    auto section = webhook_section(pages, l, s, id, "");
    if (!section) return pages.error_page(req, lang, section.error());
    data.update(*section);
  }
  data.update(extra);
  data["notice"] = notice;
  data["heading"] = kit.format(l, "staff_edit_heading", {{"name", record->name}});
  data["facts"] = record->facts;
  data["action"] = record_path(d, id);
  data["back_href"] = with_lang(directory_path(d), l);
  data["back_text"] = kit.text(l, page_of(d).title_key);
  if (record->disabled) {
    data["state_text"] = kit.text(l, "staff_enable_intro");
    data["enable_action"] = record_path(d, id) + "/enable";
  } else {
    data["state_text"] = kit.text(l, "staff_disable_intro");
    data["disable_href"] = with_lang(record_path(d, id) + "/disable", l);
  }
  return pages.render(
      req, lang,
      {status, words_of(d).title_key, "staff_record", record_path(d, id), !errors.empty()}, data,
      &s, page_of(d).nav);
}

}  // namespace

Response organisation_page(const StaffPages& pages, const Request& req, PageLanguage lang,
                           const domain::Session& s, std::int64_t org_id,
                           const std::vector<FieldError>& errors, std::string_view notice,
                           bhttp::status status, const json& extra) {
  return render_record(pages, req, lang, s, Directory::kOrganisations, org_id, nullptr, errors,
                       notice, status, extra);
}

namespace {

// Applies the record form to record `id`; the domain's answer.
domain::Status update_record(domain::DirectoryService& admin, const domain::Session& session,
                             Directory d, std::int64_t id, const FormData& form) {
  auto status_of = [](const auto& updated) -> domain::Status {
    if (!updated) return std::unexpected(updated.error());
    return {};
  };
  switch (d) {
    case Directory::kOrganisations: {
      domain::OrganisationDraft draft;
      draft.name = form.get("name");
      draft.country = upper(form.get("country"));
      return status_of(admin.update_organisation(session, id, draft));
    }
    case Directory::kSites: {
      domain::SiteDraft draft;
      draft.name = form.get("name");
      draft.country = upper(form.get("country"));
      draft.region = form.get("region");
      draft.sector = form.get("sector");
      // No operator chosen: none (the case goes to triage); 0 clears it.
      draft.operator_org_id = parse_id(form.get("operator_org_id")).value_or(0);
      return status_of(admin.update_site(session, id, draft));
    }
    case Directory::kUsers: {
      domain::UserDraft draft;
      draft.email = form.get("email");
      draft.role = form.get("role");
      draft.org_id = parse_id(form.get("org_id")).value_or(0);  // 0: none (administrators)
      return status_of(admin.update_user(session, id, draft));
    }
    case Directory::kSupplyLinks:
      // The ends and the sector of a link cannot change (the domain refuses): nothing to save.
      return std::unexpected(domain::Error::not_found());
  }
  return {};
}

// The id in the path, or nullopt (then the page does not exist).
std::optional<std::int64_t> path_id(std::string_view id_text) { return parse_id(id_text); }

}  // namespace

Response directory_record(const StaffPages& pages, Directory d, Request& req,
                          std::string_view id_text) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (auto refused = refuse_non_admin(pages, req, lang, *session)) return *std::move(refused);
  const auto id = path_id(id_text);
  if (!id) return pages.not_found_page(req, lang, &*session);
  std::string notice;
  if (query_of(req).get("password") == "1") {
    if (auto u = pages.directory()->get_user(*session, *id)) {
      notice = pages.kit().format(lang.lang, "staff_notice_password", {{"email", u->email}});
    }
  }
  if (query_of(req).get("webhook_deleted") == "1") {
    notice = pages.kit().text(lang.lang, "staff_notice_webhook_deleted");
  }
  return render_record(pages, req, lang, *session, d, *id, nullptr, {}, notice, bhttp::status::ok);
}

Response directory_update(const StaffPages& pages, Directory d, Request& req,
                          std::string_view id_text) {
  auto post = read_admin_form(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const auto id = path_id(id_text);
  if (!id) return pages.not_found_page(req, lang, &session);
  const PageKit& kit = pages.kit();
  const domain::Status done = update_record(*pages.directory(), session, d, *id, form);
  if (!done) {
    const domain::Error& e = done.error();
    switch (e.code) {
      case domain::ErrorCode::kNotFound:
        return pages.not_found_page(req, lang, &session);
      case domain::ErrorCode::kInvalidField:
        return render_record(
            pages, req, lang, session, d, *id, &form,
            {field_error(kit, lang.lang,
                         e.field.empty() ? page_of(d).first_field : std::string_view(e.field))},
            "", bhttp::status::bad_request);
      case domain::ErrorCode::kConflict:
        return render_record(
            pages, req, lang, session, d, *id, &form,
            {{"email", "email", kit.text(lang.lang, "staff_error_conflict_email")}}, "",
            bhttp::status::conflict);
      default:
        return pages.error_page(req, lang, e);
    }
  }
  return redirect_response(
      std::string(directory_path(d)) + "?updated=1&lang=" + lang_code(lang.lang), req);
}

Response directory_confirm_disable(const StaffPages& pages, Directory d, Request& req,
                                   std::string_view id_text) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (auto refused = refuse_non_admin(pages, req, lang, *session)) return *std::move(refused);
  const auto id = path_id(id_text);
  if (!id) return pages.not_found_page(req, lang, &*session);
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  auto record = read_record(pages, *session, d, *id, nullptr, l);
  if (!record) {
    if (record.error().code == domain::ErrorCode::kNotFound) {
      return pages.not_found_page(req, lang, &*session);
    }
    return pages.error_page(req, lang, record.error());
  }
  json data = kit.base_data(l);
  data["heading"] = kit.format(l, "staff_confirm_heading", {{"name", record->name}});
  data["consequence"] = kit.text(l, words_of(d).consequence_key);
  data["confirm_text"] = kit.text(l, "staff_confirm_disable");
  data["action"] = record_path(d, *id) + "/disable";
  data["cancel_href"] = with_lang(directory_path(d), l);
  return pages.render(
      req, lang,
      {bhttp::status::ok, "staff_confirm_title", "staff_confirm", record_path(d, *id) + "/disable"},
      data, &*session, page_of(d).nav);
}

Response directory_set_disabled(const StaffPages& pages, Directory d, Request& req,
                                std::string_view id_text, bool disabled) {
  auto post = read_admin_form(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const auto id = path_id(id_text);
  if (!id) return pages.not_found_page(req, lang, &session);
  const domain::Status done = set_disabled(*pages.directory(), session, d, *id, disabled);
  if (!done) {
    if (done.error().code == domain::ErrorCode::kNotFound) {
      return pages.not_found_page(req, lang, &session);
    }
    if (done.error().code == domain::ErrorCode::kInvalidField) {
      // E.g. an admin disabling their own account.
      std::vector<FieldError> errors{
          {"disabled", "records", pages.kit().text(lang.lang, "staff_error_disabled")}};
      return render_directory(pages, req, lang, session, d, FormData{}, errors, "",
                              bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, done.error());
  }
  return redirect_response(
      std::string(directory_path(d)) + "?updated=1&lang=" + lang_code(lang.lang), req);
}

Response user_password(const StaffPages& pages, Request& req, std::string_view id_text) {
  auto post = read_admin_form(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const auto id = path_id(id_text);
  if (!id) return pages.not_found_page(req, lang, &session);
  // The domain checks the password and, having changed it, ends every session of the user.
  domain::UserDraft draft;
  draft.password = form.get("password");
  auto updated = pages.directory()->update_user(session, *id, draft);
  if (!updated) {
    const domain::Error& e = updated.error();
    if (e.code == domain::ErrorCode::kNotFound) return pages.not_found_page(req, lang, &session);
    if (e.code == domain::ErrorCode::kInvalidField) {
      return render_record(pages, req, lang, session, Directory::kUsers, *id, nullptr,
                           {field_error(pages.kit(), lang.lang, "password")}, "",
                           bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, e);
  }
  return redirect_response(
      record_path(Directory::kUsers, *id) + "?password=1&lang=" + lang_code(lang.lang), req);
}

}  // namespace grievance::http::pages::staff
