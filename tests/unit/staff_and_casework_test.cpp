// Staff sign-in (password, lockout, TOTP, idle and absolute expiry, sign-out), routing at
// filing and by triage, the case list's scope, and union batches - with fakes and an
// injected clock (issue 3 items 2, 3, 5 and 6).
#include <gtest/gtest.h>

#include <filesystem>

#include "server/domain/services.hpp"
#include "server/domain/totp.hpp"
#include "support/fakes.hpp"

namespace grievance::domain {
namespace {

using namespace std::chrono_literals;

// Not scrypt: fast and deterministic (the real hasher is tested in crypto_test.cpp).
class FakeHasher : public PasswordHasher {
 public:
  std::string hash(std::string_view password) const override {
    return "fake$" + std::string(password);
  }
  bool verify(std::string_view password, std::string_view stored) const override {
    ++verifications;
    return stored == "fake$" + std::string(password);
  }
  mutable int verifications = 0;
};

class StaffAndCaseworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.throttle.max_failures_per_subject = 3;
    service_ =
        std::make_unique<Services>(store_.ports(crypto_, random_, clock_, &hasher_), config_);
    supplier_ = org(OrgKind::kCompany, "Plantation");
    mill_ = org(OrgKind::kCompany, "Mill");
    brand_ = org(OrgKind::kCompany, "Brand");
    other_ = org(OrgKind::kCompany, "Other");
    union_ = org(OrgKind::kUnion, "Union");
    auditor_org_ = org(OrgKind::kAuditor, "Auditor");
    link(supplier_, mill_);
    link(mill_, brand_);
    link(brand_, supplier_);  // a cycle: routing must still terminate
    site_ = *store_.directory().create_site(
        Site{0, "Estate", "ID", "Riau", Sector::kPalmOil, supplier_});
    other_site_ =
        *store_.directory().create_site(Site{0, "Factory", "VN", "", Sector::kTextile, other_});
    user("admin@example.org", "admin", std::nullopt);
    user("union@example.org", "union", union_);
    user("plantation@example.org", "company", supplier_);
    user("brand@example.org", "company", brand_);
    user("other@example.org", "company", other_);
    user("auditor@example.org", "auditor", auditor_org_);
  }

  std::int64_t org(OrgKind kind, const char* name) {
    return *store_.directory().create_organisation(Organisation{0, kind, name, "ID", false});
  }
  void link(std::int64_t supplier, std::int64_t buyer) {
    ASSERT_TRUE(
        store_.directory().create_supply_link(SupplyLink{0, supplier, buyer, std::nullopt, false}));
  }
  void user(const char* email, const char* role, std::optional<std::int64_t> org_id) {
    UserDraft d;
    d.email = email;
    d.role = role;
    d.org_id = org_id;
    d.password = kPassword;
    auto u = new_user(store_.directory(), store_.accounts(), hasher_, d, clock_.now());
    ASSERT_TRUE(u) << u.error().message;
  }
  Session sign_in(const char* email) {
    auto s = service_->staff.sign_in(email, kPassword, "", "client");
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return s ? s->session : Session{};
  }
  ComplaintDraft draft(std::optional<std::int64_t> site) {
    ComplaintDraft d;
    d.language = "en";
    d.categories = std::vector<std::string>{"wages"};
    d.narrative = "Wages were not paid.";
    d.site_id = site;
    if (!site) d.place = "Somewhere in Riau";
    d.country = "ID";
    d.anonymous = true;
    return d;
  }

  static constexpr const char* kPassword = "correct horse battery";
  testing::FakeStores store_;
  testing::FakeCrypto crypto_;
  testing::SeededRandom random_{7};
  testing::ManualClock clock_;
  FakeHasher hasher_;
  ServiceConfig config_;
  std::unique_ptr<Services> service_;
  std::int64_t supplier_ = 0, mill_ = 0, brand_ = 0, other_ = 0, union_ = 0, auditor_org_ = 0;
  std::int64_t site_ = 0, other_site_ = 0;
};

// ---- sign-in -------------------------------------------------------------------------------

TEST_F(StaffAndCaseworkTest, SignInGivesARoleAndOrganisationScopedSession) {
  auto s = service_->staff.sign_in("Plantation@Example.org", kPassword, "", "c");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->session.role, Role::kCompany);
  EXPECT_EQ(s->session.org_id, supplier_);
  EXPECT_EQ(s->session.expires_at, clock_.now() + config_.staff_session_absolute);
  auto again = service_->sessions.authenticate(s->token);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->org_id, supplier_);
}

