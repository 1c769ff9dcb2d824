// Rollups (issue 11 item 4; docs/domain.md "Rollups"): the statistics kept summed per month and
// slice, true in the same transaction as every change, so the dashboard's questions read a few
// thousand cells instead of every case.
//
// A slice is a set of cases a table can be grouped by: every case, the cases of one category,
// or those of one responsible company (or in triage). A case counts in the cell of its filing
// month in each of its slices (rollup_slices). The store adds the difference of a case's
// contribution before and after each event (rollup_contribution); recurrence comes from the
// case's `repeats` (RepeatTracker), fixed when it is filed; overdue depends on the time of
// asking and is counted from the open cases past due (overdue_from) at question time.
//
// A query the rollup can answer (rollup_plan): every case in the reader's scope (the operator's
// and the auditor's), filtered by whole months only, grouped by month or quarter or nothing,
// and by category or company or nothing. Every other query reads the facts (StatsBuilder).
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
// yet; a positive id: the cases of that responsible company.
using SliceId = std::int64_t;
inline constexpr SliceId kEveryCase = 0;
inline constexpr SliceId kTriageSlice = -100;
SliceId category_slice(std::size_t category_index);
enum class SliceKind { kEveryCase, kCategories, kCompanies };
SliceKind kind_of(SliceId s);

// Months since year 0 (year * 12 + month - 1) of a time, in UTC: the rollup's month number.
std::int32_t month_number(TimePoint t);
std::int32_t month_number(Date d);

// The slices a case counts in: every case, each of its categories, its responsible company.
std::vector<SliceId> rollup_slices(CategorySet categories,
                                   std::optional<std::int64_t> responsible_org_id);
std::vector<SliceId> rollup_slices(const CaseFacts& f);

// What the overdue count needs of an overdue case (SQLite reads it from an index alone).
struct OverdueCase {
  std::int64_t case_id = 0;
  TimePoint filed_at{};
  CategorySet categories = 0;
  std::optional<std::int64_t> responsible_org_id;
  std::uint32_t cell_key = 0;
  static OverdueCase of(const CaseFacts& f) {
    return {f.case_id, f.filed_at, f.categories, f.responsible_org_id, f.cell_key};
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

// What a store reads for a query the rollup answers: the cells of one kind of slice over a span
// of months (inclusive; nullopt: open-ended), and the overdue cases filed in it.
struct RollupScan {
  SliceKind slices = SliceKind::kEveryCase;
  std::optional<std::int32_t> first_month;
  std::optional<std::int32_t> last_month;
};

// The scan that answers `q` at `now`, or nullopt when only the facts can (see the file comment).
std::optional<RollupScan> rollup_plan(const StatsQuery& q, TimePoint now);

// The table of a query from its rollup cells and overdue cases.
class RollupTable {
 public:
  // REQUIRES: rollup_plan(query, now) gave `scan`.
  RollupTable(StatsQuery query, RollupScan scan);
  void add_cell(SliceId slice, std::int32_t month, const StatsCell& cell);
  // A case of the window that is overdue at the time of asking.
  void add_overdue(const OverdueCase& c);
  StatsTable finish(Protection protection, const DisclosureConfig& config) const;

  ~RollupTable();
  RollupTable(RollupTable&&) noexcept;
  RollupTable& operator=(RollupTable&&) noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace grievance::domain
