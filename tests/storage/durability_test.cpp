// Migrations from every shipped schema version, group commit under concurrent writers,
// SIGKILL in the middle of a stream of writes, and online backup.
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

int latest_version() { return all_migrations().back().version; }

constexpr std::string_view kPlaceMarker = "OLD-PLACE-MARKER-0c7d41";
const std::string kOldPlace = "Desa Lama " + std::string(kPlaceMarker);

// Numbers may have gaps on a branch (parallel branches reserve theirs); order is strict.
TEST(MigrationsTest, EmbeddedInIncreasingOrder) {
  const auto migrations = all_migrations();
  ASSERT_GE(migrations.size(), 2u);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version > (i == 0 ? 0 : migrations[i - 1].version), true);
    EXPECT_FALSE(migrations[i].sql.empty());
  }
  EXPECT_EQ(migrations[0].name, "0001_initial");
}

TEST_F(StoreTest, MigratesAnEmptyDatabaseToTheLatestVersion) {
  ASSERT_TRUE(open());
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT max(version) FROM schema_migrations"),
            std::to_string(latest_version()));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"),
            std::to_string(all_migrations().size()));
  for (const char* table : {"organisations", "sites", "users", "cases", "case_events", "sessions",
                            "filing_keys", "supply_links", "case_parties"}) {
    EXPECT_EQ(
        raw.scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'"),
        "1")
        << table;
  }
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
}

