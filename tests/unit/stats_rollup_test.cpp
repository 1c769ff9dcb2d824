// Rollups (docs/domain.md "Rollups"; server/domain/stats/rollup.hpp): a table answered from the
// cells kept per month and slice is the table StatsBuilder computes from every case's facts -
// for every query the rollup answers, exact and protected, on thousands of random cases with
// ties, recurrence, triage, pauses and overdue deadlines. And the rollup answers only what it
// can answer that way.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "server/domain/stats/rollup.hpp"
#include "server/domain/stats_service.hpp"

namespace grievance::domain {
namespace {

const TimePoint kRollupNow =
    TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 11 / 17)) + std::chrono::hours(15);

template <class T>
T pick(std::mt19937& rng, std::span<const T> from) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

// Cases over three years in filing order (ties at the same second included), ids increasing.
std::vector<CaseFacts> random_cases(int n, unsigned seed) {
  std::mt19937 rng(seed);
  const auto chance = [&rng](double p) { return std::bernoulli_distribution(p)(rng); };
  const auto upto = [&rng](std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(0, hi)(rng);
  };
  std::vector<CaseFacts> out;
  TimePoint t = kRollupNow - std::chrono::days(3 * 365);
  for (int i = 0; i < n; ++i) {
    if (!chance(0.05)) t += std::chrono::seconds(upto(2 * 3 * 365 * 86400 / n));
    t = std::min(t, kRollupNow - std::chrono::hours(1));  // nothing filed after the time of asking
    CaseFacts f;
    f.case_id = i + 1;
    f.cell_key = static_cast<std::uint32_t>(rng());
    f.filed_at = t;
    if (!chance(0.1)) f.site_id = 1 + upto(12);
    if (chance(0.8)) f.sector = Sector::kPalmOil;
    f.country = chance(0.5) ? "ID" : "VN";
    const auto categories = all_categories();
    f.categories = category_bit(pick(rng, categories));
    if (chance(0.3)) f.categories |= category_bit(pick(rng, categories));
    f.channel = static_cast<Channel>(upto(4));
    f.kind = static_cast<ComplainantKind>(upto(2));
    if (f.kind == ComplainantKind::kCollective) f.headcount = static_cast<int>(2 + upto(40));
    if (chance(0.85)) f.responsible_org_id = 100 + upto(6);
    if (chance(0.3)) f.buyer_org_ids = {200 + upto(3)};
    f.status = pick(rng, all_case_statuses());
    if (chance(0.5)) f.outcome = pick(rng, all_outcomes());
    f.deadlines = {t + std::chrono::days(upto(20)), t + std::chrono::days(upto(60)),
                   t + std::chrono::days(upto(120))};
    if (chance(0.1)) f.paused_since = t + std::chrono::days(3);
    if (chance(0.8)) f.ack_seconds = upto(14 * 86400);
    if (chance(0.6)) f.first_response_seconds = upto(40 * 86400);
    if (chance(0.5)) f.resolution_seconds = upto(150 * 86400);
    f.ack_breached = chance(0.2);
    f.ack_late = chance(0.1);
    f.settled_ever = chance(0.6);
    f.escalated = chance(0.1);
    f.appealed = chance(0.1);
    f.appeal_result = static_cast<AppealResult>(upto(2));
    f.reopened = chance(0.05);
    if (chance(0.4)) f.remedy_accepted = chance(0.7);
    if (chance(0.4)) f.satisfaction = static_cast<int>(1 + upto(4));
    f.actions_confirmed = static_cast<int>(upto(2));
    f.actions_disputed = chance(0.2) ? 1 : 0;
    f.follow_up_asked = chance(0.3);
    if (chance(0.2)) f.remedy_held = static_cast<RemedyHeld>(upto(2));
    f.retaliation_reports = chance(0.05) ? 1 : 0;
    out.push_back(std::move(f));
  }
  return out;
}

