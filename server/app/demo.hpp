// The demonstration data set of `grievance serve --demo` (docs/operations.md "Running it"):
// operating companies and workplaces of the three supply chains the programme works in, so the
// complaint form has real-looking sites to pick. All names are fictional.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/domain/ports.hpp"
#include "server/domain/result.hpp"
#include "server/domain/services.hpp"

namespace grievance::app {

// A demo staff account; its password is random per demo database and printed once at start.
struct DemoUser {
  std::string role;
  std::string email;
  std::string password;
  std::string organisation;
};

// Loads the data set when the database holds no case and no site: the organisations behind
// the three supply chains (operators, buyers up the chain, supply links), two unions, an
// auditor organisation, one user per role, a few complaints (web, named, union-filed,
// triage) and one case in every status of the lifecycle, brought there through Casework.
// Returns the users created (nullopt when the database was not empty).
// REQUIRES: ports.hasher is set. Errors: those of the stores and the filing service.
domain::Result<std::optional<std::vector<DemoUser>>> load_demo_data(const domain::Ports& ports,
                                                                    domain::Services& services,
                                                                    domain::TimePoint now);

}  // namespace grievance::app
