#include "server/app/generate.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "server/app/case_stories.hpp"
#include "server/app/commands.hpp"
#include "server/app/generated_world.hpp"
#include "server/crypto/crypto.hpp"
#include "server/domain/config.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::app {

const CommandSpec kGenerateSpec{
    "grievance generate --data DIR [--cases N] [--seed S] [--years Y] [--now YYYY-MM-DD] "
    "[--key-dir DIR]",
    "Fills an empty database with a made-up directory (about 1,500 sites, 150 suppliers, 30 "
    "buyers and 20 unions at a million cases) and N cases filed over the last Y years, each with "
    "its whole history, for benchmarks and load tests. The same seed and --now give the same "
    "data. Refuses a database that holds anything (exit 2). Never on a production database.",
    {
        {"data", "DIR", true, "data directory (grievance.db, keys/), as for serve"},
        {"key-dir", "DIR", false, "server key directory (default: DIR/keys)"},
        {"cases", "N", false, "how many cases (default 1000000)"},
        {"seed", "S", false, "random seed (default 1)"},
        {"years", "Y", false, "cases are filed over the last Y years (default 3)"},
        {"now", "YYYY-MM-DD", false, "the histories stop at this date, 00:00 UTC (default: now)"},
    }};

namespace {

using domain::CaseStore;
using domain::TimePoint;

template <class T>
std::optional<T> parse_number(const std::string& text, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

int usage(std::string_view message) {
  report_error(message);
  return 2;
}

// update_case for every case whose life went on after filing, from several threads at once so
// that the store's writer commits them in groups (database.hpp: group commit) instead of one
// fsync each.
domain::Status write_lives(CaseStore& store, const std::vector<GeneratedCase>& batch) {
  constexpr int kThreads = 32;
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::optional<domain::Error> failed;
  auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= batch.size()) return;
      const GeneratedCase& g = batch[i];
      if (!g.changed) continue;
      if (auto ok = store.update_case(g.now, {}, g.now.event_count); !ok) {
        std::lock_guard lock(mu);
        if (!failed) failed = ok.error();
        next = batch.size();
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (failed) return domain::fail(*failed);
  return {};
}

}  // namespace

domain::Result<GenerateSummary> generate_database(
    CaseStore& cases, domain::DirectoryStore& directory, const domain::Crypto& crypto,
    const GenerateOptions& options, const std::function<void(std::int64_t stored)>& progress) {
  GenerateSummary summary;
  std::mt19937_64 rng(options.seed);
  auto world = create_world(directory, rng, world_size(options.cases));
  if (!world) return domain::fail(world.error());
  summary.sites = static_cast<std::int64_t>(world->sites.size());
  if (auto orgs = directory.list_organisations()) {
    summary.organisations = static_cast<std::int64_t>(orgs->size());
  }

  const TimePoint from = options.now - std::chrono::days(365 * options.years + options.years / 4);
  const auto times = filing_times(rng, options.cases, from, options.now);
  static const domain::ServiceConfig config;  // the default deadlines (README "Configuration")
  CaseStories stories(*world, config, crypto, options.now, rng());

  // Generating a batch overlaps with writing the one before.
  auto make_batch = [&](std::size_t first) {
    std::vector<GeneratedCase> batch;
    const std::size_t end = std::min(times.size(), first + static_cast<std::size_t>(options.batch));
    batch.reserve(end - first);
    for (std::size_t i = first; i < end; ++i) batch.push_back(stories.next(times[i]));
    return batch;
  };
  std::future<std::vector<GeneratedCase>> pending;
  if (!times.empty()) pending = std::async(std::launch::async, make_batch, 0);
  for (std::size_t first = 0; first < times.size();) {
    std::vector<GeneratedCase> batch = pending.get();
    first += batch.size();
    if (first < times.size()) pending = std::async(std::launch::async, make_batch, first);

    std::vector<CaseStore::NewCase> filed;
    filed.reserve(batch.size());
    for (GeneratedCase& g : batch) {
      summary.events += static_cast<std::int64_t>(g.filed.events.size());
      summary.by_status[static_cast<std::size_t>(g.now.status)] += 1;
      filed.push_back(std::move(g.filed));
    }
    auto ids = cases.create_cases(filed);
    if (!ids) {
      if (pending.valid()) pending.wait();
      return domain::fail(ids.error());
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].now.id = (*ids)[i];
    if (auto ok = write_lives(cases, batch); !ok) {
      if (pending.valid()) pending.wait();
      return domain::fail(ok.error());
    }
    if (progress) progress(static_cast<std::int64_t>(first));
  }
  return summary;
}

int run_generate(const Args& args) {
  GenerateOptions options;
  if (args.has("cases")) {
    auto n = parse_number<std::int64_t>(args.get("cases"), 1, 100'000'000);
    if (!n) return usage("--cases must be a whole number from 1 to 100000000");
    options.cases = *n;
  }
  if (args.has("seed")) {
    auto s = parse_number<std::uint64_t>(args.get("seed"), 0, UINT64_MAX);
    if (!s) return usage("--seed must be a whole number");
    options.seed = *s;
  }
  if (args.has("years")) {
    auto y = parse_number<int>(args.get("years"), 1, 20);
    if (!y) return usage("--years must be a whole number from 1 to 20");
    options.years = *y;
  }
  if (args.has("now")) {
    auto d = domain::parse_date(args.get("now"));
    if (!d) return usage("--now must be a date YYYY-MM-DD");
    options.now = TimePoint{std::chrono::sys_days{*d}};
  } else {
    options.now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }

  const std::string data = args.get("data");
  if (auto made = ensure_data_dir(data); !made) return report_error(made.error().message);
  auto keys = crypto::load_or_create_keys(key_dir(args));
  if (!keys) return report_error(keys.error().message);
  auto crypto = crypto::make_crypto(*keys);
  auto cipher = crypto::make_field_cipher(*keys);
  const std::string path = database_path(data);
  storage::StoreOptions store_options{path, 1, 0};
  store_options.writer_cache_bytes = std::size_t{1} << 30;  // 1 GiB: see StoreOptions
  auto store = storage::open_sqlite_stores(store_options, *cipher, *crypto);
  if (!store) return report_error(store.error().message);

  // Never mix generated cases into a database that holds anything: it could be a real one.
  auto count = (*store)->cases().count_cases();
  if (!count) return report_error(count.error().message);
  auto orgs = (*store)->directory().list_organisations();
  if (!orgs) return report_error(orgs.error().message);
  if (*count > 0 || !orgs->empty()) {
    return usage("refusing to generate into " + path +
                 ": it is not empty (give a new data directory)");
  }

  const auto started = std::chrono::steady_clock::now();
  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  std::int64_t next_report = 1;
  auto progress = [&](std::int64_t stored) {
    // Every 10%: the percentage, the cases stored and the time so far.
    const std::int64_t tenth = stored * 10 / options.cases;
    if (tenth < next_report) return;
    next_report = tenth + 1;
    std::fprintf(stderr, "generate: %3lld%% (%lld of %lld cases, %.0f s)\n",
                 static_cast<long long>(tenth * 10), static_cast<long long>(stored),
                 static_cast<long long>(options.cases), seconds());
  };
  auto summary =
      generate_database((*store)->cases(), (*store)->directory(), *crypto, options, progress);
  if (!summary) return report_error(summary.error().message);
  store->reset();  // drains the writer and checkpoints before the size is measured
  // A generated history is not news: nobody is told of it. Left in the outbox, a server started
  // on the database would first fan out every event (12.5 million at a million cases) to nobody.
  {
    auto db = storage::Connection::open(path, storage::Connection::Mode::kReadWrite);
    if (!db) return report_error(db.error().message);
    if (auto s = (*db)->exec("UPDATE outbox SET fanned_out = 1 WHERE fanned_out = 0"); !s) {
      return report_error(s.error().message);
    }
  }

  struct stat st {};
  const double mib = ::stat(path.c_str(), &st) == 0 ? static_cast<double>(st.st_size) / 1048576 : 0;
  std::printf(
      "generated %lld cases (%lld events), %lld sites, %lld organisations in %.1f s; "
      "database %.0f MiB\n",
      static_cast<long long>(options.cases), static_cast<long long>(summary->events),
      static_cast<long long>(summary->sites), static_cast<long long>(summary->organisations),
      seconds(), mib);
  std::printf("cases by status:\n");
  for (domain::CaseStatus s : domain::all_case_statuses()) {
    std::printf("  %-16s %lld\n", std::string(domain::to_string(s)).c_str(),
                static_cast<long long>(summary->by_status[static_cast<std::size_t>(s)]));
  }
  return 0;
}

}  // namespace grievance::app