TEST_F(StaffAndCaseworkTest, WrongPasswordUnknownEmailAndDisabledAccountsAnswerAlike) {
  auto wrong = service_->staff.sign_in("admin@example.org", "not the password!", "", "c1");
  auto unknown = service_->staff.sign_in("nobody@example.org", kPassword, "", "c2");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  // An unknown e-mail still costs a password verification (timing does not tell).
  const int before = hasher_.verifications;
  (void)service_->staff.sign_in("ghost@example.org", kPassword, "", "c3");
  EXPECT_EQ(hasher_.verifications, before + 1);

  auto u = *store_.accounts().find_user_by_email("other@example.org");
  u->disabled = true;
  ASSERT_TRUE(store_.accounts().update_user(*u));
  auto disabled = service_->staff.sign_in("other@example.org", kPassword, "", "c4");
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().message, wrong.error().message);

  auto o = *store_.directory().find_organisation(brand_);
  o->disabled = true;
  ASSERT_TRUE(store_.directory().update_organisation(*o));
  EXPECT_FALSE(service_->staff.sign_in("brand@example.org", kPassword, "", "c5"));
}

TEST_F(StaffAndCaseworkTest, AccountLocksAfterRepeatedFailuresEvenWithTheRightPassword) {
  for (int i = 0; i < 3; ++i) {
    auto r = service_->staff.sign_in("admin@example.org", "wrong password!!", "", "c");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthorized);
  }
  auto locked = service_->staff.sign_in("ADMIN@example.org", kPassword, "", "another-client");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
  EXPECT_GT(locked.error().retry_after_seconds, 0);
  clock_.advance(config_.throttle.lockout + 1s);
  EXPECT_TRUE(service_->staff.sign_in("admin@example.org", kPassword, "", "c"));
}

TEST_F(StaffAndCaseworkTest, TotpIsRequiredOnceEnrolledAndACodeWorksOnce) {
  Session admin = sign_in("admin@example.org");
  auto enrolment = service_->staff.enrol_totp(admin, kPassword, "", "c");
  ASSERT_TRUE(enrolment) << enrolment.error().message;
  auto secret = base32_decode(enrolment->secret_base32);
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->size(), 20u);
  EXPECT_NE(enrolment->otpauth_uri.find("secret=" + enrolment->secret_base32), std::string::npos);

  auto missing = service_->staff.sign_in("admin@example.org", kPassword, "", "c");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kUnauthorized);
  auto wrong = service_->staff.sign_in("admin@example.org", kPassword, "000000", "c");
  const auto code = totp_code(crypto_, *secret, totp_step(clock_.now()));
  ASSERT_FALSE(wrong && code != "000000");
  auto ok = service_->staff.sign_in("admin@example.org", kPassword, code, "c");
  ASSERT_TRUE(ok) << ok.error().message;
  auto replayed = service_->staff.sign_in("admin@example.org", kPassword, code, "c");
  ASSERT_FALSE(replayed) << "RFC 6238 5.2: a code is accepted once";
  EXPECT_EQ(replayed.error().code, ErrorCode::kUnauthorized);
  clock_.advance(30s);
  const auto next = totp_code(crypto_, *secret, totp_step(clock_.now()));
  EXPECT_TRUE(service_->staff.sign_in("admin@example.org", kPassword, next, "c"));
}

// Issue 8: a right password with a missing or wrong code answered differently from a wrong
// password, which told a guesser that the password was right. One answer for every failure,
// and every failure counts against the account (else the lockout itself would tell).
TEST_F(StaffAndCaseworkTest, ARightPasswordWithAMissingOrWrongCodeAnswersLikeAWrongPassword) {
  Session admin = sign_in("admin@example.org");
  auto enrolment = service_->staff.enrol_totp(admin, kPassword, "", "c");
  ASSERT_TRUE(enrolment) << enrolment.error().message;
  auto secret = base32_decode(enrolment->secret_base32);
  ASSERT_TRUE(secret);
  const auto code = totp_code(crypto_, *secret, totp_step(clock_.now()));
  const std::string wrong_code = code == "000000" ? "111111" : "000000";

  auto wrong_password =
      service_->staff.sign_in("admin@example.org", "not the password!", code, "c1");
  auto missing = service_->staff.sign_in("admin@example.org", kPassword, "", "c2");
  auto wrong = service_->staff.sign_in("admin@example.org", kPassword, wrong_code, "c3");
  for (const auto* r : {&wrong_password, &missing, &wrong}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, ErrorCode::kUnauthorized);
    EXPECT_EQ(r->error().message, wrong_password.error().message);
    EXPECT_EQ(r->error().field, wrong_password.error().field);
  }
  // Three failures (the fixture's limit), whichever they were: the account is locked.
  auto locked = service_->staff.sign_in("admin@example.org", kPassword, code, "c4");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kRateLimited);
}

