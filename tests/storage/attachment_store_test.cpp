// Evidence at rest (docs/security.md "Attachments"): bytes sealed in 64 KiB chunks that read back
// in order; a changed, moved or dropped chunk is detected; the attachment event's type, size and
// SHA-256 are covered by the hash chain (schema 8) and earlier events hash as before.
#include <sqlite3.h>

#include "storage/store_fixture.hpp"

namespace grievance::storage::testing {
namespace {

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return s;
}

class AttachmentStoreTest : public StoreTest {
 protected:
  std::string read_all(SqliteStores& store, std::int64_t case_id, std::int64_t blob,
                       domain::Status* status = nullptr, std::size_t* pieces = nullptr) {
    std::string out;
    std::size_t n = 0;
    auto s = store.attachments().read_blob(case_id, blob, [&](std::string_view piece) {
      out += piece;
      ++n;
      return true;
    });
    if (status) *status = s;
    if (pieces) *pieces = n;
    return out;
  }
};

TEST_F(AttachmentStoreTest, ABlobIsSealedInChunksAndReadsBackPieceByPiece) {
  auto store = open();
  auto case_id = store->cases().create_case(sample_case(next_reference()), {filed_event()});
  ASSERT_TRUE(case_id);
  const std::string bytes = pattern(200 * 1024 + 17);  // four chunks
  auto blob = store->attachments().put_blob(*case_id, bytes);
  ASSERT_TRUE(blob) << blob.error().message;
  domain::Status status;
  std::size_t pieces = 0;
  EXPECT_EQ(read_all(*store, *case_id, *blob, &status, &pieces), bytes);
  EXPECT_TRUE(status);
  EXPECT_EQ(pieces, 4u);
  // Another case does not reach it.
  auto other = store->cases().create_case(sample_case(next_reference()), {filed_event()});
  read_all(*store, *other, *blob, &status);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, domain::ErrorCode::kNotFound);
  store.reset();
  RawDb raw(db_path());
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM attachment_chunks"), "4");
  // Sealed: no plaintext chunk in the file.
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM attachment_chunks WHERE instr(sealed, x'" +
                       std::string("00838610") + "') > 0"),
            "0");
}

TEST_F(AttachmentStoreTest, AChangedMovedOrDroppedChunkIsDetected) {
  auto store = open();
  auto case_id = store->cases().create_case(sample_case(next_reference()), {filed_event()});
  const std::string bytes = pattern(3 * 64 * 1024);
  auto blob = store->attachments().put_blob(*case_id, bytes);
  ASSERT_TRUE(blob);
  const std::string id = std::to_string(*blob);
  domain::Status status;
  {
    RawDb raw(db_path());
    // Swap chunks 0 and 1.
    ASSERT_EQ(raw.exec("UPDATE attachment_chunks SET idx = 100 WHERE blob_id = " + id +
                       " AND idx = 0; UPDATE attachment_chunks SET idx = 0 WHERE blob_id = " + id +
                       " AND idx = 1; UPDATE attachment_chunks SET idx = 1 WHERE blob_id = " + id +
                       " AND idx = 100;"),
              SQLITE_OK);
  }
  read_all(*store, *case_id, *blob, &status);
  EXPECT_FALSE(status) << "reordered chunks";
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("UPDATE attachment_chunks SET idx = 100 WHERE blob_id = " + id +
                       " AND idx = 0; UPDATE attachment_chunks SET idx = 0 WHERE blob_id = " + id +
                       " AND idx = 1; UPDATE attachment_chunks SET idx = 1 WHERE blob_id = " + id +
                       " AND idx = 100;"),
              SQLITE_OK);
  }
  EXPECT_EQ(read_all(*store, *case_id, *blob, &status), bytes);
  EXPECT_TRUE(status) << "restored";
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("DELETE FROM attachment_chunks WHERE blob_id = " + id + " AND idx = 2"),
              SQLITE_OK);
  }
  read_all(*store, *case_id, *blob, &status);
  EXPECT_FALSE(status) << "truncated";
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("UPDATE attachment_blobs SET chunk_count = 2, size = " +
                       std::to_string(2 * 64 * 1024) + " WHERE id = " + id),
              SQLITE_OK);
  }
  read_all(*store, *case_id, *blob, &status);
  EXPECT_FALSE(status) << "truncated with the count changed to match";
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("UPDATE attachment_chunks SET sealed = randomblob(length(sealed)) "
                       "WHERE blob_id = " +
                       id + " AND idx = 0"),
              SQLITE_OK);
  }
  read_all(*store, *case_id, *blob, &status);
  EXPECT_FALSE(status) << "changed bytes";
}

TEST_F(AttachmentStoreTest, AnAttachmentEventRoundTripsAndItsFieldsAreInTheChain) {
  auto store = open();
  auto id = store->cases().create_case(sample_case(next_reference()), {filed_event()});
  ASSERT_TRUE(id);
  domain::CaseEvent e = filed_event();
  e.type = domain::EventType::kAttachment;
  e.body = "pay_slip.jpg";
  domain::CaseEvent::Attachment a;
  a.blob_id = 7;
  a.media_type = "image/jpeg";
  a.size = 1234;
  a.sha256 = std::string(64, 'a');
  a.metadata_removed = true;
  e.attachment = a;
  ASSERT_TRUE(store->cases().append_event(*id, e, std::nullopt));
  auto events = store->cases().case_events(*id);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].attachment, a);
  EXPECT_EQ((*events)[1].body, "pay_slip.jpg");
  EXPECT_FALSE((*events)[0].attachment);
  store.reset();

  RawDb raw(db_path());
  auto intact = verify_event_chains(db_path().string(), *crypto_);
  ASSERT_TRUE(intact);
  EXPECT_TRUE(intact->empty());
  ASSERT_EQ(raw.exec("DROP TRIGGER case_events_no_update"), SQLITE_OK);
  const std::string restore =
      "UPDATE case_events SET file_sha256 = '" + a.sha256 +
      "', file_size = 1234, media_type = 'image/jpeg', metadata_removed = 1, "
      "attachment_blob = 7 WHERE seq = 2";
  for (const char* edit :
       {"file_sha256 = 'bbbb'", "file_size = 1", "media_type = 'application/pdf'",
        "metadata_removed = 0", "attachment_blob = 8"}) {
    ASSERT_EQ(raw.exec(std::string("UPDATE case_events SET ") + edit + " WHERE seq = 2"),
              SQLITE_OK);
    auto edited = verify_event_chains(db_path().string(), *crypto_);
    ASSERT_TRUE(edited);
    EXPECT_EQ(edited->size(), 1u) << edit;
    ASSERT_EQ(raw.exec(restore), SQLITE_OK);
    auto restored = verify_event_chains(db_path().string(), *crypto_);
    ASSERT_TRUE(restored);
    EXPECT_TRUE(restored->empty()) << edit;
  }
}

}  // namespace
}  // namespace grievance::storage::testing
