// The SQLite AccountStore: staff accounts and sessions. Every authenticated request looks its
// session up, so sessions are served from memory: a session is cached when it is created or
// first read, and every session write of this store (sign-out, sign-out everywhere, the sweep
// of expired sessions at sign-in) updates the cache after its commit. A read that raced with
// a write is not cached (the generation moved). Expiry is the domain's to check on each use,
// so an expired session in the cache is refused like one on disk.
#include <mutex>
#include <unordered_map>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Error;
using domain::fail;
using domain::Result;
using domain::Status;

// Beyond this many cached sessions the cache starts again empty (sessions come back from disk
// on their next use), so memory stays bounded under a flood of sign-ins.
constexpr std::size_t kMaxCachedSessions = 100000;

const std::string kSelectUsers =
    "SELECT id, email, role, org_id, password_hash, disabled, created_at, totp_secret, "
    "totp_last_step FROM users";

// By id, not by e-mail: changing an account's address keeps its second factor readable.
std::string totp_secret_ad(std::int64_t user_id) {
  return "users.totp_secret:" + std::to_string(user_id);
}

Error user_error(Error e) {
  if (e.code == domain::ErrorCode::kConflict) {
    return Error::conflict("An account with this e-mail address exists.");
  }
  return e;
}

class SqliteAccountStore final : public domain::AccountStore {
 public:
  explicit SqliteAccountStore(Database& db) : db_(db) {}

  // ---- staff accounts ----

