// The dimensions a statistics table may be grouped by (issue 11; docs/domain.md "Statistics").
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace grievance::domain {

enum class StatsDimension {
  kMonth,     // "2026-11": the month the case was filed in (UTC)
  kQuarter,   // "2026-Q4"
  kCompany,   // the responsible company's id; "none" while in triage
  kSite,      // the site's id; "none" when the worker named a place
  kSector,    // the site's sector; "none"
  kCountry,   // ISO 3166-1 alpha-2
  kCategory,  // each of the case's categories: a case with two counts in both rows
  kChannel,
  kStatus,   // now
  kOutcome,  // now; "none" while the case has none
};

std::string_view to_string(StatsDimension d);
std::optional<StatsDimension> parse_stats_dimension(std::string_view s);
std::span<const StatsDimension> all_stats_dimensions();

}  // namespace grievance::domain
