// Round trips of every CaseStore method, error mapping, encryption at rest, the event hash
// chain and the append-only triggers.
#include <mutex>
#include <thread>
#include <vector>

#include "storage/store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

using domain::ErrorCode;

TEST_F(StoreTest, CaseRoundTripsWithEventsInOrder) {
  auto store = open();
  ASSERT_TRUE(store);
  auto org =
      store->directory().create_organisation({0, domain::OrgKind::kCompany, "Sawit Jaya", "ID"});
  ASSERT_TRUE(org.has_value());
  auto union_org =
      store->directory().create_organisation({0, domain::OrgKind::kUnion, "SPSI", "ID"});
  ASSERT_TRUE(union_org.has_value());
  auto site = store->directory().create_site(
      {0, "Mill 3", "ID", "Riau", domain::Sector::kPalmOil, std::optional<std::int64_t>(*org)});
  ASSERT_TRUE(site.has_value());

  domain::Case c = sample_case(next_reference());
  c.complaint.site_id = *site;
  c.complaint.union_org_id = *union_org;
  c.complaint.channel = domain::Channel::kUnion;
  c.complaint.mandate = domain::Mandate{true, false, true, 42};
  domain::CaseEvent routed = filed_event();
  routed.type = domain::EventType::kRouted;
  routed.actor_role = domain::Role::kSystem;
  routed.actor_org_id = *org;
  routed.visibility = domain::Visibility::kOrganisation;
  routed.body = "";
  auto id = store->cases().create_case(c, {filed_event(), routed});
  ASSERT_TRUE(id.has_value()) << id.error().message;
  EXPECT_GT(*id, 0);

  auto by_ref = store->cases().find_case_by_reference(c.reference);
  ASSERT_TRUE(by_ref.has_value());
  ASSERT_TRUE(by_ref->has_value());
  const domain::Case& got = **by_ref;
  EXPECT_EQ(got.id, *id);
  EXPECT_EQ(got.reference, c.reference);
  EXPECT_EQ(got.access_code_hmac, c.access_code_hmac);
  EXPECT_EQ(got.complaint.language, c.complaint.language);
  EXPECT_EQ(got.complaint.categories, c.complaint.categories);
  EXPECT_EQ(got.complaint.narrative, c.complaint.narrative);
  EXPECT_EQ(got.complaint.site_id, *site);
  EXPECT_EQ(got.complaint.place, c.complaint.place);
  EXPECT_EQ(got.complaint.country, "ID");
  EXPECT_EQ(got.complaint.incident_date, c.complaint.incident_date);
  EXPECT_FALSE(got.complaint.anonymous);
  ASSERT_TRUE(got.complaint.contact.has_value());
  EXPECT_EQ(got.complaint.contact->name, c.complaint.contact->name);
  EXPECT_EQ(got.complaint.contact->phone, c.complaint.contact->phone);
  EXPECT_EQ(got.complaint.contact->email, c.complaint.contact->email);
  ASSERT_TRUE(got.complaint.mandate.has_value());
  EXPECT_TRUE(got.complaint.mandate->follow);
  EXPECT_FALSE(got.complaint.mandate->share_identity_with_company);
  EXPECT_TRUE(got.complaint.mandate->collective);
  EXPECT_EQ(got.complaint.mandate->headcount, 42);
  EXPECT_EQ(got.complaint.channel, domain::Channel::kUnion);
  EXPECT_EQ(got.complaint.union_org_id, *union_org);
  EXPECT_EQ(got.status, domain::CaseStatus::kReceived);
  EXPECT_EQ(got.deadlines.ack_due, c.deadlines.ack_due);
  EXPECT_EQ(got.deadlines.response_due, c.deadlines.response_due);
  EXPECT_EQ(got.deadlines.resolution_due, c.deadlines.resolution_due);
  EXPECT_EQ(got.created_at, c.created_at);
  EXPECT_EQ(got.updated_at, c.updated_at);
  EXPECT_EQ(got.content_sha256, c.content_sha256);

  auto by_id = store->cases().find_case(*id);
  ASSERT_TRUE(by_id.has_value() && by_id->has_value());
  EXPECT_EQ((*by_id)->reference, c.reference);

  auto events = store->cases().case_events(*id);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].seq, 1);
  EXPECT_EQ((*events)[0].case_id, *id);
  EXPECT_EQ((*events)[0].type, domain::EventType::kFiled);
  EXPECT_EQ((*events)[0].body, "Filed through the web form.");
  EXPECT_EQ((*events)[0].to_status, domain::CaseStatus::kReceived);
  EXPECT_FALSE((*events)[0].from_status.has_value());
  EXPECT_EQ((*events)[1].seq, 2);
  EXPECT_EQ((*events)[1].type, domain::EventType::kRouted);
  EXPECT_EQ((*events)[1].actor_role, domain::Role::kSystem);
  EXPECT_EQ((*events)[1].actor_org_id, *org);
  EXPECT_EQ((*events)[1].visibility, domain::Visibility::kOrganisation);
  EXPECT_EQ((*events)[1].body, "");

  auto count = store->cases().count_cases();
  ASSERT_TRUE(count.has_value());
  EXPECT_EQ(*count, 1);
}