// STYLE.md point 10: a migration test opens a database of every schema version ever shipped,
// with data in it, and checks the data survives the upgrade.
TEST_F(StoreTest, UpgradesADatabaseAtEveryOlderVersionKeepingItsData) {
  for (const auto& m : all_migrations()) {
    const int version = m.version;
    if (version == latest_version()) break;
    SCOPED_TRACE("from version " + std::to_string(version));
    const fs::path path = dir_.path() / ("v" + std::to_string(version) + ".db");
    const std::string reference = next_reference("MIG");
    {
      auto db = Connection::open(path.string(), Connection::Mode::kReadWrite);
      ASSERT_TRUE(db.has_value());
      ASSERT_TRUE(apply_migrations(**db, version, &*cipher_).has_value());
      auto v = schema_version(**db);
      ASSERT_TRUE(v.has_value());
      ASSERT_EQ(*v, version);
      // Rows as an old binary wrote them (the version-1 tables only).
      const std::string narrative = cipher_->seal("Old narrative " + std::string(kNarrativeMarker),
                                                  "cases.narrative:" + reference);
      ASSERT_TRUE(
          (*db)->exec("INSERT INTO organisations (id, kind, name, country) "
                      "VALUES (1, 'company', 'Old Co', 'VN')"));
      ASSERT_TRUE(
          (*db)->exec("INSERT INTO sites (id, name, country, region, sector, "
                      "operator_org_id) VALUES (1, 'Old Mill', 'VN', 'Dong Nai', "
                      "'textile', 1)"));
      ASSERT_TRUE(
          (*db)->exec("INSERT INTO organisations (id, kind, name, country) "
                      "VALUES (2, 'company', 'Old Buyer', 'DE')"));
      ASSERT_TRUE(
          (*db)->exec("INSERT INTO users (id, email, role, org_id, password_hash, disabled, "
                      "created_at) VALUES (1, 'old@example.org', 'company', 1, '$scrypt$x', 0, "
                      "7)"));
      if (version < 5) {  // the place in clear, as binaries before version 5 wrote it
        auto q = (*db)->query(
            "INSERT INTO cases (reference, access_code_hmac, language, categories, narrative, "
            "site_id, place, country, anonymous, channel, status, ack_due, response_due, "
            "resolution_due, created_at, updated_at, content_sha256) VALUES (?1, 'h', 'vi', "
            "'wages', ?2, 1, ?3, 'VN', 1, 'paper', 'in_dialogue', 10, 20, 30, 5, 6, 'sha')");
        ASSERT_TRUE(
            q.bind(1, reference).bind_blob(2, narrative).bind(3, kOldPlace).run().has_value());
      } else {  // sealed since version 5
        auto q = (*db)->query(
            "INSERT INTO cases (reference, access_code_hmac, language, categories, narrative, "
            "site_id, place, place_sealed, country, anonymous, channel, status, ack_due, "
            "response_due, resolution_due, created_at, updated_at, content_sha256) VALUES (?1, "
            "'h', 'vi', 'wages', ?2, 1, '', ?3, 'VN', 1, 'paper', 'in_dialogue', 10, 20, 30, 5, "
            "6, 'sha')");
        const std::string place = cipher_->seal(kOldPlace, "cases.place:" + reference);
        ASSERT_TRUE(
            q.bind(1, reference).bind_blob(2, narrative).bind_blob(3, place).run().has_value());
      }
    }
    auto store = open_sqlite_stores({path.string(), 2}, *cipher_, *crypto_);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    auto got = (*store)->cases().find_case_by_reference(reference);
    ASSERT_TRUE(got.has_value() && got->has_value());
    EXPECT_EQ((*got)->complaint.narrative, "Old narrative " + std::string(kNarrativeMarker));
    EXPECT_EQ((*got)->complaint.place, kOldPlace) << "a place stored in clear is sealed, once";
    EXPECT_EQ((*got)->status, domain::CaseStatus::kInDialogue);
    EXPECT_EQ((*got)->complaint.site_id, 1);
    auto site = (*store)->directory().find_site(1);
    ASSERT_TRUE(site.has_value() && site->has_value());
    EXPECT_EQ((*site)->name, "Old Mill");
    EXPECT_FALSE((*site)->disabled);
    EXPECT_TRUE((*got)->parties.empty()) << "an old case waits in triage";
    auto old_org = (*store)->directory().find_organisation(1);
    ASSERT_TRUE(old_org.has_value() && old_org->has_value());
    EXPECT_EQ((*old_org)->name, "Old Co");
    EXPECT_FALSE((*old_org)->disabled);
    auto old_user = (*store)->accounts().find_user(1);
    ASSERT_TRUE(old_user.has_value() && old_user->has_value());
    EXPECT_EQ((*old_user)->email, "old@example.org");
    EXPECT_TRUE((*old_user)->totp_secret.empty());
    EXPECT_EQ((*old_user)->totp_last_step, 0);
    // What the newer versions added works on the upgraded database.
    domain::Session s;
    s.token_hash = "t" + std::to_string(version);
    s.role = domain::Role::kComplainant;
    s.case_id = (*got)->id;
    EXPECT_TRUE((*store)->accounts().create_session(s).has_value());
    domain::CaseQuery triage;
    triage.triage = true;
    auto listed = (*store)->cases().list_cases(triage);
    ASSERT_TRUE(listed.has_value()) << listed.error().message;
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].reference, reference);
    EXPECT_EQ((*listed)[0].complaint.place, kOldPlace);
    domain::CaseQuery by_place;
    by_place.q = "desa lama";
    listed = (*store)->cases().list_cases(by_place);
    ASSERT_TRUE(listed.has_value()) << listed.error().message;
    ASSERT_EQ(listed->size(), 1u) << "found by its sealed place";
    EXPECT_TRUE((*store)
                    ->cases()
                    .add_case_parties((*got)->id,
                                      {domain::CaseParty{1, domain::PartyRole::kResponsible}}, {},
                                      std::nullopt)
                    .has_value());
    EXPECT_TRUE(
        (*store)->directory().create_supply_link({0, 1, 2, std::nullopt, false}).has_value());
    EXPECT_TRUE((*store)->accounts().record_totp_step(1, 100).has_value());
    domain::User changed = **old_user;
    changed.totp_secret = "fresh-secret";
    EXPECT_TRUE((*store)->accounts().update_user(changed).has_value());
    EXPECT_EQ((*(*store)->accounts().find_user(1))->totp_secret, "fresh-secret");
    store->reset();
    EXPECT_EQ(read_bytes(path).find(kPlaceMarker), std::string::npos) << "no clear place is left";
    EXPECT_FALSE(fs::exists(path.string() + "-wal"));
    RawDb raw(path);
    EXPECT_EQ(raw.scalar("SELECT max(version) FROM schema_migrations"),
              std::to_string(latest_version()));
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  }
}

