-- Schema version 15: the public register (issue 11 item 6; docs/domain.md "Public register").
-- One row per case whose complainant listed it: written and deleted with the register_consent
-- event, in the event's own transaction (event_chain.cpp insert_event), so the list is true the
-- moment a consent or its withdrawal returns. The consent itself is the event (the history);
-- this table only lets the public page find the listed cases without reading every case.
-- No case had such an event before this version, so there is nothing to backfill.

CREATE TABLE register_entries (
  case_id INTEGER PRIMARY KEY REFERENCES cases (id),
  listed_at INTEGER NOT NULL
) STRICT;
