// ONE contract for the domain's three stores, run against the in-memory fakes the unit and
// handler tests use (tests/support/fake_stores.hpp) and against SQLite (storage/sqlite), so the
// fake cannot drift from the real store. Each TYPED_TEST is a promise of the port headers
// (server/domain/ports/*.hpp); the rule behind "overdue" is the domain's (deadlines.hpp), and
// both stores are checked against it case by case.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "server/domain/deadlines.hpp"
#include "store_fixture.hpp"
#include "support/fake_stores.hpp"

namespace grievance::storage::testing {
namespace {

using domain::Case;
using domain::CaseEvent;
using domain::CaseParty;
using domain::CaseStatus;
using domain::ErrorCode;
using domain::PartyRole;

// The in-memory world of the unit and handler tests.
class FakeBackend {
 public:
  domain::CaseStore& cases() { return stores_.cases(); }
  domain::DirectoryStore& directory() { return stores_.directory(); }
  domain::AccountStore& accounts() { return stores_.accounts(); }

 private:
  grievance::testing::FakeStores stores_;
};

// The real stores over a fresh database file with real keys.
class SqliteBackend {
 public:
  SqliteBackend() {
    auto keys = crypto::load_or_create_keys((dir_.path() / "keys").string());
    if (!keys) std::abort();
    cipher_ = crypto::make_field_cipher(*keys);
    crypto_ = crypto::make_crypto(*keys);
    auto stores =
        open_sqlite_stores({(dir_.path() / "grievance.db").string(), 2}, *cipher_, *crypto_);
    if (!stores) std::abort();
    stores_ = std::move(*stores);
  }
  domain::CaseStore& cases() { return stores_->cases(); }
  domain::DirectoryStore& directory() { return stores_->directory(); }
  domain::AccountStore& accounts() { return stores_->accounts(); }

 private:
  TempDir dir_;
  std::unique_ptr<domain::FieldCipher> cipher_;
  std::unique_ptr<domain::Crypto> crypto_;
  std::unique_ptr<SqliteStores> stores_;
};

template <class Backend>
class StoreContract : public ::testing::Test {
 protected:
  domain::CaseStore& cases() { return backend_.cases(); }
  domain::DirectoryStore& directory() { return backend_.directory(); }
  domain::AccountStore& accounts() { return backend_.accounts(); }

  std::int64_t org(domain::OrgKind kind, std::string name, bool disabled = false) {
    auto id = directory().create_organisation({0, kind, std::move(name), "ID", disabled});
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }
  std::int64_t site(std::string name, std::string country, domain::Sector sector,
                    std::optional<std::int64_t> operator_id, std::string region = "") {
    auto id = directory().create_site(
        {0, std::move(name), std::move(country), std::move(region), sector, operator_id, false});
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }
  // A case created at `created`, with deadlines 7/30/90 days later and the given parties.
  Case make_case(std::int64_t created, std::vector<CaseParty> parties = {},
                 std::optional<std::int64_t> site_id = std::nullopt) {
    Case c = sample_case(next_reference("C"));
    c.created_at = at(created);
    c.updated_at = at(created);
    c.deadlines = {at(created + 7 * 86400), at(created + 30 * 86400), at(created + 90 * 86400)};
    c.parties = std::move(parties);
    c.complaint.site_id = site_id;
    return c;
  }
  std::int64_t store(const Case& c, std::vector<CaseEvent> events = {filed_event()}) {
    auto id = cases().create_case(c, events);
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id.value_or(0);
  }
  std::vector<std::string> references(const domain::CaseQuery& q) {
    auto listed = cases().list_cases(q);
    EXPECT_TRUE(listed.has_value());
    std::vector<std::string> out;
    for (const auto& c : listed.value_or(std::vector<Case>{})) out.push_back(c.reference);
    return out;
  }

  Backend backend_;
};

using Backends = ::testing::Types<FakeBackend, SqliteBackend>;
class BackendNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, FakeBackend> ? "Fake" : "Sqlite";
  }
};
TYPED_TEST_SUITE(StoreContract, Backends, BackendNames);

// ---- cases -------------------------------------------------------------------------------

TYPED_TEST(StoreContract, ACaseComesBackWithEveryFieldItsPartiesAndItsEventsInOrder) {
  const auto a = this->org(domain::OrgKind::kCompany, "A");
  const auto b = this->org(domain::OrgKind::kCompany, "B");
  const auto union_id = this->org(domain::OrgKind::kUnion, "U");
  const auto s = this->site("Estate", "ID", domain::Sector::kPalmOil, a);
  Case c =
      this->make_case(1'800'000'000, {{b, PartyRole::kBuyer}, {a, PartyRole::kResponsible}}, s);
  c.complaint.union_org_id = union_id;
  c.complaint.mandate = domain::Mandate{true, false, true, 12};
  c.filing_key_hash = "key-1";
  CaseEvent second = filed_event();
  second.type = domain::EventType::kRouted;
  second.actor_org_id = a;
  second.body = "responsible";
  const auto id = this->store(c, {filed_event(), second});

  auto found = this->cases().find_case_by_reference(c.reference);
  ASSERT_TRUE(found.has_value() && found->has_value());
  const Case& got = **found;
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.complaint.narrative, c.complaint.narrative);
  EXPECT_EQ(got.complaint.contact->name, c.complaint.contact->name);
  EXPECT_EQ(got.complaint.categories, c.complaint.categories);
  EXPECT_EQ(got.complaint.incident_date, c.complaint.incident_date);
  EXPECT_EQ(got.complaint.site_id, s);
  EXPECT_EQ(got.complaint.union_org_id, union_id);
  EXPECT_EQ(got.complaint.mandate->headcount, 12);
  EXPECT_EQ(got.deadlines.resolution_due, c.deadlines.resolution_due);
  EXPECT_EQ(got.content_sha256, c.content_sha256);
  ASSERT_EQ(got.parties.size(), 2u);
  EXPECT_EQ(got.parties[0].org_id, a) << "the responsible company first";
  EXPECT_EQ(got.parties[1].org_id, b);
  EXPECT_EQ((*this->cases().find_case(id))->reference, c.reference);
  EXPECT_EQ((*this->cases().find_case_by_filing_key("key-1"))->reference, c.reference);
  EXPECT_FALSE(this->cases().find_case_by_filing_key("key-2")->has_value());
  EXPECT_FALSE(this->cases().find_case_by_reference("GRV-NONE-NONE")->has_value());
  EXPECT_FALSE(this->cases().find_case(id + 1000)->has_value());

  auto record = this->cases().read_case(c.reference);
  ASSERT_TRUE(record.has_value() && record->has_value());
  EXPECT_EQ((*record)->c.parties.size(), 2u);
  ASSERT_EQ((*record)->events.size(), 2u);
  EXPECT_EQ((*record)->events[0].seq, 1);
  EXPECT_EQ((*record)->events[1].seq, 2);
  EXPECT_EQ((*record)->events[1].body, "responsible");
  EXPECT_EQ((*record)->events[1].actor_org_id, a);
  EXPECT_EQ((*record)->events[1].case_id, id);
  EXPECT_FALSE(this->cases().read_case("GRV-NONE-NONE")->has_value());
  EXPECT_EQ(*this->cases().count_cases(), 1);
  EXPECT_TRUE(this->cases().health().answers);
  EXPECT_FALSE(this->cases().health().writes_refused);
}

