#include "storage/sqlite/migrations.hpp"

#include <chrono>
#include <string>

#include "storage/sqlite/connection.hpp"

namespace grievance::storage {

namespace {
constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT";

// The migrations with a step in C++ after their SQL, in the same transaction.
struct CodeStep {
  int version;
  domain::Status (*run)(Connection& db, const domain::FieldCipher& cipher);
};
constexpr CodeStep kCodeSteps[] = {
    {5, seal_places_in_clear},  // 0005_sealed_place.sql
};

domain::Status run_code_step(Connection& db, int version, const domain::FieldCipher* cipher) {
  for (const CodeStep& step : kCodeSteps) {
    if (step.version != version) continue;
    if (cipher == nullptr) {
      return domain::fail(domain::Error::unavailable("A database migration needs the field key."));
    }
    return step.run(db, *cipher);
  }
  return {};
}

}  // namespace

domain::Result<int> schema_version(Connection& db) {
  auto exists = db.query(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  auto row = exists.step();
  if (!row) return domain::fail(row.error());
  if (exists.int64(0) == 0) return 0;
  auto q = db.query("SELECT coalesce(max(version), 0) FROM schema_migrations");
  row = q.step();
  if (!row) return domain::fail(row.error());
  return static_cast<int>(q.int64(0));
}

domain::Status apply_migrations(Connection& db, int target, const domain::FieldCipher* cipher) {
  if (auto s = db.exec(kCreateTable); !s) return s;
  auto current = schema_version(db);
  if (!current) return domain::fail(current.error());
  const auto migrations = all_migrations();
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return domain::fail(
        domain::Error::unavailable("The database was written by a newer version of this program."));
  }
  for (const Migration& m : migrations) {
    if (m.version <= *current || m.version > target) continue;
    if (auto s = db.exec("BEGIN IMMEDIATE"); !s) return s;
    auto applied = db.exec(m.sql);
    if (applied) applied = run_code_step(db, m.version, cipher);
    if (applied) {
      const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
      auto q =
          db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      applied = q.bind(1, std::int64_t{m.version}).bind(2, m.name).bind(3, std::int64_t{now}).run();
    }
    if (applied) applied = db.exec("COMMIT");
    if (!applied) {
      if (db.in_transaction()) (void)db.exec("ROLLBACK");
      return domain::fail(domain::Error::unavailable("A database migration failed."));
    }
  }
  return {};
}

}  // namespace grievance::storage