// Issue 8: a stolen session could replace the second factor. Enrolling needs the password;
// replacing an enrolled factor also a current code; failures answer alike and count.
TEST_F(StaffAndCaseworkTest, ReplacingTheSecondFactorNeedsThePasswordAndACurrentCode) {
  Session admin = sign_in("admin@example.org");
  auto first = service_->staff.enrol_totp(admin, kPassword, "", "c");
  ASSERT_TRUE(first) << first.error().message;
  auto secret = base32_decode(first->secret_base32);
  ASSERT_TRUE(secret);
  const auto code = totp_code(crypto_, *secret, totp_step(clock_.now()));

  auto session_only = service_->staff.enrol_totp(admin, kPassword, "", "c");
  auto wrong_code =
      service_->staff.enrol_totp(admin, kPassword, code == "000000" ? "111111" : "000000", "c");
  auto replaced = service_->staff.enrol_totp(admin, kPassword, code, "c");
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_NE(replaced->secret_base32, first->secret_base32);
  auto user = *store_.accounts().find_user_by_email("admin@example.org");
  EXPECT_EQ(base32_encode(user->totp_secret), replaced->secret_base32);
  // The old factor's code no longer works.
  EXPECT_FALSE(service_->staff.enrol_totp(admin, kPassword, code, "c"));

  auto wrong_password = service_->staff.enrol_totp(admin, "not the password!", code, "c");
  for (const auto* r : {&session_only, &wrong_code, &wrong_password}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code, ErrorCode::kForbidden);
    EXPECT_EQ(r->error().message, session_only.error().message);
    EXPECT_EQ(r->error().field, "password");
  }
  // A complainant has no second factor.
  Session complainant;
  complainant.role = Role::kComplainant;
  complainant.case_id = 1;
  auto refused = service_->staff.enrol_totp(complainant, kPassword, "", "c");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_F(StaffAndCaseworkTest, AdminsNeedTotpWhenConfigured) {
  config_.require_totp_for_admins = true;
  Services strict(store_.ports(crypto_, random_, clock_, &hasher_), config_);
  auto admin = strict.staff.sign_in("admin@example.org", kPassword, "", "c");
  ASSERT_FALSE(admin);
  EXPECT_EQ(admin.error().code, ErrorCode::kUnauthorized);
  auto wrong = strict.staff.sign_in("admin@example.org", "not the password!", "", "c");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(admin.error().message, wrong.error().message) << "the right password tells nothing";
  EXPECT_EQ(admin.error().field, wrong.error().field);
  EXPECT_TRUE(strict.staff.sign_in("union@example.org", kPassword, "", "c"));
}

TEST_F(StaffAndCaseworkTest, SessionsExpireWhenIdleAndAtTheAbsoluteLimit) {
  auto s = service_->staff.sign_in("union@example.org", kPassword, "", "c");
  ASSERT_TRUE(s);
  clock_.advance(29min);
  ASSERT_TRUE(service_->sessions.authenticate(s->token)) << "activity within the idle limit";
  clock_.advance(29min);
  ASSERT_TRUE(service_->sessions.authenticate(s->token)) << "each request restarts the idle clock";
  clock_.advance(31min);
  EXPECT_FALSE(service_->sessions.authenticate(s->token)) << "idle for 31 minutes";

  auto busy = service_->staff.sign_in("union@example.org", kPassword, "", "c");
  ASSERT_TRUE(busy);
  for (int i = 0; i < 8 * 3; ++i) {  // active every 20 minutes for 8 hours
    clock_.advance(20min);
    auto r = service_->sessions.authenticate(busy->token);
    if (clock_.now() >= busy->session.expires_at) {
      EXPECT_FALSE(r) << "absolute limit";
    } else {
      EXPECT_TRUE(r) << i;
    }
  }
}