  Result<std::int64_t> create_user(const domain::User& u) override {
    const std::string email = lower_ascii(u.email);
    return db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO users (email, role, org_id, password_hash, disabled, created_at, "
          "totp_last_step) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      q.bind(1, email)
          .bind(2, db_name(u.role))
          .bind(3, u.org_id)
          .bind(4, u.password_hash)
          .bind(5, std::int64_t{u.disabled})
          .bind(6, encode_time(u.created_at))
          .bind(7, u.totp_last_step);
      if (auto s = q.run(); !s) return fail(user_error(s.error()));
      const std::int64_t id = db.last_insert_rowid();
      if (!u.totp_secret.empty()) {
        // Sealed under the new row's id, which only exists now (a rare write: accounts).
        auto t = db.query("UPDATE users SET totp_secret = ?2 WHERE id = ?1");
        if (auto s = t.bind(1, id).bind_blob(2, seal_totp(id, u.totp_secret)).run(); !s) {
          return fail(s.error());
        }
      }
      return id;
    });
  }

  Result<std::optional<domain::User>> find_user_by_email(std::string_view email) override {
    auto db = db_.lease();
    auto q = db->query(kSelectUsers + " WHERE email = ?1");
    return read_one(q.bind(1, lower_ascii(email)),
                    [this](const Query& row) { return read_user(row); });
  }

  Result<std::optional<domain::User>> find_user(std::int64_t id) override {
    auto db = db_.lease();
    auto q = db->query(kSelectUsers + " WHERE id = ?1");
    return read_one(q.bind(1, id), [this](const Query& row) { return read_user(row); });
  }

  Result<std::vector<domain::User>> list_users() override {
    auto db = db_.lease();
    auto q = db->query(kSelectUsers + " ORDER BY email");
    return read_all(q, [this](const Query& row) { return read_user(row); });
  }

  Status update_user(const domain::User& u) override {
    const std::string email = lower_ascii(u.email);
    const std::optional<std::string> totp =
        u.totp_secret.empty() ? std::nullopt : std::optional(seal_totp(u.id, u.totp_secret));
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE users SET email = ?2, role = ?3, org_id = ?4, password_hash = ?5, "
          "disabled = ?6, totp_secret = ?7 WHERE id = ?1");
      q.bind(1, u.id)
          .bind(2, email)
          .bind(3, db_name(u.role))
          .bind(4, u.org_id)
          .bind(5, u.password_hash)
          .bind(6, std::int64_t{u.disabled});
      if (totp) {
        q.bind_blob(7, *totp);
      } else {
        q.bind_null(7);
      }
      auto s = q.run();
      if (!s) return fail(user_error(s.error()));
      return changed_one(db, s, "No such account.");
    }));
  }

  Status record_totp_step(std::int64_t user_id, std::int64_t step) override {
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      // Check and advance in one statement: of two sign-ins with the same code, one wins.
      auto q =
          db.query("UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2");
      if (auto s = q.bind(1, user_id).bind(2, step).run(); !s) return fail(s.error());
      if (db.changes() == 1) return 0;
      auto exists = db.query("SELECT count(*) FROM users WHERE id = ?1");
      auto row = exists.bind(1, user_id).step();
      if (!row) return fail(row.error());
      if (exists.int64(0) == 0) return fail(Error::not_found("No such account."));
      return fail(Error::conflict("This code has already been used."));
    }));
  }

  Status delete_user_sessions(std::int64_t user_id) override {
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("DELETE FROM sessions WHERE user_id = ?1");
      if (auto s = q.bind(1, user_id).run(); !s) return fail(s.error());
      return db.changes();
    });
    forget_sessions([&](const domain::Session& s) { return s.user_id == user_id; });
    return to_status(r);
  }

  Status delete_case_sessions(std::int64_t case_id) override {
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("DELETE FROM sessions WHERE case_id = ?1 AND role = 'complainant'");
      if (auto s = q.bind(1, case_id).run(); !s) return fail(s.error());
      return db.changes();
    });
    forget_sessions([&](const domain::Session& s) {
      return s.role == domain::Role::kComplainant && s.case_id == case_id;
    });
    return to_status(r);
  }

  // ---- sessions ----

  Status create_session(const domain::Session& s) override {
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO sessions (token_hash, role, case_id, user_id, org_id, csrf_token, "
          "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      q.bind(1, s.token_hash)
          .bind(2, db_name(s.role))
          .bind(3, s.case_id)
          .bind(4, s.user_id)
          .bind(5, s.org_id)
          .bind(6, s.csrf_token)
          .bind(7, encode_time(s.created_at))
          .bind(8, encode_time(s.expires_at));
      if (auto st = q.run(); !st) return fail(st.error());
      // Expired sessions are refused on read and swept here, in the same transaction as a
      // sign-in, so reads never have to write (sessions_by_expiry keeps this cheap).
      auto sweep = db.query("DELETE FROM sessions WHERE expires_at <= ?1");
      if (auto st = sweep.bind(1, encode_time(s.created_at)).run(); !st) return fail(st.error());
      return 0;
    });
    forget_sessions(
        [&](const domain::Session& cached) { return cached.expires_at <= s.created_at; });
    if (!r) return fail(r.error());
    std::lock_guard lock(mu_);
    remember_locked(s);
    return {};
  }

  Result<std::optional<domain::Session>> find_session(std::string_view token_hash) override {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mu_);
      if (auto it = sessions_.find(std::string(token_hash)); it != sessions_.end()) {
        return std::optional<domain::Session>(it->second);
      }
      generation = generation_;
    }
    auto found = read_session(token_hash);
    if (found && found->has_value()) {
      std::lock_guard lock(mu_);
      if (generation == generation_) remember_locked(**found);
    }
    return found;
  }

  Status delete_session(std::string_view token_hash) override {
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("DELETE FROM sessions WHERE token_hash = ?1");
      if (auto st = q.bind(1, token_hash).run(); !st) return fail(st.error());
      return 0;
    });
    forget_sessions([&](const domain::Session& s) { return s.token_hash == token_hash; });
    return to_status(r);
  }

 private:
  Result<std::optional<domain::Session>> read_session(std::string_view token_hash) {
    auto db = db_.lease();
    auto q = db->query(
        "SELECT token_hash, role, case_id, user_id, org_id, csrf_token, created_at, expires_at "
        "FROM sessions WHERE token_hash = ?1");
    q.bind(1, token_hash);
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<domain::Session>();
    domain::Session s;
    s.token_hash = q.text(0);
    const auto role = parse_db_name<domain::Role>(q.text(1));
    if (!role) return fail(corrupt());
    s.role = *role;
    s.case_id = q.optional_int64(2);
    s.user_id = q.optional_int64(3);
    s.org_id = q.optional_int64(4);
    s.csrf_token = q.text(5);
    s.created_at = decode_time(q.int64(6));
    s.expires_at = decode_time(q.int64(7));
    return std::optional<domain::Session>(std::move(s));
  }

  // After a session write (committed or not: a failed write may still have reached the disk
  // when the commit's answer was lost), drop what it may have changed.
  template <class Pred>
  void forget_sessions(Pred pred) {
    std::lock_guard lock(mu_);
    ++generation_;
    std::erase_if(sessions_, [&](const auto& kv) { return pred(kv.second); });
  }

  void remember_locked(const domain::Session& s) {
    if (sessions_.size() >= kMaxCachedSessions) sessions_.clear();
    sessions_.insert_or_assign(s.token_hash, s);
  }

  std::string seal_totp(std::int64_t user_id, std::string_view secret) const {
    return db_.cipher().seal(secret, totp_secret_ad(user_id));
  }

  Result<domain::User> read_user(const Query& q) const {
    domain::User u;
    u.id = q.int64(0);
    u.email = q.text(1);
    const auto role = parse_db_name<domain::Role>(q.text(2));
    if (!role) return fail(corrupt());
    u.role = *role;
    u.org_id = q.optional_int64(3);
    u.password_hash = q.text(4);
    u.disabled = q.int64(5) != 0;
    u.created_at = decode_time(q.int64(6));
    if (!q.is_null(7)) {
      auto secret = db_.cipher().open(q.blob(7), totp_secret_ad(u.id));
      if (!secret) return fail(corrupt());
      u.totp_secret = std::move(*secret);
    }
    u.totp_last_step = q.int64(8);
    return u;
  }

  Database& db_;
  std::mutex mu_;
  std::unordered_map<std::string, domain::Session> sessions_;  // GUARDED_BY(mu_)
  std::uint64_t generation_ = 0;                               // GUARDED_BY(mu_)
};

}  // namespace

std::unique_ptr<domain::AccountStore> make_account_store(Database& db) {
  return std::make_unique<SqliteAccountStore>(db);
}

}  // namespace grievance::storage
