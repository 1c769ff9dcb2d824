// RAII wrappers for sqlite3 connections and prepared statements, storage-internal.
// sqlite3.h is not included here: other layers never see SQLite types.
//
// Threads: a Connection (and every Query on it) is used by one thread at a time; the store
// hands connections to threads (one writer thread, a pool of readers).
// Errors: SQLite result codes become domain errors in one place, map_sqlite_error():
// kConflict for UNIQUE / PRIMARY KEY / FOREIGN KEY / CHECK / trigger violations, kUnavailable
// for everything else. Messages never carry SQL or row content.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/domain/result.hpp"
#include "storage/sqlite/stores.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace grievance::storage {

// The domain error for a SQLite (extended) result code.
domain::Error map_sqlite_error(int rc);
// The disk's fault behind a SQLite (extended) result code; kNone when the code is not one.
WriteFault write_fault_of(int rc);

class Connection;

// A prepared statement in use. Created by Connection::query() (cached: resets the statement and
// clears its bindings when destroyed, so it is ready for the next use) or by
// Connection::prepare() (owned: finalized when destroyed).
// Bind indexes are 1-based, column indexes 0-based (as in the C API).
class Query {
 public:
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  ~Query();

  Query& bind(int index, std::int64_t value);
  Query& bind(int index, std::string_view text);
  Query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Query& bind(int index, std::optional<std::int64_t> value);
  Query& bind(int index, std::optional<std::string_view> text);
  Query& bind_blob(int index, std::string_view bytes);
  Query& bind_null(int index);

  // Advances: true when a row is available, false when done.
  domain::Result<bool> step();
  // Steps until done (statements that return no rows, or whose rows are ignored).
  domain::Status run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::string blob(int column) const;
  // The same without a copy: valid until the next step() or the end of the query.
  std::string_view blob_view(int column) const;

 private:
  friend class Connection;
  Query(sqlite3_stmt* stmt, int prepare_rc, WriteFault* faults, bool owned = false);
  sqlite3_stmt* stmt_;
  int bind_rc_;         // first binding or prepare failure, reported by step()
  WriteFault* faults_;  // the connection's, told of a failure of the disk
  bool owned_;          // finalize (not just reset) when destroyed
};

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (kReadWrite creates) the database with extended result codes and a busy timeout.
  // Errors: kUnavailable.
  static domain::Result<std::unique_ptr<Connection>> open(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement from this connection's cache (prepared on first use). A statement prepare
  // error is reported by the Query's first step().
  // REQUIRES: `sql` is a single statement; no other live Query uses the same `sql`.
  Query query(std::string_view sql);
  // An uncached statement, finalized when the Query is destroyed: for SQL whose text depends
  // on the request (the case list's filters), so the cache stays bounded.
  Query prepare(std::string_view sql);

  // Runs one or more statements without caching (schema, pragmas). Errors: map_sqlite_error.
  domain::Status exec(std::string_view sql);

  // A function of a blob and a text that answers a text, or nullopt for SQL NULL (a NULL
  // blob gives NULL without calling it).
  using TextFunction =
      std::function<std::optional<std::string>(std::string_view blob, std::string_view text)>;
  // Defines the SQL function `name`(blob, text) for this connection's statements (the case
  // list's search opens the sealed place with one). Deterministic, and callable only from the
  // program's own SQL, never from a trigger or view in the file (SQLITE_DIRECTONLY). The
  // connection keeps `fn`. Errors: map_sqlite_error.
  domain::Status define_function(const std::string& name, TextFunction fn);

  std::int64_t last_insert_rowid() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
  std::int64_t changes() const;
  // Rows changed by every INSERT, UPDATE or DELETE since the connection opened.
  std::int64_t total_changes() const;
  bool in_transaction() const;
  sqlite3* handle() const { return db_; }

  // The disk's fault behind a statement of this connection that failed since the last call
  // (the last such fault; kNone when none did), and forgets it. The writer reads it after each
  // group commit (Database::health()).
  WriteFault take_write_fault() { return std::exchange(fault_, WriteFault::kNone); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  struct StmtFinalize {
    void operator()(sqlite3_stmt* s) const;
  };
  sqlite3* db_;
  WriteFault fault_ = WriteFault::kNone;
  // Looked up by string_view (no key string is built per query: the case read runs five).
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, StmtFinalize>, SqlHash,
                     std::equal_to<>>
      cache_;
  std::vector<std::unique_ptr<TextFunction>> functions_;  // user data of define_function()
};

}  // namespace grievance::storage
