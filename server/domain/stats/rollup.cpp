#include "server/domain/stats/rollup.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
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

SliceId site_slice(std::optional<std::int64_t> site_id) {
  return kSiteSlices + site_id.value_or(0);
}

SliceKind kind_of(SliceId s) {
  if (s == kEveryCase) return SliceKind::kEveryCase;
  if (s < kLastSiteSlice) return SliceKind::kSites;
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
                                   std::optional<std::int64_t> responsible_org_id,
                                   std::optional<std::int64_t> site_id) {
  std::vector<SliceId> out{kEveryCase};
  for (std::size_t i = 0; i < all_categories().size(); ++i) {
    if (categories & category_bit(all_categories()[i])) out.push_back(category_slice(i));
  }
  out.push_back(responsible_org_id ? *responsible_org_id : kTriageSlice);
  out.push_back(site_slice(site_id));
  return out;
}

std::vector<SliceId> rollup_slices(const CaseFacts& f) {
  return rollup_slices(f.categories, f.responsible_org_id, f.site_id);
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
      case StatsDimension::kSite:
        ++slices;
        scan.slices = SliceKind::kSites;
        break;
      default:
        return std::nullopt;
    }
  }
  if (times > 1 || slices > 1) return std::nullopt;
  if (times == 1 && slices == 1) {
    if (q.group_by[0] == StatsDimension::kMonth) scan.order = RollupScan::Order::kMonthSlice;
    if (q.group_by[0] == StatsDimension::kQuarter) scan.order = RollupScan::Order::kQuarterSlice;
  }
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

HoursRuns hours_runs(const StatsCell& cell) {
  HoursRuns out;
  for (std::size_t i = 0; i < kStepCount; ++i) {
    out[i].assign(cell.hours[i].begin(), cell.hours[i].end());
  }
  return out;
}

struct RollupTable::State {
  StatsQuery query;
  RollupScan scan;
  bool by_month = false, by_quarter = false;
  struct Group {
    SliceId slice = kEveryCase;     // kEveryCase when the table is not grouped by a slice
    std::int32_t first_month = -1;  // of the group's month or quarter; -1: not grouped by time
    StatsCell cell;                 // but its hours: merged below as the cells come
    HoursRuns hours;                // each step's (hours, cases), ascending, an hour possibly twice
    Tally overdue;
  };
  // A deque: fifty thousand groups of a kilobyte each are blocks the heap already holds, not a
  // vector's fresh pages, moved at every doubling (a third of the time of a table by site and
  // month, measured).
  std::deque<Group> groups;
  // The group of each (slice, first month) once made. Cells come in (slice, month) order, so a
  // quarter's second and third months find theirs at `last`.
  std::unordered_map<std::int64_t, Group*> index;
  std::optional<std::pair<std::int64_t, Group*>> last;

  // Streaming (stream_to): the group the cells go to now; the groups of no site or company,
  // handed out last; the overdue tallies by group number, added before any cell.
  StatsRowSink* sink = nullptr;
  Protection protection = Protection::kExact;
  DisclosureConfig config;
  std::optional<std::pair<std::int64_t, Group>> current;
  std::vector<Group> held;
  std::unordered_map<std::int64_t, Tally> overdue_of;
  bool stopped = false;

  std::int64_t first_month_of(std::int32_t month) const {
    return by_month ? month : by_quarter ? month - month % 3 : -1;
  }

  // A group's number from its slice and first month: slices are below 2^41 in magnitude, first
  // months below 2^20 (year 87,000), so the two fit in 62 bits.
  static std::int64_t number_of(SliceId slice, std::int32_t first_month) {
    return slice * (std::int64_t{1} << 21) + (first_month + 1);
  }

  Group& group(SliceId slice, std::int32_t month) {
    if (scan.slices == SliceKind::kEveryCase) slice = kEveryCase;
    const auto first_month = static_cast<std::int32_t>(first_month_of(month));
    const std::int64_t number = number_of(slice, first_month);
    if (last && last->first == number) return *last->second;
    auto [at, fresh] = index.try_emplace(number, nullptr);
    if (fresh) {
      Group& g = groups.emplace_back();
      g.slice = slice;
      g.first_month = first_month;
      at->second = &g;
    }
    last = {number, at->second};
    return *at->second;
  }

