// The notifications outbox and the webhooks in SQLite (domain::OutboxStore; docs/domain.md
// "Notifications"; tables of migrations/0011_outbox.sql). Writes go through the writer thread,
// each in its own transaction; reads use a reader connection.
#include "server/domain/ports/outbox_store.hpp"

#include <memory>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {

using domain::Error;
using domain::fail;
using domain::Notification;
using domain::Result;
using domain::Status;
using domain::WebhookDelivery;

domain::Status insert_outbox_row(Connection& db, std::int64_t case_id, std::int64_t event_id) {
  auto q = db.query("INSERT INTO outbox (event_id, case_id) VALUES (?1, ?2)");
  return q.bind(1, event_id).bind(2, case_id).run();
}

namespace {

std::string secret_ad(std::int64_t webhook_id) {
  return "webhooks.secret:" + std::to_string(webhook_id);
}

Status to_status(const Result<std::int64_t>& r) {
  if (!r) return fail(r.error());
  return {};
}

// Columns 0..6 of a notifications row: id, org_id, reference, event, status, at.
Result<Notification> read_notification(Query& q, int first) {
  Notification n;
  n.id = q.int64(first);
  n.org_id = q.int64(first + 1);
  n.reference = q.text(first + 2);
  const auto event = parse_db_name<domain::EventType>(q.text(first + 3));
  const auto status = parse_db_name<domain::CaseStatus>(q.text(first + 4));
  if (!event || !status) return fail(corrupt());
  n.event = *event;
  n.status = *status;
  n.at = decode_time(q.int64(first + 5));
  return n;
}

Result<WebhookDelivery> read_delivery(Query& q) {
  WebhookDelivery d;
  d.id = q.int64(0);
  d.webhook_id = q.int64(1);
  d.url = q.text(2);
  const auto state = domain::parse_delivery_state(q.text(3));
  if (!state) return fail(corrupt());
  d.state = *state;
  d.attempts = static_cast<int>(q.int64(4));
  d.next_at = decode_time(q.int64(5));
  d.last_error = q.optional_text(6).value_or("");
  auto n = read_notification(q, 7);
  if (!n) return fail(n.error());
  d.notification = std::move(*n);
  return d;
}

class SqliteOutboxStore final : public domain::OutboxStore {
 public:
  explicit SqliteOutboxStore(Database& db) : db_(db) {}

  Result<std::vector<domain::OutboxEntry>> pending_events(int limit) override {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT id, case_id, event_id FROM outbox WHERE fanned_out = 0 ORDER BY id LIMIT ?1");
    q.bind(1, std::int64_t{limit});
    std::vector<domain::OutboxEntry> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back({q.int64(0), q.int64(1), q.int64(2)});
    }
    return out;
  }

