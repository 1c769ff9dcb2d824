-- Schema version 13: GET /metrics counts the dead webhook deliveries (docs/operations.md
-- "Monitoring"). Delivered rows are never deleted, so without this index every scrape would walk
-- all deliveries ever made; the other counts already have partial indexes (0011_outbox.sql).

CREATE INDEX webhook_deliveries_dead ON webhook_deliveries (id) WHERE state = 'dead';
