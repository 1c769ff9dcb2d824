// The case-level export's rows (issue 11 item 3; docs/domain.md "Statistics"): the operator gets
// every case as it is; the auditor gets every row's quasi-identifiers (site, month, categories)
// shared by at least k cases of the export, coarsened step by step until they are, and a case
// that nothing can hide is left out. No row carries anything but codes, ids and numbers.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "server/domain/stats/case_export.hpp"

namespace grievance::domain {
namespace {

TimePoint day(int y, unsigned m, unsigned d) {
  return TimePoint(std::chrono::sys_days(
      Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}));
}

CaseFacts facts(std::int64_t id, std::int64_t site, TimePoint filed, CategorySet categories) {
  CaseFacts f;
  f.case_id = id;
  f.cell_key = static_cast<std::uint32_t>(id * 2654435761u);
  f.filed_at = filed;
  f.site_id = site;
  f.sector = Sector::kPalmOil;
  f.country = "ID";
  f.categories = categories;
  f.responsible_org_id = 7;
  f.status = CaseStatus::kClosed;
  f.outcome = Outcome::kUnfounded;
  f.ack_seconds = 2 * 86400 + 3600;
  f.resolution_seconds = 20 * 86400 + 7200;
  f.satisfaction = 3;
  return f;
}

const CategorySet kWages = category_bit(Category::kWages);
const CategorySet kSafety = category_bit(Category::kHealthSafety);

// The world, one group per step of coarsening (k = 5):
//   p1-p6   six at site 1 in May 2026, wages: alike as they are;
//   p7-p11  three at site 2 and two at site 3 in May, wages: alike once the site is hidden;
//   p12-p16 two at site 3 in March and three at site 4 in July, wages: alike by the year;
//   p17-p21 three at site 5 in June (safety), two at site 6 in August (wages and safety): alike
//           once the categories are hidden too;
//   p22     alone in 2025: nothing hides it.
std::vector<CaseFacts> world() {
  std::vector<CaseFacts> out;
  std::int64_t id = 1;
  const auto add = [&](int n, std::int64_t site, int year, unsigned month, CategorySet cats) {
    for (int i = 0; i < n; ++i) {
      out.push_back(facts(id++, site, day(year, month, 1 + static_cast<unsigned>(i)), cats));
    }
  };
  add(6, 1, 2026, 5, kWages);
  add(3, 2, 2026, 5, kWages);
  add(2, 3, 2026, 5, kWages);
  add(2, 3, 2026, 3, kWages);
  add(3, 4, 2026, 7, kWages);
  add(3, 5, 2026, 6, kSafety);
  add(2, 6, 2026, 8, static_cast<CategorySet>(kWages | kSafety));
  add(1, 7, 2025, 1, kWages);
  return out;
}

std::vector<CaseExportRow> export_of(Protection p, const std::vector<CaseFacts>& all) {
  CaseExport plan(StatsQuery{}, p, DisclosureConfig{});
  for (const auto& f : all) plan.count(f);
  std::vector<CaseExportRow> rows;
  for (const auto& f : all) {
    if (auto r = plan.row(f, "p" + std::to_string(f.case_id))) rows.push_back(*r);
  }
  return rows;
}

TEST(StatsCaseExport, TheOperatorGetsEveryCaseAsItIs) {
  const auto rows = export_of(Protection::kExact, world());
  ASSERT_EQ(rows.size(), 22u);
  for (const auto& r : rows) EXPECT_EQ(r.coarsening, Coarsening::kNone) << r.id;
  EXPECT_EQ(rows[6].site, "2");
  EXPECT_EQ(rows[6].period, "2026-05");
  EXPECT_EQ(rows[19].categories, "wages;health_safety");
  EXPECT_EQ(rows[0].categories, "wages");
  EXPECT_EQ(rows[0].status, "closed");
  EXPECT_EQ(rows[0].outcome, "unfounded");
  EXPECT_EQ(rows[0].company, "7");
  EXPECT_EQ(rows[0].days_to_acknowledgement, 2.0) << "2 days and an hour, to a tenth of a day";
  EXPECT_EQ(rows[0].days_to_resolution, 20.1);
  EXPECT_EQ(rows[0].satisfaction, 3);
  EXPECT_EQ(rows[0].id, "p1");
}

TEST(StatsCaseExport, TheAuditorsRowsAreCoarsenedStepByStepUntilKCasesShareThem) {
  const auto rows = export_of(Protection::kProtected, world());
  std::map<std::string, Coarsening> level;
  for (const auto& r : rows) level[r.id] = r.coarsening;
  for (int i = 1; i <= 21; ++i) {
    const auto expected = i <= 6    ? Coarsening::kNone
                          : i <= 11 ? Coarsening::kSiteHidden
                          : i <= 16 ? Coarsening::kYearOnly
                                    : Coarsening::kCategoriesHidden;
    EXPECT_EQ(level["p" + std::to_string(i)], expected) << "p" << i;
  }
  EXPECT_EQ(level.count("p22"), 0u) << "alone in 2025: left out";
  EXPECT_EQ(rows.size(), 21u);
  // The property itself: every published combination is shared by at least k rows.
  std::map<std::tuple<std::string, std::string, std::string>, int> shared;
  for (const auto& r : rows) ++shared[{r.site, r.period, r.categories}];
  for (const auto& r : rows) {
    EXPECT_GE((shared[{r.site, r.period, r.categories}]), 5) << r.id;
    if (r.coarsening != Coarsening::kNone) {
      EXPECT_EQ(r.site, "*");
    }
    if (r.coarsening == Coarsening::kYearOnly) {
      EXPECT_EQ(r.period, "2026");
    }
    if (r.coarsening == Coarsening::kCategoriesHidden) {
      EXPECT_EQ(r.categories, "*");
    }
  }
  // Whole days only.
  EXPECT_EQ(rows[0].days_to_acknowledgement, 2.0);
  EXPECT_EQ(rows[0].days_to_resolution, 20.0);
}

TEST(StatsCaseExport, TheQueryNarrowsTheCasesAndTheirShares) {
  StatsQuery q;
  q.site_id = 2;
  CaseExport plan(q, Protection::kProtected, DisclosureConfig{});
  const auto all = world();
  for (const auto& f : all) plan.count(f);
  int rows = 0;
  for (const auto& f : all) rows += plan.row(f, "x").has_value() ? 1 : 0;
  EXPECT_EQ(rows, 0) << "three cases at one site: nothing hides them within the export";
  CaseExport exact(q, Protection::kExact, DisclosureConfig{});
  rows = 0;
  for (const auto& f : all) rows += exact.row(f, "x").has_value() ? 1 : 0;
  EXPECT_EQ(rows, 3);
}

}  // namespace
}  // namespace grievance::domain
