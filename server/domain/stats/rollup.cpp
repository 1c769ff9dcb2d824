#include "server/domain/stats/rollup.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "server/domain/deadlines.hpp"

namespace grievance::domain {
namespace {

std::string month_text(std::int32_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
  return buf;
}

std::string quarter_text(std::int32_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-Q%d", m / 12, m % 12 / 3 + 1);
  return buf;
}

bool is_recurrent_in(SliceId slice, CategorySet repeats) {
  if (kind_of(slice) != SliceKind::kCategories) return repeats != 0;
  return (repeats & (CategorySet{1} << static_cast<std::size_t>(-1 - slice))) != 0;
}

}  // namespace

SliceId category_slice(std::size_t category_index) {
  return -1 - static_cast<SliceId>(category_index);
}

SliceKind kind_of(SliceId s) {
  if (s == kEveryCase) return SliceKind::kEveryCase;
  if (s < 0 && s != kTriageSlice) return SliceKind::kCategories;
  return SliceKind::kCompanies;
}

std::int32_t month_number(Date d) {
  return static_cast<std::int32_t>(static_cast<int>(d.year()) * 12 +
                                   static_cast<int>(static_cast<unsigned>(d.month())) - 1);
}

std::int32_t month_number(TimePoint t) {
  return month_number(Date{std::chrono::floor<std::chrono::days>(t)});
}

std::vector<SliceId> rollup_slices(CategorySet categories,
                                   std::optional<std::int64_t> responsible_org_id) {
  std::vector<SliceId> out{kEveryCase};
  for (std::size_t i = 0; i < all_categories().size(); ++i) {
    if (categories & category_bit(all_categories()[i])) out.push_back(category_slice(i));
  }
  out.push_back(responsible_org_id ? *responsible_org_id : kTriageSlice);
  return out;
}

std::vector<SliceId> rollup_slices(const CaseFacts& f) {
  return rollup_slices(f.categories, f.responsible_org_id);
}

StatsCell rollup_contribution(const CaseFacts& f, CategorySet repeats, SliceId slice) {
  StatsCell c;
  c.add(f, is_recurrent_in(slice, repeats));
  return c;
}

CategorySet RepeatTracker::next(const CaseFacts& f) {
  if (!f.site_id) return 0;
  auto& last = last_[*f.site_id];
  CategorySet repeats = 0;
  for (std::size_t c = 0; c < last.size(); ++c) {
    if (!(f.categories & (CategorySet{1} << c))) continue;
    if (last[c] && f.filed_at - *last[c] <= std::chrono::days{kRecurrenceDays}) {
      repeats |= static_cast<CategorySet>(CategorySet{1} << c);
    }
    last[c] = f.filed_at;
  }
  return repeats;
}

void add_to_rollup(RollupCells& cells, const CaseFacts& f, CategorySet repeats) {
  const std::int32_t month = month_number(f.filed_at);
  for (SliceId s : rollup_slices(f)) cells[{s, month}].add(f, is_recurrent_in(s, repeats));
}

RollupCells rollup_of(const std::vector<CaseFacts>& facts) {
  RollupCells cells;
  RepeatTracker tracker;
  for (const CaseFacts& f : facts) add_to_rollup(cells, f, tracker.next(f));
  return cells;
}

// ---- answering from the rollup ---------------------------------------------------------------

std::optional<RollupScan> rollup_plan(const StatsQuery& q, TimePoint now) {
  if (q.scope_party_org_id || q.scope_union_org_id || q.company_org_id || q.site_id || q.sector ||
      !q.country.empty() || q.category || q.channel) {
    return std::nullopt;
  }
  RollupScan scan;
  int times = 0, slices = 0;
  for (StatsDimension d : q.group_by) {
    switch (d) {
      case StatsDimension::kMonth:
      case StatsDimension::kQuarter:
        ++times;
        break;
      case StatsDimension::kCategory:
        ++slices;
        scan.slices = SliceKind::kCategories;
        break;
      case StatsDimension::kCompany:
        ++slices;
        scan.slices = SliceKind::kCompanies;
        break;
      default:
        return std::nullopt;
    }
  }
  if (times > 1 || slices > 1) return std::nullopt;
  using std::chrono::days;
  using std::chrono::sys_days;
  if (q.from) {
    if (q.from->day() != std::chrono::day{1}) return std::nullopt;  // a whole month or none
    scan.first_month = month_number(*q.from);
  }
  if (q.to) {
    const Date today{std::chrono::floor<days>(now)};
    const bool month_end = Date{sys_days{*q.to} + days(1)}.day() == std::chrono::day{1};
    // Up to today covers every case filed so far, as the whole month would.
    if (!month_end && *q.to < today) return std::nullopt;
    scan.last_month = month_number(*q.to);
  }
  return scan;
}

struct RollupTable::State {
  StatsQuery query;
  RollupScan scan;
  struct Group {
    std::vector<GroupKey> keys;
    StatsCell cell;  // but its hours: gathered below, summed once in finish()
    std::array<std::vector<std::pair<std::int64_t, std::int64_t>>, kStepCount> hours;
    Tally overdue;
  };
  std::map<std::vector<std::string>, Group> groups;
  // The group of each (slice, month) once found: an overdue case or a cell finds its group
  // without making its keys' text again.
  std::map<std::pair<SliceId, std::int32_t>, Group*> found;

