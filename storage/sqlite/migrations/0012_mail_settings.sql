-- Schema version 12: notification e-mail (docs/domain.md "Notification e-mail"). Each staff
-- member's opt-in (off by default: no row), the language of their e-mails, and when their last
-- daily digest left; the notifications waiting for a digest, until it is sent. A notification
-- holds only the reference, what happened, the status and the time: never text or identity.

CREATE TABLE mail_settings (
  user_id          INTEGER PRIMARY KEY REFERENCES users (id),
  mode             TEXT NOT NULL CHECK (mode IN ('off', 'each', 'digest')),
  language         TEXT,             -- NULL: not chosen (English)
  last_digest_at   INTEGER           -- NULL: no digest sent yet
) STRICT;

CREATE TABLE mail_digest_queue (
  id               INTEGER PRIMARY KEY,
  user_id          INTEGER NOT NULL REFERENCES users (id),
  notification_id  INTEGER NOT NULL,  -- the outbox row: kept once per user
  org_id           INTEGER NOT NULL,
  reference        TEXT NOT NULL,
  event            TEXT NOT NULL,
  status           TEXT NOT NULL,
  at               INTEGER NOT NULL,
  UNIQUE (user_id, notification_id)
) STRICT;
