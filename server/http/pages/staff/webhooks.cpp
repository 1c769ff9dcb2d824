// The admin's pages for webhooks (issue 10 item 1; docs/domain.md "Notifications"): an
// organisation's webhooks on its record page (the complaints office's own, organisation 0, on a
// page of their own), the secret shown once on the answer to adding one, deleting after a
// confirmation page, and the deliveries (dead by default) with "Send again". The pages show what
// the API shows and nothing more: never a narrative, never a secret after its creation.
// WebhookAdmin decides who may and checks every URL; the pages answer non-admins 404 as the
// other admin pages do.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/directory_service.hpp"
#include "server/domain/notifications.hpp"
#include "server/domain/webhook_admin.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {

using domain::Language;
using nlohmann::json;

namespace {

constexpr std::string_view kOperatorPage = "/staff/admin/webhooks";
constexpr std::string_view kDeliveriesPage = "/staff/admin/webhook-deliveries";

std::string hooks_path(std::int64_t org_id) {
  return "/staff/admin/organisations/" + std::to_string(org_id) + "/webhooks";
}

// Where an organisation's webhooks are shown: its record page, or the operator's page.
std::string home_of(std::int64_t org_id) {
  if (org_id == domain::kOperatorOrgId) return std::string(kOperatorPage);
  return "/staff/admin/organisations/" + std::to_string(org_id);
}

// The webhook pages' checks after the session: an admin (else 404, as for every admin page),
// and a webhook service and a directory (else 503).
std::optional<Response> refuse_webhooks(const StaffPages& pages, const Request& req,
                                        PageLanguage lang, const domain::Session& session) {
  if (!domain::may_administer(session.role)) return pages.not_found_page(req, lang, &session);
  if (pages.services().webhooks == nullptr || pages.directory() == nullptr) {
    return pages.error_page(req, lang, domain::Error::unavailable());
  }
  return std::nullopt;
}

// An admin's GET: the session, else the response refusing it.
std::expected<domain::Session, Response> admin_get(const StaffPages& pages, const Request& req,
                                                   PageLanguage lang) {
  auto session = pages.staff_session(req);
  if (!session) return std::unexpected(pages.to_sign_in(req, lang.lang));
  if (auto refused = refuse_webhooks(pages, req, lang, *session)) return std::unexpected(*refused);
  return *session;
}

struct AdminForm {
  FormData form;
  PageLanguage lang;
  domain::Session session;
};

// An admin's form post, its CSRF token checked; else the response refusing it.
std::expected<AdminForm, Response> admin_post(const StaffPages& pages, const Request& req) {
  auto post = pages.read_form(req);
  if (!post) return std::unexpected(std::move(post).error());
  auto session = pages.form_session(req, post->lang, post->form.get("csrf"));
  if (!session) return std::unexpected(std::move(session).error());
  if (auto refused = refuse_webhooks(pages, req, post->lang, *session))
    return std::unexpected(*refused);
  return AdminForm{std::move(post->form), post->lang, *std::move(session)};
}

// The organisation id of a webhook path: a positive id, or 0 for the complaints office.
std::optional<std::int64_t> org_of(std::string_view text) {
  if (text == "0") return domain::kOperatorOrgId;
  return parse_id(text);
}

// The URL field's error in the page's language: one message that says what an address must be
// (the domain's message, in English, names the rule it broke; check_webhook_url holds them).
FieldError url_error(const PageKit& kit, Language l) {
  return {"url", "url", kit.text(l, "staff_error_webhook_url")};
}

// The complaints office's page: its webhooks in the record page's template.
Response render_operator_page(const StaffPages& pages, const Request& req, PageLanguage lang,
                              const domain::Session& s, const std::vector<FieldError>& errors,
                              std::string_view url_value, std::string_view notice,
                              bhttp::status status) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  auto section = webhook_section(pages, l, s, domain::kOperatorOrgId, url_value);
  if (!section) return pages.error_page(req, lang, section.error());
  json data = kit.form_data(l, errors);
  data.update(*section);
  data["notice"] = notice;
  data["heading"] = kit.text(l, "staff_webhooks_operator_title");
  data["facts"] = json::array(
      {{{"label", kit.text(l, "staff_col_org")}, {"value", kit.text(l, "staff_webhooks_office")}}});
  data["back_href"] = with_lang("/staff/admin/organisations", l);
  data["back_text"] = kit.text(l, "staff_orgs_title");
  return pages.render(req, lang,
                      {status, "staff_webhooks_operator_title", "staff_record",
                       std::string(kOperatorPage), !errors.empty()},
                      data, &s, "organisations");
}

