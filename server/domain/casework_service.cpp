#include "server/domain/casework_service.hpp"

#include "server/domain/access_policy.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/deadline_notices.hpp"
#include "server/domain/filing_service.hpp"
#include "server/domain/public_register.hpp"
#include "server/domain/routing.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {
namespace {

// What a company never learns (docs/domain.md "Who sees what"): that a retaliation report
// waits for the operator, and another company's request to learn the complainant's identity.
void hide_from_company(Case& c, std::int64_t own_org_id) {
  c.retaliation = false;
  if (c.disclosure_requested_by != own_org_id) c.disclosure_requested_by.reset();
}

// Position of a status on the main path received -> ... -> closed; -1 when off the path.
int main_path_index(CaseStatus s) {
  switch (s) {
    case CaseStatus::kReceived:
      return 0;
    case CaseStatus::kAcknowledged:
      return 1;
    case CaseStatus::kInDialogue:
    case CaseStatus::kReopened:
      return 2;
    case CaseStatus::kRemedyProposed:
      return 3;
    case CaseStatus::kResolved:
      return 4;
    case CaseStatus::kClosed:
      return 5;
    default:
      return -1;
  }
}

std::optional<std::int64_t> parse_positive(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v > 0 ? std::optional(v) : std::nullopt;
}

// The filing union and the worker's mandate are for the admin and that union only: a company
// learns that a union takes part from the events it may see, not the worker's mandate.
bool may_see_union(const Session& s, const Case& c) {
  if (s.role == Role::kAdmin) return true;
  return s.role == Role::kUnion && s.org_id && c.complaint.union_org_id &&
         *s.org_id == *c.complaint.union_org_id;
}

void add_name(std::unordered_map<std::int64_t, std::string>& names, const Directory& directory,
              std::int64_t id) {
  if (names.contains(id)) return;
  if (const Organisation* o = directory.organisation(id)) names.emplace(id, o->name);
}

std::string name_or_id(const std::unordered_map<std::int64_t, std::string>& names,
                       std::int64_t id) {
  auto it = names.find(id);
  if (it != names.end()) return it->second;
  // Appended, not "#" + std::to_string(id): g++ 12 at -O3 reports a false -Werror=restrict
  // in `const char* + std::string&&` (GCC bug 105329) and the Release build fails.
  std::string text = "#";
  text += std::to_string(id);
  return text;
}

// An actor of `role` (of organisation `org`) as `viewer` reads it: "yours" only for the viewer
// or the viewer's own organisation; named only where `names` (what the view may name) has it.
ActorLabel label_for(const Session& viewer, Role role, std::optional<std::int64_t> org,
                     const std::unordered_map<std::int64_t, std::string>& names) {
  using Kind = ActorLabel::Kind;
  ActorLabel label;
  const bool own_org = org && viewer.org_id && *org == *viewer.org_id && viewer.role == role;
  switch (role) {
    case Role::kComplainant:
      // A complainant sees only the own case: its complainant is the viewer.
      label.kind = Kind::kComplainant;
      label.yours = viewer.role == Role::kComplainant;
      break;
    case Role::kUnion:
      label.kind = Kind::kUnion;
      label.yours = own_org;
      break;
    case Role::kCompany:
      label.kind = Kind::kCompany;
      label.yours = own_org;
      break;
    case Role::kAdmin:
      label.kind = Kind::kComplaintsOffice;
      label.yours = viewer.role == Role::kAdmin;
      break;
    case Role::kAuditor:
      label.kind = Kind::kAuditor;
      label.yours = own_org;
      break;
    case Role::kSystem:
      label.kind = Kind::kSystem;
      break;
  }
  if (org) {
    if (auto it = names.find(*org); it != names.end()) label.name = it->second;
  }
  return label;
}

// The labels of the events the view shows. A `routed` event's organisation is the company the
// case reached, not its actor (the system at filing, an admin at triage).
std::vector<EventLabels> labels_of(const Session& viewer, const std::vector<CaseEvent>& events,
                                   const std::unordered_map<std::int64_t, std::string>& names) {
  std::vector<EventLabels> out;
  out.reserve(events.size());
  for (const CaseEvent& e : events) {
    EventLabels labels;
    if (e.type == EventType::kRouted) {
      labels.actor = label_for(viewer, e.actor_role, std::nullopt, names);
      if (e.actor_org_id) {
        labels.routed_to = label_for(viewer, Role::kCompany, e.actor_org_id, names);
      }
    } else {
      labels.actor = label_for(viewer, e.actor_role, e.actor_org_id, names);
    }
    out.push_back(std::move(labels));
  }
  return out;
}

}  // namespace

