-- Schema version 2: sign-in sessions and the indexes the case list and site picker need.

-- Only the SHA-256 of a bearer token is stored: a stolen database cannot sign anyone in.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  role       TEXT NOT NULL,
  case_id    INTEGER REFERENCES cases (id),
  user_id    INTEGER REFERENCES users (id),
  org_id     INTEGER REFERENCES organisations (id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX cases_by_created ON cases (created_at);
CREATE INDEX cases_by_status ON cases (status, created_at);
CREATE INDEX cases_by_site ON cases (site_id);
CREATE INDEX sites_by_country_name ON sites (country, name);
