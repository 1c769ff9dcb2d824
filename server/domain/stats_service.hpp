// Registration statistics as a use case (issue 11; SPEC section 4 `GET /api/v1/stats`;
// docs/domain.md "Statistics"): who may ask, over which cases, and how exactly the answer is
// published. The numbers themselves are the statistics core's (server/domain/stats/).
//
//   admin    every case, exact
//   company  the cases routed to it (responsible or buyer), exact: it knows them already
//   union    the cases it filed, exact
//   auditor  every case, protected (cell-key noise, "fewer than k", no table finer than the
//            configured detail)
//   complainant: none (403)
//
// Thread-safe: one per server, any request thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/domain/config.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/result.hpp"
#include "server/domain/stats/stats.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// Route-level right: who may read statistics at all.
bool may_read_stats(Role r);  // admin, company, union, auditor

// The names beside the numbers (the dashboard's company filter, its rows by company or by
// site): the directory's names, which are no secret to a reader of statistics - the complaint
// form lists the sites, a receipt names the company - unlike the cases behind them.
struct StatsNames {
  std::vector<std::pair<std::int64_t, std::string>> companies;  // by name; a company filter's
  std::unordered_map<std::int64_t, std::string> organisations;  // companies, for rows by company
  std::unordered_map<std::int64_t, std::string> sites;          // for rows by site
};

class StatsService {
 public:
  StatsService(CaseStore& cases, DirectoryStore& directory, const Clock& clock,
               const DisclosureConfig& config);

  // The table for `s` (GET /api/v1/stats). kForbidden for a complainant or a staff account
  // without its organisation; invalid_field for a bad filter or, for a protected reader, a
  // table finer than the configured detail; kUnavailable from the store.
  Result<StatsTable> table(const Session& s, const StatsRequest& r) const;

  // The names a reader of statistics may see (kForbidden as table()). `companies` lists what
  // the reader may filter by: every company for the operator, an auditor and a union; none for
  // a company, whose scope is its own cases. kUnavailable from the directory.
  Result<StatsNames> names(const Session& s) const;

  // How `s` reads statistics: exact for the operator and an organisation's own cases.
  static Protection protection_for(Role r);

  const DisclosureConfig& disclosure() const { return config_; }

 private:
  // The validated query with the session's scope, or the reason it is refused.
  Result<StatsQuery> scoped_query(const Session& s, const StatsRequest& r) const;

  CaseStore& cases_;
  DirectoryStore& directory_;
  const Clock& clock_;
  const DisclosureConfig config_;
};

// The cases a statistics query may cover, as an index can narrow them: the scope (or the
// company filter), the site, and the filing window widened back by kRecurrenceDays so that the
// earliest cases of the window find the complaints they repeat.
FactsScan facts_scan_for(const StatsQuery& q);

}  // namespace grievance::domain
