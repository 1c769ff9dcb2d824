// The event a Casework change writes, by the session that made it (casework_*.cpp only).
#pragma once

#include "server/domain/types.hpp"

namespace grievance::domain {

// An event of `type` by `s` at `at`, visible to the parties; a complainant's carries no
// organisation.
inline CaseEvent event_by(const Session& s, TimePoint at, EventType type) {
  CaseEvent e;
  e.at = at;
  e.type = type;
  e.actor_role = s.role;
  e.actor_org_id = s.role == Role::kComplainant ? std::nullopt : s.org_id;
  e.visibility = Visibility::kParties;
  return e;
}

}  // namespace grievance::domain
