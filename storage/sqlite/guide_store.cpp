// The SQLite GuideStore (server/domain/ports/guide_store.hpp): the operator's follow-up guides,
// one row per category and language in follow_up_guides (migration 0010). Read at each staff
// case view; small and in clear (guidance, not complaint text).
#include <string>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Result;
using domain::Status;

class SqliteGuideStore final : public domain::GuideStore {
 public:
  explicit SqliteGuideStore(Database& db) : db_(db) {}

  Result<std::optional<domain::StoredGuide>> find_guide(domain::Category category,
                                                        domain::Language language) override {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT check_text, involve, remedies, pitfalls, updated_at, updated_by "
        "FROM follow_up_guides WHERE category = ?1 AND language = ?2");
    q.bind(1, domain::to_string(category)).bind(2, domain::to_string(language));
    return read_one(q, [](const Query& row) -> Result<domain::StoredGuide> {
      return domain::StoredGuide{
          domain::GuideText{row.text(0), row.text(1), row.text(2), row.text(3)},
          decode_time(row.int64(4)), row.int64(5)};
    });
  }

  Status put_guide(domain::Category category, domain::Language language,
                   const domain::StoredGuide& g) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO follow_up_guides (category, language, check_text, involve, remedies, "
          "pitfalls, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
          "ON CONFLICT (category, language) DO UPDATE SET check_text = excluded.check_text, "
          "involve = excluded.involve, remedies = excluded.remedies, "
          "pitfalls = excluded.pitfalls, updated_at = excluded.updated_at, "
          "updated_by = excluded.updated_by");
      q.bind(1, domain::to_string(category))
          .bind(2, domain::to_string(language))
          .bind(3, g.text.check)
          .bind(4, g.text.involve)
          .bind(5, g.text.remedies)
          .bind(6, g.text.pitfalls)
          .bind(7, encode_time(g.updated_at))
          .bind(8, g.updated_by);
      if (auto s = q.run(); !s) return domain::fail(s.error());
      return 0;
    }));
  }

  Status delete_guide(domain::Category category, domain::Language language) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("DELETE FROM follow_up_guides WHERE category = ?1 AND language = ?2");
      q.bind(1, domain::to_string(category)).bind(2, domain::to_string(language));
      if (auto s = q.run(); !s) return domain::fail(s.error());
      return 0;
    }));
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<domain::GuideStore> make_guide_store(Database& db) {
  return std::make_unique<SqliteGuideStore>(db);
}

}  // namespace grievance::storage