TEST_F(StoreTest, AnonymousCaseWithoutOptionalFields) {
  auto store = open();
  domain::Case c = sample_case(next_reference());
  c.complaint.anonymous = true;
  c.complaint.contact.reset();
  c.complaint.incident_date.reset();
  c.complaint.place = "";
  auto id = store->cases().create_case(c, {});
  ASSERT_TRUE(id.has_value());
  auto got = store->cases().find_case(*id);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_TRUE((*got)->complaint.anonymous);
  EXPECT_FALSE((*got)->complaint.contact.has_value());
  EXPECT_FALSE((*got)->complaint.incident_date.has_value());
  EXPECT_FALSE((*got)->complaint.mandate.has_value());
  EXPECT_FALSE((*got)->complaint.site_id.has_value());
  auto events = store->cases().case_events(*id);
  ASSERT_TRUE(events.has_value());
  EXPECT_TRUE(events->empty());
}

TEST_F(StoreTest, UnknownCaseReadsAreEmptyNotErrors) {
  auto store = open();
  auto a = store->cases().find_case_by_reference("GRV-NONE-0000");
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE(a->has_value());
  auto b = store->cases().find_case(12345);
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(b->has_value());
  auto e = store->cases().case_events(12345);
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->empty());
}

TEST_F(StoreTest, DuplicateReferenceIsConflictAndStoresNothing) {
  auto store = open();
  const domain::Case c = sample_case(next_reference());
  ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
  auto again = store->cases().create_case(c, {filed_event()});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message.find(c.reference), std::string::npos);
  EXPECT_EQ(*store->cases().count_cases(), 1);
  store.reset();
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM case_events"), "1");
}

TEST_F(StoreTest, FilingKeyFindsItsCaseAndARetriedKeyIsConflictStoringNothing) {
  auto store = open();
  domain::Case c = sample_case(next_reference());
  c.filing_key_hash = std::string(64, 'a');
  ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
  auto found = store->cases().find_case_by_filing_key(c.filing_key_hash);
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->reference, c.reference);
  EXPECT_FALSE(store->cases().find_case_by_filing_key(std::string(64, 'b'))->has_value());

  domain::Case retry = sample_case(next_reference());  // a new reference, the same key
  retry.filing_key_hash = c.filing_key_hash;
  auto again = store->cases().create_case(retry, {filed_event()});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(*store->cases().count_cases(), 1);
  EXPECT_FALSE(store->cases().find_case_by_reference(retry.reference)->has_value())
      << "the case row of the refused filing was rolled back with it";
  store.reset();
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM case_events"), "1");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM filing_keys"), "1");
}