  // A finished group's row to the sink (none when it has no case).
  void hand_out(const Group& g) {
    if (stopped || g.cell.registered.n == 0) return;
    StepDays days;
    for (std::size_t i = 0; i < kStepCount; ++i) days[i] = median_and_p90_days_of_runs(g.hours[i]);
    StatsRow row = publish_cell(keys_of(g), g.cell, days, g.overdue, protection, config);
    stopped = !sink->row(row);
  }

  // The current group is complete: out now, or held when it has no site or company (its key
  // "none" sorts after every id): until the last group of its month or quarter when the table
  // is grouped by time first, else until the end.
  void close_current() {
    if (!current) return;
    Group& g = current->second;
    if (g.slice == kSiteSlices || g.slice == kTriageSlice) {
      held.push_back(std::move(g));
    } else {
      hand_out(g);
    }
    current.reset();
  }
  void hand_out_held() {
    for (const Group& g : held) hand_out(g);
    held.clear();
  }

  std::vector<GroupKey> keys_of(const Group& g) const {
    std::vector<GroupKey> keys;
    keys.reserve(query.group_by.size());
    for (StatsDimension d : query.group_by) {
      std::string value;
      switch (d) {
        case StatsDimension::kMonth:
          value = month_text(g.first_month);
          break;
        case StatsDimension::kQuarter:
          value = quarter_text(g.first_month);
          break;
        case StatsDimension::kCategory:
          value = to_string(all_categories()[static_cast<std::size_t>(-1 - g.slice)]);
          break;
        case StatsDimension::kSite:
          value = g.slice == kSiteSlices ? std::string(kNoValue)
                                         : std::to_string(g.slice - kSiteSlices);
          break;
        default:  // kCompany (rollup_plan allows no other)
          value = g.slice == kTriageSlice ? std::string(kNoValue) : std::to_string(g.slice);
          break;
      }
      keys.push_back(GroupKey{d, std::move(value)});
    }
    return keys;
  }
};

RollupTable::RollupTable(StatsQuery query, RollupScan scan) : state_(std::make_unique<State>()) {
  state_->query = std::move(query);
  state_->scan = scan;
  for (StatsDimension d : state_->query.group_by) {
    state_->by_month = state_->by_month || d == StatsDimension::kMonth;
    state_->by_quarter = state_->by_quarter || d == StatsDimension::kQuarter;
  }
}
RollupTable::~RollupTable() = default;
RollupTable::RollupTable(RollupTable&&) noexcept = default;
RollupTable& RollupTable::operator=(RollupTable&&) noexcept = default;

void RollupTable::add_cell(SliceId slice, std::int32_t month, const StatsCell& cell) {
  add_cell(slice, month, cell, hours_runs(cell));
}

void RollupTable::add_cell(SliceId slice, std::int32_t month, const StatsCell& cell,
                           const HoursRuns& hours) {
  State& s = *state_;
  if (kind_of(slice) != s.scan.slices || cell.registered.n == 0) return;
  State::Group* at = nullptr;
  if (s.sink) {
    const auto first_month = static_cast<std::int32_t>(s.first_month_of(month));
    const std::int64_t number = State::number_of(slice, first_month);
    if (!s.current || s.current->first != number) {
      s.close_current();
      if (s.scan.order != RollupScan::Order::kSliceMonth && !s.held.empty() &&
          s.held.back().first_month != first_month) {
        s.hand_out_held();  // the month (quarter) before is over: its group of none goes now
      }
      State::Group& g = s.current.emplace(number, State::Group{}).second;
      g.slice = slice;
      g.first_month = first_month;
      if (auto it = s.overdue_of.find(number); it != s.overdue_of.end()) g.overdue = it->second;
    }
    at = &s.current->second;
  } else {
    at = &s.group(slice, month);
  }
  State::Group& g = *at;
  g.cell.merge(cell, 1, false);
  for (std::size_t i = 0; i < kStepCount; ++i) {
    // Both ascending: merged in place, so the group's runs stay one ascending run.
    auto& into = g.hours[i];
    if (hours[i].empty()) continue;
    const bool in_order = into.empty() || into.back().first <= hours[i].front().first;
    const auto middle = static_cast<std::ptrdiff_t>(into.size());
    into.insert(into.end(), hours[i].begin(), hours[i].end());
    if (!in_order) std::inplace_merge(into.begin(), into.begin() + middle, into.end());
  }
}