  Group& group(SliceId slice, std::int32_t month) {
    auto [at, fresh_cell] = found.try_emplace({slice, month}, nullptr);
    if (!fresh_cell) return *at->second;
    at->second = &group_of(slice, month);
    return *at->second;
  }

  Group& group_of(SliceId slice, std::int32_t month) {
    std::vector<std::string> values;
    values.reserve(query.group_by.size());
    for (StatsDimension d : query.group_by) {
      switch (d) {
        case StatsDimension::kMonth:
          values.push_back(month_text(month));
          break;
        case StatsDimension::kQuarter:
          values.push_back(quarter_text(month));
          break;
        case StatsDimension::kCategory:
          values.emplace_back(to_string(all_categories()[static_cast<std::size_t>(-1 - slice)]));
          break;
        default:  // kCompany (rollup_plan allows no other)
          values.push_back(slice == kTriageSlice ? std::string(kNoValue) : std::to_string(slice));
          break;
      }
    }
    auto [it, fresh] = groups.try_emplace(values);
    if (fresh) {
      for (std::size_t i = 0; i < values.size(); ++i) {
        it->second.keys.push_back(GroupKey{query.group_by[i], values[i]});
      }
    }
    return it->second;
  }
};

RollupTable::RollupTable(StatsQuery query, RollupScan scan)
    : state_(std::make_unique<State>(State{std::move(query), scan, {}, {}})) {}
RollupTable::~RollupTable() = default;
RollupTable::RollupTable(RollupTable&&) noexcept = default;
RollupTable& RollupTable::operator=(RollupTable&&) noexcept = default;

void RollupTable::add_cell(SliceId slice, std::int32_t month, const StatsCell& cell) {
  if (kind_of(slice) != state_->scan.slices || cell.registered.n == 0) return;
  State::Group& g = state_->group(slice, month);
  g.cell.merge(cell, 1, false);
  for (std::size_t i = 0; i < kStepCount; ++i) {
    g.hours[i].insert(g.hours[i].end(), cell.hours[i].begin(), cell.hours[i].end());
  }
}

void RollupTable::add_overdue(const OverdueCase& f) {
  State& s = *state_;
  const std::int32_t month = month_number(f.filed_at);
  if ((s.scan.first_month && month < *s.scan.first_month) ||
      (s.scan.last_month && month > *s.scan.last_month)) {
    return;
  }
  for (SliceId slice : rollup_slices(f.categories, f.responsible_org_id)) {
    if (kind_of(slice) == s.scan.slices) s.group(slice, month).overdue.add(f.cell_key);
  }
}

StatsTable RollupTable::finish(Protection protection, const DisclosureConfig& config) const {
  StatsTable table;
  table.protection = protection;
  table.k = config.k;
  table.group_by = state_->query.group_by;
  for (const auto& [values, g] : state_->groups) {
    if (g.cell.registered.n == 0) continue;  // only groups with cases, as StatsBuilder
    // Each step's histogram: the months' (hours, cases) pairs sorted and summed once, instead of
    // a tree insert per pair as they come.
    StepDays days;
    for (std::size_t i = 0; i < kStepCount; ++i) {
      auto pairs = g.hours[i];
      std::sort(pairs.begin(), pairs.end());
      std::map<std::int64_t, std::int64_t> histogram;
      for (const auto& [hours, cases] : pairs) {
        if (!histogram.empty() && histogram.rbegin()->first == hours) {
          histogram.rbegin()->second += cases;
        } else {
          histogram.emplace_hint(histogram.end(), hours, cases);
        }
      }
      days[i] = median_and_p90_days(histogram);
    }
    table.rows.push_back(publish_cell(g.keys, g.cell, days, g.overdue, protection, config));
  }
  sort_stats_rows(table.rows);
  return table;
}

}  // namespace grievance::domain
