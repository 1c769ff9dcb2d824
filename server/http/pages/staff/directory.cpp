// The admin pages of the directory: organisations, staff users, sites and supply links, each a
// table with a form to add one and a button to disable or enable each (the directory's
// "delete": history keeps pointing at a disabled record). The DirectoryService decides who may
// administer; the pages answer 404 to anyone else, as for a page that does not exist.
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

// A directory's table: a row per record, each with its state and a button that disables or
// enables it (POST <directory path>/<id>). The domain's error when the records cannot be read.
template <class Record, class RowOf>
domain::Status add_rows(const PageKit& kit, Language l, Directory d, json& rows,
                        const domain::Result<std::vector<Record>>& records, RowOf row_of) {
  if (!records) return std::unexpected(records.error());
  for (const Record& record : *records) {
    Row row = row_of(record);
    row.cells["state"] =
        kit.text(l, record.disabled ? "staff_state_disabled" : "staff_state_enabled");
    row.cells["toggle_action"] = std::string(directory_path(d)) + "/" + std::to_string(record.id);
    row.cells["toggle_to"] = record.disabled ? "false" : "true";
    row.cells["toggle_label"] = kit.text(l, record.disabled ? "staff_enable" : "staff_disable");
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
      data["v"] = {{"name", form.get("name")}, {"country", form.get("country")}};
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
      data["v"] = {{"name", form.get("name")},
                   {"country", form.get("country")},
                   {"region", form.get("region")}};
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

Response directory_toggle(const StaffPages& pages, Directory d, Request& req,
                          std::string_view id_text) {
  auto post = read_admin_form(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const auto id = parse_id(id_text);
  const std::string value = form.get("disabled");
  if (!id || (value != "true" && value != "false")) {
    return pages.not_found_page(req, lang, &session);
  }
  const domain::Status done = set_disabled(*pages.directory(), session, d, *id, value == "true");
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

}  // namespace grievance::http::pages::staff