TEST_F(StoreTest, ReopeningAnUpToDateDatabaseChangesNothing) {
  const domain::Case c = sample_case(next_reference());
  {
    auto store = open();
    ASSERT_TRUE(store->cases().create_case(c, {filed_event()}).has_value());
  }
  std::string applied_before;
  {
    RawDb raw(db_path());
    applied_before = raw.scalar(
        "SELECT group_concat(version || ':' || applied_at) FROM "
        "schema_migrations");
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->cases().find_case_by_reference(c.reference)->has_value());
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT group_concat(version || ':' || applied_at) FROM "
                       "schema_migrations"),
            applied_before);
}

TEST_F(StoreTest, RefusesADatabaseFromANewerSchema) {
  ASSERT_TRUE(open());
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("INSERT INTO schema_migrations VALUES (999, '0999_future', 0)"), SQLITE_OK);
  }
  auto store = open_sqlite_stores({db_path().string(), 1}, *cipher_, *crypto_);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, domain::ErrorCode::kUnavailable);
}

TEST_F(StoreTest, OpenFailsCleanlyOnAnUnusablePath) {
  auto store = open_sqlite_stores({(dir_.path() / "no" / "such" / "dir.db").string(), 1}, *cipher_,
                                  *crypto_);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, domain::ErrorCode::kUnavailable);
}

// LevelDB DBImpl::Write: concurrent writers share transactions (and fsyncs).
TEST_F(StoreTest, GroupCommitManyConcurrentWriters) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 200;
  auto store = open();
  std::vector<std::vector<std::pair<std::int64_t, std::string>>> written(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string ref = next_reference("GC");
        auto id = store->cases().create_case(sample_case(ref), {filed_event()});
        if (!id) {
          ++failures;
          continue;
        }
        written[t].emplace_back(*id, ref);
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);

  std::set<std::int64_t> ids;
  for (const auto& per_thread : written) {
    for (const auto& [id, ref] : per_thread) {
      EXPECT_TRUE(ids.insert(id).second) << "id handed out twice: " << id;
      auto got = store->cases().find_case(id);
      ASSERT_TRUE(got.has_value() && got->has_value());
      EXPECT_EQ((*got)->reference, ref);
    }
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(*store->cases().count_cases(), kThreads * kPerThread);

  const StoreStats stats = store->stats();
  EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_LT(stats.transactions, stats.writes);
  EXPECT_GT(stats.transactions, 0u);
  RecordProperty("transactions", static_cast<int>(stats.transactions));
}

// Forks a child that opens the store and runs `threads` writer threads; each calls
// `write(store, thread, n)` for n = 0, 1, ... and, once the write has returned (is durable),
// reports the key it returns on a pipe. The parent SIGKILLs the child after `kill_after`
// reports plus `delay`, so the kill lands while other writes are queued and committing.
// Returns the acknowledged keys and the child's wait status.
struct KillRun {
  std::vector<std::string> acknowledged;
  int status = 0;
};
using KillWrite = std::function<std::optional<std::string>(SqliteStores&, int, int)>;

