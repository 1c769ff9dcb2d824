// The SQLite CaseStore: cases, their parties and their hash-chained events.

#include "storage/sqlite/case_cache.hpp"
#include "storage/sqlite/case_facts_rows.hpp"
#include "storage/sqlite/case_rows.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/stats_rollup_rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Case;
using domain::CaseEvent;
using domain::Error;
using domain::fail;
using domain::Result;
using domain::Status;

const std::string kSelectCaseByReference =
    "SELECT " + std::string(kCaseColumns) + " FROM cases WHERE reference = ?1";
const std::string kSelectCaseById =
    "SELECT " + std::string(kCaseColumns) + " FROM cases WHERE id = ?1";
const std::string kSelectCaseByFilingKey = "SELECT " + std::string(kCaseColumns) +
                                           " FROM cases WHERE id = (SELECT case_id FROM "
                                           "filing_keys WHERE key_hash = ?1)";

// `place` stays '' (schema version 5): the place is in place_sealed.
constexpr std::string_view kInsertCase =
    "INSERT INTO cases (reference, access_code_hmac, language, categories, narrative, site_id, "
    "place_sealed, country, incident_date, anonymous, contact, mandate_follow, "
    "mandate_share_identity, mandate_collective, mandate_headcount, channel, union_org_id, "
    "status, ack_due, response_due, resolution_due, created_at, updated_at, content_sha256, "
    "next_check_at, identity) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";
constexpr std::string_view kUpdateCaseLife =
    "UPDATE cases SET status = ?2, outcome = ?3, settled_at = ?4, escalated_to = ?5, "
    "satisfaction = ?6, paused_since = ?7, retaliation = ?8, follow_up_due = ?9, "
    "next_check_at = ?10, ack_due = ?11, response_due = ?12, resolution_due = ?13, "
    "event_count = ?14, last_event_hash = ?15, updated_at = ?16, follow_up_answer = ?17, "
    "remedy_failed = ?18, identity = ?19, disclosure_requested_by = ?20 WHERE id = ?1";

class SqliteCaseStore final : public domain::CaseStore {
 public:
  SqliteCaseStore(Database& db, std::size_t cache_bytes) : db_(db), cache_(cache_bytes) {}

