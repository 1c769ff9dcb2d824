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
#include <type_traits>
#include <unordered_map>
#include <variant>

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
// By id, not by e-mail: changing an account's address keeps its second factor readable.
std::string totp_secret_ad(std::int64_t user_id) {
  return "users.totp_secret:" + std::to_string(user_id);
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

// The case list never shows narrative or contact: NULL in their places (nothing to read,
// nothing to decrypt), the column positions of kCaseColumns otherwise.
const std::string kListColumns =
    "c.id, c.reference, c.access_code_hmac, c.language, c.categories, NULL, c.site_id, c.place, "
    "c.country, c.incident_date, c.anonymous, NULL, c.mandate_follow, c.mandate_share_identity, "
    "c.mandate_collective, c.mandate_headcount, c.channel, c.union_org_id, c.status, c.ack_due, "
    "c.response_due, c.resolution_due, c.created_at, c.updated_at, c.content_sha256";
// The order of a case's parties: the responsible company first, then the buyers by id.
constexpr std::string_view kPartyOrder = "role = 'buyer', org_id";

const std::string kSelectOrganisations =
    "SELECT id, kind, name, country, disabled FROM organisations";
const std::string kSelectSites =
    "SELECT id, name, country, region, sector, operator_org_id, disabled FROM sites";
const std::string kSelectSupplyLinks =
    "SELECT id, supplier_org_id, buyer_org_id, sector, disabled FROM supply_links";
const std::string kSelectUsers =
    "SELECT id, email, role, org_id, password_hash, disabled, created_at, totp_secret, "
    "totp_last_step FROM users";

// SQL for "overdue at `now`" (a placeholder) over cases aliased c, as domain::is_overdue and
// the CaseStore contract define it. Only the storage layer's own status names are inlined.
std::string overdue_condition(const std::string& now) {
  using S = domain::CaseStatus;
  const auto name = [](S s) { return "'" + std::string(db_name(s)) + "'"; };
  return "((c.status = " + name(S::kReceived) + " AND c.ack_due < " + now + ") OR (c.status IN (" +
         name(S::kReceived) + ", " + name(S::kAcknowledged) + ") AND c.response_due < " + now +
         ") OR (c.status NOT IN (" + name(S::kResolved) + ", " + name(S::kClosed) + ", " +
         name(S::kRejected) + ", " + name(S::kWithdrawn) + ", " + name(S::kEscalated) +
         ") AND c.resolution_due < " + now + "))";
}

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

// Organisations and supply links are read on every filing (routing walks them) and change
// only by an admin's hand: both lists are kept in memory and dropped whenever this store
// writes either table. A list read while a change is being written is not kept (the
// generation moved), so the cache never holds anything older than the last returned write.
// Other processes never write these tables (`grievance admin create-user` writes users only).
class DirectoryCache {
 public:
  std::optional<std::vector<domain::Organisation>> organisations;  // GUARDED_BY(mu_)
  std::optional<std::vector<domain::SupplyLink>> links;            // GUARDED_BY(mu_)

  template <class T, class Load>
  Result<std::vector<T>> get(std::optional<std::vector<T>>& slot, Load load) {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mu_);
      if (slot) return *slot;
      generation = generation_;
    }
    auto loaded = load();
    if (loaded) {
      std::lock_guard lock(mu_);
      if (generation == generation_ && changing_ == 0) slot = *loaded;
    }
    return loaded;
  }
  void begin_change() {
    std::lock_guard lock(mu_);
    ++changing_;
    drop_locked();
  }
  void end_change() {
    std::lock_guard lock(mu_);
    --changing_;
    drop_locked();
  }

 private:
  void drop_locked() {
    ++generation_;
    organisations.reset();
    links.reset();
  }
  std::mutex mu_;
  std::uint64_t generation_ = 0;  // GUARDED_BY(mu_)
  int changing_ = 0;              // GUARDED_BY(mu_): writes in flight
};

// Brackets a write to organisations or supply links (whether it succeeds or not).
class DirectoryChange {
 public:
  explicit DirectoryChange(DirectoryCache& cache) : cache_(cache) { cache_.begin_change(); }
  ~DirectoryChange() { cache_.end_change(); }
  DirectoryChange(const DirectoryChange&) = delete;
  DirectoryChange& operator=(const DirectoryChange&) = delete;