StatsQuery query(std::string from, std::string to, std::string group_by) {
  StatsRequest r;
  r.from = std::move(from);
  r.to = std::move(to);
  r.group_by = std::move(group_by);
  auto q = parse_stats_query(r);
  EXPECT_TRUE(q.has_value()) << r.from << " " << r.to << " " << r.group_by;
  return q.value_or(StatsQuery{});
}

StatsTable from_rollup(const StatsQuery& q, const std::vector<CaseFacts>& cases, Protection p) {
  const auto plan = rollup_plan(q, kRollupNow);
  EXPECT_TRUE(plan.has_value());
  RollupTable table(q, plan.value_or(RollupScan{}));
  for (const auto& [at, cell] : rollup_of(cases)) {
    const bool in = (!plan->first_month || at.second >= *plan->first_month) &&
                    (!plan->last_month || at.second <= *plan->last_month);
    if (in && kind_of(at.first) == plan->slices) table.add_cell(at.first, at.second, cell);
  }
  for (const CaseFacts& f : cases) {
    if (const auto due = overdue_from(f); due && *due < kRollupNow) {
      table.add_overdue(OverdueCase::of(f));
    }
  }
  return table.finish(p, DisclosureConfig{});
}

StatsTable from_facts(const StatsQuery& q, const std::vector<CaseFacts>& cases, Protection p) {
  StatsBuilder builder(q, kRollupNow);
  for (const CaseFacts& f : cases) builder.add(f);
  return builder.finish(p, DisclosureConfig{});
}

TEST(StatsRollup, AnswersEveryQueryItCanAsTheFactsDo) {
  const auto cases = random_cases(6000, 7);
  int rows = 0;
  for (const char* group_by :
       {"", "month", "quarter", "category", "company", "site", "month,category", "category,month",
        "quarter,company", "company,month", "site,month", "quarter,site", "site,quarter"}) {
    for (auto [from, to] :
         {std::pair{"", ""}, std::pair{"2025-12-01", "2026-11-17"},
          std::pair{"2025-01-01", "2025-06-30"}, std::pair{"2024-02-01", "2026-12-31"},
          std::pair{"", "2025-02-28"}, std::pair{"2026-03-01", ""}}) {
      const StatsQuery q = query(from, to, group_by);
      for (Protection p : {Protection::kExact, Protection::kProtected}) {
        const StatsTable expected = from_facts(q, cases, p);
        const StatsTable got = from_rollup(q, cases, p);
        ASSERT_EQ(got.rows.size(), expected.rows.size()) << group_by << " " << from << " " << to;
        for (std::size_t i = 0; i < got.rows.size(); ++i) {
          EXPECT_EQ(got.rows[i], expected.rows[i])
              << group_by << " " << from << " " << to << " row " << i;
        }
        EXPECT_EQ(got, expected);
        rows += static_cast<int>(got.rows.size());
      }
    }
  }
  EXPECT_GT(rows, 1000) << "the queries must have something to compare";
}

