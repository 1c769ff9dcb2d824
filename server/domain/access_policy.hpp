// Who sees what (docs/domain.md "Who sees what"). ONE policy, used by every route and
// page: the case service asks it before it returns or changes anything, and the case list is
// scoped by it. Pure functions of the session and the case: no I/O, trivially testable.
//
//   complainant - the own case only (the session names it);
//   union       - the cases it filed (Complaint::union_org_id); it may take part in the dialogue
//                 only when the worker's mandate lets it follow the case;
//   company     - the cases routed to it: the responsible company acts on them, a buyer reads
//                 and writes messages;
//   auditor     - no case at all (statistics only);
//   admin       - everything.
// A case the caller may not see answers 404 (kNotFound), never 403: existence must not leak.
#pragma once

#include <optional>

#include "server/domain/lifecycle.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// Ordered: each level includes the ones before it.
enum class CaseAccess {
  kNone,     // invisible: 404
  kRead,     // status, timeline, narrative
  kMessage,  // kRead + dialogue messages
  kAct,      // kMessage + acting on the case (transitions, meetings; the responsible company)
};

CaseAccess case_access(const Session& s, const Case& c);

// The company's part in the case, if any.
std::optional<PartyRole> party_role(const Case& c, std::int64_t org_id);

// May the caller see the complainant's identity and contact details? The complainant, the
// admin and the filing union (it collected them) may. A company only while the identity is
// shared with the companies (IdentityLevel::kShared: the complainant's consent, or the union's
// mandate). An auditor never.
bool may_see_identity(const Session& s, const Case& c);

// May the viewer learn that organisation `org_id` took part in the case (acted in an event, or
// was routed the case)? Decided per organisation, on a need to know:
//   admin       - every organisation;
//   company     - its own, and the responsible company (a buyer's supplier in the chain); never
//                 the filing union, never another buyer (commercial relations of others);
//   union       - its own (the filing union), and every company the case went to (responsible
//                 and buyers: the union follows the case on the worker's behalf);
//   complainant, auditor - none.
// The view removes every actor organisation the viewer may not see (case_view.hpp).
bool may_see_organisation(const Session& s, const Case& c, std::int64_t org_id);

// Event visibility (docs/domain.md "Who sees what"):
//   parties      - everyone who can see the case;
//   organisation - an internal note: the author's organisation and the operator only (a buyer
//                  never reads the responsible company's notes, nor the other way round);
//   mechanism    - the complainant and the filing union with the operator; never a company.
bool may_see_event(const Session& s, const Case& c, const CaseEvent& e);

// May the caller post a message with this visibility? Requires kMessage; organisation: company
// staff of the case (a note for their own organisation) and admins; mechanism: the complainant,
// the filing union, admins.
bool may_post_message(const Session& s, const Case& c, Visibility v);

// Who the session is in the case's lifecycle (lifecycle.hpp): the complainant (or the filing
// union whose mandate lets it follow the case), the responsible company, or the operator;
// nullopt for everyone else (a buyer, a union without a follow mandate): they may not move it.
std::optional<Actor> lifecycle_actor(const Session& s, const Case& c);

// Route-level rights (not about one case).

bool may_list_cases(Role r);  // union, company, admin
bool may_file_batch(Role r);  // union
bool may_administer(Role r);  // admin: organisations, users, sites, supply links, triage

}  // namespace grievance::domain
