// The statistics' facts in SQLite (migration 0014; docs/domain.md "Statistics"): their stored
// form round-trips every field and refuses damage, a failed write leaves them as they were,
// cases stored before version 14 get theirs (with the same key) when the database opens, and
// the table holds no text of the case.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include "storage/sqlite/case_facts_rows.hpp"
#include "storage/sqlite/stats_rollup_rows.hpp"
#include "storage/store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

using domain::CaseFacts;

class CaseFactsStoreTest : public StoreTest {
 protected:
  std::vector<CaseFacts> scan(SqliteStores& store, domain::FactsScan s = {}) {
    std::vector<CaseFacts> out;
    auto ok = store.cases().scan_facts(s, [&](const CaseFacts& f) { out.push_back(f); });
    EXPECT_TRUE(ok.has_value());
    return out;
  }
  // A palm-oil estate in Indonesia of a company "A".
  std::optional<std::int64_t> palm_oil_site(SqliteStores& store) {
    const auto org =
        store.directory().create_organisation({0, domain::OrgKind::kCompany, "A", "ID"});
    if (!org) return std::nullopt;
    auto site = store.directory().create_site(
        {0, "Estate", "ID", "Riau", domain::Sector::kPalmOil, *org, false});
    if (!site) return std::nullopt;
    return *site;
  }
  // Every rollup cell (docs/domain.md "Rollups") and the overdue cases at `now`.
  std::pair<domain::RollupCells, std::vector<std::int64_t>> rollup(SqliteStores& store,
                                                                   domain::TimePoint now) {
    domain::RollupCells cells;
    std::vector<std::int64_t> overdue;
    for (auto kind : {domain::SliceKind::kEveryCase, domain::SliceKind::kCategories,
                      domain::SliceKind::kCompanies, domain::SliceKind::kSites}) {
      overdue.clear();
      auto ok = store.cases().scan_rollup(
          {kind, std::nullopt, std::nullopt}, now,
          [&](domain::SliceId s, std::int32_t m, const domain::StatsCell& c,
              const domain::HoursRuns& hours) {
            domain::StatsCell& cell = cells[{s, m}] = c;
            for (std::size_t i = 0; i < domain::kStepCount; ++i) {
              cell.hours[i] = {hours[i].begin(), hours[i].end()};
            }
          },
          [&](const domain::OverdueCase& c) { overdue.push_back(c.case_id); });
      EXPECT_TRUE(ok.has_value());
    }
    return {cells, overdue};
  }
};