// A table by site or company (and month or quarter, either first) handed out as its cells come,
// in the order a store gives them (RollupScan::order, overdue cases first): the rows of the
// table the facts make, in order, the groups of no site or company last among their month's.
TEST(StatsRollup, ATableStreamedAsItsCellsComeIsTheTable) {
  const auto cases = random_cases(4000, 23);
  class Rows final : public StatsRowSink {
   public:
    explicit Rows(std::size_t stop_after) : stop_after_(stop_after) {}
    void begin(const StatsTable& head) override {
      ++begun;
      table.protection = head.protection;
      table.k = head.k;
      table.group_by = head.group_by;
    }
    bool row(StatsRow& row) override {
      table.rows.push_back(row);
      return table.rows.size() < stop_after_;
    }
    int begun = 0;
    StatsTable table;

   private:
    std::size_t stop_after_;
  };
  int none_rows = 0;
  for (const char* group_by : {"site", "site,month", "month,site", "quarter,site", "site,quarter",
                               "company", "company,month", "month,company", "quarter,company"}) {
    for (auto [from, to] : {std::pair{"", ""}, std::pair{"2025-01-01", "2025-09-30"}}) {
      const StatsQuery q = query(from, to, group_by);
      const auto plan = rollup_plan(q, kRollupNow);
      ASSERT_TRUE(plan) << group_by;
      for (Protection p : {Protection::kExact, Protection::kProtected}) {
        const StatsTable expected = from_facts(q, cases, p);
        ASSERT_GT(expected.rows.size(), 7u) << group_by;
        // The cells in the store's order.
        std::vector<std::pair<std::pair<SliceId, std::int32_t>, StatsCell>> cells;
        for (auto& [at, cell] : rollup_of(cases)) {
          const bool in = (!plan->first_month || at.second >= *plan->first_month) &&
                          (!plan->last_month || at.second <= *plan->last_month);
          if (in && kind_of(at.first) == plan->slices) cells.emplace_back(at, std::move(cell));
        }
        const auto time = [&plan](std::int32_t m) {
          return plan->order == RollupScan::Order::kQuarterSlice ? m / 3 : m;
        };
        if (plan->order != RollupScan::Order::kSliceMonth) {
          std::stable_sort(cells.begin(), cells.end(), [&time](const auto& a, const auto& b) {
            return std::make_tuple(time(a.first.second), a.first.first, a.first.second) <
                   std::make_tuple(time(b.first.second), b.first.first, b.first.second);
          });
        }
        for (std::size_t stop : {expected.rows.size() + 1, std::size_t{7}}) {
          RollupTable table(q, *plan);
          ASSERT_TRUE(table.streams()) << group_by;
          Rows rows(stop);
          table.stream_to(p, DisclosureConfig{}, rows);
          for (const CaseFacts& f : cases) {
            if (const auto due = overdue_from(f); due && *due < kRollupNow) {
              table.add_overdue(OverdueCase::of(f));
            }
          }
          for (const auto& [at, cell] : cells) table.add_cell(at.first, at.second, cell);
          table.end_stream();
          EXPECT_EQ(rows.begun, 1);
          if (stop > expected.rows.size()) {
            EXPECT_EQ(rows.table, expected) << group_by << " " << from;
          } else {
            ASSERT_EQ(rows.table.rows.size(), stop) << group_by << ": nothing after the stop";
            EXPECT_TRUE(
                std::equal(rows.table.rows.begin(), rows.table.rows.end(), expected.rows.begin()));
          }
        }
        for (const auto& row : expected.rows) {
          for (const auto& key : row.keys) none_rows += key.value == kNoValue;
        }
      }
    }
  }
  EXPECT_GT(none_rows, 20) << "groups of no site and no company must be among those compared";
  EXPECT_FALSE(RollupTable(query("", "", "month,category"),
                           *rollup_plan(query("", "", "month,category"), kRollupNow))
                   .streams())
      << "a category's slices do not come in the order of its rows";
}

TEST(StatsRollup, TheRecurrenceAndOverdueItKeepsAreThoseOfTheFacts) {
  const auto cases = random_cases(3000, 11);
  int repeats = 0, overdue = 0;
  RepeatTracker tracker;
  for (const CaseFacts& f : cases) {
    repeats += tracker.next(f) != 0;
    const auto due = overdue_from(f);
    EXPECT_EQ(due && *due < kRollupNow, is_overdue(f, kRollupNow)) << f.case_id;
    overdue += is_overdue(f, kRollupNow);
    // One second either side of the moment it becomes overdue.
    if (due) {
      EXPECT_FALSE(is_overdue(f, *due)) << f.case_id;
      EXPECT_TRUE(is_overdue(f, *due + std::chrono::seconds(1))) << f.case_id;
    }
  }
  EXPECT_GT(repeats, 100);
  EXPECT_GT(overdue, 100);
}

