// Registration statistics against a hand-computed fixture (issue 11, "Tests that must exist":
// every metric and every group_by): 16 cases written as the services' event sequences
// (support/stats_cases.hpp), folded into facts, and the table compared with numbers worked out
// by hand below (docs/domain.md "Statistics" defines each metric).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "server/domain/stats/stats.hpp"
#include "support/stats_cases.hpp"

namespace grievance::testing {
namespace {

constexpr std::int64_t kPlantation = 10;  // runs sites 1 and 2 (Indonesia, palm oil)
constexpr std::int64_t kMill = 20;        // runs site 3 (Vietnam, textile)
constexpr std::int64_t kBrand = 30;       // buys from the plantation
constexpr std::int64_t kUnion = 40;
const TimePoint kComputeNow = utc(2026, 12, 1, 0);

using C = Category;
using S = CaseStatus;

CaseSequence at_site(std::int64_t id, TimePoint filed, std::int64_t site) {
  CaseSequence s(id, filed);
  if (site == 3) {
    s.site(3, "VN", Sector::kTextile);
  } else {
    s.site(site, "ID", Sector::kPalmOil);
  }
  return s;
}

// The fixture. Days are counted from each case's filing (09:00 UTC).
std::vector<CaseSequence> fixture() {
  std::vector<CaseSequence> v;
  // C1: acknowledged day 2, answered day 5, plan day 10 accepted day 12 (score 4), an action
  // confirmed, closed day 30 with the remedy accepted; the follow-up check says it held.
  v.push_back(at_site(1, utc(2026, 1, 5), 1)
                  .categories({C::kWages})
                  .filed(kPlantation, kBrand)
                  .move(2, S::kAcknowledged)
                  .move(5, S::kInDialogue)
                  .move(10, S::kRemedyProposed)
                  .feedback(12, true, 4)
                  .verdict(20, ActionVerdict::kConfirmed)
                  .move(30, S::kClosed, Outcome::kRemedyAccepted)
                  .follow_up_due(210)
                  .follow_up(215, RemedyHeld::kYes));
  // C2: two categories; the clock waits days 4-10 (6 days); a plan refused (2), another
  // accepted (3), an action disputed; closed day 40 partly accepted (34 days of the company's
  // time); the remedy did not hold.
  v.push_back(at_site(2, utc(2026, 1, 20), 1)
                  .categories({C::kWages, C::kWorkingHours})
                  .filed(kPlantation, kBrand)
                  .move(1, S::kAcknowledged)
                  .move(3, S::kInDialogue)
                  .paused(4)
                  .resumed(10)
                  .move(14, S::kRemedyProposed)
                  .feedback(16, false, 2)
                  .move(20, S::kRemedyProposed)
                  .verdict(25, ActionVerdict::kDisputed)
                  .feedback(28, true, 3)
                  .move(40, S::kClosed, Outcome::kRemedyPartlyAccepted)
                  .follow_up_due(220)
                  .follow_up(222, RemedyHeld::kNo));
  // C3: filed by the union; the acknowledgement deadline breached day 7, acknowledged day 9
  // (late); rejected day 20, appealed, the rejection upheld.
  v.push_back(at_site(3, utc(2026, 2, 3), 1)
                  .categories({C::kHealthSafety})
                  .channel(Channel::kUnion)
                  .by_union(kUnion)
                  .filed(kPlantation, kBrand)
                  .breached(7, "acknowledgement")
                  .move(9, S::kAcknowledged)
                  .move(12, S::kInDialogue)
                  .move(20, S::kRejected)
                  .move(25, S::kAppealed)
                  .move(30, S::kRejected));
  // C4: a collective complaint of 25 workers on paper; closed unfounded day 50, appealed,
  // reopened, a plan accepted (5), closed day 80; the remedy partly held.
  v.push_back(at_site(4, utc(2026, 2, 14), 2)
                  .categories({C::kWages})
                  .channel(Channel::kPaper)
                  .by_union(kUnion, 25)
                  .filed(kPlantation, kBrand)
                  .move(3, S::kAcknowledged)
                  .move(6, S::kInDialogue)
                  .move(50, S::kClosed, Outcome::kUnfounded)
                  .move(55, S::kAppealed)
                  .move(60, S::kReopened)
                  .move(62, S::kInDialogue)
                  .move(70, S::kRemedyProposed)
                  .feedback(75, true, 5)
                  .move(80, S::kClosed, Outcome::kRemedyAccepted)
                  .follow_up_due(260)
                  .follow_up(262, RemedyHeld::kPartly));
  // C5: by phone; escalated day 8 (no response of the company's own), referred day 60.
  v.push_back(at_site(5, utc(2026, 2, 27), 3)
                  .categories({C::kHarassment})
                  .channel(Channel::kPhone)
                  .filed(kMill)
                  .move(5, S::kAcknowledged)
                  .move(8, S::kEscalated)
                  .move(60, S::kClosed, Outcome::kReferred));
  // C6: retaliation reported, withdrawn day 6; repeats C5's harassment at site 3.
  v.push_back(at_site(6, utc(2026, 3, 2), 3)
                  .categories({C::kHarassment, C::kDiscrimination})
                  .filed(kMill)
                  .move(2, S::kAcknowledged)
                  .retaliation(4)
                  .move(6, S::kWithdrawn));
  // C7: no site (Cambodia, by API): triage; the operator's acknowledgement breached day 7,
  // assigned to the mill day 9, acknowledged day 10 (late), closed without answer day 45.
  v.push_back(CaseSequence(7, utc(2026, 3, 10))
                  .place("KH")
                  .categories({C::kLandRights})
                  .channel(Channel::kApi)
                  .filed(std::nullopt)
                  .breached(7, "acknowledgement")
                  .assigned(9, kMill)
                  .move(10, S::kAcknowledged)
                  .move(15, S::kInDialogue)
                  .move(45, S::kClosed, Outcome::kNoAnswerFromComplainant));
  // C8: in dialogue since day 4, resolution breached: open and overdue.
  v.push_back(at_site(8, utc(2026, 3, 15), 1)
                  .categories({C::kWages})
                  .filed(kPlantation, kBrand)
                  .move(1, S::kAcknowledged)
                  .move(4, S::kInDialogue)
                  .breached(90, "resolution"));
  // C9: the union's, never acknowledged: every deadline breached, overdue.
  v.push_back(at_site(9, utc(2026, 4, 2), 2)
                  .categories({C::kChildLabour})
                  .channel(Channel::kUnion)
                  .by_union(kUnion)
                  .filed(kPlantation, kBrand)
                  .breached(7, "acknowledgement")
                  .breached(30, "response")
                  .breached(90, "resolution"));
  // C10: a plan refused (1), then the company waits for the complainant since day 10: open,
  // past its resolution date but not overdue (the clock stands still).
  v.push_back(at_site(10, utc(2026, 4, 18), 3)
                  .categories({C::kWorkingHours})
                  .filed(kMill)
                  .move(2, S::kAcknowledged)
                  .move(5, S::kInDialogue)
                  .move(8, S::kRemedyProposed)
                  .feedback(9, false, 1)
                  .paused(10));
  // C11: no site (Indonesia, by phone), never assigned: in triage, overdue.
  v.push_back(CaseSequence(11, utc(2026, 4, 25))
                  .place("ID")
                  .categories({C::kOther})
                  .channel(Channel::kPhone)
                  .filed(std::nullopt)
                  .breached(7, "acknowledgement")
                  .breached(30, "response")
                  .breached(90, "resolution"));
  // C12: acknowledged after 6 hours, rejected day 3; repeats C3's health and safety.
  v.push_back(at_site(12, utc(2026, 5, 5), 1)
                  .categories({C::kHealthSafety})
                  .filed(kPlantation, kBrand)
                  .move(0.25, S::kAcknowledged)
                  .move(3, S::kRejected));
  // C13: rejected straight from received on day 4; repeats C4's wages at site 2.
  v.push_back(at_site(13, utc(2026, 6, 10), 2)
                  .categories({C::kWages})
                  .filed(kPlantation, kBrand)
                  .move(4, S::kRejected));
  // C14: a plan accepted (5), an action confirmed, closed day 20.
  v.push_back(at_site(14, utc(2026, 8, 20), 3)
                  .categories({C::kWages})
                  .filed(kMill)
                  .move(3, S::kAcknowledged)
                  .move(8, S::kInDialogue)
                  .move(12, S::kRemedyProposed)
                  .feedback(14, true, 5)
                  .verdict(18, ActionVerdict::kConfirmed)
                  .move(20, S::kClosed, Outcome::kRemedyAccepted));
  // C15: filed three days before `now`: open, not yet due.
  v.push_back(at_site(15, utc(2026, 11, 28), 1).categories({C::kWages}).filed(kPlantation, kBrand));
  // C16: collective (12 workers), escalated, reopened by the operator, withdrawn.
  v.push_back(at_site(16, utc(2026, 10, 5), 2)
                  .categories({C::kDiscrimination})
                  .channel(Channel::kUnion)
                  .by_union(kUnion, 12)
                  .filed(kPlantation, kBrand)
                  .move(2, S::kAcknowledged)
                  .move(5, S::kEscalated)
                  .move(20, S::kReopened)
                  .move(25, S::kWithdrawn));
  return v;
}

std::vector<CaseFacts> fixture_facts() {
  std::vector<CaseFacts> out;
  std::uint32_t key = 0x9e3779b9u;
  for (const CaseSequence& s : fixture()) out.push_back(s.facts(key += 0x6d2b79f5u));
  return out;
}

StatsTable table(StatsRequest r, std::span<const CaseFacts> facts) {
  auto q = parse_stats_query(r);
  EXPECT_TRUE(q) << q.error().field;
  auto t = compute_stats(*q, facts, kComputeNow);
  EXPECT_TRUE(t) << t.error().message;
  return *t;
}

StatsTable grouped(std::string group_by) {
  StatsRequest r;
  r.group_by = std::move(group_by);
  const auto facts = fixture_facts();
  return table(r, facts);
}

Count n(std::int64_t v) { return Count::of(v); }

// (key, the metric) for every row, to compare whole columns at once.
std::vector<std::pair<std::string, std::int64_t>> column(const StatsTable& t,
                                                         Count StatsRow::*metric) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const StatsRow& r : t.rows) {
    std::string key;
    for (const auto& k : r.keys) key += (key.empty() ? "" : "/") + k.value;
    out.emplace_back(key, (r.*metric).value.value_or(-1));
  }
  return out;
}

