// The SQLite implementations of the domain's stores (STYLE.md points 8 and 10), the only
// header of storage/ that other layers include. One database file serves three stores:
//   cases()     domain::CaseStore       case_store.cpp (writes), case_rows.cpp, case_list.cpp
//   directory() domain::DirectoryStore  directory_store.cpp (an in-memory snapshot)
//   accounts()  domain::AccountStore    account_store.cpp   (sessions cached in memory)
//   guides()    domain::GuideStore      guide_store.cpp     (the operator's follow-up guides)
//   outbox()    domain::OutboxStore     outbox_store.cpp    (notifications and webhooks)
//   mail()      domain::MailStore       mail_store.cpp      (e-mail opt-in, digest queue)
// sharing one writer thread with group commit and a pool of readers (database.hpp).
//
// Confidentiality (docs/security.md "At rest"): narratives, contact details,
// event bodies and TOTP secrets are sealed with the FieldCipher, the associated data naming
// table, column and row ("cases.narrative:<ref>"), so the database file alone reveals no
// complaint text. No client address is stored.
//
// Threads: every store may be called from any number of threads. Destroying SqliteStores
// drains the write queue and stops the writer; it must not happen while another thread still
// calls a store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/attachment_store.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/ports/guide_store.hpp"
#include "server/domain/ports/mail_store.hpp"
#include "server/domain/ports/outbox_store.hpp"
#include "server/domain/result.hpp"

namespace grievance::storage {

// Why the disk refused a write: SQLite's SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY and
// SQLITE_CORRUPT (with their extended codes). Other failures (a duplicate reference, a busy
// database) are not the disk's and are not faults.
enum class WriteFault { kNone, kDiskFull, kIoError, kReadOnly, kCorrupt };
// "disk_full", "io_error", "read_only", "corrupt"; "none".
std::string_view to_string(WriteFault fault);

struct StoreOptions {
  std::string path;  // the database file; created (mode 0600) and migrated when missing
  int read_connections = 4;
  // Memory for recently read cases, decrypted (storage/sqlite/case_cache.hpp); 0 turns the
  // cache off. README "Configuration": case_cache_mib.
  std::size_t case_cache_bytes = 16u << 20;
  // Told when writes start failing because of the disk (the fault), once per episode, and
  // with kNone once a write succeeds again (docs/operations.md "Health and signals"). Called on
  // the writer thread; must not call the stores. May be empty.
  std::function<void(WriteFault)> on_write_fault = nullptr;
  // SQLite's page cache of the writer's connection; 0 keeps SQLite's default (2 MiB). The
  // generator gives it 1 GiB: a million cases' rollup and index pages, read back
  // through a 2 MiB cache, made it slow down as the database grew.
  std::size_t writer_cache_bytes = 0;
};

// Group-commit counters (tests and /metrics).
struct StoreStats {
  std::uint64_t writes = 0;        // write requests completed (successful or not)
  std::uint64_t transactions = 0;  // transactions committed; < writes under concurrent load
};

class SqliteStores {
 public:
  virtual ~SqliteStores() = default;
  virtual domain::CaseStore& cases() = 0;
  virtual domain::DirectoryStore& directory() = 0;
  virtual domain::AccountStore& accounts() = 0;
  virtual domain::GuideStore& guides() = 0;
  // Evidence bytes, sealed in chunks (attachment_store.cpp).
  virtual domain::AttachmentStore& attachments() = 0;
  virtual domain::OutboxStore& outbox() = 0;  // outbox_store.cpp
  virtual domain::MailStore& mail() = 0;
  virtual StoreStats stats() const = 0;

  // Failure injection for tests (STYLE point 10): caps the database at `max_pages` pages on
  // the writer's connection (SQLite's max_page_count; never below the pages in use), so that
  // a write needing more fails with SQLITE_FULL as on a full disk; a larger cap lets writes
  // succeed again. Returns the cap now in force. Errors: kUnavailable. Not for production.
  virtual domain::Result<std::int64_t> limit_pages_for_testing(std::int64_t max_pages) = 0;
};

// Opens (creating and migrating as needed) the database at options.path.
// `cipher` and `crypto` must outlive the stores.
// Errors: kUnavailable when the file cannot be opened or migrated, or was written by a newer
// schema than this binary knows.
domain::Result<std::unique_ptr<SqliteStores>> open_sqlite_stores(const StoreOptions& options,
                                                                 const domain::FieldCipher& cipher,
                                                                 const domain::Crypto& crypto);

// A consistent online copy of the database at `db_path` into `out_path` (SQLite backup API on
// a separate connection: one read transaction, so concurrent commits by a running server are
// either wholly in the copy or not at all). The copy is written beside `out_path`, checked with
// PRAGMA integrity_check, fsync'd and renamed into place; it is a self-contained file (rollback
// journal mode, no -wal). Errors: kUnavailable (I/O, busy database, failed integrity check).
// Any thread; any number of times while a store has the database open.
domain::Status backup_database(const std::string& db_path, const std::string& out_path);

// One break in a case's event hash chain.
struct ChainBreak {
  std::string reference;  // the case
  std::int64_t seq = 0;   // the first event that was changed or is missing
  std::string reason;     // "hash mismatch", "missing event", "head mismatch"
};

// Recomputes every case's event hash chain (for `grievance verify`). Returns the first break
// of each broken case, empty when every chain is intact. Opens its own read-only connection.
// Errors: kUnavailable.
domain::Result<std::vector<ChainBreak>> verify_event_chains(const std::string& db_path,
                                                            const domain::Crypto& crypto);

}  // namespace grievance::storage