// docs/domain.md "Statistics": a query without a scope takes each case's repeats as the store
// keeps them (among every case) instead of finding them among the cases it reads, so it reads
// only its window. Both give the same table.
TEST(StatsRollup, StoredRepeatsGiveTheTableOfTheLookBack) {
  auto cases = random_cases(5000, 19);
  RepeatTracker tracker;
  for (CaseFacts& f : cases) f.repeats = tracker.next(f);
  int recurrent = 0;
  for (const char* group_by :
       {"", "site", "category", "site,category", "month,category", "status", "company,outcome"}) {
    for (auto [from, to] : {std::pair{"", ""}, std::pair{"2025-12-03", "2026-11-17"},
                            std::pair{"2025-01-01", "2025-06-30"}}) {
      const StatsQuery q = query(from, to, group_by);
      EXPECT_EQ(recurrence_for(q), Recurrence::kStoredRepeats);
      const FactsScan scan = facts_scan_for(q);
      EXPECT_EQ(scan.filed_from.has_value(), q.from.has_value());
      if (q.from) {
        EXPECT_EQ(*scan.filed_from, TimePoint(std::chrono::sys_days(*q.from)));
      }
      for (Protection p : {Protection::kExact, Protection::kProtected}) {
        const StatsTable expected = from_facts(q, cases, p);  // every case, looked back over
        StatsBuilder stored(q, kRollupNow, Recurrence::kStoredRepeats);
        for (const CaseFacts& f : cases) {
          if (scan.filed_from && f.filed_at < *scan.filed_from) continue;
          if (scan.filed_before && f.filed_at >= *scan.filed_before) continue;
          stored.add(f);
        }
        const StatsTable got = stored.finish(p, DisclosureConfig{});
        EXPECT_EQ(got, expected) << group_by << " " << from << " " << to;
        for (const StatsRow& r : got.rows) recurrent += r.recurrent_cases.value.value_or(0);
      }
    }
  }
  EXPECT_GT(recurrent, 1000) << "the tables must have repeats to compare";
  // A company's or a union's table counts only the repeats among the cases it may see: those
  // it reads, from a year before its window.
  StatsQuery scoped = query("2026-01-01", "", "month");
  scoped.scope_party_org_id = 100;
  EXPECT_EQ(recurrence_for(scoped), Recurrence::kAmongCasesGiven);
  EXPECT_EQ(*facts_scan_for(scoped).filed_from,
            TimePoint(std::chrono::sys_days(std::chrono::year(2025) / 1 / 1)));
  scoped.scope_party_org_id.reset();
  scoped.scope_union_org_id = 9;
  EXPECT_EQ(recurrence_for(scoped), Recurrence::kAmongCasesGiven);
}