  Result<std::int64_t> create_case(const Case& c, const std::vector<CaseEvent>& events) override {
    // Seal in the caller's thread: the writer's time is the scarce resource.
    const SealedCase sealed = seal_case(c);
    return db_.submit(
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
    auto r = db_.submit([&](Connection& db) -> Result<std::int64_t> {
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
                          const std::vector<CaseEvent>& events,
                          const std::optional<AssignedClock>& clock) override {
    Drop drop(cache_, case_id);
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto head = read_chain_head(db, case_id);
      if (!head) return fail(head.error());
      {
        auto q = db.query("SELECT count(*) FROM case_parties WHERE case_id = ?1");
        auto row = q.bind(1, case_id).step();
        if (!row) return fail(row.error());
        if (q.int64(0) > 0) return fail(Error::conflict("The case has already been routed."));
      }
      if (auto s = insert_parties(db, case_id, parties); !s) return fail(s.error());
      if (clock) {
        auto d = db.query(
            "UPDATE cases SET ack_due = ?2, response_due = ?3, resolution_due = ?4, "
            "next_check_at = ?5 WHERE id = ?1");
        d.bind(1, case_id)
            .bind(2, encode_time(clock->deadlines.ack_due))
            .bind(3, encode_time(clock->deadlines.response_due))
            .bind(4, encode_time(clock->deadlines.resolution_due))
            .bind(5, encode_optional_time(clock->next_check_at));
        if (auto s = d.run(); !s) return fail(s.error());
      }
      if (events.empty()) return 0;
      for (const CaseEvent& e : events) {
        if (auto id = insert_event(db, db_.cipher(), db_.crypto(), case_id, *head, e); !id) {
          return id;
        }
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

  Result<std::int64_t> append_event(std::int64_t case_id, const CaseEvent& event,
                                    std::optional<domain::CaseStatus> new_status) override {
    Drop drop(cache_, case_id);
    return db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto head = read_chain_head(db, case_id);
      if (!head) return fail(head.error());
      auto id = insert_event(db, db_.cipher(), db_.crypto(), case_id, *head, event);
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

  Status replace_access_code(std::int64_t case_id, std::string_view access_code_hmac,
                             const CaseEvent& event, std::int64_t expected_events) override {
    Drop drop(cache_, case_id);
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto head = read_chain_head(db, case_id);
      if (!head) return fail(head.error());
      if (head->count != expected_events) {
        return fail(Error::conflict("The case changed meanwhile. Read it again."));
      }
      if (auto id = insert_event(db, db_.cipher(), db_.crypto(), case_id, *head, event); !id) {
        return id;
      }
      auto u = db.query(
          "UPDATE cases SET access_code_hmac = ?2, event_count = ?3, last_event_hash = ?4, "
          "updated_at = ?5 WHERE id = ?1");
      u.bind(1, case_id)
          .bind(2, access_code_hmac)
          .bind(3, head->count)
          .bind(4, head->hash)
          .bind(5, encode_time(event.at));
      if (auto s = u.run(); !s) return fail(s.error());
      if (db.changes() == 0) return fail(Error::not_found("No such case."));
      // The old code's sessions end with it, in the same transaction.
      auto d = db.query("DELETE FROM sessions WHERE case_id = ?1 AND role = 'complainant'");
      if (auto s = d.bind(1, case_id).run(); !s) return fail(s.error());
      return 0;
    }));
  }

  Status update_case(const Case& c, const std::vector<CaseEvent>& events,
                     std::int64_t expected_events) override {
    Drop drop(cache_, c.id);
    // The plan's texts are sealed in the caller's thread, like a new case's.
    struct SealedAction {
      std::string what;
      std::optional<std::string> done_note, verdict_note;
    };
    std::vector<SealedAction> sealed;
    for (const auto& a : c.remedy) {
      SealedAction s{db_.cipher().seal(a.what, remedy_ad("what", c.id, a.number)), {}, {}};
      if (!a.done_note.empty()) {
        s.done_note = db_.cipher().seal(a.done_note, remedy_ad("done_note", c.id, a.number));
      }
      if (!a.verdict_note.empty()) {
        s.verdict_note =
            db_.cipher().seal(a.verdict_note, remedy_ad("verdict_note", c.id, a.number));
      }
      sealed.push_back(std::move(s));
    }
    return to_status(db_.submit([&](Connection& db) -> Result<std::int64_t> {
      auto head = read_chain_head(db, c.id);
      if (!head) return fail(head.error());
      if (head->count != expected_events) {
        return fail(Error::conflict("The case changed meanwhile. Read it again."));
      }
      for (const CaseEvent& e : events) {
        if (auto id = insert_event(db, db_.cipher(), db_.crypto(), c.id, *head, e); !id) return id;
      }
      const auto outcome =
          c.outcome ? std::optional<std::string_view>(db_name(*c.outcome)) : std::nullopt;
      const auto body =
          c.escalated_to ? std::optional<std::string_view>(db_name(*c.escalated_to)) : std::nullopt;
      auto u = db.query(kUpdateCaseLife);
      u.bind(1, c.id)
          .bind(2, db_name(c.status))
          .bind(3, outcome)
          .bind(4, encode_optional_time(c.settled_at))
          .bind(5, body)
          .bind(6, c.satisfaction ? std::optional<std::int64_t>(*c.satisfaction) : std::nullopt)
          .bind(7, encode_optional_time(c.paused_since))
          .bind(8, std::int64_t{c.retaliation})
          .bind(9, encode_optional_time(c.follow_up_due))
          .bind(10, encode_optional_time(c.next_check_at))
          .bind(11, encode_time(c.deadlines.ack_due))
          .bind(12, encode_time(c.deadlines.response_due))
          .bind(13, encode_time(c.deadlines.resolution_due))
          .bind(14, head->count)
          .bind(15, head->hash)
          .bind(16, encode_time(events.empty() ? c.updated_at : events.back().at))
          .bind(17, c.follow_up_answer
                        ? std::optional<std::string_view>(db_name(*c.follow_up_answer))
                        : std::nullopt)
          .bind(18, std::int64_t{c.remedy_failed})
          .bind(19, db_name(c.identity))
          .bind(20, c.disclosure_requested_by);
      if (auto s = u.run(); !s) return fail(s.error());
      if (db.changes() == 0) return fail(Error::not_found("No such case."));
      // The plan is small: it is written whole.
      if (auto s = db.query("DELETE FROM remedy_actions WHERE case_id = ?1").bind(1, c.id).run();
          !s) {
        return fail(s.error());
      }
      for (std::size_t i = 0; i < c.remedy.size(); ++i) {
        const auto& a = c.remedy[i];
        auto q = db.query(
            "INSERT INTO remedy_actions (case_id, number, what, org_id, due_date, done_at, "
            "done_note, verdict, verdict_note, verdict_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
            "?8, ?9, ?10)");
        q.bind(1, c.id)
            .bind(2, std::int64_t{a.number})
            .bind_blob(3, sealed[i].what)
            .bind(4, a.org_id)
            .bind(5, encode_date(a.due))
            .bind(6, encode_optional_time(a.done_at));
        if (sealed[i].done_note) {
          q.bind_blob(7, *sealed[i].done_note);
        } else {
          q.bind_null(7);
        }
        q.bind(8, a.verdict ? std::optional<std::string_view>(db_name(*a.verdict)) : std::nullopt);
        if (sealed[i].verdict_note) {
          q.bind_blob(9, *sealed[i].verdict_note);
        } else {
          q.bind_null(9);
        }
        q.bind(10, encode_optional_time(a.verdict_at));
        if (auto s = q.run(); !s) return fail(s.error());
      }
      return 0;
    }));
  }

  Result<std::vector<Case>> cases_to_check(domain::TimePoint t, int limit) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);  // the parties belong to the same state as the cases
    return read_cases_to_check(*db, db_.cipher(), t, limit);
  }

  Result<std::vector<Case>> list_cases(const domain::CaseQuery& cq) override {
    if (cq.limit <= 0) return std::vector<Case>();
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);  // the parties belong to the same state as the cases
    return read_case_list(*db, db_.cipher(), cq);
  }