TEST_F(StoreTest, AppendEventUpdatesStatusAndChainsSeq) {
  auto store = open();
  const domain::Case c = sample_case(next_reference());
  auto id = store->cases().create_case(c, {filed_event()});
  ASSERT_TRUE(id.has_value());

  domain::CaseEvent ack;
  ack.at = at(1'800'100'000);
  ack.type = domain::EventType::kStatusChanged;
  ack.actor_role = domain::Role::kCompany;
  ack.actor_org_id = 7;
  ack.from_status = domain::CaseStatus::kReceived;
  ack.to_status = domain::CaseStatus::kAcknowledged;
  ack.body = "We have received your complaint.";
  auto eid = store->cases().append_event(*id, ack, domain::CaseStatus::kAcknowledged);
  ASSERT_TRUE(eid.has_value()) << eid.error().message;

  domain::CaseEvent msg = ack;
  msg.at = at(1'800'200'000);
  msg.type = domain::EventType::kMessage;
  msg.from_status.reset();
  msg.to_status.reset();
  msg.body = std::string(kMessageMarker);
  ASSERT_TRUE(store->cases().append_event(*id, msg, std::nullopt).has_value());

  auto got = store->cases().find_case(*id);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->status, domain::CaseStatus::kAcknowledged);
  EXPECT_EQ((*got)->updated_at, msg.at);
  auto events = store->cases().case_events(*id);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].id, *eid);
  EXPECT_EQ((*events)[1].seq, 2);
  EXPECT_EQ((*events)[1].from_status, domain::CaseStatus::kReceived);
  EXPECT_EQ((*events)[2].seq, 3);
  EXPECT_EQ((*events)[2].body, kMessageMarker);
}

TEST_F(StoreTest, AppendEventToUnknownCaseIsNotFound) {
  auto store = open();
  auto r = store->cases().append_event(999, filed_event(), std::nullopt);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_F(StoreTest, SitesRoundTripAndSearch) {
  auto store = open();
  auto org = store->directory().create_organisation({0, domain::OrgKind::kCompany, "Co", "CI"});
  ASSERT_TRUE(org.has_value());
  const auto add = [&](std::string name, std::string country, std::string region,
                       domain::Sector sector) {
    auto id = store->directory().create_site({0, name, country, region, sector, std::nullopt});
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  };
  const auto cocoa = add("Coop Soubré", "CI", "Nawa", domain::Sector::kCocoa);
  add("Factory Binh Duong", "VN", "Binh Duong", domain::Sector::kTextile);
  add("Estate Alpha", "ID", "Riau", domain::Sector::kPalmOil);
  add("Mill Riau Beta", "ID", "Kampar", domain::Sector::kPalmOil);

  auto site = store->directory().find_site(cocoa);
  ASSERT_TRUE(site.has_value() && site->has_value());
  EXPECT_EQ((*site)->name, "Coop Soubré");
  EXPECT_EQ((*site)->country, "CI");
  EXPECT_EQ((*site)->region, "Nawa");
  EXPECT_EQ((*site)->sector, domain::Sector::kCocoa);
  EXPECT_FALSE((*site)->operator_org_id.has_value());
  auto none = store->directory().find_site(9999);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());

  auto riau = store->directory().search_sites("rIaU", "", 10);  // name or region, case-insensitive
  ASSERT_TRUE(riau.has_value());
  ASSERT_EQ(riau->size(), 2u);
  EXPECT_EQ((*riau)[0].name, "Estate Alpha");  // ordered by country, then name
  EXPECT_EQ((*riau)[1].name, "Mill Riau Beta");

  auto id_only = store->directory().search_sites("", "ID", 10);
  ASSERT_TRUE(id_only.has_value());
  EXPECT_EQ(id_only->size(), 2u);
  auto all = store->directory().search_sites("", "", 3);
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].country, "CI");
  auto pattern = store->directory().search_sites("%", "", 10);  // the text is never a LIKE pattern
  ASSERT_TRUE(pattern.has_value());
  EXPECT_TRUE(pattern->empty());
}

