// The Casework service over fakes with an injected clock, for the casework tests: a
// plantation (responsible) supplying a brand (buyer), another company, a union, and a staff
// user for each (tests/unit/casework_lifecycle_test.cpp, casework_mechanism_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "server/domain/services.hpp"
#include "support/fakes.hpp"

namespace grievance::testing {

using namespace grievance::domain;

class CaseworkFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    service_ =
        std::make_unique<Services>(store_.ports(crypto_, random_, clock_, &hasher_), config_);
    plantation_ = org(OrgKind::kCompany, "Plantation");
    brand_ = org(OrgKind::kCompany, "Brand");
    other_ = org(OrgKind::kCompany, "Other");
    union_ = org(OrgKind::kUnion, "Union");
    ASSERT_TRUE(store_.directory().create_supply_link(
        SupplyLink{0, plantation_, brand_, std::nullopt, false}));
    site_ = *store_.directory().create_site(
        Site{0, "Estate", "ID", "Riau", Sector::kPalmOil, plantation_});
    user("admin@example.org", "admin", std::nullopt);
    user("plantation@example.org", "company", plantation_);
    user("brand@example.org", "company", brand_);
    user("union@example.org", "union", union_);
  }

  std::int64_t org(OrgKind kind, const char* name) {
    return *store_.directory().create_organisation(Organisation{0, kind, name, "ID", false});
  }
  void user(const char* email, const char* role, std::optional<std::int64_t> org_id) {
    UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org_id;
    d.password = kPassword;
    ASSERT_TRUE(new_user(store_.directory(), store_.accounts(), hasher_, d, clock_.now()));
  }
  Session staff(const char* email) {
    auto s = service_->staff.sign_in(email, kPassword, "", "client");
    EXPECT_TRUE(s);
    return s ? s->session : Session{};
  }
  // Files a complaint at the plantation's site and signs its complainant in.
  std::string file(Session* complainant, std::optional<Mandate> mandate = std::nullopt,
                   const Session* filer = nullptr) {
    ComplaintDraft d;
    d.language = "en";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = "Wages were not paid.";
    d.site_id = site_;
    d.country = "ID";
    d.anonymous = true;
    d.mandate = mandate;
    auto filed = service_->filing.file_complaint(d, Channel::kWeb, {}, filer);
    EXPECT_TRUE(filed) << filed.error().message;
    if (!filed) return "";
    if (complainant) {
      auto s = service_->complainants.sign_in(filed->filed.reference, filed->access_code, "c");
      EXPECT_TRUE(s);
      if (s) *complainant = s->session;
    }
    return filed->filed.reference;
  }
  // Files a complaint with a contact: kept from the companies (confidential) unless `share`.
  std::string file_with_contact(Session* complainant, bool share) {
    ComplaintDraft d;
    d.language = "en";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = "Wages were not paid.";
    d.site_id = site_;
    d.country = "ID";
    d.anonymous = !share;
    ContactDraft contact;
    contact.name = std::string("Siti");
    contact.phone = std::string("+62 812 0000 0000");
    d.contact = contact;
    auto filed = service_->filing.file_complaint(d, Channel::kWeb, {}, nullptr);
    EXPECT_TRUE(filed) << filed.error().message;
    if (!filed) return "";
    auto s = service_->complainants.sign_in(filed->filed.reference, filed->access_code, "c");
    EXPECT_TRUE(s);
    if (s && complainant) *complainant = s->session;
    return filed->filed.reference;
  }
  Result<CaseView> move(const Session& s, const std::string& ref, const char* to,
                        TransitionRequest r = {}) {
    r.to = to;
    if (r.reason.empty()) r.reason = "Because.";
    return service_->casework.transition(s, ref, r);
  }
  static TransitionRequest plan(std::vector<RemedyActionInput> actions) {
    TransitionRequest r;
    r.reason = "We propose to pay the missing wages.";
    r.actions = std::move(actions);
    return r;
  }
  CaseStatus status_of(const std::string& ref) {
    return service_->casework.view_case(staff("admin@example.org"), ref)->c.status;
  }

  static constexpr const char* kPassword = "correct horse battery";
  FakeStores store_;
  FakeCrypto crypto_;
  SeededRandom random_{11};
  ManualClock clock_;
  PlainHasher hasher_;
  ServiceConfig config_;
  std::unique_ptr<Services> service_;
  std::int64_t plantation_ = 0, brand_ = 0, other_ = 0, union_ = 0, site_ = 0;
};

}  // namespace grievance::testing
