// Schema migrations: numbered SQL files (storage/sqlite/migrations/NNNN_name.sql) compiled into the
// binary by storage/sqlite/embed_migrations.cmake, applied in order at open, each recorded in the
// schema_migrations table. Storage-internal (tests use it to build older schema versions).
#pragma once

#include <span>
#include <string_view>

#include "server/domain/ports/crypto.hpp"
#include "server/domain/result.hpp"

namespace grievance::storage {

class Connection;

struct Migration {
  int version;            // 1, 2, 3, ... increasing (a gap is skipped)
  std::string_view name;  // the file name without .sql, e.g. "0001_initial"
  std::string_view sql;
};

// Every migration this binary knows, in version order (defined in the generated source).
std::span<const Migration> all_migrations();

// The newest version applied to the database; 0 for an empty database. Errors: kUnavailable.
domain::Result<int> schema_version(Connection& db);

// Applies every migration newer than the database, up to `target` (default: all), each in its
// own transaction together with its schema_migrations row, so a crash leaves the database at
// a whole version. A migration may have a step in C++ that runs after its SQL in the same
// transaction, for what SQL cannot do (version 5 seals the places stored in clear with
// `cipher`: seal_places_in_clear()). Errors: kUnavailable when SQL fails, when a migration
// that needs `cipher` finds none, or when the database is newer than this binary (an older
// binary must not write a schema it does not know).
// REQUIRES: a read-write connection that no other thread uses meanwhile.
domain::Status apply_migrations(Connection& db, int target = 1 << 30,
                                const domain::FieldCipher* cipher = nullptr);

// Version 5's step (case_store.cpp): seals every `place` still in clear into `place_sealed`
// and empties `place`. Writer connection, inside the migration's transaction.
domain::Status seal_places_in_clear(Connection& db, const domain::FieldCipher& cipher);

}  // namespace grievance::storage