std::string CaseView::organisation_name(std::int64_t id) const {
  return name_or_id(organisation_names, id);
}
std::string CasePage::organisation_name(std::int64_t id) const {
  return name_or_id(organisation_names, id);
}

Casework::Casework(CaseStore& cases, DirectoryStore& directory, AccountStore& accounts,
                   Crypto& crypto, RandomSource& random, const Clock& clock,
                   const ServiceConfig& config, SignInThrottle& throttle)
    : cases_(cases),
      directory_(directory),
      accounts_(accounts),
      crypto_(crypto),
      random_(random),
      clock_(clock),
      config_(config),
      throttle_(throttle) {}

Result<CaseView> Casework::view_of(const Session& session, CaseRecord record) {
  Case& c = record.c;
  const CaseAccess access = case_access(session, c);
  if (access == CaseAccess::kNone) return fail(Error::not_found());
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  const TimePoint now = clock_.now();

  CaseView view;
  view.access = access;
  view.show_contact = may_see_identity(session, c);
  view.show_union = may_see_union(session, c);
  view.show_parties = session.role == Role::kAdmin;
  if (session.role == Role::kCompany && session.org_id) {
    view.viewer_party = party_role(c, *session.org_id);
  }
  view.listed_in_register = listed_in_register(record.events);
  for (auto& e : record.events) {
    if (!may_see_event(session, c, e)) continue;
    if (e.actor_org_id && !may_see_organisation(session, c, *e.actor_org_id)) {
      e.actor_org_id.reset();
    }
    if (e.actor_org_id) add_name(view.organisation_names, **directory, *e.actor_org_id);
    view.events.push_back(std::move(e));
  }
  for (const auto& a : c.remedy) add_name(view.organisation_names, **directory, a.org_id);
  view.stages = stage_frames(c);
  view.deadlines = deadline_states(c, now);
  view.overdue = is_overdue(c, now);
  if (c.complaint.site_id) {
    if (const Site* site = (*directory)->site(*c.complaint.site_id)) view.site = *site;
  }
  // What the viewer may do from the pages, decided on the whole case (before its parties are
  // dropped from the view).
  static_cast<CaseRights&>(view) = rights_of(session, c, now, config_);
  view.meetings = meetings_of(view.events, view.meeting_side, now);
  if (!view.may_answer_meeting) {
    for (auto& m : view.meetings) m.may_answer = false;
  }
  if (!view.may_record_minutes) {
    for (auto& m : view.meetings) m.may_minute = false;
  }
  for (auto id : view.plan_organisations) add_name(view.organisation_names, **directory, id);
  view.viewer.role = session.role;
  if (session.org_id) {
    if (const Organisation* own = (*directory)->organisation(*session.org_id)) {
      view.viewer.organisation_name = own->name;
    }
  }
  // Defence in depth: what the viewer may not see is not even handed to the HTTP layer.
  if (!view.show_contact) c.complaint.contact.reset();
  if (session.role == Role::kCompany && session.org_id) hide_from_company(c, *session.org_id);
  if (view.show_union) {
    if (c.complaint.union_org_id) {
      add_name(view.organisation_names, **directory, *c.complaint.union_org_id);
    }
  } else {
    c.complaint.union_org_id.reset();
    c.complaint.mandate.reset();
  }
  if (session.role == Role::kComplainant) {
    view.holders = c.parties;
    for (const auto& p : c.parties) add_name(view.organisation_names, **directory, p.org_id);
  }
  if (view.show_parties) {
    for (const auto& p : c.parties) add_name(view.organisation_names, **directory, p.org_id);
  } else {
    c.parties.clear();
  }
  view.event_labels = labels_of(session, view.events, view.organisation_names);
  view.c = std::move(c);
  return view;
}

