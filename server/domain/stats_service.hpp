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
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/domain/config.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/result.hpp"
#include "server/domain/stats/case_export.hpp"
#include "server/domain/stats/rollup.hpp"
#include "server/domain/stats/stats.hpp"
#include "server/domain/types.hpp"

namespace grievance::domain {

// Route-level rights: who may read statistics at all, and who may export them.
bool may_read_stats(Role r);    // admin, company, union, auditor
bool may_export_stats(Role r);  // admin, auditor (SPEC section 4)

// Where the case-level export goes, row by row (the HTTP layer streams it).
class CaseExportSink {
 public:
  virtual ~CaseExportSink() = default;
  // Once, after the export was allowed and before the first row; false: stop (the client left).
  virtual bool begin(Protection protection, int k) = 0;
  virtual bool row(const CaseExportRow& row) = 0;
};

// A company's annual figures for its sustainability reporting (issue 11 item 3; docs/domain.md
// "Statistics"): the cases routed to it (responsible or buyer) that were filed in the year, exact.
struct AnnualDisclosure {
  std::int64_t company_org_id = 0;
  int year = 0;
  // ESRS S1-17 (and S2-4 for workers in the value chain): complaints filed through the channel;
  // those about discrimination or harassment; severe human-rights cases (forced or child
  // labour) and those of them closed with a remedy the complainant accepted, wholly or partly.
  std::int64_t complaints_filed = 0;
  std::int64_t discrimination_or_harassment = 0;
  std::int64_t severe_cases = 0;
  std::int64_t severe_cases_remedied = 0;
  // GRI 2-25 (how the mechanism's effectiveness is tracked): the year's statistics row, with
  // timeliness, outcomes, the worker's verdict and recurrence.
  StatsRow figures;
};

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
  StatsService(CaseStore& cases, DirectoryStore& directory, const Crypto& crypto,
               const Clock& clock, const DisclosureConfig& config);

  // The table for `s` (GET /api/v1/stats). kForbidden for a complainant or a staff account
  // without its organisation; invalid_field for a bad filter or, for a protected reader, a
  // table finer than the configured detail; kUnavailable from the store.
  Result<StatsTable> table(const Session& s, const StatsRequest& r) const;
  // The same table handed to `sink` a row at a time (GET /api/v1/stats and the stats exports):
  // a table over every case by site and month (fifty thousand rows) is written as its rows are
  // made, never held whole. The errors of table(); a store error after sink.begin() (a table
  // the rollup streams, RollupTable::streams) leaves the rows unfinished: the caller must not
  // present them as complete.
  Status table_rows(const Session& s, const StatsRequest& r, StatsRowSink& sink) const;

  // The case-level export (GET /api/v1/exports/cases.csv, .json; docs/domain.md
  // "Statistics"): the admin's exact, the auditor's coarsened to k (CaseExport), each case under
  // a pseudonym that stays the same across one reader organisation's exports (an HMAC of the
  // case id under the server's key and the organisation) and differs between organisations.
  // Two passes over the facts; only the quasi-identifiers' counts are held. kForbidden for other
  // roles; invalid_field for a bad filter or a group_by; the store's errors. An error after
  // sink.begin() leaves the export unfinished (the caller must not present it as complete).
  Status export_cases(const Session& s, const StatsRequest& r, CaseExportSink& sink) const;

  // GET /api/v1/exports/disclosure.json: a company its own year; the admin any company's
  // (`company` required). kForbidden for others; invalid_field "year" or "company".
  Result<AnnualDisclosure> annual_disclosure(const Session& s, std::string_view year,
                                             std::string_view company) const;
  // The names a reader of statistics may see (kForbidden as table()). `companies` lists what
  // the reader may filter by: every company for the operator, an auditor and a union; none for
  // a company, whose scope is its own cases. kUnavailable from the directory.
  Result<StatsNames> names(const Session& s) const;

  // The public register's headline (docs/domain.md "Public register"): every case, all time or
  // filed in `year`, one row, protected as an auditor reads it. No session: it is public.
  Result<StatsTable> public_headline(std::optional<int> year) const;

  // How `s` reads statistics: exact for the operator and an organisation's own cases.
  static Protection protection_for(Role r);

  const DisclosureConfig& disclosure() const { return config_; }

 private:
  // The table of a validated, scoped query: from the rollup when it can answer (rollup_plan),
  // else from the facts the query's index narrows to.
  Result<StatsTable> answer(const StatsQuery& q, Protection protection) const;
  // The rollup's overdue cases and cells into `rollup` (REQUIRES: made with `plan`).
  Status fill(RollupTable& rollup, const RollupScan& plan) const;
  // A query over up to every case (no scope, not from the rollup) counted on kScanThreads
  // builders, merged into one.
  Result<StatsBuilder> counted(const StatsQuery& q) const;
  // Does counted() answer `q` (rather than the rollup or a single builder)?
  bool counts_every_case(const StatsQuery& q) const;
  // The validated query with the session's scope, or the reason it is refused.
  Result<StatsQuery> scoped_query(const Session& s, const StatsRequest& r) const;

  CaseStore& cases_;
  DirectoryStore& directory_;
  const Crypto& crypto_;
  const Clock& clock_;
  const DisclosureConfig config_;
};

// Where a query's recurrence comes from (stats.hpp Recurrence): the repeats the store keeps
// among every case for a query without a scope; among the cases of its scope for a company's or
// a union's, which must not count repeats in cases they may not see.
Recurrence recurrence_for(const StatsQuery& q);

// The cases a statistics query may cover, as an index can narrow them: the scope (or the
// company filter), the site, and the filing window; widened back by kRecurrenceDays when
// recurrence is found among the cases given, so that the earliest cases of the window find the
// complaints they repeat.
FactsScan facts_scan_for(const StatsQuery& q);

}  // namespace grievance::domain
