// A company's annual disclosure (ESRS S1-17, GRI 2-25; docs/domain.md "Statistics"): its own
// cases filed in the year - severe human-rights cases (forced or child labour) and those closed
// with a remedy the complainant accepted - and nobody else's, nor another year's.
#include <gtest/gtest.h>

#include "server/domain/stats_service.hpp"
#include "support/fakes.hpp"
#include "support/stats_cases.hpp"

namespace grievance::testing {
namespace {

TEST(StatsAnnualDisclosure, SevereCasesAndTheRemediedOnesOfTheCompanysYear) {
  FakeStores store;
  FakeCrypto crypto;
  ManualClock clock(utc(2026, 12, 1));
  int n = 0;
  const auto add = [&](CaseSequence& seq, std::int64_t company) {
    Case c = seq.filed_case();
    c.reference = "GRV-DISC-" + std::to_string(++n);
    c.parties = {CaseParty{company, PartyRole::kResponsible}};
    ASSERT_TRUE(store.cases().create_case(c, seq.events()).has_value());
  };
  CaseSequence remedied(0, utc(2026, 3, 1));
  remedied.categories({Category::kForcedLabour}).filed(7);
  remedied.move(2, CaseStatus::kAcknowledged)
      .move(10, CaseStatus::kClosed, Outcome::kRemedyAccepted);
  add(remedied, 7);
  CaseSequence unfounded(0, utc(2026, 4, 1));
  unfounded.categories({Category::kChildLabour, Category::kWages}).filed(7);
  unfounded.move(2, CaseStatus::kAcknowledged).move(10, CaseStatus::kClosed, Outcome::kUnfounded);
  add(unfounded, 7);
  CaseSequence other_company(0, utc(2026, 5, 1));
  other_company.categories({Category::kForcedLabour}).filed(8);
  add(other_company, 8);
  CaseSequence last_year(0, utc(2025, 5, 1));
  last_year.categories({Category::kForcedLabour}).filed(7);
  add(last_year, 7);

  StatsService stats(store.cases(), store.directory(), crypto, clock, DisclosureConfig{});
  Session company;
  company.role = Role::kCompany;
  company.org_id = 7;
  auto d = stats.annual_disclosure(company, "2026", "");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->company_org_id, 7);
  EXPECT_EQ(d->complaints_filed, 2);
  EXPECT_EQ(d->severe_cases, 2);
  EXPECT_EQ(d->severe_cases_remedied, 1);
  EXPECT_EQ(d->discrimination_or_harassment, 0);
  EXPECT_EQ(d->figures.registered, Count::of(2));
  EXPECT_EQ(d->figures.by_outcome[0], Count::of(1)) << "remedy accepted";
  EXPECT_EQ(stats.annual_disclosure(company, "2025", "")->complaints_filed, 1);

  Session auditor;
  auditor.role = Role::kAuditor;
  auditor.org_id = 9;
  EXPECT_EQ(stats.annual_disclosure(auditor, "2026", "").error().code, ErrorCode::kForbidden);
  Session admin;
  admin.role = Role::kAdmin;
  EXPECT_EQ(stats.annual_disclosure(admin, "2026", "8")->severe_cases, 1);
  EXPECT_EQ(stats.annual_disclosure(admin, "2026", "").error().field, "company");
  EXPECT_EQ(stats.annual_disclosure(company, "26", "").error().field, "year");
}

}  // namespace
}  // namespace grievance::testing