TEST_F(StaffAndCaseworkTest, SignOutInvalidatesForReal) {
  auto s = service_->staff.sign_in("union@example.org", kPassword, "", "c");
  ASSERT_TRUE(s);
  ASSERT_TRUE(service_->sessions.sign_out(s->token));
  EXPECT_FALSE(service_->sessions.authenticate(s->token));
}

TEST_F(StaffAndCaseworkTest, DisablingAUserSignsThemOutEverywhere) {
  auto s = service_->staff.sign_in("union@example.org", kPassword, "", "c");
  ASSERT_TRUE(s);
  DirectoryService admin(store_.directory(), store_.accounts(), hasher_, clock_);
  auto u = *store_.accounts().find_user_by_email("union@example.org");
  UserDraft d;
  d.disabled = true;
  ASSERT_TRUE(admin.update_user(sign_in("admin@example.org"), (*u).id, d));
  EXPECT_FALSE(service_->sessions.authenticate(s->token));
}

// ---- routing -------------------------------------------------------------------------------

TEST_F(StaffAndCaseworkTest, FilingRoutesToTheOperatorAndUpTheChainAsEvents) {
  auto filed = service_->filing.file_complaint(draft(site_), Channel::kWeb);
  ASSERT_TRUE(filed) << filed.error().message;
  const auto& parties = filed->filed.parties;
  ASSERT_EQ(parties.size(), 3u);
  EXPECT_EQ(parties[0].org_id, supplier_);
  EXPECT_EQ(parties[0].role, PartyRole::kResponsible);
  EXPECT_EQ(parties[1].org_id, mill_);
  EXPECT_EQ(parties[2].org_id, brand_);
  EXPECT_EQ(parties[2].role, PartyRole::kBuyer);
  auto events = *store_.cases().case_events(filed->filed.id);
  ASSERT_EQ(events.size(), 4u);  // filed + three routed
  EXPECT_EQ(events[1].type, EventType::kRouted);
  EXPECT_EQ(events[1].actor_org_id, supplier_);
  EXPECT_EQ(events[1].body, "responsible");
  EXPECT_EQ(events[3].body, "buyer");
}

TEST_F(StaffAndCaseworkTest, UnknownSiteGoesToTriageAndAnAdminAssignsIt) {
  auto filed = service_->filing.file_complaint(draft(std::nullopt), Channel::kWeb);
  ASSERT_TRUE(filed);
  EXPECT_TRUE(filed->filed.parties.empty());
  const auto ref = filed->filed.reference;

  Session company = sign_in("plantation@example.org");
  auto by_company = service_->casework.assign_case(company, ref, supplier_);
  ASSERT_FALSE(by_company);
  EXPECT_EQ(by_company.error().code, ErrorCode::kNotFound) << "a triage case is invisible";

  Session admin = sign_in("admin@example.org");
  CaseListRequest triage;
  triage.triage = true;
  auto queue = service_->casework.list_cases(admin, triage);
  ASSERT_TRUE(queue);
  ASSERT_EQ(queue->rows.size(), 1u);
  EXPECT_EQ(queue->rows[0].c.reference, ref);

  auto bad = service_->casework.assign_case(admin, ref, union_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "org_id");
  auto assigned = service_->casework.assign_case(admin, ref, mill_);
  ASSERT_TRUE(assigned) << assigned.error().message;
  ASSERT_EQ(assigned->c.parties.size(), 3u);  // mill -> brand -> plantation (the cycle)
  EXPECT_EQ(assigned->c.parties[0].org_id, mill_);
  auto twice = service_->casework.assign_case(admin, ref, mill_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(service_->casework.view_case(company, ref))
      << "routed now: the plantation is a buyer";
  auto events = *store_.cases().case_events(filed->filed.id);
  EXPECT_EQ(events.back().type, EventType::kRouted);
  EXPECT_EQ(events.back().actor_role, Role::kAdmin);
  EXPECT_TRUE(service_->casework.list_cases(admin, triage)->rows.empty());
}

// ---- who sees what -------------------------------------------------------------------------

TEST_F(StaffAndCaseworkTest, CompaniesSeeOnlyTheirCasesAndNeverAnAnonymousContact) {
  auto d = draft(site_);
  d.contact = ContactDraft{"MARKER-ANON", "+62 811 000", std::nullopt};
  auto mine = service_->filing.file_complaint(d, Channel::kWeb);
  auto theirs = service_->filing.file_complaint(draft(other_site_), Channel::kWeb);
  ASSERT_TRUE(mine && theirs);

  Session plantation = sign_in("plantation@example.org");
  Session brand = sign_in("brand@example.org");
  Session other = sign_in("other@example.org");
  Session auditor = sign_in("auditor@example.org");

  auto view = service_->casework.view_case(plantation, mine->filed.reference);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->access, CaseAccess::kAct);
  EXPECT_FALSE(view->show_contact);
  EXPECT_FALSE(view->c.complaint.contact) << "not even handed to the HTTP layer";
  EXPECT_TRUE(view->c.parties.empty()) << "the chain is the admin's to see";
  auto buyer_view = service_->casework.view_case(brand, mine->filed.reference);
  ASSERT_TRUE(buyer_view);
  EXPECT_EQ(buyer_view->access, CaseAccess::kMessage);
  EXPECT_EQ(buyer_view->viewer_party, PartyRole::kBuyer);
  for (const Session* s : {&other, &auditor}) {
    auto hidden = service_->casework.view_case(*s, mine->filed.reference);
    ASSERT_FALSE(hidden);
    EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
  }

  auto list = service_->casework.list_cases(plantation, {});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->rows.size(), 1u);
  EXPECT_EQ(list->rows[0].c.reference, mine->filed.reference);
  EXPECT_EQ(list->rows[0].viewer_party, PartyRole::kResponsible);
  EXPECT_TRUE(list->rows[0].c.complaint.narrative.empty());
  auto other_list = service_->casework.list_cases(other, {});
  ASSERT_TRUE(other_list);
  ASSERT_EQ(other_list->rows.size(), 1u);
  EXPECT_EQ(other_list->rows[0].c.reference, theirs->filed.reference);
  auto audit = service_->casework.list_cases(auditor, {});
  ASSERT_FALSE(audit);
  EXPECT_EQ(audit.error().code, ErrorCode::kForbidden);
}

