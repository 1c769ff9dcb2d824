// A lost access code (docs/domain.md "Lost access codes"): the operator or the union that filed
// the case issues a new one; the old code and its sessions end, the reference's sign-in lock is
// lifted, and the reissue is a mechanism-only event with its reason - with fakes.
#include <algorithm>

#include "server/domain/codes.hpp"
#include "server/domain/complainant_sessions.hpp"
#include "support/casework_fixture.hpp"

namespace grievance::domain {
namespace {

using AccessCodeReissueTest = testing::CaseworkFixture;

const CaseEvent* find_event(const CaseView& v, EventType type) {
  auto it = std::find_if(v.events.begin(), v.events.end(),
                         [&](const CaseEvent& e) { return e.type == type; });
  return it == v.events.end() ? nullptr : &*it;
}

// Files a complaint and answers its reference with the code the worker was shown.
std::pair<std::string, std::string> file_with_code(Services& s, std::int64_t site,
                                                   const Session* filer,
                                                   std::optional<Mandate> mandate) {
  ComplaintDraft d;
  d.language = "en";
  d.categories = std::vector<std::string>{"wages"};
  d.narrative = "Wages were not paid.";
  d.site_id = site;
  d.country = "ID";
  d.anonymous = true;
  d.mandate = mandate;
  auto filed = s.filing.file_complaint(d, Channel::kWeb, {}, filer);
  EXPECT_TRUE(filed) << filed.error().message;
  return {filed->filed.reference, filed->access_code};
}

TEST_F(AccessCodeReissueTest, TheOperatorIssuesANewCodeTheOldOneAndItsSessionsEnd) {
  auto [ref, old_code] = file_with_code(*service_, site_, nullptr, std::nullopt);
  auto signed_in = service_->complainants.sign_in(ref, old_code, "c");
  ASSERT_TRUE(signed_in);
  ASSERT_TRUE(service_->sessions.authenticate(signed_in->token));
  const Session admin = staff("admin@example.org");
  ASSERT_TRUE(service_->casework.view_case(admin, ref)->may_reissue_code);

  auto code = service_->casework.reissue_access_code(admin, ref, "Lost phone; called back.");
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_TRUE(normalise_access_code(*code).has_value());
  EXPECT_NE(*code, old_code);

  EXPECT_FALSE(service_->sessions.authenticate(signed_in->token)) << "the session ended";
  EXPECT_EQ(service_->complainants.sign_in(ref, old_code, "c2").error().code,
            ErrorCode::kUnauthorized);
  auto fresh = service_->complainants.sign_in(ref, *code, "c3");
  ASSERT_TRUE(fresh) << fresh.error().message;

  // The HMAC filing would store for this code, bound to the reference.
  auto stored = *store_.cases().find_case_by_reference(ref);
  EXPECT_EQ(stored->access_code_hmac, access_code_mac(crypto_, ref, *code));
}

TEST_F(AccessCodeReissueTest, TheEventCarriesTheReasonAndNoCompanySeesIt) {
  const Session union_officer = staff("union@example.org");
  auto [ref, old_code] = file_with_code(*service_, site_, &union_officer,
                                        Mandate{false, false, false, 0});  // any mandate
  const Session admin = staff("admin@example.org");
  if (service_->casework.view_case(admin, ref)->may_assign) {
    ASSERT_TRUE(service_->casework.assign_case(admin, ref, plantation_));
  }
  EXPECT_TRUE(service_->casework.view_case(union_officer, ref)->may_reissue_code);
  auto code = service_->casework.reissue_access_code(union_officer, ref, "Met her at the office.");
  ASSERT_TRUE(code) << code.error().message;

  for (const Session* s : {&admin, &union_officer}) {
    auto v = service_->casework.view_case(*s, ref);
    const CaseEvent* e = find_event(*v, EventType::kAccessCodeReissued);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->visibility, Visibility::kMechanism);
    EXPECT_EQ(e->body, "Met her at the office.");
  }
  auto worker = service_->complainants.sign_in(ref, *code, "c");
  ASSERT_TRUE(worker);
  EXPECT_NE(find_event(*service_->casework.view_own_case(worker->session),
                       EventType::kAccessCodeReissued),
            nullptr);
  for (const char* email : {"plantation@example.org", "brand@example.org"}) {
    auto v = service_->casework.view_case(staff(email), ref);
    ASSERT_TRUE(v) << email;
    EXPECT_EQ(find_event(*v, EventType::kAccessCodeReissued), nullptr) << email;
    EXPECT_FALSE(v->may_reissue_code);
  }
}

TEST_F(AccessCodeReissueTest, CompaniesOtherUnionsAndTheWorkerMayNotAndAReasonIsRequired) {
  auto [ref, old_code] = file_with_code(*service_, site_, nullptr, std::nullopt);
  const Session admin = staff("admin@example.org");
  if (service_->casework.view_case(admin, ref)->may_assign) {
    ASSERT_TRUE(service_->casework.assign_case(admin, ref, plantation_));
  }
  EXPECT_EQ(service_->casework.reissue_access_code(admin, ref, "").error().code,
            ErrorCode::kInvalidField);
  EXPECT_EQ(service_->casework.reissue_access_code(staff("plantation@example.org"), ref, "x")
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_EQ(
      service_->casework.reissue_access_code(staff("brand@example.org"), ref, "x").error().code,
      ErrorCode::kForbidden);
  // A union that did not file the case does not see it.
  EXPECT_EQ(
      service_->casework.reissue_access_code(staff("union@example.org"), ref, "x").error().code,
      ErrorCode::kNotFound);
  auto worker = service_->complainants.sign_in(ref, old_code, "c");
  ASSERT_TRUE(worker);
  EXPECT_FALSE(service_->casework.view_own_case(worker->session)->may_reissue_code);
  EXPECT_EQ(service_->casework.reissue_access_code(worker->session, ref, "x").error().code,
            ErrorCode::kForbidden);
  EXPECT_TRUE(service_->complainants.sign_in(ref, old_code, "c"))
      << "nothing changed by the refused attempts";
}

TEST_F(AccessCodeReissueTest, ANewCodeLiftsTheReferencesSignInLock) {
  auto [ref, old_code] = file_with_code(*service_, site_, nullptr, std::nullopt);
  // Wrong codes from many clients lock the reference for wrong codes.
  for (int i = 0; i < 12; ++i) {
    (void)service_->complainants.sign_in(ref, "0000 0000 0000 0000", "guess" + std::to_string(i));
  }
  EXPECT_EQ(service_->complainants.sign_in(ref, "0000 0000 0000 0001", "w").error().code,
            ErrorCode::kRateLimited);
  auto code = service_->casework.reissue_access_code(staff("admin@example.org"), ref, "Lost.");
  ASSERT_TRUE(code);
  EXPECT_EQ(service_->complainants.sign_in(ref, "0000 0000 0000 0001", "w2").error().code,
            ErrorCode::kUnauthorized)
      << "a wrong code is wrong again, not locked";
}

}  // namespace
}  // namespace grievance::domain
