-- Schema version 14: what the statistics may know about each case (issue 11; docs/domain.md
-- "Statistics"; server/domain/stats/case_facts.hpp). One row per case, written with the case and
-- updated by every event in the event's own transaction (event_chain.cpp insert_event), so the
-- numbers are true the moment a change returns. `facts` is the CaseFacts in a compact binary
-- form (case_facts_rows.cpp): numbers, flags, times and codes from closed lists, never text,
-- contact, identity or the reference. The columns beside it are the ones a statistics query
-- narrows by, each with its index, so no query reads every case to find its own.
-- Cases stored before this version get their row when the database opens
-- (backfill_case_facts()).

CREATE TABLE case_facts (
  case_id INTEGER PRIMARY KEY REFERENCES cases (id),
  filed_at INTEGER NOT NULL,
  site_id INTEGER,
  union_org_id INTEGER,
  facts BLOB NOT NULL
) STRICT;
CREATE INDEX case_facts_by_filed ON case_facts (filed_at);
CREATE INDEX case_facts_by_site ON case_facts (site_id, filed_at) WHERE site_id IS NOT NULL;
CREATE INDEX case_facts_by_union ON case_facts (union_org_id, filed_at)
  WHERE union_org_id IS NOT NULL;