TEST_F(StaffAndCaseworkTest, ABuyerMayWriteButAUnionWithoutFollowMayOnlyRead) {
  Session union_session = sign_in("union@example.org");
  auto d = draft(site_);
  d.mandate = Mandate{/*follow=*/false, false, false, 0};
  auto filed = service_->filing.file_complaint(d, Channel::kWeb, {}, &union_session);
  ASSERT_TRUE(filed) << filed.error().message;
  const auto ref = filed->filed.reference;
  auto read = service_->casework.view_case(union_session, ref);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->access, CaseAccess::kRead);
  EXPECT_TRUE(read->show_contact);
  auto write = service_->casework.post_message(union_session, ref, "hello", Visibility::kParties);
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, ErrorCode::kForbidden);
  Session brand = sign_in("brand@example.org");
  EXPECT_TRUE(
      service_->casework.post_message(brand, ref, "We are looking into it.", Visibility::kParties));
  auto note = service_->casework.post_message(brand, ref, "internal", Visibility::kOrganisation);
  ASSERT_TRUE(note);
  auto union_view = service_->casework.view_case(union_session, ref);
  ASSERT_TRUE(union_view);
  for (const auto& e : union_view->events) EXPECT_NE(e.body, "internal");
}

// Issue 8: the actor of each event is labelled from the viewer's point of view, in the view:
// "you" only for the complainant's own words, "your organisation" only for the viewer's own.
TEST_F(StaffAndCaseworkTest, EachEventsActorIsLabelledFromTheViewersPointOfView) {
  using Kind = ActorLabel::Kind;
  auto filed = service_->filing.file_complaint(draft(site_), Channel::kWeb);
  ASSERT_TRUE(filed);
  const auto ref = filed->filed.reference;
  Session complainant;
  complainant.role = Role::kComplainant;
  complainant.case_id = filed->filed.id;
  ASSERT_TRUE(
      service_->casework.post_message(complainant, ref, "Still unpaid.", Visibility::kParties));
  Session plantation = sign_in("plantation@example.org");
  ASSERT_TRUE(
      service_->casework.post_message(plantation, ref, "We are checking.", Visibility::kParties));
  // filed, routed x3, the complainant's message, the plantation's message
  auto labels_for = [&](const Session& s) {
    auto view = service_->casework.view_case(s, ref);
    EXPECT_TRUE(view) << view.error().message;
    EXPECT_EQ(view->event_labels.size(), view->events.size());
    return view->event_labels;
  };

  const auto own = labels_for(complainant);
  ASSERT_EQ(own.size(), 6u);
  EXPECT_EQ(own[0].actor.kind, Kind::kComplainant);
  EXPECT_TRUE(own[0].actor.yours) << "the complainant's own filing: you";
  EXPECT_EQ(own[5].actor.kind, Kind::kCompany);
  EXPECT_FALSE(own[5].actor.yours);
  EXPECT_TRUE(own[5].actor.name.empty()) << "the complainant sees no organisation names";

  const auto company = labels_for(plantation);
  EXPECT_EQ(company[0].actor.kind, Kind::kComplainant);
  EXPECT_FALSE(company[0].actor.yours) << "the complainant is not the company's 'you'";
  EXPECT_FALSE(company[4].actor.yours);
  EXPECT_EQ(company[5].actor.kind, Kind::kCompany);
  EXPECT_TRUE(company[5].actor.yours);
  EXPECT_EQ(company[5].actor.name, "Plantation");
  // Routing is the system's act; the company it reached is named apart, as the viewer's own.
  EXPECT_EQ(company[1].actor.kind, Kind::kSystem);
  ASSERT_TRUE(company[1].routed_to);
  EXPECT_TRUE(company[1].routed_to->yours);

  const auto buyer = labels_for(sign_in("brand@example.org"));
  EXPECT_EQ(buyer[0].actor.kind, Kind::kComplainant);
  EXPECT_FALSE(buyer[0].actor.yours);
  EXPECT_EQ(buyer[5].actor.kind, Kind::kCompany);
  EXPECT_FALSE(buyer[5].actor.yours) << "another company's message is not the buyer's";

  Session admin = sign_in("admin@example.org");
  const auto for_admin = labels_for(admin);
  EXPECT_EQ(for_admin[0].actor.kind, Kind::kComplainant);
  EXPECT_FALSE(for_admin[0].actor.yours);
  EXPECT_EQ(for_admin[5].actor.name, "Plantation");
  EXPECT_FALSE(for_admin[5].actor.yours);
  ASSERT_TRUE(for_admin[3].routed_to);
  EXPECT_EQ(for_admin[3].routed_to->name, "Brand");
  ASSERT_TRUE(service_->casework.post_message(admin, ref, "Noted.", Visibility::kParties));
  const auto after = labels_for(admin);
  EXPECT_EQ(after.back().actor.kind, Kind::kComplaintsOffice);
  EXPECT_TRUE(after.back().actor.yours);
  EXPECT_FALSE(labels_for(plantation).back().actor.yours);

  // A union's filing: the union's own for the union, "a union" for the others.
  auto by_union = draft(site_);
  by_union.mandate = Mandate{true, false, false, 1};
  Session union_session = sign_in("union@example.org");
  auto union_filed = service_->filing.file_complaint(by_union, Channel::kUnion, {}, &union_session);
  ASSERT_TRUE(union_filed) << union_filed.error().message;
  auto union_view = service_->casework.view_case(union_session, union_filed->filed.reference);
  ASSERT_TRUE(union_view);
  EXPECT_EQ(union_view->event_labels[0].actor.kind, Kind::kUnion);
  EXPECT_TRUE(union_view->event_labels[0].actor.yours);
  EXPECT_EQ(union_view->viewer.role, Role::kUnion);
  EXPECT_EQ(union_view->viewer.organisation_name, "Union");
  auto company_view = service_->casework.view_case(plantation, union_filed->filed.reference);
  ASSERT_TRUE(company_view);
  EXPECT_EQ(company_view->event_labels[0].actor.kind, Kind::kUnion);
  EXPECT_FALSE(company_view->event_labels[0].actor.yours);
}

