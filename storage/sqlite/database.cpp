#include "storage/sqlite/database.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "storage/sqlite/case_facts_rows.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/stats_rollup_rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Error;
using domain::fail;

// Upper bound on writes per transaction, so one huge burst does not hold every caller until
// the whole burst is on disk (LevelDB caps its group size the same way).
constexpr std::size_t kMaxBatch = 512;

// GET /healthz is polled by monitors and load balancers (and benchmarked next to nginx): it
// asks a reader at most this often and answers from memory in between.
constexpr std::int64_t kAnswersCheckMs = 1000;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Database::Database(const domain::FieldCipher& cipher, const domain::Crypto& crypto)
    : cipher_(cipher), crypto_(crypto), answers_asked_ms_(steady_ms() - kAnswersCheckMs) {}

Database::~Database() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
}

domain::Status Database::open(const StoreOptions& options) {
  // Create the file ourselves so it (and the -wal/-shm files SQLite derives from it) are
  // readable by the server's user only.
  const int fd = ::open(options.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Error::unavailable("The database cannot be opened."));
  ::close(fd);

  auto writer = Connection::open(options.path, Connection::Mode::kReadWrite);
  if (!writer) return fail(writer.error());
  writer_ = std::move(*writer);
  // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at each commit,
  // which is what makes a returned write survive SIGKILL and power loss.
  // secure_delete overwrites freed pages so erased personal data does not linger.
  if (auto s = writer_->exec(
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
          "PRAGMA trusted_schema = OFF; PRAGMA secure_delete = ON;");
      !s) {
    return s;
  }
  if (options.writer_cache_bytes > 0) {
    // PRAGMA takes no bound parameter: the number is formatted, never text from outside.
    const std::string sql =
        "PRAGMA cache_size = -" + std::to_string(options.writer_cache_bytes / 1024);
    if (auto s = writer_->exec(sql); !s) return s;
  }
  {
    auto q = writer_->query("PRAGMA journal_mode");
    auto row = q.step();
    if (!row || !*row || q.text(0) != "wal") {
      return fail(Error::unavailable("The database cannot use write-ahead logging."));
    }
  }
  const auto version_before = schema_version(*writer_);
  if (!version_before) return fail(version_before.error());
  if (auto s = apply_migrations(*writer_, 1 << 30, &cipher_); !s) return s;
  // Cases stored before schema version 14 get their statistics' facts (docs/domain.md
  // "Statistics"); nothing to do on every later start but two counts.
  if (auto s = writer_->exec("BEGIN IMMEDIATE"); !s) return s;
  auto n = backfill_case_facts(*writer_, cipher_, crypto_);
  if (!n) {
    (void)writer_->exec("ROLLBACK");
    return fail(n.error());
  }
  // The rollup of cases stored before version 16 (17: the site slices) or just backfilled
  // (docs/domain.md "Rollups").
  if (*n > 0 || *version_before < 17) {
    if (auto built = rebuild_stats_rollup(*writer_); !built) {
      (void)writer_->exec("ROLLBACK");
      return fail(built.error());
    }
  }
  if (auto s = writer_->exec("COMMIT"); !s) return s;
  if (*version_before < all_migrations().back().version) {
    // A migration may have rewritten rows that were in clear (version 5 seals the place):
    // copy the pages into the file and empty the WAL now, so no old copy stays behind in it.
    // Best effort: a checkpoint blocked by another process's reader is finished later.
    (void)writer_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  (void)writer_->take_write_fault();  // health counts from the first write on
  on_write_fault_ = options.on_write_fault;

  const int readers = std::max(1, options.read_connections);
  for (int i = 0; i < readers; ++i) {
    auto reader = Connection::open(options.path, Connection::Mode::kReadOnly);
    if (!reader) return fail(reader.error());
    if (auto s = (*reader)->exec("PRAGMA trusted_schema = OFF; PRAGMA query_only = ON;"); !s) {
      return s;
    }
    if (auto s = define_case_functions(**reader, cipher_); !s) return s;
    idle_readers_.push_back(reader->get());
    readers_.push_back(std::move(*reader));
  }
  writer_thread_ = std::thread([this] { writer_loop(); });
  return {};
}

StoreStats Database::stats() const {
  return StoreStats{writes_.load(std::memory_order_relaxed),
                    transactions_.load(std::memory_order_relaxed)};
}

domain::StoreHealth Database::health() {
  const auto now = steady_ms();
  auto asked = answers_asked_ms_.load(std::memory_order_relaxed);
  // One caller asks the reader when the last answer is old; the others keep the last answer.
  if (now - asked >= kAnswersCheckMs &&
      answers_asked_ms_.compare_exchange_strong(asked, now, std::memory_order_relaxed)) {
    auto db = lease();
    auto q = db->query("SELECT 1");
    auto row = q.step();
    answers_.store(row && *row, std::memory_order_relaxed);
  }
  return domain::StoreHealth{answers_.load(std::memory_order_relaxed),
                             write_fault_.load(std::memory_order_relaxed) != WriteFault::kNone};
}

void Database::note_write_outcome(WriteFault fault) {
  const WriteFault before = write_fault_.exchange(fault, std::memory_order_relaxed);
  // Once per episode: when writes start failing, and when one succeeds again. A change of
  // fault within an episode (full, then an I/O error) is not a new episode.
  if ((before == WriteFault::kNone) != (fault == WriteFault::kNone) && on_write_fault_) {
    on_write_fault_(fault);
  }
}

Database::ReaderLease Database::lease() {
  std::unique_lock lock(readers_mu_);
  readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
  Connection* db = idle_readers_.back();
  idle_readers_.pop_back();
  return ReaderLease(*this, db);
}

void Database::release(Connection* conn) {
  {
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(conn);
  }
  readers_cv_.notify_one();
}

domain::Result<std::int64_t> Database::submit(WriteFn fn) {
  PendingWrite w{std::move(fn), {}};
  auto result = w.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return fail(Error::unavailable("The database is shutting down."));
    queue_.push_back(&w);
  }
  queue_cv_.notify_one();
  return result.get();
}