TEST_F(StoreTest, UsersRoundTripWithLowerCasedUniqueEmail) {
  auto store = open();
  auto org = store->directory().create_organisation({0, domain::OrgKind::kUnion, "KSBSI", "ID"});
  ASSERT_TRUE(org.has_value());
  domain::User u;
  u.email = "Officer@Example.ORG";
  u.role = domain::Role::kUnion;
  u.org_id = *org;
  u.password_hash = "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA";
  u.created_at = at(1'800'000'000);
  auto id = store->accounts().create_user(u);
  ASSERT_TRUE(id.has_value());
  auto got = store->accounts().find_user_by_email("OFFICER@example.org");
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->id, *id);
  EXPECT_EQ((*got)->email, "officer@example.org");
  EXPECT_EQ((*got)->role, domain::Role::kUnion);
  EXPECT_EQ((*got)->org_id, *org);
  EXPECT_EQ((*got)->password_hash, u.password_hash);
  EXPECT_FALSE((*got)->disabled);
  EXPECT_EQ((*got)->created_at, u.created_at);

  u.email = "officer@example.org";
  auto dup = store->accounts().create_user(u);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto missing = store->accounts().find_user_by_email("nobody@example.org");
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(StoreTest, UnknownForeignKeyIsConflict) {
  auto store = open();
  domain::User u;
  u.email = "a@example.org";
  u.org_id = 4242;
  u.password_hash = "x";
  auto r = store->accounts().create_user(u);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

TEST_F(StoreTest, SessionsRoundTripAndDelete) {
  auto store = open();
  auto case_id = store->cases().create_case(sample_case(next_reference()), {});
  ASSERT_TRUE(case_id.has_value());
  domain::Session s;
  s.token_hash = std::string(64, 'e');
  s.role = domain::Role::kComplainant;
  s.case_id = *case_id;
  s.csrf_token = "csrf-123";
  s.created_at = at(1'800'000'000);
  s.expires_at = at(1'800'001'800);
  ASSERT_TRUE(store->accounts().create_session(s).has_value());
  auto dup = store->accounts().create_session(s);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);

  auto got = store->accounts().find_session(s.token_hash);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->role, domain::Role::kComplainant);
  EXPECT_EQ((*got)->case_id, *case_id);
  EXPECT_FALSE((*got)->user_id.has_value());
  EXPECT_FALSE((*got)->org_id.has_value());
  EXPECT_EQ((*got)->csrf_token, "csrf-123");
  EXPECT_EQ((*got)->created_at, s.created_at);
  EXPECT_EQ((*got)->expires_at, s.expires_at);

  ASSERT_TRUE(store->accounts().delete_session(s.token_hash).has_value());
  auto gone = store->accounts().find_session(s.token_hash);
  ASSERT_TRUE(gone.has_value());
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(store->accounts().delete_session(s.token_hash).has_value());  // idempotent
}

TEST_F(StoreTest, ASignInSweepsExpiredSessions) {
  auto store = open();
  auto case_id = store->cases().create_case(sample_case(next_reference()), {});
  ASSERT_TRUE(case_id.has_value());
  auto session = [&](char fill, std::int64_t created, std::int64_t expires) {
    domain::Session s;
    s.token_hash = std::string(64, fill);
    s.role = domain::Role::kComplainant;
    s.case_id = *case_id;
    s.csrf_token = "csrf";
    s.created_at = at(created);
    s.expires_at = at(expires);
    return s;
  };
  ASSERT_TRUE(store->accounts().create_session(session('a', 1'000, 2'000)).has_value());
  ASSERT_TRUE(store->accounts().create_session(session('b', 1'500, 9'000)).has_value());
  // A sign-in at t=2000: 'a' expired exactly then and is swept, 'b' stays.
  ASSERT_TRUE(store->accounts().create_session(session('c', 2'000, 3'800)).has_value());
  EXPECT_FALSE(store->accounts().find_session(std::string(64, 'a'))->has_value());
  EXPECT_TRUE(store->accounts().find_session(std::string(64, 'b'))->has_value());
  EXPECT_TRUE(store->accounts().find_session(std::string(64, 'c'))->has_value());
}

TEST_F(StoreTest, HealthyAndDataSurviveReopen) {
  const domain::Case c = sample_case(next_reference());
  {
    auto store = open();
    EXPECT_TRUE(store->cases().health().answers);
    ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
  }
  auto store = open();
  auto got = store->cases().find_case_by_reference(c.reference);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->complaint.narrative, c.complaint.narrative);
}

// A full disk is not silent (issue 8): a write refused by the disk is told once per episode
// (the server logs it) and health() shows it until a write reaches the disk again. The writer's
// max_page_count makes SQLite answer SQLITE_FULL exactly as on a full disk.
TEST_F(StoreTest, AFullDiskIsToldOncePerEpisodeAndShownByHealthUntilAWriteSucceeds) {
  std::mutex mu;
  std::vector<WriteFault> told;
  StoreOptions options{db_path().string(), 2};
  options.on_write_fault = [&](WriteFault fault) {
    std::lock_guard lock(mu);
    told.push_back(fault);
  };
  auto opened = open_sqlite_stores(options, *cipher_, *crypto_);
  ASSERT_TRUE(opened.has_value());
  SqliteStores& store = **opened;
  const auto told_so_far = [&] {
    std::lock_guard lock(mu);
    return told;
  };
  const auto big_case = [] {
    domain::Case c = sample_case(next_reference());
    c.complaint.narrative = std::string(60'000, 'n');  // needs new pages
    return c;
  };
  const domain::Case first = big_case();
  ASSERT_TRUE(store.cases().create_case(first, {filed_event()}).has_value());
  EXPECT_FALSE(store.cases().health().writes_refused);

  for (int episode = 0; episode < 2; ++episode) {
    SCOPED_TRACE(episode);
    ASSERT_TRUE(store.limit_pages_for_testing(1).has_value());  // the pages in use, no more
    EXPECT_FALSE(store.cases().health().writes_refused);  // the hook's own commit wrote nothing
    for (int i = 0; i < 3; ++i) {
      auto refused = store.cases().create_case(big_case(), {filed_event()});
      ASSERT_FALSE(refused.has_value());
      EXPECT_EQ(refused.error().code, domain::ErrorCode::kUnavailable);
    }
    EXPECT_TRUE(store.cases().health().writes_refused);
    EXPECT_TRUE(store.cases().health().answers);  // reads still work
    // A write that fails for its own reason (a duplicate) says nothing about the disk.
    auto duplicate = store.cases().create_case(sample_case(first.reference), {});
    ASSERT_FALSE(duplicate.has_value());
    EXPECT_EQ(duplicate.error().code, domain::ErrorCode::kConflict);
    EXPECT_TRUE(store.cases().health().writes_refused);

    ASSERT_TRUE(store.limit_pages_for_testing(1'000'000'000).has_value());
    EXPECT_TRUE(store.cases().health().writes_refused);  // nothing written yet
    ASSERT_TRUE(store.cases().create_case(big_case(), {filed_event()}).has_value());
    EXPECT_FALSE(store.cases().health().writes_refused);
  }
  EXPECT_EQ(told_so_far(), (std::vector<WriteFault>{WriteFault::kDiskFull, WriteFault::kNone,
                                                    WriteFault::kDiskFull, WriteFault::kNone}));
}

TEST_F(StoreTest, DatabaseFilesAreOwnerOnlyAndUseWal) {
  auto store = open();
  ASSERT_TRUE(store->cases().create_case(sample_case(next_reference()), {}).has_value());
  EXPECT_EQ(fs::status(db_path()).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, NoPlaintextInDatabaseOrWal) {
  {
    auto store = open();
    for (int i = 0; i < 20; ++i) {
      auto id = store->cases().create_case(sample_case(next_reference()), {filed_event()});
      ASSERT_TRUE(id.has_value());
      domain::CaseEvent msg = filed_event();
      msg.type = domain::EventType::kMessage;
      msg.body = "Reply " + std::string(kMessageMarker);
      ASSERT_TRUE(store->cases().append_event(*id, msg, std::nullopt).has_value());
    }
    // While open, the newest pages are in the -wal file.
    const std::string wal = read_bytes(db_path().string() + "-wal");
    ASSERT_FALSE(wal.empty());
    EXPECT_EQ(wal.find(kNarrativeMarker), std::string::npos);
    EXPECT_EQ(wal.find(kContactMarker), std::string::npos);
    EXPECT_EQ(wal.find(kMessageMarker), std::string::npos);
    EXPECT_EQ(wal.find("+62 811 0000"), std::string::npos);
  }
  const std::string db = read_bytes(db_path());
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(db.find(kNarrativeMarker), std::string::npos);
  EXPECT_EQ(db.find(kContactMarker), std::string::npos);
  EXPECT_EQ(db.find(kMessageMarker), std::string::npos);
  EXPECT_EQ(db.find("siti@example.org"), std::string::npos);
}

// Issue 8: the complaint's free-text place ("village or company") was found in the WAL and in
// a backup. It is sealed like the narrative, and the case list still finds a case by it.
TEST_F(StoreTest, PlaceIsSealedInTheDatabaseTheWalAndBackups) {
  constexpr std::string_view kPlaceMarker = "PLACE-MARKER-e61f2a";
  const fs::path backup = dir_.path() / "backup.db";
  std::vector<std::string> references;
  {
    auto store = open();
    for (int i = 0; i < 5; ++i) {
      domain::Case c = sample_case(next_reference());
      c.complaint.place = "Kampung " + std::string(kPlaceMarker);
      ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
      references.insert(references.begin(), c.reference);  // the list is newest first
    }
    domain::Case other = sample_case(next_reference());
    other.complaint.place = "Elsewhere";
    ASSERT_TRUE(store->cases().create_case(other, {filed_event()}).has_value());

    const std::string wal = read_bytes(db_path().string() + "-wal");
    ASSERT_FALSE(wal.empty());
    EXPECT_EQ(wal.find(kPlaceMarker), std::string::npos);
    ASSERT_TRUE(backup_database(db_path().string(), backup.string()).has_value());

    auto got = store->cases().find_case_by_reference(references[0]);
    ASSERT_TRUE(got.has_value() && got->has_value());
    EXPECT_EQ((*got)->complaint.place, "Kampung " + std::string(kPlaceMarker));
    // Searching by the place still works, case-insensitively, with the list's paging.
    domain::CaseQuery q;
    q.q = "kampung place-marker";
    auto listed = store->cases().list_cases(q);
    ASSERT_TRUE(listed.has_value()) << listed.error().message;
    std::vector<std::string> found;
    for (const auto& c : *listed) found.push_back(c.reference);
    EXPECT_EQ(found, references);
    EXPECT_EQ((*listed)[0].complaint.place, "Kampung " + std::string(kPlaceMarker));
    q.limit = 2;
    q.after = std::pair{(*listed)[1].created_at, (*listed)[1].id};
    listed = store->cases().list_cases(q);
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].reference, references[2]);
    EXPECT_EQ((*listed)[1].reference, references[3]);
  }
  EXPECT_EQ(read_bytes(db_path()).find(kPlaceMarker), std::string::npos);
  EXPECT_EQ(read_bytes(backup).find(kPlaceMarker), std::string::npos);
}

TEST_F(StoreTest, CiphertextMovedToAnotherRowDoesNotDecrypt) {
  auto store = open();
  const domain::Case a = sample_case(next_reference());
  const domain::Case b = sample_case(next_reference());
  ASSERT_TRUE(store->cases().create_case(a, {}).has_value());
  ASSERT_TRUE(store->cases().create_case(b, {}).has_value());
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("UPDATE cases SET narrative = (SELECT narrative FROM cases WHERE "
                       "reference = '" +
                       a.reference + "') WHERE reference = '" + b.reference + "'"),
              SQLITE_OK);
  }
  auto got = store->cases().find_case_by_reference(b.reference);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, ErrorCode::kInternal);
}