TEST_F(StaffAndCaseworkTest, CaseListPagesWithACursorNewestFirstWithoutGapsOrRepeats) {
  Session admin = sign_in("admin@example.org");
  std::vector<std::string> filed;
  for (int i = 0; i < 23; ++i) {
    auto f = service_->filing.file_complaint(draft(i % 2 ? site_ : other_site_), Channel::kWeb);
    ASSERT_TRUE(f);
    filed.push_back(f->filed.reference);
    if (i % 3 == 0) clock_.advance(1s);  // some share a timestamp: the id breaks the tie
  }
  std::vector<std::string> seen;
  CaseListRequest r;
  r.limit = "5";
  for (int page = 0; page < 10; ++page) {
    auto p = service_->casework.list_cases(admin, r);
    ASSERT_TRUE(p) << p.error().message;
    for (const auto& row : p->rows) seen.push_back(row.c.reference);
    if (p->next_cursor.empty()) break;
    r.cursor = p->next_cursor;
  }
  std::reverse(filed.begin(), filed.end());
  EXPECT_EQ(seen, filed);

  CaseListRequest bad;
  bad.cursor = "nonsense";
  EXPECT_EQ(service_->casework.list_cases(admin, bad).error().field, "cursor");
  bad = {};
  bad.limit = "101";
  EXPECT_EQ(service_->casework.list_cases(admin, bad).error().field, "limit");
  bad = {};
  bad.status = "lost";
  EXPECT_EQ(service_->casework.list_cases(admin, bad).error().field, "status");
  CaseListRequest by_country;
  by_country.country = "VN";
  EXPECT_EQ(service_->casework.list_cases(admin, by_country)->rows.size(), 0u)
      << "country is the complaint's (ID in every draft here)";
}

