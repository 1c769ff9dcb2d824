// The directory of a generated database (`grievance generate`, docs/operations.md "Generating a
// large database"): supplier companies with their workplaces in the producing countries of the
// mechanism, buyers up the supply chain, unions. Every name is made up from syllables and a
// number, so nothing in it is a real company, place or person.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "server/domain/ports/directory_store.hpp"
#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::app {

// A workplace as the case generator uses it: where complaints come from and whom they reach.
struct WorldSite {
  std::int64_t id = 0;
  std::string country;
  domain::Sector sector = domain::Sector::kOther;
  std::int64_t operator_org_id = 0;
  // How many complaints come from here relative to others (big estates, small workshops).
  double weight = 1;
  // A site with a recurring problem: most of its complaints are about this category.
  std::optional<domain::Category> recurring;
  // The parties a complaint about this site reaches (domain::route_parties, computed once).
  std::vector<domain::CaseParty> parties;
};

struct WorldCompany {
  std::int64_t id = 0;
  std::string country;
  // How quickly the company answers: 0 prompt, 1 average, 2 slow (late acknowledgements,
  // overdue cases).
  int pace = 1;
};

struct World {
  std::vector<WorldSite> sites;
  std::vector<WorldCompany> suppliers;  // the operators of the sites
  std::vector<std::int64_t> buyers;     // brands and traders up the chain
  struct Union {
    std::int64_t id = 0;
    std::string country;
  };
  std::vector<Union> unions;
  double total_weight = 0;  // the sum of the sites' weights
};

// How big the directory is for `cases` complaints: about 1,500 sites, 150 suppliers, 30
// buyers and 20 unions at a million cases, fewer (but every kind) for a small database.
struct WorldSize {
  int sites = 0;
  int suppliers = 0;
  int buyers = 0;
  int unions = 0;
};
WorldSize world_size(std::int64_t cases);

// Creates the organisations, sites and supply links through `directory` (each a durable write)
// and returns what the case generator needs. Deterministic for a given generator state.
// Errors: those of the store.
domain::Result<World> create_world(domain::DirectoryStore& directory, std::mt19937_64& rng,
                                   const WorldSize& size);

}  // namespace grievance::app