TEST_F(StoreTest, EventsFormAHashChainAndAreAppendOnly) {
  auto store = open();
  const domain::Case c = sample_case(next_reference());
  auto id = store->cases().create_case(c, {filed_event(), filed_event()});
  ASSERT_TRUE(id.has_value());
  ASSERT_TRUE(store->cases().append_event(*id, filed_event(), std::nullopt).has_value());
  store.reset();

  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT prev_hash FROM case_events WHERE seq = 1"), std::string(64, '0'));
  EXPECT_EQ(raw.scalar("SELECT prev_hash FROM case_events WHERE seq = 2"),
            raw.scalar("SELECT hash FROM case_events WHERE seq = 1"));
  EXPECT_EQ(raw.scalar("SELECT prev_hash FROM case_events WHERE seq = 3"),
            raw.scalar("SELECT hash FROM case_events WHERE seq = 2"));
  EXPECT_EQ(raw.scalar("SELECT last_event_hash FROM cases"),
            raw.scalar("SELECT hash FROM case_events WHERE seq = 3"));
  auto intact = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(intact.has_value());
  EXPECT_TRUE(intact->empty());

  EXPECT_NE(raw.exec("UPDATE case_events SET at = at + 1 WHERE seq = 2"), SQLITE_OK);
  EXPECT_NE(raw.exec("DELETE FROM case_events WHERE seq = 3"), SQLITE_OK);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM case_events"), "3");

  // Someone with write access to the file can drop the triggers; the chain still tells.
  ASSERT_EQ(raw.exec("DROP TRIGGER case_events_no_update"), SQLITE_OK);
  ASSERT_EQ(raw.exec("UPDATE case_events SET at = at + 1 WHERE seq = 2"), SQLITE_OK);
  auto edited = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(edited.has_value());
  ASSERT_EQ(edited->size(), 1u);
  EXPECT_EQ((*edited)[0].reference, c.reference);
  EXPECT_EQ((*edited)[0].seq, 2);
  ASSERT_EQ(raw.exec("UPDATE case_events SET at = at - 1 WHERE seq = 2"), SQLITE_OK);

  ASSERT_EQ(raw.exec("DROP TRIGGER case_events_no_delete"), SQLITE_OK);
  ASSERT_EQ(raw.exec("DELETE FROM case_events WHERE seq = 3"), SQLITE_OK);
  auto removed = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(removed.has_value());
  ASSERT_EQ(removed->size(), 1u);
  EXPECT_EQ((*removed)[0].seq, 3);
  EXPECT_EQ((*removed)[0].reason, "missing event");
}