void Database::writer_loop() {
  std::vector<PendingWrite*> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued write has completed
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

void Database::commit_batch(const std::vector<PendingWrite*>& batch) {
  Connection& db = *writer_;
  const std::int64_t changes_before = db.total_changes();
  bool wrote = false;  // a write of the group succeeded
  std::vector<domain::Result<std::int64_t>> results;
  results.reserve(batch.size());
  bool committed = false;
  if (db.exec("BEGIN IMMEDIATE")) {
    bool aborted = false;  // SQLite rolled the whole transaction back (I/O error, full disk)
    for (PendingWrite* w : batch) {
      if (aborted) {
        results.push_back(fail(Error::unavailable("The database is not available.")));
        continue;
      }
      // One savepoint per write: a failing write (a duplicate reference) is undone alone.
      if (auto s = db.query("SAVEPOINT write").run(); !s) {
        results.push_back(fail(s.error()));
        continue;
      }
      auto r = w->fn(db);
      if (!db.in_transaction()) {
        aborted = true;
      } else if (r) {
        wrote = true;
        (void)db.query("RELEASE write").run();
      } else {
        (void)db.query("ROLLBACK TO write").run();
        (void)db.query("RELEASE write").run();
      }
      results.push_back(std::move(r));
    }
    if (!aborted && db.exec("COMMIT")) {
      committed = true;
    } else if (db.in_transaction()) {
      (void)db.exec("ROLLBACK");
    }
  }
  if (committed) transactions_.fetch_add(1, std::memory_order_relaxed);
  writes_.fetch_add(batch.size(), std::memory_order_relaxed);
  // The disk works again when a write that changed rows reached it; a group whose writes all
  // failed for their own reasons (a duplicate), or that changed nothing, says nothing of it.
  const auto fault = db.take_write_fault();
  if (fault != WriteFault::kNone) {
    note_write_outcome(fault);
  } else if (committed && wrote && db.total_changes() > changes_before) {
    note_write_outcome(WriteFault::kNone);
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i < results.size() && (committed || !results[i])) {
      batch[i]->done.set_value(std::move(results[i]));
    } else {
      // The write itself succeeded but its transaction did not reach the disk.
      batch[i]->done.set_value(fail(Error::unavailable("The database is not available.")));
    }
  }
}

}  // namespace grievance::storage