// The page an organisation's webhooks are on, with a form's errors and its URL kept.
Response render_home(const StaffPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& s, std::int64_t org_id,
                     const std::vector<FieldError>& errors, std::string_view url_value,
                     bhttp::status status) {
  if (org_id == domain::kOperatorOrgId) {
    return render_operator_page(pages, req, lang, s, errors, url_value, "", status);
  }
  auto section = webhook_section(pages, lang.lang, s, org_id, url_value);
  if (!section) return pages.error_page(req, lang, section.error());
  return organisation_page(pages, req, lang, s, org_id, errors, "", status, *section);
}

// A webhook of the organisation, or nullopt.
std::optional<domain::Webhook> find_webhook(const StaffPages& pages, const domain::Session& s,
                                            std::int64_t org_id, std::int64_t webhook_id) {
  auto hooks = pages.services().webhooks->list(s, org_id);
  if (!hooks) return std::nullopt;
  for (const auto& h : *hooks) {
    if (h.id == webhook_id) return h;
  }
  return std::nullopt;
}

}  // namespace

domain::Result<json> webhook_section(const StaffPages& pages, Language l, const domain::Session& s,
                                     std::int64_t org_id, std::string_view url_value) {
  if (pages.services().webhooks == nullptr) return json::object();  // no outbox: no section
  const PageKit& kit = pages.kit();
  auto hooks = pages.services().webhooks->list(s, org_id);
  if (!hooks) return std::unexpected(hooks.error());
  json rows = json::array();
  for (const auto& h : *hooks) {
    rows.push_back({{"url", h.url},
                    {"created", kit.time_text(l, h.created_at)},
                    {"delete_href",
                     with_lang(hooks_path(org_id) + "/" + std::to_string(h.id) + "/delete", l)}});
  }
  json section = {{"has_rows", !rows.empty()},
                  {"rows", std::move(rows)},
                  {"add_action", hooks_path(org_id)},
                  {"url_value", url_value}};
  return json{{"webhooks", std::move(section)}};
}

Response operator_webhooks(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = admin_get(pages, req, lang);
  if (!session) return std::move(session).error();
  std::string notice;
  if (query_of(req).get("webhook_deleted") == "1") {
    notice = pages.kit().text(lang.lang, "staff_notice_webhook_deleted");
  }
  return render_operator_page(pages, req, lang, *session, {}, "", notice, bhttp::status::ok);
}

