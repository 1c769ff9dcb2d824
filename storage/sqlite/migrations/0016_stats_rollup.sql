-- Schema version 16: the statistics' rollups (issue 11 item 4; docs/domain.md "Rollups";
-- server/domain/stats/rollup.hpp). The dashboard's questions over a million cases read a few
-- thousand summed cells instead of every case. (15 is another branch's number.)
--
-- stats_rollup: one row per slice (every case, a category, a responsible company), filing month
-- and part (0 the counts, 1-3 the hours to acknowledgement, first response and resolution,
-- 4 the recurrent cases by site), in the compact binary form of stats_rollup_rows.cpp. Kept in
-- the same transaction as every write that changes a case's facts, by the difference of the
-- case's contribution before and after.
--
-- case_facts gains what the rollup needs per case: its categories (for the look back at its
-- site), the categories in which it repeats an earlier complaint there (fixed at filing), when
-- it becomes overdue (NULL while no deadline runs), its responsible company and cell key; the
-- overdue count reads them from one covering index, without decoding a case's facts.
--
-- The rollup of a database stored before this version is built when it opens
-- (rebuild_stats_rollup()).

ALTER TABLE case_facts ADD COLUMN categories INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_facts ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_facts ADD COLUMN overdue_at INTEGER;
ALTER TABLE case_facts ADD COLUMN responsible_org_id INTEGER;
ALTER TABLE case_facts ADD COLUMN cell_key INTEGER NOT NULL DEFAULT 0;
CREATE INDEX case_facts_by_overdue
  ON case_facts (overdue_at, filed_at, categories, responsible_org_id, cell_key)
  WHERE overdue_at IS NOT NULL;

CREATE TABLE stats_rollup (
  slice INTEGER NOT NULL,
  month INTEGER NOT NULL,
  part INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (slice, month, part)
) STRICT, WITHOUT ROWID;
