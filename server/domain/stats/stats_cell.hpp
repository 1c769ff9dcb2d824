// The additive heart of the statistics (docs/domain.md "Statistics", "Rollups"): every figure of
// a StatsRow but overdue is a function of a StatsCell, and a StatsCell of a set of cases is the
// sum of the cells of its cases. StatsBuilder adds cases one by one into a cell per group; the
// store keeps a cell per month and slice (rollup.hpp), changed by the difference of a case's
// contribution before and after each event; both are published by publish_cell. Durations are
// kept as whole hours, so their median and 90th percentile come from a histogram.
//
// Pure; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "server/domain/stats/case_facts.hpp"
#include "server/domain/stats/disclosure.hpp"

namespace grievance::domain {

// The steps whose durations are kept (StatsRow::to_acknowledgement, ...), in this order.
inline constexpr std::size_t kStepCount = 3;

struct StatsCell {
  Tally registered;
  std::array<Tally, 5> by_channel{};
  std::array<Tally, 3> by_kind{};
  Tally open, ack_decided, ack_in_time;
  std::array<Tally, kStepCount> reached{};  // cases that reached each step
  std::array<Tally, 7> by_outcome{};
  Tally escalated, appealed, appeal_upheld, appeal_reopened, withdrawn;
  Tally accepted, refused, scored;
  std::array<Tally, 5> satisfaction{};
  Tally confirmed, disputed, follow_up_asked;
  std::array<Tally, 3> held{};
  Tally retaliation, settled, reopened;
  std::int64_t headcount = 0;         // workers behind the collective complaints
  std::int64_t satisfaction_sum = 0;  // of the scored cases
  // Each step's durations in whole hours (floored), paused time excluded: hours -> cases.
  std::array<std::map<std::int64_t, std::int64_t>, kStepCount> hours{};
  // The recurrent cases (a repeat at the same site and category within kRecurrenceDays) by site.
  std::map<std::int64_t, Tally> recurrent;

  // Adds one case. `recurrent`: the case repeats an earlier complaint in this cell's sense
  // (StatsBuilder and the rollup decide which categories count).
  // `with_hours` false: the caller collects the hours itself (hours_of) and fills the
  // histograms once at the end (fill_hours), cheaper than a tree insert per case.
  void add(const CaseFacts& f, bool is_recurrent, bool with_hours = true);
  // Adds (sign +1) or subtracts (sign -1) every figure of `other`. Entries that fall to zero are
  // removed, so a cell that lost every case equals an empty one.
  // `with_hours` false: the histograms are left to the caller (RollupTable sums them once).
  void merge(const StatsCell& other, int sign = 1, bool with_hours = true);
  bool empty() const { return *this == StatsCell{}; }
  bool operator==(const StatsCell&) const = default;
};

// Every Tally of the cell in a fixed order (the stored form's; appending keeps older rows
// readable only if a version is raised), then the two sums.
template <class Cell, class F, class G>
void for_each_tally(Cell& c, F&& tally, G&& sum) {
  auto all = [&tally](auto& tallies) {
    for (auto& t : tallies) tally(t);
  };
  tally(c.registered), all(c.by_channel), all(c.by_kind), tally(c.open), tally(c.ack_decided),
      tally(c.ack_in_time), all(c.reached), all(c.by_outcome), tally(c.escalated),
      tally(c.appealed), tally(c.appeal_upheld), tally(c.appeal_reopened), tally(c.withdrawn),
      tally(c.accepted), tally(c.refused), tally(c.scored), all(c.satisfaction), tally(c.confirmed),
      tally(c.disputed), tally(c.follow_up_asked), all(c.held), tally(c.retaliation),
      tally(c.settled), tally(c.reopened);
  sum(c.headcount), sum(c.satisfaction_sum);
}

// A duration as the statistics count it: whole hours, rounded down.
std::int64_t hours_of(std::int64_t seconds);

// A histogram from durations in whole hours, in any order (sorted here).
std::map<std::int64_t, std::int64_t> histogram_of(std::vector<std::int64_t> hours);

// The median (the mean of the two middle values when even) and the nearest-rank 90th
// percentile of a histogram of whole hours, in days. nullopt when it is empty.
std::optional<std::pair<double, double>> median_and_p90_days(
    const std::map<std::int64_t, std::int64_t>& hours);
// The same of the durations themselves, in whole hours and in any order: they are reordered
// (a selection, not a sort), and the answer is that of their histogram.
std::optional<std::pair<double, double>> median_and_p90_days_of(std::span<std::int64_t> hours);
// The same of (whole hours, cases) pairs in ascending hours, an hour possibly more than once
// (several months' runs merged): the answer of their histogram.
std::optional<std::pair<double, double>> median_and_p90_days_of_runs(
    std::span<const std::pair<std::int64_t, std::int64_t>> sorted);

// Each step's median and 90th percentile in days (nullopt: no case reached it).
using StepDays = std::array<std::optional<std::pair<double, double>>, kStepCount>;
StepDays step_days(const StatsCell& cell);  // from the cell's histograms

}  // namespace grievance::domain