using Column = std::vector<std::pair<std::string, std::int64_t>>;

TEST(StatsFactsFold, ReadsPausesAppealsAndTriageFromTheEvents) {
  const auto facts = fixture_facts();
  const CaseFacts& c2 = facts[1];
  EXPECT_EQ(c2.paused_seconds, 6 * 86400);
  EXPECT_EQ(c2.ack_seconds, 1 * 86400);
  EXPECT_EQ(c2.first_response_seconds, 3 * 86400);
  EXPECT_EQ(c2.resolution_seconds, (40 - 6) * 86400) << "the 6 paused days are not the company's";
  EXPECT_EQ(c2.deadlines.resolution_due, utc(2026, 1, 20) + std::chrono::days(90 + 6));
  EXPECT_EQ(c2.remedy_accepted, true) << "the last answer counts";
  EXPECT_EQ(c2.satisfaction, 3);
  EXPECT_EQ(c2.remedy_held, RemedyHeld::kNo);
  EXPECT_EQ(c2.categories, category_bit(C::kWages) | category_bit(C::kWorkingHours));

  const CaseFacts& c3 = facts[2];
  EXPECT_TRUE(c3.ack_late);
  EXPECT_EQ(c3.appeal_result, AppealResult::kUpheld);
  EXPECT_EQ(c3.resolution_seconds, 20 * 86400) << "an upheld decision keeps its time";
  EXPECT_EQ(c3.kind, ComplainantKind::kUnionFiled);

  const CaseFacts& c4 = facts[3];
  EXPECT_EQ(c4.kind, ComplainantKind::kCollective);
  EXPECT_EQ(c4.headcount, 25);
  EXPECT_EQ(c4.appeal_result, AppealResult::kReopened);
  EXPECT_TRUE(c4.reopened);
  EXPECT_EQ(c4.outcome, Outcome::kRemedyAccepted);
  EXPECT_EQ(c4.resolution_seconds, 80 * 86400) << "the decision after the reopening";

  const CaseFacts& c7 = facts[6];
  EXPECT_EQ(c7.responsible_org_id, kMill) << "assigned out of triage";
  EXPECT_EQ(c7.deadlines.ack_due, utc(2026, 3, 10) + std::chrono::days(9 + 7));
  EXPECT_EQ(c7.deadlines.resolution_due, utc(2026, 3, 10) + std::chrono::days(9 + 90));
  EXPECT_TRUE(c7.ack_late) << "the operator had let the acknowledgement pass";

  EXPECT_EQ(facts[0].buyer_org_ids, std::vector<std::int64_t>{kBrand});
  EXPECT_EQ(facts[5].retaliation_reports, 1);
  EXPECT_TRUE(facts[9].paused_since);
  EXPECT_FALSE(is_overdue(facts[9], kComputeNow)) << "waiting for the complainant";
  EXPECT_TRUE(is_overdue(facts[7], kComputeNow));
}