// Schema version 7: a translation names the event it translates and its language; both are
// covered by the hash chain, and its text is sealed like a message's.
TEST_F(StoreTest, ATranslationRoundTripsAndItsFieldsAreInTheChain) {
  auto store = open();
  const domain::Case c = sample_case(next_reference());
  auto id = store->cases().create_case(c, {filed_event()});
  ASSERT_TRUE(id.has_value());
  domain::CaseEvent t = filed_event();
  t.type = domain::EventType::kTranslation;
  t.translates = 1;
  t.language = domain::Language::kNl;
  t.body = "Overuren niet betaald. " + std::string(kMessageMarker);
  ASSERT_TRUE(store->cases().append_event(*id, t, std::nullopt).has_value());
  auto events = store->cases().case_events(*id);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].type, domain::EventType::kTranslation);
  EXPECT_EQ((*events)[1].translates, 1);
  EXPECT_EQ((*events)[1].language, domain::Language::kNl);
  EXPECT_EQ((*events)[1].body, t.body);
  EXPECT_FALSE((*events)[0].translates) << "earlier events carry none";
  store.reset();

  RawDb raw(db_path());
  auto intact = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(intact.has_value());
  EXPECT_TRUE(intact->empty());
  ASSERT_EQ(raw.exec("DROP TRIGGER case_events_no_update"), SQLITE_OK);
  ASSERT_EQ(raw.exec("UPDATE case_events SET language = 'en' WHERE seq = 2"), SQLITE_OK);
  auto edited = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(edited.has_value());
  ASSERT_EQ(edited->size(), 1u);
  EXPECT_EQ((*edited)[0].seq, 2);
  ASSERT_EQ(raw.exec("UPDATE case_events SET language = 'nl', translates = 2 WHERE seq = 2"),
            SQLITE_OK);
  edited = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(edited.has_value());
  EXPECT_EQ(edited->size(), 1u) << "which event it translates is covered too";
}

TEST_F(StoreTest, WritesAfterManyFailuresStillCommit) {
  // A failing write inside a group (duplicate reference) must not fail its neighbours.
  auto store = open();
  const domain::Case dup = sample_case(next_reference());
  ASSERT_TRUE(store->cases().create_case(dup, {}).has_value());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, conflicts{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = store->cases().create_case((i + t) % 2 == 0 ? dup : sample_case(next_reference()),
                                            {filed_event()});
        if (r) {
          ++ok;
        } else if (r.error().code == ErrorCode::kConflict) {
          ++conflicts;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok + conflicts, 200);
  EXPECT_EQ(*store->cases().count_cases(), 1 + ok.load());
}

}  // namespace
}  // namespace grievance::storage::testing