Result<Case> Casework::find_visible(const Session& session, std::string_view reference_input) {
  auto reference = normalise_reference(reference_input);
  if (!reference) return fail(Error::not_found());
  auto found = cases_.find_case_by_reference(*reference);
  if (!found) return fail(found.error());
  if (!found->has_value() || case_access(session, **found) == CaseAccess::kNone) {
    return fail(Error::not_found());
  }
  return **std::move(found);
}

Result<CaseRecord> Casework::read_visible(const Session& session,
                                          std::string_view reference_input) {
  auto reference = normalise_reference(reference_input);
  if (!reference) return fail(Error::not_found());
  auto record = cases_.read_case(*reference);
  if (!record) return fail(record.error());
  if (!record->has_value() || case_access(session, (*record)->c) == CaseAccess::kNone) {
    return fail(Error::not_found());
  }
  return **std::move(record);
}

Result<CaseView> Casework::view_case(const Session& session, std::string_view reference_input) {
  auto reference = normalise_reference(reference_input);
  if (!reference) return fail(Error::not_found());
  auto record = cases_.read_case(*reference);
  if (!record) return fail(record.error());
  if (!record->has_value()) return fail(Error::not_found());
  return view_of(session, **std::move(record));
}

Result<CaseView> Casework::view_own_case(const Session& session) {
  if (session.role != Role::kComplainant || !session.case_id) return fail(Error::not_found());
  auto c = cases_.find_case(*session.case_id);
  if (!c) return fail(c.error());
  if (!c->has_value()) return fail(Error::not_found());
  return view_case(session, (*c)->reference);
}

Result<CaseEvent> Casework::post_message(const Session& session, std::string_view reference,
                                         std::string_view body, Visibility visibility) {
  if (auto s = validate_message_body(body, config_.limits); !s) return fail(s.error());
  // Access only: the events are not needed to write one.
  auto c = find_visible(session, reference);
  if (!c) return fail(c.error());
  if (case_access(session, *c) < CaseAccess::kMessage) {
    return fail(Error::forbidden("You may follow this case but not write in it."));
  }
  if (!may_post_message(session, *c, visibility)) {
    return fail(Error::invalid_field("visibility", "Your messages go to all parties."));
  }

  CaseEvent e;
  e.at = clock_.now();
  e.type = EventType::kMessage;
  e.actor_role = session.role;
  e.actor_org_id = session.role == Role::kComplainant ? std::nullopt : session.org_id;
  e.visibility = visibility;
  e.body = std::string(body);
  if (c->paused_since && lifecycle_actor(session, *c) == Actor::kComplainant &&
      visibility == Visibility::kParties) {
    // The answer the company waited for: the clock resumes, every deadline moved on by the
    // paused time.
    Case u = *c;
    const auto paused = e.at - *c->paused_since;
    u.deadlines.ack_due += paused;
    u.deadlines.response_due += paused;
    u.deadlines.resolution_due += paused;
    u.paused_since.reset();
    CaseEvent resumed;
    resumed.at = e.at;
    resumed.type = EventType::kClockResumed;
    resumed.actor_role = Role::kSystem;
    resumed.visibility = Visibility::kParties;
    auto written = commit(session, *c, std::move(u), {e, resumed});
    if (!written) return fail(written.error());
    for (auto it = written->events.rbegin(); it != written->events.rend(); ++it) {
      if (it->type == EventType::kMessage) return *it;
    }
    return e;
  }
  auto id = cases_.append_event(c->id, e, std::nullopt);
  if (!id) return fail(id.error());
  e.id = *id;
  e.case_id = c->id;
  return e;
}