  Result<std::vector<Case>> list_register(const domain::RegisterQuery& rq) override {
    if (rq.limit <= 0) return std::vector<Case>();
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);  // the parties belong to the same state as the cases
    return read_register_list(*db, db_.cipher(), rq);
  }

  // From the cache, or from one read snapshot (case, parties, events) that then fills it.
  Result<std::optional<domain::CaseRecord>> read_case(std::string_view reference) override {
    if (auto cached = cache_.get(reference)) return cached;
    const std::uint64_t generation = cache_.generation();
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);  // case, parties and events from one state
    auto q = db->query(kSelectCaseByReference);
    auto c = read_case_with_parties(*db, db_.cipher(), q.bind(1, reference));
    if (!c) return fail(c.error());
    if (!c->has_value()) return std::optional<domain::CaseRecord>();
    auto events = read_events(*db, db_.cipher(), (*c)->id);
    if (!events) return fail(events.error());
    domain::CaseRecord record{**std::move(c), *std::move(events)};
    cache_.put(record, generation);
    return std::optional<domain::CaseRecord>(std::move(record));
  }

  Result<std::optional<Case>> find_case_by_reference(std::string_view reference) override {
    if (auto cached = cache_.get(reference)) return std::optional<Case>(std::move(cached->c));
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseByReference);
    return read_case_with_parties(*db, db_.cipher(), q.bind(1, reference));
  }

  Result<std::optional<Case>> find_case(std::int64_t case_id) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseById);
    return read_case_with_parties(*db, db_.cipher(), q.bind(1, case_id));
  }

  Result<std::optional<Case>> find_case_by_filing_key(std::string_view key_hash) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseByFilingKey);
    return read_case_with_parties(*db, db_.cipher(), q.bind(1, key_hash));
  }

  Result<std::vector<CaseEvent>> case_events(std::int64_t case_id) override {
    auto db = db_.lease();
    return read_events(*db, db_.cipher(), case_id);
  }

  Result<std::int64_t> count_cases() override {
    auto db = db_.lease();
    auto q = db->query("SELECT count(*) FROM cases");
    auto row = q.step();
    if (!row) return fail(row.error());
    return q.int64(0);
  }

  Result<domain::CaseCounts> case_counts(domain::TimePoint now) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);  // the overdue count belongs to the same state as the others
    return read_case_counts(*db, now);
  }

  Status scan_facts(const domain::FactsScan& scan,
                    const std::function<void(const domain::CaseFacts&)>& each) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    return scan_case_facts(*db, scan, each);
  }

  Status scan_facts_shared(
      const domain::FactsScan& scan,
      std::span<const std::function<void(const domain::CaseFacts&)>> each) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    return scan_case_facts_shared(*db, scan, each);
  }

  Status scan_rollup(
      const domain::RollupScan& scan, domain::TimePoint now,
      const std::function<void(domain::SliceId, std::int32_t, const domain::StatsCell&,
                               const domain::HoursRuns&)>& cell,
      const std::function<void(const domain::OverdueCase&)>& overdue) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    return scan_stats_rollup(*db, scan, now, cell, overdue);
  }

  domain::StoreHealth health() override { return db_.health(); }

 private:
  // Drops the case from the cache once the write is over, whether it succeeded or not: a
  // failed commit's answer may have been lost after the change reached the disk.
  class Drop {
   public:
    Drop(CaseCache& cache, std::int64_t case_id) : cache_(cache), case_id_(case_id) {}
    ~Drop() { cache_.drop(case_id_); }
    Drop(const Drop&) = delete;
    Drop& operator=(const Drop&) = delete;

   private:
    CaseCache& cache_;
    std::int64_t case_id_;
  };

  // A case's sealed fields, sealed in the caller's thread before the write is queued.
  struct SealedCase {
    std::string narrative;
    std::optional<std::string> place;
    std::optional<std::string> contact;
  };

  SealedCase seal_case(const Case& c) const {
    SealedCase s;
    s.narrative = db_.cipher().seal(c.complaint.narrative, narrative_ad(c.reference));
    if (!c.complaint.place.empty()) {
      s.place = db_.cipher().seal(c.complaint.place, place_ad(c.reference));
    }
    if (c.complaint.contact && !c.complaint.contact->empty()) {
      s.contact = db_.cipher().seal(encode_contact(*c.complaint.contact), contact_ad(c.reference));
    }
    return s;
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
        .bind(6, k.site_id);
    if (sealed.place) {
      q.bind_blob(7, *sealed.place);
    } else {
      q.bind_null(7);
    }
    q.bind(8, k.country)
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
        .bind(24, c.content_sha256)
        .bind(25, encode_optional_time(c.next_check_at))
        .bind(26, db_name(c.identity));
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
      if (auto r = insert_event(db, db_.cipher(), db_.crypto(), case_id, head, e); !r) {
        return fail(r.error());
      }
    }
    auto u = db.query("UPDATE cases SET event_count = ?2, last_event_hash = ?3 WHERE id = ?1");
    if (auto s = u.bind(1, case_id).bind(2, head.count).bind(3, head.hash).run(); !s) {
      return fail(s.error());
    }
    // The statistics' facts, in the case's own transaction (docs/domain.md "Statistics").
    if (auto s = insert_case_facts(db, db_.crypto(), case_id, c, events); !s) {
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

  Database& db_;
  CaseCache cache_;
};

}  // namespace