Response webhook_add(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = admin_post(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  const auto org = org_of(params.get("id"));
  if (!org) return pages.not_found_page(req, lang, &session);
  const std::string url = form.get("url");
  if (blank(url)) {
    return render_home(pages, req, lang, session, *org, {url_error(kit, l)}, url,
                       bhttp::status::bad_request);
  }
  auto created = pages.services().webhooks->add(session, *org, url);
  if (!created) {
    const domain::Error& e = created.error();
    if (e.code == domain::ErrorCode::kNotFound) return pages.not_found_page(req, lang, &session);
    if (e.code == domain::ErrorCode::kInvalidField) {
      return render_home(pages, req, lang, session, *org, {url_error(kit, l)}, url,
                         bhttp::status::bad_request);
    }
    return pages.error_page(req, lang, e);
  }
  // The secret is in this answer and nowhere else: no redirect could carry it, and no store
  // shows it again (the answer is no-store, as every page).
  json data = kit.base_data(l);
  data["url"] = created->webhook.url;
  data["secret"] = created->secret;
  data["back_href"] = with_lang(home_of(*org), l);
  data["back_text"] = kit.text(l, "staff_webhook_back");
  return pages.render(
      req, lang,
      {bhttp::status::created, "staff_webhook_secret_title", "staff_webhook_secret", home_of(*org)},
      data, &session, "organisations");
}

Response webhook_confirm_delete(const StaffPages& pages, Request& req, const PathParams& params) {
  const auto lang = language_of(req);
  auto session = admin_get(pages, req, lang);
  if (!session) return std::move(session).error();
  const auto org = org_of(params.get("id"));
  const auto id = parse_id(params.get("webhook_id"));
  if (!org || !id) return pages.not_found_page(req, lang, &*session);
  const auto hook = find_webhook(pages, *session, *org, *id);
  if (!hook) return pages.not_found_page(req, lang, &*session);
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  json data = kit.base_data(l);
  data["heading"] = kit.format(l, "staff_webhook_confirm_heading", {{"url", hook->url}});
  data["consequence"] = kit.text(l, "staff_webhook_confirm_text");
  data["confirm_text"] = kit.text(l, "staff_webhook_confirm_delete");
  const std::string action = hooks_path(*org) + "/" + std::to_string(*id) + "/delete";
  data["action"] = action;
  data["cancel_href"] = with_lang(home_of(*org), l);
  return pages.render(req, lang,
                      {bhttp::status::ok, "staff_confirm_title", "staff_confirm", action}, data,
                      &*session, "organisations");
}

Response webhook_delete(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = admin_post(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const auto org = org_of(params.get("id"));
  const auto id = parse_id(params.get("webhook_id"));
  if (!org || !id) return pages.not_found_page(req, lang, &session);
  if (auto done = pages.services().webhooks->remove(session, *org, *id); !done) {
    if (done.error().code == domain::ErrorCode::kNotFound) {
      return pages.not_found_page(req, lang, &session);
    }
    return pages.error_page(req, lang, done.error());
  }
  return redirect_response(home_of(*org) + "?webhook_deleted=1&lang=" + lang_code(lang.lang), req);
}

Response deliveries_page(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = admin_get(pages, req, lang);
  if (!session) return std::move(session).error();
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  const FormData query = query_of(req);
  // Dead ones first: they are what needs the admin.
  const auto state =
      domain::parse_delivery_state(query.get("state")).value_or(domain::DeliveryState::kDead);
  const std::string state_code(domain::to_string(state));
  auto deliveries = pages.services().webhooks->deliveries(*session, state);
  if (!deliveries) return pages.error_page(req, lang, deliveries.error());
  auto orgs = pages.directory()->list_organisations(*session);
  if (!orgs) return pages.error_page(req, lang, orgs.error());
  std::map<std::int64_t, std::string> names;
  for (const auto& o : *orgs) names[o.id] = o.name;
  names[domain::kOperatorOrgId] = kit.text(l, "staff_webhooks_office");

  json rows = json::array();
  for (const auto& d : *deliveries) {
    const auto& n = d.notification;
    const std::string type(domain::to_string(n.event));
    const std::string& type_text = kit.text(l, "staff_event_" + type);
    auto name = names.find(n.org_id);
    json row = {{"org", name == names.end() ? "#" + std::to_string(n.org_id) : name->second},
                {"url", d.url},
                {"type", type_text == "staff_event_" + type ? type : type_text},
                {"reference", n.reference},
                {"case_href", with_lang("/staff/cases/" + n.reference, l)},
                {"attempts", std::to_string(d.attempts)},
                {"last_error", d.last_error.empty() ? kit.text(l, "staff_none") : d.last_error}};
    if (d.state == domain::DeliveryState::kDead) {
      row["retry_action"] = std::string(kDeliveriesPage) + "/" + std::to_string(d.id) + "/retry";
    }
    rows.push_back(std::move(row));
  }
  json data = kit.base_data(l);
  if (query.get("retried") == "1") data["notice"] = kit.text(l, "staff_notice_delivery_retried");
  static constexpr domain::DeliveryState kStates[] = {domain::DeliveryState::kDead,
                                                      domain::DeliveryState::kPending,
                                                      domain::DeliveryState::kDelivered};
  data["states"] = kit.options(std::span<const domain::DeliveryState>(kStates), state_code, l,
                               "staff_delivery_state_");
  data["action"] = kDeliveriesPage;
  data["caption"] = kit.text(l, "staff_deliveries_caption_" + state_code);
  data["empty_text"] = kit.text(l, "staff_deliveries_none_" + state_code);
  data["has_rows"] = !rows.empty();
  data["rows"] = std::move(rows);
  data["state"] = state_code;
  data["operator_href"] = with_lang(kOperatorPage, l);
  return pages.render(
      req, lang,
      {bhttp::status::ok, "staff_deliveries_title", "staff_webhook_deliveries", kDeliveriesPage},
      data, &*session, "organisations");
}

Response delivery_retry(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = admin_post(pages, req);
  if (!post) return std::move(post).error();
  const auto& [form, lang, session] = *post;
  const auto id = parse_id(params.get("id"));
  if (!id) return pages.not_found_page(req, lang, &session);
  if (auto done = pages.services().webhooks->retry(session, *id); !done) {
    // Not dead (any more): sent again already, or no such delivery.
    if (done.error().code == domain::ErrorCode::kNotFound) {
      return pages.not_found_page(req, lang, &session);
    }
    return pages.error_page(req, lang, done.error());
  }
  return redirect_response(
      std::string(kDeliveriesPage) + "?state=dead&retried=1&lang=" + lang_code(lang.lang), req);
}

}  // namespace grievance::http::pages::staff