KillRun write_until_killed(const std::filesystem::path& db, const domain::FieldCipher& cipher,
                           const domain::Crypto& crypto, int threads, const KillWrite& write,
                           std::size_t kill_after, std::chrono::microseconds delay) {
  KillRun run;
  int fds[2];
  if (::pipe(fds) != 0) return run;
  const pid_t child = ::fork();
  if (child < 0) return run;
  if (child == 0) {
    ::close(fds[0]);
    auto store = open_sqlite_stores({db.string(), 1}, cipher, crypto);
    if (!store) ::_exit(3);
    std::vector<std::thread> writers;
    std::mutex pipe_mu;
    for (int t = 0; t < threads; ++t) {
      writers.emplace_back([&, t] {
        for (int n = 0;; ++n) {
          auto key = write(**store, t, n);
          if (!key) ::_exit(4);
          const std::string line = *key + "\n";
          std::lock_guard lock(pipe_mu);
          if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
            ::_exit(5);
          }
        }
      });
    }
    for (auto& th : writers) th.join();
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string buffer;
  char chunk[4096];
  bool killed = false;
  for (;;) {
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      run.acknowledged.push_back(buffer.substr(0, nl));
      buffer.erase(0, nl + 1);
    }
    if (!killed && run.acknowledged.size() >= kill_after) {
      std::this_thread::sleep_for(delay);
      ::kill(child, SIGKILL);
      killed = true;
    }
  }
  ::close(fds[0]);
  ::waitpid(child, &run.status, 0);
  return run;
}

// docs/architecture.md "Writes and durability": a write that returned is on disk; SIGKILL at any
// moment loses none of them and leaves no half-stored case.
TEST_F(StoreTest, SigkillLosesNoAcknowledgedCase) {
  // Several writer threads, so kills land inside group commits too.
  auto run = write_until_killed(
      db_path(), *cipher_, *crypto_, 4,
      [](SqliteStores& store, int, int) -> std::optional<std::string> {
        const std::string ref = next_reference("KILL");
        if (!store.cases().create_case(sample_case(ref), {filed_event(), filed_event()})) {
          return std::nullopt;
        }
        return ref;
      },
      300, std::chrono::microseconds(0));
  const auto& reported = run.acknowledged;
  const int status = run.status;
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ASSERT_GE(reported.size(), 300u);

  {
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
    // No half-stored case: every case has both of its events.
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM cases WHERE event_count != 2 OR "
                         "(SELECT count(*) FROM case_events e WHERE e.case_id = cases.id) != 2"),
              "0");
  }
  auto store = open();
  ASSERT_TRUE(store);
  for (const auto& ref : reported) {
    auto got = store->cases().find_case_by_reference(ref);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(got->has_value()) << "acknowledged case lost: " << ref;
  }
  EXPECT_GE(*store->cases().count_cases(), static_cast<std::int64_t>(reported.size()));
  auto chains = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(chains.has_value());
  EXPECT_TRUE(chains->empty());
  store.reset();
  // And no plaintext even in what the killed process left behind.
  EXPECT_EQ(read_bytes(db_path()).find(kNarrativeMarker), std::string::npos);
  EXPECT_EQ(read_bytes(db_path().string() + "-wal").find(kContactMarker), std::string::npos);
}

