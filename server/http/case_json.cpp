#include "server/http/case_json.hpp"

#include <map>

#include "server/domain/codes.hpp"
#include "server/http/json_input.hpp"
#include "server/http/receipt_json.hpp"

namespace grievance::http {
namespace {

using domain::Error;
using domain::fail;
using nlohmann::json;

json categories_json(const domain::Complaint& k) {
  json out = json::array();
  for (auto cat : k.categories) out.push_back(domain::to_string(cat));
  return out;
}

template <class Names>
json parties_json(const domain::Case& c, const Names& names) {
  json out = json::array();
  for (const auto& p : c.parties) {
    json j = {{"org_id", p.org_id}, {"role", domain::to_string(p.role)}};
    if (auto it = names.find(p.org_id); it != names.end()) j["name"] = it->second;
    out.push_back(j);
  }
  return out;
}

}  // namespace

domain::Result<domain::ComplaintDraft> complaint_draft_from_json(const json& body) {
  using R = domain::Result<domain::ComplaintDraft>;
  if (auto s =
          require_object(body, {"language", "categories", "narrative", "site_id", "place",
                                "country", "incident_date", "anonymous", "contact", "mandate"});
      !s) {
    return R(std::unexpect, s.error());
  }
  domain::ComplaintDraft d;
  auto language = get_string(body, "language");
  if (!language) return fail(language.error());
  d.language = *language;
  auto categories = get_string_array(body, "categories");
  if (!categories) return fail(categories.error());
  d.categories = *categories;
  auto narrative = get_string(body, "narrative");
  if (!narrative) return fail(narrative.error());
  d.narrative = *narrative;
  auto site_id = get_int(body, "site_id");
  if (!site_id) return fail(site_id.error());
  d.site_id = *site_id;
  auto place = get_string(body, "place");
  if (!place) return fail(place.error());
  d.place = *place;
  auto country = get_string(body, "country");
  if (!country) return fail(country.error());
  d.country = *country;
  auto incident_date = get_string(body, "incident_date");
  if (!incident_date) return fail(incident_date.error());
  d.incident_date = *incident_date;
  auto anonymous = get_bool(body, "anonymous");
  if (!anonymous) return fail(anonymous.error());
  d.anonymous = *anonymous;

  if (auto it = body.find("contact"); it != body.end() && !it->is_null()) {
    if (auto s = require_object(*it, {"name", "phone", "email"}, "contact.", "contact"); !s) {
      return fail(s.error());
    }
    domain::ContactDraft c;
    for (auto [key, slot] :
         {std::pair{"name", &c.name}, std::pair{"phone", &c.phone}, std::pair{"email", &c.email}}) {
      auto v = get_string(*it, key, "contact.");
      if (!v) return fail(v.error());
      *slot = *v;
    }
    d.contact = c;
  }
  if (auto it = body.find("mandate"); it != body.end() && !it->is_null()) {
    if (auto s = require_object(
            *it, {"follow", "share_identity_with_company", "collective", "headcount"}, "mandate.",
            "mandate");
        !s) {
      return fail(s.error());
    }
    domain::Mandate m;
    for (auto [key, slot] :
         {std::pair{"follow", &m.follow},
          std::pair{"share_identity_with_company", &m.share_identity_with_company},
          std::pair{"collective", &m.collective}}) {
      auto v = get_bool(*it, key, "mandate.");
      if (!v) return fail(v.error());
      *slot = v->value_or(false);
    }
    auto headcount = get_int(*it, "headcount", "mandate.");
    if (!headcount) return fail(headcount.error());
    if (headcount->value_or(0) < 0 || headcount->value_or(0) > 1000000) {
      return fail(Error::invalid_field("mandate.headcount", "Out of range."));
    }
    m.headcount = static_cast<int>(headcount->value_or(0));
    d.mandate = m;
  }
  return d;
}

std::string_view access_name(domain::CaseAccess a) {
  switch (a) {
    case domain::CaseAccess::kNone:
      return "none";
    case domain::CaseAccess::kRead:
      return "read";
    case domain::CaseAccess::kMessage:
      return "message";
    case domain::CaseAccess::kAct:
      return "act";
  }
  return "none";
}

json event_json(const domain::CaseEvent& e) {
  json j = {{"seq", e.seq},
            {"at", domain::format_time(e.at)},
            {"type", domain::to_string(e.type)},
            {"actor_role", domain::to_string(e.actor_role)},
            {"visibility", domain::to_string(e.visibility)}};
  // The view keeps an actor organisation only for staff viewers (show_actor_organisations).
  if (e.actor_org_id) j["actor_org_id"] = *e.actor_org_id;
  if (e.from_status) j["from_status"] = domain::to_string(*e.from_status);
  if (e.to_status) j["to_status"] = domain::to_string(*e.to_status);
  if (!e.body.empty()) j["body"] = e.body;
  return j;
}

json case_json(const domain::CaseView& v) {
  const auto& c = v.c;
  const auto& k = c.complaint;
  json site = nullptr;
  if (v.site) {
    site = {{"id", v.site->id},
            {"name", v.site->name},
            {"country", v.site->country},
            {"region", v.site->region},
            {"sector", domain::to_string(v.site->sector)}};
  }
  json stages = json::array();
  for (const auto& s : v.stages) {
    json st = {{"stage", domain::to_string(s.stage)},
               {"indicative_days", s.indicative_days},
               {"reached", s.reached},
               {"current", s.current}};
    if (s.due) st["due"] = domain::format_time(*s.due);
    stages.push_back(st);
  }
  json events = json::array();
  for (const auto& e : v.events) events.push_back(event_json(e));
  json j = {
      {"reference", c.reference},
      {"status", domain::to_string(c.status)},
      {"channel", domain::to_string(k.channel)},
      {"language", domain::to_string(k.language)},
      {"categories", categories_json(k)},
      {"narrative", k.narrative},
      {"site", site},
      {"place", k.place},
      {"country", k.country},
      {"incident_date", k.incident_date ? json(domain::format_date(*k.incident_date)) : json()},
      {"anonymous", k.anonymous},
      {"created_at", domain::format_time(c.created_at)},
      {"updated_at", domain::format_time(c.updated_at)},
      {"deadlines",
       {{"ack_due", domain::format_time(c.deadlines.ack_due)},
        {"response_due", domain::format_time(c.deadlines.response_due)},
        {"resolution_due", domain::format_time(c.deadlines.resolution_due)}}},
      {"access", access_name(v.access)},
      {"overdue", v.overdue},
      {"stages", stages},
      {"events", events}};
  if (v.show_contact && k.contact) {
    j["contact"] = {
        {"name", k.contact->name}, {"phone", k.contact->phone}, {"email", k.contact->email}};
  }
  if (v.viewer_party) j["party_role"] = domain::to_string(*v.viewer_party);
  if (v.show_parties) j["parties"] = parties_json(c, v.organisation_names);
  if (v.show_union) {
    j["union_org_id"] = k.union_org_id ? json(*k.union_org_id) : json();
    if (k.mandate) {
      j["mandate"] = {{"follow", k.mandate->follow},
                      {"share_identity_with_company", k.mandate->share_identity_with_company},
                      {"collective", k.mandate->collective},
                      {"headcount", k.mandate->headcount}};
    } else {
      j["mandate"] = nullptr;
    }
  }
  return j;
}

json case_page_json(const domain::CasePage& page) {
  json out = json::array();
  for (const auto& row : page.rows) {
    const auto& c = row.c;
    const auto& k = c.complaint;
    json site = nullptr;
    if (k.site_id && !row.site_name.empty()) site = {{"id", *k.site_id}, {"name", row.site_name}};
    json j = {{"reference", c.reference},
              {"status", domain::to_string(c.status)},
              {"created_at", domain::format_time(c.created_at)},
              {"updated_at", domain::format_time(c.updated_at)},
              {"country", k.country},
              {"site", site},
              {"categories", categories_json(k)},
              {"channel", domain::to_string(k.channel)},
              {"overdue", row.overdue}};
    if (row.viewer_party) j["party_role"] = domain::to_string(*row.viewer_party);
    if (page.show_parties) j["parties"] = parties_json(c, page.organisation_names);
    out.push_back(std::move(j));
  }
  return {{"cases", out},
          {"next_cursor", page.next_cursor.empty() ? json() : json(page.next_cursor)}};
}

json filed_json(const domain::FiledComplaint& filed) {
  json j = {{"reference", filed.filed.reference},
            {"status", domain::to_string(filed.filed.status)},
            {"ack_due", domain::format_time(filed.filed.deadlines.ack_due)},
            {"receipt", receipt_to_json(filed.receipt)}};
  if (filed.replayed) {
    j["replayed"] = true;
  } else {
    j["access_code"] = filed.access_code;
    j["access_code_grouped"] = domain::group_access_code(filed.access_code);
  }
  return j;
}

}  // namespace grievance::http
