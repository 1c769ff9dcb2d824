-- Schema version 11: the notifications outbox and webhooks (docs/domain.md "Notifications").
-- Every case event writes an outbox row in its own transaction (event_chain.cpp); the
-- dispatcher fans each row out into one notification per organisation concerned and one
-- delivery per webhook of that organisation. Nothing here holds text or identity: a
-- notification is the reference, the event type, the status and the time. The webhook secret
-- is sealed like a narrative.

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL UNIQUE REFERENCES case_events (id),
  case_id INTEGER NOT NULL REFERENCES cases (id),
  fanned_out INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX outbox_pending ON outbox (id) WHERE fanned_out = 0;

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,          -- the X-Event-Id a receiver drops duplicates by
  outbox_id INTEGER NOT NULL REFERENCES outbox (id),
  org_id INTEGER NOT NULL,         -- 0: the operator
  reference TEXT NOT NULL,
  event TEXT NOT NULL,
  status TEXT NOT NULL,
  at INTEGER NOT NULL,
  mailed INTEGER NOT NULL DEFAULT 0,
  UNIQUE (outbox_id, org_id)
) STRICT;
CREATE INDEX notifications_unmailed ON notifications (id) WHERE mailed = 0;

CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL,         -- 0: the operator
  url TEXT NOT NULL,
  secret BLOB NOT NULL,            -- sealed (FieldCipher), bound to the row id
  created_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX webhooks_org ON webhooks (org_id) WHERE deleted = 0;

CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications (id),
  webhook_id INTEGER NOT NULL REFERENCES webhooks (id),
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT,
  UNIQUE (notification_id, webhook_id)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
