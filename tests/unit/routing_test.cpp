// Supply-chain routing (docs/domain.md "Routing").
#include "server/domain/routing.hpp"

#include <gtest/gtest.h>

namespace grievance::domain {
namespace {

Organisation company(std::int64_t id, bool disabled = false) {
  return Organisation{id, OrgKind::kCompany, "C" + std::to_string(id), "ID", disabled};
}
SupplyLink link(std::int64_t id, std::int64_t supplier, std::int64_t buyer,
                std::optional<Sector> sector = std::nullopt, bool disabled = false) {
  return SupplyLink{id, supplier, buyer, sector, disabled};
}
std::vector<std::pair<std::int64_t, PartyRole>> flat(const std::vector<CaseParty>& parties) {
  std::vector<std::pair<std::int64_t, PartyRole>> out;
  for (const auto& p : parties) out.emplace_back(p.org_id, p.role);
  return out;
}
using P = std::vector<std::pair<std::int64_t, PartyRole>>;
constexpr auto R = PartyRole::kResponsible;
constexpr auto B = PartyRole::kBuyer;

TEST(RoutingTest, SiteOperatorIsResponsibleAndAChainOfThreeLinksMakesThreeBuyers) {
  // plantation 1 -> mill 2 -> refinery 3 -> brand 4
  std::vector<Organisation> orgs{company(1), company(2), company(3), company(4), company(5)};
  std::vector<SupplyLink> links{link(1, 1, 2), link(2, 2, 3), link(3, 3, 4)};
  EXPECT_EQ(flat(route_parties(1, Sector::kPalmOil, links, orgs)),
            (P{{1, R}, {2, B}, {3, B}, {4, B}}));
  // Routing goes upward only: the mill's case does not reach the plantation.
  EXPECT_EQ(flat(route_parties(2, Sector::kPalmOil, links, orgs)), (P{{2, R}, {3, B}, {4, B}}));
}

TEST(RoutingTest, CyclesTerminateAndTheResponsibleCompanyIsNeverAlsoABuyer) {
  std::vector<Organisation> orgs{company(1), company(2), company(3)};
  std::vector<SupplyLink> links{link(1, 1, 2), link(2, 2, 3), link(3, 3, 1), link(4, 2, 1)};
  EXPECT_EQ(flat(route_parties(1, Sector::kCocoa, links, orgs)), (P{{1, R}, {2, B}, {3, B}}));
  // A self-loop in the data is harmless too.
  std::vector<SupplyLink> self{link(1, 1, 1)};
  EXPECT_EQ(flat(route_parties(1, Sector::kCocoa, self, orgs)), (P{{1, R}}));
}

TEST(RoutingTest, DiamondReachesEachBuyerOnceNearestFirst) {
  std::vector<Organisation> orgs{company(1), company(2), company(3), company(4)};
  std::vector<SupplyLink> links{link(1, 1, 2), link(2, 1, 3), link(3, 2, 4), link(4, 3, 4)};
  EXPECT_EQ(flat(route_parties(1, Sector::kTextile, links, orgs)),
            (P{{1, R}, {2, B}, {3, B}, {4, B}}));
}

TEST(RoutingTest, SectorLinksApplyOnlyToTheirSector) {
  std::vector<Organisation> orgs{company(1), company(2), company(3)};
  std::vector<SupplyLink> links{link(1, 1, 2, Sector::kCocoa), link(2, 1, 3)};
  EXPECT_EQ(flat(route_parties(1, Sector::kCocoa, links, orgs)), (P{{1, R}, {2, B}, {3, B}}));
  EXPECT_EQ(flat(route_parties(1, Sector::kPalmOil, links, orgs)), (P{{1, R}, {3, B}}));
  EXPECT_EQ(flat(route_parties(1, std::nullopt, links, orgs)), (P{{1, R}, {3, B}}));
}

TEST(RoutingTest, DisabledLinksAndOrganisationsAreNeitherPartiesNorTraversed) {
  std::vector<Organisation> orgs{company(1), company(2, /*disabled=*/true), company(3), company(4)};
  std::vector<SupplyLink> links{link(1, 1, 2), link(2, 2, 3), link(3, 1, 4, std::nullopt, true)};
  EXPECT_EQ(flat(route_parties(1, Sector::kOther, links, orgs)), (P{{1, R}}));
  // A disabled or unknown responsible company routes nowhere: the case goes to triage.
  EXPECT_TRUE(route_parties(2, Sector::kOther, links, orgs).empty());
  EXPECT_TRUE(route_parties(99, Sector::kOther, links, orgs).empty());
  // Unions and auditors are never routed to.
  std::vector<Organisation> mixed{company(1), Organisation{2, OrgKind::kUnion, "U", "ID", false}};
  EXPECT_EQ(flat(route_parties(1, Sector::kOther, std::vector{link(1, 1, 2)}, mixed)), (P{{1, R}}));
}

TEST(RoutingTest, LongChainWithManyCyclesTerminates) {
  std::vector<Organisation> orgs;
  std::vector<SupplyLink> links;
  for (int i = 1; i <= 200; ++i) orgs.push_back(company(i));
  std::int64_t id = 1;
  for (int i = 1; i <= 200; ++i) {
    links.push_back(link(id++, i, i % 200 + 1));  // a ring
    links.push_back(link(id++, i, (i * 7) % 200 + 1));
  }
  auto parties = route_parties(1, Sector::kOther, links, orgs);
  EXPECT_EQ(parties.size(), 200u);
}

}  // namespace
}  // namespace grievance::domain
