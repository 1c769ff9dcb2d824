// What the domain answers when someone reads cases: views that are complete for their reader.
// Everything a page or a JSON answer shows is in the view - the organisation and site names,
// the viewer's part and rights, the deadlines' state - and nothing the viewer may not see is
// in it (the access policy, server/domain/access_policy.hpp, is applied when the view is built).
// The HTTP layer only formats a view; it never reads the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/domain/access_policy.hpp"
#include "server/domain/case_rights.hpp"
#include "server/domain/deadlines.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// UNGP 31(c): each stage with its indicative time frame, for the case pages.
struct StageFrame {
  CaseStatus stage;
  int indicative_days;           // from filing
  std::optional<TimePoint> due;  // filing time + indicative days, for stages with a deadline
  bool reached = false;
  bool current = false;
};

// Who is looking, in the words the pages use for them.
struct ViewerLabel {
  Role role = Role::kComplainant;
  std::string organisation_name;  // the viewer's own organisation (staff), empty otherwise
};

// Who did something in a case, from the viewer's point of view (issue 8: the complainant's
// words were labelled "You" in front of a company). Decided once, here, for every page and
// answer: `kind` is what the actor is, `yours` whether it is the viewer or the viewer's own
// organisation - the complainant for the complainant only, a company for its own staff, the
// union for its officers, the complaints office for admins.
struct ActorLabel {
  enum class Kind {
    kComplainant,       // the worker who filed (for staff: "the complainant")
    kUnion,             // a union filing or writing for the worker
    kCompany,           // a company of the case
    kComplaintsOffice,  // the mechanism's operator (admins)
    kAuditor,
    kSystem,  // the mechanism itself (routing at filing)
  };
  Kind kind = Kind::kSystem;
  bool yours = false;
  // The organisation's name where the view may name it (CaseView::organisation_names), else
  // empty: a page then says "a company", "the union".
  std::string name;
};

// The labels of one event (CaseView::events[i] has CaseView::event_labels[i]).
struct EventLabels {
  ActorLabel actor;  // who did it
  // A `routed` event: the company the case reached (its actor is the system or an admin).
  std::optional<ActorLabel> routed_to;
};

// The rights (CaseRights: moves, may_write, may_ask, ...) are what the viewer may do in the
// case from the pages, decided with the view by rights_of() from the same policy the Casework
// calls check, so a page shows only the forms that the domain would accept.
struct CaseView : CaseRights {
  // The case as the viewer may see it: the contact is removed unless show_contact; the union
  // and its mandate unless show_union; parties unless show_parties; each event's actor
  // organisation unless the viewer may see that organisation (may_see_organisation).
  Case c;
  std::vector<CaseEvent> events;  // only those the viewer may see, in order
  // One per event, in the same order: who did it, in the viewer's words.
  std::vector<EventLabels> event_labels;
  ViewerLabel viewer;  // who is looking
  std::vector<StageFrame> stages;
  std::vector<DeadlineState> deadlines;  // acknowledgement, response, resolution
  bool show_contact = false;             // the complainant's identity and contact details
  bool show_union = false;               // the filing union and the worker's mandate
  bool show_parties = false;             // the companies the case is routed to, and their parts
  CaseAccess access = CaseAccess::kNone;
  std::optional<PartyRole> viewer_party;  // a company viewer's part in the case
  bool overdue = false;
  // The case's site as the directory holds it (name, country, region, sector), if known.
  std::optional<Site> site;
  // The name of every organisation the view mentions and the viewer may see named.
  std::unordered_map<std::int64_t, std::string> organisation_names;
  // The complainant's own view only: the companies that have the case and their parts
  // (responsible, buyer), named in organisation_names, so the worker can tell the company that
  // runs the workplace from its buyers (issue 8). Empty while the case waits for triage. The
  // API does not write it: `c.parties` stays admin-only.
  std::vector<CaseParty> holders;
  // Whether the complainant listed the case in the public register (listed_in_register over
  // all its events): for every reader of the case, since the register itself is public.
  bool listed_in_register = false;
  // The meetings the events tell (meetings_of), with what the viewer may do with each.
  std::vector<Meeting> meetings;

  // The organisation's name, or "#<id>" when it is not in organisation_names.
  std::string organisation_name(std::int64_t id) const;
};

// One row of the case list: never the narrative or the contact.
struct CaseSummary {
  Case c;  // without narrative and contact; parties only when the page shows them
  std::optional<PartyRole> viewer_party;  // a company viewer's part in the case
  bool overdue = false;                   // at the time of the query
  std::optional<TimePoint> next_due;      // the deadline the case works towards now
  std::string site_name;                  // empty when the case has no known site
  std::string site_region;
};

// One page of the case list.
struct CasePage {
  std::vector<CaseSummary> rows;
  bool show_parties = false;  // admins see where each case went
  std::unordered_map<std::int64_t, std::string> organisation_names;  // of the shown parties
  std::string next_cursor;                                           // empty on the last page

  std::string organisation_name(std::int64_t id) const;
};

// Filters of GET /api/v1/cases as the client sent them (strings; validated by the service).
struct CaseListRequest {
  std::string status, company, site, country, sector, category, overdue, q, cursor, limit;
  std::string flag;  // "retaliation" or "remedy_failed": the operator's queues
  bool triage = false;
};

}  // namespace grievance::domain