// ---- batches -------------------------------------------------------------------------------

TEST_F(StaffAndCaseworkTest, BatchStoresValidRowsAnswersInvalidOnesAndReplaysOnRetry) {
  Session union_session = sign_in("union@example.org");
  std::vector<ComplaintDraft> rows;
  for (int i = 0; i < 5; ++i) {
    auto d = draft(site_);
    d.mandate = Mandate{true, false, false, 0};
    d.narrative = "Row " + std::to_string(i);
    rows.push_back(d);
  }
  rows[1].country = "XX";
  rows[3].mandate.reset();
  const int writes_before = store_.writes;
  auto first = service_->filing.file_batch(union_session, rows, "batch-key-0001");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->stored, 3);
  EXPECT_EQ(first->failed, 2);
  EXPECT_EQ(store_.writes, writes_before + 1) << "all valid rows in one transaction";
  EXPECT_FALSE(first->rows[1].ok);
  EXPECT_EQ(first->rows[1].error.field, "country");
  EXPECT_EQ(first->rows[3].error.field, "mandate");
  ASSERT_TRUE(first->rows[0].ok);
  EXPECT_EQ(first->rows[0].filed.access_code.size(), 16u);
  EXPECT_EQ(first->rows[0].filed.filed.complaint.channel, Channel::kPaper);
  EXPECT_EQ(first->rows[0].filed.filed.complaint.union_org_id, union_);
  EXPECT_EQ(*store_.cases().count_cases(), 3);

  // The union corrects the two rows and sends the batch again with the same key.
  rows[1].country = "ID";
  rows[3].mandate = Mandate{true, false, false, 0};
  auto retry = service_->filing.file_batch(union_session, rows, "batch-key-0001");
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->replayed, 3);
  EXPECT_EQ(retry->stored, 2);
  EXPECT_EQ(retry->rows[0].filed.filed.reference, first->rows[0].filed.filed.reference);
  EXPECT_TRUE(retry->rows[0].filed.replayed);
  EXPECT_TRUE(retry->rows[0].filed.access_code.empty());
  EXPECT_EQ(*store_.cases().count_cases(), 5);
  auto third = service_->filing.file_batch(union_session, rows, "batch-key-0001");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->replayed, 5);
  EXPECT_EQ(*store_.cases().count_cases(), 5) << "nothing twice";
}

// Issue 8: the same file uploaded again without an Idempotency-Key filed every row a second
// time. The file's content and the union make the filing key: the same file answers the first
// upload's result; another union's identical file is its own.
TEST_F(StaffAndCaseworkTest, TheSameBatchFileAgainAnswersTheFirstUpload) {
  Session union_session = sign_in("union@example.org");
  std::vector<ComplaintDraft> rows;
  for (int i = 0; i < 3; ++i) {
    auto d = draft(site_);
    d.mandate = Mandate{true, false, false, 0};
    d.narrative = "Row " + std::to_string(i);
    rows.push_back(d);
  }
  rows[2].categories.reset();
  const std::string file = "language,categories,narrative\nthe bytes of the uploaded file\n";
  auto first = service_->filing.file_batch(union_session, rows, "", file);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->stored, 2);
  EXPECT_EQ(first->failed, 1);
  auto again = service_->filing.file_batch(union_session, rows, "", file);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->stored, 0);
  EXPECT_EQ(again->replayed, 2);
  EXPECT_EQ(again->failed, 1);
  EXPECT_EQ(again->rows[0].filed.filed.reference, first->rows[0].filed.filed.reference);
  EXPECT_TRUE(again->rows[0].filed.replayed);
  EXPECT_TRUE(again->rows[0].filed.access_code.empty());
  EXPECT_EQ(*store_.cases().count_cases(), 2);

  // Checked before filing, the file says which rows an earlier upload stored.
  auto checked = service_->filing.check_batch(union_session, rows, "", file);
  ASSERT_TRUE(checked) << checked.error().message;
  ASSERT_EQ(checked->size(), 3u);
  ASSERT_TRUE((*checked)[0].filed_before);
  EXPECT_EQ((*checked)[0].filed_before->reference, first->rows[0].filed.filed.reference);
  EXPECT_FALSE((*checked)[2].filed_before);
  EXPECT_FALSE((*checked)[2].problems.empty());

  // Another file, or an explicit key, is another upload.
  auto other_file = service_->filing.file_batch(union_session, rows, "", file + "\n");
  ASSERT_TRUE(other_file);
  EXPECT_EQ(other_file->stored, 2);
  EXPECT_EQ(*store_.cases().count_cases(), 4);
}

