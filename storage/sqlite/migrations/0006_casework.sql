-- Schema version 6: a case's life (docs/domain.md "Lifecycle"): the outcome of a closure, when
-- the case was settled and where it was escalated, the remedy plan with each action's progress
-- and the complainant's verdict, the satisfaction score, the clock that waits for the
-- complainant's answer, the retaliation flag, the follow-up check and its answer, who may know
-- the complainant and a company's pending request to; what events now carry
-- besides their text; and the marks that keep the deadline scheduler from writing an event
-- twice (the scheduler's pointer).

ALTER TABLE cases ADD COLUMN outcome TEXT;            -- a closure's outcome (wire name)
ALTER TABLE cases ADD COLUMN settled_at INTEGER;      -- last reached closed/rejected/withdrawn/escalated
ALTER TABLE cases ADD COLUMN escalated_to TEXT;       -- the external body (wire name)
ALTER TABLE cases ADD COLUMN satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5);
ALTER TABLE cases ADD COLUMN paused_since INTEGER;    -- waiting for the complainant's answer
ALTER TABLE cases ADD COLUMN retaliation INTEGER NOT NULL DEFAULT 0
  CHECK (retaliation IN (0, 1));
ALTER TABLE cases ADD COLUMN follow_up_due INTEGER;   -- when to ask whether the remedy held
ALTER TABLE cases ADD COLUMN follow_up_answer TEXT    -- did the remedy hold (wire name)
  CHECK (follow_up_answer IN ('yes', 'partly', 'no'));
ALTER TABLE cases ADD COLUMN remedy_failed INTEGER NOT NULL DEFAULT 0
  CHECK (remedy_failed IN (0, 1));
-- Who may know the complainant (docs/domain.md "Who sees what"). Earlier cases keep what
-- they had: anonymous without a contact, shared when the complainant (or the union's mandate)
-- let the company know the name, confidential otherwise.
ALTER TABLE cases ADD COLUMN identity TEXT NOT NULL DEFAULT 'anonymous'
  CHECK (identity IN ('anonymous', 'confidential', 'shared'));
UPDATE cases SET identity = CASE
  WHEN anonymous = 0 AND (mandate_follow IS NULL OR mandate_share_identity = 1) THEN 'shared'
  WHEN contact IS NOT NULL THEN 'confidential'
  ELSE 'anonymous' END;
ALTER TABLE cases ADD COLUMN disclosure_requested_by INTEGER REFERENCES organisations (id);

-- The plan on the table. Texts sealed with the FieldCipher under
-- "remedy_actions.<column>:<case id>:<number>".
CREATE TABLE remedy_actions (
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  number       INTEGER NOT NULL CHECK (number > 0),
  what         BLOB NOT NULL,
  org_id       INTEGER NOT NULL REFERENCES organisations (id),
  due_date     TEXT NOT NULL,                     -- YYYY-MM-DD
  done_at      INTEGER,
  done_note    BLOB,
  verdict      TEXT CHECK (verdict IN ('confirmed', 'disputed')),
  verdict_note BLOB,
  verdict_at   INTEGER,
  PRIMARY KEY (case_id, number)
) STRICT;

-- What events carry besides their text. NULL for every event before this version, so their
-- hash (which covers these columns only when one is set) is unchanged.
ALTER TABLE case_events ADD COLUMN outcome TEXT;
ALTER TABLE case_events ADD COLUMN external_body TEXT;
ALTER TABLE case_events ADD COLUMN action INTEGER;
ALTER TABLE case_events ADD COLUMN score INTEGER;
ALTER TABLE case_events ADD COLUMN detail BLOB;      -- sealed: a reasoning, a note

-- The deadline scheduler's pointer: the time of the next reminder, breach or follow-up check
-- the case is owed (NULL: none). A notice's event and the pointer's advance are written in one
-- transaction, so a restart or a long stop catches up without writing anything twice. Cases of
-- earlier versions are due now: the first run writes what they are owed.
ALTER TABLE cases ADD COLUMN next_check_at INTEGER;
UPDATE cases SET next_check_at = created_at
  WHERE status IN ('received', 'acknowledged', 'in_dialogue', 'remedy_proposed', 'reopened');
CREATE INDEX cases_by_next_check ON cases (next_check_at) WHERE next_check_at IS NOT NULL;