// A union's batch of paper forms is one transaction: SIGKILL at a random moment leaves every
// batch wholly stored or wholly absent, and every acknowledged batch stored.
TEST_F(StoreTest, SigkillKeepsBatchesWholeOrAbsent) {
  constexpr int kBatchSize = 50;
  std::int64_t company = 0;
  {
    auto store = open();
    ASSERT_TRUE(store);
    auto id =
        store->directory().create_organisation({0, domain::OrgKind::kCompany, "Batch Co", "ID"});
    ASSERT_TRUE(id.has_value());
    company = *id;
  }
  std::random_device seed;
  std::mt19937 rng(seed());
  const int kill_after = std::uniform_int_distribution<int>(2, 20)(rng);
  const int extra_delay_us = std::uniform_int_distribution<int>(0, 20'000)(rng);
  RecordProperty("kill_after_batches", kill_after);
  RecordProperty("extra_delay_us", extra_delay_us);

  // Several threads, so batches share group commits with each other.
  auto run = write_until_killed(
      db_path(), *cipher_, *crypto_, 3,
      [company](SqliteStores& store, int t, int batch) -> std::optional<std::string> {
        // "GRV-B<pid>x<thread>x<batch>-<i>": the batch key is everything before the last '-'.
        const std::string key = "GRV-B" + std::to_string(::getpid()) + "x" + std::to_string(t) +
                                "x" + std::to_string(batch);
        std::vector<domain::CaseStore::NewCase> cases;
        for (int i = 0; i < kBatchSize; ++i) {
          domain::Case c = sample_case(key + "-" + std::to_string(i));
          c.complaint.channel = domain::Channel::kPaper;
          c.parties = {domain::CaseParty{company, domain::PartyRole::kResponsible}};
          c.filing_key_hash = key + "/" + std::to_string(i);
          cases.push_back({std::move(c), {filed_event(), filed_event()}});
        }
        if (!store.cases().create_cases(cases)) return std::nullopt;
        return key;
      },
      static_cast<std::size_t>(kill_after), std::chrono::microseconds(extra_delay_us));
  const auto& reported = run.acknowledged;
  const int status = run.status;
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ASSERT_GE(reported.size(), static_cast<std::size_t>(kill_after));

  std::map<std::string, int> per_batch;
  {
    RawDb raw(db_path());
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(raw.scalar("PRAGMA foreign_key_check"), "");
    // Every stored case is whole: its two events, its party and its filing key.
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM cases WHERE event_count != 2 OR "
                         "(SELECT count(*) FROM case_events e WHERE e.case_id = cases.id) != 2 OR "
                         "(SELECT count(*) FROM case_parties p WHERE p.case_id = cases.id) != 1 OR "
                         "(SELECT count(*) FROM filing_keys f WHERE f.case_id = cases.id) != 1"),
              "0");
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw.handle(), "SELECT reference FROM cases", -1, &st, nullptr),
              SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      const std::string ref = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      ++per_batch[ref.substr(0, ref.rfind('-'))];
    }
    sqlite3_finalize(st);
  }
  for (const auto& [key, count] : per_batch) {
    EXPECT_EQ(count, kBatchSize) << "batch " << key << " is partly stored";
  }
  for (const auto& key : reported) {
    EXPECT_EQ(per_batch.count(key), 1u) << "acknowledged batch lost: " << key;
  }
  EXPECT_GE(per_batch.size(), reported.size());
  auto chains = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(chains.has_value());
  EXPECT_TRUE(chains->empty());
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->cases().count_cases(),
            static_cast<std::int64_t>(per_batch.size()) * kBatchSize);
}

TEST_F(StoreTest, OnlineBackupWhileWritingIsConsistent) {
  auto store = open();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(
        store->cases().create_case(sample_case(next_reference()), {filed_event()}).has_value());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&] {
      while (!stop) {
        if (store->cases().create_case(sample_case(next_reference()),
                                       {filed_event(), filed_event()})) {
          ++written;
        }
      }
    });
  }
  while (written < 50) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const fs::path out = dir_.path() / "backup.db";
  auto backup = backup_database(db_path().string(), out.string());
  stop = true;
  for (auto& th : writers) th.join();
  ASSERT_TRUE(backup.has_value()) << backup.error().message;
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  EXPECT_FALSE(fs::exists(out.string() + "-wal"));

  const std::int64_t total = *store->cases().count_cases();
  std::int64_t in_backup = 0;
  {
    RawDb raw(out);
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
    in_backup = std::stoll(raw.scalar("SELECT count(*) FROM cases"));
    // A snapshot: every case in the copy has exactly the events it was committed with.
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM cases WHERE event_count != "
                         "(SELECT count(*) FROM case_events e WHERE e.case_id = cases.id)"),
              "0");
  }
  EXPECT_GE(in_backup, 100);
  EXPECT_LE(in_backup, total);
  auto chains = verify_event_chains(out.string(), *crypto_);
  ASSERT_TRUE(chains.has_value());
  EXPECT_TRUE(chains->empty());
  // The copy is a working database for the same keys (restore = put it in place).
  auto restored = open_sqlite_stores({out.string(), 1}, *cipher_, *crypto_);
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(*(*restored)->cases().count_cases(), in_backup);
  auto any = (*restored)->cases().find_case(1);
  ASSERT_TRUE(any.has_value() && any->has_value());
  EXPECT_NE((*any)->complaint.narrative.find(kNarrativeMarker), std::string::npos);
}

}  // namespace
}  // namespace grievance::storage::testing