TEST(StatsCompute, TheTotalRowHasEveryMetricOfTheFixture) {
  const StatsTable t = grouped("");
  ASSERT_EQ(t.rows.size(), 1u);
  const StatsRow& r = t.rows[0];
  EXPECT_TRUE(r.keys.empty());
  EXPECT_EQ(t.protection, Protection::kExact);

  // ---- volume ----
  EXPECT_EQ(r.registered, n(16));
  // web C1 C2 C6 C8 C10 C12 C13 C14 C15 = 9; union C3 C9 C16 = 3; paper C4; phone C5 C11; api C7
  EXPECT_EQ(r.by_channel, (std::array{n(9), n(3), n(1), n(2), n(1)}));
  // union-filed C3 C9; collective C4 (25) C16 (12) = 2 cases, 37 workers; the other 12 alone
  EXPECT_EQ(r.by_kind, (std::array{n(12), n(2), n(2)}));
  EXPECT_EQ(r.collective_headcount, 25 + 12);
  // open: C8 C10 (in dialogue), C9 C11 C15 (received)
  EXPECT_EQ(r.open, n(5));
  // overdue: C8 (resolution), C9 and C11 (acknowledgement); not C10 (paused), not C15 (new)
  EXPECT_EQ(r.overdue, n(3));

  // ---- timeliness ----
  // decided: 13 acknowledged (all but C9 C11 C15) + C9 C11 breached = 15;
  // in time: 13 - C3 - C7 (acknowledged after the breach) = 11
  EXPECT_EQ(r.ack_decided, n(15));
  EXPECT_EQ(r.ack_in_time, n(11));
  ASSERT_TRUE(r.ack_in_time_share);
  EXPECT_DOUBLE_EQ(*r.ack_in_time_share, 11.0 / 15.0);
  // acknowledgement days: 2 1 9 3 5 2 10 1 2 0.25 4 3 2 (C1..C8, C10, C12, C13, C14, C16)
  // sorted 0.25 1 1 2 2 2 [2] 3 3 4 5 9 10: median the 7th = 2; p90 rank ceil(11.7) = 12 -> 9
  EXPECT_EQ(r.to_acknowledgement.cases, n(13));
  EXPECT_EQ(r.to_acknowledgement.median_days, 2.0);
  EXPECT_EQ(r.to_acknowledgement.p90_days, 9.0);
  // first response: C1 5, C2 3, C3 12, C4 6, C7 15, C8 4, C10 5, C12 3, C13 4, C14 8
  // sorted 3 3 4 4 [5 5] 6 8 12 15: median (5 + 5) / 2 = 5; p90 rank ceil(9) = 9 -> 12
  EXPECT_EQ(r.to_first_response.cases, n(10));
  EXPECT_EQ(r.to_first_response.median_days, 5.0);
  EXPECT_EQ(r.to_first_response.p90_days, 12.0);
  // resolution: C1 30, C2 40 - 6 paused = 34, C3 20, C4 80, C5 60, C7 45, C12 3, C13 4, C14 20
  // sorted 3 4 20 20 [30] 34 45 60 80: median 30; p90 rank ceil(8.1) = 9 -> 80
  EXPECT_EQ(r.to_resolution.cases, n(9));
  EXPECT_EQ(r.to_resolution.median_days, 30.0);
  EXPECT_EQ(r.to_resolution.p90_days, 80.0);

  // ---- outcomes (the current one) ----
  // remedy_accepted C1 C4 C14; partly C2; unfounded none (C4's was reopened);
  // not_admissible C3 C12 C13; referred C5; withdrawn C6 C16; no answer C7
  EXPECT_EQ(r.by_outcome, (std::array{n(3), n(1), n(0), n(3), n(1), n(2), n(1)}));
  EXPECT_EQ(r.escalated, n(2));        // C5 C16
  EXPECT_EQ(r.appealed, n(2));         // C3 C4
  EXPECT_EQ(r.appeal_upheld, n(1));    // C3
  EXPECT_EQ(r.appeal_reopened, n(1));  // C4
  EXPECT_EQ(r.withdrawn, n(2));        // C6 C16

  // ---- the worker's verdict ----
  EXPECT_EQ(r.remedy_accepted, n(4));  // C1 C2 (last answer) C4 C14
  EXPECT_EQ(r.remedy_refused, n(1));   // C10
  // scores C1 4, C2 3, C4 5, C10 1, C14 5: mean 18 / 5
  EXPECT_EQ(r.satisfaction, (std::array{n(1), n(0), n(1), n(1), n(2)}));
  ASSERT_TRUE(r.satisfaction_mean);
  EXPECT_DOUBLE_EQ(*r.satisfaction_mean, 18.0 / 5.0);
  EXPECT_EQ(r.actions_confirmed, n(2));                      // C1 C14
  EXPECT_EQ(r.actions_disputed, n(1));                       // C2
  EXPECT_EQ(r.follow_up_asked, n(3));                        // C1 C2 C4
  EXPECT_EQ(r.remedy_held, (std::array{n(1), n(1), n(1)}));  // yes C1, partly C4, no C2

  // ---- learning ----
  // repeats within 12 months at one site in one category: site 1 wages C2 (after C1), C8
  // (after C2), C15 (after C8, 258 days); site 1 health C12 (after C3); site 2 wages C13
  // (after C4); site 3 harassment C6 (after C5) -> 6 cases at 3 sites
  EXPECT_EQ(r.recurrent_cases, n(6));
  EXPECT_EQ(r.recurrent_sites, n(3));
  EXPECT_EQ(r.retaliation_reported, n(1));  // C6
  // settled: every case but the five open ones = 11; reopened C4 C16
  EXPECT_EQ(r.settled, n(11));
  EXPECT_EQ(r.reopened, n(2));
  ASSERT_TRUE(r.reopen_rate);
  EXPECT_DOUBLE_EQ(*r.reopen_rate, 2.0 / 11.0);
}

