// Disclosure control (issue 11 item 2, "Tests that must exist";
// server/domain/stats/disclosure.hpp): planted groups of 1-4 cases never appear as exact counts to
// a protected reader; the same query always answers the same; the difference of two overlapping
// queries does not reveal a planted single case; the operator sees exact numbers; tables finer than
// the limit are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "server/domain/stats/stats.hpp"
#include "support/fakes.hpp"
#include "support/stats_cases.hpp"

namespace grievance::testing {
namespace {

const TimePoint kDisclosureNow = utc(2026, 12, 1, 0);

// A case with random but plausible facts: many small sub-counts in every table.
CaseFacts random_case(std::mt19937& rng, std::int64_t id, std::int64_t site, Sector sector) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  CaseFacts f;
  f.case_id = id;
  f.cell_key = static_cast<std::uint32_t>(rng());
  f.filed_at = utc(2026, 1, 1) + std::chrono::hours(pick(24 * 300));
  f.site_id = site;
  f.sector = sector;
  f.country = site % 2 == 0 ? "ID" : "VN";
  f.responsible_org_id = 100 + site % 3;
  f.categories = category_bit(all_categories()[static_cast<std::size_t>(pick(4))]);
  f.channel = static_cast<Channel>(pick(5));
  f.kind = static_cast<ComplainantKind>(pick(3));
  if (f.kind == ComplainantKind::kCollective) f.headcount = 2 + pick(40);
  const auto statuses = all_case_statuses();
  f.status = statuses[static_cast<std::size_t>(pick(static_cast<int>(statuses.size())))];
  if (f.status == CaseStatus::kClosed)
    f.outcome = all_outcomes()[static_cast<std::size_t>(pick(5))];
  f.deadlines = Deadlines{f.filed_at + std::chrono::days(7), f.filed_at + std::chrono::days(30),
                          f.filed_at + std::chrono::days(90)};
  if (pick(4) > 0) f.ack_seconds = pick(12 * 86400);
  f.ack_breached = pick(5) == 0;
  f.ack_late = f.ack_breached && f.ack_seconds;
  if (pick(2) == 0) f.first_response_seconds = pick(40 * 86400);
  if (pick(2) == 0) f.resolution_seconds = pick(120 * 86400);
  f.escalated = pick(8) == 0;
  f.appealed = pick(8) == 0;
  f.appeal_result = static_cast<AppealResult>(pick(3));
  if (pick(3) == 0) {
    f.remedy_accepted = pick(2) == 0;
    f.satisfaction = 1 + pick(5);
  }
  f.actions_confirmed = pick(4) == 0 ? 1 : 0;
  f.actions_disputed = pick(6) == 0 ? 1 : 0;
  f.follow_up_asked = pick(4) == 0;
  if (f.follow_up_asked && pick(2) == 0) f.remedy_held = static_cast<RemedyHeld>(pick(3));
  f.retaliation_reports = pick(10) == 0 ? 1 : 0;
  f.settled_ever = !is_open(f.status);
  f.reopened = pick(10) == 0;
  return f;
}

// 300 cases at six big sites, and planted groups: sites 101..104 with 1, 2, 3 and 4 cases.
std::vector<CaseFacts> population(unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<CaseFacts> out;
  std::int64_t id = 0;
  for (int i = 0; i < 300; ++i) {
    const std::int64_t site = 1 + i % 6;
    out.push_back(random_case(rng, ++id, site, site <= 3 ? Sector::kPalmOil : Sector::kTextile));
  }
  for (std::int64_t planted = 1; planted <= 4; ++planted) {
    for (std::int64_t i = 0; i < planted; ++i) {
      CaseFacts f = random_case(rng, ++id, 100 + planted, Sector::kCocoa);
      f.country = "CI";
      f.responsible_org_id = 200 + planted;
      out.push_back(f);
    }
  }
  return out;
}

StatsQuery query(std::string group_by, StatsRequest r = {}) {
  r.group_by = std::move(group_by);
  auto q = parse_stats_query(r);
  EXPECT_TRUE(q) << q.error().message;
  return *q;
}

std::string key_of(const StatsRow& r) {
  std::string s;
  for (const auto& k : r.keys) s += k.value + "/";
  return s;
}

std::map<std::string, std::int64_t> exact_counts(const StatsRow& r) {
  std::map<std::string, std::int64_t> out;
  for_each_count(r, [&](const std::string& name, const Count& c) { out[name] = *c.value; });
  return out;
}

const char* const kGroupings[] = {
    "",       "site",    "company", "sector",        "country",       "category", "channel",
    "status", "outcome", "quarter", "site,category", "company,month", "month",    "sector,status"};

TEST(StatsDisclosure, PlantedGroupsOfOneToFourCasesNeverAppearAsExactCounts) {
  const DisclosureConfig config;  // k = 5
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const auto facts = population(seed);
    for (const char* grouping : kGroupings) {
      const auto q = query(grouping);
      const auto exact = compute_stats(q, facts, kDisclosureNow, Protection::kExact, config);
      const auto shown = compute_stats(q, facts, kDisclosureNow, Protection::kProtected, config);
      ASSERT_TRUE(exact && shown) << grouping;
      ASSERT_EQ(exact->rows.size(), shown->rows.size());
      for (std::size_t i = 0; i < exact->rows.size(); ++i) {
        const StatsRow& e = exact->rows[i];
        const StatsRow& p = shown->rows[i];
        ASSERT_EQ(key_of(e), key_of(p));
        const auto truth = exact_counts(e);
        for_each_count(p, [&](const std::string& name, const Count& c) {
          const std::int64_t n = truth.at(name);
          if (n >= 1 && n < config.k) {
            EXPECT_TRUE(c.fewer_than_k())
                << grouping << " " << key_of(p) << name << ": " << n << " shown as " << *c.value;
          }
        });
        if (*e.registered.value < config.k) {
          // A row of fewer than k cases says nothing else.
          EXPECT_TRUE(p.registered.fewer_than_k());
          EXPECT_FALSE(p.ack_in_time_share || p.to_resolution.median_days || p.satisfaction_mean ||
                       p.collective_headcount || p.reopen_rate);
        }
      }
    }
    // The planted sites by name: "fewer than 5", never 1, 2, 3 or 4.
    const auto by_site =
        compute_stats(query("site"), facts, kDisclosureNow, Protection::kProtected, config);
    for (const StatsRow& r : by_site->rows) {
      if (r.keys[0].value.size() == 3) {
        EXPECT_TRUE(r.registered.fewer_than_k()) << key_of(r);
      }
    }
  }
}

