// The SQLite CaseStore: cases, their parties and their hash-chained events.
#include <unordered_map>
#include <variant>

#include "server/domain/deadlines.hpp"
#include "storage/sqlite/case_cache.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/store_factories.hpp"

namespace grievance::storage {
namespace {

using domain::Case;
using domain::CaseEvent;
using domain::Error;
using domain::fail;
using domain::Result;
using domain::Status;

// ---- associated data: binds each ciphertext to its table, column and row -------------------

std::string narrative_ad(std::string_view reference) {
  return "cases.narrative:" + std::string(reference);
}
std::string contact_ad(std::string_view reference) {
  return "cases.contact:" + std::string(reference);
}
std::string place_ad(std::string_view reference) { return "cases.place:" + std::string(reference); }
std::string remedy_ad(std::string_view column, std::int64_t case_id, int number) {
  return "remedy_actions." + std::string(column) + ":" + std::to_string(case_id) + ":" +
         std::to_string(number);
}
std::optional<std::int64_t> encode_optional_time(std::optional<domain::TimePoint> t) {
  return t ? std::optional<std::int64_t>(encode_time(*t)) : std::nullopt;
}
std::optional<domain::TimePoint> decode_optional_time(std::optional<std::int64_t> t) {
  return t ? std::optional<domain::TimePoint>(decode_time(*t)) : std::nullopt;
}

// ---- column lists --------------------------------------------------------------------------

const std::string kCaseColumns =
    "id, reference, access_code_hmac, language, categories, narrative, site_id, place_sealed, "
    "country, incident_date, anonymous, contact, mandate_follow, mandate_share_identity, "
    "mandate_collective, mandate_headcount, channel, union_org_id, status, ack_due, "
    "response_due, resolution_due, created_at, updated_at, content_sha256, event_count, "
    "outcome, settled_at, escalated_to, satisfaction, paused_since, retaliation, "
    "follow_up_due, next_check_at, follow_up_answer, remedy_failed, identity, "
    "disclosure_requested_by";
const std::string kSelectCaseByReference =
    "SELECT " + kCaseColumns + " FROM cases WHERE reference = ?1";
const std::string kSelectCaseById = "SELECT " + kCaseColumns + " FROM cases WHERE id = ?1";
const std::string kSelectCaseByFilingKey = "SELECT " + kCaseColumns +
                                           " FROM cases WHERE id = (SELECT case_id FROM "
                                           "filing_keys WHERE key_hash = ?1)";

// The case list never shows narrative or contact: NULL in their places (nothing to read,
// nothing to decrypt), the column positions of kCaseColumns otherwise.
const std::string kListColumns =
    "c.id, c.reference, c.access_code_hmac, c.language, c.categories, NULL, c.site_id, "
    "c.place_sealed, c.country, c.incident_date, c.anonymous, NULL, c.mandate_follow, "
    "c.mandate_share_identity, c.mandate_collective, c.mandate_headcount, c.channel, "
    "c.union_org_id, c.status, c.ack_due, c.response_due, c.resolution_due, c.created_at, "
    "c.updated_at, c.content_sha256, c.event_count, c.outcome, c.settled_at, c.escalated_to, "
    "c.satisfaction, c.paused_since, c.retaliation, c.follow_up_due, c.next_check_at, "
    "c.follow_up_answer, c.remedy_failed, c.identity, c.disclosure_requested_by";
constexpr std::string_view kSelectRemedy =
    "SELECT number, what, org_id, due_date, done_at, done_note, verdict, verdict_note, "
    "verdict_at FROM remedy_actions WHERE case_id = ?1 ORDER BY number";
// The order of a case's parties: the responsible company first, then the buyers by id.
#define GRV_PARTY_ORDER "role = 'buyer', org_id"
constexpr std::string_view kPartyOrder = GRV_PARTY_ORDER;
constexpr std::string_view kSelectParties =
    "SELECT org_id, role FROM case_parties WHERE case_id = ?1 ORDER BY " GRV_PARTY_ORDER;
#undef GRV_PARTY_ORDER

std::string_view deadline_column(domain::DeadlineKind kind) {
  switch (kind) {
    case domain::DeadlineKind::kAcknowledgement:
      return "c.ack_due";
    case domain::DeadlineKind::kResponse:
      return "c.response_due";
    case domain::DeadlineKind::kResolution:
      return "c.resolution_due";
  }
  return "c.resolution_due";
}

// SQL for "overdue at `now`" (a placeholder) over cases aliased c, generated from the domain's
// one rule (domain::overdue_rules()). Only the storage layer's own status names are inlined.
std::string overdue_condition(const std::string& now) {
  // A paused clock is never late (domain::is_overdue).
  std::string out = "(c.paused_since IS NULL AND (";
  bool first_rule = true;
  for (const auto& rule : domain::overdue_rules()) {
    if (!first_rule) out += " OR ";
    first_rule = false;
    out += "(c.status IN (";
    bool first_status = true;
    for (auto status : rule.running_in) {
      if (!first_status) out += ", ";
      first_status = false;
      out.append("'").append(db_name(status)).append("'");
    }
    out += ") AND " + std::string(deadline_column(rule.deadline)) + " < " + now + ")";
  }
  return out + "))";
}

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
    std::vector<Case> out;
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query("SELECT " + kListColumns +
                       " FROM cases c WHERE c.next_check_at <= ?1 ORDER BY c.next_check_at, "
                       "c.id LIMIT ?2");
    q.bind(1, encode_time(t)).bind(2, std::int64_t{std::max(0, limit)});
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      auto c = read_case_row(q, /*open_sealed=*/false);
      if (!c) return fail(c.error());
      out.push_back(std::move(*c));
    }
    for (auto& c : out) {
      auto parties = load_parties(*db, c.id);
      if (!parties) return fail(parties.error());
      c.parties = std::move(*parties);
    }
    return out;
  }

  Result<std::vector<Case>> list_cases(const domain::CaseQuery& cq) override {
    std::vector<Case> out;
    if (cq.limit <= 0) return out;
    // The SQL varies with the filters present, but every value is a bound parameter: only
    // placeholders and the storage layer's own constants are ever concatenated.
    std::vector<std::variant<std::int64_t, std::string>> args;
    const auto arg = [&](std::variant<std::int64_t, std::string> v) {
      args.push_back(std::move(v));
      return std::string("?").append(std::to_string(args.size()));
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
    if (cq.flag) {
      sql += *cq.flag == domain::ReviewFlag::kRetaliation ? " AND c.retaliation = 1"
                                                          : " AND c.remedy_failed = 1";
    }
    if (!cq.q.empty()) {
      // instr() rather than LIKE: the user's text is never a pattern ('%' and '_' are
      // literal). lower() folds ASCII only, as lower_ascii() does. The place is sealed, so
      // SQL opens it with open_place() (define_case_functions()) on the rows it looks at:
      // the filter, the order and the paging stay one query.
      const std::string needle = arg(lower_ascii(cq.q));
      sql += " AND (instr(lower(c.reference), " + needle +
             ") > 0 OR instr(lower(open_place(c.place_sealed, c.reference)), " + needle +
             ") > 0 OR c.site_id IN (SELECT id FROM sites WHERE instr(lower(name), " + needle +
             ") > 0))";
    }
    if (cq.after) {
      sql += " AND (" + order_time + ", " + order_id + ") < (" + arg(encode_time(cq.after->first)) +
             ", " + arg(cq.after->second) + ")";
    }
    sql += " ORDER BY " + order_time + " DESC, " + order_id + " DESC LIMIT " +
           arg(std::int64_t{cq.limit});

    auto db = db_.lease();
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

  // From the cache, or from one read snapshot (case, parties, events) that then fills it.
  Result<std::optional<domain::CaseRecord>> read_case(std::string_view reference) override {
    if (auto cached = cache_.get(reference)) return cached;
    const std::uint64_t generation = cache_.generation();
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);  // case, parties and events from one state
    auto q = db->query(kSelectCaseByReference);
    auto c = read_case_with_parties(*db, q.bind(1, reference));
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
    return read_case_with_parties(*db, q.bind(1, reference));
  }

  Result<std::optional<Case>> find_case(std::int64_t case_id) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseById);
    return read_case_with_parties(*db, q.bind(1, case_id));
  }

  Result<std::optional<Case>> find_case_by_filing_key(std::string_view key_hash) override {
    auto db = db_.lease();
    ReadSnapshot snapshot(*db);
    auto q = db->query(kSelectCaseByFilingKey);
    return read_case_with_parties(*db, q.bind(1, key_hash));
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

  static Result<std::vector<domain::CaseParty>> load_parties(Connection& db, std::int64_t case_id) {
    auto q = db.query(kSelectParties);
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
  Result<std::optional<Case>> read_case_with_parties(Connection& db, Query& q) {
    auto row = q.step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<Case>();
    auto c = read_case_row(q, /*open_sealed=*/true);
    if (!c) return fail(c.error());
    auto parties = load_parties(db, c->id);
    if (!parties) return fail(parties.error());
    c->parties = std::move(*parties);
    auto remedy = load_remedy(db, c->id);
    if (!remedy) return fail(remedy.error());
    c->remedy = std::move(*remedy);
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
      auto narrative = db_.cipher().open(q.blob(5), narrative_ad(c.reference));
      if (!narrative) return fail(corrupt());
      k.narrative = std::move(*narrative);
    }
    k.site_id = q.optional_int64(6);
    if (!q.is_null(7)) {
      // Opened for the list too: it shows the place.
      auto place = db_.cipher().open(q.blob(7), place_ad(c.reference));
      if (!place) return fail(corrupt());
      k.place = std::move(*place);
    }
    k.country = q.text(8);
    if (auto d = q.optional_text(9)) {
      k.incident_date = decode_date(*d);
      if (!k.incident_date) return fail(corrupt());
    }
    k.anonymous = q.int64(10) != 0;
    if (open_sealed && !q.is_null(11)) {
      auto opened = db_.cipher().open(q.blob(11), contact_ad(c.reference));
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
    c.event_count = q.int64(25);
    if (auto o = q.optional_text(26)) {
      c.outcome = parse_db_name<domain::Outcome>(*o);
      if (!c.outcome) return fail(corrupt());
    }
    c.settled_at = decode_optional_time(q.optional_int64(27));
    if (auto b = q.optional_text(28)) {
      c.escalated_to = parse_db_name<domain::ExternalBody>(*b);
      if (!c.escalated_to) return fail(corrupt());
    }
    if (auto s = q.optional_int64(29)) c.satisfaction = static_cast<int>(*s);
    c.paused_since = decode_optional_time(q.optional_int64(30));
    c.retaliation = q.int64(31) != 0;
    c.follow_up_due = decode_optional_time(q.optional_int64(32));
    c.next_check_at = decode_optional_time(q.optional_int64(33));
    if (auto a = q.optional_text(34)) {
      c.follow_up_answer = parse_db_name<domain::RemedyHeld>(*a);
      if (!c.follow_up_answer) return fail(corrupt());
    }
    c.remedy_failed = q.int64(35) != 0;
    auto identity = parse_db_name<domain::IdentityLevel>(q.text(36));
    if (!identity) return fail(corrupt());
    c.identity = *identity;
    c.disclosure_requested_by = q.optional_int64(37);
    return c;
  }

  // The case's remedy plan, its texts opened. Any thread.
  Result<std::vector<domain::RemedyAction>> load_remedy(Connection& db,
                                                        std::int64_t case_id) const {
    auto q = db.query(kSelectRemedy);
    q.bind(1, case_id);
    std::vector<domain::RemedyAction> out;
    for (;;) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      domain::RemedyAction a;
      a.number = static_cast<int>(q.int64(0));
      auto what = db_.cipher().open(q.blob(1), remedy_ad("what", case_id, a.number));
      auto due = decode_date(q.text(3));
      if (!what || !due) return fail(corrupt());
      a.what = std::move(*what);
      a.org_id = q.int64(2);
      a.due = *due;
      a.done_at = decode_optional_time(q.optional_int64(4));
      for (auto [column, index, target] : {std::tuple{"done_note", 5, &a.done_note},
                                           std::tuple{"verdict_note", 7, &a.verdict_note}}) {
        if (q.is_null(index)) continue;
        auto text = db_.cipher().open(q.blob(index), remedy_ad(column, case_id, a.number));
        if (!text) return fail(corrupt());
        *target = std::move(*text);
      }
      if (auto v = q.optional_text(6)) {
        a.verdict = parse_db_name<domain::ActionVerdict>(*v);
        if (!a.verdict) return fail(corrupt());
      }
      a.verdict_at = decode_optional_time(q.optional_int64(8));
      out.push_back(std::move(a));
    }
    return out;
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
