-- Schema version 1: organisations, sites, staff accounts, cases and their append-only events.
-- Times are INTEGER seconds since the Unix epoch (UTC); dates the user typed stay TEXT
-- YYYY-MM-DD. Enumerations are stored by their stable wire names.
-- Columns holding complaint text are BLOBs sealed with AES-256-GCM by the FieldCipher
-- (SPEC section 5): the associated data binds each to its table, column and row, e.g.
-- "cases.narrative:<reference>". No client IP address is stored anywhere.

CREATE TABLE organisations (
  id      INTEGER PRIMARY KEY,
  kind    TEXT NOT NULL CHECK (kind IN ('company', 'union', 'auditor')),
  name    TEXT NOT NULL,
  country TEXT NOT NULL
) STRICT;

CREATE TABLE sites (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  country         TEXT NOT NULL,
  region          TEXT NOT NULL DEFAULT '',
  sector          TEXT NOT NULL,
  operator_org_id INTEGER REFERENCES organisations (id)
) STRICT;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,  -- lower case
  role          TEXT NOT NULL,
  org_id        INTEGER REFERENCES organisations (id),
  password_hash TEXT NOT NULL,         -- scrypt, self-describing
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE cases (
  id                     INTEGER PRIMARY KEY,
  reference              TEXT NOT NULL UNIQUE,
  access_code_hmac       TEXT NOT NULL,          -- HMAC-SHA256 under a key outside the database
  language               TEXT NOT NULL,
  categories             TEXT NOT NULL,          -- comma-separated wire names
  narrative              BLOB NOT NULL,          -- sealed: "cases.narrative:<reference>"
  site_id                INTEGER REFERENCES sites (id),
  place                  TEXT NOT NULL DEFAULT '',
  country                TEXT NOT NULL,
  incident_date          TEXT,
  anonymous              INTEGER NOT NULL,
  contact                BLOB,                   -- sealed: "cases.contact:<reference>"
  mandate_follow         INTEGER,                -- NULL: no mandate
  mandate_share_identity INTEGER,
  mandate_collective     INTEGER,
  mandate_headcount      INTEGER,
  channel                TEXT NOT NULL,
  union_org_id           INTEGER REFERENCES organisations (id),
  status                 TEXT NOT NULL,
  ack_due                INTEGER NOT NULL,
  response_due           INTEGER NOT NULL,
  resolution_due         INTEGER NOT NULL,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL,
  content_sha256         TEXT NOT NULL,
  -- Head of the case's event hash chain, so removing the newest event is detected too.
  event_count            INTEGER NOT NULL DEFAULT 0,
  last_event_hash        TEXT NOT NULL
    DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
) STRICT;

-- Append-only history. hash = SHA-256(prev_hash || canonical bytes of the event, including the
-- body ciphertext), computed by the writer; `grievance verify` recomputes the chain.
CREATE TABLE case_events (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  seq          INTEGER NOT NULL,
  at           INTEGER NOT NULL,
  type         TEXT NOT NULL,
  actor_role   TEXT NOT NULL,
  actor_org_id INTEGER,
  visibility   TEXT NOT NULL,
  from_status  TEXT,
  to_status    TEXT,
  body         BLOB NOT NULL,  -- sealed: "case_events.body:<case_id>:<seq>"
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL,
  UNIQUE (case_id, seq)
) STRICT;

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
  SELECT RAISE(ABORT, 'case_events is append-only');
END;

CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
  SELECT RAISE(ABORT, 'case_events is append-only');
END;
