// The SQLite AttachmentStore (server/domain/ports/attachment_store.hpp; docs/security.md
// "Attachments"): a blob is cut into chunks of at most 64 KiB, each sealed on its own with the
// FieldCipher. The associated data names the case, the blob, the chunk's index and the number
// of chunks, so a chunk changed, moved to another index or blob, dropped, or a blob truncated
// or extended, does not open. Reads hand out one opened chunk at a time: a download never
// holds the whole file decrypted twice.
#include <algorithm>
#include <memory>

#include "storage/sqlite/database.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Error;
using domain::fail;
using domain::Result;
using domain::Status;

constexpr std::size_t kChunkBytes = 64 * 1024;

std::string chunk_ad(std::int64_t case_id, std::int64_t blob_id, std::int64_t idx,
                     std::int64_t count) {
  return "attachment_chunks.sealed:" + std::to_string(case_id) + ":" + std::to_string(blob_id) +
         ":" + std::to_string(idx) + "/" + std::to_string(count);
}

class SqliteAttachmentStore final : public domain::AttachmentStore {
 public:
  explicit SqliteAttachmentStore(Database& db) : db_(db) {}

  Result<std::int64_t> put_blob(std::int64_t case_id, std::string_view bytes) override {
    const auto count = static_cast<std::int64_t>((bytes.size() + kChunkBytes - 1) / kChunkBytes);
    return db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto blob =
          db.query("INSERT INTO attachment_blobs (case_id, size, chunk_count) VALUES (?1, ?2, ?3)");
      blob.bind(1, case_id).bind(2, static_cast<std::int64_t>(bytes.size())).bind(3, count);
      if (auto s = blob.run(); !s) return fail(s.error());
      const std::int64_t blob_id = db.last_insert_rowid();
      for (std::int64_t idx = 0; idx < count; ++idx) {
        const auto piece = bytes.substr(static_cast<std::size_t>(idx) * kChunkBytes, kChunkBytes);
        const std::string sealed = db_.cipher().seal(piece, chunk_ad(case_id, blob_id, idx, count));
        auto q =
            db.query("INSERT INTO attachment_chunks (blob_id, idx, sealed) VALUES (?1, ?2, ?3)");
        q.bind(1, blob_id).bind(2, idx).bind_blob(3, sealed);
        if (auto s = q.run(); !s) return fail(s.error());
      }
      return blob_id;
    });
  }

  Status read_blob(std::int64_t case_id, std::int64_t blob_id,
                   const std::function<bool(std::string_view)>& sink) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto head =
        db->query("SELECT size, chunk_count FROM attachment_blobs WHERE id = ?1 AND case_id = ?2");
    head.bind(1, blob_id).bind(2, case_id);
    auto found = head.step();
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("No such file."));
    const std::int64_t size = head.int64(0);
    const std::int64_t count = head.int64(1);
    auto q = db->query("SELECT idx, sealed FROM attachment_chunks WHERE blob_id = ?1 ORDER BY idx");
    q.bind(1, blob_id);
    std::int64_t expected = 0, total = 0;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      if (q.int64(0) != expected) return fail(corrupt());
      auto plain = db_.cipher().open(q.blob(1), chunk_ad(case_id, blob_id, expected, count));
      if (!plain) return fail(corrupt());
      total += static_cast<std::int64_t>(plain->size());
      ++expected;
      if (!sink(*plain)) return {};
    }
    if (expected != count || total != size) return fail(corrupt());
    return {};
  }

  Status delete_blob(std::int64_t case_id, std::int64_t blob_id) override {
    auto done = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto chunks = db.query("DELETE FROM attachment_chunks WHERE blob_id = ?1");
      chunks.bind(1, blob_id);
      if (auto s = chunks.run(); !s) return fail(s.error());
      auto q = db.query("DELETE FROM attachment_blobs WHERE id = ?1 AND case_id = ?2");
      q.bind(1, blob_id).bind(2, case_id);
      if (auto s = q.run(); !s) return fail(s.error());
      return 0;
    });
    if (!done) return fail(done.error());
    return {};
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<domain::AttachmentStore> make_attachment_store(Database& db) {
  return std::make_unique<SqliteAttachmentStore>(db);
}

}  // namespace grievance::storage