TEST(StatsCompute, GroupedByMonthAndQuarter) {
  const auto months = grouped("month");
  EXPECT_EQ(column(months, &StatsRow::registered), (Column{{"2026-01", 2},
                                                           {"2026-02", 3},
                                                           {"2026-03", 3},
                                                           {"2026-04", 3},
                                                           {"2026-05", 1},
                                                           {"2026-06", 1},
                                                           {"2026-08", 1},
                                                           {"2026-10", 1},
                                                           {"2026-11", 1}}));
  // the repeats by the month they were filed in: C2 | - | C6 C8 | - | C12 | C13 | - | - | C15
  EXPECT_EQ(column(months, &StatsRow::recurrent_cases), (Column{{"2026-01", 1},
                                                                {"2026-02", 0},
                                                                {"2026-03", 2},
                                                                {"2026-04", 0},
                                                                {"2026-05", 1},
                                                                {"2026-06", 1},
                                                                {"2026-08", 0},
                                                                {"2026-10", 0},
                                                                {"2026-11", 1}}));
  const auto quarters = grouped("quarter");
  // Q1 C1-C8, Q2 C9-C13, Q3 C14, Q4 C15 C16
  EXPECT_EQ(column(quarters, &StatsRow::registered),
            (Column{{"2026-Q1", 8}, {"2026-Q2", 5}, {"2026-Q3", 1}, {"2026-Q4", 2}}));
  // open: C8 | C9 C10 C11 | - | C15
  EXPECT_EQ(column(quarters, &StatsRow::open),
            (Column{{"2026-Q1", 1}, {"2026-Q2", 3}, {"2026-Q3", 0}, {"2026-Q4", 1}}));
  // Q1 resolutions: C1 30, C2 34, C3 20, C4 80, C5 60, C7 45 -> sorted 20 30 [34 45] 60 80
  EXPECT_EQ(quarters.rows[0].to_resolution.median_days, (34.0 + 45.0) / 2);
  EXPECT_EQ(quarters.rows[0].to_resolution.p90_days, 80.0);  // rank ceil(5.4) = 6
}