Result<CasePage> Casework::list_cases(const Session& s, const CaseListRequest& r) {
  if (!may_list_cases(s.role)) return fail(Error::forbidden("This role has no case list."));
  CaseQuery q;
  q.now = clock_.now();
  if (s.role == Role::kCompany) {
    if (!s.org_id) return fail(Error::forbidden("This account has no company."));
    q.scope_party_org_id = s.org_id;
  } else if (s.role == Role::kUnion) {
    if (!s.org_id) return fail(Error::forbidden("This account has no union."));
    q.scope_union_org_id = s.org_id;
  }
  if (!r.status.empty()) {
    q.status = parse_case_status(r.status);
    if (!q.status) return fail(Error::invalid_field("status", "Unknown status."));
  }
  if (!r.company.empty()) {
    q.company_org_id = parse_positive(r.company);
    if (!q.company_org_id) return fail(Error::invalid_field("company", "Must be an id."));
  }
  if (!r.site.empty()) {
    q.site_id = parse_positive(r.site);
    if (!q.site_id) return fail(Error::invalid_field("site", "Must be an id."));
  }
  if (!r.country.empty()) {
    if (!is_country_code(r.country)) {
      return fail(Error::invalid_field("country", "Must be a country code such as ID."));
    }
    q.country = r.country;
  }
  if (!r.sector.empty()) {
    q.sector = parse_sector(r.sector);
    if (!q.sector) return fail(Error::invalid_field("sector", "Unknown sector."));
  }
  if (!r.category.empty()) {
    q.category = parse_category(r.category);
    if (!q.category) return fail(Error::invalid_field("category", "Unknown category."));
  }
  if (!r.overdue.empty()) {
    if (r.overdue == "true" || r.overdue == "1") {
      q.overdue = true;
    } else if (r.overdue == "false" || r.overdue == "0") {
      q.overdue = false;
    } else {
      return fail(Error::invalid_field("overdue", "Must be true or false."));
    }
  }
  if (!r.flag.empty()) {
    // A retaliation report is never a company's to know (docs/domain.md "Who sees what").
    if (s.role == Role::kCompany) return fail(Error::forbidden("This filter is not yours."));
    q.flag = parse_review_flag(r.flag);
    if (!q.flag) return fail(Error::invalid_field("flag", "Must be retaliation or remedy_failed."));
  }
  if (r.triage) {
    if (s.role != Role::kAdmin) return fail(Error::forbidden("Only administrators triage."));
    q.triage = true;
  }
  if (auto t = check_text("q", r.q, 100, false); !t) return fail(t.error());
  q.q = r.q;
  if (!r.limit.empty()) {
    auto limit = parse_positive(r.limit);
    if (!limit || *limit > 100) return fail(Error::invalid_field("limit", "Must be 1 to 100."));
    q.limit = static_cast<int>(*limit);
  }
  if (!r.cursor.empty()) {
    // "<created_at seconds>.<id>": opaque to clients, validated strictly.
    const auto dot = r.cursor.find('.');
    auto at = dot == std::string::npos ? std::nullopt
                                       : parse_positive(std::string_view(r.cursor).substr(0, dot));
    auto id = dot == std::string::npos ? std::nullopt
                                       : parse_positive(std::string_view(r.cursor).substr(dot + 1));
    if (!at || !id) return fail(Error::invalid_field("cursor", "Not a cursor of this list."));
    q.after = std::pair{TimePoint{std::chrono::seconds{*at}}, *id};
  }
  const int wanted = q.limit;
  q.limit = wanted + 1;  // one more tells whether there is a next page
  auto cases = cases_.list_cases(q);
  if (!cases) return fail(cases.error());
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  CasePage page;
  page.show_parties = s.role == Role::kAdmin;
  if (static_cast<int>(cases->size()) > wanted) {
    cases->resize(static_cast<std::size_t>(wanted));
    const Case& last = cases->back();
    page.next_cursor =
        std::to_string(last.created_at.time_since_epoch().count()) + "." + std::to_string(last.id);
  }
  for (auto& c : *cases) {
    CaseSummary row;
    if (s.role == Role::kCompany && s.org_id) row.viewer_party = party_role(c, *s.org_id);
    row.overdue = is_overdue(c, q.now);
    row.next_due = next_due(c);
    if (c.complaint.site_id) {
      if (const Site* site = (*directory)->site(*c.complaint.site_id)) {
        row.site_name = site->name;
        row.site_region = site->region;
      }
    }
    c.complaint.narrative.clear();
    c.complaint.contact.reset();
    if (s.role == Role::kCompany) hide_from_company(c, s.org_id.value_or(0));
    if (page.show_parties) {
      for (const auto& p : c.parties) add_name(page.organisation_names, **directory, p.org_id);
    } else {
      c.parties.clear();
    }
    row.c = std::move(c);
    page.rows.push_back(std::move(row));
  }
  return page;
}

