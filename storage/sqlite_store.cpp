#include "storage/sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "storage/codec.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"

namespace grievance::storage {
namespace {

using domain::Case;
using domain::CaseEvent;
using domain::Error;
using domain::fail;
using domain::Result;
using domain::Status;

constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
// Upper bound on writes per transaction, so one huge burst does not hold every caller until
// the whole burst is on disk (LevelDB caps its group size the same way).
constexpr std::size_t kMaxBatch = 512;

Error corrupt() { return Error::internal("A stored record could not be read."); }

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// ---- associated data: binds each ciphertext to its table, column and row -------------------

std::string narrative_ad(std::string_view reference) {
  return "cases.narrative:" + std::string(reference);
}
std::string contact_ad(std::string_view reference) {
  return "cases.contact:" + std::string(reference);
}
std::string event_body_ad(std::int64_t case_id, std::int64_t seq) {
  return "case_events.body:" + std::to_string(case_id) + ":" + std::to_string(seq);
}

// ---- the event hash chain ------------------------------------------------------------------

// An event as stored: the exact column values the chain hash covers.
struct EventRow {
  std::int64_t case_id = 0;
  std::int64_t seq = 0;
  std::int64_t at = 0;
  std::string type;
  std::string actor_role;
  std::optional<std::int64_t> actor_org_id;
  std::string visibility;
  std::optional<std::string> from_status;
  std::optional<std::string> to_status;
  std::string body;  // sealed
};

std::optional<std::string_view> opt_view(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

void put_field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
}
void put_optional_field(std::string& out, std::optional<std::string_view> v) {
  if (v) {
    put_field(out, *v);
  } else {
    out += '-';  // distinct from any length prefix: NULL is not the empty string
  }
}

// Length-prefixed, so no two different events have the same bytes.
std::string canonical_event(const EventRow& e) {
  std::string out = "grievance-event-v1\n";
  put_field(out, std::to_string(e.case_id));
  put_field(out, std::to_string(e.seq));
  put_field(out, std::to_string(e.at));
  put_field(out, e.type);
  put_field(out, e.actor_role);
  const std::string org = e.actor_org_id ? std::to_string(*e.actor_org_id) : std::string();
  put_optional_field(out, e.actor_org_id ? std::optional<std::string_view>(org) : std::nullopt);
  put_field(out, e.visibility);
  put_optional_field(out, opt_view(e.from_status));
  put_optional_field(out, opt_view(e.to_status));
  put_field(out, e.body);
  return out;
}

std::string chain_hash(const domain::Crypto& crypto, std::string_view prev_hash,
                       const EventRow& e) {
  return crypto.sha256_hex(std::string(prev_hash) + canonical_event(e));
}

// ---- column lists --------------------------------------------------------------------------

const std::string kCaseColumns =
    "id, reference, access_code_hmac, language, categories, narrative, site_id, place, country, "
    "incident_date, anonymous, contact, mandate_follow, mandate_share_identity, "
    "mandate_collective, mandate_headcount, channel, union_org_id, status, ack_due, "
    "response_due, resolution_due, created_at, updated_at, content_sha256";
const std::string kSelectCaseByReference =
    "SELECT " + kCaseColumns + " FROM cases WHERE reference = ?1";
const std::string kSelectCaseById = "SELECT " + kCaseColumns + " FROM cases WHERE id = ?1";
const std::string kSelectCaseByFilingKey = "SELECT " + kCaseColumns +
                                           " FROM cases WHERE id = (SELECT case_id FROM "
                                           "filing_keys WHERE key_hash = ?1)";

constexpr std::string_view kInsertCase =
    "INSERT INTO cases (reference, access_code_hmac, language, categories, narrative, site_id, "
    "place, country, incident_date, anonymous, contact, mandate_follow, mandate_share_identity, "
    "mandate_collective, mandate_headcount, channel, union_org_id, status, ack_due, "
    "response_due, resolution_due, created_at, updated_at, content_sha256) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
    "?23, ?24)";
constexpr std::string_view kInsertEvent =
    "INSERT INTO case_events (case_id, seq, at, type, actor_role, actor_org_id, visibility, "
    "from_status, to_status, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12)";
constexpr std::string_view kSelectEvents =
    "SELECT id, case_id, seq, at, type, actor_role, actor_org_id, visibility, from_status, "
    "to_status, body, prev_hash, hash FROM case_events WHERE case_id = ?1 ORDER BY seq";

// ---- the store -----------------------------------------------------------------------------

class SqliteCaseStore final : public SqliteStore {
 public:
  SqliteCaseStore(const domain::FieldCipher& cipher, const domain::Crypto& crypto)
      : cipher_(cipher), crypto_(crypto) {}