void RollupTable::add_overdue(const OverdueCase& f) {
  State& s = *state_;
  const std::int32_t month = month_number(f.filed_at);
  if ((s.scan.first_month && month < *s.scan.first_month) ||
      (s.scan.last_month && month > *s.scan.last_month)) {
    return;
  }
  if (s.sink) {  // streams(): a site's or a company's slice
    const SliceId slice = s.scan.slices == SliceKind::kSites
                              ? site_slice(f.site_id)
                              : f.responsible_org_id.value_or(kTriageSlice);
    s.overdue_of[State::number_of(slice, static_cast<std::int32_t>(s.first_month_of(month)))].add(
        f.cell_key);
    return;
  }
  // The case's slices of the table's kind only (rollup_slices' of that kind).
  switch (s.scan.slices) {
    case SliceKind::kEveryCase:
      s.group(kEveryCase, month).overdue.add(f.cell_key);
      break;
    case SliceKind::kCategories:
      for (std::size_t i = 0; i < all_categories().size(); ++i) {
        if (f.categories & category_bit(all_categories()[i])) {
          s.group(category_slice(i), month).overdue.add(f.cell_key);
        }
      }
      break;
    case SliceKind::kCompanies:
      s.group(f.responsible_org_id.value_or(kTriageSlice), month).overdue.add(f.cell_key);
      break;
    case SliceKind::kSites:
      s.group(site_slice(f.site_id), month).overdue.add(f.cell_key);
      break;
  }
}

void RollupTable::finish_rows(Protection protection, const DisclosureConfig& config,
                              StatsRowSink& sink) const {
  const State& s = *state_;
  StatsTable head;
  head.protection = protection;
  head.k = config.k;
  head.group_by = s.query.group_by;
  sink.begin(head);
  // Only groups with cases, as StatsBuilder, in the order of their keys (sort_stats_rows').
  struct Entry {
    std::vector<GroupKey> keys;
    const State::Group* group;
  };
  std::vector<Entry> order;
  order.reserve(s.groups.size());
  for (const State::Group& g : s.groups) {
    if (g.cell.registered.n != 0) order.push_back(Entry{s.keys_of(g), &g});
  }
  std::sort(order.begin(), order.end(),
            [](const Entry& a, const Entry& b) { return keys_less(a.keys, b.keys); });
  for (Entry& e : order) {
    StepDays days;
    for (std::size_t i = 0; i < kStepCount; ++i) {
      days[i] = median_and_p90_days_of_runs(e.group->hours[i]);
    }
    StatsRow row =
        publish_cell(std::move(e.keys), e.group->cell, days, e.group->overdue, protection, config);
    if (!sink.row(row)) return;
  }
}

bool RollupTable::streams() const {
  // rollup_plan allows one slice and one time dimension at most, in any order; the rows of a
  // site or a company come in their keys' order, a category's do not (slice -1 - i).
  return state_->scan.slices == SliceKind::kSites || state_->scan.slices == SliceKind::kCompanies;
}

void RollupTable::stream_to(Protection protection, const DisclosureConfig& config,
                            StatsRowSink& sink) {
  State& s = *state_;
  s.sink = &sink;
  s.protection = protection;
  s.config = config;
  StatsTable head;
  head.protection = protection;
  head.k = config.k;
  head.group_by = s.query.group_by;
  sink.begin(head);
}

void RollupTable::end_stream() {
  State& s = *state_;
  s.close_current();
  s.hand_out_held();
}

StatsTable RollupTable::finish(Protection protection, const DisclosureConfig& config) const {
  class Collect final : public StatsRowSink {
   public:
    void begin(const StatsTable& head) override { table = head; }
    bool row(StatsRow& row) override {
      table.rows.push_back(std::move(row));
      return true;
    }
    StatsTable table;
  } collect;
  finish_rows(protection, config, collect);
  return std::move(collect.table);
}

}  // namespace grievance::domain
