// The case read's cache (storage/sqlite/case_cache.hpp): bounded by bytes, least recently used
// out first, never holding a state older than the last returned write - alone and behind the
// real SQLite case store with writers and readers racing.
#include "storage/sqlite/case_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

domain::CaseRecord record(std::int64_t id, std::string reference, std::size_t narrative_bytes) {
  domain::CaseRecord r;
  r.c.id = id;
  r.c.reference = std::move(reference);
  r.c.complaint.narrative = std::string(narrative_bytes, 'n');
  r.events.push_back(filed_event());
  return r;
}

TEST(CaseCache, KeepsWhatFitsTheBudgetAndEvictsTheLeastRecentlyRead) {
  CaseCache cache(64 * 1024);
  for (int i = 0; i < 8; ++i) {
    cache.put(record(i, "R" + std::to_string(i), 10'000), cache.generation());
  }
  EXPECT_LE(cache.bytes(), 64u * 1024);
  EXPECT_FALSE(cache.get("R0")) << "the oldest went first";
  ASSERT_TRUE(cache.get("R7"));
  EXPECT_EQ(cache.get("R7")->c.complaint.narrative.size(), 10'000u);
  // Reading R3 makes it the most recent: the next insertions evict others first.
  const bool had_r3 = cache.get("R3").has_value();
  for (int i = 8; i < 10; ++i) {
    cache.put(record(i, "R" + std::to_string(i), 10'000), cache.generation());
  }
  if (had_r3) {
    EXPECT_TRUE(cache.get("R3"));
  }
  cache.put(record(99, "HUGE", 40'000), cache.generation());
  EXPECT_FALSE(cache.get("HUGE")) << "a record over a quarter of the budget is not kept";
}

TEST(CaseCache, ARecordReadBeforeAWriteIsNotKeptAndAWriteDropsTheCase) {
  CaseCache cache(1 << 20);
  const auto before = cache.generation();
  cache.drop(42);  // a write to case 42 returned meanwhile
  cache.put(record(1, "STALE", 10), before);
  EXPECT_FALSE(cache.get("STALE")) << "read while a write was in flight";
  cache.put(record(1, "FRESH", 10), cache.generation());
  ASSERT_TRUE(cache.get("FRESH"));
  cache.drop(1);
  EXPECT_FALSE(cache.get("FRESH")) << "dropped by its case id";
  EXPECT_EQ(cache.bytes(), 0u);
  CaseCache off(0);
  off.put(record(2, "OFF", 1), off.generation());
  EXPECT_FALSE(off.get("OFF")) << "a budget of 0 keeps nothing";
}

// Behind the real store: every read sees at least every write that returned before it began,
// while readers race the writer for the cache.
TEST_F(StoreTest, TheCaseCacheNeverAnswersOlderThanTheLastReturnedWrite) {
  auto stores = open(4);
  ASSERT_TRUE(stores);
  domain::CaseStore& cases = stores->cases();
  const domain::Case c = sample_case(next_reference("CACHE"));
  auto id = cases.create_case(c, {filed_event()});
  ASSERT_TRUE(id.has_value());
  constexpr int kAppends = 150;
  std::atomic<int> returned{1};  // events whose write has returned
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, stale{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const int at_least = returned.load();
        auto r = cases.read_case(c.reference);
        if (!r || !r->has_value()) {
          ++stale;
          continue;
        }
        if (static_cast<int>((*r)->events.size()) < at_least) ++stale;
        ++reads;
      }
    });
  }
  for (int i = 0; i < kAppends; ++i) {
    domain::CaseEvent e = filed_event();
    e.type = domain::EventType::kMessage;
    e.body = "message " + std::to_string(i);
    ASSERT_TRUE(cases.append_event(*id, e, std::nullopt).has_value());
    returned.store(i + 2);
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(stale.load(), 0) << "reads older than a returned write";
  EXPECT_GT(reads.load(), kAppends) << "the readers raced the writer";
  auto last = cases.read_case(c.reference);
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ((*last)->events.size(), static_cast<std::size_t>(kAppends + 1));
  EXPECT_EQ((*last)->events.back().body, "message " + std::to_string(kAppends - 1));
  // The same through the lighter lookup the dialogue uses.
  auto found = cases.find_case_by_reference(c.reference);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->id, *id);
}

}  // namespace
}  // namespace grievance::storage::testing