TYPED_TEST(StoreContract, ADuplicateReferenceOrFilingKeyIsAConflictAndStoresNothing) {
  Case c = this->make_case(1'800'000'000);
  c.filing_key_hash = "once";
  this->store(c);
  Case same_reference = this->make_case(1'800'000'001);
  same_reference.reference = c.reference;
  auto r = this->cases().create_case(same_reference, {filed_event()});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  Case same_key = this->make_case(1'800'000'002);
  same_key.filing_key_hash = "once";
  auto k = this->cases().create_case(same_key, {filed_event()});
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, ErrorCode::kConflict);
  EXPECT_EQ(*this->cases().count_cases(), 1);
}

TYPED_TEST(StoreContract, ABatchIsStoredWhollyOrNotAtAll) {
  std::vector<domain::CaseStore::NewCase> batch;
  for (int i = 0; i < 5; ++i)
    batch.push_back({this->make_case(1'800'000'000 + i), {filed_event()}});
  auto ids = this->cases().create_cases(batch);
  ASSERT_TRUE(ids.has_value());
  ASSERT_EQ(ids->size(), 5u);
  EXPECT_TRUE(std::is_sorted(ids->begin(), ids->end()));

  std::vector<domain::CaseStore::NewCase> spoiled;
  for (int i = 0; i < 3; ++i) spoiled.push_back({this->make_case(1'800'100'000 + i), {}});
  spoiled.back().c.reference = batch[0].c.reference;  // the last row clashes
  auto r = this->cases().create_cases(spoiled);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(*this->cases().count_cases(), 5) << "no row of the spoiled batch was kept";
  EXPECT_FALSE(this->cases().find_case_by_reference(spoiled[0].c.reference)->has_value());
}

TYPED_TEST(StoreContract, EventsAppendInSequenceAndMayMoveTheStatus) {
  const auto id = this->store(this->make_case(1'800'000'000));
  CaseEvent message = filed_event();
  message.type = domain::EventType::kMessage;
  message.at = at(1'800'000'500);
  message.body = "hello";
  ASSERT_TRUE(this->cases().append_event(id, message, std::nullopt).has_value());
  CaseEvent ack = filed_event();
  ack.type = domain::EventType::kStatusChanged;
  ack.at = at(1'800'000'900);
  ack.from_status = CaseStatus::kReceived;
  ack.to_status = CaseStatus::kAcknowledged;
  ASSERT_TRUE(this->cases().append_event(id, ack, CaseStatus::kAcknowledged).has_value());
  auto c = *this->cases().find_case(id);
  EXPECT_EQ(c->status, CaseStatus::kAcknowledged);
  EXPECT_EQ(c->updated_at, at(1'800'000'900));
  auto events = *this->cases().case_events(id);
  ASSERT_EQ(events.size(), 3u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, static_cast<int>(i) + 1);
  EXPECT_EQ(events[1].body, "hello");
  EXPECT_EQ(events[2].to_status, CaseStatus::kAcknowledged);
  auto missing = this->cases().append_event(id + 1000, message, std::nullopt);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TYPED_TEST(StoreContract, RoutingATriageCaseAddsPartiesOnceWithItsEvents) {
  const auto a = this->org(domain::OrgKind::kCompany, "A");
  const auto b = this->org(domain::OrgKind::kCompany, "B");
  const auto id = this->store(this->make_case(1'800'000'000));
  CaseEvent routed = filed_event();
  routed.type = domain::EventType::kRouted;
  routed.at = at(1'800'001'000);
  ASSERT_TRUE(this->cases()
                  .add_case_parties(id, {{b, PartyRole::kBuyer}, {a, PartyRole::kResponsible}},
                                    {routed}, std::nullopt)
                  .has_value());
  auto c = *this->cases().find_case(id);
  ASSERT_EQ(c->parties.size(), 2u);
  EXPECT_EQ(c->parties[0].role, PartyRole::kResponsible);
  EXPECT_EQ(c->updated_at, at(1'800'001'000));
  EXPECT_EQ(this->cases().case_events(id)->size(), 2u);
  auto again = this->cases().add_case_parties(id, {{a, PartyRole::kResponsible}}, {}, std::nullopt);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto unknown =
      this->cases().add_case_parties(id + 1000, {{a, PartyRole::kResponsible}}, {}, std::nullopt);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  // The company's clock, started at the assignment, is written with the parties.
  const auto later = this->store(this->make_case(1'800'000'001));
  const domain::Deadlines started{at(1'800'700'000), at(1'802'600'000), at(1'808'000'000)};
  ASSERT_TRUE(this->cases()
                  .add_case_parties(later, {{a, PartyRole::kResponsible}}, {routed},
                                    domain::CaseStore::AssignedClock{started, at(1'800'500'000)})
                  .has_value());
  auto assigned = *this->cases().find_case(later);
  EXPECT_EQ(assigned->deadlines.ack_due, started.ack_due);
  EXPECT_EQ(assigned->deadlines.response_due, started.response_due);
  EXPECT_EQ(assigned->deadlines.resolution_due, started.resolution_due);
  EXPECT_EQ(assigned->next_check_at, at(1'800'500'000));
}

TYPED_TEST(StoreContract, ACasesLifeIsWrittenWithItsEventsOnlyOverTheCurrentState) {
  const auto a = this->org(domain::OrgKind::kCompany, "A");
  const auto id = this->store(this->make_case(1'800'000'000, {{a, PartyRole::kResponsible}}));
  auto before = *this->cases().find_case(id);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->event_count, 1);

  Case c = *before;
  c.status = CaseStatus::kRemedyProposed;
  c.deadlines.resolution_due = at(1'810'000'000);
  c.paused_since = at(1'800'000'100);
  c.retaliation = true;
  c.remedy_failed = true;
  c.follow_up_answer = domain::RemedyHeld::kPartly;
  c.identity = domain::IdentityLevel::kShared;
  c.disclosure_requested_by = a;
  c.satisfaction = 4;
  c.next_check_at = at(1'800'500'000);
  c.remedy = {
      {1, "Pay the overtime owed since March", a, std::chrono::year{2027} / 1 / 31,
       at(1'800'000'200), "Paid on 12 January", domain::ActionVerdict::kDisputed,
       "Only half was paid", at(1'800'000'300)},
      {2, "Post the overtime rules in Bahasa Indonesia", a, std::chrono::year{2027} / 2 / 28,
       std::nullopt, "", std::nullopt, "", std::nullopt},
  };
  CaseEvent moved = filed_event();
  moved.type = domain::EventType::kStatusChanged;
  moved.at = at(1'800'000'400);
  moved.from_status = CaseStatus::kReceived;
  moved.to_status = CaseStatus::kRemedyProposed;
  moved.body = "We propose to pay what is owed.";
  moved.outcome = domain::Outcome::kUnfounded;
  moved.external_body = domain::ExternalBody::kMediation;
  moved.action = 2;
  moved.score = 5;
  moved.detail = "The reasoning, in full.";
  ASSERT_TRUE(this->cases().update_case(c, {moved}, 1).has_value());

  auto stale = this->cases().update_case(c, {moved}, 1);
  ASSERT_FALSE(stale.has_value()) << "written over a state that is no longer current";
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

  auto record = this->cases().read_case(c.reference);
  ASSERT_TRUE(record && record->has_value());
  const Case& got = (*record)->c;
  EXPECT_EQ(got.status, CaseStatus::kRemedyProposed);
  EXPECT_EQ(got.event_count, 2);
  EXPECT_EQ(got.updated_at, at(1'800'000'400));
  EXPECT_EQ(got.deadlines.resolution_due, at(1'810'000'000));
  EXPECT_EQ(got.paused_since, at(1'800'000'100));
  EXPECT_TRUE(got.retaliation);
  EXPECT_TRUE(got.remedy_failed);
  EXPECT_EQ(got.follow_up_answer, domain::RemedyHeld::kPartly);
  EXPECT_EQ(got.identity, domain::IdentityLevel::kShared);
  EXPECT_EQ(got.disclosure_requested_by, a);
  EXPECT_EQ(got.satisfaction, 4);
  EXPECT_EQ(got.next_check_at, at(1'800'500'000));
  EXPECT_FALSE(got.outcome);
  ASSERT_EQ(got.remedy.size(), 2u);
  EXPECT_EQ(got.remedy[0].what, "Pay the overtime owed since March");
  EXPECT_EQ(got.remedy[0].done_note, "Paid on 12 January");
  EXPECT_EQ(got.remedy[0].verdict, domain::ActionVerdict::kDisputed);
  EXPECT_EQ(got.remedy[0].verdict_note, "Only half was paid");
  EXPECT_EQ(got.remedy[0].verdict_at, at(1'800'000'300));
  EXPECT_EQ(got.remedy[1].due, std::chrono::year{2027} / 2 / 28);
  EXPECT_FALSE(got.remedy[1].done_at);
  const CaseEvent& e = (*record)->events.back();
  EXPECT_EQ(e.outcome, domain::Outcome::kUnfounded);
  EXPECT_EQ(e.external_body, domain::ExternalBody::kMediation);
  EXPECT_EQ(e.action, 2);
  EXPECT_EQ(e.score, 5);
  EXPECT_EQ(e.detail, "The reasoning, in full.");

  // Closing records the outcome; the plan may be emptied.
  c = got;
  c.status = CaseStatus::kClosed;
  c.outcome = domain::Outcome::kRemedyAccepted;
  c.settled_at = at(1'800'000'500);
  c.follow_up_due = at(1'815'000'000);
  c.remedy.clear();
  ASSERT_TRUE(this->cases().update_case(c, {}, 2).has_value());
  auto closed = *this->cases().find_case(id);
  EXPECT_EQ(closed->outcome, domain::Outcome::kRemedyAccepted);
  EXPECT_EQ(closed->settled_at, at(1'800'000'500));
  EXPECT_EQ(closed->follow_up_due, at(1'815'000'000));
  EXPECT_TRUE(closed->remedy.empty());
  Case missing = c;
  missing.id = id + 1000;
  EXPECT_EQ(this->cases().update_case(missing, {}, 0).error().code, ErrorCode::kNotFound);
}

TYPED_TEST(StoreContract, AReplacedAccessCodeIsStoredWithItsEventAndEndsTheCasesSessions) {
  const auto id = this->store(this->make_case(1'800'000'000));
  const auto other = this->store(this->make_case(1'800'000'000));
  auto session = [&](std::string hash, std::int64_t case_id) {
    domain::Session s;
    s.token_hash = std::move(hash);
    s.role = domain::Role::kComplainant;
    s.case_id = case_id;
    s.csrf_token = "csrf";
    s.created_at = at(1'800'000'000);
    s.expires_at = at(1'900'000'000);
    return s;
  };
  ASSERT_TRUE(this->accounts().create_session(session("mine", id)).has_value());
  ASSERT_TRUE(this->accounts().create_session(session("theirs", other)).has_value());
  ASSERT_TRUE(this->accounts().find_session("mine")->has_value()) << "cached";

  CaseEvent e = filed_event();
  e.type = domain::EventType::kAccessCodeReissued;
  e.visibility = domain::Visibility::kMechanism;
  e.at = at(1'800'000'500);
  e.body = "Lost phone; identity checked by telephone.";
  ASSERT_TRUE(this->cases().replace_access_code(id, "new-hmac", e, 1).has_value());
  EXPECT_EQ(this->cases().replace_access_code(id, "newer", e, 1).error().code, ErrorCode::kConflict)
      << "written over a state that is no longer current";
  EXPECT_EQ(this->cases().replace_access_code(id + other + 100, "x", e, 0).error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(this->accounts().delete_case_sessions(id).has_value());

  auto c = *this->cases().find_case(id);
  EXPECT_EQ(c->access_code_hmac, "new-hmac");
  EXPECT_EQ(c->event_count, 2);
  auto events = *this->cases().case_events(id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, domain::EventType::kAccessCodeReissued);
  EXPECT_EQ(events[1].visibility, domain::Visibility::kMechanism);
  EXPECT_EQ(events[1].body, e.body);
  EXPECT_FALSE(this->accounts().find_session("mine")->has_value());
  EXPECT_TRUE(this->accounts().find_session("theirs")->has_value()) << "another case's stays";
}

TYPED_TEST(StoreContract, TheSchedulerFindsTheCasesOwedANoticeOldestFirst) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    Case c = this->make_case(1'800'000'000 + i);
    c.next_check_at = i == 3 ? std::nullopt : std::optional(at(1'800'100'000 - i * 10));
    ids.push_back(this->store(c));
  }
  auto due = *this->cases().cases_to_check(at(1'800'099'990), 10);
  ASSERT_EQ(due.size(), 2u) << "at or before the time; none without a next check";
  EXPECT_EQ(due[0].id, ids[2]);
  EXPECT_EQ(due[1].id, ids[1]);
  EXPECT_TRUE(due[0].complaint.narrative.empty());
  EXPECT_EQ(this->cases().cases_to_check(at(1'900'000'000), 1)->size(), 1u);
}

// ---- the case list -----------------------------------------------------------------------

TYPED_TEST(StoreContract, OverdueInTheListIsExactlyTheDomainsRuleForEveryStatus) {
  // Every status, each at ages before, between and after the three deadlines.
  const std::int64_t now = 1'810'000'000;
  const std::int64_t day = 86400;
  std::vector<Case> stored;
  for (CaseStatus status : domain::all_case_statuses()) {
    for (std::int64_t age : {1 * day, 8 * day, 31 * day, 91 * day}) {
      Case c = this->make_case(now - age);
      c.status = status;
      c.id = this->store(c);
      stored.push_back(c);
    }
  }
  domain::CaseQuery q;
  q.now = at(now);
  q.limit = 1000;
  std::set<std::string> expected_overdue, expected_on_time;
  for (const Case& c : stored) {
    (domain::is_overdue(c, q.now) ? expected_overdue : expected_on_time).insert(c.reference);
  }
  ASSERT_FALSE(expected_overdue.empty());
  ASSERT_FALSE(expected_on_time.empty());
  q.overdue = true;
  const auto overdue = this->references(q);
  EXPECT_EQ(std::set<std::string>(overdue.begin(), overdue.end()), expected_overdue);
  q.overdue = false;
  const auto on_time = this->references(q);
  EXPECT_EQ(std::set<std::string>(on_time.begin(), on_time.end()), expected_on_time);
}

// GET /metrics (docs/operations.md "Monitoring"): every status listed, zeros included, and the
// overdue count is the domain's rule, with a paused clock never late.
TYPED_TEST(StoreContract, CaseCountsGiveEveryStatusAndTheDomainsOverdueCount) {
  const std::int64_t now = 1'810'000'000;
  const std::int64_t day = 86400;
  auto empty = this->cases().case_counts(at(now));
  ASSERT_TRUE(empty) << empty.error().message;
  ASSERT_EQ(empty->by_status.size(), domain::all_case_statuses().size());
  for (std::size_t i = 0; i < empty->by_status.size(); ++i) {
    EXPECT_EQ(empty->by_status[i].first, domain::all_case_statuses()[i]);
    EXPECT_EQ(empty->by_status[i].second, 0);
  }
  EXPECT_EQ(empty->overdue, 0);

  std::map<CaseStatus, std::int64_t> expected;
  std::int64_t expected_overdue = 0;
  int n = 0;
  for (CaseStatus status : domain::all_case_statuses()) {
    for (std::int64_t age : {1 * day, 8 * day, 31 * day, 91 * day}) {
      Case c = this->make_case(now - age);
      c.status = status;
      c.id = this->store(c);
      if (++n % 5 == 0) {  // waiting for the worker's answer: never late
        c = **this->cases().find_case(c.id);
        c.paused_since = at(now - day);
        CaseEvent paused = filed_event();
        paused.type = domain::EventType::kStatusChanged;
        paused.at = at(now - day);
        paused.from_status = status;
        ASSERT_TRUE(this->cases().update_case(c, {paused}, c.event_count));
      }
      ++expected[status];
      if (domain::is_overdue(c, at(now))) ++expected_overdue;
    }
  }
  ASSERT_GT(expected_overdue, 0);
  auto counts = this->cases().case_counts(at(now));
  ASSERT_TRUE(counts) << counts.error().message;
  for (const auto& [status, count] : counts->by_status) {
    EXPECT_EQ(count, expected[status]) << domain::to_string(status);
  }
  EXPECT_EQ(counts->overdue, expected_overdue);
}

TYPED_TEST(StoreContract, TheListFiltersScopesAndPagesNewestFirstWithoutText) {
  const auto a = this->org(domain::OrgKind::kCompany, "Alpha");
  const auto b = this->org(domain::OrgKind::kCompany, "Beta");
  const auto union_id = this->org(domain::OrgKind::kUnion, "Union");
  const auto palm = this->site("Sawit Estate", "ID", domain::Sector::kPalmOil, a);
  const auto garment = this->site("Garment Works", "VN", domain::Sector::kTextile, b);
  Case c1 = this->make_case(1'800'000'001, {{a, PartyRole::kResponsible}}, palm);
  Case c2 = this->make_case(1'800'000'002, {{b, PartyRole::kResponsible}, {a, PartyRole::kBuyer}},
                            garment);
  c2.complaint.country = "VN";
  c2.complaint.categories = {domain::Category::kHarassment};
  c2.status = CaseStatus::kAcknowledged;
  Case c3 = this->make_case(1'800'000'003);  // triage, place only
  c3.complaint.place = "Kampung Baru";
  c3.complaint.union_org_id = union_id;
  c3.identity = domain::IdentityLevel::kConfidential;
  Case c4 = this->make_case(1'800'000'003);  // same second as c3: the id breaks the tie
  for (Case* c : {&c1, &c2, &c3, &c4}) c->id = this->store(*c);

  domain::CaseQuery all;
  all.now = at(1'800'000'100);
  all.limit = 10;
  EXPECT_EQ(this->references(all),
            (std::vector<std::string>{c4.reference, c3.reference, c2.reference, c1.reference}));
  auto listed = *this->cases().list_cases(all);
  for (const Case& c : listed) {
    EXPECT_TRUE(c.complaint.narrative.empty()) << "the list never carries the narrative";
    EXPECT_FALSE(c.complaint.contact) << "nor the contact";
  }
  EXPECT_EQ(listed[2].parties.size(), 2u) << "parties come with the list";

  auto with = [&](auto set) {
    domain::CaseQuery q = all;
    set(q);
    return this->references(q);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(with([&](auto& q) { q.scope_party_org_id = a; }), (V{c2.reference, c1.reference}));
  EXPECT_EQ(with([&](auto& q) { q.scope_party_org_id = b; }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.company_org_id = b; }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) {
              q.scope_party_org_id = a;
              q.company_org_id = b;
            }),
            (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.scope_union_org_id = union_id; }), (V{c3.reference}));
  EXPECT_EQ(with([&](auto& q) { q.status = CaseStatus::kAcknowledged; }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.site_id = palm; }), (V{c1.reference}));
  EXPECT_EQ(with([&](auto& q) { q.country = "VN"; }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.sector = domain::Sector::kTextile; }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.category = domain::Category::kHarassment; }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.triage = true; }), (V{c4.reference, c3.reference}));
  EXPECT_EQ(with([&](auto& q) { q.q = "kampung"; }), (V{c3.reference})) << "the place";
  EXPECT_EQ(with([&](auto& q) { q.q = "SAWIT"; }), (V{c1.reference})) << "the site's name";
  EXPECT_EQ(with([&](auto& q) { q.q = c2.reference.substr(4); }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.q = "%"; }), V{}) << "the text is never a pattern";
  EXPECT_EQ((*this->cases().find_case(c3.id))->identity, domain::IdentityLevel::kConfidential)
      << "the identity level is stored at filing";

  // The operator's review queues.
  for (auto [id, flag] : {std::pair{c2.id, domain::ReviewFlag::kRetaliation},
                          std::pair{c1.id, domain::ReviewFlag::kRemedyFailed}}) {
    Case flagged = **this->cases().find_case(id);
    (flag == domain::ReviewFlag::kRetaliation ? flagged.retaliation : flagged.remedy_failed) = true;
    ASSERT_TRUE(this->cases().update_case(flagged, {}, flagged.event_count).has_value());
  }
  EXPECT_EQ(with([&](auto& q) { q.flag = domain::ReviewFlag::kRetaliation; }), (V{c2.reference}));
  EXPECT_EQ(with([&](auto& q) { q.flag = domain::ReviewFlag::kRemedyFailed; }), (V{c1.reference}));

  // Paging by cursor: strictly older than (created_at, id), no gaps, no repeats.
  V seen;
  domain::CaseQuery page = all;
  page.limit = 1;
  for (int i = 0; i < 10; ++i) {
    auto got = *this->cases().list_cases(page);
    if (got.empty()) break;
    seen.push_back(got[0].reference);
    page.after = std::pair(got[0].created_at, got[0].id);
  }
  EXPECT_EQ(seen, this->references(all));
  domain::CaseQuery none = all;
  none.limit = 0;
  EXPECT_TRUE(this->references(none).empty());
}

// docs/domain.md "Public register": the list follows the consent events in their own
// transaction - given, withdrawn, given again - with the register's filters and pages.
TYPED_TEST(StoreContract, TheRegisterListsTheCasesWhoseConsentStandsNewestFirstWithoutText) {
  const auto a = this->org(domain::OrgKind::kCompany, "Alpha");
  const auto b = this->org(domain::OrgKind::kCompany, "Beta");
  const auto palm = this->site("Sawit Estate", "ID", domain::Sector::kPalmOil, a);
  const auto garment = this->site("Garment Works", "VN", domain::Sector::kTextile, b);
  Case c1 = this->make_case(1'800'000'001, {{a, PartyRole::kResponsible}}, palm);
  Case c2 = this->make_case(1'800'000'002, {{b, PartyRole::kResponsible}, {a, PartyRole::kBuyer}},
                            garment);
  c2.complaint.country = "VN";
  Case c3 = this->make_case(1'800'000'003);  // triage: no party, no site
  Case c4 = this->make_case(1'800'000'004, {{a, PartyRole::kResponsible}}, palm);  // never listed
  for (Case* c : {&c1, &c2, &c3, &c4}) c->id = this->store(*c);

  const auto consent = [&](Case& c, std::string_view detail) {
    Case now = **this->cases().find_case(c.id);
    CaseEvent e;
    e.at = at(1'800'000'500);
    e.type = domain::EventType::kRegisterConsent;
    e.actor_role = domain::Role::kComplainant;
    e.visibility = domain::Visibility::kMechanism;
    e.detail = std::string(detail);
    ASSERT_TRUE(this->cases().update_case(now, {e}, now.event_count).has_value());
  };
  const auto listed = [&](domain::RegisterQuery q) {
    auto got = this->cases().list_register(q);
    EXPECT_TRUE(got.has_value());
    std::vector<std::string> out;
    for (const auto& c : got.value_or(std::vector<Case>{})) {
      EXPECT_TRUE(c.complaint.narrative.empty()) << "the register never carries the narrative";
      EXPECT_FALSE(c.complaint.contact) << "nor the contact";
      out.push_back(c.reference);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(listed({}), V{});
  consent(c1, "given");
  consent(c2, "given");
  consent(c3, "given");
  EXPECT_EQ(listed({}), (V{c3.reference, c2.reference, c1.reference}));
  consent(c3, "withdrawn");
  EXPECT_EQ(listed({}), (V{c2.reference, c1.reference})) << "withdrawn: off at once";
  consent(c3, "given");
  consent(c3, "given");  // twice is still once
  EXPECT_EQ(listed({}), (V{c3.reference, c2.reference, c1.reference}));

  auto got = *this->cases().list_register({});
  EXPECT_EQ(got[1].parties.size(), 2u) << "parties come with the register";
  domain::RegisterQuery q;
  q.company_org_id = a;
  EXPECT_EQ(listed(q), (V{c1.reference})) << "the responsible company, never a buyer";
  q = {};
  q.country = "VN";
  EXPECT_EQ(listed(q), (V{c2.reference}));
  q = {};
  q.sector = domain::Sector::kPalmOil;
  EXPECT_EQ(listed(q), (V{c1.reference}));
  q = {};
  q.limit = 2;
  EXPECT_EQ(listed(q), (V{c3.reference, c2.reference}));
  q.offset = 2;
  EXPECT_EQ(listed(q), (V{c1.reference}));
  q.offset = 3;
  EXPECT_EQ(listed(q), V{});
  q = {};
  q.limit = 0;
  EXPECT_EQ(listed(q), V{});
}

// ---- the directory -----------------------------------------------------------------------

TYPED_TEST(StoreContract, TheDirectoryListsInOrderAndEverySnapshotSeesTheLastWrite) {
  const auto zeta = this->org(domain::OrgKind::kCompany, "Zeta");
  const auto alpha = this->org(domain::OrgKind::kUnion, "Alpha");
  const auto vn = this->site("Works", "VN", domain::Sector::kTextile, zeta, "Binh Duong");
  const auto id_b = this->site("Beta Mill", "ID", domain::Sector::kPalmOil, zeta, "Riau");
  const auto id_a = this->site("Alpha Estate", "ID", domain::Sector::kPalmOil, zeta, "Jambi");

  auto snapshot = *this->directory().directory();
  ASSERT_EQ(snapshot->organisations().size(), 2u);
  EXPECT_EQ(snapshot->organisations()[0].id, alpha) << "by name";
  EXPECT_EQ(snapshot->organisation_name(zeta), "Zeta");
  EXPECT_EQ(snapshot->organisation(alpha + zeta + 100), nullptr);
  ASSERT_EQ(snapshot->sites().size(), 3u);
  EXPECT_EQ(snapshot->sites()[0].id, id_a) << "by country, then name";
  EXPECT_EQ(snapshot->sites()[1].id, id_b);
  EXPECT_EQ(snapshot->sites()[2].id, vn);

  domain::Site renamed = *snapshot->site(id_b);
  renamed.name = "Beta Mill Two";
  renamed.disabled = true;
  ASSERT_TRUE(this->directory().update_site(renamed).has_value());
  auto after = *this->directory().directory();
  EXPECT_EQ(after->site(id_b)->name, "Beta Mill Two") << "a snapshot after a write holds it";
  EXPECT_TRUE(after->site(id_b)->disabled);
  EXPECT_EQ(snapshot->site(id_b)->name, "Beta Mill") << "an earlier snapshot does not change";

  domain::Organisation gone = *after->organisation(zeta);
  gone.disabled = true;
  ASSERT_TRUE(this->directory().update_organisation(gone).has_value());
  EXPECT_TRUE((*this->directory().find_organisation(zeta))->disabled);
  domain::Organisation unknown{zeta + alpha + 100, domain::OrgKind::kCompany, "X", "ID", false};
  auto missing = this->directory().update_organisation(unknown);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  domain::Site nowhere = renamed;
  nowhere.id = vn + id_a + id_b + 100;
  EXPECT_EQ(this->directory().update_site(nowhere).error().code, ErrorCode::kNotFound);
}

TYPED_TEST(StoreContract, TheSitePickerFindsEnabledSitesByNameOrRegionWithoutPatterns) {
  const auto op = this->org(domain::OrgKind::kCompany, "Operator");
  const auto estate = this->site("Sawit Estate", "ID", domain::Sector::kPalmOil, op, "Riau");
  const auto mill = this->site("Kampar Mill", "ID", domain::Sector::kPalmOil, op, "Kampar");
  const auto works = this->site("Works 100%", "VN", domain::Sector::kTextile, op, "Binh Duong");
  const auto closed = this->site("Closed Estate", "ID", domain::Sector::kPalmOil, op, "Riau");
  domain::Site c = *(*this->directory().find_site(closed));
  c.disabled = true;
  ASSERT_TRUE(this->directory().update_site(c).has_value());

  auto ids = [&](std::string_view q, std::string_view country, int limit = 50) {
    std::vector<std::int64_t> out;
    auto found = this->directory().search_sites(q, country, limit);
    for (const auto& s : found.value()) out.push_back(s.id);
    return out;
  };
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(ids("", ""), (V{mill, estate, works}));
  EXPECT_EQ(ids("ESTATE", ""), (V{estate})) << "case-insensitive; disabled sites are hidden";
  EXPECT_EQ(ids("riau", ""), (V{estate})) << "the region too";
  EXPECT_EQ(ids("", "VN"), (V{works}));
  EXPECT_EQ(ids("100%", ""), (V{works}));
  EXPECT_EQ(ids("%", "ID"), V{}) << "'%' is a character, not a pattern";
  EXPECT_EQ(ids("", "", 2), (V{mill, estate}));
}

TYPED_TEST(StoreContract, SupplyLinksAreUniqueWhileEnabled) {
  const auto a = this->org(domain::OrgKind::kCompany, "A");
  const auto b = this->org(domain::OrgKind::kCompany, "B");
  auto first = this->directory().create_supply_link({0, a, b, std::nullopt, false});
  ASSERT_TRUE(first.has_value());
  auto dup = this->directory().create_supply_link({0, a, b, std::nullopt, false});
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(
      this->directory().create_supply_link({0, a, b, domain::Sector::kPalmOil, false}).has_value())
      << "another sector is another link";
  ASSERT_TRUE(this->directory().create_supply_link({0, b, a, std::nullopt, false}).has_value())
      << "a cycle is allowed";
  auto self = this->directory().create_supply_link({0, a, a, std::nullopt, false});
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::kConflict);
  domain::SupplyLink off{*first, a, b, std::nullopt, true};
  ASSERT_TRUE(this->directory().update_supply_link(off).has_value());
  EXPECT_TRUE(this->directory().create_supply_link({0, a, b, std::nullopt, false}).has_value())
      << "a disabled link does not block a new one";
  auto links = *this->directory().list_supply_links();
  EXPECT_EQ(links.size(), 4u);
  EXPECT_TRUE(std::is_sorted(links.begin(), links.end(),
                             [](const auto& x, const auto& y) { return x.id < y.id; }));
}

// ---- accounts and sessions ---------------------------------------------------------------

TYPED_TEST(StoreContract, UsersAreUniqueByEMailInAnyCaseAndKeepTheirLastTotpStep) {
  domain::User u;
  u.email = "Officer@Example.org";
  u.role = domain::Role::kAdmin;
  u.password_hash = "hash";
  u.created_at = at(1'800'000'000);
  auto id = this->accounts().create_user(u);
  ASSERT_TRUE(id.has_value());
  auto found = *this->accounts().find_user_by_email("OFFICER@example.ORG");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->email, "officer@example.org");
  domain::User dup = u;
  dup.email = "officer@EXAMPLE.org";
  auto clash = this->accounts().create_user(dup);
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);

  domain::User second = u;
  second.email = "second@example.org";
  auto second_id = *this->accounts().create_user(second);
  EXPECT_EQ(this->accounts().list_users()->front().email, "officer@example.org") << "by e-mail";

  ASSERT_TRUE(this->accounts().record_totp_step(*id, 100).has_value());
  EXPECT_EQ(this->accounts().record_totp_step(*id, 100).error().code, ErrorCode::kConflict);
  EXPECT_EQ(this->accounts().record_totp_step(*id, 99).error().code, ErrorCode::kConflict);
  EXPECT_EQ(this->accounts().record_totp_step(*id + second_id + 100, 1).error().code,
            ErrorCode::kNotFound);
  domain::User changed = *found;
  changed.totp_secret = "secret-bytes";
  changed.totp_last_step = 0;  // not written by update_user
  ASSERT_TRUE(this->accounts().update_user(changed).has_value());
  auto reread = *this->accounts().find_user(*id);
  EXPECT_EQ(reread->totp_secret, "secret-bytes");
  EXPECT_EQ(reread->totp_last_step, 100);
  changed.email = "second@example.org";
  EXPECT_EQ(this->accounts().update_user(changed).error().code, ErrorCode::kConflict);
  changed.id = *id + second_id + 100;
  changed.email = "nobody@example.org";
  EXPECT_EQ(this->accounts().update_user(changed).error().code, ErrorCode::kNotFound);
}

TYPED_TEST(StoreContract, SessionsAreFoundUntilDeletedAndSignInSweepsTheExpired) {
  domain::User u;
  u.email = "staff@example.org";
  u.role = domain::Role::kAdmin;
  u.password_hash = "hash";
  const auto user_id = *this->accounts().create_user(u);
  auto session = [&](std::string hash, std::int64_t created, std::int64_t expires) {
    domain::Session s;
    s.token_hash = std::move(hash);
    s.role = domain::Role::kAdmin;
    s.user_id = user_id;
    s.csrf_token = "csrf";
    s.created_at = at(created);
    s.expires_at = at(expires);
    return s;
  };
  ASSERT_TRUE(this->accounts().create_session(session("old", 100, 200)).has_value());
  ASSERT_TRUE(this->accounts().create_session(session("a", 150, 1000)).has_value());
  auto found = *this->accounts().find_session("a");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, user_id);
  EXPECT_EQ(found->csrf_token, "csrf");
  EXPECT_EQ(found->expires_at, at(1000));
  EXPECT_TRUE(this->accounts().find_session("old")->has_value())
      << "expiry is the domain's to check; the store keeps it until a sign-in sweeps it";
  ASSERT_TRUE(this->accounts().create_session(session("b", 300, 1000)).has_value());
  EXPECT_FALSE(this->accounts().find_session("old")->has_value()) << "swept at a sign-in";
  ASSERT_TRUE(this->accounts().delete_session("a").has_value());
  EXPECT_FALSE(this->accounts().find_session("a")->has_value());
  EXPECT_TRUE(this->accounts().delete_session("a").has_value()) << "idempotent";
  ASSERT_TRUE(this->accounts().delete_user_sessions(user_id).has_value());
  EXPECT_FALSE(this->accounts().find_session("b")->has_value());
  EXPECT_FALSE(this->accounts().find_session("never")->has_value());
}

// ---- statistics' facts ---------------------------------------------------------------------

// docs/domain.md "Statistics": the facts the store hands out are, after every kind of write,
// exactly what the case and its whole history give (facts_of), and the scan narrows by scope,
// union, site and filing time.
TYPED_TEST(StoreContract, TheFactsOfACaseFollowEveryWriteAndTheScanNarrowsByIndex) {
  const auto a = this->org(domain::OrgKind::kCompany, "A");
  const auto b = this->org(domain::OrgKind::kCompany, "B");
  const auto union_id = this->org(domain::OrgKind::kUnion, "U");
  const auto s = this->site("Estate", "ID", domain::Sector::kPalmOil, a);
  const auto other_site = this->site("Mill", "ID", domain::Sector::kPalmOil, a);
  Case c = this->make_case(1'800'000'000, {}, s);
  c.complaint.union_org_id = union_id;
  c.complaint.mandate = domain::Mandate{true, false, true, 12};
  const auto id = this->store(c);
  CaseEvent later = filed_event();
  later.at = at(1'810'000'000);
  this->store(this->make_case(1'810'000'000, {{b, PartyRole::kResponsible}}, other_site), {later});

  const auto all_facts = [this](const domain::FactsScan& scan) {
    std::vector<domain::CaseFacts> out;
    auto ok = this->cases().scan_facts(scan, [&](const domain::CaseFacts& f) { out.push_back(f); });
    EXPECT_TRUE(ok.has_value());
    return out;
  };
  // The facts of case `id` as the store has them, checked against its history.
  const auto check = [&](const char* after) -> domain::CaseFacts {
    domain::FactsScan scan;
    scan.site_id = s;
    auto got = all_facts(scan);
    EXPECT_EQ(got.size(), 1u) << after;
    if (got.size() != 1u) return {};
    auto now = this->cases().find_case(id);
    auto events = this->cases().case_events(id);
    EXPECT_TRUE(now.has_value() && now->has_value() && events.has_value());
    const auto expected =
        domain::facts_of(**now, *events, domain::FactsContext{got[0].cell_key, got[0].sector});
    EXPECT_EQ(got[0], expected) << after;
    EXPECT_EQ(got[0].case_id, id);
    return got[0];
  };
  auto f = check("filing");
  EXPECT_EQ(f.kind, domain::ComplainantKind::kCollective);
  EXPECT_EQ(f.headcount, 12);

  CaseEvent routed = filed_event();
  routed.type = domain::EventType::kRouted;
  routed.actor_role = domain::Role::kSystem;
  routed.actor_org_id = a;
  routed.body = "responsible";
  ASSERT_TRUE(this->cases()
                  .add_case_parties(id, {{a, PartyRole::kResponsible}, {b, PartyRole::kBuyer}},
                                    {routed}, std::nullopt)
                  .has_value());
  f = check("routing");
  EXPECT_EQ(f.responsible_org_id, a);

  CaseEvent ack = filed_event();
  ack.at = at(1'800'000'000 + 2 * 86400);
  ack.type = domain::EventType::kStatusChanged;
  ack.actor_role = domain::Role::kCompany;
  ack.actor_org_id = a;
  ack.from_status = CaseStatus::kReceived;
  ack.to_status = CaseStatus::kAcknowledged;
  ASSERT_TRUE(this->cases().append_event(id, ack, CaseStatus::kAcknowledged).has_value());
  f = check("acknowledgement");
  EXPECT_EQ(f.status, CaseStatus::kAcknowledged);
  EXPECT_EQ(f.ack_seconds, 2 * 86400);

  auto now = this->cases().find_case(id);
  ASSERT_TRUE(now.has_value() && now->has_value());
  Case closed = **now;
  closed.status = CaseStatus::kClosed;
  closed.outcome = domain::Outcome::kUnfounded;
  closed.settled_at = at(1'800'000'000 + 20 * 86400);
  CaseEvent close = ack;
  close.at = *closed.settled_at;
  close.from_status = CaseStatus::kAcknowledged;
  close.to_status = CaseStatus::kClosed;
  close.outcome = domain::Outcome::kUnfounded;
  ASSERT_TRUE(this->cases().update_case(closed, {close}, closed.event_count).has_value());
  f = check("closure");
  EXPECT_EQ(f.outcome, domain::Outcome::kUnfounded);
  EXPECT_EQ(f.resolution_seconds, 20 * 86400);

  // The scan: by party (either role), union, site and time; two cases, two different keys.
  const auto count = [&](domain::FactsScan scan) { return all_facts(scan).size(); };
  EXPECT_EQ(count({}), 2u);
  EXPECT_EQ(count({.party_org_id = a}), 1u);
  EXPECT_EQ(count({.party_org_id = b}), 2u) << "a buyer's cases count for it too";
  EXPECT_EQ(count({.union_org_id = union_id}), 1u);
  EXPECT_EQ(count({.site_id = other_site}), 1u);
  EXPECT_EQ(count({.filed_from = at(1'800'000'001)}), 1u);
  EXPECT_EQ(count({.filed_before = at(1'800'000'001)}), 1u);
  EXPECT_EQ(count({.filed_from = at(1'800'000'000), .filed_before = at(1'800'000'001)}), 1u);
  const auto both = all_facts({});
  EXPECT_NE(both[0].cell_key, both[1].cell_key);

  // By category, tested before a case's facts are read (FactsScan::any_category): a case in
  // any of the categories asked for.
  Case third = this->make_case(1'820'000'000);
  third.complaint.categories = {domain::Category::kWorkingHours};
  this->store(third);
  const auto in = [](std::initializer_list<domain::Category> cs) {
    return domain::FactsScan{.any_category = domain::category_set(cs)};
  };
  EXPECT_EQ(count(in({domain::Category::kWages})), 2u);
  EXPECT_EQ(count(in({domain::Category::kWorkingHours})), 1u);
  EXPECT_EQ(count(in({domain::Category::kChildLabour})), 0u);
  EXPECT_EQ(count(in({domain::Category::kHealthSafety, domain::Category::kWorkingHours})), 3u);
  for (const auto& f : all_facts(in({domain::Category::kWorkingHours}))) {
    EXPECT_EQ(f.categories, domain::category_bit(domain::Category::kWorkingHours));
  }
}

// docs/domain.md "Rollups": after every kind of write, the rollup the store keeps (SQLite: by
// the difference each write makes, in its transaction) is the rollup of the cases' facts built
// from scratch, and the overdue cases are those past due at the time of asking. The fake store
// builds it from scratch, so the SQLite run is the one this checks; a case stored after a
// later-filed one at the same site (a paper form) makes that one a repeat.
TYPED_TEST(StoreContract, TheRollupFollowsEveryWrite) {
  const auto a = this->org(domain::OrgKind::kCompany, "A");
  const auto b = this->org(domain::OrgKind::kCompany, "B");
  const auto s = this->site("Estate", "ID", domain::Sector::kPalmOil, a);
  const auto now = at(1'830'000'000);
  const auto expect_rollup = [&](const char* after) {
    std::vector<domain::CaseFacts> facts;
    ASSERT_TRUE(this->cases()
                    .scan_facts({}, [&](const domain::CaseFacts& f) { facts.push_back(f); })
                    .has_value());
    std::sort(facts.begin(), facts.end(), [](const auto& x, const auto& y) {
      return std::tie(x.filed_at, x.case_id) < std::tie(y.filed_at, y.case_id);
    });
    const domain::RollupCells expected = domain::rollup_of(facts);
    // The repeats the store gives with the facts are those found among every case, in filing
    // order (what a query without a scope reads instead of looking back a year).
    domain::RepeatTracker tracker;
    for (const auto& f : facts) {
      EXPECT_EQ(f.repeats, tracker.next(f)) << after << ": case " << f.case_id;
    }
    // Everything the overdue count reads of a case, so a stale column shows.
    using Overdue =
        std::tuple<std::int64_t, std::int64_t, int, std::int64_t, std::int64_t, std::uint32_t>;
    const auto as_tuple = [](const domain::OverdueCase& c) {
      return Overdue{c.case_id,
                     c.filed_at.time_since_epoch().count(),
                     c.categories,
                     c.responsible_org_id.value_or(-1),
                     c.site_id.value_or(-1),
                     c.cell_key};
    };
    std::set<Overdue> expected_overdue;
    for (const auto& f : facts) {
      if (domain::is_overdue(f, now)) expected_overdue.insert(as_tuple(domain::OverdueCase::of(f)));
    }
    domain::RollupCells got;
    std::set<Overdue> overdue;
    for (auto kind : {domain::SliceKind::kEveryCase, domain::SliceKind::kCategories,
                      domain::SliceKind::kCompanies, domain::SliceKind::kSites}) {
      overdue.clear();
      ASSERT_TRUE(this->cases()
                      .scan_rollup(
                          {kind, std::nullopt, std::nullopt}, now,
                          [&](domain::SliceId slice, std::int32_t month, const domain::StatsCell& c,
                              const domain::HoursRuns& hours) {
                            domain::StatsCell& cell = got[{slice, month}] = c;
                            for (std::size_t i = 0; i < domain::kStepCount; ++i) {
                              cell.hours[i] = {hours[i].begin(), hours[i].end()};
                            }
                          },
                          [&](const domain::OverdueCase& c) { overdue.insert(as_tuple(c)); })
                      .has_value());
    }
    EXPECT_EQ(got.size(), expected.size()) << after;
    for (const auto& [at_cell, cell] : expected) {
      EXPECT_EQ(got[at_cell], cell)
          << after << ": slice " << at_cell.first << ", month " << at_cell.second;
    }
    EXPECT_EQ(overdue, expected_overdue) << after;
  };

  const auto first = this->store(this->make_case(1'800'000'000, {}, s));
  expect_rollup("one case");
  const auto second = this->store(this->make_case(1'810'000'000, {}, s));
  expect_rollup("a repeat at the same site");
  // Filed before the second but stored after it: the second repeats it, not the first.
  this->store(this->make_case(1'805'000'000, {{b, PartyRole::kResponsible}}, s));
  expect_rollup("an earlier case stored late");
  this->store(this->make_case(1'800'000'000 + 400 * 86400, {}, s));
  expect_rollup("more than a year later");

  CaseEvent routed = filed_event();
  routed.type = domain::EventType::kRouted;
  routed.actor_role = domain::Role::kSystem;
  routed.actor_org_id = a;
  routed.body = "responsible";
  ASSERT_TRUE(this->cases()
                  .add_case_parties(first, {{a, PartyRole::kResponsible}}, {routed}, std::nullopt)
                  .has_value());
  expect_rollup("routing moves the case to its company's slice");

  CaseEvent ack = filed_event();
  ack.at = at(1'810'000'000 + 3 * 3600 + 59);
  ack.type = domain::EventType::kStatusChanged;
  ack.actor_role = domain::Role::kCompany;
  ack.from_status = CaseStatus::kReceived;
  ack.to_status = CaseStatus::kAcknowledged;
  ASSERT_TRUE(this->cases().append_event(second, ack, CaseStatus::kAcknowledged).has_value());
  expect_rollup("acknowledgement");

  auto stored = this->cases().find_case(second);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  Case closed = **stored;
  closed.status = CaseStatus::kClosed;
  closed.outcome = domain::Outcome::kUnfounded;
  closed.settled_at = at(1'810'000'000 + 20 * 86400);
  CaseEvent close = ack;
  close.at = *closed.settled_at;
  close.from_status = CaseStatus::kAcknowledged;
  close.to_status = CaseStatus::kClosed;
  close.outcome = domain::Outcome::kUnfounded;
  ASSERT_TRUE(this->cases().update_case(closed, {close}, closed.event_count).has_value());
  expect_rollup("closure");
}

}  // namespace
}  // namespace grievance::storage::testing