// StatsService counts a question over every case on two threads, a builder each, and puts them
// together (StatsBuilder::merge): the table is the one builder's, whichever cases each got.
TEST(StatsRollup, BuildersFedOnSeveralThreadsMakeTheTableOfOne) {
  auto cases = random_cases(4000, 23);
  RepeatTracker tracker;
  for (CaseFacts& f : cases) f.repeats = tracker.next(f);
  std::mt19937 rng(29);
  int rows = 0;
  for (const char* group_by : {"", "site,category", "month,status", "category,company"}) {
    const StatsQuery q = query("2025-02-01", "", group_by);
    for (Protection p : {Protection::kExact, Protection::kProtected}) {
      StatsBuilder one(q, kRollupNow, Recurrence::kStoredRepeats);
      for (const CaseFacts& f : cases) one.add(f);
      const StatsTable expected = one.finish(p, DisclosureConfig{});
      // Three shares in a shuffled order, as threads take batches.
      std::vector<StatsBuilder> shares;
      for (int i = 0; i < 3; ++i) shares.emplace_back(q, kRollupNow, Recurrence::kStoredRepeats);
      auto shuffled = cases;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      for (std::size_t i = 0; i < shuffled.size(); ++i) shares[(i / 7) % 3].add(shuffled[i]);
      shares[0].merge(std::move(shares[1]));
      shares[0].merge(std::move(shares[2]));
      EXPECT_EQ(shares[0].finish(p, DisclosureConfig{}), expected) << group_by;
      rows += static_cast<int>(expected.rows.size());
    }
    // Among the cases given, the other builder's cases come after: two halves in order make the
    // table of one builder given them all in that order.
    StatsBuilder one(q, kRollupNow), first(q, kRollupNow), second(q, kRollupNow);
    for (std::size_t i = 0; i < cases.size(); ++i) {
      one.add(cases[i]);
      (i < cases.size() / 2 ? first : second).add(cases[i]);
    }
    first.merge(std::move(second));
    EXPECT_EQ(first.finish(Protection::kExact, DisclosureConfig{}),
              one.finish(Protection::kExact, DisclosureConfig{}))
        << group_by;
  }
  EXPECT_GT(rows, 500);
}

// A table of thousands of groups makes its rows on two threads (kRowsForTwoThreads, 4096):
// each row is the one the same builder makes when the query is filtered to its group alone,
// made on one thread, and the rows are in order.
TEST(StatsRollup, ATableOfManyGroupsIsTheRowsOfEachGroupAlone) {
  auto cases = random_cases(30000, 41);
  std::mt19937 rng(43);
  for (CaseFacts& f : cases) {
    if (f.site_id) f.site_id = 1 + std::uniform_int_distribution<std::int64_t>(0, 2999)(rng);
  }
  for (Recurrence recurrence : {Recurrence::kStoredRepeats, Recurrence::kAmongCasesGiven}) {
    RepeatTracker tracker;
    for (CaseFacts& f : cases) f.repeats = tracker.next(f);
    const StatsQuery q = query("", "", "site,month");
    StatsBuilder all(q, kRollupNow, recurrence);
    for (const CaseFacts& f : cases) all.add(f);
    const StatsTable table = all.finish(Protection::kExact, DisclosureConfig{});
    ASSERT_GT(table.rows.size(), 8000u);
    auto sorted = table.rows;
    sort_stats_rows(sorted);
    EXPECT_EQ(sorted, table.rows) << "in the order of their keys";
    // Rows from both halves, each against a builder that sees only its site (so also only
    // that site's earlier cases, as recurrence needs) and groups by month.
    for (std::size_t r = 0; r < table.rows.size(); r += table.rows.size() / 40) {
      const StatsRow& row = table.rows[r];
      if (row.keys[0].value == kNoValue) continue;
      StatsRequest alone;
      alone.site = row.keys[0].value;
      alone.group_by = "month";
      auto qa = parse_stats_query(alone);
      ASSERT_TRUE(qa.has_value());
      StatsBuilder one(*qa, kRollupNow, recurrence);
      for (const CaseFacts& f : cases) one.add(f);
      const StatsTable mine = one.finish(Protection::kExact, DisclosureConfig{});
      const auto it = std::find_if(mine.rows.begin(), mine.rows.end(), [&](const StatsRow& m) {
        return m.keys[0].value == row.keys[1].value;
      });
      ASSERT_NE(it, mine.rows.end()) << row.keys[0].value << " " << row.keys[1].value;
      StatsRow expected = *it;
      expected.keys = row.keys;
      EXPECT_EQ(row, expected) << row.keys[0].value << " " << row.keys[1].value;
    }
  }
}

