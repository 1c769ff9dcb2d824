// Rollups (issue 11 item 4; docs/domain.md "Rollups"): the statistics kept summed per month and
// slice, true in the same transaction as every change, so the dashboard's questions read a few
// thousand cells instead of every case.
//
// A slice is a set of cases a table can be grouped by: every case, the cases of one category,
// those of one responsible company (or in triage), or those of one site (or of none). A case counts
// in the cell of its filing month in each of its slices (rollup_slices). The store adds the
// difference of a case's contribution before and after each event (rollup_contribution); recurrence
// comes from the case's `repeats` (RepeatTracker), fixed when it is filed; overdue depends on the
// time of asking and is counted from the open cases past due (overdue_from) at question time.
//
// A query the rollup can answer (rollup_plan): every case in the reader's scope (the operator's
// and the auditor's), filtered by whole months only, grouped by month or quarter or nothing,
// and by category or company or site or nothing. Every other query reads the facts (StatsBuilder).
// Both give the same table: tests/unit/stats_rollup_test.cpp checks it on generated cases.
//
// Pure; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "server/domain/stats/case_facts.hpp"
#include "server/domain/stats/stats.hpp"
#include "server/domain/stats/stats_cell.hpp"

namespace grievance::domain {

// ---- slices and months -----------------------------------------------------------------------

// 0: every case; -1 - i: the cases of all_categories()[i]; kTriageSlice: no responsible company
// yet; a positive id: the cases of that responsible company; kSiteSlices + id: the cases of
// that site, kSiteSlices itself those of no site (site ids are positive).
using SliceId = std::int64_t;
inline constexpr SliceId kEveryCase = 0;
inline constexpr SliceId kTriageSlice = -100;
inline constexpr SliceId kSiteSlices = -(SliceId{1} << 40);
inline constexpr SliceId kLastSiteSlice = -(SliceId{1} << 39);  // site ids below 2^39
SliceId category_slice(std::size_t category_index);
SliceId site_slice(std::optional<std::int64_t> site_id);
enum class SliceKind { kEveryCase, kCategories, kCompanies, kSites };
SliceKind kind_of(SliceId s);

// Months since year 0 (year * 12 + month - 1) of a time, in UTC: the rollup's month number.
std::int32_t month_number(TimePoint t);
std::int32_t month_number(Date d);

// The slices a case counts in: every case, each of its categories, its responsible company,
// its site.
std::vector<SliceId> rollup_slices(CategorySet categories,
                                   std::optional<std::int64_t> responsible_org_id,
                                   std::optional<std::int64_t> site_id);
std::vector<SliceId> rollup_slices(const CaseFacts& f);

// What the overdue count needs of an overdue case (SQLite reads it from an index alone).
struct OverdueCase {
  std::int64_t case_id = 0;
  TimePoint filed_at{};
  CategorySet categories = 0;
  std::optional<std::int64_t> responsible_org_id;
  std::optional<std::int64_t> site_id;
  std::uint32_t cell_key = 0;
  static OverdueCase of(const CaseFacts& f) {
    return {f.case_id, f.filed_at, f.categories, f.responsible_org_id, f.site_id, f.cell_key};
  }
};

// The case's share of one slice's cell: one registered case, its durations, its outcome...
// `repeats`: the categories in which it repeats an earlier complaint at its site (RepeatTracker):
// recurrent in a category's slice when it repeats in that category, elsewhere when in any.
StatsCell rollup_contribution(const CaseFacts& f, CategorySet repeats, SliceId slice);

// The categories in which a case repeats an earlier complaint at the same site within
// kRecurrenceDays, as StatsBuilder finds them over every case: earlier is filed before it, or
// at the same second with a lower case id. Feed the cases in that order.
class RepeatTracker {
 public:
  CategorySet next(const CaseFacts& f);

 private:
  std::map<std::int64_t, std::array<std::optional<TimePoint>, 16>> last_;
};

// The whole rollup of a set of cases, built from scratch (a rebuild, a fake store, the tests):
// (slice, month) -> cell. REQUIRES: `facts` in filing order (filed_at, then case id).
using RollupCells = std::map<std::pair<SliceId, std::int32_t>, StatsCell>;
RollupCells rollup_of(const std::vector<CaseFacts>& facts);
// One case into `cells`, with the categories it repeats (RepeatTracker::next).
void add_to_rollup(RollupCells& cells, const CaseFacts& f, CategorySet repeats);

// ---- answering from the rollup ---------------------------------------------------------------

// A stored cell's durations as a store reads them: for each step, (whole hours, cases) in
// ascending hours - the stored form's order, so a read makes no tree (a table by site and month
// reads fifty thousand cells).
using HoursRuns = std::array<std::vector<std::pair<std::int64_t, std::int64_t>>, kStepCount>;
// The runs of a cell's histograms.
HoursRuns hours_runs(const StatsCell& cell);

// What a store reads for a query the rollup answers: the cells of one kind of slice over a span
// of months (inclusive; nullopt: open-ended), and the overdue cases filed in it.
struct RollupScan {
  SliceKind slices = SliceKind::kEveryCase;
  std::optional<std::int32_t> first_month;
  std::optional<std::int32_t> last_month;
  // The order the cells come in: by slice then month; or, for a table grouped by month or
  // quarter first, by that month (or quarter: month / 3), then slice, then month - the order of
  // its rows, so RollupTable can hand them out as they come.
  enum class Order { kSliceMonth, kMonthSlice, kQuarterSlice };
  Order order = Order::kSliceMonth;
};

// The scan that answers `q` at `now`, or nullopt when only the facts can (see the file comment).
std::optional<RollupScan> rollup_plan(const StatsQuery& q, TimePoint now);

// The table of a query from its rollup cells and overdue cases.
class RollupTable {
 public:
  // REQUIRES: rollup_plan(query, now) gave `scan`.
  RollupTable(StatsQuery query, RollupScan scan);
  // A stored cell: its counts and recurrence from `cell` (whose hours are not read), its
  // durations from `hours`.
  void add_cell(SliceId slice, std::int32_t month, const StatsCell& cell, const HoursRuns& hours);
  // The same of a cell with its histograms (rollup_of's).
  void add_cell(SliceId slice, std::int32_t month, const StatsCell& cell);
  // A case of the window that is overdue at the time of asking.
  void add_overdue(const OverdueCase& c);
  StatsTable finish(Protection protection, const DisclosureConfig& config) const;
  // The same rows handed to `sink` one at a time, in the order of their keys.
  void finish_rows(Protection protection, const DisclosureConfig& config, StatsRowSink& sink) const;

  // A table grouped by site or company, and by nothing, month or quarter, in either order, can
  // hand out each row as soon as its last cell came: cells come in the order of its rows
  // (RollupScan::order) but for the groups of no site (or no company), which go last among
  // those of their month or quarter (or last of all). By site and month over a million cases
  // that is fifty thousand rows never held (a kilobyte each).
  bool streams() const;
  // REQUIRES: streams(); before any cell, and every overdue case added before the first cell.
  // Rows go to `sink` from add_cell() on; end_stream() hands out the rest.
  void stream_to(Protection protection, const DisclosureConfig& config, StatsRowSink& sink);
  void end_stream();

  ~RollupTable();
  RollupTable(RollupTable&&) noexcept;
  RollupTable& operator=(RollupTable&&) noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace grievance::domain