TEST(StatsDisclosure, TheSameQueryAlwaysGivesTheSameAnswer) {
  auto facts = population(7);
  const auto q = query("site,category");
  const auto first = compute_stats(q, facts, kDisclosureNow, Protection::kProtected);
  ASSERT_TRUE(first);
  EXPECT_EQ(*compute_stats(q, facts, kDisclosureNow, Protection::kProtected), *first);
  // Stored in another order (a rebuild, another index), the same cases answer the same.
  std::shuffle(facts.begin(), facts.end(), std::mt19937(99));
  EXPECT_EQ(*compute_stats(q, facts, kDisclosureNow, Protection::kProtected), *first);
  // And the perturbation is there: some protected count differs from the exact one.
  const auto exact = compute_stats(q, facts, kDisclosureNow, Protection::kExact);
  EXPECT_NE(exact->rows, first->rows);
}

TEST(StatsDisclosure, DifferencingTwoOverlappingQueriesDoesNotRevealAPlantedCase) {
  // 40 palm oil cases, and one case at a cocoa site. "All sectors" minus "palm oil" is that
  // one case; published, the difference must be noise, not always 1.
  std::map<std::int64_t, int> registered_differences, retaliation_differences;
  const int kTrials = 2000;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::mt19937 rng(static_cast<unsigned>(trial) + 1000);
    std::vector<CaseFacts> facts;
    for (int i = 0; i < 40; ++i) {
      CaseFacts f = random_case(rng, i + 1, 1 + i % 3, Sector::kPalmOil);
      f.retaliation_reports = i < 8 ? 1 : 0;
      facts.push_back(f);
    }
    CaseFacts planted = random_case(rng, 41, 9, Sector::kCocoa);
    planted.retaliation_reports = 1;
    facts.push_back(planted);

    const auto all = compute_stats(query(""), facts, kDisclosureNow, Protection::kProtected);
    const auto palm = compute_stats(query("", {.sector = "palm_oil"}), facts, kDisclosureNow,
                                    Protection::kProtected);
    ASSERT_TRUE(all && palm);
    registered_differences[*all->rows[0].registered.value - *palm->rows[0].registered.value]++;
    retaliation_differences[*all->rows[0].retaliation_reported.value -
                            *palm->rows[0].retaliation_reported.value]++;

    // The operator sees the case exactly.
    const auto exact_all = compute_stats(query(""), facts, kDisclosureNow, Protection::kExact);
    const auto exact_palm =
        compute_stats(query("", {.sector = "palm_oil"}), facts, kDisclosureNow, Protection::kExact);
    ASSERT_EQ(*exact_all->rows[0].registered.value - *exact_palm->rows[0].registered.value, 1);
  }
  for (auto* differences : {&registered_differences, &retaliation_differences}) {
    // The difference takes several values (1 + noise - noise: -3..5 possible)...
    EXPECT_GE(differences->size(), 5u);
    // ...and "exactly one more" is not the usual answer: with both noises from the >= 3 row,
    // P(equal noises) = (1 + 4 + 36 + 4 + 1) / 144 = 0.32.
    const double ones = static_cast<double>((*differences)[1]) / kTrials;
    EXPECT_GT(ones, 0.25);
    EXPECT_LT(ones, 0.40);
    // Differences of 0 or less - "no case there" - are common too.
    int not_positive = 0;
    for (const auto& [d, count] : *differences) {
      if (d <= 0) not_positive += count;
    }
    EXPECT_GT(not_positive, kTrials / 5);
  }
}