 private:
  DirectoryCache& cache_;
};

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
    const SealedCase sealed = seal_case(c);
    return submit(
        [&](Connection& db) -> Result<std::int64_t> { return insert_case(db, c, sealed, events); });
  }

  Result<std::vector<std::int64_t>> create_cases(const std::vector<NewCase>& cases) override {
    if (cases.empty()) return std::vector<std::int64_t>();
    std::vector<SealedCase> sealed;
    sealed.reserve(cases.size());
    for (const NewCase& n : cases) sealed.push_back(seal_case(n.c));
    std::vector<std::int64_t> ids;
    // ONE write job, so one savepoint: a conflict on any case rolls back every case of the
    // batch, and the batch commits (or not) as a whole with the group it lands in.
    auto r = submit([&](Connection& db) -> Result<std::int64_t> {
      ids.clear();
      ids.reserve(cases.size());
      for (std::size_t i = 0; i < cases.size(); ++i) {
        auto id = insert_case(db, cases[i].c, sealed[i], cases[i].events);
        if (!id) return id;
        ids.push_back(*id);
      }
      return static_cast<std::int64_t>(ids.size());
    });
    if (!r) return fail(r.error());
    return ids;
  }

  Status add_case_parties(std::int64_t case_id, const std::vector<domain::CaseParty>& parties,
                          const std::vector<CaseEvent>& events) override {
    return to_status(submit([&](Connection& db) -> Result<std::int64_t> {
      auto head = read_chain_head(db, case_id);
      if (!head) return fail(head.error());
      {
        auto q = db.query("SELECT count(*) FROM case_parties WHERE case_id = ?1");
        auto row = q.bind(1, case_id).step();
        if (!row) return fail(row.error());
        if (q.int64(0) > 0) return fail(Error::conflict("The case has already been routed."));
      }
      if (auto s = insert_parties(db, case_id, parties); !s) return fail(s.error());
      if (events.empty()) return 0;
      for (const CaseEvent& e : events) {
        if (auto id = insert_event(db, case_id, *head, e); !id) return id;
      }
      auto u = db.query(
          "UPDATE cases SET event_count = ?2, last_event_hash = ?3, updated_at = ?4 "
          "WHERE id = ?1");
      u.bind(1, case_id)
          .bind(2, head->count)
          .bind(3, head->hash)
          .bind(4, encode_time(events.back().at));
      if (auto s = u.run(); !s) return fail(s.error());
      return 0;
    }));
  }

  Result<std::vector<Case>> list_cases(const domain::CaseQuery& cq) override {
    std::vector<Case> out;
    if (cq.limit <= 0) return out;
    // The SQL varies with the filters present, but every value is a bound parameter: only
    // placeholders and the storage layer's own constants are ever concatenated.
    std::vector<std::variant<std::int64_t, std::string>> args;
    const auto arg = [&](std::variant<std::int64_t, std::string> v) {
      args.push_back(std::move(v));
      return "?" + std::to_string(args.size());
    };
    // A company's list (the scope, or the company filter) is driven by its case_parties_by_org
    // range, already in list order (sp.created_at and sp.case_id equal c.created_at and c.id).
    const std::optional<std::int64_t> party =
        cq.scope_party_org_id ? cq.scope_party_org_id : cq.company_org_id;
    std::string sql = "SELECT " + kListColumns;
    std::string order_time = "c.created_at", order_id = "c.id";
    if (party) {
      sql += " FROM case_parties sp JOIN cases c ON c.id = sp.case_id WHERE sp.org_id = " +
             arg(*party);
      order_time = "sp.created_at";
      order_id = "sp.case_id";
    } else {
      sql += " FROM cases c WHERE 1";
    }
    if (cq.scope_party_org_id && cq.company_org_id) {
      sql += " AND c.id IN (SELECT case_id FROM case_parties WHERE org_id = " +
             arg(*cq.company_org_id) + ")";
    }
    if (cq.scope_union_org_id) sql += " AND c.union_org_id = " + arg(*cq.scope_union_org_id);
    if (cq.status) sql += " AND c.status = " + arg(std::string(db_name(*cq.status)));
    if (cq.site_id) sql += " AND c.site_id = " + arg(*cq.site_id);
    if (!cq.country.empty()) sql += " AND c.country = " + arg(cq.country);
    if (cq.sector) {
      sql += " AND c.site_id IN (SELECT id FROM sites WHERE sector = " +
             arg(std::string(db_name(*cq.sector))) + ")";
    }
    if (cq.category) {
      // categories is "wages,health_safety": match a whole element, never a part of one.
      sql += " AND instr(',' || c.categories || ',', " +
             arg("," + std::string(db_name(*cq.category)) + ",") + ") > 0";
    }
    if (cq.overdue) {
      sql += *cq.overdue ? " AND " : " AND NOT ";
      sql += overdue_condition(arg(encode_time(cq.now)));
    }
    if (cq.triage) sql += " AND NOT EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id)";
    if (!cq.q.empty()) {
      // instr() rather than LIKE: the user's text is never a pattern ('%' and '_' are
      // literal). lower() folds ASCII only, as lower_ascii() does.
      const std::string needle = arg(lower_ascii(cq.q));
      sql += " AND (instr(lower(c.reference), " + needle + ") > 0 OR instr(lower(c.place), " +
             needle + ") > 0 OR c.site_id IN (SELECT id FROM sites WHERE instr(lower(name), " +
             needle + ") > 0))";
    }
    if (cq.after) {
      sql += " AND (" + order_time + ", " + order_id + ") < (" + arg(encode_time(cq.after->first)) +
             ", " + arg(cq.after->second) + ")";
    }
    sql += " ORDER BY " + order_time + " DESC, " + order_id + " DESC LIMIT " +
           arg(std::int64_t{cq.limit});

    auto db = lease();
    ReadSnapshot snapshot(*db);  // the parties belong to the same state as the cases
    {
      auto q = db->prepare(sql);
      for (std::size_t i = 0; i < args.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        std::visit([&](const auto& v) { q.bind(index, v); }, args[i]);
      }
      for (;;) {
        auto row = q.step();
        if (!row) return fail(row.error());
        if (!*row) break;
        auto c = read_case_row(q, /*open_sealed=*/false);
        if (!c) return fail(c.error());
        out.push_back(std::move(*c));
      }
    }
    if (out.empty()) return out;
    // One query for the parties of the whole page, not one per case.
    std::string parties_sql = "SELECT case_id, org_id, role FROM case_parties WHERE case_id IN (";
    for (std::size_t i = 0; i < out.size(); ++i) {
      parties_sql += (i == 0 ? "?" : ", ?") + std::to_string(i + 1);
    }
    parties_sql += ") ORDER BY case_id, " + std::string(kPartyOrder);
    auto q = db->prepare(parties_sql);
    std::unordered_map<std::int64_t, std::size_t> index_of;
    for (std::size_t i = 0; i < out.size(); ++i) {
      q.bind(static_cast<int>(i) + 1, out[i].id);
      index_of.emplace(out[i].id, i);
    }
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      const auto role = parse_db_name<domain::PartyRole>(q.text(2));
      const auto it = index_of.find(q.int64(0));
      if (!role || it == index_of.end()) return fail(corrupt());
      out[it->second].parties.push_back(domain::CaseParty{q.int64(1), *role});
    }
    return out;
  }
  Result<std::int64_t> append_event(std::int64_t case_id, const CaseEvent& event,
                                    std::optional<domain::CaseStatus> new_status) override {
    return submit([&](Connection& db) -> Result<std::int64_t> {
      auto head = read_chain_head(db, case_id);
      if (!head) return fail(head.error());
      auto id = insert_event(db, case_id, *head, event);
      if (!id) return id;
      auto u = db.query(
          "UPDATE cases SET event_count = ?2, last_event_hash = ?3, updated_at = ?4, "
          "status = coalesce(?5, status) WHERE id = ?1");
      u.bind(1, case_id).bind(2, head->count).bind(3, head->hash).bind(4, encode_time(event.at));
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
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseByReference);
    return read_case(*db, q.bind(1, reference));
  }

  Result<std::optional<Case>> find_case(std::int64_t case_id) override {
    auto db = lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseById);
    return read_case(*db, q.bind(1, case_id));
  }

  Result<std::optional<Case>> find_case_by_filing_key(std::string_view key_hash) override {
    auto db = lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseByFilingKey);
    return read_case(*db, q.bind(1, key_hash));
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

  // ---- sites, organisations, supply links ----

  Result<std::int64_t> create_organisation(const domain::Organisation& o) override {
    DirectoryChange change(directory_);
    return submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO organisations (kind, name, country, disabled) VALUES (?1, ?2, ?3, ?4)");
      q.bind(1, db_name(o.kind))
          .bind(2, o.name)
          .bind(3, o.country)
          .bind(4, std::int64_t{o.disabled});
      if (auto s = q.run(); !s) return fail(s.error());
      return db.last_insert_rowid();
    });
  }

  Result<std::optional<domain::Organisation>> find_organisation(std::int64_t id) override {
    auto db = lease();
    auto q = db->query(kSelectOrganisations + " WHERE id = ?1");
    return read_one(q.bind(1, id), read_organisation);
  }

  Result<std::vector<domain::Organisation>> list_organisations() override {
    return directory_.get(directory_.organisations, [&] {
      auto db = lease();
      auto q = db->query(kSelectOrganisations + " ORDER BY name, id");
      return read_all(q, read_organisation);
    });
  }

  Status update_organisation(const domain::Organisation& o) override {
    DirectoryChange change(directory_);
    return to_status(submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE organisations SET kind = ?2, name = ?3, country = ?4, disabled = ?5 "
          "WHERE id = ?1");
      q.bind(1, o.id)
          .bind(2, db_name(o.kind))
          .bind(3, o.name)
          .bind(4, o.country)
          .bind(5, std::int64_t{o.disabled});
      return changed_one(db, q.run(), "No such organisation.");
    }));
  }

  Result<std::int64_t> create_site(const domain::Site& s) override {
    return submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO sites (name, country, region, sector, operator_org_id, disabled) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      q.bind(1, s.name)
          .bind(2, s.country)
          .bind(3, s.region)
          .bind(4, db_name(s.sector))
          .bind(5, s.operator_org_id)
          .bind(6, std::int64_t{s.disabled});
      if (auto st = q.run(); !st) return fail(st.error());
      return db.last_insert_rowid();
    });
  }

  Result<std::optional<domain::Site>> find_site(std::int64_t id) override {
    auto db = lease();
    auto q = db->query(kSelectSites + " WHERE id = ?1");
    return read_one(q.bind(1, id), read_site);
  }

  Result<std::vector<domain::Site>> list_sites() override {
    auto db = lease();
    auto q = db->query(kSelectSites + " ORDER BY country, name, id");
    return read_all(q, read_site);
  }

  Status update_site(const domain::Site& s) override {
    return to_status(submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE sites SET name = ?2, country = ?3, region = ?4, sector = ?5, "
          "operator_org_id = ?6, disabled = ?7 WHERE id = ?1");
      q.bind(1, s.id)
          .bind(2, s.name)
          .bind(3, s.country)
          .bind(4, s.region)
          .bind(5, db_name(s.sector))
          .bind(6, s.operator_org_id)
          .bind(7, std::int64_t{s.disabled});
      return changed_one(db, q.run(), "No such site.");
    }));
  }

  Result<std::vector<domain::Site>> search_sites(std::string_view query, std::string_view country,
                                                 int limit) override {
    auto db = lease();
    // instr() rather than LIKE: the user's text is never a pattern. lower() folds ASCII only.
    auto q = db->query(kSelectSites +
                       " WHERE disabled = 0 AND (?1 = '' OR instr(lower(name), lower(?1)) > 0 OR "
                       "instr(lower(region), lower(?1)) > 0) AND (?2 = '' OR country = ?2) "
                       "ORDER BY country, name, id LIMIT ?3");
    q.bind(1, query).bind(2, country).bind(3, std::int64_t{std::max(0, limit)});
    return read_all(q, read_site);
  }

  Result<std::int64_t> create_supply_link(const domain::SupplyLink& l) override {
    DirectoryChange change(directory_);
    return submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "INSERT INTO supply_links (supplier_org_id, buyer_org_id, sector, disabled) "
          "VALUES (?1, ?2, ?3, ?4)");
      q.bind(1, l.supplier_org_id)
          .bind(2, l.buyer_org_id)
          .bind(3, l.sector ? std::optional<std::string_view>(db_name(*l.sector)) : std::nullopt)
          .bind(4, std::int64_t{l.disabled});
      if (auto s = q.run(); !s) return fail(s.error());
      return db.last_insert_rowid();
    });
  }

  Result<std::optional<domain::SupplyLink>> find_supply_link(std::int64_t id) override {
    auto db = lease();
    auto q = db->query(kSelectSupplyLinks + " WHERE id = ?1");
    return read_one(q.bind(1, id), read_supply_link);
  }

  Result<std::vector<domain::SupplyLink>> list_supply_links() override {
    return directory_.get(directory_.links, [&] {
      auto db = lease();
      auto q = db->query(kSelectSupplyLinks + " ORDER BY id");
      return read_all(q, read_supply_link);
    });
  }

  Status update_supply_link(const domain::SupplyLink& l) override {
    DirectoryChange change(directory_);
    return to_status(submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query(
          "UPDATE supply_links SET supplier_org_id = ?2, buyer_org_id = ?3, sector = ?4, "
          "disabled = ?5 WHERE id = ?1");
      q.bind(1, l.id)
          .bind(2, l.supplier_org_id)
          .bind(3, l.buyer_org_id)
          .bind(4, l.sector ? std::optional<std::string_view>(db_name(*l.sector)) : std::nullopt)
          .bind(5, std::int64_t{l.disabled});
      auto s = q.run();
      if (!s) return fail(s.error());
      return changed_one(db, s, "No such supply link.");
    }));
  }

  // ---- staff accounts ----

  Result<std::int64_t> create_user(const domain::User& u) override {
    const std::string email = lower_ascii(u.email);
    return submit([&](Connection& db) -> Result<std::int64_t> {
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
    auto db = lease();
    auto q = db->query(kSelectUsers + " WHERE email = ?1");
    return read_one(q.bind(1, lower_ascii(email)),
                    [this](const Query& row) { return read_user(row); });
  }

  Result<std::optional<domain::User>> find_user(std::int64_t id) override {
    auto db = lease();
    auto q = db->query(kSelectUsers + " WHERE id = ?1");
    return read_one(q.bind(1, id), [this](const Query& row) { return read_user(row); });
  }

  Result<std::vector<domain::User>> list_users() override {
    auto db = lease();
    auto q = db->query(kSelectUsers + " ORDER BY email");
    return read_all(q, [this](const Query& row) { return read_user(row); });
  }

  Status update_user(const domain::User& u) override {
    const std::string email = lower_ascii(u.email);
    const std::optional<std::string> totp =
        u.totp_secret.empty() ? std::nullopt : std::optional(seal_totp(u.id, u.totp_secret));
    return to_status(submit([&](Connection& db) -> Result<std::int64_t> {
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
    return to_status(submit([&](Connection& db) -> Result<std::int64_t> {
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
    return to_status(submit([&](Connection& db) -> Result<std::int64_t> {
      auto q = db.query("DELETE FROM sessions WHERE user_id = ?1");
      if (auto s = q.bind(1, user_id).run(); !s) return fail(s.error());
      return db.changes();
    }));
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

  // A case's sealed fields, sealed in the caller's thread before the write is queued.
  struct SealedCase {
    std::string narrative;
    std::optional<std::string> contact;
  };

  SealedCase seal_case(const Case& c) const {
    SealedCase s;
    s.narrative = cipher_.seal(c.complaint.narrative, narrative_ad(c.reference));
    if (c.complaint.contact && !c.complaint.contact->empty()) {
      s.contact = cipher_.seal(encode_contact(*c.complaint.contact), contact_ad(c.reference));
    }
    return s;
  }

  std::string seal_totp(std::int64_t user_id, std::string_view secret) const {
    return cipher_.seal(secret, totp_secret_ad(user_id));
  }

  // Writer thread only: the case row, its filing key, its parties and its first events.
  Result<std::int64_t> insert_case(Connection& db, const Case& c, const SealedCase& sealed,
                                   const std::vector<CaseEvent>& events) {
    const auto& k = c.complaint;
    auto q = db.query(kInsertCase);
    q.bind(1, c.reference)
        .bind(2, c.access_code_hmac)
        .bind(3, db_name(k.language))
        .bind(4, encode_categories(k.categories))
        .bind_blob(5, sealed.narrative)
        .bind(6, k.site_id)
        .bind(7, k.place)
        .bind(8, k.country)
        .bind(9, k.incident_date ? std::optional<std::string>(encode_date(*k.incident_date))
                                 : std::nullopt)
        .bind(10, std::int64_t{k.anonymous});
    if (sealed.contact) {
      q.bind_blob(11, *sealed.contact);
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
      auto f =
          db.query("INSERT INTO filing_keys (key_hash, case_id, created_at) VALUES (?1, ?2, ?3)");
      if (auto s = f.bind(1, c.filing_key_hash)
                       .bind(2, case_id)
                       .bind(3, encode_time(c.created_at))
                       .run();
          !s) {
        return fail(s.error());
      }
    }
    if (auto s = insert_parties(db, case_id, c.parties); !s) return fail(s.error());
    ChainHead head{0, std::string(kZeroHash)};
    for (const CaseEvent& e : events) {
      if (auto r = insert_event(db, case_id, head, e); !r) return fail(r.error());
    }
    auto u = db.query("UPDATE cases SET event_count = ?2, last_event_hash = ?3 WHERE id = ?1");
    if (auto s = u.bind(1, case_id).bind(2, head.count).bind(3, head.hash).run(); !s) {
      return fail(s.error());
    }
    return case_id;
  }

  // Writer thread only. A duplicate company or a second responsible one is kConflict.
  static Status insert_parties(Connection& db, std::int64_t case_id,
                               const std::vector<domain::CaseParty>& parties) {
    for (const domain::CaseParty& p : parties) {
      auto q = db.query(
          "INSERT INTO case_parties (case_id, org_id, role, created_at) "
          "SELECT ?1, ?2, ?3, created_at FROM cases WHERE id = ?1");
      if (auto s = q.bind(1, case_id).bind(2, p.org_id).bind(3, db_name(p.role)).run(); !s) {
        return s;
      }
    }
    return {};
  }

  static Result<ChainHead> read_chain_head(Connection& db, std::int64_t case_id) {
    auto q = db.query("SELECT event_count, last_event_hash FROM cases WHERE id = ?1");
    auto row = q.bind(1, case_id).step();
    if (!row) return fail(row.error());
    if (!*row) return fail(Error::not_found("No such case."));
    return ChainHead{q.int64(0), q.text(1)};
  }

  static Result<std::vector<domain::CaseParty>> load_parties(Connection& db, std::int64_t case_id) {
    auto q = db.query("SELECT org_id, role FROM case_parties WHERE case_id = ?1 ORDER BY " +
                      std::string(kPartyOrder));
    q.bind(1, case_id);
    std::vector<domain::CaseParty> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      const auto role = parse_db_name<domain::PartyRole>(q.text(1));
      if (!role) return fail(corrupt());
      out.push_back(domain::CaseParty{q.int64(0), *role});
    }
    return out;
  }

  // Steps `q` (a kCaseColumns select) once: the case with its parties, or nullopt.
  Result<std::optional<Case>> read_case(Connection& db, Query& q) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<Case>();
    auto c = read_case_row(q, /*open_sealed=*/true);
    if (!c) return fail(c.error());
    auto parties = load_parties(db, c->id);
    if (!parties) return fail(parties.error());
    c->parties = std::move(*parties);
    return std::optional<Case>(std::move(*c));
  }

  // The current row of a kCaseColumns (open_sealed) or kListColumns select, without parties.
  Result<Case> read_case_row(const Query& q, bool open_sealed) const {
    Case c;
    auto& k = c.complaint;
    c.id = q.int64(0);
    c.reference = q.text(1);
    c.access_code_hmac = q.text(2);
    const auto language = parse_db_name<domain::Language>(q.text(3));
    auto categories = decode_categories(q.text(4));
    if (!language || !categories) return fail(corrupt());
    k.language = *language;
    k.categories = std::move(*categories);
    if (open_sealed) {
      auto narrative = cipher_.open(q.blob(5), narrative_ad(c.reference));
      if (!narrative) return fail(corrupt());
      k.narrative = std::move(*narrative);
    }
    k.site_id = q.optional_int64(6);
    k.place = q.text(7);
    k.country = q.text(8);
    if (auto d = q.optional_text(9)) {
      k.incident_date = decode_date(*d);
      if (!k.incident_date) return fail(corrupt());
    }
    k.anonymous = q.int64(10) != 0;
    if (open_sealed && !q.is_null(11)) {
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
    return c;
  }

  static Result<domain::Organisation> read_organisation(const Query& q) {
    domain::Organisation o;
    o.id = q.int64(0);
    const auto kind = parse_db_name<domain::OrgKind>(q.text(1));
    if (!kind) return fail(corrupt());
    o.kind = *kind;
    o.name = q.text(2);
    o.country = q.text(3);
    o.disabled = q.int64(4) != 0;
    return o;
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
    s.disabled = q.int64(6) != 0;
    return s;
  }

  static Result<domain::SupplyLink> read_supply_link(const Query& q) {
    domain::SupplyLink l;
    l.id = q.int64(0);
    l.supplier_org_id = q.int64(1);
    l.buyer_org_id = q.int64(2);
    if (auto s = q.optional_text(3)) {
      l.sector = parse_db_name<domain::Sector>(*s);
      if (!l.sector) return fail(corrupt());
    }
    l.disabled = q.int64(4) != 0;
    return l;
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
      auto secret = cipher_.open(q.blob(7), totp_secret_ad(u.id));
      if (!secret) return fail(corrupt());
      u.totp_secret = std::move(*secret);
    }
    u.totp_last_step = q.int64(8);
    return u;
  }

  // Steps `q` once and reads the row with `read`: the value, or nullopt when there is none.
  template <class F, class T = typename std::invoke_result_t<F, const Query&>::value_type>
  static Result<std::optional<T>> read_one(Query& q, F&& read) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<T>();
    auto v = read(static_cast<const Query&>(q));
    if (!v) return fail(v.error());
    return std::optional<T>(std::move(*v));
  }

  // Every row of `q`, each read with `read`.
  template <class F, class T = typename std::invoke_result_t<F, const Query&>::value_type>
  static Result<std::vector<T>> read_all(Query& q, F&& read) {
    std::vector<T> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      auto v = read(static_cast<const Query&>(q));
      if (!v) return fail(v.error());
      out.push_back(std::move(*v));
    }
    return out;
  }

  // An UPDATE by id that must have matched a row, else kNotFound.
  static Result<std::int64_t> changed_one(const Connection& db, const Status& ran,
                                          std::string_view not_found) {
    if (!ran) return fail(ran.error());
    if (db.changes() == 0) return fail(Error::not_found(std::string(not_found)));
    return 0;
  }

  static Status to_status(const Result<std::int64_t>& r) {
    if (!r) return fail(r.error());
    return {};
  }

  static Error user_error(Error e) {
    if (e.code == domain::ErrorCode::kConflict) {
      return Error::conflict("An account with this e-mail address exists.");
    }
    return e;
  }

  // One read transaction over several statements on a reader, so a case and its parties (or
  // a page of the list and its parties) come from the same snapshot.
  class ReadSnapshot {
   public:
    explicit ReadSnapshot(Connection& db) : db_(db) { (void)db_.query("BEGIN").run(); }
    ~ReadSnapshot() {
      if (db_.in_transaction()) (void)db_.query("COMMIT").run();
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

   private:
    Connection& db_;
  };

  // ---- read pool ----

  class ReaderLease {
   public:
    ReaderLease(SqliteCaseStore& store, Connection* db) : store_(store), db_(db) {}
    ~ReaderLease() { store_.release(db_); }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Connection* operator->() const { return db_; }
    Connection& operator*() const { return *db_; }

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
  DirectoryCache directory_;
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
