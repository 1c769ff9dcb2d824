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

bool is_staff(const domain::Session& s) { return s.role != domain::Role::kComplainant; }

// The union that filed the case (and its mandate) is for the admin and that union only: a
// company learns that a union takes part from the events it may see, not the worker's mandate.
bool may_see_union(const domain::Session& s, const domain::Case& c) {
  if (s.role == domain::Role::kAdmin) return true;
  return s.role == domain::Role::kUnion && s.org_id && c.complaint.union_org_id &&
         *s.org_id == *c.complaint.union_org_id;
}

json categories_json(const domain::Complaint& k) {
  json out = json::array();
  for (auto cat : k.categories) out.push_back(domain::to_string(cat));
  return out;
}

json parties_json(const domain::Case& c, domain::CaseStore& store) {
  json out = json::array();
  for (const auto& p : c.parties) {
    json j = {{"org_id", p.org_id}, {"role", domain::to_string(p.role)}};
    if (auto o = store.find_organisation(p.org_id); o && o->has_value()) j["name"] = (*o)->name;
    out.push_back(j);
  }
  return out;
}

// Sites looked up once per response.
class SiteNames {
 public:
  explicit SiteNames(domain::CaseStore& store) : store_(store) {}
  const std::optional<domain::Site>& get(std::int64_t id) {
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second;
    std::optional<domain::Site> site;
    if (auto s = store_.find_site(id); s) site = *s;
    return cache_.emplace(id, std::move(site)).first->second;
  }

 private:
  domain::CaseStore& store_;
  std::map<std::int64_t, std::optional<domain::Site>> cache_;
};

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

json event_json(const domain::CaseEvent& e, const domain::Session& viewer) {
  json j = {{"seq", e.seq},
            {"at", domain::format_time(e.at)},
            {"type", domain::to_string(e.type)},
            {"actor_role", domain::to_string(e.actor_role)},
            {"visibility", domain::to_string(e.visibility)}};
  if (e.actor_org_id && is_staff(viewer)) j["actor_org_id"] = *e.actor_org_id;
  if (e.from_status) j["from_status"] = domain::to_string(*e.from_status);
  if (e.to_status) j["to_status"] = domain::to_string(*e.to_status);
  if (!e.body.empty()) j["body"] = e.body;
  return j;
}

json case_json(const domain::CaseView& v, const domain::Session& viewer, domain::CaseStore& store) {
  const auto& c = v.c;
  const auto& k = c.complaint;
  json site = nullptr;
  if (k.site_id) {
    if (auto s = store.find_site(*k.site_id); s && s->has_value()) {
      site = {{"id", (*s)->id},
              {"name", (*s)->name},
              {"country", (*s)->country},
              {"region", (*s)->region},
              {"sector", domain::to_string((*s)->sector)}};
    }
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
  for (const auto& e : v.events) events.push_back(event_json(e, viewer));
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
  if (viewer.role == domain::Role::kAdmin) j["parties"] = parties_json(c, store);
  if (may_see_union(viewer, c)) {
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

json case_page_json(const domain::CasePage& page, const domain::Session& viewer,
                    domain::CaseStore& store) {
  SiteNames sites(store);
  json out = json::array();
  for (std::size_t i = 0; i < page.cases.size(); ++i) {
    const auto& c = page.cases[i];
    const auto& k = c.complaint;
    json site = nullptr;
    if (k.site_id) {
      if (const auto& s = sites.get(*k.site_id)) site = {{"id", s->id}, {"name", s->name}};
    }
    json j = {{"reference", c.reference},
              {"status", domain::to_string(c.status)},
              {"created_at", domain::format_time(c.created_at)},
              {"updated_at", domain::format_time(c.updated_at)},
              {"country", k.country},
              {"site", site},
              {"categories", categories_json(k)},
              {"channel", domain::to_string(k.channel)},
              {"overdue", i < page.overdue.size() && page.overdue[i]}};
    if (i < page.viewer_party.size() && page.viewer_party[i]) {
      j["party_role"] = domain::to_string(*page.viewer_party[i]);
    }
    if (viewer.role == domain::Role::kAdmin) j["parties"] = parties_json(c, store);
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