TEST(StatsCompute, GroupedByCompanySiteSectorAndCountry) {
  // The responsible company: the plantation runs sites 1 and 2 (10 cases), the mill site 3
  // and C7 after triage (5), C11 is still in triage.
  const auto companies = grouped("company");
  EXPECT_EQ(column(companies, &StatsRow::registered), (Column{{"10", 10}, {"20", 5}, {"none", 1}}));
  EXPECT_EQ(column(companies, &StatsRow::overdue),
            (Column{{"10", 2}, {"20", 0}, {"none", 1}}));  // C8 C9 | (C10 paused) | C11

  const auto sites = grouped("site");
  EXPECT_EQ(column(sites, &StatsRow::registered),
            (Column{{"1", 6}, {"2", 4}, {"3", 4}, {"none", 2}}));
  EXPECT_EQ(column(sites, &StatsRow::recurrent_sites),
            (Column{{"1", 1}, {"2", 1}, {"3", 1}, {"none", 0}}));
  EXPECT_EQ(column(sites, &StatsRow::recurrent_cases),
            (Column{{"1", 4}, {"2", 1}, {"3", 1}, {"none", 0}}));

  const auto sectors = grouped("sector");
  EXPECT_EQ(column(sectors, &StatsRow::registered),
            (Column{{"none", 2}, {"palm_oil", 10}, {"textile", 4}}));

  const auto countries = grouped("country");
  EXPECT_EQ(column(countries, &StatsRow::registered), (Column{{"ID", 11}, {"KH", 1}, {"VN", 4}}));
  // satisfaction in Vietnam: C10 1, C14 5 -> mean 3
  EXPECT_EQ(countries.rows[2].satisfaction_mean, 3.0);
}

