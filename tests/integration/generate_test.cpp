// `grievance generate` (docs/operations.md "Generating a large database"; issue 11 item 4): the
// generated database is one the server can serve and `grievance verify` accepts, every status,
// outcome and channel is in it, every statistic has cases to count, the histories read as the
// services write them, the same seed gives the same data and a database that holds anything is
// refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "integration/server_process.hpp"
#include "integration/test_env.hpp"
#include "server/crypto/crypto.hpp"
#include "server/domain/deadlines.hpp"
#include "server/domain/lifecycle.hpp"
#include "server/domain/stats/case_facts.hpp"
#include "server/domain/stats/rollup.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::testing {
namespace {

using namespace grievance::domain;

constexpr const char* kNow = "2026-03-01";
const TimePoint kNowTime{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};

CommandResult generate(const std::filesystem::path& data, int cases, int seed) {
  return run_grievance({"generate", "--data", data.string(), "--cases", std::to_string(cases),
                        "--seed", std::to_string(seed), "--now", kNow},
                       std::chrono::seconds(120));
}

// Every case of a generated database with its events, read through the store.
class GeneratedDatabase {
 public:
  explicit GeneratedDatabase(const std::filesystem::path& data) {
    auto keys = crypto::load_or_create_keys((data / "keys").string());
    if (!keys) throw std::runtime_error(keys.error().message);
    crypto_ = crypto::make_crypto(*keys);
    cipher_ = crypto::make_field_cipher(*keys);
    auto stores = storage::open_sqlite_stores(
        storage::StoreOptions{(data / "grievance.db").string(), 2, 0}, *cipher_, *crypto_);
    if (!stores) throw std::runtime_error(stores.error().message);
    stores_ = std::move(*stores);
  }

  storage::SqliteStores& stores() { return *stores_; }