// StatsBuilder::finish_rows hands out the rows finish() holds, in the same order (the groups
// sorted by each dimension's codes ranked by their texts, "none" and names included), in blocks
// made on a second thread for many groups; a sink that says stop gets no further row.
TEST(StatsRollup, RowsHandedOutOneAtATimeAreTheTableAndStopWhenTold) {
  auto cases = random_cases(20000, 47);
  std::mt19937 rng(49);
  for (CaseFacts& f : cases) {
    if (f.site_id) f.site_id = 1 + std::uniform_int_distribution<std::int64_t>(0, 2999)(rng);
  }
  class Rows final : public StatsRowSink {
   public:
    explicit Rows(std::size_t stop_after) : stop_after_(stop_after) {}
    void begin(const StatsTable& head) override {
      ++begun;
      table.protection = head.protection;
      table.k = head.k;
      table.group_by = head.group_by;
    }
    bool row(StatsRow& row) override {
      table.rows.push_back(row);
      return table.rows.size() < stop_after_;
    }
    int begun = 0;
    StatsTable table;

   private:
    std::size_t stop_after_;
  };
  for (const char* group_by : {"site,month", "outcome,site", "status,category", "country"}) {
    StatsBuilder builder(query("", "", group_by), kRollupNow, Recurrence::kStoredRepeats);
    for (const CaseFacts& f : cases) builder.add(f);
    const StatsTable whole = builder.finish(Protection::kExact, DisclosureConfig{});
    if (std::string_view(group_by) == "site,month") {
      ASSERT_GT(whole.rows.size(), 4096u) << "so many groups that the rows come in blocks";
    }
    auto sorted = whole.rows;
    sort_stats_rows(sorted);
    EXPECT_EQ(sorted, whole.rows) << group_by << ": in the order of their keys";
    Rows all(whole.rows.size() + 1);
    builder.finish_rows(Protection::kExact, DisclosureConfig{}, all);
    EXPECT_EQ(all.begun, 1);
    EXPECT_EQ(all.table, whole) << group_by;
    for (std::size_t stop : {std::size_t{1}, std::size_t{1500}, whole.rows.size() / 2}) {
      if (stop > whole.rows.size()) continue;
      Rows some(stop);
      builder.finish_rows(Protection::kExact, DisclosureConfig{}, some);
      ASSERT_EQ(some.table.rows.size(), stop) << group_by << ": nothing after the stop";
      EXPECT_TRUE(std::equal(some.table.rows.begin(), some.table.rows.end(), whole.rows.begin()));
    }
  }
}

// The builder takes each step's median and 90th percentile from the durations by selection;
// they are those of the durations' histogram (the rollup's), ties and even counts included.
TEST(StatsRollup, QuantilesOfTheDurationsAreThoseOfTheirHistogram) {
  std::mt19937 rng(5);
  std::vector<std::int64_t> none;
  EXPECT_FALSE(median_and_p90_days_of(none));
  for (int round = 0; round < 500; ++round) {
    const auto n = std::uniform_int_distribution<int>(1, 60)(rng);
    const auto spread = std::uniform_int_distribution<std::int64_t>(0, round % 2 ? 5 : 5000)(rng);
    std::vector<std::int64_t> hours;
    for (int i = 0; i < n; ++i) {
      hours.push_back(std::uniform_int_distribution<std::int64_t>(0, spread)(rng));
    }
    const auto expected = median_and_p90_days(histogram_of(hours));
    const auto got = median_and_p90_days_of(hours);
    ASSERT_TRUE(got && expected);
    EXPECT_DOUBLE_EQ(got->first, expected->first) << n;
    EXPECT_DOUBLE_EQ(got->second, expected->second) << n;
  }
}

