// The SQLite GuideStore (storage/sqlite/guide_store.cpp) on a temporary file: the operator's
// follow-up guides survive a restart, one row per category and language, and reset removes it.
#include <gtest/gtest.h>

#include "storage/store_fixture.hpp"
#include "support/fake_guide_store.hpp"

namespace grievance::storage::testing {
namespace {

using domain::Category;
using domain::Language;

const domain::StoredGuide kEdited{
    domain::GuideText{"Check the slips.\nAnd the bank.", "The union.", "Back pay.", "Retaliation."},
    domain::TimePoint{std::chrono::seconds{1'800'000'000}}, 7};

// The same checks over any GuideStore (SQLite and the fake keep one contract).
void check_contract(domain::GuideStore& store) {
  auto none = store.find_guide(Category::kWages, Language::kEn);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  ASSERT_TRUE(store.put_guide(Category::kWages, Language::kEn, kEdited));
  auto found = store.find_guide(Category::kWages, Language::kEn);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->text, kEdited.text);
  EXPECT_EQ((*found)->updated_at, kEdited.updated_at);
  EXPECT_EQ((*found)->updated_by, 7);
  // Another language of the same category is another guide.
  EXPECT_FALSE(*store.find_guide(Category::kWages, Language::kVi));
  // A second edit replaces the first.
  domain::StoredGuide again = kEdited;
  again.text.check = "Only this.";
  ASSERT_TRUE(store.put_guide(Category::kWages, Language::kEn, again));
  EXPECT_EQ((*store.find_guide(Category::kWages, Language::kEn))->text.check, "Only this.");
  ASSERT_TRUE(store.delete_guide(Category::kWages, Language::kEn));
  EXPECT_FALSE(*store.find_guide(Category::kWages, Language::kEn));
  // Deleting what is not there is not an error.
  EXPECT_TRUE(store.delete_guide(Category::kWages, Language::kEn));
}

TEST_F(StoreTest, GuideStoreKeepsTheContract) {
  auto store = open();
  ASSERT_TRUE(store);
  check_contract(store->guides());
  std::atomic<bool> fail{false};
  grievance::testing::FakeGuideStore fake(fail);
  check_contract(fake);
}

TEST_F(StoreTest, GuideEditsSurviveARestart) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->guides().put_guide(Category::kChildLabour, Language::kId, kEdited));
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto found = store->guides().find_guide(Category::kChildLabour, Language::kId);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->text, kEdited.text);
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT category || '/' || language FROM follow_up_guides"),
            "child_labour/id");
}

}  // namespace
}  // namespace grievance::storage::testing