// Every field set to a value other than its default, so a field the codec forgot shows up.
CaseFacts every_field_set() {
  CaseFacts f;
  f.case_id = 0;  // the row's key, not in the blob
  f.cell_key = 0xfedcba98u;
  f.filed_at = at(1'800'000'123);
  f.site_id = 42;
  f.sector = domain::Sector::kCocoa;
  f.country = "CI";
  f.categories = 0x0105;
  f.channel = domain::Channel::kPhone;
  f.kind = domain::ComplainantKind::kCollective;
  f.headcount = 130;
  f.union_org_id = 7;
  f.responsible_org_id = 9;
  f.buyer_org_ids = {11, 12};
  f.status = domain::CaseStatus::kAppealed;
  f.outcome = domain::Outcome::kUnfounded;
  f.deadlines = {at(1'800'100'000), at(1'800'200'000), at(1'800'300'000)};
  f.paused_since = at(1'800'050'000);
  f.ack_seconds = 0;  // present and zero is not absent
  f.first_response_seconds = 86'400;
  f.resolution_seconds = 3 * 86'400;
  f.paused_seconds = 3600;
  f.ack_breached = true;
  f.response_breached = true;
  f.resolution_breached = true;
  f.ack_late = true;
  f.settled_ever = true;
  f.escalated = true;
  f.appealed = true;
  f.appeal_result = domain::AppealResult::kReopened;
  f.reopened = true;
  f.remedy_accepted = false;
  f.satisfaction = 2;
  f.actions_confirmed = 3;
  f.actions_disputed = 1;
  f.follow_up_asked = true;
  f.remedy_held = domain::RemedyHeld::kPartly;
  f.retaliation_reports = 2;
  f.ack_span_seconds = 7 * 86'400;
  f.response_span_seconds = 30 * 86'400;
  f.resolution_span_seconds = 90 * 86'400;
  return f;
}

TEST_F(CaseFactsStoreTest, TheStoredFormRoundTripsEveryFieldAndRefusesDamage) {
  const CaseFacts f = every_field_set();
  const std::string bytes = encode_facts(f);
  auto back = decode_facts(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, f);
  EXPECT_EQ(*decode_facts(encode_facts(CaseFacts{})), CaseFacts{});
  EXPECT_FALSE(decode_facts("").has_value());
  EXPECT_FALSE(decode_facts(bytes.substr(0, bytes.size() - 1)).has_value()) << "truncated";
  EXPECT_FALSE(decode_facts(bytes + "x").has_value()) << "trailing bytes";
  std::string other_version = bytes;
  other_version[0] = 0x7e;
  EXPECT_FALSE(decode_facts(other_version).has_value());
}

TEST_F(CaseFactsStoreTest, TheFactsHoldNoTextOfTheCaseAndTheSitesSector) {
  auto store = open();
  const auto site = palm_oil_site(*store);
  ASSERT_TRUE(site.has_value());
  domain::Case c = sample_case(next_reference("FX"));
  c.complaint.site_id = *site;
  auto msg = filed_event();
  ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
  const auto facts = scan(*store);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].sector, domain::Sector::kPalmOil);
  RawDb raw(db_path());
  for (std::string_view text : {kNarrativeMarker, kContactMarker, std::string_view(c.reference),
                                std::string_view("Block 7")}) {
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM case_facts WHERE instr(facts, '" +
                         std::string(text) + "') > 0"),
              "0")
        << text;
  }
}

TEST_F(CaseFactsStoreTest, AFailedWriteLeavesTheFactsAsTheyWere) {
  auto store = open();
  const domain::Case c = sample_case(next_reference("FX"));
  auto id = store->cases().create_case(c, {filed_event()});
  ASSERT_TRUE(id.has_value());
  const auto before = scan(*store);
  auto found = store->cases().find_case(*id);
  ASSERT_TRUE(found.has_value() && found->has_value());
  domain::Case changed = **found;
  // The case row's update fails after the event was inserted and the facts folded (no such
  // organisation): the whole transaction rolls back, the facts with it.
  changed.status = domain::CaseStatus::kAcknowledged;
  changed.disclosure_requested_by = 987654;
  auto ack = filed_event();
  ack.type = domain::EventType::kStatusChanged;
  ack.from_status = domain::CaseStatus::kReceived;
  ack.to_status = domain::CaseStatus::kAcknowledged;
  const auto rollup_before = rollup(*store, at(1'900'000'000));
  ASSERT_FALSE(store->cases().update_case(changed, {ack}, changed.event_count).has_value());
  EXPECT_EQ(scan(*store), before);
  EXPECT_EQ(rollup(*store, at(1'900'000'000)), rollup_before) << "the rollup rolls back too";
  // And the same write without the fault moves them.
  changed.disclosure_requested_by.reset();
  ASSERT_TRUE(store->cases().update_case(changed, {ack}, changed.event_count).has_value());
  ASSERT_EQ(scan(*store).size(), 1u);
  EXPECT_EQ(scan(*store)[0].status, domain::CaseStatus::kAcknowledged);
}

TEST_F(CaseFactsStoreTest,
       CasesStoredBeforeVersion14GetTheirFactsWithTheSameKeyWhenTheDatabaseOpens) {
  std::vector<CaseFacts> before;
  {
    auto store = open();
    for (int i = 0; i < 3; ++i) {
      auto c = sample_case(next_reference("BF"));
      c.created_at = at(1'800'000'000 + i * 86'400);
      ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
    }
    before = scan(*store);
    ASSERT_EQ(before.size(), 3u);
  }
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("DELETE FROM case_facts WHERE case_id != (SELECT min(id) FROM cases)"),
              SQLITE_OK);
    ASSERT_EQ(raw.scalar("SELECT count(*) FROM case_facts"), "1");
  }
  auto store = open();
  EXPECT_EQ(scan(*store), before);
}

// docs/domain.md "Rollups": the rollup built from the facts when a database opens (an older
// one, or cases backfilled) is the one the writes kept, part by part, with each case's repeats
// and overdue time.
TEST_F(CaseFactsStoreTest, TheRollupBuiltWhenTheDatabaseOpensIsTheOneTheWritesKept) {
  const auto now = at(1'800'000'000 + 200 * 86'400);
  std::pair<domain::RollupCells, std::vector<std::int64_t>> kept;
  std::string columns;
  {
    auto store = open();
    for (int i = 0; i < 12; ++i) {
      auto c = sample_case(next_reference("RB"));
      c.created_at = at(1'800'000'000 + i * 9 * 86'400);
      c.deadlines = {c.created_at + std::chrono::days(7), c.created_at + std::chrono::days(30),
                     c.created_at + std::chrono::days(90)};
      c.complaint.site_id = std::nullopt;
      ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
    }
    kept = rollup(*store, now);
    ASSERT_GE(kept.first.size(), 3u);
    ASSERT_FALSE(kept.second.empty()) << "some cases are overdue at `now`";
    RawDb raw(db_path());
    columns = raw.scalar(
        "SELECT group_concat(categories || ':' || repeats || ':' || ifnull(overdue_at, '-')) "
        "FROM case_facts");
  }
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("DELETE FROM case_facts WHERE case_id = (SELECT max(id) FROM cases); "
                       "DELETE FROM stats_rollup; UPDATE case_facts SET repeats = 0, "
                       "overdue_at = NULL, categories = 0"),
              SQLITE_OK);
  }
  auto store = open();
  EXPECT_EQ(rollup(*store, now), kept);
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT group_concat(categories || ':' || repeats || ':' || "
                       "ifnull(overdue_at, '-')) FROM case_facts"),
            columns);
}

TEST_F(CaseFactsStoreTest, TheRollupsStoredPartsRoundTripAndRefuseDamage) {
  domain::StatsCell cell;
  CaseFacts f = every_field_set();
  cell.add(f, true);
  f.site_id = 7;
  f.ack_seconds = 40 * 3600;
  cell.add(f, true);
  domain::StatsCell back;
  for (int part = 0; part < kRollupParts; ++part) {
    ASSERT_TRUE(decode_rollup_part(part, encode_rollup_part(part, cell), back)) << part;
  }
  EXPECT_EQ(back, cell);
  domain::StatsCell ignored;
  EXPECT_FALSE(decode_rollup_part(0, "\x02", ignored)) << "another version";
  std::string truncated = encode_rollup_part(1, cell);
  truncated.pop_back();
  EXPECT_FALSE(decode_rollup_part(1, truncated, ignored));
  EXPECT_FALSE(decode_rollup_part(4, encode_rollup_part(4, cell) + "x", ignored));
}

// CaseStore::scan_facts_shared: one reading thread, a decoding thread per function. Every case
// reaches exactly one function, with the facts and repeats scan_facts gives, and each function
// is called from one thread only; a damaged row stops it as it stops scan_facts.
TEST_F(CaseFactsStoreTest, ASharedScanGivesEveryCaseOnceToOneOfItsThreads) {
  auto store = open();
  const auto site = palm_oil_site(*store);
  ASSERT_TRUE(site.has_value());
  for (int i = 0; i < 40; ++i) {
    auto c = sample_case(next_reference("SH"));
    c.created_at = at(1'800'000'000 + i * 86'400);
    if (i % 2 == 0) c.complaint.site_id = *site;
    auto filed = filed_event();
    filed.at = c.created_at;
    ASSERT_TRUE(store->cases().create_case(c, {filed}).has_value());
  }
  std::vector<CaseFacts> expected = scan(*store);
  ASSERT_EQ(expected.size(), 40u);
  ASSERT_TRUE(std::any_of(expected.begin(), expected.end(), [](const CaseFacts& f) {
    return f.repeats != 0;
  })) << "the sample cases repeat each other at their site";
  for (std::size_t threads : {1u, 2u, 3u}) {
    for (std::size_t batch : {1u, 3u, 2048u}) {
      std::vector<std::vector<CaseFacts>> got(threads);
      std::vector<std::set<std::thread::id>> callers(threads);
      std::vector<std::function<void(const CaseFacts&)>> each;
      for (std::size_t i = 0; i < threads; ++i) {
        each.emplace_back([&got, &callers, i](const CaseFacts& f) {
          got[i].push_back(f);
          callers[i].insert(std::this_thread::get_id());
        });
      }
      auto db = Connection::open(db_path().string(), Connection::Mode::kReadOnly);
      ASSERT_TRUE(db.has_value());
      ASSERT_TRUE(scan_case_facts_shared(**db, {}, each, batch).has_value());
      std::vector<CaseFacts> all;
      for (std::size_t i = 0; i < threads; ++i) {
        EXPECT_LE(callers[i].size(), 1u) << "function " << i << " from one thread";
        all.insert(all.end(), got[i].begin(), got[i].end());
      }
      std::sort(all.begin(), all.end(),
                [](const CaseFacts& a, const CaseFacts& b) { return a.case_id < b.case_id; });
      EXPECT_EQ(all, expected) << threads << " threads, batches of " << batch;
    }
  }
  // Through the store, with a window.
  domain::FactsScan window;
  window.filed_from = at(1'800'000'000 + 10 * 86'400);
  std::atomic<int> counted{0};
  const std::function<void(const CaseFacts&)> count = [&counted](const CaseFacts&) { ++counted; };
  const std::vector<std::function<void(const CaseFacts&)>> two{count, count};
  ASSERT_TRUE(store->cases().scan_facts_shared(window, two).has_value());
  EXPECT_EQ(counted.load(), 30);
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("UPDATE case_facts SET facts = x'01ff' WHERE case_id % 7 = 3"), SQLITE_OK);
  }
  auto ok = store->cases().scan_facts_shared({}, two);
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().code, domain::ErrorCode::kUnavailable);
}

