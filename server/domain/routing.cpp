#include "server/domain/routing.hpp"

#include <deque>
#include <unordered_set>

namespace grievance::domain {

std::vector<CaseParty> route_parties(std::int64_t responsible_org_id, std::optional<Sector> sector,
                                     std::span<const SupplyLink> links,
                                     std::span<const Organisation> organisations) {
  auto enabled_company = [&](std::int64_t id) {
    for (const auto& o : organisations) {
      if (o.id == id) return o.kind == OrgKind::kCompany && !o.disabled;
    }
    return false;
  };
  std::vector<CaseParty> parties;
  if (!enabled_company(responsible_org_id)) return parties;
  parties.push_back({responsible_org_id, PartyRole::kResponsible});

  // Breadth-first upward: nearest buyers first. `reached` makes cycles harmless.
  std::unordered_set<std::int64_t> reached{responsible_org_id};
  std::deque<std::int64_t> frontier{responsible_org_id};
  while (!frontier.empty()) {
    const std::int64_t supplier = frontier.front();
    frontier.pop_front();
    for (const auto& link : links) {
      if (link.disabled || link.supplier_org_id != supplier) continue;
      if (link.sector && (!sector || *link.sector != *sector)) continue;
      if (reached.contains(link.buyer_org_id) || !enabled_company(link.buyer_org_id)) continue;
      reached.insert(link.buyer_org_id);
      parties.push_back({link.buyer_org_id, PartyRole::kBuyer});
      frontier.push_back(link.buyer_org_id);
    }
  }
  return parties;
}

}  // namespace grievance::domain