  // Oldest first.
  std::vector<CaseRecord> records() {
    std::vector<CaseRecord> out;
    CaseQuery q;
    q.now = kNowTime;
    q.limit = 100;
    for (;;) {
      auto page = stores_->cases().list_cases(q);
      if (!page) throw std::runtime_error(page.error().message);
      if (page->empty()) break;
      for (const Case& listed : *page) {
        auto record = stores_->cases().read_case(listed.reference);
        if (!record || !*record) throw std::runtime_error("case not readable");
        out.push_back(**record);
      }
      q.after = std::pair{page->back().created_at, page->back().id};
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

  CaseStore& cases() { return stores_->cases(); }

 private:
  std::unique_ptr<Crypto> crypto_;
  std::unique_ptr<FieldCipher> cipher_;
  std::unique_ptr<storage::SqliteStores> stores_;
};

// What two generated databases must agree on when they were made with the same options: the
// cases and their histories, in clear (the sealed bytes and the access codes' HMACs depend on
// each directory's own keys).
std::string digest(const std::vector<CaseRecord>& records) {
  std::string text;
  auto add = [&](const auto&... parts) { ((text += parts, text += '|'), ...); };
  auto time = [](std::optional<TimePoint> t) { return t ? format_time(*t) : std::string("-"); };
  for (const CaseRecord& r : records) {
    const Case& c = r.c;
    add(c.reference, std::string(to_string(c.status)), format_time(c.created_at),
        format_time(c.updated_at), c.complaint.narrative, c.complaint.country,
        std::string(to_string(c.complaint.channel)), c.content_sha256,
        std::to_string(c.complaint.site_id.value_or(0)), time(c.next_check_at),
        format_time(c.deadlines.resolution_due), std::to_string(c.satisfaction.value_or(0)),
        std::string(c.outcome ? to_string(*c.outcome) : "-"), std::to_string(c.remedy.size()),
        std::to_string(c.parties.size()));
    for (const CaseEvent& e : r.events) {
      add(std::string(to_string(e.type)), format_time(e.at), std::string(to_string(e.actor_role)),
          std::to_string(e.actor_org_id.value_or(0)), e.body, e.detail,
          std::to_string(e.score.value_or(0)));
    }
    text += '\n';
  }
  return text;
}

TEST(GenerateCommand, MakesADatabaseWithEveryStatusOutcomeAndChannelThatVerifies) {
  TempDir dir;
  const auto data = dir.path() / "data";
  const auto started = std::chrono::steady_clock::now();
  const auto made = generate(data, 2000, 7);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(made.exit_code, 0) << made.output;
  std::printf("generate: 2000 cases in %.1f s\n", seconds);
  EXPECT_NE(made.output.find("100% (2000 of 2000 cases"), std::string::npos) << made.output;
  EXPECT_NE(made.output.find("cases by status:"), std::string::npos) << made.output;

  const auto verified = run_grievance({"verify", "--data", data.string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;

  GeneratedDatabase db(data);
  // A generated history is not news: nothing waits in the outbox for a server to fan out.
  auto pending = db.stores().outbox().pending_events(1);
  ASSERT_TRUE(pending.has_value());
  EXPECT_TRUE(pending->empty()) << "the generated events are not left to be notified";
  const auto records = db.records();
  ASSERT_EQ(records.size(), 2000u);
  std::set<CaseStatus> statuses;
  std::set<Outcome> outcomes;
  std::set<Channel> channels;
  std::set<IdentityLevel> identities;
  std::set<ComplainantKind> kinds;
  std::set<int> scores;
  std::set<RemedyHeld> held;
  std::map<std::string, int> seen;  // what the statistics count, by name
  int overdue = 0;
  TimePoint previous{};
  for (const CaseRecord& r : records) {
    const Case& c = r.c;
    statuses.insert(c.status);
    if (c.outcome) outcomes.insert(*c.outcome);
    channels.insert(c.complaint.channel);
    identities.insert(c.identity);
    if (is_overdue(c, kNowTime)) ++overdue;
    EXPECT_GE(c.created_at, previous) << "filed in time order";
    previous = c.created_at;
    EXPECT_LE(c.updated_at, kNowTime);
    EXPECT_EQ(c.event_count, static_cast<std::int64_t>(r.events.size()));

    const CaseFacts f = facts_of(c, r.events, {});
    // The fold derives the case's deadlines from its events (pauses, a triage assignment)
    // exactly: the spans it was filed with need no correction.
    EXPECT_EQ(f.ack_span_seconds, 7 * 86400) << c.reference;
    EXPECT_EQ(f.resolution_span_seconds, 90 * 86400) << c.reference;
    EXPECT_EQ(f.status, c.status) << c.reference;
    EXPECT_EQ(f.outcome, c.outcome) << c.reference;
    kinds.insert(f.kind);
    if (f.satisfaction) scores.insert(*f.satisfaction);
    if (f.remedy_held) held.insert(*f.remedy_held);
    seen["acknowledged in time"] += f.ack_seconds && !f.ack_late;
    seen["acknowledged late"] += f.ack_late;
    seen["first response"] += f.first_response_seconds.has_value();
    seen["resolution"] += f.resolution_seconds.has_value();
    seen["escalated"] += f.escalated;
    seen["appeal upheld"] += f.appeal_result == AppealResult::kUpheld;
    seen["appeal reopened"] += f.appeal_result == AppealResult::kReopened;
    seen["appeal pending"] += f.appealed && f.appeal_result == AppealResult::kPending;
    seen["reopened"] += f.reopened;
    seen["remedy accepted"] += f.remedy_accepted == true;
    seen["remedy refused"] += f.remedy_accepted == false;
    seen["action confirmed"] += f.actions_confirmed > 0;
    seen["action disputed"] += f.actions_disputed > 0;
    seen["follow-up asked"] += f.follow_up_asked;
    seen["retaliation"] += f.retaliation_reports > 0;
    seen["paused"] += f.paused_seconds > 0;
    seen["ack breached"] += f.ack_breached;
    seen["response breached"] += f.response_breached;
    seen["resolution breached"] += f.resolution_breached;
    seen["triage"] += !f.responsible_org_id;
    seen["collective headcount"] += f.headcount > 1;
  }
  for (CaseStatus s : all_case_statuses()) EXPECT_TRUE(statuses.contains(s)) << to_string(s);
  for (Outcome o : all_outcomes()) EXPECT_TRUE(outcomes.contains(o)) << to_string(o);
  for (Channel ch :
       {Channel::kWeb, Channel::kUnion, Channel::kPaper, Channel::kPhone, Channel::kApi}) {
    EXPECT_TRUE(channels.contains(ch)) << to_string(ch);
  }
  EXPECT_EQ(identities.size(), 3u);
  EXPECT_EQ(kinds.size(), 3u);
  EXPECT_EQ(scores, (std::set<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(held.size(), 3u);
  for (const auto& [what, count] : seen) EXPECT_GT(count, 0) << what;
  EXPECT_GT(overdue, 0);
  // The store's statistics facts, kept in the writes' transactions, are those of the histories.
  std::map<std::int64_t, CaseFacts> stored;
  ASSERT_TRUE(db.cases().scan_facts({}, [&](const CaseFacts& f) { stored[f.case_id] = f; }));
  ASSERT_EQ(stored.size(), records.size());
  // Their repeats are those found among every case in filing order.
  std::vector<const CaseFacts*> filed;
  for (const auto& [id, f] : stored) filed.push_back(&f);
  std::sort(filed.begin(), filed.end(), [](const CaseFacts* a, const CaseFacts* b) {
    return std::tie(a->filed_at, a->case_id) < std::tie(b->filed_at, b->case_id);
  });
  domain::RepeatTracker tracker;
  std::map<std::int64_t, domain::CategorySet> repeats;
  for (const CaseFacts* f : filed) repeats[f->case_id] = tracker.next(*f);
  int facts_differ = 0, repeating = 0;
  for (const CaseRecord& r : records) {
    const CaseFacts& kept = stored[r.c.id];
    CaseFacts expected = facts_of(r.c, r.events, {kept.cell_key, kept.sector});
    expected.case_id = r.c.id;
    expected.repeats = repeats[r.c.id];
    repeating += expected.repeats != 0;
    if (!(expected == kept)) ++facts_differ;
    EXPECT_EQ(kept.deadlines, r.c.deadlines) << r.c.reference;
  }
  EXPECT_EQ(facts_differ, 0);
  EXPECT_GT(repeating, 0) << "sites with recurring complaints";
  auto counts = db.cases().case_counts(kNowTime);
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->overdue, overdue);

  // Most old cases are settled, most recent ones open.
  int old_open = 0, old_cases = 0, recent_open = 0, recent_cases = 0;
  for (const CaseRecord& r : records) {
    const bool open = is_open(r.c.status);
    if (r.c.created_at < kNowTime - std::chrono::days(365)) {
      ++old_cases;
      old_open += open;
    } else if (r.c.created_at > kNowTime - std::chrono::days(14)) {
      ++recent_cases;
      recent_open += open;
    }
  }
  EXPECT_LT(old_open * 10, old_cases);
  EXPECT_GT(recent_open * 2, recent_cases);

  // A database that holds anything is never written into.
  const auto again = generate(data, 10, 7);
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("not empty"), std::string::npos) << again.output;
  EXPECT_EQ(db.cases().count_cases().value_or(0), 2000);
}

TEST(GenerateCommand, TheSameSeedGivesTheSameDatabaseAndAnotherSeedAnother) {
  TempDir dir;
  std::map<std::string, std::string> digests;
  for (const auto& [name, seed] : {std::pair{"a", 7}, {"b", 7}, {"c", 8}}) {
    const auto made = generate(dir.path() / name, 300, seed);
    ASSERT_EQ(made.exit_code, 0) << made.output;
    GeneratedDatabase db(dir.path() / name);
    digests[name] = digest(db.records());
  }
  EXPECT_EQ(digests["a"], digests["b"]);
  EXPECT_NE(digests["a"], digests["c"]);
}

TEST(GenerateCommand, ItsHelpAndTheTopLevelHelpDescribeIt) {
  const auto help = run_grievance({"generate", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"--data", "--cases", "--seed", "--years", "--now"}) {
    EXPECT_NE(help.output.find(option), std::string::npos) << option;
  }
  const auto top = run_grievance({"--help"});
  EXPECT_NE(top.output.find("generate"), std::string::npos) << top.output;
  const auto bad = run_grievance({"generate", "--data", "/nonexistent", "--cases", "many"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

}  // namespace
}  // namespace grievance::testing
