// One SQLite database file and the threads that use it (storage-internal; the stores in this
// folder share one Database).
//
// Durability (docs/architecture.md "Storage"): one writer thread owns the only read-write
// connection. Every write is queued; the writer takes everything queued, runs it in ONE
// transaction (a savepoint per write, so a failing write - e.g. a duplicate reference,
// kConflict - does not fail the others), commits with synchronous=FULL (fsync), and only then
// completes each caller (LevelDB's DBImpl::Write group commit). A returned write is on disk:
// SIGKILL cannot lose it. Reads use a pool of read-only connections that WAL lets run beside
// the writer; a read sees every write that has returned.
//
// Threads: every method may be called from any number of threads. The destructor drains the
// queue (every queued write completes) and stops the writer; it must not run while another
// thread is still using the database.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/domain/ports/crypto.hpp"
#include "server/domain/result.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/stores.hpp"

namespace grievance::storage {

class Database {
 public:
  Database(const domain::FieldCipher& cipher, const domain::Crypto& crypto);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Creates (mode 0600) and migrates the file, opens the readers, starts the writer.
  // Errors: kUnavailable.
  domain::Status open(const StoreOptions& options);

  const domain::FieldCipher& cipher() const { return cipher_; }
  const domain::Crypto& crypto() const { return crypto_; }
  StoreStats stats() const;
  // For GET /healthz, on every call: `answers` is whether a reader answered a trivial query,
  // asked at most once per second (the last answer in between); `writes_refused` is whether
  // the last group commit failed for a reason of the disk (WriteFault) with no success since.
  domain::StoreHealth health();

  // ---- reads ----
  class ReaderLease {
   public:
    ReaderLease(Database& db, Connection* conn) : db_(db), conn_(conn) {}
    ~ReaderLease() { db_.release(conn_); }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Connection* operator->() const { return conn_; }
    Connection& operator*() const { return *conn_; }

   private:
    Database& db_;
    Connection* conn_;
  };
  // A read-only connection for the caller's thread until the lease ends (waits when all are
  // lent out).
  ReaderLease lease();

  // ---- writes ----
  using WriteFn = std::function<domain::Result<std::int64_t>(Connection&)>;
  // Queues `fn` for the writer thread and blocks until its transaction is durable (or failed).
  // `fn` runs on the writer thread inside a savepoint; what it captures by reference stays
  // alive because this function waits.
  domain::Result<std::int64_t> submit(WriteFn fn);

 private:
  struct PendingWrite {
    WriteFn fn;
    std::promise<domain::Result<std::int64_t>> done;
  };
  void release(Connection* conn);
  void writer_loop();
  void commit_batch(const std::vector<PendingWrite*>& batch);
  // After each group commit (writer thread): the disk's fault, if any write of the group
  // failed for one, else kNone if it committed. Tells on_write_fault_ when the state changes.
  void note_write_outcome(WriteFault fault);

  const domain::FieldCipher& cipher_;
  const domain::Crypto& crypto_;

  std::unique_ptr<Connection> writer_;  // used only by writer_thread_ after open()
  std::thread writer_thread_;
  std::mutex mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite*> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> transactions_{0};
  std::function<void(WriteFault)> on_write_fault_;          // StoreOptions::on_write_fault
  std::atomic<WriteFault> write_fault_{WriteFault::kNone};  // written by the writer only
  // health(): the last answer of a reader, and when it was asked (steady clock, ms).
  std::atomic<bool> answers_{true};
  std::atomic<std::int64_t> answers_asked_ms_;

  std::vector<std::unique_ptr<Connection>> readers_;  // owned; lent out through idle_readers_
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<Connection*> idle_readers_;  // GUARDED_BY(readers_mu_)
};

// One read transaction over several statements on a reader, so that what they read (a case,
// its parties and its events; a page of the list and its parties) comes from one snapshot.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& db) : db_(db) { (void)db_.query("BEGIN").run(); }
  ~ReadSnapshot() {
    if (db_.in_transaction()) (void)db_.query("COMMIT").run();
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Connection& db_;
};

}  // namespace grievance::storage