  ~SqliteCaseStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
  }

  Status open(const StoreOptions& options) {
    // Create the file ourselves so it (and the -wal/-shm files SQLite derives from it) are
    // readable by the server's user only.
    const int fd = ::open(options.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return fail(Error::unavailable("The database cannot be opened."));
    ::close(fd);

    auto writer = Connection::open(options.path, Connection::Mode::kReadWrite);
    if (!writer) return fail(writer.error());
    writer_ = std::move(*writer);
    // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL at each commit,
    // which is what makes a returned write survive SIGKILL and power loss (SPEC section 6).
    // secure_delete overwrites freed pages so erased personal data does not linger.
    if (auto s = writer_->exec(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
            "PRAGMA trusted_schema = OFF; PRAGMA secure_delete = ON;");
        !s) {
      return s;
    }
    {
      auto q = writer_->query("PRAGMA journal_mode");
      auto row = q.step();
      if (!row || !*row || q.text(0) != "wal") {
        return fail(Error::unavailable("The database cannot use write-ahead logging."));
      }
    }
    if (auto s = apply_migrations(*writer_); !s) return s;

    const int readers = std::max(1, options.read_connections);
    for (int i = 0; i < readers; ++i) {
      auto reader = Connection::open(options.path, Connection::Mode::kReadOnly);
      if (!reader) return fail(reader.error());
      if (auto s = (*reader)->exec("PRAGMA trusted_schema = OFF; PRAGMA query_only = ON;"); !s) {
        return s;
      }
      idle_readers_.push_back(reader->get());
      readers_.push_back(std::move(*reader));
    }
    writer_thread_ = std::thread([this] { writer_loop(); });
    return {};
  }

  StoreStats stats() const override {
    return StoreStats{writes_.load(std::memory_order_relaxed),
                      transactions_.load(std::memory_order_relaxed)};
  }

  // ---- cases ----

  Result<std::int64_t> create_case(const Case& c, const std::vector<CaseEvent>& events) override {
    // Seal in the caller's thread: the writer's time is the scarce resource.
    const std::string narrative = cipher_.seal(c.complaint.narrative, narrative_ad(c.reference));
    std::optional<std::string> contact;
    if (c.complaint.contact && !c.complaint.contact->empty()) {
      contact = cipher_.seal(encode_contact(*c.complaint.contact), contact_ad(c.reference));
    }
    return submit([&](Connection& db) -> Result<std::int64_t> {
      const auto& k = c.complaint;
      auto q = db.query(kInsertCase);
      q.bind(1, c.reference)
          .bind(2, c.access_code_hmac)
          .bind(3, db_name(k.language))
          .bind(4, encode_categories(k.categories))
          .bind_blob(5, narrative)
          .bind(6, k.site_id)
          .bind(7, k.place)
          .bind(8, k.country)
          .bind(9, k.incident_date ? std::optional<std::string>(encode_date(*k.incident_date))
                                   : std::nullopt)
          .bind(10, std::int64_t{k.anonymous});
      if (contact) {
        q.bind_blob(11, *contact);
      } else {
        q.bind_null(11);
      }
      if (k.mandate) {
        q.bind(12, std::int64_t{k.mandate->follow})
            .bind(13, std::int64_t{k.mandate->share_identity_with_company})
            .bind(14, std::int64_t{k.mandate->collective})
            .bind(15, std::int64_t{k.mandate->headcount});
      } else {
        q.bind_null(12).bind_null(13).bind_null(14).bind_null(15);
      }
      q.bind(16, db_name(k.channel))
          .bind(17, k.union_org_id)
          .bind(18, db_name(c.status))
          .bind(19, encode_time(c.deadlines.ack_due))
          .bind(20, encode_time(c.deadlines.response_due))
          .bind(21, encode_time(c.deadlines.resolution_due))
          .bind(22, encode_time(c.created_at))
          .bind(23, encode_time(c.updated_at))
          .bind(24, c.content_sha256);
      if (auto s = q.run(); !s) return fail(s.error());
      const std::int64_t case_id = db.last_insert_rowid();
      if (!c.filing_key_hash.empty()) {
        auto k =
            db.query("INSERT INTO filing_keys (key_hash, case_id, created_at) VALUES (?1, ?2, ?3)");
        if (auto s = k.bind(1, c.filing_key_hash)
                         .bind(2, case_id)
                         .bind(3, encode_time(c.created_at))
                         .run();
            !s) {
          return fail(s.error());
        }
      }
      ChainHead head{0, std::string(kZeroHash)};
      for (const CaseEvent& e : events) {
        if (auto r = insert_event(db, case_id, head, e); !r) return fail(r.error());
      }
      auto u = db.query("UPDATE cases SET event_count = ?2, last_event_hash = ?3 WHERE id = ?1");
      if (auto s = u.bind(1, case_id).bind(2, head.count).bind(3, head.hash).run(); !s) {
        return fail(s.error());
      }
      return case_id;
    });
  }

  Result<std::int64_t> append_event(std::int64_t case_id, const CaseEvent& event,
                                    std::optional<domain::CaseStatus> new_status) override {
    return submit([&](Connection& db) -> Result<std::int64_t> {
      ChainHead head;
      {
        auto q = db.query("SELECT event_count, last_event_hash FROM cases WHERE id = ?1");
        auto row = q.bind(1, case_id).step();
        if (!row) return fail(row.error());
        if (!*row) return fail(Error::not_found("No such case."));
        head = ChainHead{q.int64(0), q.text(1)};
      }
      auto id = insert_event(db, case_id, head, event);
      if (!id) return id;
      auto u = db.query(
          "UPDATE cases SET event_count = ?2, last_event_hash = ?3, updated_at = ?4, "
          "status = coalesce(?5, status) WHERE id = ?1");
      u.bind(1, case_id).bind(2, head.count).bind(3, head.hash).bind(4, encode_time(event.at));
      if (new_status) {
        u.bind(5, db_name(*new_status));
      } else {
        u.bind_null(5);
      }
      if (auto s = u.run(); !s) return fail(s.error());
      return id;
    });
  }

  Result<std::optional<Case>> find_case_by_reference(std::string_view reference) override {
    auto db = lease();
    auto q = db->query(kSelectCaseByReference);
    return read_case(q.bind(1, reference));
  }

  Result<std::optional<Case>> find_case(std::int64_t case_id) override {
    auto db = lease();
    auto q = db->query(kSelectCaseById);
    return read_case(q.bind(1, case_id));
  }

  Result<std::optional<Case>> find_case_by_filing_key(std::string_view key_hash) override {
    auto db = lease();
    auto q = db->query(kSelectCaseByFilingKey);
    return read_case(q.bind(1, key_hash));
  }

  Result<std::vector<CaseEvent>> case_events(std::int64_t case_id) override {
    auto db = lease();
    auto q = db->query(kSelectEvents);
    q.bind(1, case_id);
    std::vector<CaseEvent> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      CaseEvent e;
      e.id = q.int64(0);
      e.case_id = q.int64(1);
      e.seq = q.int64(2);
      e.at = decode_time(q.int64(3));
      const auto type = parse_db_name<domain::EventType>(q.text(4));
      const auto role = parse_db_name<domain::Role>(q.text(5));
      e.actor_org_id = q.optional_int64(6);
      const auto visibility = parse_db_name<domain::Visibility>(q.text(7));
      if (!type || !role || !visibility) return fail(corrupt());
      e.type = *type;
      e.actor_role = *role;
      e.visibility = *visibility;
      for (auto [column, target] : {std::pair{8, &e.from_status}, std::pair{9, &e.to_status}}) {
        if (auto s = q.optional_text(column)) {
          *target = parse_db_name<domain::CaseStatus>(*s);
          if (!*target) return fail(corrupt());
        }
      }
      auto body = cipher_.open(q.blob(10), event_body_ad(e.case_id, e.seq));
      if (!body) return fail(corrupt());
      e.body = std::move(*body);
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<std::int64_t> count_cases() override {
    auto db = lease();
    auto q = db->query("SELECT count(*) FROM cases");
    auto row = q.step();
    if (!row) return fail(row.error());
    return q.int64(0);
  }

  // ---- sites and organisations ----

  Result<std::int64_t> create_organisation(const domain::Organisation& o) override {
    return submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("INSERT INTO organisations (kind, name, country) VALUES (?1, ?2, ?3)");
      if (auto s = q.bind(1, db_name(o.kind)).bind(2, o.name).bind(3, o.country).run(); !s) {
        return fail(s.error());
      }
      return db.last_insert_rowid();
    });
  }