TEST(StatsCompute, ACaseWithTwoCategoriesCountsInEachOfItsRows) {
  const auto cats = grouped("category");
  // C2 (wages, working hours) and C6 (harassment, discrimination) count twice: 18 = 16 + 2.
  const Column registered{{"child_labour", 1},  {"discrimination", 2}, {"harassment", 2},
                          {"health_safety", 2}, {"land_rights", 1},    {"other", 1},
                          {"wages", 7},         {"working_hours", 2}};
  EXPECT_EQ(column(cats, &StatsRow::registered), registered);
  EXPECT_EQ(std::accumulate(registered.begin(), registered.end(), std::int64_t{0},
                            [](std::int64_t s, const auto& p) { return s + p.second; }),
            18);
  // In a category's row, recurrence is a repeat in that category: C6 repeats harassment, not
  // discrimination; C2 repeats wages, not working hours.
  EXPECT_EQ(column(cats, &StatsRow::recurrent_cases), (Column{{"child_labour", 0},
                                                              {"discrimination", 0},
                                                              {"harassment", 1},
                                                              {"health_safety", 1},
                                                              {"land_rights", 0},
                                                              {"other", 0},
                                                              {"wages", 4},
                                                              {"working_hours", 0}}));
}

TEST(StatsCompute, GroupedByChannelStatusAndOutcome) {
  EXPECT_EQ(column(grouped("channel"), &StatsRow::registered),
            (Column{{"api", 1}, {"paper", 1}, {"phone", 2}, {"union", 3}, {"web", 9}}));
  const auto statuses = grouped("status");
  EXPECT_EQ(column(statuses, &StatsRow::registered), (Column{{"closed", 6},  // C1 C2 C4 C5 C7 C14
                                                             {"in_dialogue", 2},
                                                             {"received", 3},
                                                             {"rejected", 3},
                                                             {"withdrawn", 2}}));
  EXPECT_EQ(
      column(statuses, &StatsRow::open),
      (Column{
          {"closed", 0}, {"in_dialogue", 2}, {"received", 3}, {"rejected", 0}, {"withdrawn", 0}}));
  EXPECT_EQ(column(grouped("outcome"), &StatsRow::registered),
            (Column{{"no_answer_from_complainant", 1},
                    {"none", 5},
                    {"not_admissible", 3},
                    {"referred", 1},
                    {"remedy_accepted", 3},
                    {"remedy_partly_accepted", 1},
                    {"withdrawn", 2}}));
}

