-- Schema version 3: idempotent filing. A worker on a slow phone who refreshes the receipt page,
-- or an API client that retries after a dropped connection, must not file the same complaint
-- twice. The client's key is stored only as its SHA-256, written in the same transaction as
-- the case it filed.
CREATE TABLE filing_keys (
  key_hash   TEXT PRIMARY KEY,
  case_id    INTEGER NOT NULL UNIQUE REFERENCES cases (id),
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