std::unique_ptr<domain::CaseStore> make_case_store(Database& db, std::size_t cache_bytes) {
  return std::make_unique<SqliteCaseStore>(db, cache_bytes);
}

domain::Status define_case_functions(Connection& reader, const domain::FieldCipher& cipher) {
  // NULL when the place does not open (a damaged row): the search skips it, and reading the
  // case reports it.
  return reader.define_function("open_place",
                                [&cipher](std::string_view sealed, std::string_view reference) {
                                  return cipher.open(sealed, place_ad(reference));
                                });
}

domain::Status seal_places_in_clear(Connection& db, const domain::FieldCipher& cipher) {
  struct InClear {
    std::int64_t id;
    std::string reference;
    std::string place;
  };
  std::vector<InClear> rows;
  {
    auto q = db.query("SELECT id, reference, place FROM cases WHERE place != ''");
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      rows.push_back(InClear{q.int64(0), q.text(1), q.text(2)});
    }
  }
  for (const InClear& r : rows) {
    auto u = db.query("UPDATE cases SET place_sealed = ?2, place = '' WHERE id = ?1");
    if (auto s = u.bind(1, r.id).bind_blob(2, cipher.seal(r.place, place_ad(r.reference))).run();
        !s) {
      return s;
    }
  }
  return {};
}

}  // namespace grievance::storage
