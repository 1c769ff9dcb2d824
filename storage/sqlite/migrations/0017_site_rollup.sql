-- Schema version 17: the rollup gains a slice per site (issue 11 item 4; docs/domain.md
-- "Rollups"; server/domain/stats/rollup.hpp site_slice). A table by site - by site and month
-- over a million cases is fifty thousand rows - reads the site's summed cells instead of
-- every case's facts. The cells of a site slice live in stats_rollup beside the others, under
-- slice numbers of their own; the database's rollup is rebuilt when it opens at this version
-- (rebuild_stats_rollup()).
--
-- The overdue count of a table by site reads each overdue case's site from the same covering
-- index, so the index gains the column.

DROP INDEX case_facts_by_overdue;
CREATE INDEX case_facts_by_overdue
  ON case_facts (overdue_at, filed_at, categories, responsible_org_id, site_id, cell_key)
  WHERE overdue_at IS NOT NULL;