Result<CaseView> Casework::assign_case(const Session& s, std::string_view reference,
                                       std::int64_t company_org_id) {
  auto found = find_visible(s, reference);
  if (!found) return fail(found.error());
  if (!may_administer(s.role)) return fail(Error::forbidden("Only administrators assign cases."));
  Case c = *std::move(found);
  if (!c.parties.empty()) return fail(Error::conflict("This case is already routed."));
  auto directory = directory_.directory();
  if (!directory) return fail(directory.error());
  std::optional<Sector> sector;
  if (c.complaint.site_id) {
    if (const Site* site = (*directory)->site(*c.complaint.site_id)) sector = site->sector;
  }
  auto parties = route_parties(company_org_id, sector, (*directory)->supply_links(),
                               (*directory)->organisations());
  if (parties.empty()) {
    return fail(Error::invalid_field("org_id", "Must be an enabled company."));
  }
  // docs/domain.md "Deadlines": while the case waited in triage the operator owed the
  // acknowledgement; the company's deadlines start now. What the clock owed until now (a
  // reminder, the operator's breach) is written first.
  const TimePoint now = clock_.now();
  auto events = owed_notice_events(c, config_, now);
  for (auto& e : routing_events(parties, Role::kAdmin, now)) events.push_back(std::move(e));
  Case routed = c;
  routed.parties = parties;
  if (c.status == CaseStatus::kReceived) {
    routed.deadlines.ack_due = now + std::chrono::days{config_.ack_days};
  }
  routed.deadlines.response_due = now + std::chrono::days{config_.response_days};
  routed.deadlines.resolution_due = now + std::chrono::days{config_.resolution_days};
  const CaseStore::AssignedClock started{routed.deadlines, next_notice_after(routed, config_, now)};
  if (auto st = cases_.add_case_parties(c.id, parties, events, started); !st) {
    return fail(st.error());
  }
  return view_case(s, c.reference);
}

std::vector<StageFrame> Casework::stage_frames(const Case& c) const {
  // UNGP 31(c): the complainant sees each stage with its indicative time frame.
  const int remedy_days = (config_.response_days + config_.resolution_days) / 2;
  std::vector<StageFrame> frames = {
      {CaseStatus::kReceived, 0, std::nullopt},
      {CaseStatus::kAcknowledged, config_.ack_days, c.deadlines.ack_due},
      {CaseStatus::kInDialogue, config_.response_days, c.deadlines.response_due},
      {CaseStatus::kRemedyProposed, remedy_days, std::nullopt},
      {CaseStatus::kResolved, config_.resolution_days, c.deadlines.resolution_due},
      {CaseStatus::kClosed, config_.resolution_days, std::nullopt},
  };
  const int current = main_path_index(c.status);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const int index = static_cast<int>(i);
    frames[i].reached = current >= 0 ? index <= current : index == 0;
    frames[i].current = index == current;
  }
  return frames;
}

}  // namespace grievance::domain
