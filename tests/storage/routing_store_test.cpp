// Case parties, batch filing, routing a triage case, the case list (scopes, filters, overdue,
// triage, search, cursor), organisations, sites, supply links and staff accounts (second
// factor, replay protection, sign-out everywhere) against the real SqliteStore.
#include <algorithm>
#include <atomic>
#include <functional>
#include <random>
#include <set>
#include <thread>

#include "storage/sqlite/stores.hpp"
#include "storage/store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

using domain::CaseParty;
using domain::CaseQuery;
using domain::CaseStatus;
using domain::Category;
using domain::ErrorCode;
using domain::PartyRole;
using domain::Sector;

constexpr std::string_view kTotpMarker = "TOTP-SECRET-MARKER-5d0c1a";

CaseParty responsible(std::int64_t org) { return CaseParty{org, PartyRole::kResponsible}; }
CaseParty buyer(std::int64_t org) { return CaseParty{org, PartyRole::kBuyer}; }

std::vector<std::string> references(const std::vector<domain::Case>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.reference);
  return out;
}

class RoutingStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    store_ = open();
    ASSERT_TRUE(store_);
    company_a_ = org(domain::OrgKind::kCompany, "Sawit Jaya", "ID");
    company_b_ = org(domain::OrgKind::kCompany, "Global Foods", "NL");
    company_c_ = org(domain::OrgKind::kCompany, "Retail Co", "FR");
    union_ = org(domain::OrgKind::kUnion, "SPSI", "ID");
    palm_site_ = site("Mill Riau", "ID", Sector::kPalmOil, company_a_);
    cocoa_site_ = site("Coop 100%_Soubre", "CI", Sector::kCocoa, company_b_);
  }

  std::int64_t org(domain::OrgKind kind, std::string name, std::string country) {
    auto id =
        store_->directory().create_organisation({0, kind, std::move(name), std::move(country)});
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }
  std::int64_t site(std::string name, std::string country, Sector sector, std::int64_t op) {
    auto id = store_->directory().create_site({0, std::move(name), std::move(country), "Region",
                                               sector, std::optional<std::int64_t>(op)});
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }

  // A case created at `created` (seconds), with the given parties.
  domain::Case make_case(std::int64_t created, std::vector<CaseParty> parties = {}) {
    domain::Case c = sample_case(next_reference("R"));
    c.created_at = at(created);
    c.updated_at = at(created);
    c.deadlines = {at(created + 7 * 86'400), at(created + 30 * 86'400), at(created + 90 * 86'400)};
    c.parties = std::move(parties);
    return c;
  }

  std::int64_t add(const domain::Case& c) {
    auto id = store_->cases().create_case(c, {filed_event()});
    EXPECT_TRUE(id.has_value()) << id.error().message;
    return id.value_or(0);
  }

  std::vector<std::string> list(CaseQuery q) {
    if (q.limit == 50) q.limit = 100;
    auto r = store_->cases().list_cases(q);
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r ? references(*r) : std::vector<std::string>{};
  }

  std::string raw_count(const std::string& table) {
    RawDb raw(db_path());
    return raw.scalar("SELECT count(*) FROM " + table);
  }

  domain::User user(std::string email) {
    domain::User u;
    u.email = std::move(email);
    u.role = domain::Role::kCompany;
    u.org_id = company_a_;
    u.password_hash = "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA";
    u.created_at = at(1'800'000'000);
    return u;
  }

  std::unique_ptr<SqliteStores> store_;
  std::int64_t company_a_ = 0, company_b_ = 0, company_c_ = 0, union_ = 0;
  std::int64_t palm_site_ = 0, cocoa_site_ = 0;
};

// ---- parties -----------------------------------------------------------------------------

TEST_F(RoutingStoreTest, PartiesRoundTripResponsibleFirstThenBuyersById) {
  domain::Case c =
      make_case(1'800'000'000, {buyer(company_c_), responsible(company_a_), buyer(company_b_)});
  c.filing_key_hash = std::string(64, 'f');
  const std::int64_t id = add(c);
  const std::vector<CaseParty> expected{responsible(company_a_), buyer(company_b_),
                                        buyer(company_c_)};
  const auto same = [&](const std::vector<CaseParty>& got) {
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].org_id, expected[i].org_id) << i;
      EXPECT_EQ(got[i].role, expected[i].role) << i;
    }
  };
  auto by_id = store_->cases().find_case(id);
  ASSERT_TRUE(by_id.has_value() && by_id->has_value());
  same((*by_id)->parties);
  auto by_ref = store_->cases().find_case_by_reference(c.reference);
  ASSERT_TRUE(by_ref.has_value() && by_ref->has_value());
  same((*by_ref)->parties);
  auto by_key = store_->cases().find_case_by_filing_key(c.filing_key_hash);
  ASSERT_TRUE(by_key.has_value() && by_key->has_value());
  same((*by_key)->parties);

  const std::int64_t triage = add(make_case(1'800'000'001));
  auto t = store_->cases().find_case(triage);
  ASSERT_TRUE(t.has_value() && t->has_value());
  EXPECT_TRUE((*t)->parties.empty());
}

TEST_F(RoutingStoreTest, TwoResponsibleCompaniesOrOneCompanyTwiceIsConflictStoringNothing) {
  for (const auto& parties :
       {std::vector<CaseParty>{responsible(company_a_), responsible(company_b_)},
        std::vector<CaseParty>{responsible(company_a_), buyer(company_a_)},
        std::vector<CaseParty>{buyer(4242)}}) {
    auto r = store_->cases().create_case(make_case(1'800'000'000, parties), {filed_event()});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  }
  EXPECT_EQ(*store_->cases().count_cases(), 0);
  EXPECT_EQ(raw_count("case_parties"), "0");
  EXPECT_EQ(raw_count("case_events"), "0");
}

// ---- create_cases ------------------------------------------------------------------------

TEST_F(RoutingStoreTest, CreateCasesStoresEveryCaseInOneTransaction) {
  SqliteStores* sqlite = store_.get();
  const StoreStats before = sqlite->stats();
  std::vector<domain::CaseStore::NewCase> batch;
  for (int i = 0; i < 20; ++i) {
    domain::Case c = make_case(1'800'000'000 + i, {responsible(company_a_), buyer(company_b_)});
    c.complaint.union_org_id = union_;
    c.filing_key_hash = "batch-key-" + std::to_string(i);
    domain::CaseEvent routed = filed_event();
    routed.type = domain::EventType::kRouted;
    batch.push_back({c, {filed_event(), routed}});
  }
  auto ids = store_->cases().create_cases(batch);
  ASSERT_TRUE(ids.has_value()) << ids.error().message;
  ASSERT_EQ(ids->size(), batch.size());
  const StoreStats after = sqlite->stats();
  EXPECT_EQ(after.writes - before.writes, 1u) << "one write job";
  EXPECT_EQ(after.transactions - before.transactions, 1u);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto got = store_->cases().find_case((*ids)[i]);
    ASSERT_TRUE(got.has_value() && got->has_value());
    EXPECT_EQ((*got)->reference, batch[i].c.reference) << "ids in the batch's order";
    EXPECT_EQ((*got)->complaint.narrative, batch[i].c.complaint.narrative);
    EXPECT_EQ((*got)->parties.size(), 2u);
    auto events = store_->cases().case_events((*ids)[i]);
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ((*events)[1].type, domain::EventType::kRouted);
    auto by_key = store_->cases().find_case_by_filing_key(batch[i].c.filing_key_hash);
    ASSERT_TRUE(by_key.has_value() && by_key->has_value());
    EXPECT_EQ((*by_key)->id, (*ids)[i]);
  }
  auto chains = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(chains.has_value());
  EXPECT_TRUE(chains->empty());

  auto empty = store_->cases().create_cases({});
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST_F(RoutingStoreTest, CreateCasesWithOneConflictingCaseStoresNothing) {
  domain::Case existing = make_case(1'700'000'000, {responsible(company_a_)});
  existing.filing_key_hash = "existing-key";
  add(existing);
  const auto counts = [&] {
    return std::vector<std::string>{raw_count("cases"), raw_count("case_events"),
                                    raw_count("case_parties"), raw_count("filing_keys")};
  };
  const auto before = counts();

  const auto batch_with = [&](const std::function<void(domain::Case&)>& spoil) {
    std::vector<domain::CaseStore::NewCase> batch;
    for (int i = 0; i < 10; ++i) {
      domain::Case c = make_case(1'800'000'000 + i, {responsible(company_a_)});
      c.filing_key_hash = "new-key-" + std::to_string(i) + "-" + next_reference();
      if (i == 6) spoil(c);
      batch.push_back({c, {filed_event()}});
    }
    return batch;
  };
  // An existing reference, an existing filing key, a reference twice in the batch, a party
  // that breaks a rule: each refuses the whole batch.
  std::vector<std::vector<domain::CaseStore::NewCase>> spoiled{
      batch_with([&](domain::Case& c) { c.reference = existing.reference; }),
      batch_with([&](domain::Case& c) { c.filing_key_hash = existing.filing_key_hash; }),
      batch_with([&](domain::Case& c) { c.parties.push_back(responsible(company_b_)); }),
  };
  auto twice = batch_with([](domain::Case&) {});
  twice[9].c.reference = twice[2].c.reference;
  spoiled.push_back(twice);
  for (std::size_t i = 0; i < spoiled.size(); ++i) {
    SCOPED_TRACE(i);
    auto r = store_->cases().create_cases(spoiled[i]);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_EQ(counts(), before);
    EXPECT_FALSE(store_->cases().find_case_by_reference(spoiled[i][0].c.reference)->has_value());
  }
  // The store still works: a clean batch goes in.
  auto ok = store_->cases().create_cases(batch_with([](domain::Case&) {}));
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(*store_->cases().count_cases(), 11);
}

// ---- add_case_parties --------------------------------------------------------------------

TEST_F(RoutingStoreTest, AddCasePartiesRoutesATriageCaseOnce) {
  const std::int64_t id = add(make_case(1'800'000'000));
  domain::CaseEvent routed;
  routed.at = at(1'800'050'000);
  routed.type = domain::EventType::kRouted;
  routed.actor_role = domain::Role::kAdmin;
  routed.visibility = domain::Visibility::kOrganisation;
  routed.body = "Routed by triage.";
  domain::CaseEvent routed2 = routed;
  routed2.at = at(1'800'050'001);
  ASSERT_TRUE(store_->cases()
                  .add_case_parties(id, {buyer(company_b_), responsible(company_a_)},
                                    {routed, routed2}, std::nullopt)
                  .has_value());
  auto got = store_->cases().find_case(id);
  ASSERT_TRUE(got.has_value() && got->has_value());
  ASSERT_EQ((*got)->parties.size(), 2u);
  EXPECT_EQ((*got)->parties[0].org_id, company_a_);
  EXPECT_EQ((*got)->parties[0].role, PartyRole::kResponsible);
  EXPECT_EQ((*got)->parties[1].org_id, company_b_);
  EXPECT_EQ((*got)->updated_at, routed2.at);
  auto events = store_->cases().case_events(id);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].seq, 2);
  EXPECT_EQ((*events)[1].body, "Routed by triage.");
  EXPECT_EQ((*events)[2].seq, 3);

  // Already routed: kConflict, nothing added.
  auto again = store_->cases().add_case_parties(id, {buyer(company_c_)}, {routed}, std::nullopt);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->cases().case_events(id)->size(), 3u);
  EXPECT_EQ((*store_->cases().find_case(id))->parties.size(), 2u);

  auto missing =
      store_->cases().add_case_parties(987654, {buyer(company_c_)}, {routed}, std::nullopt);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  // A rule-breaking routing (two responsible companies) stores neither parties nor events.
  const std::int64_t other = add(make_case(1'800'000'001));
  auto bad = store_->cases().add_case_parties(
      other, {responsible(company_a_), responsible(company_b_)}, {routed}, std::nullopt);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kConflict);
  EXPECT_TRUE((*store_->cases().find_case(other))->parties.empty());
  EXPECT_EQ(store_->cases().case_events(other)->size(), 1u);

  auto chains = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(chains.has_value());
  EXPECT_TRUE(chains->empty());
}

// ---- list_cases --------------------------------------------------------------------------

TEST_F(RoutingStoreTest, ListCasesScopesAndFilters) {
  // t increases with the letter: the list is newest first.
  domain::Case a = make_case(1'000, {responsible(company_a_), buyer(company_b_)});
  a.complaint.site_id = palm_site_;
  a.complaint.union_org_id = union_;
  a.complaint.categories = {Category::kWages};
  domain::Case b = make_case(2'000, {responsible(company_b_)});
  b.complaint.site_id = cocoa_site_;
  b.complaint.country = "CI";
  b.complaint.categories = {Category::kChildLabour, Category::kForcedLabour};
  b.status = CaseStatus::kAcknowledged;
  domain::Case c = make_case(3'000);  // triage: no site, free-text place
  c.complaint.place = "Behind the 50%_warehouse";
  c.complaint.union_org_id = union_;
  c.complaint.categories = {Category::kOther};
  domain::Case d = make_case(4'000, {responsible(company_a_)});
  d.complaint.site_id = palm_site_;
  d.complaint.categories = {Category::kHealthSafety, Category::kWages};
  d.status = CaseStatus::kClosed;
  for (auto* x : {&a, &b, &c, &d}) add(*x);

  using V = std::vector<std::string>;
  const V all{d.reference, c.reference, b.reference, a.reference};
  EXPECT_EQ(list({}), all);

  CaseQuery q;
  q.scope_party_org_id = company_a_;
  EXPECT_EQ(list(q), (V{d.reference, a.reference}));
  q = {};
  q.scope_party_org_id = company_b_;
  EXPECT_EQ(list(q), (V{b.reference, a.reference})) << "a buyer sees the case too";
  q = {};
  q.scope_party_org_id = company_c_;
  EXPECT_EQ(list(q), V{});
  q = {};
  q.scope_union_org_id = union_;
  EXPECT_EQ(list(q), (V{c.reference, a.reference}));
  q.scope_party_org_id = company_a_;  // both scopes: the intersection
  EXPECT_EQ(list(q), (V{a.reference}));

  q = {};
  q.status = CaseStatus::kAcknowledged;
  EXPECT_EQ(list(q), (V{b.reference}));
  q = {};
  q.company_org_id = company_b_;
  EXPECT_EQ(list(q), (V{b.reference, a.reference}));
  q.scope_party_org_id = company_a_;  // a company filtering by a co-party
  EXPECT_EQ(list(q), (V{a.reference}));
  q = {};
  q.site_id = palm_site_;
  EXPECT_EQ(list(q), (V{d.reference, a.reference}));
  q = {};
  q.country = "CI";
  EXPECT_EQ(list(q), (V{b.reference}));
  q = {};
  q.sector = Sector::kPalmOil;
  EXPECT_EQ(list(q), (V{d.reference, a.reference}));
  q.sector = Sector::kTextile;
  EXPECT_EQ(list(q), V{});
  q = {};
  q.category = Category::kWages;
  EXPECT_EQ(list(q), (V{d.reference, a.reference})) << "first or later element";
  q.category = Category::kForcedLabour;
  EXPECT_EQ(list(q), (V{b.reference}));
  q.category = Category::kHarassment;
  EXPECT_EQ(list(q), V{});
  q = {};
  q.triage = true;
  EXPECT_EQ(list(q), (V{c.reference}));
  q.scope_union_org_id = union_;
  EXPECT_EQ(list(q), (V{c.reference}));

  // Search: reference, place or site name; case-insensitive; '%' and '_' are literal.
  q = {};
  q.q = b.reference.substr(4);
  for (auto& ch : q.q) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(list(q), (V{b.reference}));
  q.q = "WAREHOUSE";
  EXPECT_EQ(list(q), (V{c.reference}));
  q.q = "mill riau";  // the site's name
  EXPECT_EQ(list(q), (V{d.reference, a.reference}));
  q.q = "%";
  EXPECT_EQ(list(q), (V{c.reference, b.reference})) << "place and site name contain a '%'";
  q.q = "%_";
  EXPECT_EQ(list(q), (V{c.reference, b.reference}));
  q.q = "0%_w";
  EXPECT_EQ(list(q), (V{c.reference}));
  q.q = "_";
  EXPECT_EQ(list(q), (V{c.reference, b.reference}));
  q.q = "M%R";  // would match "Mill Riau" as a LIKE pattern
  EXPECT_EQ(list(q), V{});
  q.q = "'; DROP TABLE cases; --";
  EXPECT_EQ(list(q), V{});
  EXPECT_EQ(*store_->cases().count_cases(), 4);

  // Filters combine (AND).
  q = {};
  q.scope_party_org_id = company_a_;
  q.category = Category::kWages;
  q.status = CaseStatus::kReceived;
  EXPECT_EQ(list(q), (V{a.reference}));

  q = {};
  q.limit = 2;
  EXPECT_EQ(list(q), (V{d.reference, c.reference}));
  q.limit = 0;
  auto none = store_->cases().list_cases(q);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST_F(RoutingStoreTest, ListCasesLoadsPartiesButNotNarrativeOrContact) {
  domain::Case c = make_case(1'000, {buyer(company_b_), responsible(company_a_)});
  c.complaint.mandate = domain::Mandate{true, true, true, 12};
  add(c);
  add(make_case(2'000));
  auto got = store_->cases().list_cases(CaseQuery{});
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_TRUE((*got)[0].parties.empty());
  const domain::Case& listed = (*got)[1];
  EXPECT_EQ(listed.reference, c.reference);
  EXPECT_TRUE(listed.complaint.narrative.empty());
  EXPECT_FALSE(listed.complaint.contact.has_value());
  ASSERT_EQ(listed.parties.size(), 2u);
  EXPECT_EQ(listed.parties[0].org_id, company_a_);
  EXPECT_EQ(listed.parties[0].role, PartyRole::kResponsible);
  EXPECT_EQ(listed.parties[1].org_id, company_b_);
  EXPECT_EQ(listed.parties[1].role, PartyRole::kBuyer);
  // Everything else is there.
  EXPECT_EQ(listed.complaint.categories, c.complaint.categories);
  EXPECT_EQ(listed.complaint.place, c.complaint.place);
  EXPECT_EQ(listed.complaint.country, c.complaint.country);
  EXPECT_EQ(listed.complaint.incident_date, c.complaint.incident_date);
  EXPECT_EQ(listed.complaint.anonymous, c.complaint.anonymous);
  ASSERT_TRUE(listed.complaint.mandate.has_value());
  EXPECT_EQ(listed.complaint.mandate->headcount, 12);
  EXPECT_EQ(listed.deadlines.resolution_due, c.deadlines.resolution_due);
  EXPECT_EQ(listed.created_at, c.created_at);
  EXPECT_EQ(listed.content_sha256, c.content_sha256);
}

TEST_F(RoutingStoreTest, ListCasesOverdueAtAGivenTime) {
  // Deadlines: ack at +100, response at +200, resolution at +300 from t0.
  constexpr std::int64_t t0 = 1'800'000'000;
  struct Row {
    CaseStatus status;
    std::string reference;
  };
  std::vector<Row> rows;
  std::int64_t created = t0;
  for (CaseStatus s : domain::all_case_statuses()) {
    domain::Case c = make_case(created++);
    c.status = s;
    c.deadlines = {at(t0 + 100), at(t0 + 200), at(t0 + 300)};
    add(c);
    rows.push_back({s, c.reference});
  }
  const auto expected_overdue = [&](std::int64_t now) {
    std::set<std::string> out;
    for (const Row& r : rows) {
      using S = CaseStatus;
      const bool settled = r.status == S::kResolved || r.status == S::kClosed ||
                           r.status == S::kRejected || r.status == S::kWithdrawn ||
                           r.status == S::kEscalated || r.status == S::kAppealed;
      const bool overdue =
          (r.status == S::kReceived && t0 + 100 < now) ||
          ((r.status == S::kReceived || r.status == S::kAcknowledged) && t0 + 200 < now) ||
          (!settled && t0 + 300 < now);
      if (overdue) out.insert(r.reference);
    }
    return out;
  };
  for (std::int64_t offset : {0, 100, 101, 200, 201, 300, 301, 10'000}) {
    SCOPED_TRACE("now = t0 + " + std::to_string(offset));
    CaseQuery q;
    q.now = at(t0 + offset);
    q.overdue = true;
    const auto overdue = list(q);
    q.overdue = false;
    const auto on_time = list(q);
    const std::set<std::string> got(overdue.begin(), overdue.end());
    EXPECT_EQ(got, expected_overdue(t0 + offset));
    EXPECT_EQ(overdue.size() + on_time.size(), rows.size()) << "false is the complement";
    for (const auto& r : on_time) EXPECT_EQ(got.count(r), 0u);
  }
  // Spot checks of the definition.
  CaseQuery q;
  q.overdue = true;
  q.now = at(t0 + 101);
  EXPECT_EQ(list(q), std::vector<std::string>{rows[0].reference}) << "only received is late";
  q.now = at(t0 + 100);
  EXPECT_TRUE(list(q).empty()) << "due at now is not yet late";
}

TEST_F(RoutingStoreTest, CursorPagingOver250CasesNewestFirstWithoutGapsOrDuplicates) {
  // 250 cases, created in a shuffled order, three to five sharing each created_at: the id
  // breaks the tie.
  std::vector<std::int64_t> times;
  for (int i = 0; i < 250; ++i) times.push_back(1'800'000'000 + i / 4);
  std::mt19937 rng(7);
  std::shuffle(times.begin(), times.end(), rng);
  std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::string>> expected;
  for (std::size_t start = 0; start < times.size(); start += 50) {
    std::vector<domain::CaseStore::NewCase> batch;
    for (std::size_t i = start; i < start + 50; ++i) {
      batch.push_back(
          {make_case(times[i], i % 3 == 0 ? std::vector<CaseParty>{responsible(company_a_)}
                                          : std::vector<CaseParty>{}),
           {filed_event()}});
    }
    auto ids = store_->cases().create_cases(batch);
    ASSERT_TRUE(ids.has_value());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      expected.push_back({{times[start + i], (*ids)[i]}, batch[i].c.reference});
    }
  }
  std::sort(expected.begin(), expected.end(), [](const auto& x, const auto& y) {
    return x.first > y.first;  // created_at DESC, id DESC
  });

  for (int page_size : {1, 7, 50, 100}) {
    SCOPED_TRACE("page size " + std::to_string(page_size));
    std::vector<std::string> seen;
    CaseQuery q;
    q.limit = page_size;
    for (int pages = 0; pages < 300; ++pages) {
      auto page = store_->cases().list_cases(q);
      ASSERT_TRUE(page.has_value());
      ASSERT_LE(page->size(), static_cast<std::size_t>(page_size));
      if (page->empty()) break;
      for (const auto& c : *page) seen.push_back(c.reference);
      q.after = std::pair(page->back().created_at, page->back().id);
      if (page->size() < static_cast<std::size_t>(page_size)) break;
    }
    ASSERT_EQ(seen.size(), expected.size());
    for (std::size_t i = 0; i < seen.size(); ++i) {
      ASSERT_EQ(seen[i], expected[i].second) << "position " << i;
    }
  }

  // A filtered list pages the same way.
  CaseQuery q;
  q.scope_party_org_id = company_a_;
  q.limit = 9;
  std::vector<std::string> seen;
  for (;;) {
    auto page = store_->cases().list_cases(q);
    ASSERT_TRUE(page.has_value());
    if (page->empty()) break;
    for (const auto& c : *page) {
      EXPECT_EQ(c.parties.size(), 1u);
      seen.push_back(c.reference);
    }
    q.after = std::pair(page->back().created_at, page->back().id);
  }
  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size());
  EXPECT_EQ(seen.size(), 84u);  // i % 3 == 0 for i in [0, 250)
}

// ---- organisations and sites -------------------------------------------------------------

TEST_F(RoutingStoreTest, OrganisationsFindListAndUpdate) {
  auto a = store_->directory().find_organisation(company_a_);
  ASSERT_TRUE(a.has_value() && a->has_value());
  EXPECT_EQ((*a)->name, "Sawit Jaya");
  EXPECT_EQ((*a)->kind, domain::OrgKind::kCompany);
  EXPECT_EQ((*a)->country, "ID");
  EXPECT_FALSE((*a)->disabled);
  EXPECT_FALSE(store_->directory().find_organisation(999)->has_value());

  domain::Organisation changed{company_a_, domain::OrgKind::kCompany, "Agro Sawit", "MY", true};
  ASSERT_TRUE(store_->directory().update_organisation(changed).has_value());
  auto got = store_->directory().find_organisation(company_a_);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->name, "Agro Sawit");
  EXPECT_EQ((*got)->country, "MY");
  EXPECT_TRUE((*got)->disabled);

  auto list = store_->directory().list_organisations();
  ASSERT_TRUE(list.has_value());
  std::vector<std::string> names;
  for (const auto& o : *list) names.push_back(o.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Agro Sawit", "Global Foods", "Retail Co", "SPSI"}))
      << "by name, disabled ones too";

  changed.id = 999;
  auto missing = store_->directory().update_organisation(changed);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(RoutingStoreTest, SitesListUpdateAndDisabledSitesLeaveThePicker) {
  const std::int64_t second = site("Estate Alpha", "ID", Sector::kPalmOil, company_a_);
  auto list = store_->directory().list_sites();
  ASSERT_TRUE(list.has_value());
  std::vector<std::int64_t> ids;
  for (const auto& s : *list) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{cocoa_site_, second, palm_site_}))
      << "by country, then name";

  domain::Site changed = *(*store_->directory().find_site(palm_site_));
  changed.disabled = true;
  changed.region = "Kampar";
  changed.operator_org_id = company_c_;
  ASSERT_TRUE(store_->directory().update_site(changed).has_value());
  auto got = store_->directory().find_site(palm_site_);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_TRUE((*got)->disabled);
  EXPECT_EQ((*got)->region, "Kampar");
  EXPECT_EQ((*got)->operator_org_id, company_c_);

  auto search = store_->directory().search_sites("", "ID", 10);
  ASSERT_TRUE(search.has_value());
  ASSERT_EQ(search->size(), 1u);
  EXPECT_EQ((*search)[0].id, second) << "a disabled site is not offered";
  EXPECT_TRUE(store_->directory().search_sites("Mill", "", 10)->empty());
  EXPECT_EQ(store_->directory().list_sites()->size(), 3u) << "but still listed";

  changed.id = 999;
  auto missing = store_->directory().update_site(changed);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// ---- supply links ------------------------------------------------------------------------

TEST_F(RoutingStoreTest, SupplyLinksAreUniqueWhileEnabledAndNeverSelfLinks) {
  using domain::SupplyLink;
  auto ab =
      store_->directory().create_supply_link({0, company_a_, company_b_, std::nullopt, false});
  ASSERT_TRUE(ab.has_value()) << ab.error().message;
  auto ab_cocoa =
      store_->directory().create_supply_link({0, company_a_, company_b_, Sector::kCocoa, false});
  ASSERT_TRUE(ab_cocoa.has_value()) << "another sector is another link";
  auto ba =
      store_->directory().create_supply_link({0, company_b_, company_a_, std::nullopt, false});
  ASSERT_TRUE(ba.has_value()) << "cycles are allowed";

  for (const SupplyLink& dup : {SupplyLink{0, company_a_, company_b_, std::nullopt, false},
                                SupplyLink{0, company_a_, company_b_, Sector::kCocoa, false},
                                SupplyLink{0, company_a_, company_a_, std::nullopt, false},
                                SupplyLink{0, company_a_, 4242, std::nullopt, false}}) {
    auto r = store_->directory().create_supply_link(dup);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  }
  // A disabled duplicate is history and may exist beside the enabled one.
  auto old =
      store_->directory().create_supply_link({0, company_a_, company_b_, std::nullopt, true});
  ASSERT_TRUE(old.has_value());

  auto got = store_->directory().find_supply_link(*ab_cocoa);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->supplier_org_id, company_a_);
  EXPECT_EQ((*got)->buyer_org_id, company_b_);
  EXPECT_EQ((*got)->sector, Sector::kCocoa);
  EXPECT_FALSE((*got)->disabled);
  EXPECT_FALSE(store_->directory().find_supply_link(999)->has_value());

  auto list = store_->directory().list_supply_links();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].id, *ab);
  EXPECT_EQ((*list)[3].id, *old);
  EXPECT_TRUE((*list)[3].disabled);
  EXPECT_FALSE((*list)[0].sector.has_value());

  // Re-enabling the old one would duplicate the enabled link.
  auto reenable =
      store_->directory().update_supply_link({*old, company_a_, company_b_, std::nullopt, false});
  ASSERT_FALSE(reenable.has_value());
  EXPECT_EQ(reenable.error().code, ErrorCode::kConflict);
  // Disable the enabled one, then re-enabling the old one is fine.
  ASSERT_TRUE(
      store_->directory().update_supply_link({*ab, company_a_, company_b_, std::nullopt, true}));
  ASSERT_TRUE(
      store_->directory().update_supply_link({*old, company_a_, company_b_, std::nullopt, false}));
  auto self =
      store_->directory().update_supply_link({*ba, company_b_, company_b_, std::nullopt, false});
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::kConflict);
  auto missing =
      store_->directory().update_supply_link({999, company_a_, company_c_, std::nullopt, false});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  // The database itself refuses them, whatever writes to it.
  store_.reset();
  RawDb raw(db_path());
  const std::string a = std::to_string(company_a_), b = std::to_string(company_b_);
  EXPECT_NE(raw.exec("INSERT INTO supply_links (supplier_org_id, buyer_org_id) VALUES (" + a +
                     ", " + a + ")"),
            SQLITE_OK);
  EXPECT_NE(raw.exec("INSERT INTO supply_links (supplier_org_id, buyer_org_id) VALUES (" + a +
                     ", " + b + ")"),
            SQLITE_OK);
  EXPECT_EQ(raw.exec("INSERT INTO supply_links (supplier_org_id, buyer_org_id, disabled) VALUES (" +
                     a + ", " + b + ", 1)"),
            SQLITE_OK);
}

// ---- staff accounts ----------------------------------------------------------------------

TEST_F(RoutingStoreTest, UsersFindListAndUpdateKeepingTheSecondFactor) {
  domain::User u = user("Auditor@Example.org");
  u.totp_secret = std::string(kTotpMarker) + std::string("\0\xff\x01", 3);
  u.totp_last_step = 5;
  auto id = store_->accounts().create_user(u);
  ASSERT_TRUE(id.has_value());
  auto other = store_->accounts().create_user(user("another@example.org"));
  ASSERT_TRUE(other.has_value());

  auto got = store_->accounts().find_user(*id);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->email, "auditor@example.org");
  EXPECT_EQ((*got)->totp_secret, u.totp_secret);
  EXPECT_EQ((*got)->totp_last_step, 5);
  EXPECT_FALSE(store_->accounts().find_user(999)->has_value());
  auto plain = store_->accounts().find_user(*other);
  ASSERT_TRUE(plain.has_value() && plain->has_value());
  EXPECT_TRUE((*plain)->totp_secret.empty());
  EXPECT_EQ((*plain)->totp_last_step, 0);

  auto list = store_->accounts().list_users();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].email, "another@example.org");
  EXPECT_EQ((*list)[1].email, "auditor@example.org");
  EXPECT_EQ((*list)[1].totp_secret, u.totp_secret);

  // A new address, role, organisation, password and state; the secret still opens.
  domain::User changed = **got;
  changed.email = "NEW@example.org";
  changed.role = domain::Role::kAuditor;
  changed.org_id = company_c_;
  changed.password_hash = "$scrypt$new";
  changed.disabled = true;
  changed.totp_last_step = 999;  // not replaced by update_user
  ASSERT_TRUE(store_->accounts().update_user(changed).has_value());
  auto updated = store_->accounts().find_user_by_email("new@EXAMPLE.org");
  ASSERT_TRUE(updated.has_value() && updated->has_value());
  EXPECT_EQ((*updated)->id, *id);
  EXPECT_EQ((*updated)->role, domain::Role::kAuditor);
  EXPECT_EQ((*updated)->org_id, company_c_);
  EXPECT_EQ((*updated)->password_hash, "$scrypt$new");
  EXPECT_TRUE((*updated)->disabled);
  EXPECT_EQ((*updated)->totp_secret, u.totp_secret);
  EXPECT_EQ((*updated)->totp_last_step, 5);
  EXPECT_EQ((*updated)->created_at, u.created_at);
  EXPECT_FALSE(store_->accounts().find_user_by_email("auditor@example.org")->has_value());

  // The e-mail of another account: kConflict, nothing changed.
  domain::User clash = changed;
  clash.email = "ANOTHER@example.org";
  clash.role = domain::Role::kAdmin;
  auto conflict = store_->accounts().update_user(clash);
  ASSERT_FALSE(conflict.has_value());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  EXPECT_EQ((*store_->accounts().find_user(*id))->role, domain::Role::kAuditor);

  // The second factor removed.
  changed.totp_secret.clear();
  ASSERT_TRUE(store_->accounts().update_user(changed).has_value());
  EXPECT_TRUE((*store_->accounts().find_user(*id))->totp_secret.empty());

  changed.id = 999;
  auto missing = store_->accounts().update_user(changed);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(RoutingStoreTest, TotpSecretIsSealedAtRestAndBoundToItsAccount) {
  domain::User u = user("mfa@example.org");
  u.totp_secret = std::string(kTotpMarker);
  auto id = store_->accounts().create_user(u);
  ASSERT_TRUE(id.has_value());
  domain::User other = user("other@example.org");
  other.totp_secret = "other-secret";
  auto other_id = store_->accounts().create_user(other);
  ASSERT_TRUE(other_id.has_value());
  // Rewritten through update_user too.
  u.id = *id;
  u.email = "mfa2@example.org";
  ASSERT_TRUE(store_->accounts().update_user(u).has_value());
  store_.reset();
  EXPECT_EQ(read_bytes(db_path()).find(kTotpMarker), std::string::npos);
  EXPECT_EQ(read_bytes(db_path().string() + "-wal").find(kTotpMarker), std::string::npos);
  {
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("SELECT typeof(totp_secret) FROM users WHERE id = " + std::to_string(*id)),
              "blob");
    // A ciphertext copied into another account does not open there.
    ASSERT_EQ(raw.exec("UPDATE users SET totp_secret = (SELECT totp_secret FROM users WHERE id = " +
                       std::to_string(*id) + ") WHERE id = " + std::to_string(*other_id)),
              SQLITE_OK);
  }
  store_ = open();
  auto mine = store_->accounts().find_user(*id);
  ASSERT_TRUE(mine.has_value() && mine->has_value());
  EXPECT_EQ((*mine)->totp_secret, kTotpMarker);
  auto copied = store_->accounts().find_user(*other_id);
  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code, ErrorCode::kInternal);
}

TEST_F(RoutingStoreTest, RecordTotpStepAcceptsEachStepOnceAndOnlyForward) {
  auto id = store_->accounts().create_user(user("steps@example.org"));
  ASSERT_TRUE(id.has_value());
  ASSERT_TRUE(store_->accounts().record_totp_step(*id, 59'000'000).has_value());
  for (std::int64_t replay : {59'000'000, 58'999'999, 0}) {
    auto r = store_->accounts().record_totp_step(*id, replay);
    ASSERT_FALSE(r.has_value()) << replay;
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  }
  ASSERT_TRUE(store_->accounts().record_totp_step(*id, 59'000'001).has_value());
  EXPECT_EQ((*store_->accounts().find_user(*id))->totp_last_step, 59'000'001);
  auto missing = store_->accounts().record_totp_step(999, 1);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  // Eight sign-ins racing with the same code: exactly one wins.
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto r = store_->accounts().record_totp_step(*id, 59'000'002);
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::kConflict) {
        ++conflicts;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
}

TEST_F(RoutingStoreTest, DeleteUserSessionsSignsOneAccountOutEverywhere) {
  auto alice = store_->accounts().create_user(user("alice@example.org"));
  auto bob = store_->accounts().create_user(user("bob@example.org"));
  ASSERT_TRUE(alice.has_value() && bob.has_value());
  const std::int64_t case_id = add(make_case(1'800'000'000));
  auto session = [&](char fill, std::optional<std::int64_t> user_id) {
    domain::Session s;
    s.token_hash = std::string(64, fill);
    s.role = user_id ? domain::Role::kCompany : domain::Role::kComplainant;
    s.user_id = user_id;
    if (!user_id) s.case_id = case_id;
    s.csrf_token = "csrf";
    s.created_at = at(1'800'000'000);
    s.expires_at = at(1'900'000'000);
    return s;
  };
  for (const auto& s : {session('a', *alice), session('b', *alice), session('c', *bob),
                        session('d', std::nullopt)}) {
    ASSERT_TRUE(store_->accounts().create_session(s).has_value());
  }
  ASSERT_TRUE(store_->accounts().delete_user_sessions(*alice).has_value());
  EXPECT_FALSE(store_->accounts().find_session(std::string(64, 'a'))->has_value());
  EXPECT_FALSE(store_->accounts().find_session(std::string(64, 'b'))->has_value());
  EXPECT_TRUE(store_->accounts().find_session(std::string(64, 'c'))->has_value());
  EXPECT_TRUE(store_->accounts().find_session(std::string(64, 'd'))->has_value());
  EXPECT_TRUE(store_->accounts().delete_user_sessions(*alice).has_value()) << "idempotent";
  EXPECT_TRUE(store_->accounts().delete_user_sessions(999).has_value());
}

}  // namespace
}  // namespace grievance::storage::testing

namespace grievance::storage::testing {
namespace {

// Routing reads the organisations and supply links on every filing, so the store keeps them in
// memory: every write through the store must show in the next list, also under concurrency.
TEST_F(RoutingStoreTest, DirectoryListsSeeEveryWriteDespiteTheCache) {
  ASSERT_EQ(store_->directory().list_organisations()->size(), 4u);  // cached from here on
  ASSERT_TRUE(store_->directory().list_supply_links()->empty());
  const auto d = org(domain::OrgKind::kCompany, "Newly Listed", "VN");
  EXPECT_EQ(store_->directory().list_organisations()->size(), 5u);
  auto link = store_->directory().create_supply_link({0, company_a_, d, std::nullopt, false});
  ASSERT_TRUE(link);
  ASSERT_EQ(store_->directory().list_supply_links()->size(), 1u);
  EXPECT_FALSE(store_->directory().list_supply_links()->front().disabled);
  ASSERT_TRUE(store_->directory().update_supply_link({*link, company_a_, d, std::nullopt, true}));
  EXPECT_TRUE(store_->directory().list_supply_links()->front().disabled);
  auto found = *store_->directory().find_organisation(d);
  found->disabled = true;
  ASSERT_TRUE(store_->directory().update_organisation(*found));
  const auto orgs = *store_->directory().list_organisations();
  EXPECT_TRUE(std::any_of(orgs.begin(), orgs.end(),
                          [&](const auto& o) { return o.id == d && o.disabled; }));
  // A failed write (a duplicate link) leaves the lists right too.
  ASSERT_TRUE(
      store_->directory().create_supply_link({0, company_b_, company_c_, std::nullopt, false}));
  EXPECT_FALSE(
      store_->directory().create_supply_link({0, company_b_, company_c_, std::nullopt, false}));
  EXPECT_EQ(store_->directory().list_supply_links()->size(), 2u);

  // Readers racing writers: after the writers return, the list holds every link.
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!stop) (void)store_->directory().list_supply_links();
    });
  }
  std::vector<std::int64_t> buyers;
  for (int i = 0; i < 20; ++i) buyers.push_back(org(domain::OrgKind::kCompany, "B", "NL"));
  for (auto b : buyers) {
    ASSERT_TRUE(store_->directory().create_supply_link({0, company_c_, b, std::nullopt, false}));
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(store_->directory().list_supply_links()->size(), 22u);
  EXPECT_EQ(store_->directory().list_organisations()->size(), 25u);
}

}  // namespace
}  // namespace grievance::storage::testing