  Result<std::vector<Notification>> fan_out(const domain::OutboxEntry& entry,
                                            const std::vector<Notification>& per_org,
                                            domain::TimePoint now) override {
    std::vector<Notification> made;
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      made.clear();
      auto mark = db.query("UPDATE outbox SET fanned_out = 1 WHERE id = ?1 AND fanned_out = 0");
      if (auto s = mark.bind(1, entry.id).run(); !s) return fail(s.error());
      if (db.changes() == 0) return 0;  // done before (a second dispatcher, a retry)
      for (const Notification& n : per_org) {
        auto q = db.query(
            "INSERT INTO notifications (outbox_id, org_id, reference, event, status, at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        q.bind(1, entry.id)
            .bind(2, n.org_id)
            .bind(3, n.reference)
            .bind(4, db_name(n.event))
            .bind(5, db_name(n.status))
            .bind(6, encode_time(n.at));
        if (auto s = q.run(); !s) return fail(s.error());
        Notification stored = n;
        stored.id = db.last_insert_rowid();
        auto d = db.query(
            "INSERT INTO webhook_deliveries (notification_id, webhook_id, next_at) "
            "SELECT ?1, id, ?2 FROM webhooks WHERE org_id = ?3 AND deleted = 0");
        if (auto s = d.bind(1, stored.id).bind(2, encode_time(now)).bind(3, n.org_id).run(); !s) {
          return fail(s.error());
        }
        made.push_back(std::move(stored));
      }
      return 0;
    });
    if (!r) return fail(r.error());
    return made;
  }

  Result<std::vector<Notification>> unmailed(int limit) override {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT id, org_id, reference, event, status, at FROM notifications WHERE mailed = 0 "
        "ORDER BY id LIMIT ?1");
    q.bind(1, std::int64_t{limit});
    std::vector<Notification> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      auto n = read_notification(q, 0);
      if (!n) return fail(n.error());
      out.push_back(std::move(*n));
    }
    return out;
  }

  Status mark_mailed(std::int64_t id) override {
    return to_status(db_.submit([id](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("UPDATE notifications SET mailed = 1 WHERE id = ?1");
      if (auto s = q.bind(1, id).run(); !s) return fail(s.error());
      return 0;
    }));
  }

  Result<std::vector<WebhookDelivery>> claim_due(domain::TimePoint now, int limit,
                                                 std::chrono::seconds lease) override {
    std::vector<WebhookDelivery> out;
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      out.clear();
      auto q = db.query(
          "SELECT d.id, d.webhook_id, w.url, d.state, d.attempts, d.next_at, d.last_error, n.id, "
          "n.org_id, n.reference, n.event, n.status, n.at, w.secret FROM webhook_deliveries d "
          "JOIN webhooks w ON w.id = d.webhook_id JOIN notifications n ON n.id = "
          "d.notification_id WHERE d.state = 'pending' AND d.next_at <= ?1 ORDER BY d.next_at, "
          "d.id LIMIT ?2");
      q.bind(1, encode_time(now)).bind(2, std::int64_t{limit});
      for (;;) {
        auto row = q.step();
        if (!row) return fail(row.error());
        if (!*row) break;
        auto d = read_delivery(q);
        if (!d) return fail(d.error());
        auto secret = db_.cipher().open(q.blob(13), secret_ad(d->webhook_id));
        if (!secret) return fail(corrupt());
        d->secret = std::move(*secret);
        out.push_back(std::move(*d));
      }
      for (const auto& d : out) {
        auto u = db.query("UPDATE webhook_deliveries SET next_at = ?2 WHERE id = ?1");
        if (auto s = u.bind(1, d.id).bind(2, encode_time(now + lease)).run(); !s) {
          return fail(s.error());
        }
      }
      return 0;
    });
    if (!r) return fail(r.error());
    return out;
  }

  Status mark_delivered(std::int64_t id, int attempts) override {
    return update(id, "delivered", attempts, std::nullopt, std::nullopt);
  }
  Status schedule_retry(std::int64_t id, int attempts, domain::TimePoint next_at,
                        std::string_view error) override {
    return update(id, "pending", attempts, encode_time(next_at), error);
  }
  Status mark_dead(std::int64_t id, int attempts, std::string_view error) override {
    return update(id, "dead", attempts, std::nullopt, error);
  }

  Result<std::vector<WebhookDelivery>> list_deliveries(std::optional<domain::DeliveryState> state,
                                                       int limit) override {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT d.id, d.webhook_id, w.url, d.state, d.attempts, d.next_at, d.last_error, n.id, "
        "n.org_id, n.reference, n.event, n.status, n.at FROM webhook_deliveries d JOIN webhooks w "
        "ON w.id = d.webhook_id JOIN notifications n "
        "ON n.id = d.notification_id WHERE ?1 IS NULL OR d.state = ?1 ORDER BY d.id DESC "
        "LIMIT ?2");
    q.bind(1, state ? std::optional<std::string_view>(domain::to_string(*state)) : std::nullopt)
        .bind(2, std::int64_t{limit});
    std::vector<WebhookDelivery> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      auto d = read_delivery(q);
      if (!d) return fail(d.error());
      out.push_back(std::move(*d));
    }
    return out;
  }

  // Each count is served by a partial index (outbox_pending, notifications_unmailed,
  // webhook_deliveries_due, webhook_deliveries_dead): delivered rows, which only grow, are never
  // walked.
  Result<domain::OutboxBacklog> backlog() override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    domain::OutboxBacklog out;
    const std::pair<const char*, std::int64_t*> counts[] = {
        {"SELECT count(*) FROM outbox WHERE fanned_out = 0", &out.events_pending},
        {"SELECT count(*) FROM notifications WHERE mailed = 0", &out.notifications_unmailed},
        {"SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'",
         &out.deliveries_pending},
        {"SELECT count(*) FROM webhook_deliveries WHERE state = 'dead'", &out.deliveries_dead},
    };
    for (const auto& [sql, value] : counts) {
      auto q = db->query(sql);
      auto row = q.step();
      if (!row) return fail(row.error());
      *value = q.int64(0);
    }
    return out;
  }

  Status retry_delivery(std::int64_t id, domain::TimePoint now) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = ?2 "
          "WHERE id = ?1 AND state = 'dead'");
      if (auto s = q.bind(1, id).bind(2, encode_time(now)).run(); !s) return fail(s.error());
      if (db.changes() == 0) return fail(Error::not_found("No such dead delivery."));
      return 0;
    }));
  }

  Result<domain::Webhook> add_webhook(std::int64_t org_id, std::string_view url,
                                      std::string_view secret, domain::TimePoint now) override {
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO webhooks (org_id, url, secret, created_at) VALUES (?1, ?2, x'', ?3)");
      if (auto s = q.bind(1, org_id).bind(2, url).bind(3, encode_time(now)).run(); !s) {
        return fail(s.error());
      }
      const std::int64_t id = db.last_insert_rowid();
      // The secret is sealed to its row: a sealed secret copied to another row does not open.
      auto u = db.query("UPDATE webhooks SET secret = ?2 WHERE id = ?1");
      if (auto s = u.bind(1, id).bind_blob(2, db_.cipher().seal(secret, secret_ad(id))).run(); !s) {
        return fail(s.error());
      }
      return id;
    });
    if (!r) return fail(r.error());
    return domain::Webhook{*r, org_id, std::string(url), now};
  }

  Result<std::vector<domain::Webhook>> list_webhooks(std::int64_t org_id) override {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT id, org_id, url, created_at FROM webhooks WHERE org_id = ?1 AND deleted = 0 "
        "ORDER BY id");
    q.bind(1, org_id);
    std::vector<domain::Webhook> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back({q.int64(0), q.int64(1), q.text(2), decode_time(q.int64(3))});
    }
    return out;
  }

  Status delete_webhook(std::int64_t org_id, std::int64_t webhook_id) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      // Kept (deleted = 1) so its past deliveries stay listed; its secret is wiped and its
      // pending deliveries end.
      auto q = db.query(
          "UPDATE webhooks SET deleted = 1, secret = x'' WHERE id = ?1 AND org_id = ?2 AND "
          "deleted = 0");
      if (auto s = q.bind(1, webhook_id).bind(2, org_id).run(); !s) return fail(s.error());
      if (db.changes() == 0) return fail(Error::not_found("No such webhook."));
      auto d = db.query(
          "UPDATE webhook_deliveries SET state = 'dead', last_error = 'webhook deleted' WHERE "
          "webhook_id = ?1 AND state = 'pending'");
      if (auto s = d.bind(1, webhook_id).run(); !s) return fail(s.error());
      return 0;
    }));
  }

 private:
  Status update(std::int64_t id, std::string_view state, int attempts,
                std::optional<std::int64_t> next_at, std::optional<std::string_view> error) {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE webhook_deliveries SET state = ?2, attempts = ?3, next_at = coalesce(?4, "
          "next_at), last_error = ?5 WHERE id = ?1");
      q.bind(1, id).bind(2, state).bind(3, std::int64_t{attempts}).bind(4, next_at).bind(5, error);
      if (auto s = q.run(); !s) return fail(s.error());
      return 0;
    }));
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<domain::OutboxStore> make_outbox_store(Database& db) {
  return std::make_unique<SqliteOutboxStore>(db);
}

}  // namespace grievance::storage
