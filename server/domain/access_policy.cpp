#include "server/domain/access_policy.hpp"

#include <algorithm>

namespace grievance::domain {

std::optional<PartyRole> party_role(const Case& c, std::int64_t org_id) {
  for (const auto& p : c.parties) {
    if (p.org_id == org_id) return p.role;
  }
  return std::nullopt;
}

CaseAccess case_access(const Session& s, const Case& c) {
  switch (s.role) {
    case Role::kComplainant:
      return s.case_id && *s.case_id == c.id ? CaseAccess::kMessage : CaseAccess::kNone;
    case Role::kAdmin:
      return CaseAccess::kAct;
    case Role::kUnion:
      // The filing union tracks the status; it joins the dialogue only when the worker's
      // mandate lets it follow the case (mandate.follow; docs/domain.md "Who sees what").
      if (!s.org_id || !c.complaint.union_org_id || *s.org_id != *c.complaint.union_org_id) {
        return CaseAccess::kNone;
      }
      return c.complaint.mandate && c.complaint.mandate->follow ? CaseAccess::kMessage
                                                                : CaseAccess::kRead;
    case Role::kCompany: {
      if (!s.org_id) return CaseAccess::kNone;
      auto role = party_role(c, *s.org_id);
      if (!role) return CaseAccess::kNone;
      // The responsible company leads the response; a buyer follows and may write.
      return *role == PartyRole::kResponsible ? CaseAccess::kAct : CaseAccess::kMessage;
    }
    case Role::kAuditor:  // statistics only, never a case (docs/domain.md "Who sees what")
    case Role::kSystem:
      return CaseAccess::kNone;
  }
  return CaseAccess::kNone;
}

bool may_see_identity(const Session& s, const Case& c) {
  if (case_access(s, c) == CaseAccess::kNone) return false;
  switch (s.role) {
    case Role::kComplainant:
    case Role::kAdmin:
    case Role::kUnion:  // the filing union collected the details itself
      return true;
    case Role::kCompany:
      // docs/domain.md "Who sees what": only with the complainant's recorded consent (or the
      // union's mandate), and only while it is not withdrawn.
      return c.identity == IdentityLevel::kShared;
    default:
      return false;
  }
}

bool may_see_organisation(const Session& s, const Case& c, std::int64_t org_id) {
  if (case_access(s, c) == CaseAccess::kNone) return false;
  switch (s.role) {
    case Role::kAdmin:
      return true;
    case Role::kCompany:
      return (s.org_id && *s.org_id == org_id) || party_role(c, org_id) == PartyRole::kResponsible;
    case Role::kUnion:
      return (s.org_id && *s.org_id == org_id) || party_role(c, org_id).has_value();
    default:
      return false;
  }
}

bool may_see_event(const Session& s, const Case& c, const CaseEvent& e) {
  if (case_access(s, c) == CaseAccess::kNone) return false;
  switch (e.visibility) {
    case Visibility::kParties:
      return true;
    case Visibility::kOrganisation:
      // The author's organisation and the operator; an admin's own note stays with admins.
      if (s.role == Role::kAdmin) return true;
      return s.role != Role::kComplainant && s.org_id && e.actor_org_id &&
             *s.org_id == *e.actor_org_id;
    case Visibility::kMechanism:
      // The complainant and the filing union (case_access made sure it is that union) with
      // the operator; never a company.
      return s.role == Role::kAdmin || s.role == Role::kComplainant || s.role == Role::kUnion;
  }
  return false;
}

bool may_post_message(const Session& s, const Case& c, Visibility v) {
  if (case_access(s, c) < CaseAccess::kMessage) return false;
  switch (v) {
    case Visibility::kParties:
      return true;
    case Visibility::kOrganisation:
      return s.role == Role::kAdmin || (s.role == Role::kCompany && s.org_id.has_value());
    case Visibility::kMechanism:
      return s.role == Role::kAdmin || s.role == Role::kComplainant || s.role == Role::kUnion;
  }
  return false;
}

std::optional<Actor> lifecycle_actor(const Session& s, const Case& c) {
  const CaseAccess access = case_access(s, c);
  switch (s.role) {
    case Role::kComplainant:
      return access >= CaseAccess::kMessage ? std::optional(Actor::kComplainant) : std::nullopt;
    case Role::kUnion:  // on the worker's behalf, only with the mandate to follow the case
      return access >= CaseAccess::kMessage ? std::optional(Actor::kComplainant) : std::nullopt;
    case Role::kCompany:
      return access == CaseAccess::kAct ? std::optional(Actor::kResponsibleCompany) : std::nullopt;
    case Role::kAdmin:
      return Actor::kOperator;
    default:
      return std::nullopt;
  }
}

bool may_list_cases(Role r) {
  return r == Role::kUnion || r == Role::kCompany || r == Role::kAdmin;
}
bool may_file_batch(Role r) { return r == Role::kUnion; }
bool may_administer(Role r) { return r == Role::kAdmin; }

}  // namespace grievance::domain