  Result<std::int64_t> create_site(const domain::Site& s) override {
    return submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO sites (name, country, region, sector, operator_org_id) "
          "VALUES (?1, ?2, ?3, ?4, ?5)");
      q.bind(1, s.name)
          .bind(2, s.country)
          .bind(3, s.region)
          .bind(4, db_name(s.sector))
          .bind(5, s.operator_org_id);
      if (auto st = q.run(); !st) return fail(st.error());
      return db.last_insert_rowid();
    });
  }

  Result<std::optional<domain::Site>> find_site(std::int64_t id) override {
    auto db = lease();
    auto q = db->query(
        "SELECT id, name, country, region, sector, operator_org_id FROM sites WHERE id = ?1");
    q.bind(1, id);
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<domain::Site>();
    auto site = read_site(q);
    if (!site) return fail(site.error());
    return std::optional<domain::Site>(std::move(*site));
  }

  Result<std::vector<domain::Site>> search_sites(std::string_view query, std::string_view country,
                                                 int limit) override {
    auto db = lease();
    // instr() rather than LIKE: the user's text is never a pattern. lower() folds ASCII only.
    auto q = db->query(
        "SELECT id, name, country, region, sector, operator_org_id FROM sites "
        "WHERE (?1 = '' OR instr(lower(name), lower(?1)) > 0 OR "
        "instr(lower(region), lower(?1)) > 0) AND (?2 = '' OR country = ?2) "
        "ORDER BY country, name LIMIT ?3");
    q.bind(1, query).bind(2, country).bind(3, std::int64_t{std::max(0, limit)});
    std::vector<domain::Site> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      auto site = read_site(q);
      if (!site) return fail(site.error());
      out.push_back(std::move(*site));
    }
    return out;
  }

  // ---- staff accounts ----

  Result<std::int64_t> create_user(const domain::User& u) override {
    const std::string email = lower_ascii(u.email);
    return submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO users (email, role, org_id, password_hash, disabled, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      q.bind(1, email)
          .bind(2, db_name(u.role))
          .bind(3, u.org_id)
          .bind(4, u.password_hash)
          .bind(5, std::int64_t{u.disabled})
          .bind(6, encode_time(u.created_at));
      if (auto s = q.run(); !s) {
        if (s.error().code == domain::ErrorCode::kConflict) {
          return fail(Error::conflict("An account with this e-mail address exists."));
        }
        return fail(s.error());
      }
      return db.last_insert_rowid();
    });
  }

  Result<std::optional<domain::User>> find_user_by_email(std::string_view email) override {
    auto db = lease();
    auto q = db->query(
        "SELECT id, email, role, org_id, password_hash, disabled, created_at FROM users "
        "WHERE email = ?1");
    q.bind(1, lower_ascii(email));
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<domain::User>();
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
    return std::optional<domain::User>(std::move(u));
  }

  // ---- sessions ----

  Status create_session(const domain::Session& s) override {
    auto r = submit([&](Connection& db) -> Result<std::int64_t> {
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
    if (!r) return fail(r.error());
    return {};
  }

  Result<std::optional<domain::Session>> find_session(std::string_view token_hash) override {
    auto db = lease();
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

  Status delete_session(std::string_view token_hash) override {
    auto r = submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("DELETE FROM sessions WHERE token_hash = ?1");
      if (auto st = q.bind(1, token_hash).run(); !st) return fail(st.error());
      return 0;
    });
    if (!r) return fail(r.error());
    return {};
  }

  bool healthy() override {
    auto db = lease();
    auto q = db->query("SELECT 1");
    auto row = q.step();
    return row && *row;
  }

 private:
  struct ChainHead {
    std::int64_t count = 0;
    std::string hash;
  };

  // Writer thread only: seals the body, links the event into the case's chain, inserts it.
  Result<std::int64_t> insert_event(Connection& db, std::int64_t case_id, ChainHead& head,
                                    const CaseEvent& e) {
    EventRow row;
    row.case_id = case_id;
    row.seq = head.count + 1;
    row.at = encode_time(e.at);
    row.type = db_name(e.type);
    row.actor_role = db_name(e.actor_role);
    row.actor_org_id = e.actor_org_id;
    row.visibility = db_name(e.visibility);
    if (e.from_status) row.from_status = std::string(db_name(*e.from_status));
    if (e.to_status) row.to_status = std::string(db_name(*e.to_status));
    row.body = cipher_.seal(e.body, event_body_ad(case_id, row.seq));
    const std::string hash = chain_hash(crypto_, head.hash, row);
    auto q = db.query(kInsertEvent);
    q.bind(1, row.case_id)
        .bind(2, row.seq)
        .bind(3, row.at)
        .bind(4, row.type)
        .bind(5, row.actor_role)
        .bind(6, row.actor_org_id)
        .bind(7, row.visibility)
        .bind(8, opt_view(row.from_status))
        .bind(9, opt_view(row.to_status))
        .bind_blob(10, row.body)
        .bind(11, head.hash)
        .bind(12, hash);
    if (auto s = q.run(); !s) return fail(s.error());
    head.count = row.seq;
    head.hash = hash;
    return db.last_insert_rowid();
  }

  Result<std::optional<Case>> read_case(Query& q) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<Case>();
    Case c;
    auto& k = c.complaint;
    c.id = q.int64(0);
    c.reference = q.text(1);
    c.access_code_hmac = q.text(2);
    const auto language = parse_db_name<domain::Language>(q.text(3));
    auto categories = decode_categories(q.text(4));
    auto narrative = cipher_.open(q.blob(5), narrative_ad(c.reference));
    if (!language || !categories || !narrative) return fail(corrupt());
    k.language = *language;
    k.categories = std::move(*categories);
    k.narrative = std::move(*narrative);
    k.site_id = q.optional_int64(6);
    k.place = q.text(7);
    k.country = q.text(8);
    if (auto d = q.optional_text(9)) {
      k.incident_date = decode_date(*d);
      if (!k.incident_date) return fail(corrupt());
    }
    k.anonymous = q.int64(10) != 0;
    if (!q.is_null(11)) {
      auto opened = cipher_.open(q.blob(11), contact_ad(c.reference));
      if (!opened) return fail(corrupt());
      k.contact = decode_contact(*opened);
      if (!k.contact) return fail(corrupt());
    }
    if (!q.is_null(12)) {
      k.mandate = domain::Mandate{q.int64(12) != 0, q.int64(13) != 0, q.int64(14) != 0,
                                  static_cast<int>(q.int64(15))};
    }
    const auto channel = parse_db_name<domain::Channel>(q.text(16));
    const auto status = parse_db_name<domain::CaseStatus>(q.text(18));
    if (!channel || !status) return fail(corrupt());
    k.channel = *channel;
    k.union_org_id = q.optional_int64(17);
    c.status = *status;
    c.deadlines = domain::Deadlines{decode_time(q.int64(19)), decode_time(q.int64(20)),
                                    decode_time(q.int64(21))};
    c.created_at = decode_time(q.int64(22));
    c.updated_at = decode_time(q.int64(23));
    c.content_sha256 = q.text(24);
    return std::optional<Case>(std::move(c));
  }

  static Result<domain::Site> read_site(const Query& q) {
    domain::Site s;
    s.id = q.int64(0);
    s.name = q.text(1);
    s.country = q.text(2);
    s.region = q.text(3);
    const auto sector = parse_db_name<domain::Sector>(q.text(4));
    if (!sector) return fail(corrupt());
    s.sector = *sector;
    s.operator_org_id = q.optional_int64(5);
    return s;
  }

  // ---- read pool ----

  class ReaderLease {
   public:
    ReaderLease(SqliteCaseStore& store, Connection* db) : store_(store), db_(db) {}
    ~ReaderLease() { store_.release(db_); }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Connection* operator->() const { return db_; }

   private:
    SqliteCaseStore& store_;
    Connection* db_;
  };

  ReaderLease lease() {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
    Connection* db = idle_readers_.back();
    idle_readers_.pop_back();
    return ReaderLease(*this, db);
  }

  void release(Connection* db) {
    {
      std::lock_guard lock(readers_mu_);
      idle_readers_.push_back(db);
    }
    readers_cv_.notify_one();
  }

  // ---- the single writer, group commit ----

  using WriteFn = std::function<Result<std::int64_t>(Connection&)>;
  struct PendingWrite {
    WriteFn fn;
    std::promise<Result<std::int64_t>> done;
  };

  // Queues `fn` for the writer thread and blocks until its transaction is durable (or failed).
  // `fn` runs on the writer thread inside a savepoint; what it captures by reference stays
  // alive because this function waits.
  Result<std::int64_t> submit(WriteFn fn) {
    PendingWrite w{std::move(fn), {}};
    auto result = w.done.get_future();
    {
      std::lock_guard lock(mu_);
      if (stopping_) return fail(Error::unavailable("The database is shutting down."));
      queue_.push_back(&w);
    }
    queue_cv_.notify_one();
    return result.get();
  }

  void writer_loop() {
    std::vector<PendingWrite*> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and every queued write has completed
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      commit_batch(batch);
      batch.clear();
    }
  }

  void commit_batch(const std::vector<PendingWrite*>& batch) {
    Connection& db = *writer_;
    std::vector<Result<std::int64_t>> results;
    results.reserve(batch.size());
    bool committed = false;
    if (db.exec("BEGIN IMMEDIATE")) {
      bool aborted = false;  // SQLite rolled the whole transaction back (I/O error, full disk)
      for (PendingWrite* w : batch) {
        if (aborted) {
          results.push_back(fail(Error::unavailable("The database is not available.")));
          continue;
        }
        // One savepoint per write: a failing write (a duplicate reference) is undone alone.
        if (auto s = db.query("SAVEPOINT write").run(); !s) {
          results.push_back(fail(s.error()));
          continue;
        }
        auto r = w->fn(db);
        if (!db.in_transaction()) {
          aborted = true;
        } else if (r) {
          (void)db.query("RELEASE write").run();
        } else {
          (void)db.query("ROLLBACK TO write").run();
          (void)db.query("RELEASE write").run();
        }
        results.push_back(std::move(r));
      }
      if (!aborted && db.exec("COMMIT")) {
        committed = true;
      } else if (db.in_transaction()) {
        (void)db.exec("ROLLBACK");
      }
    }
    if (committed) transactions_.fetch_add(1, std::memory_order_relaxed);
    writes_.fetch_add(batch.size(), std::memory_order_relaxed);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (i < results.size() && (committed || !results[i])) {
        batch[i]->done.set_value(std::move(results[i]));
      } else {
        // The write itself succeeded but its transaction did not reach the disk.
        batch[i]->done.set_value(fail(Error::unavailable("The database is not available.")));
      }
    }
  }

  const domain::FieldCipher& cipher_;
  const domain::Crypto& crypto_;

  std::unique_ptr<Connection> writer_;  // used only by writer_thread_ after open()
  std::thread writer_thread_;
  std::mutex mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingWrite*> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> transactions_{0};

  std::vector<std::unique_ptr<Connection>> readers_;  // owned; lent out through idle_readers_
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<Connection*> idle_readers_;  // GUARDED_BY(readers_mu_)
};

