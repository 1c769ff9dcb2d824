// Translations that keep the original (docs/domain.md "Translations"): who may add one, which
// texts, and that a translation is read by exactly those who read the original.
#include <algorithm>

#include "support/casework_fixture.hpp"

namespace grievance::domain {
namespace {

using CaseworkTranslationsTest = testing::CaseworkFixture;

const CaseEvent* translation_of(const CaseView& v, std::int64_t seq) {
  for (const auto& e : v.events) {
    if (e.type == EventType::kTranslation && e.translates == seq) return &e;
  }
  return nullptr;
}

std::int64_t last_seq(const CaseView& v) { return v.events.back().seq; }

TEST_F(CaseworkTranslationsTest, ACompanyTranslatesTheComplaintForTheBuyerKeepingTheOriginal) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  const Session buyer = staff("brand@example.org");
  EXPECT_TRUE(service_->casework.view_case(company, ref)->may_translate);
  EXPECT_FALSE(service_->casework.view_own_case(worker)->may_translate);
  auto translated =
      service_->casework.add_translation(company, ref, 1, "nl", "Het loon is niet betaald.");
  ASSERT_TRUE(translated) << translated.error().message;
  for (const auto& v :
       {*service_->casework.view_case(buyer, ref), *service_->casework.view_own_case(worker)}) {
    const CaseEvent* t = translation_of(v, 1);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->language, Language::kNl);
    EXPECT_EQ(t->body, "Het loon is niet betaald.");
    EXPECT_EQ(v.c.complaint.narrative, "Wages were not paid.") << "the original stays";
  }
  EXPECT_EQ(translation_of(*service_->casework.view_case(buyer, ref), 1)->actor_org_id, plantation_)
      << "marked with who made it";
  // The worker does not translate; a bad language or text is an input error.
  EXPECT_EQ(service_->casework.add_translation(worker, ref, 1, "nl", "x").error().code,
            ErrorCode::kForbidden);
  EXPECT_EQ(service_->casework.add_translation(company, ref, 1, "de", "x").error().field,
            "language");
  EXPECT_EQ(service_->casework.add_translation(company, ref, 1, "nl", "").error().code,
            ErrorCode::kInvalidField);
  // Only the complaint and messages: a routing event is not a text to translate.
  EXPECT_EQ(service_->casework.add_translation(company, ref, 2, "nl", "x").error().field, "seq");
  EXPECT_EQ(service_->casework.add_translation(company, ref, 99, "nl", "x").error().code,
            ErrorCode::kNotFound);
}

TEST_F(CaseworkTranslationsTest, ATranslationIsNeverReadByMoreThanTheOriginal) {
  Session worker;
  const auto ref = file(&worker);
  const Session company = staff("plantation@example.org");
  const Session admin = staff("admin@example.org");
  // A message for the mechanism only: a company cannot even find it to translate.
  ASSERT_TRUE(service_->casework.post_message(worker, ref, "Mandor tahu.", Visibility::kMechanism));
  const auto mechanism_seq = last_seq(*service_->casework.view_own_case(worker));
  EXPECT_EQ(service_->casework.add_translation(company, ref, mechanism_seq, "en", "x").error().code,
            ErrorCode::kNotFound);
  auto by_office =
      service_->casework.add_translation(admin, ref, mechanism_seq, "en", "The foreman knows.");
  ASSERT_TRUE(by_office) << by_office.error().message;
  EXPECT_NE(translation_of(*service_->casework.view_own_case(worker), mechanism_seq), nullptr);
  EXPECT_EQ(translation_of(*service_->casework.view_case(company, ref), mechanism_seq), nullptr)
      << "the translation of a mechanism message is the mechanism's too";
  // An internal note is not translated.
  ASSERT_TRUE(service_->casework.post_message(company, ref, "Check the payroll.",
                                              Visibility::kOrganisation));
  const auto note_seq = last_seq(*service_->casework.view_case(company, ref));
  EXPECT_EQ(service_->casework.add_translation(admin, ref, note_seq, "id", "x").error().field,
            "seq");
}

}  // namespace
}  // namespace grievance::domain
