-- Schema version 10: the operator's edits of the follow-up guides (docs/domain.md "Follow-up
-- guides"). One row per category and language the admin changed; no row means the shipped
-- default. Guides are guidance for staff, not complaint text: stored in clear.

CREATE TABLE follow_up_guides (
  category   TEXT NOT NULL,
  language   TEXT NOT NULL,
  check_text TEXT NOT NULL,
  involve    TEXT NOT NULL,
  remedies   TEXT NOT NULL,
  pitfalls   TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER NOT NULL,  -- users.id of the admin (0: the command line)
  PRIMARY KEY (category, language)
) STRICT;
