// The SQLite MailStore (server/domain/ports/mail_store.hpp): the staff's notification e-mail
// settings and the notifications waiting for a daily digest (migration 0012). No cache: the
// settings are read once per notification, beside the outbox's own writes.
#include "server/domain/ports/mail_store.hpp"

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Error;
using domain::fail;
using domain::Result;
using domain::Status;

const std::string kNoSuchUser = "No such account.";

Result<domain::MailRecipient> read_recipient(const Query& row) {
  domain::MailRecipient r;
  r.user_id = row.int64(0);
  r.email = row.text(1);
  auto mode = domain::parse_mail_mode(row.text(2));
  if (!mode) return fail(corrupt());
  r.mode = *mode;
  if (auto lang = row.optional_text(3)) {
    auto l = parse_db_name<domain::Language>(*lang);
    if (!l) return fail(corrupt());
    r.language = *l;
  }
  return r;
}

Result<domain::Notification> read_queued(const Query& row, int first) {
  domain::Notification n;
  n.id = row.int64(first);
  n.org_id = row.int64(first + 1);
  n.reference = row.text(first + 2);
  auto event = parse_db_name<domain::EventType>(row.text(first + 3));
  auto status = parse_db_name<domain::CaseStatus>(row.text(first + 4));
  if (!event || !status) return fail(corrupt());
  n.event = *event;
  n.status = *status;
  n.at = decode_time(row.int64(first + 5));
  return n;
}

class SqliteMailStore final : public domain::MailStore {
 public:
  explicit SqliteMailStore(Database& db) : db_(db) {}

  Result<domain::MailPreference> mail_preference(std::int64_t user_id) override {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT m.mode, m.language FROM users u LEFT JOIN mail_settings m ON m.user_id = u.id "
        "WHERE u.id = ?1");
    q.bind(1, user_id);
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return fail(Error::not_found(kNoSuchUser));
    domain::MailPreference p;
    if (auto mode = q.optional_text(0)) {
      auto m = domain::parse_mail_mode(*mode);
      if (!m) return fail(corrupt());
      p.mode = *m;
    }
    if (auto lang = q.optional_text(1)) {
      p.language = parse_db_name<domain::Language>(*lang);
      if (!p.language) return fail(corrupt());
    }
    return p;
  }

  Status set_mail_preference(std::int64_t user_id, const domain::MailPreference& p) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto exists = db.query("SELECT count(*) FROM users WHERE id = ?1");
      auto row = exists.bind(1, user_id).step();
      if (!row) return fail(row.error());
      if (exists.int64(0) == 0) return fail(Error::not_found(kNoSuchUser));
      auto q = db.query(
          "INSERT INTO mail_settings (user_id, mode, language) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, "
          "language = excluded.language");
      q.bind(1, user_id).bind(2, domain::to_string(p.mode));
      if (p.language) {
        q.bind(3, db_name(*p.language));
      } else {
        q.bind_null(3);
      }
      if (auto s = q.run(); !s) return fail(s.error());
      if (p.mode != domain::MailMode::kDigest) {
        auto drop = db.query("DELETE FROM mail_digest_queue WHERE user_id = ?1");
        if (auto s = drop.bind(1, user_id).run(); !s) return fail(s.error());
      }
      return 0;
    }));
  }

  Result<std::vector<domain::MailRecipient>> mail_recipients(std::int64_t org_id) override {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT u.id, u.email, m.mode, m.language FROM mail_settings m "
        "JOIN users u ON u.id = m.user_id "
        "WHERE u.org_id = ?1 AND u.disabled = 0 AND m.mode <> 'off' ORDER BY u.email");
    q.bind(1, org_id);
    return read_all(q, read_recipient);
  }

  Status queue_digest(std::int64_t user_id, const domain::Notification& n) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO mail_digest_queue (user_id, notification_id, org_id, reference, event, "
          "status, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
          "ON CONFLICT (user_id, notification_id) DO NOTHING");
      q.bind(1, user_id)
          .bind(2, n.id)
          .bind(3, n.org_id)
          .bind(4, n.reference)
          .bind(5, db_name(n.event))
          .bind(6, db_name(n.status))
          .bind(7, encode_time(n.at));
      if (auto s = q.run(); !s) return fail(s.error());
      return 0;
    }));
  }

  Result<std::vector<domain::PendingDigest>> pending_digests() override {
    auto db = db_.lease();
    // Only the notifications of the organisation the user belongs to now: someone who moved
    // or left is not told about their former organisation's cases.
    auto q = db->query(
        "SELECT u.id, u.email, m.mode, m.language, m.last_digest_at, q.id, "
        "q.notification_id, q.org_id, q.reference, q.event, q.status, q.at "
        "FROM mail_digest_queue q JOIN users u ON u.id = q.user_id "
        "JOIN mail_settings m ON m.user_id = u.id "
        "WHERE m.mode = 'digest' AND u.disabled = 0 AND u.org_id = q.org_id "
        "ORDER BY u.id, q.id");
    std::vector<domain::PendingDigest> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      const std::int64_t user = q.int64(0);
      if (out.empty() || out.back().recipient.user_id != user) {
        auto r = read_recipient(q);
        if (!r) return fail(r.error());
        domain::PendingDigest d;
        d.recipient = std::move(*r);
        out.push_back(std::move(d));
        if (auto last = q.optional_int64(4)) out.back().last_sent = decode_time(*last);
      }
      auto n = read_queued(q, 6);
      if (!n) return fail(n.error());
      out.back().items.push_back(std::move(*n));
      out.back().last_queue_id = q.int64(5);
    }
    return out;
  }

  Status digest_sent(std::int64_t user_id, std::int64_t last_queue_id,
                     domain::TimePoint at) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto drop = db.query("DELETE FROM mail_digest_queue WHERE user_id = ?1 AND id <= ?2");
      if (auto s = drop.bind(1, user_id).bind(2, last_queue_id).run(); !s) return fail(s.error());
      auto q = db.query("UPDATE mail_settings SET last_digest_at = ?2 WHERE user_id = ?1");
      return changed_one(db, q.bind(1, user_id).bind(2, encode_time(at)).run(), kNoSuchUser);
    }));
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<domain::MailStore> make_mail_store(Database& db) {
  return std::make_unique<SqliteMailStore>(db);
}

}  // namespace grievance::storage