// Issue 8: a batch row's problems are all named at once (the union corrects the file once),
// and checking stores nothing.
TEST_F(StaffAndCaseworkTest, CheckingABatchNamesEveryProblemOfEveryRow) {
  Session union_session = sign_in("union@example.org");
  ComplaintDraft good = draft(site_);
  good.mandate = Mandate{true, false, false, 0};
  ComplaintDraft bad;
  bad.language = "xx";
  bad.narrative = "   ";
  bad.site_id = 999999;
  bad.incident_date = "2999-01-01";
  bad.contact = ContactDraft{std::nullopt, "abc", "not-an-address"};
  bad.mandate = Mandate{false, false, true, 1};
  ComplaintDraft no_mandate = draft(site_);
  auto checked = service_->filing.check_batch(union_session, {good, bad, no_mandate}, "", "");
  ASSERT_TRUE(checked) << checked.error().message;
  ASSERT_EQ(checked->size(), 3u);
  EXPECT_TRUE((*checked)[0].problems.empty());
  std::vector<std::string> fields;
  for (const auto& e : (*checked)[1].problems) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"language", "categories", "narrative", "site_id",
                                              "incident_date", "contact.phone", "contact.email",
                                              "mandate.headcount"}));
  ASSERT_EQ((*checked)[2].problems.size(), 1u);
  EXPECT_EQ((*checked)[2].problems[0].field, "mandate");
  EXPECT_EQ(*store_.cases().count_cases(), 0);
  Session company = sign_in("plantation@example.org");
  EXPECT_EQ(service_->filing.check_batch(company, {good}, "", "").error().code,
            ErrorCode::kForbidden);
}

TEST_F(StaffAndCaseworkTest, AKnownSiteNamesTheCountryWhenTheRowLeavesItOut) {
  Session union_session = sign_in("union@example.org");
  auto d = draft(other_site_);  // in VN
  d.country.reset();
  d.mandate = Mandate{true, false, false, 0};
  auto batch = service_->filing.file_batch(union_session, {d}, "");
  ASSERT_TRUE(batch);
  ASSERT_TRUE(batch->rows[0].ok) << batch->rows[0].error.message;
  EXPECT_EQ(batch->rows[0].filed.filed.complaint.country, "VN");
  d.site_id.reset();
  d.place = "A farm";
  auto without_site = service_->filing.file_batch(union_session, {d}, "");
  ASSERT_TRUE(without_site);
  EXPECT_EQ(without_site->rows[0].error.field, "country");
}

TEST_F(StaffAndCaseworkTest, BatchLimitsAndRoles) {
  Session union_session = sign_in("union@example.org");
  Session company = sign_in("plantation@example.org");
  std::vector<ComplaintDraft> one{draft(site_)};
  one[0].mandate = Mandate{true, false, false, 0};
  EXPECT_EQ(service_->filing.file_batch(company, one, "").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(service_->filing.file_batch(union_session, {}, "").error().field, "rows");
  std::vector<ComplaintDraft> too_many(kMaxBatchRows + 1, one[0]);
  EXPECT_EQ(service_->filing.file_batch(union_session, too_many, "").error().field, "rows");
  EXPECT_EQ(*store_.cases().count_cases(), 0);
  store_.fail_writes = true;
  auto down = service_->filing.file_batch(union_session, one, "");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace grievance::domain