TEST(StatsRollup, AnswersOnlyWhatItCanAnswerExactly) {
  EXPECT_TRUE(rollup_plan(query("", "", ""), kRollupNow));
  EXPECT_TRUE(rollup_plan(query("2026-01-01", "2026-11-17", "month,category"), kRollupNow))
      << "up to today is the whole month so far";
  EXPECT_TRUE(rollup_plan(query("2026-01-01", "2026-02-28", "quarter"), kRollupNow));
  EXPECT_FALSE(rollup_plan(query("2026-01-02", "", ""), kRollupNow)) << "not from a month's start";
  EXPECT_FALSE(rollup_plan(query("", "2026-02-27", ""), kRollupNow)) << "not to a month's end";
  EXPECT_TRUE(rollup_plan(query("", "", "site,month"), kRollupNow));
  EXPECT_FALSE(rollup_plan(query("", "", "status"), kRollupNow));
  EXPECT_FALSE(rollup_plan(query("", "", "category,company"), kRollupNow));
  EXPECT_FALSE(rollup_plan(query("", "", "site,category"), kRollupNow)) << "one slice at most";
  EXPECT_FALSE(rollup_plan(query("", "", "month,quarter"), kRollupNow));
  StatsQuery scoped = query("", "", "month");
  scoped.scope_party_org_id = 100;
  EXPECT_FALSE(rollup_plan(scoped, kRollupNow)) << "a company's recurrence is among its own cases";
  scoped = query("", "", "month");
  scoped.scope_union_org_id = 9;
  EXPECT_FALSE(rollup_plan(scoped, kRollupNow));
  StatsRequest filtered;
  filtered.country = "ID";
  EXPECT_FALSE(rollup_plan(*parse_stats_query(filtered), kRollupNow));
  filtered = {};
  filtered.channel = "web";
  EXPECT_FALSE(rollup_plan(*parse_stats_query(filtered), kRollupNow));
}

TEST(StatsRollup, ACellLessWhatWasAddedIsEmpty) {
  const auto cases = random_cases(200, 3);
  StatsCell cell, each;
  for (const CaseFacts& f : cases) {
    cell.add(f, f.case_id % 3 == 0);
    StatsCell one;
    one.add(f, f.case_id % 3 == 0);
    each.merge(one);
  }
  EXPECT_EQ(cell, each) << "adding a case is merging its contribution";
  for (const CaseFacts& f : cases) cell.merge(rollup_contribution(f, 0, kEveryCase), -1);
  EXPECT_FALSE(cell.empty()) << "the recurrent cases were not taken away";
  for (const CaseFacts& f : cases) {
    if (f.case_id % 3 == 0 && f.site_id) cell.recurrent[*f.site_id].n -= 1;
  }
  std::erase_if(cell.recurrent, [](const auto& e) { return e.second.n == 0; });
  EXPECT_TRUE(cell.recurrent.empty());
}

TEST(StatsRollup, DurationsAreWholeHoursAndTheirQuantilesComeFromTheHistogram) {
  EXPECT_FALSE(median_and_p90_days({}));
  // 10 cases: 1 h x 4, 24 h x 5, 240 h x 1: median (24 + 24) / 2 h, p90 the 9th value, 24 h.
  auto d = median_and_p90_days({{1, 4}, {24, 5}, {240, 1}});
  ASSERT_TRUE(d);
  EXPECT_DOUBLE_EQ(d->first, 1.0);
  EXPECT_DOUBLE_EQ(d->second, 1.0);
  // 4 cases: 2, 4, 6, 48 h: median (4 + 6) / 2 = 5 h; p90 rank ceil(3.6) = 4: 48 h = 2 days.
  d = median_and_p90_days({{2, 1}, {4, 1}, {6, 1}, {48, 1}});
  ASSERT_TRUE(d);
  EXPECT_DOUBLE_EQ(d->first, 5.0 / 24.0);
  EXPECT_DOUBLE_EQ(d->second, 2.0);
  // A duration of 3 h 59 min counts as 3 h.
  CaseFacts f;
  f.ack_seconds = 3 * 3600 + 59 * 60;
  StatsCell cell;
  cell.add(f, false);
  EXPECT_EQ(cell.hours[0], (std::map<std::int64_t, std::int64_t>{{3, 1}}));
}

}  // namespace
}  // namespace grievance::domain