TEST(StatsCompute, TwoDimensionsMakeOneRowPerCombination) {
  const auto t = grouped("quarter,category");
  EXPECT_EQ(column(t, &StatsRow::registered), (Column{{"2026-Q1/discrimination", 1},  // C6
                                                      {"2026-Q1/harassment", 2},      // C5 C6
                                                      {"2026-Q1/health_safety", 1},   // C3
                                                      {"2026-Q1/land_rights", 1},     // C7
                                                      {"2026-Q1/wages", 4},           // C1 C2 C4 C8
                                                      {"2026-Q1/working_hours", 1},   // C2
                                                      {"2026-Q2/child_labour", 1},
                                                      {"2026-Q2/health_safety", 1},
                                                      {"2026-Q2/other", 1},
                                                      {"2026-Q2/wages", 1},
                                                      {"2026-Q2/working_hours", 1},
                                                      {"2026-Q3/wages", 1},
                                                      {"2026-Q4/discrimination", 1},
                                                      {"2026-Q4/wages", 1}}));
  ASSERT_EQ(t.rows[0].keys.size(), 2u);
  EXPECT_EQ(t.rows[0].keys[0].dimension, StatsDimension::kQuarter);
  EXPECT_EQ(t.rows[0].keys[1].dimension, StatsDimension::kCategory);
}

