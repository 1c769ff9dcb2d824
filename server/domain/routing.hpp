// Supply-chain routing (docs/domain.md "Routing"; CSDDD Art. 14 covers the chain of
// activities): a case filed against a site goes to the site's operating company as
// RESPONSIBLE and to every company reachable UPWARD through supply links (supplier -> buyer)
// as BUYER. Pure function over the links: no I/O, so every chain shape is unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "server/domain/types.hpp"

namespace grievance::domain {

// The parties of a case whose responsible company is `responsible_org_id`: that company
// first, then each buyer once, nearest first (breadth-first). Follows enabled links whose
// sector is unset or equals `sector`, and only through enabled companies of `organisations`
// (a disabled or unknown organisation is neither a party nor traversed). Terminates on
// cycles: a company already reached is never visited again, and the responsible company is
// never also a buyer.
std::vector<CaseParty> route_parties(std::int64_t responsible_org_id, std::optional<Sector> sector,
                                     std::span<const SupplyLink> links,
                                     std::span<const Organisation> organisations);

}  // namespace grievance::domain
