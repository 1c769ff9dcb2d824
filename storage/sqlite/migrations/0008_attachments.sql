-- Schema version 8: evidence (docs/domain.md "Evidence", docs/security.md "Attachments").
-- An attachment is a case event (type 'attachment', the sanitised file name sealed in body)
-- whose blob id, detected media type, size, SHA-256 of the stored bytes and whether metadata
-- was removed are columns the hash chain covers ("v8" block; NULL for every other event, so
-- their hash is unchanged). The bytes live in attachment_chunks, each chunk of at most 64 KiB
-- sealed on its own (AES-256-GCM; the associated data names case, blob, chunk index and chunk
-- count, so a changed, moved, dropped or added chunk does not open). In the database file, so
-- `grievance backup` copies them with everything else.

ALTER TABLE case_events ADD COLUMN attachment_blob INTEGER;
ALTER TABLE case_events ADD COLUMN media_type TEXT;
ALTER TABLE case_events ADD COLUMN file_size INTEGER;
ALTER TABLE case_events ADD COLUMN file_sha256 TEXT;
ALTER TABLE case_events ADD COLUMN metadata_removed INTEGER;

CREATE TABLE attachment_blobs (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  size        INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL
) STRICT;

CREATE TABLE attachment_chunks (
  blob_id INTEGER NOT NULL REFERENCES attachment_blobs (id) ON DELETE CASCADE,
  idx     INTEGER NOT NULL,
  sealed  BLOB NOT NULL,
  PRIMARY KEY (blob_id, idx)
) STRICT;
