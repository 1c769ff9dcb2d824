-- Schema version 4: organisations and sites that can be switched off, supply links and the
-- case parties that routing derives from them (SPEC section 3, "Routing"), a second sign-in
-- factor for staff accounts, and the indexes the case list's scopes and filters need.

-- Disabled rather than deleted: existing cases keep pointing at them, and a disabled
-- organisation receives no new cases and its users cannot sign in. 0 or 1 only.
ALTER TABLE organisations ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0
  CHECK (disabled IN (0, 1));
-- A disabled site is hidden from the complaint form's picker.
ALTER TABLE sites ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));

-- RFC 6238 secret, sealed with the FieldCipher under "users.totp_secret:<id>" (by id, not by
-- e-mail, so changing the address keeps it readable; a ciphertext copied into another account
-- does not open). NULL: no second factor.
ALTER TABLE users ADD COLUMN totp_secret BLOB;
-- The last accepted TOTP time step: a code is accepted once (RFC 6238 section 5.2), checked
-- and advanced in one UPDATE so two concurrent sign-ins cannot both use it.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- Company `supplier_org_id` supplies company `buyer_org_id`, for every sector (NULL) or one.
-- Cycles are allowed (real supply chains have them); a company supplying itself is not.
CREATE TABLE supply_links (
  id              INTEGER PRIMARY KEY,
  supplier_org_id INTEGER NOT NULL REFERENCES organisations (id),
  buyer_org_id    INTEGER NOT NULL REFERENCES organisations (id),
  sector          TEXT,  -- NULL: every sector
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  CHECK (supplier_org_id != buyer_org_id)
) STRICT;

-- One enabled link per (supplier, buyer, sector); disabled ones are history and may repeat.
-- COALESCE because NULLs are distinct in a UNIQUE index.
CREATE UNIQUE INDEX supply_links_enabled_unique
  ON supply_links (supplier_org_id, buyer_org_id, COALESCE(sector, '')) WHERE disabled = 0;
-- Routing walks upward from a supplier to its buyers.
CREATE INDEX supply_links_by_supplier ON supply_links (supplier_org_id);

-- The companies a case is routed to. No rows: the case waits in the admins' triage queue.
-- Written with the case (or by the admin's routing) in the same transaction as the routing
-- events.
CREATE TABLE case_parties (
  case_id    INTEGER NOT NULL REFERENCES cases (id),
  org_id     INTEGER NOT NULL REFERENCES organisations (id),
  role       TEXT NOT NULL CHECK (role IN ('responsible', 'buyer')),
  -- A copy of the case's created_at (which never changes): a company's case list is then one
  -- ordered range of case_parties_by_org, not a sort of all its cases for every page.
  created_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, org_id)
) STRICT, WITHOUT ROWID;

-- At most one company leads the response.
CREATE UNIQUE INDEX case_parties_one_responsible ON case_parties (case_id)
  WHERE role = 'responsible';
-- A company's case list: the cases routed to it, newest first.
CREATE INDEX case_parties_by_org ON case_parties (org_id, created_at, case_id);

-- The case list's scopes and filters, each ending in created_at for the newest-first order
-- (the rowid, i.e. the id tie-break, is implicitly the last column of every index).
CREATE INDEX cases_by_union ON cases (union_org_id, created_at);
CREATE INDEX cases_by_country ON cases (country, created_at);