TEST(StatsDisclosure, TheOperatorAndAnOrganisationOverItsOwnCasesSeeExactNumbers) {
  const auto facts = population(3);
  const auto by_site = compute_stats(query("site"), facts, kDisclosureNow, Protection::kExact);
  ASSERT_TRUE(by_site);
  std::map<std::string, std::int64_t> planted;
  for (const StatsRow& r : by_site->rows) {
    if (r.keys[0].value.size() == 3) planted[r.keys[0].value] = *r.registered.value;
    if (r.keys[0].value.size() == 1) {
      EXPECT_EQ(*r.registered.value, 50);
    }
  }
  EXPECT_EQ(planted,
            (std::map<std::string, std::int64_t>{{"101", 1}, {"102", 2}, {"103", 3}, {"104", 4}}));
  // Site x month is refused to a protected reader, not to the operator.
  EXPECT_TRUE(compute_stats(query("site,month"), facts, kDisclosureNow, Protection::kExact));
}

TEST(StatsDisclosure, TablesFinerThanTheLimitAreRefused) {
  const auto facts = population(5);
  const auto refused = [&](StatsQuery q, DisclosureConfig config = {}) {
    auto t = compute_stats(q, facts, kDisclosureNow, Protection::kProtected, config);
    if (t) return std::string();
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidField);
    return t.error().field;
  };
  EXPECT_EQ(refused(query("site,month")), "group_by");
  EXPECT_EQ(refused(query("site,company")), "group_by");
  EXPECT_EQ(refused(query("month", {.site = "1"})), "group_by") << "one site by month";
  EXPECT_EQ(refused(query("site", {.from = "2026-03-01", .to = "2026-03-31"})), "group_by")
      << "one month by site";
  EXPECT_EQ(refused(query("site", {.from = "2026-11-15"})), "group_by") << "up to now";
  EXPECT_EQ(refused(query("site")), "");
  EXPECT_EQ(refused(query("site,category")), "");
  EXPECT_EQ(refused(query("company,month")), "");
  EXPECT_EQ(refused(query("site", {.from = "2026-01-01", .to = "2026-06-30"})), "");
  EXPECT_EQ(refused(query("site,month"), DisclosureConfig{5, 3}), "") << "a configured limit";
  EXPECT_EQ(refused(query("company"), DisclosureConfig{5, 0}), "group_by");
}

TEST(StatsDisclosure, FewerThanKIsNotANumberAndKIsConfigurable) {
  Tally t;
  for (std::uint32_t key : {11u, 22u, 33u, 44u, 55u, 66u, 77u}) t.add(key);
  EXPECT_EQ(t.n, 7);
  EXPECT_EQ(t.key, 11u + 22u + 33u + 44u + 55u + 66u + 77u);
  EXPECT_EQ(publish(t, Protection::kExact, {}), Count::of(7));
  EXPECT_TRUE(publish(t, Protection::kProtected, DisclosureConfig{10, 2}).fewer_than_k());
  EXPECT_FALSE(Count::fewer().value.has_value());
  EXPECT_EQ(publish(Tally{}, Protection::kProtected, {}), Count::of(0)) << "empty names no one";
  // Keys add modulo 2^32.
  Tally wrap;
  wrap.add(0xffffffffu);
  wrap.add(2u);
  EXPECT_EQ(wrap.key, 1u);
}

TEST(StatsDisclosure, ThePublishedTableHasItsDocumentedParameters) {
  for (std::size_t row = 0; row < kPTable.size(); ++row) {
    double sum = 0, squares = 0;
    for (int v : kPTable[row]) {
      EXPECT_LE(std::abs(v), kMaxNoise);
      EXPECT_GT(static_cast<int>(row) + 1 + v, 0) << "a non-empty cell never looks empty";
      sum += v;
      squares += v * v;
    }
    const double mean = sum / kPTableColumns;
    if (row == 2) {
      EXPECT_DOUBLE_EQ(mean, 0.0);
      EXPECT_DOUBLE_EQ(squares / kPTableColumns - mean * mean, 1.0);
    }
  }
  EXPECT_DOUBLE_EQ(std::accumulate(kPTable[0].begin(), kPTable[0].end(), 0.0) / 12, 2.0 / 3);
  EXPECT_DOUBLE_EQ(std::accumulate(kPTable[1].begin(), kPTable[1].end(), 0.0) / 12, 1.0 / 12);
  // The key picks a column by its place in [0, 2^32): twelve equal slices.
  const std::uint64_t slice = (std::uint64_t{1} << 32) / kPTableColumns;
  for (int c = 0; c < kPTableColumns; ++c) {
    const auto key = static_cast<std::uint32_t>(slice * static_cast<std::uint64_t>(c) + slice / 2);
    EXPECT_EQ(cell_noise(1000, key), kPTable[2][static_cast<std::size_t>(c)]);
    EXPECT_EQ(cell_noise(1, key), kPTable[0][static_cast<std::size_t>(c)]);
  }
  EXPECT_EQ(cell_noise(0, 12345u), 0);
}

