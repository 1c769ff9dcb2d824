// Follow-up guides (issue 10 item 6; docs/domain.md "Follow-up guides"): a default for every
// category in every language, the validation of the operator's edits, who may read and edit,
// and reset to the default.
#include "server/domain/follow_up_guides.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "server/domain/validation.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::testing {
namespace {

TEST(FollowUpGuideDefaultsTest, EveryCategoryHasAGuideInEveryLanguage) {
  for (Category c : all_categories()) {
    std::set<std::string> texts;
    for (Language l : all_languages()) {
      SCOPED_TRACE(std::string(to_string(c)) + "/" + std::string(to_string(l)));
      const GuideText g = default_guide(c, l);
      for (const std::string* section : {&g.check, &g.involve, &g.remedies, &g.pitfalls}) {
        EXPECT_GE(guide_lines(*section).size(), 2u);
      }
      // The shipped text passes the operator's own rules unchanged.
      auto normalised = normalise_guide(g);
      ASSERT_TRUE(normalised) << normalised.error().field << ": " << normalised.error().message;
      EXPECT_EQ(*normalised, g);
      // A real translation, not a copy of another language.
      EXPECT_TRUE(texts.insert(g.check).second);
    }
  }
}

TEST(FollowUpGuideDefaultsTest, SayWhatTheProgrammeAsksFor) {
  // Child labour: the child is never simply dismissed; forced labour: fees repaid, passports
  // returned; every guide warns of retaliation where the complainant is exposed.
  EXPECT_NE(
      default_guide(Category::kChildLabour, Language::kEn).remedies.find("Never just dismiss"),
      std::string::npos);
  const auto forced = default_guide(Category::kForcedLabour, Language::kEn).remedies;
  EXPECT_NE(forced.find("recruitment fees"), std::string::npos);
  EXPECT_NE(forced.find("passports"), std::string::npos);
  EXPECT_NE(
      default_guide(Category::kFreedomOfAssociation, Language::kEn).pitfalls.find("anti-union"),
      std::string::npos);
  EXPECT_NE(default_guide(Category::kWages, Language::kEn).pitfalls.find("Retaliation"),
            std::string::npos);
}

TEST(FollowUpGuideValidationTest, NormalisesLinesAndBullets) {
  GuideText draft{"- Pay slips  \r\n\r\n* Time records\n   \nBank transfers", "", "", ""};
  auto g = normalise_guide(draft);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->check, "Pay slips\nTime records\nBank transfers");
  EXPECT_EQ(guide_lines(g->check).size(), 3u);
}

TEST(FollowUpGuideValidationTest, RefusesWhatIsNotPlainShortText) {
  auto field_of = [](const GuideText& t) {
    auto g = normalise_guide(t);
    return g ? std::string() : g.error().field;
  };
  EXPECT_EQ(field_of({"", "", "", ""}), "check");
  EXPECT_EQ(field_of({"ok", "bad\x01", "", ""}), "involve");
  EXPECT_EQ(field_of({"ok", "", "\xff\xfe", ""}), "remedies");
  EXPECT_EQ(field_of({"ok", "", "", std::string(kGuideLineMaxChars + 1, 'a')}), "pitfalls");
  std::string many;
  for (std::size_t i = 0; i <= kGuideSectionMaxLines; ++i) many += "line\n";
  EXPECT_EQ(field_of({many, "", "", ""}), "check");
  std::string long_section;
  while (long_section.size() <= kGuideSectionMaxChars) long_section += "twenty characters..\n";
  EXPECT_EQ(field_of({long_section, "", "", ""}), "check");
  // Markup is text: kept as typed, escaped by every page that shows it.
  auto g = normalise_guide({"<script>alert(1)</script>", "", "", ""});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->check, "<script>alert(1)</script>");
}

class FollowUpGuidesTest : public CaseworkFixture {};

TEST_F(FollowUpGuidesTest, CaseHandlersReadAndOnlyTheAdminEdits) {
  const Session admin = staff("admin@example.org");
  const Session company = staff("plantation@example.org");
  const Session union_staff = staff("union@example.org");
  auto& guides = service_->guides;

  auto g = guides.guide(company, Category::kWages, Language::kId);
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->edited);
  EXPECT_EQ(g->text, default_guide(Category::kWages, Language::kId));
  EXPECT_TRUE(guides.guide(union_staff, Category::kWages, Language::kEn));

  Session auditor = company;
  auditor.role = Role::kAuditor;
  EXPECT_EQ(guides.guide(auditor, Category::kWages, Language::kEn).error().code,
            ErrorCode::kForbidden);
  Session complainant;
  EXPECT_EQ(guides.guide(complainant, Category::kWages, Language::kEn).error().code,
            ErrorCode::kForbidden);

  const GuideText edit{"Check the slips.", "The union.", "Back pay.", "Retaliation."};
  EXPECT_EQ(guides.update(company, Category::kWages, Language::kEn, edit).error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(guides.update(union_staff, Category::kWages, Language::kEn, edit).error().code,
            ErrorCode::kForbidden);
  clock_.advance(std::chrono::hours(1));
  auto updated = guides.update(admin, Category::kWages, Language::kEn, edit);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_TRUE(updated->edited);

  auto read = guides.guides(company, {Category::kChildLabour, Category::kWages}, Language::kEn);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].category, Category::kChildLabour);
  EXPECT_FALSE((*read)[0].edited);
  EXPECT_EQ((*read)[1].text, edit);
  EXPECT_EQ((*read)[1].updated_at, clock_.now());
  // Another language keeps its default.
  EXPECT_FALSE(guides.guide(company, Category::kWages, Language::kNl)->edited);

  EXPECT_EQ(guides.reset(company, Category::kWages, Language::kEn).error().code,
            ErrorCode::kForbidden);
  auto reset = guides.reset(admin, Category::kWages, Language::kEn);
  ASSERT_TRUE(reset);
  EXPECT_FALSE(reset->edited);
  EXPECT_EQ(guides.guide(company, Category::kWages, Language::kEn)->text,
            default_guide(Category::kWages, Language::kEn));
}

TEST_F(FollowUpGuidesTest, AnInvalidEditChangesNothing) {
  const Session admin = staff("admin@example.org");
  auto bad = service_->guides.update(admin, Category::kHarassment, Language::kFr,
                                     {"ok", "", "", std::string(5000, 'x')});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(bad.error().field, "pitfalls");
  EXPECT_FALSE(service_->guides.guide(admin, Category::kHarassment, Language::kFr)->edited);
}

TEST_F(FollowUpGuidesTest, AStoreThatFailsIsUnavailable) {
  const Session admin = staff("admin@example.org");
  store_.fail_writes = true;
  EXPECT_EQ(service_->guides.update(admin, Category::kOther, Language::kEn, {"a", "", "", ""})
                .error()
                .code,
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace grievance::testing