// FactsScan::split_by_site: every case of one site goes to the same function (its id modulo
// their number; no site: the first), each case once, so builders of a table by site hold their
// own groups.
TEST_F(CaseFactsStoreTest, ASharedScanSplitBySiteGivesEachSiteToOneThread) {
  auto store = open();
  const auto org =
      store->directory().create_organisation({0, domain::OrgKind::kCompany, "A", "ID"});
  ASSERT_TRUE(org.has_value());
  std::vector<std::int64_t> sites;
  for (int i = 0; i < 5; ++i) {
    auto site = store->directory().create_site(
        {0, "Estate " + std::to_string(i), "ID", "Riau", domain::Sector::kPalmOil, *org, false});
    ASSERT_TRUE(site.has_value());
    sites.push_back(*site);
  }
  for (int i = 0; i < 60; ++i) {
    auto c = sample_case(next_reference("SP"));
    c.created_at = at(1'800'000'000 + i * 3'600);
    c.complaint.site_id = i % 6 == 5 ? std::nullopt : std::optional(sites[i % 6]);
    auto filed = filed_event();
    filed.at = c.created_at;
    ASSERT_TRUE(store->cases().create_case(c, {filed}).has_value());
  }
  const std::vector<CaseFacts> expected = scan(*store);
  ASSERT_EQ(expected.size(), 60u);
  domain::FactsScan split;
  split.split_by_site = true;
  for (std::size_t threads : {2u, 3u}) {
    for (std::size_t batch : {1u, 7u, 2048u}) {
      std::vector<std::vector<CaseFacts>> got(threads);
      std::vector<std::function<void(const CaseFacts&)>> each;
      for (std::size_t i = 0; i < threads; ++i) {
        each.emplace_back([&got, i](const CaseFacts& f) { got[i].push_back(f); });
      }
      auto db = Connection::open(db_path().string(), Connection::Mode::kReadOnly);
      ASSERT_TRUE(db.has_value());
      ASSERT_TRUE(scan_case_facts_shared(**db, split, each, batch).has_value());
      std::vector<CaseFacts> all;
      for (std::size_t i = 0; i < threads; ++i) {
        for (const CaseFacts& f : got[i]) {
          EXPECT_EQ(domain::shared_scan_share(f.site_id, threads), i)
              << "site " << f.site_id.value_or(-1) << ", " << threads << " threads";
        }
        all.insert(all.end(), got[i].begin(), got[i].end());
      }
      std::sort(all.begin(), all.end(),
                [](const CaseFacts& a, const CaseFacts& b) { return a.case_id < b.case_id; });
      EXPECT_EQ(all, expected) << threads << " threads, batches of " << batch;
    }
  }
  EXPECT_EQ(domain::shared_scan_share(std::nullopt, 2), 0u);
  EXPECT_EQ(domain::shared_scan_share(7, 2), 1u);
}

TEST_F(CaseFactsStoreTest, DamagedFactsAreReportedNotGuessed) {
  auto store = open();
  ASSERT_TRUE(store->cases().create_case(sample_case(next_reference("DM")), {filed_event()}));
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("UPDATE case_facts SET facts = x'01ff'"), SQLITE_OK);
  }
  auto ok = store->cases().scan_facts({}, [](const CaseFacts&) {});
  ASSERT_FALSE(ok.has_value());
  EXPECT_EQ(ok.error().code, domain::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace grievance::storage::testing