TEST(StatsCompute, FiltersAndScopeSelectTheCases) {
  const auto facts = fixture_facts();
  const auto total = [&](StatsRequest r) { return table(r, facts).rows.at(0).registered; };
  EXPECT_EQ(total({.from = "2026-02-01", .to = "2026-03-31"}), n(6));  // C3..C8
  EXPECT_EQ(total({.company = "30"}), n(10)) << "a buyer's cases: sites 1 and 2";
  EXPECT_EQ(total({.company = "20"}), n(5));
  EXPECT_EQ(total({.site = "1"}), n(6));
  EXPECT_EQ(total({.sector = "textile"}), n(4));
  EXPECT_EQ(total({.country = "VN"}), n(4));
  EXPECT_EQ(total({.category = "wages"}), n(7));
  EXPECT_EQ(total({.channel = "web"}), n(9));

  auto q = *parse_stats_query({});
  q.scope_party_org_id = kMill;
  EXPECT_EQ(compute_stats(q, facts, kComputeNow)->rows.at(0).registered, n(5));
  q.scope_party_org_id.reset();
  q.scope_union_org_id = kUnion;
  EXPECT_EQ(compute_stats(q, facts, kComputeNow)->rows.at(0).registered, n(4));  // C3 C4 C9 C16

  // A window keeps earlier cases as what recurrence looks back to: C8 repeats C2.
  const auto march = table({.from = "2026-03-01", .to = "2026-03-31"}, facts);
  EXPECT_EQ(march.rows.at(0).recurrent_cases, n(2));  // C6 C8
  // No case: no row.
  EXPECT_TRUE(table({.from = "2027-01-01"}, facts).rows.empty());
}

TEST(StatsCompute, TheAnswerDoesNotDependOnTheOrderOfTheFacts) {
  auto facts = fixture_facts();
  StatsRequest r;
  r.group_by = "site,status";
  const auto first = table(r, facts);
  std::reverse(facts.begin(), facts.end());
  EXPECT_EQ(table(r, facts), first);
}

TEST(StatsCompute, EveryCountHasAStableName) {
  std::vector<std::string> names;
  for_each_count(StatsRow{}, [&](const std::string& name, const Count&) { names.push_back(name); });
  EXPECT_EQ(names.size(), 1u + 5 + 3 + 2 + 2 + 3 + 7 + 5 + 2 + 5 + 2 + 1 + 3 + 5);
  EXPECT_EQ(names.front(), "registered");
  for (const char* name : {"by_channel.web", "by_channel.api", "by_kind.collective",
                           "by_outcome.no_answer_from_complainant", "satisfaction.5",
                           "remedy_held.partly", "to_resolution.cases", "reopened"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "no name twice";
}

TEST(StatsQueryValidation, EachBadFieldIsNamed) {
  const auto field = [](StatsRequest r) {
    auto q = parse_stats_query(r);
    return q ? std::string() : q.error().field;
  };
  EXPECT_EQ(field({.from = "2026-13-01"}), "from");
  EXPECT_EQ(field({.to = "yesterday"}), "to");
  EXPECT_EQ(field({.from = "2026-05-01", .to = "2026-04-30"}), "to");
  EXPECT_EQ(field({.company = "0"}), "company");
  EXPECT_EQ(field({.company = "12abc"}), "company");
  EXPECT_EQ(field({.site = "-3"}), "site");
  EXPECT_EQ(field({.sector = "coffee"}), "sector");
  EXPECT_EQ(field({.country = "id"}), "country");
  EXPECT_EQ(field({.country = "IDN"}), "country");
  EXPECT_EQ(field({.category = "noise"}), "category");
  EXPECT_EQ(field({.channel = "fax"}), "channel");
  EXPECT_EQ(field({.group_by = "week"}), "group_by");
  EXPECT_EQ(field({.group_by = "month,site,sector"}), "group_by") << "at most two";
  EXPECT_EQ(field({.group_by = "month,month"}), "group_by");
  EXPECT_EQ(field({.group_by = "month,"}), "group_by");
  EXPECT_EQ(field({.from = "2026-01-01",
                   .to = "2026-12-31",
                   .company = "10",
                   .site = "1",
                   .sector = "palm_oil",
                   .country = "ID",
                   .category = "wages",
                   .channel = "web",
                   .group_by = "month,category"}),
            "");
  for (StatsDimension d : all_stats_dimensions()) {
    auto q = parse_stats_query({.group_by = std::string(to_string(d))});
    ASSERT_TRUE(q) << to_string(d);
    EXPECT_EQ(q->group_by, std::vector{d});
  }
}

}  // namespace
}  // namespace grievance::testing