Status fsync_file(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return fail(Error::unavailable("The backup cannot be synced."));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return fail(Error::unavailable("The backup cannot be synced."));
  return {};
}

}  // namespace

domain::Result<std::unique_ptr<domain::CaseStore>> open_sqlite_store(
    const StoreOptions& options, const domain::FieldCipher& cipher, const domain::Crypto& crypto) {
  auto store = std::make_unique<SqliteCaseStore>(cipher, crypto);
  if (auto s = store->open(options); !s) return fail(s.error());
  return std::unique_ptr<domain::CaseStore>(std::move(store));
}

domain::Status backup_database(const std::string& db_path, const std::string& out_path) {
  namespace fs = std::filesystem;
  const std::string tmp = out_path + ".partial";
  std::error_code ec;
  fs::remove(tmp, ec);
  {
    auto src = Connection::open(db_path, Connection::Mode::kReadOnly);
    if (!src) return fail(src.error());
    const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return fail(Error::unavailable("The backup file cannot be created."));
    ::close(fd);
    auto dst = Connection::open(tmp, Connection::Mode::kReadWrite);
    if (!dst) return fail(dst.error());
    sqlite3_backup* backup =
        sqlite3_backup_init((*dst)->handle(), "main", (*src)->handle(), "main");
    if (backup == nullptr) {
      fs::remove(tmp, ec);
      return fail(Error::unavailable("The backup cannot start."));
    }
    // step(-1) copies every page inside one read transaction on the source: a snapshot.
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 100; ++attempt) {
      rc = sqlite3_backup_step(backup, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    sqlite3_backup_finish(backup);
    bool ok = rc == SQLITE_DONE;
    // A self-contained single file: no -wal beside it.
    if (ok) ok = static_cast<bool>((*dst)->exec("PRAGMA journal_mode = DELETE"));
    if (ok) {
      auto q = (*dst)->query("PRAGMA integrity_check");
      auto row = q.step();
      ok = row && *row && q.text(0) == "ok";
    }
    if (!ok) {
      dst->reset();
      fs::remove(tmp, ec);
      return fail(Error::unavailable("The backup failed."));
    }
  }
  if (auto s = fsync_file(tmp, false); !s) return s;
  if (::rename(tmp.c_str(), out_path.c_str()) != 0) {
    fs::remove(tmp, ec);
    return fail(Error::unavailable("The backup cannot be moved into place."));
  }
  const fs::path parent =
      fs::path(out_path).has_parent_path() ? fs::path(out_path).parent_path() : fs::path(".");
  return fsync_file(parent.string(), true);
}

domain::Result<std::vector<ChainBreak>> verify_event_chains(const std::string& db_path,
                                                            const domain::Crypto& crypto) {
  auto opened = Connection::open(db_path, Connection::Mode::kReadOnly);
  if (!opened) return fail(opened.error());
  Connection& db = **opened;
  // One read transaction: the chains are checked against one snapshot.
  if (auto s = db.exec("BEGIN"); !s) return fail(s.error());
  std::vector<ChainBreak> breaks;
  auto cases =
      db.query("SELECT id, reference, event_count, last_event_hash FROM cases ORDER BY id");
  for (;;) {
    auto row = cases.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const std::int64_t case_id = cases.int64(0);
    const std::string reference = cases.text(1);
    const std::int64_t event_count = cases.int64(2);
    const std::string head = cases.text(3);

    auto events = db.query(
        "SELECT seq, at, type, actor_role, actor_org_id, visibility, from_status, to_status, "
        "body, prev_hash, hash FROM case_events WHERE case_id = ?1 ORDER BY seq");
    events.bind(1, case_id);
    std::string prev(kZeroHash);
    std::int64_t expected_seq = 1;
    std::optional<ChainBreak> found;
    for (;;) {
      auto erow = events.step();
      if (!erow) return fail(erow.error());
      if (!*erow) break;
      EventRow e;
      e.case_id = case_id;
      e.seq = events.int64(0);
      e.at = events.int64(1);
      e.type = events.text(2);
      e.actor_role = events.text(3);
      e.actor_org_id = events.optional_int64(4);
      e.visibility = events.text(5);
      e.from_status = events.optional_text(6);
      e.to_status = events.optional_text(7);
      e.body = events.blob(8);
      if (e.seq != expected_seq) {
        found = ChainBreak{reference, expected_seq, "missing event"};
        break;
      }
      const std::string stored_hash = events.text(10);
      if (events.text(9) != prev || chain_hash(crypto, prev, e) != stored_hash) {
        found = ChainBreak{reference, e.seq, "hash mismatch"};
        break;
      }
      prev = stored_hash;
      ++expected_seq;
    }
    if (!found && expected_seq - 1 != event_count) {
      found = ChainBreak{reference, expected_seq, "missing event"};
    } else if (!found && prev != head) {
      found = ChainBreak{reference, event_count, "head mismatch"};
    }
    if (found) breaks.push_back(std::move(*found));
  }
  (void)db.exec("COMMIT");
  return breaks;
}

}  // namespace grievance::storage
