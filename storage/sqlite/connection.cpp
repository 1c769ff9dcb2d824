#include "storage/sqlite/connection.hpp"

#include <sqlite3.h>

#include <limits>
#include <mutex>

namespace grievance::storage {

domain::Error map_sqlite_error(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return domain::Error::conflict("The record already exists.");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return domain::Error::conflict("The record refers to something that does not exist.");
    case SQLITE_CONSTRAINT_TRIGGER:
      return domain::Error::conflict("The change is not allowed.");
    default:
      if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        return domain::Error::conflict("The record breaks a storage rule.");
      }
      return domain::Error::unavailable("The database is not available.");
  }
}

WriteFault write_fault_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return WriteFault::kDiskFull;
    case SQLITE_IOERR:
      return WriteFault::kIoError;
    case SQLITE_READONLY:
      return WriteFault::kReadOnly;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return WriteFault::kCorrupt;
    default:
      return WriteFault::kNone;
  }
}

std::string_view to_string(WriteFault fault) {
  switch (fault) {
    case WriteFault::kDiskFull:
      return "disk_full";
    case WriteFault::kIoError:
      return "io_error";
    case WriteFault::kReadOnly:
      return "read_only";
    case WriteFault::kCorrupt:
      return "corrupt";
    case WriteFault::kNone:
      break;
  }
  return "none";
}

// ---- Query ---------------------------------------------------------------------------------

Query::Query(sqlite3_stmt* stmt, int prepare_rc, WriteFault* faults, bool owned)
    : stmt_(stmt), bind_rc_(prepare_rc), faults_(faults), owned_(owned) {}

Query::Query(Query&& other) noexcept
    : stmt_(other.stmt_), bind_rc_(other.bind_rc_), faults_(other.faults_), owned_(other.owned_) {
  other.stmt_ = nullptr;
}

Query::~Query() {
  if (stmt_ == nullptr) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

namespace {
int size_int(std::size_t n) {
  return n > static_cast<std::size_t>(std::numeric_limits<int>::max()) ? -1 : static_cast<int>(n);
}
}  // namespace

Query& Query::bind(int index, std::int64_t value) {
  if (bind_rc_ == SQLITE_OK) bind_rc_ = sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Query& Query::bind(int index, std::string_view text) {
  if (bind_rc_ == SQLITE_OK) {
    const int n = size_int(text.size());
    bind_rc_ =
        n < 0 ? SQLITE_TOOBIG : sqlite3_bind_text(stmt_, index, text.data(), n, SQLITE_TRANSIENT);
  }
  return *this;
}

Query& Query::bind(int index, std::optional<std::int64_t> value) {
  return value ? bind(index, *value) : bind_null(index);
}

Query& Query::bind(int index, std::optional<std::string_view> text) {
  return text ? bind(index, *text) : bind_null(index);
}

Query& Query::bind_blob(int index, std::string_view bytes) {
  if (bind_rc_ == SQLITE_OK) {
    const int n = size_int(bytes.size());
    bind_rc_ =
        n < 0 ? SQLITE_TOOBIG : sqlite3_bind_blob(stmt_, index, bytes.data(), n, SQLITE_TRANSIENT);
  }
  return *this;
}

Query& Query::bind_null(int index) {
  if (bind_rc_ == SQLITE_OK) bind_rc_ = sqlite3_bind_null(stmt_, index);
  return *this;
}

domain::Result<bool> Query::step() {
  if (bind_rc_ != SQLITE_OK || stmt_ == nullptr) {
    if (const auto fault = write_fault_of(bind_rc_); fault != WriteFault::kNone) *faults_ = fault;
    return domain::fail(map_sqlite_error(bind_rc_ == SQLITE_OK ? SQLITE_ERROR : bind_rc_));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  if (const auto fault = write_fault_of(rc); fault != WriteFault::kNone) *faults_ = fault;
  return domain::fail(map_sqlite_error(rc));
}

domain::Status Query::run() {
  for (;;) {
    auto r = step();
    if (!r) return domain::fail(r.error());
    if (!*r) return {};
  }
}

bool Query::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Query::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Query::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::string Query::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::optional<std::string> Query::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::string Query::blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr) return {};
  return std::string(static_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::string_view Query::blob_view(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr) return {};
  return std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(n));
}

// ---- Connection ----------------------------------------------------------------------------

void Connection::StmtFinalize::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

domain::Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, Mode mode) {
  // Memory statistics take a global mutex around every SQLite allocation of every thread; the
  // server never reads them. Must precede SQLite's initialisation (the first open); when
  // something else initialised SQLite first, the call is refused and nothing changes.
  static std::once_flag configured;
  std::call_once(configured, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (see the header), so SQLite's
  // per-connection mutex is only overhead.
  const int flags = (mode == Mode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                              : SQLITE_OPEN_READONLY) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(db);
    return domain::fail(domain::Error::unavailable("The database cannot be opened."));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  cache_.clear();  // finalize every statement before closing
  sqlite3_close_v2(db_);
}

Query Connection::query(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), size_int(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return Query(nullptr, rc, &fault_);
    }
    it = cache_.emplace(std::string(sql), std::unique_ptr<sqlite3_stmt, StmtFinalize>(stmt)).first;
  }
  return Query(it->second.get(), SQLITE_OK, &fault_);
}

Query Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), size_int(sql.size()), 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Query(nullptr, rc, &fault_);
  }
  return Query(stmt, SQLITE_OK, &fault_, true);
}

domain::Status Connection::exec(std::string_view sql) {
  const std::string s(sql);
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    const int code = sqlite3_extended_errcode(db_);
    if (const auto fault = write_fault_of(code); fault != WriteFault::kNone) fault_ = fault;
    return domain::fail(map_sqlite_error(code));
  }
  return {};
}

namespace {

void call_text_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const auto& fn = *static_cast<const Connection::TextFunction*>(sqlite3_user_data(ctx));
  if (argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  // Pointers first, then sizes (sqlite3_value_bytes after the conversion, as the C API asks).
  const void* blob = sqlite3_value_blob(argv[0]);
  const int blob_size = sqlite3_value_bytes(argv[0]);
  const unsigned char* text = sqlite3_value_text(argv[1]);
  const int text_size = sqlite3_value_bytes(argv[1]);
  const auto out = fn(std::string_view(static_cast<const char*>(blob),
                                       blob == nullptr ? 0 : static_cast<std::size_t>(blob_size)),
                      std::string_view(reinterpret_cast<const char*>(text),
                                       text == nullptr ? 0 : static_cast<std::size_t>(text_size)));
  if (!out) {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_text64(ctx, out->data(), out->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace

domain::Status Connection::define_function(const std::string& name, TextFunction fn) {
  functions_.push_back(std::make_unique<TextFunction>(std::move(fn)));
  const int rc = sqlite3_create_function_v2(
      db_, name.c_str(), 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
      functions_.back().get(), call_text_function, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return domain::fail(map_sqlite_error(rc));
  return {};
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

std::int64_t Connection::total_changes() const { return sqlite3_total_changes64(db_); }

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace grievance::storage