TEST(StatsDisclosure, DerivedFiguresComeOnlyFromCellsThatPass) {
  std::mt19937 rng(4);
  std::vector<CaseFacts> facts;
  for (int i = 0; i < 30; ++i) {
    CaseFacts f = random_case(rng, i + 1, 1, Sector::kPalmOil);
    f.kind = i < 3 ? ComplainantKind::kCollective : ComplainantKind::kIndividual;
    f.headcount = i < 3 ? 11 : 0;
    f.satisfaction.reset();
    if (i < 2) f.satisfaction = 5;  // two scores: fewer than k
    f.resolution_seconds.reset();
    if (i < 4) f.resolution_seconds = 86400 * (i + 1);  // four decisions: fewer than k
    f.ack_seconds = 86400 * (i % 7) + 3600;
    f.ack_breached = false;
    f.ack_late = false;
    facts.push_back(f);
  }
  const auto shown = compute_stats(query(""), facts, kDisclosureNow, Protection::kProtected);
  const StatsRow& p = shown->rows.at(0);
  EXPECT_FALSE(p.registered.fewer_than_k());
  EXPECT_FALSE(p.satisfaction_mean) << "two scores";
  EXPECT_FALSE(p.to_resolution.median_days) << "four decisions";
  EXPECT_FALSE(p.collective_headcount) << "three collective complaints";
  ASSERT_TRUE(p.to_acknowledgement.median_days);
  EXPECT_EQ(*p.to_acknowledgement.median_days, std::round(*p.to_acknowledgement.median_days))
      << "whole days when protected";
  ASSERT_TRUE(p.ack_in_time_share);
  EXPECT_DOUBLE_EQ(*p.ack_in_time_share,
                   static_cast<double>(*p.ack_in_time.value) / *p.ack_decided.value)
      << "the share of the published counts, not of the true ones";

  const auto exact = compute_stats(query(""), facts, kDisclosureNow, Protection::kExact);
  const StatsRow& e = exact->rows.at(0);
  EXPECT_EQ(e.satisfaction_mean, 5.0);
  EXPECT_EQ(e.to_resolution.median_days, 2.5);
  EXPECT_EQ(e.collective_headcount, 33);
}

TEST(StatsDisclosure, ARowOfFewerThanKCasesWithholdsEveryFigure) {
  // Six cases, five of them open: if "registered" is perturbed below k while "open" (another
  // cell, another key) is not, showing "open: 6" would say the row has at least five cases.
  // Find such keys, then check the row says nothing but "fewer than k".
  std::mt19937 rng(8);
  for (int attempt = 0; attempt < 10000; ++attempt) {
    std::vector<CaseFacts> facts;
    Tally all, open;
    for (int i = 0; i < 6; ++i) {
      CaseFacts f = random_case(rng, i + 1, 1, Sector::kPalmOil);
      f.status = i < 5 ? CaseStatus::kInDialogue : CaseStatus::kClosed;
      all.add(f.cell_key);
      if (i < 5) open.add(f.cell_key);
      facts.push_back(f);
    }
    if (!publish(all, Protection::kProtected, {}).fewer_than_k() ||
        publish(open, Protection::kProtected, {}).fewer_than_k()) {
      continue;
    }
    const auto shown = compute_stats(query(""), facts, kDisclosureNow, Protection::kProtected);
    const StatsRow& r = shown->rows.at(0);
    EXPECT_TRUE(r.registered.fewer_than_k());
    EXPECT_TRUE(r.open.fewer_than_k()) << "open shown as " << *r.open.value;
    for_each_count(
        r, [](const std::string& name, const Count& c) { EXPECT_TRUE(c.fewer_than_k()) << name; });
    return;
  }
  FAIL() << "no such keys found";
}

TEST(StatsDisclosure, ACaseKeyIsDrawnFromTheRandomSource) {
  SeededRandom a(1), b(1), c(2);
  const std::uint32_t first = draw_cell_key(a);
  EXPECT_EQ(draw_cell_key(b), first);
  EXPECT_NE(draw_cell_key(c), first);
}

}  // namespace
}  // namespace grievance::testing
